"""A snapshot's summaries answer the dashboard's unfiltered questions exactly as scanning does.

The store is the seed pages with a reviewer's edits (a figure moved to 德州市, one rejected, one
renamed), so the summaries must follow ``facts_current`` as the live queries do. Each answer is
asked twice of the same snapshot: once as published (read from ``summary_*``) and once from a copy
whose summaries were dropped (scanned).
"""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from dashboard import campaign_queries, queries
from dashboard.filters import Filters
from loaders.storage import flags, store, summaries

_KINDS = ("stock", "flow", "rate", "duration", "")


@pytest.fixture(scope="module")
def readers(seed_db, tmp_path_factory):
    """(summarised, scanned): read connections to one published snapshot, with and without summaries."""
    from conftest import copy_store, move_reject_rename

    folder = tmp_path_factory.mktemp("summaries")
    db = copy_store(seed_db, folder)
    with store.write_session(db) as con:
        move_reject_rename(con)
    snapshot = store.snapshot_dir(db) / store.reader_version(db)
    bare = folder / "scanned.duckdb"
    shutil.copyfile(snapshot, bare)
    with duckdb.connect(str(bare)) as con:
        summaries.drop(con)
    summarised, scanned = store.open_reader(db), duckdb.connect(str(bare), read_only=True)
    yield summarised, scanned
    summarised.close()
    scanned.close()


def test_publishing_writes_every_summary_into_the_snapshot_and_none_into_the_store(readers, seed_db):
    summarised, scanned = readers
    tables = {r[0] for r in summarised.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {f"summary_{name}" for name in [*summaries.SUMMARIES, "campaign_names"]} <= tables
    assert summaries.complete(summarised) and not summaries.complete(scanned)
    assert summaries.read(scanned, "kpis") is None  # a snapshot without them: the caller scans
    with store.connect(seed_db, read_only=True) as main:
        assert not main.execute("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'summary_%'"
                                ).fetchall()


def test_the_cards_read_from_the_summary_equal_the_cards_counted(readers):
    summarised, scanned = readers
    cards = queries.fetch_kpis(summarised, Filters())
    assert cards == queries.fetch_kpis(scanned, Filters())
    assert cards["facts"] == summarised.execute(f"SELECT count(*) {queries.BASE}").fetchone()[0]


@pytest.mark.parametrize("fetch", [queries.fetch_by_city, queries.fetch_by_month, queries.fetch_by_initiative,
                                   queries.fetch_sources, queries.fetch_value_metrics],
                         ids=lambda f: f.__name__)
def test_the_briefs_counts_from_the_summaries_equal_the_scan(readers, fetch):
    summarised, scanned = readers
    read = fetch(summarised, Filters())
    assert len(read) > 0
    pd.testing.assert_frame_equal(read, fetch(scanned, Filters()))
    one_city = fetch(summarised, Filters(cities=("聊城市",)))
    pd.testing.assert_frame_equal(one_city, fetch(scanned, Filters(cities=("聊城市",))))


def test_a_filter_is_never_answered_by_the_unfiltered_summary(readers):
    summarised, _ = readers
    one_city = queries.fetch_kpis(summarised, Filters(cities=("聊城市",)))
    assert one_city["facts"] < queries.fetch_kpis(summarised, Filters())["facts"]
    assert one_city["facts"] == queries.fetch_count(summarised, Filters(cities=("聊城市",)))


@pytest.mark.parametrize(("unit", "kinds"), [("", _KINDS), ("", ()), ("人", ("stock", "flow")), ("元", ())])
def test_newest_figure_per_place_and_period_from_the_summary_equals_the_scan(readers, unit, kinds):
    summarised, scanned = readers
    metrics = tuple(summarised.execute(
        "SELECT DISTINCT metric FROM facts_current WHERE metric <> '' ORDER BY 1").fetchall())
    metrics = tuple(m[0] for m in metrics)
    read = queries.fetch_place_periods(summarised, Filters(), metrics, unit, kinds)
    scan = queries.fetch_place_periods(scanned, Filters(), metrics, unit, kinds)
    assert len(read) > 0
    pd.testing.assert_frame_equal(read, scan)


def test_an_initiative_narrows_the_scan_not_the_summary(readers):
    summarised, scanned = readers
    metrics = ("脱贫人口", "贫困人口")
    read = queries.fetch_place_periods(summarised, Filters(), metrics, initiative="poverty")
    pd.testing.assert_frame_equal(read, queries.fetch_place_periods(scanned, Filters(), metrics,
                                                                    initiative="poverty"))


def test_menu_choices_map_metrics_and_campaign_names_equal_the_scan(readers):
    summarised, scanned = readers
    assert queries.fetch_options(summarised) == queries.fetch_options(scanned)
    assert "德州市" in queries.fetch_options(summarised).counts["cities"]
    names = campaign_queries.fetch_names(summarised)
    assert names and names == campaign_queries.fetch_names(scanned)
    assert list(names) == list(campaign_queries.fetch_names(scanned))  # the page's order too


def test_a_failed_summary_leaves_none_behind(readers, tmp_path):
    """The campaign names are counted last: a snapshot without the table of decisions fails there,
    after every other summary was written, and keeps none of them."""
    summarised, _ = readers
    path = summarised.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
                              ).fetchone()[0]
    copy = tmp_path / "no_decisions.duckdb"
    shutil.copyfile(path, copy)
    with duckdb.connect(str(copy)) as con:
        summaries.drop(con)
        con.execute("DROP TABLE campaign_names")
        assert summaries.write(con) is False
        assert not con.execute("SELECT * FROM duckdb_tables() WHERE table_name LIKE 'summary_%'").fetchall()


def test_checks_that_fail_on_their_own_connection_leave_no_summary_behind(readers, tmp_path, monkeypatch):
    """The 校对 checks run beside the other summaries; their failure, after writing a table, is the
    whole write's: no summary is kept, and the others (finished meanwhile) are dropped too."""
    summarised, _ = readers
    path = summarised.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
                              ).fetchone()[0]
    copy = tmp_path / "checks_fail.duckdb"
    shutil.copyfile(path, copy)

    def failing(con, table, per_fact_table, rules=None):
        con.execute(f"CREATE TABLE {table} AS SELECT 1 AS fact_id")
        raise duckdb.ConversionException("a check that cannot read this store")

    monkeypatch.setattr(flags, "write", failing)
    with duckdb.connect(str(copy)) as con:
        summaries.drop(con)
        assert summaries.write(con) is False
        assert not con.execute("SELECT * FROM duckdb_tables() WHERE table_name LIKE 'summary_%'").fetchall()


def test_an_ingests_last_snapshot_carries_the_summaries(seed_db):
    """The seed store is built by ``ingest_paths``: its snapshots along the way are plain copies,
    its last one has every summary."""
    con = store.open_reader(seed_db)
    try:
        assert summaries.complete(con)
    finally:
        con.close()


def test_a_snapshot_published_without_summaries_is_answered_by_scanning(seed_db, tmp_path):
    from conftest import copy_store

    db = copy_store(seed_db, tmp_path)
    with store.connect(db) as con:
        store.publish_snapshot(con, summarise=False)
    reader = store.open_reader(db)
    try:
        assert not summaries.complete(reader)
        assert queries.fetch_kpis(reader, Filters())["facts"] == reader.execute(
            f"SELECT count(*) {queries.BASE}").fetchone()[0]
    finally:
        reader.close()
