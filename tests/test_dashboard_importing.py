"""Uploads: each file stored whole or refused with a Chinese sentence, and a row per file."""

from __future__ import annotations

from pathlib import Path

from conftest import SEEDS, copy_store

from dashboard.importing import STATUS, import_uploads


def test_pages_are_imported_and_a_repeat_is_skipped(empty_db, tmp_path):
    db = copy_store(empty_db, tmp_path)
    page = sorted(SEEDS.glob("*.txt"))[0]
    data = page.read_bytes()
    seen = []
    report = import_uploads([(page.name, data), ("again.txt", data)], db, lambda d, t, n: seen.append((d, t)))
    assert list(report["结果"]) == [STATUS["ok"], STATUS["duplicate"]]
    assert report.iloc[0]["数据"] > 0
    assert seen == [(1, 2), (2, 2)]


def test_bad_files_get_a_chinese_reason_and_do_not_stop_the_others(empty_db, tmp_path):
    db = copy_store(empty_db, tmp_path)
    page = sorted(SEEDS.glob("*.txt"))[1]
    report = import_uploads([("scan.txt", b"%PDF-1.7 binary"), ("empty.txt", b""), ("../../x.doc", b"abc"),
                             (page.name, page.read_bytes())], Path(db))
    assert list(report["结果"]) == [STATUS["error"]] * 3 + [STATUS["ok"]]
    assert "scan.txt" in report.iloc[0]["说明"] and "PDF" in report.iloc[0]["说明"]
    assert report.iloc[2]["文件"] == "x.doc"
