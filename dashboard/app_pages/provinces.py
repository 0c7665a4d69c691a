"""外省对比: the same metric for other provinces' places beside the home province's own.

Other provinces' figures (a 甘肃日报 page, a Shandong paper on 重庆奉节) never go on the home map;
here they stand beside the home province's rows, one metric at a time, under the sidebar's filters.
"""

from __future__ import annotations

import streamlit as st

from dashboard import auth, filters, geo, queries

auth.require_role("viewer")
current = filters.current()
home = geo.home_province()
st.title("外省对比")
# Which metrics other provinces report, counted in the store; then the rows of the one chosen only
# (never every figure into memory: a million of them took 12 s and a gigabyte).
metrics = geo.metrics_elsewhere(queries.province_metrics(current), home)
if not metrics:
    st.info(f"当前筛选条件下没有{home}以外的数据：导入外省报纸（如河北日报、甘肃日报）的版面后，可在此对比。")
    st.stop()
metric = st.selectbox("指标", metrics, key="provinces_metric",
                      help="只列出有外省数据的指标；本省也有数据的排在前面")
table = geo.compare_provinces(queries.province_rows(current, metric), home, metric)
st.caption(f"本省：{home}。同一指标，按省份、年份并列；不同单位的数值不相加。")
left, right = st.columns(2)
with left:
    st.subheader(f"本省（{home}）")
    mine = table[table["本省/外省"] == "本省"].drop(columns=["本省/外省"])
    if mine.empty:
        st.info(f"{home}暂无该指标的数据。")
    else:
        st.dataframe(mine, hide_index=True, width="stretch", key="provinces_home")
with right:
    st.subheader("外省")
    st.dataframe(table[table["本省/外省"] == "外省"].drop(columns=["本省/外省"]), hide_index=True,
                 width="stretch", key="provinces_other")
