"""Ingest: idempotent, crash-safe, bad files named in Chinese while the batch goes on."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import opencc
import pytest

from loaders.pipeline import extract_text
from loaders.records import stable_id
from loaders.storage import store
from loaders.storage.ingest import collect_files, ingest_bytes, ingest_paths, reextract
from loaders.synth import write_pages

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "001_75cc9386a15eab2f.txt"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "tracker.duckdb"


def _read(db: Path, sql: str) -> list[tuple]:
    con = store.open_reader(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _counts(db: Path) -> dict:
    con = store.open_reader(db)
    try:
        return store.counts(con)
    finally:
        con.close()


def test_ingesting_the_seed_pages_twice_leaves_the_same_counts(db):
    first = ingest_paths([SEEDS], db_path=db)
    after_first = _counts(db)
    second = ingest_paths([SEEDS], db_path=db)
    pages = len(list(SEEDS.glob("*.txt")))  # the five newspaper pages and the 30 dev web articles
    assert pages == 35
    assert first.pages == pages and not first.errors
    assert second.pages == 0 and second.duplicates == pages and second.facts == 0
    assert _counts(db) == after_first
    assert after_first["articles"] == first.articles and after_first["facts"] == first.facts


SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, data", [
    ("同一版面-副本.txt", SEED_TEXT.encode("utf-8")),
    ("gb18030.txt", SEED_TEXT.encode("gb18030")),
    ("utf16.txt", SEED_TEXT.encode("utf-16")),
    ("bom.txt", SEED_TEXT.encode("utf-8-sig")),
    ("crlf.txt", SEED_TEXT.replace("\n", "\r\n").encode("utf-8")),
])
def test_the_same_text_in_another_encoding_or_name_adds_nothing(db, tmp_path, name, data):
    ingest_paths([SEED], db_path=db)
    before = _counts(db)
    other = tmp_path / name
    other.write_bytes(data)
    summary = ingest_paths([other], db_path=db)
    assert summary.duplicates == 1 and not summary.errors
    assert _counts(db) == before


def test_a_traditional_big5_page_is_stored_in_simplified_text(db, tmp_path):
    page = tmp_path / "big5.txt"
    page.write_bytes(opencc.OpenCC("s2t").convert(SEED_TEXT).encode("big5", errors="ignore"))
    summary = ingest_paths([page], db_path=db)
    assert summary.pages == 1 and not summary.errors
    text = "".join(r[0] for r in _read(db, "SELECT text FROM articles"))
    assert "贫困人口" in text and "貧困人口" not in text


def test_an_html_page_is_stored_as_text(db, tmp_path):
    paragraphs = "".join(f"<p>{line}</p>\n" for line in SEED_TEXT.splitlines() if line.strip())
    page = tmp_path / "page.html"
    head = "<head><meta charset='utf-8'><title>版面</title></head>"
    page.write_text(f"<html>{head}<body>{paragraphs}</body></html>", encoding="utf-8")
    summary = ingest_paths([page], db_path=db)
    assert summary.pages == 1 and summary.facts > 0
    texts = [r[0] for r in _read(db, "SELECT text FROM articles")]
    assert not any("<p>" in t for t in texts) and any("脱贫" in t for t in texts)


def test_a_truncated_utf8_page_keeps_everything_before_the_cut(db, tmp_path):
    data = SEED_TEXT.encode("utf-8")
    page = tmp_path / "truncated.txt"
    page.write_bytes(data[:-1])
    summary = ingest_paths([page], db_path=db)
    assert summary.pages == 1 and not summary.errors
    last_words = SEED_TEXT.strip()[-12:-1]
    assert any(last_words in r[0] for r in _read(db, "SELECT text FROM articles"))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _binary(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)


def _huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)


@pytest.mark.parametrize("name, make", [
    ("空白版面.txt", _empty),
    ("照片.txt", _binary),
    ("巨大版面.txt", _huge),
])
def test_a_bad_file_is_named_in_chinese_and_the_batch_goes_on(db, tmp_path, name, make):
    ingest_paths([SEED], db_path=db)
    before = _counts(db)
    bad = tmp_path / name
    make(bad)
    good = tmp_path / "good.txt"
    good.write_text(SEEDS.joinpath("003_60e1bf30824b9f36.txt").read_text(encoding="utf-8"), encoding="utf-8")
    summary = ingest_paths([bad, good], db_path=db)
    assert [f for f, _ in summary.errors] == [str(bad)]
    message = summary.errors[0][1]
    assert name in message and HAN.search(message.replace(name, ""))
    assert summary.pages == 1
    after = _counts(db)
    assert after["pages"] == before["pages"] + 1 and after["facts"] >= before["facts"]
    log = _read(db, "SELECT file, status, message FROM ingest_log")
    assert [(status, text) for file, status, text in log if file == str(bad)] == [("error", message)]


def test_missing_paths_and_empty_folders_are_reported_and_the_rest_is_stored(db, tmp_path):
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    (empty / "说明.docx").write_bytes(b"PK")
    summary = ingest_paths([tmp_path / "不存在.txt", empty, SEED], db_path=db)
    assert summary.pages == 1
    messages = dict(summary.errors)
    assert "不存在.txt" in messages[str(tmp_path / "不存在.txt")]
    assert "空文件夹" in messages[str(empty)]


def test_folders_are_walked_recursively_and_globs_expanded(tmp_path):
    nested = tmp_path / "2020" / "06"
    nested.mkdir(parents=True)
    for name in ("a.txt", "b.HTML", "c.htm", "d.pdf"):
        (nested / name).write_text("x", encoding="utf-8")
    files, problems = collect_files([tmp_path])
    assert [f.name for f in files] == ["a.txt", "b.HTML", "c.htm"] and not problems
    files, problems = collect_files([str(tmp_path / "**" / "*.txt"), nested / "a.txt"])
    assert [f.name for f in files] == ["a.txt"] and not problems


def test_a_store_file_that_is_not_duckdb_stops_the_command_with_a_chinese_message(tmp_path):
    bad = tmp_path / "报表.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a database at all")
    run = subprocess.run([sys.executable, "-m", "loaders", "ingest", str(SEED), "--db", str(bad)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "报表.xlsx" in run.stderr and "Traceback" not in run.stderr
    assert bad.read_bytes() == b"PK\x03\x04 not a database at all"


def test_the_command_prints_a_chinese_summary(db):
    run = subprocess.run([sys.executable, "-m", "loaders", "ingest", str(SEEDS), "--db", str(db)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert re.search(r"新版面 35 个.*重复跳过 0 个.*出错 0 个", run.stdout)  # 5 pages, 30 web articles


def test_two_workers_store_exactly_what_one_worker_stores(tmp_path):
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    pages = tmp_path / "pages"
    write_pages(pages, 12, seed=3)
    ingest_paths([pages, SEEDS], db_path=one, workers=1)
    ingest_paths([pages, SEEDS], db_path=two, workers=2)
    sql = "SELECT fact_id, value, city FROM facts ORDER BY fact_id"
    assert _read(one, sql) == _read(two, sql)
    assert _counts(one) == _counts(two)


def test_an_upload_is_stored_once(db):
    data = SEED.read_bytes()
    first = ingest_bytes("上传.txt", data, db_path=db)
    again = ingest_bytes("上传-副本.txt", data, db_path=db)
    assert first.status == "ok" and first.facts == _counts(db)["facts"]
    assert again.status == "duplicate"
    bad = ingest_bytes("坏.txt", b"", db_path=db)
    assert bad.status == "error" and "坏.txt" in bad.message


def test_kill_9_in_the_middle_of_a_batch_then_rerun_gives_a_clean_runs_figures(tmp_path):
    pages = tmp_path / "pages"
    write_pages(pages, 200, seed=11)
    clean, crashed = tmp_path / "clean.duckdb", tmp_path / "crashed.duckdb"
    clean_run = subprocess.Popen([sys.executable, "-m", "loaders", "ingest", str(pages), "--db", str(clean)],
                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc = subprocess.Popen([sys.executable, "-m", "loaders", "ingest", str(pages), "--db", str(crashed)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = crashed.with_name(crashed.name + ".wal")
    deadline = time.monotonic() + 60
    while not (wal.exists() and wal.stat().st_size > 50_000) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "the batch ended before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    con = store.connect(crashed)
    partial = store.counts(con)
    con.close()
    assert 0 < partial["pages"] < 200
    ingest_paths([pages], db_path=crashed)
    assert clean_run.wait(timeout=300) == 0
    for sql in ("SELECT fact_id, value, unit, city, county, quote FROM facts ORDER BY fact_id",
                "SELECT article_id, title FROM articles ORDER BY article_id",
                "SELECT article_id, name, count FROM campaigns ORDER BY ALL",
                "SELECT content_hash FROM pages ORDER BY 1"):
        assert _read(crashed, sql) == _read(clean, sql)


def test_readers_keep_reading_while_an_ingest_runs(tmp_path):
    pages = tmp_path / "pages"
    write_pages(pages, 100, seed=5)
    db = tmp_path / "live.duckdb"
    ingest_paths([SEED], db_path=db)
    env = {**os.environ, "CAMPAIGN_TRACKER_WINDOW_SECONDS": "0.2"}
    proc = subprocess.Popen([sys.executable, "-m", "loaders", "ingest", str(pages), "--db", str(db)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = []
    while proc.poll() is None:
        seen.append(_counts(db)["pages"])
        time.sleep(0.05)
    assert proc.returncode == 0, proc.stderr.read()
    seen.append(_counts(db)["pages"])
    assert len(seen) > 3 and seen == sorted(seen)
    assert seen[0] >= 1 and seen[-1] == 101
    assert any(1 < n < 101 for n in seen), "no snapshot was published while the batch ran"


def _wider_quotes(text: str, source: str = "") -> object:
    """Rules 'improved' so every figure's quote takes one more character: fact ids change."""
    page = extract_text(text, source=source)
    counts: dict[tuple[str, str], int] = {}
    for fact in page.facts:
        article = next(a for a in page.articles if a.article_id == fact.article_id)
        fact.char_end = min(len(article.text), fact.char_end + 1)
        fact.quote = article.text[fact.char_start:fact.char_end]
        n = counts.setdefault((fact.article_id, fact.quote), 0)
        counts[(fact.article_id, fact.quote)] = n + 1
        fact.fact_id = stable_id(fact.article_id, fact.quote, n)
    return page


def _no_figures(text: str, source: str = "") -> object:
    page = extract_text(text, source=source)
    page.facts = []
    return page


def test_reextract_keeps_corrections_and_finds_figures_whose_quote_changed(db):
    ingest_paths([SEED], db_path=db)
    with store.write_session(db) as con:
        fact_id, city = con.execute("SELECT fact_id, city FROM facts ORDER BY char_start LIMIT 1").fetchone()
        store.add_correction(con, fact_id, "city", "德州市", "王", "核对原文")
    facts_before = _counts(db)["facts"]

    same = reextract(db_path=db)
    assert same.facts_after == facts_before and same.orphans == 0
    assert _read(db, f"SELECT city, review_status FROM facts_current WHERE fact_id = '{fact_id}'") == [
        ("德州市", "corrected")]

    wider = reextract(db_path=db, extract=_wider_quotes)
    assert wider.orphans == 0
    rows = _read(db, "SELECT f.fact_id, f.city FROM corrections c JOIN facts_current f USING (fact_id)")
    assert len(rows) == 1 and rows[0][0] != fact_id and rows[0][1] == "德州市"

    gone = reextract(db_path=db, extract=_no_figures)
    assert gone.facts_after == 0 and gone.orphans == 1
    assert _read(db, "SELECT count(*) FROM corrections") == [(1,)]


def test_reextract_on_a_copy_of_a_store_matches_a_fresh_ingest(db, tmp_path):
    ingest_paths([SEEDS], db_path=db)
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(db, copy)
    reextract(db_path=copy)
    sql = "SELECT fact_id, value, city FROM facts ORDER BY fact_id"
    assert _read(copy, sql) == _read(db, sql)


def test_ingesting_into_a_store_from_the_first_release_keeps_its_data(db):
    db.parent.mkdir(parents=True)
    old = duckdb.connect(str(db))
    store.migrate(old, upto=1)
    old.execute("INSERT INTO articles (article_id, title, published, text) "
                "VALUES ('old1', '旧文章', '2019-12-01', '旧正文')")
    old.close()
    summary = ingest_paths([SEED], db_path=db)
    assert summary.pages == 1 and not summary.errors
    assert _read(db, "SELECT title, published_date FROM articles WHERE article_id = 'old1'")[0][0] == "旧文章"
    assert _counts(db)["articles"] == summary.articles + 1
