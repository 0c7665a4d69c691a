"""数据浏览: the filtered figures with their source sentences, and downloads of exactly those rows.

The table shows the newest rows (a browser cannot show a million); the CSV and XLSX hold every
filtered row and are built only when their button is clicked.
"""

from __future__ import annotations

import functools

import streamlit as st

from dashboard import auth, downloads, filters, queries, tables
from dashboard.initiatives import label_of

SHOWN = 2_000

auth.require_role("viewer")
current = filters.current()
st.title("数据浏览")
total = queries.count(current)
if total == 0:
    if current.is_empty():
        st.info("数据库里还没有数据：请到「导入」页上传报纸版面。")
    else:
        st.info("没有符合当前筛选条件的数据：请放宽左侧的筛选条件，或点「清除筛选」。")
    st.stop()

shown = min(total, SHOWN)
note = f"共 {total:,} 条数据"
if total > SHOWN:
    note += f"，表格显示最新的 {shown:,} 条，下载包含全部 {total:,} 条"
st.caption(note + "。点「查看原文」在本页打开数据所在的文章，筛选条件保留。")

con = queries.connection()
span = queries.options()
here = st.context.url if isinstance(st.context.url, str) else ""
left, right, _ = st.columns([1, 1, 4])
left.download_button(
    "下载 CSV", data=functools.partial(downloads.csv_bytes, con, current, label_of, here),
    file_name=downloads.file_name(current, ".csv", span.first_date, span.last_date), mime="text/csv",
    icon=":material/download:", help="中文表头，UTF-8（带 BOM）编码，Excel 可直接打开",
    on_click="ignore", key="download_csv",
)
right.download_button(
    "下载 Excel", data=functools.partial(downloads.xlsx_bytes, con, current, label_of, here),
    file_name=downloads.file_name(current, ".xlsx", span.first_date, span.last_date),
    icon=":material/download:", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    help="三个工作表：数据（表头冻结、可筛选）、来源文章、筛选条件与列说明", on_click="ignore",
    key="download_xlsx",
)

rows = queries.facts(current, limit=SHOWN)
tables.article_table(tables.display_frame(rows, label=label_of),
                     list(zip(rows["article_id"], rows["fact_id"], strict=True)), key="explore_table",
                     filters=current, column_config=tables.COLUMN_CONFIG, width="stretch", height=640)
