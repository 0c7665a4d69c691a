"""总览: cards, figures by city / month / initiative, and a map of the home province's cities.

Every chart counts figures (the one total that mixes no units) under the sidebar's filters;
clicking a bar or a city narrows the filters to it, and so the URL and every other page.
"""

from __future__ import annotations

import streamlit as st

from dashboard import auth, charts, filters, queries
from dashboard.formatting import format_count, format_date
from dashboard.geo import home_province, province_geojson
from dashboard.initiatives import label_of

auth.require_role("viewer")


current = filters.current()
st.title("总览")
kpis = queries.kpis(current)
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

st.caption("图中为数据条数（不同单位的数值从不相加）。点击柱形或地图上的城市，可按其筛选。")
cities = queries.by_city(current)
left, right = st.columns([3, 2])
with left:
    province = home_province()
    geo = province_geojson(province)
    if geo:
        filters.clickable_chart(charts.city_map(cities, geo), "overview_map", "cities")
    else:
        st.info(f"缺少{province}的地图（dashboard/data/china_cities.geojson）：请重新安装本程序。")
with right:
    filters.clickable_chart(charts.by_city(cities), "overview_city", "cities")

left, right = st.columns(2)
with left:
    months = queries.by_month(current)
    if months.empty:
        st.info("这些数据所在文章的刊发日期都不详，无法按月份统计。")
    else:
        filters.clickable_chart(charts.by_month(months), "overview_month", "month")
with right:
    by_initiative = charts.by_initiative(queries.by_initiative(current), label=label_of)
    filters.clickable_chart(by_initiative, "overview_initiative", "initiatives")
