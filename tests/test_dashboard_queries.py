"""The dashboard's questions to the store, on the real seed store: filters narrow, never mix, never inject."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import queries
from dashboard.filters import Filters
from loaders.storage import store


@pytest.fixture(scope="module")
def con(seed_db):
    connection = store.open_reader(seed_db)
    yield connection
    connection.close()


def sql_count(con, where: str = "true", params: list | None = None) -> int:
    sql = f"SELECT count(*) FROM facts_current WHERE review_status <> 'rejected' AND {where}"
    return con.execute(sql, params or []).fetchone()[0]


def test_where_binds_values_instead_of_writing_them_into_the_sql():
    sql, params = queries.where(Filters(cities=("聊城市",), text="技改"))
    assert "聊城市" not in sql and "技改" not in sql
    assert params == [["聊城市"], "技改"]


@pytest.mark.parametrize("hostile", ["聊城市'; DROP TABLE facts; --", "' OR '1'='1", "%", "_"])
def test_hostile_values_match_nothing_and_break_nothing(con, hostile):
    assert queries.fetch_count(con, Filters(cities=(hostile,))) == 0
    expected = sql_count(con, "contains(sentence, ?)", [hostile])
    assert queries.fetch_count(con, Filters(text=hostile)) == expected
    assert sql_count(con) > 0


def test_city_filter_counts_exactly_that_city(con):
    assert queries.fetch_count(con, Filters(cities=("聊城市",))) == sql_count(con, "city = '聊城市'")
    assert set(queries.fetch_facts(con, Filters(cities=("聊城市",)))["city"]) == {"聊城市"}


def test_county_filter_keeps_only_its_counties(con):
    county = con.execute("SELECT county FROM facts WHERE county <> '' GROUP BY 1 ORDER BY count(*) DESC"
                         ).fetchone()[0]
    rows = queries.fetch_facts(con, Filters(counties=(county,)))
    assert len(rows) > 0 and set(rows["county"]) == {county}


def test_by_city_counts_add_up_to_all_figures(con):
    assert queries.fetch_by_city(con, Filters())["figures"].sum() == sql_count(con)


def test_by_initiative_splits_figures_by_key(con):
    frame = queries.fetch_by_initiative(con, Filters())
    poverty = frame.loc[frame["initiative"] == "poverty", "figures"].sum()
    assert poverty == sql_count(con, "list_contains(string_split(initiative, '|'), 'poverty')")


def test_options_offer_counties_under_their_city(con):
    options = queries.fetch_options(con)
    assert "聊城市" in options.cities
    for city, counties in options.counties.items():
        for county in counties:
            assert sql_count(con, "city = ? AND county = ?", [city, county]) > 0


def test_metric_series_keep_units_and_kinds_apart(con):
    series = queries.fetch_metric_series(con, Filters(), "tech_renovation")
    assert not series.duplicated(["metric", "unit", "kind"]).any()
    first = series.iloc[0]
    rows = queries.fetch_metric_rows(con, Filters(), "tech_renovation", first["metric"], first["unit"],
                                     first["kind"])
    assert len(rows) == first["figures"]
    assert set(rows["unit"]) == {first["unit"]}


def test_metric_latest_gives_one_row_per_metric_unit_and_kind(con):
    latest = queries.fetch_metric_latest(con, Filters(), "enterprise_support")
    series = queries.fetch_metric_series(con, Filters(), "enterprise_support")
    assert len(latest) == len(series)


def test_article_and_its_facts(con):
    article_id = con.execute("SELECT article_id FROM facts GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
                             ).fetchone()[0]
    article = queries.fetch_article(con, article_id)
    found = queries.fetch_article_facts(con, article_id)
    assert article is not None and len(found) > 0
    for row in found.itertuples():
        assert article["text"][row.char_start:row.char_end] == row.quote
    assert queries.fetch_article(con, "no-such-id") is None


def test_the_latest_date_card_keeps_the_precision_the_pages_allow(con):
    assert queries.fetch_kpis(con, Filters())["latest"] == "2024-10-28"  # d028, a dated web article
    kpis = queries.fetch_kpis(con, Filters(cities=("聊城市",)))
    assert kpis["latest"] == "2024-08"  # the 聊城 page of 2024 gives a month, not a day
    assert queries.fetch_kpis(con, Filters(cities=("枣庄市",)))["latest"] == "2020-06-21"


def test_the_paper_filter_keeps_the_figures_of_that_papers_articles(tmp_path):
    from loaders.manifest import PageInfo
    from loaders.storage.ingest import ingest_bytes

    db = tmp_path / "papers.duckdb"
    ingest_bytes("a.txt", "冠县新签约项目32个\n\n本报讯 冠县新签约项目32个。".encode(), db,
                 PageInfo(date="2021-03-05", paper="聊城日报"))
    ingest_bytes("b.txt", "莘县新签约项目12个\n2021-03-06 来源:大众网\n\n莘县新签约项目12个。".encode(), db)
    reader = store.open_reader(db)
    try:
        assert queries.fetch_options(reader).papers == ("大众网", "聊城日报")
        kept = queries.fetch_facts(reader, Filters(papers=("聊城日报",)))
        assert set(kept["value"]) == {32} and len(kept) == 2
        assert set(queries.fetch_facts(reader, Filters(papers=("大众网",)))["value"]) == {12}
        assert queries.fetch_count(reader, Filters()) == 4
    finally:
        reader.close()


def test_options_and_their_counts_follow_a_reviewers_edits_and_rejections(seed_db, tmp_path):
    from conftest import copy_store

    db = copy_store(seed_db, tmp_path)
    with store.write_session(db) as con:
        moved, dropped = [r[0] for r in con.execute(
            "SELECT fact_id FROM facts WHERE city = '聊城市' ORDER BY fact_id LIMIT 2").fetchall()]
        store.add_correction(con, moved, "city", "德州市", "张三", "原文为德州")
        store.add_correction(con, dropped, "city", "", "张三", "不是数据", action="reject")
    reader = store.open_reader(db)
    try:
        options = queries.fetch_options(reader)
        expected = dict(reader.execute("SELECT city, count(*) FROM facts_current WHERE review_status <> "
                                       "'rejected' AND city <> '' GROUP BY 1").fetchall())
        metrics = dict(reader.execute("SELECT metric, count(*) FROM facts_current WHERE review_status <> "
                                      "'rejected' AND metric <> '' GROUP BY 1").fetchall())
    finally:
        reader.close()
    assert options.counts["cities"] == expected
    assert options.counts["metrics"] == metrics  # the taxonomy's names, as the view gives them
    assert set(options.cities) == set(expected)


def test_together_answers_in_the_order_asked_within_the_page_run_and_raises_a_workers_error():
    def page():
        import streamlit as st
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        from dashboard import queries

        pages, articles, in_run = queries.together(lambda: "版面", lambda: "文章",
                                                   lambda: get_script_run_ctx() is not None)
        st.write(f"{pages}、{articles}、{in_run}")
        queries.together(lambda: None, lambda: int("聊城市"))

    at = AppTest.from_function(page).run()
    assert at.markdown[0].value == "版面、文章、True"
    assert "聊城市" in at.exception[0].message
