"""排名: places ranked on one metric for one period — cities, or the counties of the chosen cities.

Only figures of one metric, unit, kind and period are ranked (``?show=…&period=…&level=…``): a
city's own figure or, labelled, the sum of its counties for that same period; counties with their
own reports. The chart is altair (a static, printable ranking); the table below gives each figure's
exact value and a link to its 原文.
"""

from __future__ import annotations

import streamlit as st

from dashboard import auth, charts, filters, metric_choice, queries, series, tables
from dashboard.formatting import format_date, format_exact, format_quantity

auth.require_role("viewer")
current = filters.current()
st.title("排名")

LEVELS = {"city": "各市", "county": "各县（市、区）"}
top = st.columns([2, 1, 1])
choice = metric_choice.pick_metric(current, "ranking_metric", container=top[0])
if choice is None:
    st.info("没有落到具体城市或县区的指标数据：请放宽左侧的筛选条件，或导入更多版面。")
    st.stop()
metric, unit, kind = choice
level = filters.url_selectbox("比较", list(LEVELS), param="level", key="ranking_level", container=top[2],
                              format_func=LEVELS.get)
city = current.cities[0] if len(current.cities) == 1 else ""
figures = series.place_figures(queries.place_periods(current, (metric,), unit, (kind,)), level, city)
period = metric_choice.pick_period(series.periods(figures), "ranking_period", container=top[1])
if not period:
    other = LEVELS["city" if level == "county" else "county"]
    st.info(f"「{metric}」没有{LEVELS[level]}的数据：请换一个指标，或改为比较{other}。")
    st.stop()
ranked = series.in_period(figures, period)
st.caption(f"{len(ranked)}个地方报道了{period}的{metric}。市的数值为市级数据，或标明为各县区同一时期之和。")
st.altair_chart(charts.ranking(ranked, metric, unit, period), width="stretch")
table = ranked.assign(
    名次=range(1, len(ranked) + 1), 地点=ranked["label"],
    数值=[format_quantity(v, unit) for v in ranked["value"]],
    精确值=[format_exact(v, unit) for v in ranked["value"]],
    来源=ranked["source"], 刊发日期=[format_date(d) for d in ranked["published"]],
    原文=tables.OPEN_ARTICLE,
)[["名次", "地点", "数值", "精确值", "来源", "刊发日期", "原文"]]
tables.article_table(table, list(zip(ranked["article_id"], ranked["fact_id"], strict=True)),
                     key="ranking_table", filters=current, width="stretch",
                     column_config={"精确值": st.column_config.TextColumn("精确值", width="medium")})
