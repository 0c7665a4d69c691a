"""First start: make sure the store exists, and fill an empty one with the shipped seed pages.

A new user should see real figures at once, not an empty dashboard; so when the store has never
been loaded (no page, nothing in the ingest log) the pages in ``seeds/`` are ingested once, with a
progress bar. A store that was emptied on purpose (its ingest log is not empty) is left alone.
``GONGJIAN_AUTO_SEED=0`` turns the seeding off (tests of an empty store use it).
Example: ``needs_seeding(Path("data/tracker.duckdb"))`` -> True on a fresh machine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from loaders.storage import store

if TYPE_CHECKING:  # ingest brings the whole extraction pipeline (jieba's tagger): only when seeding
    from loaders.storage import ingest

AUTO_SEED_ENV = "GONGJIAN_AUTO_SEED"
SEEDS_ENV = "GONGJIAN_SEEDS"


def seeds_dir() -> Path:
    """``seeds/`` beside the packages (``GONGJIAN_SEEDS`` may point elsewhere)."""
    env = os.environ.get(SEEDS_ENV)
    return Path(env) if env else Path(__file__).resolve().parent.parent / "seeds"


def seed_files(folder: Path | None = None) -> list[Path]:
    folder = folder or seeds_dir()
    if not folder.is_dir():
        return []
    from loaders.storage import ingest

    return sorted(p for p in folder.iterdir() if p.suffix.lower() in ingest.PAGE_SUFFIXES)


def needs_seeding(db_path: Path) -> bool:
    """True for a store that was never loaded: no file yet, or no page and an empty ingest log."""
    if not db_path.exists() or not store.reader_version(db_path):
        return True
    con = store.open_reader(db_path)
    try:
        pages = con.execute("SELECT count(*) FROM pages").fetchone()[0]
        logged = con.execute("SELECT count(*) FROM ingest_log").fetchone()[0]
    finally:
        con.close()
    return pages == 0 and logged == 0


def ensure_store(db_path: Path) -> None:
    """Create (and publish) an empty store so readers can open it."""
    if not db_path.exists() or not store.reader_version(db_path):
        with store.write_session(db_path):
            pass


def seed(db_path: Path, progress: Callable[[int, int, str], None] | None = None) -> ingest.IngestSummary:
    from loaders.storage import ingest

    return ingest.ingest_paths(seed_files(), db_path=db_path, progress=progress)


@st.cache_resource(show_spinner=False)
def _state(path: str) -> dict:
    """Per store and process: a lock so two first sessions do not both seed, and whether it was checked."""
    return {"lock": threading.Lock(), "checked": False}


def ensure_seeded(db_path: Path) -> bool:
    """Seed the store on first start, showing a progress bar; True when pages were loaded now."""
    enabled = os.environ.get(AUTO_SEED_ENV, "1") != "0"
    state = _state(str(db_path))
    if state["checked"] and db_path.exists():
        return False
    with state["lock"]:
        # A loaded store is told apart first: listing the seeds loads the ingest code (0.3 s).
        if not (enabled and needs_seeding(db_path) and seed_files()):
            ensure_store(db_path)
            state["checked"] = True
            return False
        bar = st.progress(0.0, text="首次启动：正在导入示例版面…")

        def step(done: int, total: int, name: str) -> None:
            shown = Path(name).name if name else ""
            bar.progress(done / total if total else 1.0,
                         text=f"首次启动：正在导入示例版面 {done}/{total} {shown}")

        summary = seed(db_path, step)
        bar.empty()
        ensure_store(db_path)
        state["checked"] = True
    st.toast(f"已导入示例版面 {summary.pages} 个，数据 {summary.facts:,} 条", icon="✅")
    return True
