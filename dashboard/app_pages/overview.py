"""总览: what the figures say — each initiative's headline metric by city, and a map of one metric.

Per initiative, its first canonical metric (taxonomy order) that cities reported, by city for the
latest period (city-level figures, or labelled sums of counties of one period); the map shades the
16 cities by one chosen metric and period (``?show=…&period=…``), not by numbers of rows. Clicking a
bar or a city narrows the filters to it, and so the URL and every other page; with one city chosen,
a link leads to its counties (县区). Counts of pages and figures stay in the cards, as the coverage
of the data (数据浏览 lists the figures themselves).
"""

from __future__ import annotations

import streamlit as st

from dashboard import auth, charts, filters, metric_choice, queries, series
from dashboard.formatting import format_count, format_date
from dashboard.geo import home_province, province_geojson
from dashboard.initiatives import initiatives

auth.require_role("viewer")

_KINDS = ("stock", "flow", "rate", "duration", "")
_HEADLINES = 6

current = filters.current()
st.title("总览")
items = [i for i in initiatives() if i.key != "other" and i.metrics]
names = tuple(dict.fromkeys(m.name for i in items for m in i.metrics))
# The cards, every canonical metric's figures (the headlines, and the map when its metric is one of
# them) and the map's metric list, asked at once (``queries.together``): one pass each, side by side.
kpis, place_periods, _ = queries.together(lambda: queries.kpis(current),
                                          lambda: queries.place_periods(current, names, kinds=_KINDS),
                                          lambda: metric_choice.available(current))
cards = st.columns([1, 1, 1, 1, 2])
cards[0].metric("版面", format_count(kpis["pages"], "个"))
cards[1].metric("文章", format_count(kpis["articles"], "篇"))
cards[2].metric("数据", format_count(kpis["facts"], "条"))
cards[3].metric("涉及城市", format_count(kpis["cities"], "个"), help="各地市；全省、全国数据不计在内")
cards[4].metric("最新刊发", format_date(kpis["latest"]) if kpis["latest"] else "日期不详")

if kpis["facts"] == 0:
    if current.is_empty():
        st.info("数据库里还没有数据：请到「导入」页上传报纸版面（.txt 或 .html）。")
    else:
        st.info("没有符合当前筛选条件的数据：请放宽左侧的筛选条件，或点「清除筛选」。")
    st.stop()

if len(current.cities) == 1:
    st.page_link("app_pages/county.py", label=f"查看{current.cities[0]}各县区排名与地图",
                 icon=":material/arrow_forward:")

canonical = series.city_figures(place_periods)

# ---- the map: one metric, one period -----------------------------------------------------------
st.subheader("地图：一个指标、一个时期")
left, right = st.columns([1, 1])
choice = metric_choice.pick_metric(current, "overview_metric", container=left)
if choice is None:
    st.info("这些数据还没有落到具体城市的指标，无法上图。")
else:
    metric, unit, kind = choice
    if metric in names and kind in _KINDS:
        figures = canonical[(canonical["metric"] == metric) & (canonical["unit"] == unit)
                            & (canonical["kind"] == kind)]
    else:
        figures = series.city_figures(queries.place_periods(current, (metric,), unit, (kind,)))
    period = metric_choice.pick_period(series.periods(figures), "overview_period", container=right)
    chosen = series.in_period(figures, period)
    province = home_province()
    geo = province_geojson(province)
    if not geo:
        st.info(f"缺少{province}的地图（dashboard/data/china_cities.geojson）：请重新安装本程序。")
    else:
        st.caption(f"颜色越深，{metric}越大；灰色为该时期没有市级数据（或可相加的县区数据）的城市。点击城市可按其筛选。")
        filters.clickable_chart(charts.value_map(chosen, geo, metric, unit, f"各市{metric} · {period}"),
                                "overview_map", "cities")

# ---- each initiative's headline metric ---------------------------------------------------------
st.subheader("各领域核心指标（各市最新时期）")
figures = canonical
counts = figures.groupby(["metric", "unit", "kind"]).size() if len(figures) else None
shown = 0
columns = st.columns(2)
for item in items:
    if shown >= _HEADLINES or counts is None:
        break
    for metric in item.metrics:
        kinds = [(n, k) for (m, u, k), n in counts.items() if (m, u) == (metric.name, metric.unit)]
        if not kinds:
            continue
        kind = max(kinds)[1]  # the kind most cities reported
        mine = figures[(figures["metric"] == metric.name) & (figures["unit"] == metric.unit)
                       & (figures["kind"] == kind)]
        period = series.latest_period(mine)
        with columns[shown % 2]:
            fig = charts.metric_by_place(series.in_period(mine, period), metric.name, metric.unit,
                                         f"{item.label} · {metric.name} · {period}")
            filters.clickable_chart(fig, f"overview_headline_{item.key}", "cities")
        shown += 1
        break
if not shown:
    st.info("各领域的核心指标还没有市级数据。")

