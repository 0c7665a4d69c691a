"""县区: one city's counties ranked on one metric for one period, on a county map, each with its source.

With one city chosen (the sidebar, a click on 总览's map, or ``?city=聊城市``) this page shows the
county-level figures only — a county's own report, never its city's total — ranked, and drawn on
the city's county outlines (``county_geo``). Clicking a county's bar or area narrows the filters to
it; each ranked county links to its 原文 in the same tab, the filters kept and the figure marked.
"""

from __future__ import annotations

import dataclasses
import html

import streamlit as st

from dashboard import auth, charts, filters, metric_choice, queries, series
from dashboard.county_geo import city_counties
from dashboard.formatting import format_date, format_exact, format_quantity
from dashboard.tables import article_link

auth.require_role("viewer")
current = filters.current()
st.title("县区")



def _pick_city() -> None:
    filters.narrow("cities", st.session_state.get("county_city_pick") or "")


options = queries.options()
if len(current.cities) != 1:
    st.info("请先选一个城市：在左侧「城市」里选，或在「总览」地图上点击城市。")
    picks = [c for c in options.cities if (options.counties or {}).get(c)]
    if picks:
        st.selectbox("选择城市", picks, index=None, placeholder="选择一个有县区数据的城市",
                     key="county_city_pick", on_change=_pick_city)
    st.stop()

city = current.cities[0]
st.caption(f"{city}各县（市、区）自己的数据：县区数值从不代表全市，市的总数也不摊到县区。")
# The county filter narrows the rows below, not the ranking: the ranking compares all of the city's counties.
scope = dataclasses.replace(current, counties=())
left, right = st.columns(2)
choice = metric_choice.pick_metric(scope, "county_metric", container=left)
if choice is None:
    st.info(f"{city}还没有落到县区的指标数据。")
    st.stop()
metric, unit, kind = choice
figures = series.county_figures(queries.place_periods(scope, (metric,), unit, (kind,)), city)
period = metric_choice.pick_period(series.periods(figures), "county_period", container=right)
if not period:
    st.info(f"{city}各县区没有「{metric}」的数据：请换一个指标。")
    st.stop()
ranked = series.in_period(figures, period)

chart_col, map_col = st.columns([3, 2])
with chart_col:
    fig = charts.metric_by_place(ranked, metric, unit, f"{city}各县区{metric}排名 · {period}")
    filters.clickable_chart(fig, "county_ranking", "counties")
with map_col:
    geo = city_counties(city)
    if geo.get("features"):
        filters.clickable_chart(charts.value_map(ranked, geo, metric, unit, f"{city}县区地图 · {period}"),
                                "county_map", "counties")
    else:
        st.info(f"没有{city}的县区地图（只附带山东省各县区的轮廓）。")

st.markdown(f"**{city}各县区{metric}排名 · {period}**（点「原文」在本页打开数据所在文章）")
lines = ["<table class='county-rank'><thead><tr><th>名次</th><th>县（市、区）</th><th>数值</th>"
         "<th>精确值</th><th>刊发日期</th><th>原文</th></tr></thead><tbody>"]
for n, r in enumerate(ranked.itertuples(index=False), start=1):
    link = article_link(r.article_id, r.fact_id, current)
    lines.append(
        f"<tr><td>{n}</td><td>{html.escape(r.county)}</td>"
        f"<td>{html.escape(format_quantity(r.value, unit))}</td>"
        f"<td>{html.escape(format_exact(r.value, unit))}</td><td>{html.escape(format_date(r.published))}</td>"
        f"<td><a href='{html.escape(link, quote=True)}' target='_self'>原文</a></td></tr>")
lines.append("</tbody></table>")
st.markdown("<style>table.county-rank{width:100%;border-collapse:collapse}"
            "table.county-rank td,table.county-rank th{padding:.3em .6em;border-bottom:1px solid #e6e1d8;"
            "text-align:left}</style>" + "".join(lines), unsafe_allow_html=True)
