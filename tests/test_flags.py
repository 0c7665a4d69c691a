"""The checks as queries: a snapshot's stored flags give the queue and the reasons the checks give.

The meaning of each check is tested in ``test_review.py`` (its cases run through these queries).
Here: the store and a frame of the same figures give the same flags; a published snapshot's
``summary_review_flags`` gives 校对 the queue and reasons worked out afresh from every figure (a
moved, a rejected and a renamed figure included); a group of eight or more peers is judged by its
median as ``statistics.median`` gives it; publishing leaves no working table behind.
"""

from __future__ import annotations

import math
import shutil
import statistics

import duckdb
import pandas as pd
import pytest

from dashboard import review_queries
from dashboard.filters import Filters
from loaders.storage import flags, review, store, summaries


@pytest.fixture(scope="module")
def corrected_db(seed_db, tmp_path_factory):
    """The seed store after a reviewer moved, rejected and renamed a figure (published with flags)."""
    from conftest import copy_store, move_reject_rename

    db = copy_store(seed_db, tmp_path_factory.mktemp("flags"))
    with store.write_session(db) as con:
        move_reject_rename(con)
    return db


def _sorted(found: pd.DataFrame) -> pd.DataFrame:
    return found.sort_values(["fact_id", "check"]).reset_index(drop=True)


def test_the_store_and_a_frame_of_its_figures_give_the_same_flags(corrected_db) -> None:
    con = store.open_reader(corrected_db)
    try:
        from_store = flags.for_store(con)
        from_frame = flags.for_frame(review.facts_to_check(con))
    finally:
        con.close()
    assert len(from_store) > 0 and set(from_store.check) >= {"duplicate", "cumulative_falls"}
    pd.testing.assert_frame_equal(_sorted(from_store), _sorted(from_frame), check_dtype=False)


def test_the_stored_flags_give_the_queue_and_reasons_worked_out_from_every_figure(corrected_db) -> None:
    con = store.open_reader(corrected_db)
    try:
        assert summaries.has(con, "review_flags")
        facts = review.facts_to_check(con)
        checks = review.run_checks(facts)
        expected = review.review_queue(facts, checks, include_reviewed=True)
        everything = review_queries.QueueChoice(only_flagged=False, reviewed=True)
        shown, size = review_queries.fetch_queue(con, review_queries.STORED_FLAGS, Filters(), everything,
                                                 limit=len(facts) + 1)
        flagged = checks.fact_id.unique()
        reasons = pd.concat([review_queries.fetch_reasons(con, review_queries.STORED_FLAGS, fact_id)
                             for fact_id in flagged])
        rejected = review_queries.fetch_rejected(con)
    finally:
        con.close()
    assert size == len(facts) == len(shown) and rejected == 1
    assert list(shown.fact_id) == list(expected.fact_id)
    for column in ("priority", "n_checks", "checks", "severity", "city", "metric", "review_status"):
        assert shown[column].tolist() == expected[column].tolist(), column
    pd.testing.assert_frame_equal(_sorted(reasons), _sorted(checks), check_dtype=False)


def test_the_queue_narrows_by_the_sidebar_and_by_check(corrected_db) -> None:
    con = store.open_reader(corrected_db)
    try:
        choice = review_queries.QueueChoice(check="duplicate")
        zibo = Filters(cities=("淄博市",))
        shown, size = review_queries.fetch_queue(con, review_queries.STORED_FLAGS, zibo, choice, limit=5)
        everywhere, total = review_queries.fetch_queue(con, review_queries.STORED_FLAGS, Filters(), choice,
                                                       limit=5)
    finally:
        con.close()
    assert 0 < size < total and len(shown) == min(size, 5) and len(everywhere) == 5
    assert set(shown.city) == {"淄博市"} and all("多处报道同一数字" in c for c in shown.checks)
    assert shown.priority.is_monotonic_decreasing


def _county(name: str, value: float) -> dict:
    return {"fact_id": name, "article_id": name, "city": "聊城市", "county": name, "metric": "授信金额",
            "unit": "元", "value": value, "quote": "", "sentence": "授信", "published": "2020-06-01",
            "period_year": 2020, "period": "", "kind": "stock"}


@pytest.mark.parametrize("peers", [2, 7, 8, 11])
def test_a_money_figure_is_judged_by_the_median_of_its_peers(peers: int) -> None:
    """Fewer than eight peers: the median of the others; eight or more: of all, as statistics.median."""
    values = [3.0e7 + 1.0e6 * i for i in range(peers)] + [4.5e11]
    facts = pd.DataFrame([_county(f"县{i}", v) for i, v in enumerate(values)])
    found = flags.for_frame(facts)
    wan = found[found.check == "wan_scale"]
    assert list(wan.fact_id) == [f"县{peers}"]
    logs = [math.log10(v) for v in values]
    median = statistics.median(logs[:-1]) if len(values) < 8 else statistics.median(logs)
    assert wan.number.iloc[0] == median and wan["count"].iloc[0] == len(values) - 1


def test_publishing_stores_the_flags_and_leaves_no_working_table(corrected_db, tmp_path) -> None:
    snapshot = tmp_path / "snapshot.duckdb"
    shutil.copyfile(store.snapshot_dir(corrected_db) / store.reader_version(corrected_db), snapshot)
    with duckdb.connect(str(snapshot)) as con:
        stored = ("SELECT * FROM summary_review_flags ORDER BY fact_id, \"check\"",
                  "SELECT * FROM summary_review_queue ORDER BY fact_id")
        before = [con.execute(sql).df() for sql in stored]
        con.execute("DROP TABLE summary_review_flags; DROP TABLE summary_review_queue")
        flags.write(con, "summary_review_flags", "summary_review_queue")
        after = [con.execute(sql).df() for sql in stored]
        temporary = con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
    assert temporary == [] and len(before[0]) > len(before[1]) > 0
    for was, now in zip(before, after, strict=True):
        pd.testing.assert_frame_equal(was, now)
