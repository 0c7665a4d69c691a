"""Every page of the dashboard, run by Streamlit's AppTest on the seed store and on an empty store.

AppTest runs the real app.py (navigation, sidebar, page) without a browser; the store is a real
DuckDB file built from seeds/ (``seed_db`` in conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import Filters, filters_from_params
from dashboard.initiatives import initiatives
from loaders.storage import store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
FILE_PAGES = ["overview", "county", "ranking", "compare", "explore", "article", "upload"]
FIRST_INITIATIVES = ["enterprise_support", "tech_renovation", "poverty"]


def open_app(db, monkeypatch, params: dict | None = None, seed: bool = False) -> AppTest:
    monkeypatch.setenv("CAMPAIGN_TRACKER_DB", str(db))
    monkeypatch.setenv("GONGJIAN_AUTO_SEED", "1" if seed else "0")
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def go(at: AppTest, url_path: str) -> AppTest:
    """Open the page registered under ``url_path`` (file pages and the initiative template alike)."""
    wanted = "" if url_path == "overview" else url_path  # the default page lives at "/"
    at._page_hash = next(h for h, info in at._registered_pages.items()
                         if info.get("url_pathname") == wanted)
    return at.run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def explore_rows(at: AppTest):
    return at.dataframe[0].value


def count_facts(db, where: str = "true", params: list | None = None) -> int:
    con = store.open_reader(db)
    try:
        return con.execute(f"SELECT count(*) FROM facts_current WHERE {where}", params or []).fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("page", FILE_PAGES + FIRST_INITIATIVES + ["other"])
def test_every_page_runs_on_the_seed_store(seed_db, monkeypatch, page):
    at = go(open_app(seed_db, monkeypatch), page)
    assert_clean(at)
    assert at.title[0].value


@pytest.mark.parametrize("page", FILE_PAGES + FIRST_INITIATIVES)
def test_every_page_runs_on_an_empty_store(empty_db, monkeypatch, page):
    at = go(open_app(empty_db, monkeypatch), page)
    assert_clean(at)
    assert at.title[0].value


def test_menu_lists_the_first_initiatives_first_and_review_under_its_key(seed_db, monkeypatch):
    at = open_app(seed_db, monkeypatch)
    paths = [info.get("url_pathname") for info in at._registered_pages.values()]
    keys = [item.key for item in initiatives()]
    assert paths[1:4] == FIRST_INITIATIVES
    assert paths[1:1 + len(keys)] == keys
    assert paths.index("explore") < paths.index("article") < paths.index("upload") < paths.index("review")


def test_overview_cards_count_the_store(seed_db, monkeypatch):
    at = open_app(seed_db, monkeypatch)
    cards = {m.label: m.value for m in at.metric}
    assert cards["数据"] == f"{count_facts(seed_db):,}条"


def test_city_in_the_url_narrows_the_table_to_that_city(seed_db, monkeypatch):
    everything = explore_rows(go(open_app(seed_db, monkeypatch), "explore"))
    at = go(open_app(seed_db, monkeypatch, {"city": "聊城市"}), "explore")
    assert_clean(at)
    rows = explore_rows(at)
    assert 0 < len(rows) < len(everything)
    assert set(rows["城市"]) == {"聊城市"}
    assert len(rows) == count_facts(seed_db, "city = ?", ["聊城市"])


def test_choosing_a_city_in_the_sidebar_changes_the_rows_and_the_url(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch), "explore")
    before = len(explore_rows(at))
    at.sidebar.multiselect[0].select("淄博市").run()
    assert_clean(at)
    rows = explore_rows(at)
    assert set(rows["城市"]) == {"淄博市"} and len(rows) < before
    assert filters_from_params(dict(at.query_params)) == Filters(cities=("淄博市",))


def test_initiative_in_the_url_uses_its_key(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch, {"initiative": "poverty"}), "explore")
    assert_clean(at)
    rows = explore_rows(at)
    assert set(rows["攻坚领域"]) == {"脱贫攻坚"}


def test_text_search_keeps_sentences_that_hold_the_words(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch, {"q": "技改"}), "explore")
    rows = explore_rows(at)
    assert len(rows) == count_facts(seed_db, "contains(sentence, '技改')")
    assert all("技改" in s for s in rows["原句"])


def test_a_city_value_with_sql_in_it_just_matches_nothing(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch, {"city": "聊城市'; DROP TABLE facts; --"}), "explore")
    assert_clean(at)
    assert not at.dataframe
    assert count_facts(seed_db) > 0


def test_article_page_shows_the_article_of_the_link(seed_db, monkeypatch):
    con = store.open_reader(seed_db)
    article_id, title = con.execute(
        "SELECT article_id, any_value(title) FROM facts_current GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    at = go(open_app(seed_db, monkeypatch, {"article": article_id}), "article")
    assert_clean(at)
    assert at.selectbox(key="article_pick").value == article_id
    assert "<mark" in "".join(m.value for m in at.markdown)
    assert at.dataframe[0].value.shape[0] == count_facts(seed_db, "article_id = ?", [article_id])


def test_unknown_article_id_is_a_warning_not_an_error(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch, {"article": "no-such-article"}), "article")
    assert_clean(at)
    assert at.warning


def test_initiative_page_never_mixes_units_in_one_chart(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch), "tech_renovation")
    assert_clean(at)
    metric, unit, kind = at.selectbox(key="metric_tech_renovation").value
    assert not at.dataframe  # the figures behind the chart are read only when asked for
    at.toggle(key="detail_tech_renovation").set_value(True).run()
    table = at.dataframe[0].value
    assert set(table["单位"]) == {unit}
    assert set(table["指标"]) == {metric}


def test_first_start_on_a_new_store_loads_the_seed_pages(tmp_path, monkeypatch):
    db = tmp_path / "new.duckdb"
    at = open_app(db, monkeypatch, seed=True)
    assert_clean(at)
    assert count_facts(db) > 0
    assert {m.label: m.value for m in at.metric}["数据"] == f"{count_facts(db):,}条"


def test_date_range_in_the_url_keeps_figures_published_within_it(seed_db, monkeypatch):
    con = store.open_reader(seed_db)
    day = con.execute("SELECT max(published_date) FROM facts_current").fetchone()[0]
    con.close()
    if day is None:
        pytest.skip("the seed pages carry no publication date yet")
    at = go(open_app(seed_db, monkeypatch, {"from": day.isoformat(), "to": day.isoformat()}), "explore")
    assert_clean(at)
    assert len(explore_rows(at)) == count_facts(seed_db, "published_date = ?", [day])


def test_county_choices_follow_the_chosen_city(seed_db, monkeypatch):
    at = open_app(seed_db, monkeypatch, {"city": "聊城市"})
    counties = at.sidebar.multiselect(key="f_counties").options
    con = store.open_reader(seed_db)
    # Each with its figures in the whole store: "冠县 (12)".
    expected = {f"{county} ({n:,})" for county, n in con.execute(
        "SELECT county, count(*) FROM facts_current WHERE county IN (SELECT county FROM facts_current"
        " WHERE city = '聊城市' AND county <> '') GROUP BY 1").fetchall()}
    con.close()
    assert set(counties) == expected and expected


def test_provinces_page_compares_other_provinces(tmp_path, monkeypatch):
    """外省对比 on a store holding a Shandong seed page and a 甘肃 page: the same metric side by side."""
    from loaders.storage import ingest

    db = tmp_path / "provinces.duckdb"
    pages = Path(__file__).resolve().parent / "data" / "provinces" / "pages"
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    ingest.ingest_paths([seeds / "002_1b9743f1e9e56b57.txt", pages / "gansu_2020-05-18_lanzhou.txt"],
                        db_path=db)
    at = go(open_app(db, monkeypatch), "provinces")
    assert_clean(at)
    assert at.title[0].value == "外省对比"
    metric = at.selectbox(key="provinces_metric")
    assert metric.options
    other = at.dataframe[-1].value  # the home side shows a note where 山东省 has no such figure
    assert set(other["省份"]) == {"甘肃省"} and len(other) >= 1


def test_provinces_page_on_the_seed_store_says_there_is_nothing_to_compare(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch), "provinces")
    assert_clean(at)
    assert "山东省以外" in at.info[0].value


def test_an_upload_with_an_edition_date_shows_that_date_on_the_data_page(monkeypatch, tmp_path):
    """The page's text gives no year; the date typed on 导入 dates it, and 数据浏览 shows that date."""
    import datetime as dt

    empty_db = tmp_path / "tracker.duckdb"
    with store.write_session(empty_db):
        pass
    page = "冠县新签约项目32个\n\n本报讯 近日,冠县新签约项目32个,总投资86亿元。".encode()
    at = go(open_app(empty_db, monkeypatch), "upload")
    at.file_uploader[0].set_value(("guanxian.txt", page, "text/plain"))
    at.date_input(key="upload_date").set_value(dt.date(2021, 3, 5))
    at.text_input(key="upload_paper").set_value("聊城日报")
    at.button[0].click().run()
    assert_clean(at)
    assert "导入完成：新版面 1 个" in " ".join(s.value for s in at.success)
    at = go(at, "explore")
    assert_clean(at)
    rows = explore_rows(at)
    assert set(rows["刊发日期"]) == {"2021年3月5日"}
    assert len(rows) == 3  # 32个 in the headline and the body, 86亿元
    con = store.open_reader(empty_db)
    try:
        stored = con.execute("SELECT DISTINCT date_source, paper FROM articles").fetchall()
        assert stored == [("upload", "聊城日报")]
    finally:
        con.close()


def test_the_paper_filter_keeps_that_papers_figures(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch, {"paper": "没有这家报纸"}), "explore")
    assert_clean(at)
    assert not at.dataframe or len(explore_rows(at)) == 0
    assert filters_from_params({"paper": ["聊城日报"]}) == Filters(papers=("聊城日报",))


def test_clicking_an_explore_rows_article_cell_opens_it_in_this_tab_with_the_filters(seed_db, monkeypatch):
    # st.dataframe's link columns open a new browser tab; 原文 is a cell whose click switches page.
    at = go(open_app(seed_db, monkeypatch, {"city": "聊城市"}), "explore")
    shown = explore_rows(at)
    assert set(shown["原文"]) == {"查看原文 ›"} and not any("article?" in str(v) for v in shown["原文"])
    rows = queries_facts(seed_db, "聊城市")
    at.session_state["explore_table"] = {"selection": {"rows": [], "columns": [], "cells": [[2, "原文"]]}}
    at.run()
    assert_clean(at)
    assert at.title[0].value == "原文"
    assert at.query_params["article"] in (rows[2][0], [rows[2][0]])
    assert at.query_params["fact"] in (rows[2][1], [rows[2][1]])
    assert at.query_params["city"] in ("聊城市", ["聊城市"])  # the filters are kept
    assert at.sidebar.multiselect(key="f_cities").value == ["聊城市"]
    assert at.selectbox(key="article_pick").value == rows[2][0]


def test_clicking_another_cell_stays_on_the_table(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch), "explore")
    at.session_state["explore_table"] = {"selection": {"rows": [], "columns": [], "cells": [[0, "原句"]]}}
    at.run()
    assert_clean(at)
    assert at.title[0].value == "数据浏览" and "article" not in at.query_params


def queries_facts(db, city: str) -> list[tuple[str, str]]:
    """(article id, fact id) of a city's figures in the order 数据浏览 shows them."""
    from dashboard import queries
    from dashboard.filters import Filters

    con = store.open_reader(db)
    try:
        rows = queries.fetch_facts(con, Filters(cities=(city,)), limit=2000)
    finally:
        con.close()
    return list(zip(rows["article_id"], rows["fact_id"], strict=True))
