"""The store: schema and migrations, one transaction per page, corrections, readers beside a writer."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from loaders.pipeline import PageResult, extract_text
from loaders.records import Article, Campaign, Fact, stable_id
from loaders.storage import store

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "001_75cc9386a15eab2f.txt"


def _article(text: str, doc: str = "a.txt") -> Article:
    return Article(article_id=stable_id(text, length=32), source=doc, doc=doc, paper="", title=text[:10],
                   subtitle="", byline="", dateline_place="", published="2020-06", date_precision="month",
                   home_city="聊城市", body=text, text=text)


def _fact(article: Article, quote: str, value: float, city: str = "聊城市", n: int = 0) -> Fact:
    start = article.text.index(quote)
    return Fact(fact_id=stable_id(article.article_id, quote, n), article_id=article.article_id,
                doc=article.doc, province="山东省", city=city, county="", initiative="poverty",
                metric="脱贫人口",
                value=value, unit="人",
                approx="", range_hi=None, period_year=2020, period="", quote=quote, sentence=article.text,
                char_start=start, char_end=start + len(quote), confidence=0.9)


TEXT_A = "全市157641名建档立卡贫困人口稳定脱贫。"
TEXT_B = "今年以来，临清市新开工技改项目46个，完成技改投资38.6亿元。"


def _page(doc: str, *texts: str) -> PageResult:
    articles = [_article(t, doc) for t in texts]
    facts = [_fact(a, q, v) for a in articles for q, v in (("157641名", 157641.0), ("46个", 46.0))
             if q in a.text]
    return PageResult(source=doc, doc=doc, articles=articles, facts=facts,
                      campaigns=[Campaign(a.article_id, "脱贫攻坚") for a in articles],
                      content_hash=stable_id(*texts, length=32))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "tracker.duckdb"


def _columns(con, table: str) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}


def test_default_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(store.ENV_VAR, raising=False)
    assert store.default_db_path() == ROOT / "data" / "tracker.duckdb"
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path / "x.duckdb"))
    assert store.default_db_path() == tmp_path / "x.duckdb"


@pytest.mark.parametrize("table, required", [
    ("articles", {"article_id", "published", "published_date", "place", "text", "ingested_at"}),
    ("facts", {"fact_id", "city", "county", "value", "quote", "sentence", "char_start", "tier", "place_how"}),
    ("campaigns", {"article_id", "name", "count"}),
    ("corrections", {"correction_id", "fact_id", "article_id", "quote", "sentence", "field", "old_value",
                     "new_value", "action", "who", "why", "at"}),
    ("ingest_log", {"file", "content_hash", "status", "message", "articles", "facts", "at"}),
    ("facts_current", {"fact_id", "city", "value", "title", "published_date", "source", "review_status"}),
])
def test_a_new_store_has_the_contract_columns(db, table, required):
    con = store.connect(db)
    assert required <= _columns(con, table)
    assert store.schema_version(con) == store.SCHEMA_VERSION


def test_a_file_that_is_not_duckdb_is_refused_in_chinese(tmp_path):
    bad = tmp_path / "笔记.duckdb"
    bad.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(store.StoreError) as err:
        store.connect(bad)
    assert "笔记.duckdb" in err.value.message and "不是" in err.value.message
    assert bad.read_text(encoding="utf-8") == "这不是数据库"


def test_a_store_from_the_first_release_is_migrated_with_its_data(db):
    old = duckdb.connect(str(db))
    store.migrate(old, upto=1)
    old.execute("INSERT INTO articles (article_id, title, published, text) "
                "VALUES ('a1', '标题', '2020-06', '正文')")
    old.execute("INSERT INTO facts (fact_id, article_id, city, value, quote) "
                "VALUES ('f1', 'a1', '聊城市', 5, '5个')")
    old.execute("INSERT INTO corrections (correction_id, fact_id, field, old_value, new_value, who, \"at\") "
                "VALUES ('c1', 'f1', 'city', '聊城市', '德州市', '王', now())")
    old.close()
    con = store.connect(db)
    assert store.schema_version(con) == store.SCHEMA_VERSION
    row = con.execute("SELECT city, published_date, review_status, title FROM facts_current").fetchone()
    assert row[0] == "德州市" and str(row[1]) == "2020-06-01" and row[2] == "corrected" and row[3] == "标题"


def test_a_store_of_the_second_release_gains_provinces_without_losing_a_figure(db):
    old = duckdb.connect(str(db))
    store.migrate(old, upto=2)
    old.execute("INSERT INTO articles (article_id, title, published, text) "
                "VALUES ('a1', '标题', '2020', '正文')")
    old.execute("INSERT INTO facts (fact_id, article_id, city, value, quote) VALUES "
                "('f1', 'a1', '聊城市', 5, '5个'), ('f2', 'a1', '全国', 7, '7个'), "
                "('f3', 'a1', '杭州市', 1, '1家')")
    old.close()
    con = store.connect(db)
    rows = con.execute("SELECT fact_id, province, parent_fact_id FROM facts_current ORDER BY 1").fetchall()
    assert rows == [("f1", "山东省", ""), ("f2", "", ""), ("f3", "", "")]
    assert con.execute("SELECT home_province FROM articles").fetchone()[0] == "山东省"


def test_a_store_from_a_newer_release_is_refused(db):
    con = store.connect(db)
    con.execute("UPDATE schema_version SET version = 99")
    con.close()
    with pytest.raises(store.StoreError) as err:
        store.connect(db)
    assert "升级" in err.value.message


def test_a_seed_page_stored_twice_is_stored_once(db):
    page = extract_text(SEED.read_text(encoding="utf-8"), source=str(SEED))
    con = store.connect(db)
    assert store.store_page(con, page) == "ok"
    first = store.counts(con)
    assert store.store_page(con, page) == "duplicate"
    assert store.counts(con) == first
    assert first["pages"] == 1 and first["articles"] == len({a.article_id for a in page.articles})
    assert first["facts"] == len({f.fact_id for f in page.facts})


def test_an_article_printed_on_two_pages_is_stored_once(db):
    con = store.connect(db)
    assert store.store_page(con, _page("p1.txt", TEXT_A)) == "ok"
    assert store.store_page(con, _page("p2.txt", TEXT_A, TEXT_B)) == "ok"
    assert store.counts(con) | {"latest_published": ""} == {
        "pages": 2, "articles": 2, "facts": 2, "cities": 1, "latest_published": ""}
    assert con.execute("SELECT count(*) FROM campaigns").fetchone()[0] == 2


def test_a_page_that_fails_midway_leaves_nothing_behind(db):
    con = store.connect(db)
    page = _page("broken.txt", TEXT_A, TEXT_B)
    page.facts[-1].char_start = 2**31  # a figure that does not fit its INTEGER column fails the page
    assert store.store_page(con, page) == "error"
    assert store.counts(con)["articles"] == 0 and store.counts(con)["pages"] == 0
    status, message = con.execute("SELECT status, message FROM ingest_log").fetchone()
    assert status == "error" and "broken.txt" in message


def test_corrections_apply_latest_edit_per_field(db):
    con = store.connect(db)
    store.store_page(con, _page("p.txt", TEXT_A))
    fact_id = con.execute("SELECT fact_id FROM facts").fetchone()[0]
    store.add_correction(con, fact_id, "city", "德州市", "王", "原文为我市", publish=False)
    store.add_correction(con, fact_id, "city", "济南市", "李", "再核", publish=False)
    store.add_correction(con, fact_id, "value", "157642", "李", "笔误", publish=False)
    row = con.execute("SELECT city, value, review_status FROM facts_current WHERE fact_id = ?",
                      [fact_id]).fetchone()
    assert row == ("济南市", 157642.0, "corrected")
    audit = con.execute("SELECT old_value, new_value, quote FROM corrections ORDER BY \"at\"").fetchall()
    assert audit[0] == ("聊城市", "德州市", "157641名") and audit[1][0] == "德州市"


@pytest.mark.parametrize("actions, status", [
    (["accept"], "accepted"),
    (["reject"], "rejected"),
    (["reject", "accept"], "accepted"),
    (["accept", "reject"], "rejected"),
])
def test_review_status_follows_the_last_verdict(db, actions, status):
    con = store.connect(db)
    store.store_page(con, _page("p.txt", TEXT_A))
    fact_id = con.execute("SELECT fact_id FROM facts").fetchone()[0]
    for action in actions:
        store.add_correction(con, fact_id, "status", action, "王", action=action, publish=False)
    assert con.execute("SELECT review_status FROM facts_current").fetchone()[0] == status


def test_a_correction_of_an_unknown_field_is_refused(db):
    con = store.connect(db)
    store.store_page(con, _page("p.txt", TEXT_A))
    fact_id = con.execute("SELECT fact_id FROM facts").fetchone()[0]
    with pytest.raises(store.StoreError) as err:
        store.add_correction(con, fact_id, "quote", "x", "王")
    assert "quote" in err.value.message


def test_a_correction_whose_figure_vanished_is_an_orphan(db):
    con = store.connect(db)
    page = _page("p.txt", TEXT_A)
    store.store_page(con, page)
    fact_id = con.execute("SELECT fact_id FROM facts").fetchone()[0]
    store.add_correction(con, fact_id, "city", "德州市", "王", publish=False)
    assert store.orphan_corrections(con).empty
    page.facts = []
    con.execute("BEGIN TRANSACTION")
    store.replace_page_records(con, page.content_hash, page)
    con.execute("COMMIT")
    assert list(store.orphan_corrections(con)["fact_id"]) == [fact_id]


def test_readers_see_published_snapshots_and_their_version_changes(db):
    with store.write_session(db) as con:
        store.store_page(con, _page("p1.txt", TEXT_A))
    first = store.reader_version(db)
    old_reader = store.open_reader(db)
    with store.write_session(db) as con:
        store.store_page(con, _page("p2.txt", TEXT_B))
    assert store.reader_version(db) != first
    assert store.counts(old_reader)["pages"] == 1
    assert store.counts(store.open_reader(db))["pages"] == 2


def test_a_reader_works_while_another_process_holds_the_store(db, tmp_path):
    with store.write_session(db) as con:
        store.store_page(con, _page("p1.txt", TEXT_A))
    ready, stop = tmp_path / "ready", tmp_path / "stop"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import pathlib, time
        from loaders.storage import store
        con = store.connect({str(db)!r})
        pathlib.Path({str(ready)!r}).touch()
        while not pathlib.Path({str(stop)!r}).exists():
            time.sleep(0.05)
        """)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists()
        with pytest.raises(duckdb.IOException):
            duckdb.connect(str(db), read_only=True)  # why readers use snapshots
        assert store.counts(store.open_reader(db))["pages"] == 1
        with pytest.raises(store.StoreError) as err:
            store.connect(db, wait=0.3)
        assert "tracker.duckdb" in err.value.message and "稍候" in err.value.message
    finally:
        stop.touch()
        holder.wait(timeout=30)
    assert holder.returncode == 0
