"""Uploaded pages into the store, one by one, with what became of each — for the 导入 page.

Every file is checked first (``safe_text.check_upload``: size, kind, encoding) and then handed to
``loaders.storage.ingest.ingest_bytes``, which stores it in one transaction; a bad file gets a Chinese
sentence saying what to do and the others go on. No Streamlit here: the page passes a progress
callback. Example: ``import_uploads([("a.txt", b"...")], db)`` -> one row, 结果 "已导入".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from dashboard.safe_text import check_upload
from loaders.manifest import PageInfo
from loaders.storage import ingest

STATUS = {"ok": "已导入", "duplicate": "重复（已跳过）", "error": "出错"}


def import_uploads(files: Sequence[tuple[str, bytes]], db_path: str | Path,
                   progress: Callable[[int, int, str], None] | None = None,
                   edition_date: dt.date | None = None, paper: str = "") -> pd.DataFrame:
    """Ingest uploaded files; one row per file: 文件, 结果, 文章, 数据, 说明.

    ``edition_date`` and ``paper`` are what the user typed for these files: they date the pages
    (firmer than anything read from the text) and name their paper."""
    info = PageInfo(date=edition_date.isoformat() if edition_date else "", paper=(paper or "").strip())
    rows = []
    for done, (name, data) in enumerate(files, start=1):
        check = check_upload(name, data)
        if check.ok:
            try:
                outcome = ingest.ingest_bytes(check.name, data, db_path, info)
            except Exception as exc:  # a store error must not lose the report of the other files
                message = (getattr(exc, "message", "")
                           or f"导入 {check.name} 时出错（{type(exc).__name__}）：请稍后重试")
                outcome = ingest.FileOutcome(check.name, "error", message)
        else:
            outcome = ingest.FileOutcome(check.name, "error", check.error)
        note = outcome.message
        if outcome.status == "duplicate" and not note:
            note = "这个版面以前导入过，内容没有变化"
        elif outcome.status == "ok" and not outcome.facts:
            note = "没有找到数据：请检查这是否是报纸版面"
        rows.append({"文件": check.name, "结果": STATUS.get(outcome.status, outcome.status),
                     "文章": outcome.articles, "数据": outcome.facts, "说明": note})
        if progress:
            progress(done, len(files), check.name)
    return pd.DataFrame(rows, columns=["文件", "结果", "文章", "数据", "说明"])
