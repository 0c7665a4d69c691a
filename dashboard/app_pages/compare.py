"""对比: two to four places side by side over the periods their figures cover (small multiples).

One metric, unit and kind (``?show=…``), the places in the URL (``?place=聊城市&place=淄博市``); each
place gets its own small chart on the same scale, periods in order, so differences read at a glance
without lines crossing. Cities are compared at city level (own figures, or labelled county sums);
with one city chosen in the filters, its counties.
"""

from __future__ import annotations

import streamlit as st

from dashboard import auth, charts, filters, metric_choice, queries, series

auth.require_role("viewer")
current = filters.current()
st.title("对比")

top = st.columns([2, 2])
choice = metric_choice.pick_metric(current, "compare_metric", container=top[0])
if choice is None:
    st.info("没有落到具体城市或县区的指标数据：请放宽左侧的筛选条件，或导入更多版面。")
    st.stop()
metric, unit, kind = choice
city = current.cities[0] if len(current.cities) == 1 else ""
rows = queries.place_periods(current, (metric,), unit, (kind,))
level = "county" if city and (rows["level"] == "county").any() else "city"
figures = series.place_figures(rows, level, city)
if figures.empty:
    st.info(f"「{metric}」没有可对比的{'县区' if level == 'county' else '市'}数据：请换一个指标。")
    st.stop()
by_reports = figures.groupby("place")["period_order"].nunique().sort_values(ascending=False)
places = filters.url_multiselect("对比的地方（2–4个）", list(by_reports.index), param="place",
                                 key="compare_places",
                                 default=list(by_reports.index[:3]), container=top[1], max_selections=4,
                                 placeholder="选择2–4个地方")
if len(places) < 2:
    st.info("请选择至少两个地方。")
    st.stop()
chosen = figures[figures["place"].isin(places)]
chosen = chosen[chosen["period_label"] != "时期不详"]
st.caption("每个地方一张小图，纵轴刻度相同；横轴为数据所属时期。")
st.altair_chart(charts.small_multiples(chosen, metric, unit), width="content")
