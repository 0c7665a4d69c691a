"""Numbers an official can quote: right level, right period, right comparison — and the views of 县区,
排名, 对比 and 总览's value map, run by AppTest on stores built from real seed sentences.

``period_db`` holds the seed pages plus ``tests/fixtures/periods`` (real seed sentences of 淄博's
poverty figures for 2019 and, varied, 2020; 冠县's projects; 高唐's time limits of 2024 and 2025),
each page dated by its file name, so places report the same metric in several periods.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from dashboard import queries, series
from dashboard.filters import Filters, filters_from_params
from loaders.storage import store
from loaders.storage.ingest import ingest_paths

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
FIXTURES = ROOT / "tests" / "fixtures" / "periods"
SHANDONG_CITIES = {"济南市", "青岛市", "淄博市", "枣庄市", "东营市", "烟台市", "潍坊市", "济宁市", "泰安市",
                   "威海市", "日照市", "临沂市", "德州市", "聊城市", "滨州市", "菏泽市"}


@pytest.fixture(scope="module")
def period_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("period_store") / "tracker.duckdb"
    # The five printed seed pages (not the demo's web articles, d*.txt) and their period variants:
    # the figures these tests name are theirs.
    pages = sorted((ROOT / "seeds").glob("0*.txt")) + sorted(FIXTURES.glob("*.txt"))
    summary = ingest_paths(pages, db_path=path)
    assert not summary.errors, summary.report()
    return path


def open_app(db, monkeypatch, page: str = "overview", params: dict | None = None) -> AppTest:
    monkeypatch.setenv("CAMPAIGN_TRACKER_DB", str(db))
    monkeypatch.setenv("GONGJIAN_AUTO_SEED", "0")
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    wanted = "" if page == "overview" else page
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == wanted)
    for key, value in (params or {}).items():  # as a browser opening this page's URL would give them
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def plotly_figures(at: AppTest) -> dict[str, dict]:
    """The page's plotly figures by title."""
    out = {}
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        out[spec["layout"].get("title", {}).get("text", "")] = spec
    return out


def cards(at: AppTest) -> dict[str, MetricProto]:
    return {m.label: m.proto for m in at.metric}


def card_like(at: AppTest, *words: str) -> MetricProto:
    found = [proto for label, proto in cards(at).items() if all(w in label for w in words)]
    assert len(found) == 1, (words, list(cards(at)))
    return found[0]


def city_level_values(db, metric: str, unit: str) -> dict[str, set[float]]:
    con = store.open_reader(db)
    try:
        rows = con.execute(
            "SELECT city, value FROM facts_current WHERE metric = ? AND unit = ? AND county = ''",
            [metric, unit]).fetchall()
    finally:
        con.close()
    out: dict[str, set[float]] = {}
    for city, value in rows:
        out.setdefault(city, set()).add(value)
    return out


# ---- level ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("page", "show"), [
    ("major_projects", "项目投资额·元·flow"),        # 冠县 136.2亿元 (2020) and 聊城市's own 2023 figures
    ("enterprise_support", "帮扶企业数·家·stock"),  # 冠县 145家, 薛城区 106家: counties only
    ("gov_services", "审批提速·%·rate"),            # 高唐县 92.5%: a rate never adds up to a city
])
def test_a_county_figure_never_labels_a_city_bar(period_db, monkeypatch, page, show):
    at = open_app(period_db, monkeypatch, page, {"show": show})
    metric, unit, _ = show.split("·")
    own = city_level_values(period_db, metric, unit)
    bars = plotly_figures(at)["各市最新值"]["data"][0] if "各市最新值" in plotly_figures(at) else None
    if bars is None:  # no city figure at all: the page says so instead of borrowing a county's
        assert unit == "%" and any("没有市级" in i.value for i in at.info)
        return
    for label, value in zip(bars["y"], bars["customdata"], strict=True):
        assert value in SHANDONG_CITIES, "province and nation never sit among cities"
        if label in SHANDONG_CITIES:  # a bar named plainly by its city is that city's own figure
            assert label in own
        else:
            assert label.endswith("个县区合计）") or "（仅" in label  # a sum, or one county named


def test_the_province_is_said_beside_the_city_bars_not_among_them(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "tech_renovation", {"show": "技改项目数·个·flow"})
    assert "各市最新值" not in plotly_figures(at)
    assert any(c.value.startswith("山东省：5,511个（2020年1–5月") for c in at.caption)


def test_city_figures_sum_counties_only_for_additive_metrics_of_one_period():
    rows = series_rows([("county", "聊城市", "冠县", 2020, 100.0), ("county", "聊城市", "莘县", 2020, 50.0),
                        ("county", "聊城市", "高唐县", 2019, 70.0), ("city", "淄博市", "", 2020, 30.0)])
    figures = series.city_figures(rows)
    liaocheng = figures[(figures["city"] == "聊城市") & (figures["period_label"] == "2020年")].iloc[0]
    assert liaocheng["value"] == 150.0 and liaocheng["label"] == "聊城市（2个县区合计）"
    assert series.city_figures(rows.assign(kind="rate", unit="%"))["city"].tolist() == ["淄博市"]


def series_rows(places, kind="flow", unit="个"):
    import pandas as pd
    return pd.DataFrame([{
        "metric": "项目数", "unit": unit, "kind": kind, "level": level, "city": city, "county": county,
        "period_year": year, "first_month": 0, "last_month": 0, "value": value, "published": f"{year + 1}-01",
        "published_date": pd.Timestamp(f"{year + 1}-01-01"), "article_id": f"a{i}", "fact_id": f"f{i}",
        "reports": 1} for i, (level, city, county, year, value) in enumerate(places)])


# ---- cards ----------------------------------------------------------------------------------

def test_cards_say_whose_figure_and_when(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "poverty", {"city": "淄博市"})
    proto = card_like(at, "淄博市 · 2020年", "脱贫人口")
    assert proto.body == "12万人"
    assert "120,000人" in proto.help


def test_a_fall_shows_red_down(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "poverty", {"city": "淄博市"})
    fall = card_like(at, "脱贫人口")
    assert fall.delta == "-3.76万人"
    assert fall.color == MetricProto.MetricColor.RED and fall.direction == MetricProto.MetricDirection.DOWN
    assert "2019年" in fall.delta_description
    rise = card_like(at, "退出贫困村数")
    assert rise.delta == "+6个" and rise.color == MetricProto.MetricColor.GREEN


def test_a_fall_where_lower_is_better_shows_green_down(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "gov_services", {"city": "聊城市", "county": "高唐县"})
    shorter = card_like(at, "高唐县 · 2025年", "办理时限")
    assert shorter.direction == MetricProto.MetricDirection.DOWN
    assert shorter.color == MetricProto.MetricColor.GREEN


@pytest.mark.parametrize(("page", "metric"), [
    ("tech_renovation", "技改服务商数"),  # 300家 and 65家 of one passage
    ("public_safety", "电动自行车挂牌数"),  # 2056万辆 (a stock) and 80万辆 (2、3月) of one article
])
def test_two_figures_of_one_article_are_never_compared(period_db, monkeypatch, page, metric):
    at = open_app(period_db, monkeypatch, page)
    for label, proto in cards(at).items():
        if metric in label:
            assert not proto.delta


def test_every_change_compares_another_article_of_an_earlier_period_of_one_kind(period_db):
    con = store.open_reader(period_db)
    try:
        found = con.execute("SELECT DISTINCT metric FROM facts WHERE metric <> ''").fetchall()
        metrics = tuple(r[0] for r in found)
        rows = queries.fetch_place_periods(con, Filters(), metrics)
    finally:
        con.close()
    compared = 0
    for (_, _, kind), group in rows.groupby(["metric", "unit", "kind"]):
        scopes = [("", "")] + [("", c) for c in set(group["city"])]
        scopes += [(c, "") for c in set(group["county"]) if c]
        for county, city in scopes:
            found = series.card(group, county=county, city=city)
            if found is None or found.change is None:
                continue
            compared += 1
            assert found.previous_article != found.article_id
            assert found.previous_period != found.period
            assert found.kind == kind
    assert compared >= 3


# ---- periods and axes -----------------------------------------------------------------------

def test_the_time_axis_is_the_figures_period_with_the_printed_date_in_the_tooltip(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "poverty", {"city": "淄博市", "show": "脱贫人口·人·stock"})
    figure = next(f for title, f in plotly_figures(at).items() if "各时期" in title)
    trace = figure["data"][0]
    assert trace["x"] == ["2019年", "2020年"]
    assert "刊发：2020年3月10日" in trace["hovertext"][0]
    axis = figure["layout"]["xaxis"]
    assert axis["tickvals"] == ["2019年", "2020年"]  # one tick per distinct period
    assert axis["title"]["text"] == "数据所属时期"
    assert figure["layout"]["annotations"][0]["text"] == "脱贫人口（万人）"


def test_a_single_period_has_a_single_tick_and_whole_units_whole_ticks(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "enterprise_support", {"show": "帮扶企业数·家·stock"})
    figure = next(f for title, f in plotly_figures(at).items() if "各时期" in title)
    assert figure["layout"]["xaxis"]["tickvals"] == ["2020年"]
    assert figure["layout"]["yaxis"]["tickformat"] == ",d"


# ---- the URL ------------------------------------------------------------------------------

def test_metric_choice_and_dates_survive_a_reload_from_the_url(period_db, monkeypatch):
    params = {"show": "脱贫户数·户·stock", "from": "2020-01-01", "to": "2021-12-31", "city": "淄博市"}
    at = open_app(period_db, monkeypatch, "poverty", params)
    assert at.selectbox(key="metric_poverty").value == ("脱贫户数", "户", "stock")
    assert at.sidebar.text_input(key="f_start").value == "2020-01-01"
    assert at.sidebar.text_input(key="f_end").value == "2021-12-31"
    at.selectbox(key="metric_poverty").set_value(("退出贫困村数", "个", "stock")).run()
    url = {k: at.query_params[k] for k in at.query_params}
    again = open_app(period_db, monkeypatch, "poverty", url)
    assert again.selectbox(key="metric_poverty").value == ("退出贫困村数", "个", "stock")
    assert filters_from_params(url) == Filters(cities=("淄博市",), start=_date("2020-01-01"),
                                               end=_date("2021-12-31"))


def _date(text):
    import datetime as dt
    return dt.date.fromisoformat(text)


def test_a_typed_date_applies_and_reaches_the_url(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "explore")
    at.sidebar.text_input(key="f_start").input("2021年3月").run()
    assert at.query_params["from"] == ["2021-03-01"] or at.query_params["from"] == "2021-03-01"
    shown = set(at.dataframe[0].value["刊发日期"])
    assert "2021年3月12日" in shown and not shown & {"2020年3月10日", "2020年6月21日", "2020年3月"}


def test_a_date_that_is_no_date_is_said_in_chinese(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "explore")
    at.sidebar.text_input(key="f_start").input("下个月").run()
    assert any("不是日期" in w.value for w in at.sidebar.warning)


# ---- the views of issue 14 ------------------------------------------------------------------

def test_overview_maps_a_metric_not_row_counts(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "overview", {"show": "脱贫人口·人·stock", "period": "2020年"})
    figures = plotly_figures(at)
    title = next(t for t in figures if t.startswith("各市脱贫人口 · 2020年"))
    hovers = [t.get("text") for t in figures[title]["data"] if t.get("name") == "淄博市"]
    assert hovers == ["淄博市：12万人（120,000人）<br>脱贫人口 · 2020年<br>刊发：2021年3月12日"]
    assert any("脱贫攻坚 · " in t for t in figures)  # each initiative's headline metric by city


def test_county_view_ranks_the_chosen_citys_counties_and_links_their_articles(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "county", {"city": "聊城市", "show": "办理时限·工作日·duration"})
    figures = plotly_figures(at)
    ranking = next(f for t, f in figures.items() if "各县区办理时限排名" in t)
    assert set(ranking["data"][0]["customdata"]) <= {"冠县", "高唐县", "临清市", "东昌府区", "茌平区", "莘县",
                                                      "阳谷县", "东阿县"}
    county_map = next(f for t, f in figures.items() if "县区地图" in t)
    assert {t["name"] for t in county_map["data"][:-1]} >= {"冠县", "高唐县", "临清市"}
    table = "".join(m.value for m in at.markdown)
    assert "target='_self'" in table and "fact=" in table and "city=" in table


def test_county_view_without_a_city_asks_for_one(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "county")
    assert any("请先选一个城市" in i.value for i in at.info)


def test_ranking_compares_one_period_at_one_level(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "ranking", {"show": "项目投资额·元·flow", "period": "2020年"})
    table = at.dataframe[0].value
    # 济宁市's own 10亿元, not 梁山县's 3亿元
    assert list(table["地点"]) == ["聊城市（仅冠县）", "济宁市"]
    assert list(table["精确值"]) == ["13,620,000,000元", "1,000,000,000元"]
    assert at.get("vega_lite_chart")


def test_comparison_puts_the_places_of_the_url_side_by_side(period_db, monkeypatch):
    at = open_app(period_db, monkeypatch, "compare",
                  {"show": "项目投资额·元·flow", "place": ["聊城市", "济宁市"]})
    assert at.multiselect(key="compare_places").value == ["聊城市", "济宁市"]
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["facet"]["field"] == "地点"


def test_article_marks_the_figure_the_reader_came_from(period_db, monkeypatch):
    con = store.open_reader(period_db)
    article_id, fact_id = con.execute(
        "SELECT article_id, fact_id FROM facts_current WHERE county = '冠县' AND metric = '项目投资额'"
    ).fetchone()
    con.close()
    at = open_app(period_db, monkeypatch, "article",
                  {"article": article_id, "fact": fact_id, "city": "聊城市"})
    assert any("你从这条数据来" in i.value and "冠县" in i.value for i in at.info)
    assert '<mark class="fact" title="【你从这条数据来】' in "".join(m.value for m in at.markdown)
    assert at.query_params["city"] in ("聊城市", ["聊城市"])
