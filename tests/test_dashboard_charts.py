"""Charts are plain functions: a frame in, a plotly figure out, each bar carrying what a click filters."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from dashboard import charts, series
from dashboard.geo import city_names, shandong_geojson

SHANDONG = ["济南市", "青岛市", "淄博市", "枣庄市", "东营市", "烟台市", "潍坊市", "济宁市",
            "泰安市", "威海市", "日照市", "临沂市", "德州市", "聊城市", "滨州市", "菏泽市"]


def test_by_city_bars_carry_their_city():
    fig = charts.by_city(pd.DataFrame({"city": ["聊城市", "淄博市"], "figures": [107, 34]}))
    assert list(fig.data[0].customdata) == ["淄博市", "聊城市"]
    assert list(fig.data[0].x) == [34, 107]


def test_by_month_labels_months_in_chinese_and_keeps_the_date_for_the_click():
    months = pd.DataFrame({"month": [dt.date(2020, 5, 1), dt.date(2020, 6, 1)], "figures": [3, 4]})
    fig = charts.by_month(months)
    assert list(fig.data[0].x) == ["2020年5月", "2020年6月"]
    assert list(fig.data[0].customdata) == ["2020-05-01", "2020-06-01"]


def test_by_initiative_shows_labels_and_keeps_keys():
    frame = pd.DataFrame({"initiative": ["poverty"], "figures": [5]})
    fig = charts.by_initiative(frame, label={"poverty": "脱贫攻坚"}.get)
    assert list(fig.data[0].y) == ["脱贫攻坚"] and list(fig.data[0].customdata) == ["poverty"]


def test_the_shipped_map_has_shandongs_16_cities():
    assert sorted(city_names()) == sorted(SHANDONG)


def test_city_map_draws_every_city_and_a_clickable_dot_each():
    fig = charts.city_map(pd.DataFrame({"city": ["聊城市", "全国"], "figures": [107, 9]}), shandong_geojson())
    outlines, dots = fig.data[:-1], fig.data[-1]
    assert len(outlines) == 16
    assert sorted(dots.customdata) == sorted(SHANDONG)
    liaocheng = next(t for t in outlines if t.name == "聊城市")
    jinan = next(t for t in outlines if t.name == "济南市")
    assert liaocheng.fillcolor != jinan.fillcolor == charts.EMPTY_FILL


def place_rows(values, cities, counties, years, unit="个", kind="flow"):
    return pd.DataFrame({
        "metric": "项目数", "value": values, "unit": unit, "kind": kind, "city": cities, "county": counties,
        "level": ["county" if c else "city" for c in counties], "period_year": years,
        "first_month": 0, "last_month": 0, "published": [f"{y + 1}-03" for y in years],
        "published_date": pd.to_datetime([f"{y + 1}-03-01" for y in years]),
        "article_id": [f"a{i}" for i in range(len(values))], "fact_id": [f"f{i}" for i in range(len(values))],
        "reports": 1,
    })


def test_latest_per_place_takes_each_citys_newest_period_not_a_sum():
    frame = place_rows([120, 150, 90], ["聊城市", "聊城市", "淄博市"], ["", "", ""], [2019, 2020, 2019])
    latest = series.latest_per_place(series.city_figures(frame))
    assert dict(zip(latest["city"], latest["value"], strict=True)) == {"聊城市": 150, "淄博市": 90}


def test_metric_charts_scale_money_to_wan_and_name_the_axis_in_words():
    frame = place_rows([34_780_000.0, 9_500_000.0], ["聊城市", "淄博市"], ["", ""], [2020, 2020], unit="元")
    figures = series.city_figures(frame)
    fig = charts.metric_by_place(series.latest_per_place(figures), "技改投资", "元")
    assert fig.layout.xaxis.title.text == "技改投资（万元）"
    assert "3,478万元 · 2020年" in list(fig.data[0].text)
    over_time = charts.metric_over_time(figures, "技改投资", "元")
    assert {t.name for t in over_time.data} == {"聊城市", "淄博市"}
    assert list(over_time.layout.xaxis.tickvals) == ["2020年"]


def test_targets_are_drawn_apart_with_their_completion_rate():
    results = series.city_figures(place_rows([80.0], ["聊城市"], [""], [2020]))
    goals = series.city_figures(place_rows([100.0], ["聊城市"], [""], [2020], kind="target"))
    fig = charts.metric_over_time(results, "项目数", "个", goals)
    names = [t.name for t in fig.data]
    assert names == ["聊城市", "聊城市（目标）"]
    assert "完成率 80%" in fig.data[0].hovertext[0]
    assert fig.data[1].marker.symbol == "diamond-open"


def test_whole_units_never_get_fractional_ticks():
    figures = series.city_figures(place_rows([3.0, 5.0], ["聊城市", "淄博市"], ["", ""], [2020, 2020]))
    fig = charts.metric_by_place(figures, "项目数", "个")
    assert fig.layout.xaxis.tickformat == ",d" and fig.layout.xaxis.dtick == 1


def test_value_map_shades_by_the_metric_and_says_the_exact_value():
    figures = series.city_figures(place_rows([157_641.0], ["淄博市"], [""], [2019], unit="人", kind="stock"))
    fig = charts.value_map(figures, shandong_geojson(), "脱贫人口", "人")
    zibo = next(t for t in fig.data if t.name == "淄博市")
    assert zibo.text.startswith("淄博市：15.76万人（157,641人）")
    assert next(t for t in fig.data if t.name == "济南市").fillcolor == charts.EMPTY_FILL


def test_ranking_and_small_multiples_are_altair_charts_in_chinese():
    figures = series.city_figures(place_rows([3.0, 5.0, 4.0], ["聊城市", "淄博市", "聊城市"], ["", "", ""],
                                             [2019, 2019, 2020]))
    spec = charts.ranking(series.in_period(figures, "2019年"), "项目数", "个", "2019年").to_dict()
    assert spec["title"] == "项目数 · 2019年 排名"
    multiples = charts.small_multiples(figures, "项目数", "个").to_dict()
    assert multiples["facet"]["field"] == "地点"


def _sample_charts():
    """Each plotly builder with a frame as the pages give it (a city map, a county sum, targets)."""
    rows = place_rows([34_780_000.0, 9_500_000.0, 120.0], ["聊城市", "淄博市", "聊城市"], ["", "", "冠县"],
                      [2020, 2020, 2019], unit="元")
    figures = series.city_figures(rows)
    goals = series.city_figures(place_rows([100.0], ["聊城市"], [""], [2020], kind="target"))
    months = pd.DataFrame({"month": [dt.date(2020, 5, 1), dt.date(2020, 6, 1)], "figures": [3, 4]})
    return {
        "by_city": charts.by_city(pd.DataFrame({"city": ["聊城市", "淄博市"], "figures": [107, 34]})),
        "by_month": charts.by_month(months),
        "by_initiative": charts.by_initiative(pd.DataFrame({"initiative": ["poverty"], "figures": [5]}),
                                              label={"poverty": "脱贫攻坚"}.get),
        "city_map": charts.city_map(pd.DataFrame({"city": ["聊城市"], "figures": [107]}), shandong_geojson()),
        "value_map": charts.value_map(series.in_period(figures, "2020年"), shandong_geojson(), "技改投资",
                                      "元"),
        "metric_by_place": charts.metric_by_place(series.latest_per_place(figures), "技改投资", "元"),
        "metric_over_time": charts.metric_over_time(figures, "技改投资", "元", goals),
    }


@pytest.mark.parametrize("name", list(_sample_charts()))
def test_every_chart_is_a_figure_plotly_itself_accepts(name):
    """The builders skip plotly's checks for speed (charts._figure); plotly, checking, must agree.

    A misspelt property (``hovertemplte``) or a wrong value (``orientation="x"``) fails here.
    """
    import plotly.graph_objects as go
    import plotly.io as pio

    fig = _sample_charts()[name]
    checked = go.Figure(fig.to_dict())  # validates every property and value, raising on any unknown
    assert json.loads(pio.to_json(checked)) == json.loads(pio.to_json(fig))


def test_maps_reuse_their_outlines_but_never_share_colours_between_calls():
    zibo_only = series.city_figures(place_rows([5.0], ["淄博市"], [""], [2020]))
    few = charts.value_map(zibo_only, shandong_geojson(), "项目数", "个")
    none = charts.value_map(zibo_only.iloc[0:0], shandong_geojson(), "项目数", "个")
    zibo = [next(t for t in fig.data if t.name == "淄博市") for fig in (few, none)]
    assert zibo[0].fillcolor != zibo[1].fillcolor == charts.EMPTY_FILL
    assert list(zibo[0].x) == list(zibo[1].x) and set(zibo[0].customdata) == {"淄博市"}


@pytest.mark.parametrize(("year", "first", "last", "label"), [
    (2020, 0, 0, "2020年"), (2020, 1, 5, "2020年1–5月"), (2020, 3, 3, "2020年3月"),
    (2019, 0, 12, "2019年12月"), (None, 1, 5, "时期不详"), (None, 0, 0, "时期不详"),
])
def test_each_row_is_labelled_with_the_period_it_covers(year, first, last, label):
    rows = place_rows([1.0, 2.0, 3.0], ["聊城市", "淄博市", "聊城市"], ["", "", ""], [2018, 2018, 2018])
    rows["period_year"] = rows["period_year"].astype(float)
    rows.loc[1, ["period_year", "first_month", "last_month"]] = [year, first, last]
    labelled = series.with_periods(rows)
    assert list(labelled["period_label"]) == ["2018年", label, "2018年"]
