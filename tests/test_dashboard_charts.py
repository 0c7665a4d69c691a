"""Charts are plain functions: a frame in, a plotly figure out, each bar carrying what a click filters."""

from __future__ import annotations

import datetime as dt

import pandas as pd

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


def rows(values, cities, counties, dates, unit="个"):
    return pd.DataFrame({
        "value": values, "unit": unit, "city": cities, "county": counties,
        "published_date": pd.to_datetime(dates), "published": dates, "period_year": 2020,
        "fact_id": [f"f{i}" for i in range(len(values))],
    })


def test_latest_per_place_takes_each_citys_newest_report_not_a_sum():
    frame = rows([120, 150, 90], ["聊城市", "聊城市", "淄博市"], ["", "", ""],
                 ["2020-05-01", "2020-06-01", "2020-05-02"])
    latest = series.latest_per_place(frame)
    assert dict(zip(latest["city"], latest["value"], strict=True)) == {"聊城市": 150, "淄博市": 90}


def test_metric_charts_scale_money_to_wan():
    frame = rows([34_780_000.0, 9_500_000.0], ["聊城市", "淄博市"], ["", ""], ["2020-06-01", "2020-06-02"],
                 unit="元")
    fig = charts.metric_by_place(series.latest_per_place(frame), "元")
    assert fig.layout.xaxis.title.text == "万元"
    assert "3,478万元" in list(fig.data[0].text)
    over_time = charts.metric_over_time(frame, "元")
    assert {t.name for t in over_time.data} == {"聊城市", "淄博市"}
