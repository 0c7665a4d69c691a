"""导入: upload newspaper pages (.txt/.html), with a progress bar and what each file gave.

Each file goes through ``dashboard.importing`` (checked, then stored whole or not at all); the
cached query results are cleared afterwards so every page shows the new figures.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import auth, importing, queries

_REPORT = "upload_report"

auth.require_role("editor")
st.title("导入版面")
st.markdown("上传报纸版面的文字文件（.txt 或 .html，编码不限，简体繁体均可）。同一版面重复上传不会重复计数。")

with st.form("upload_form", clear_on_submit=True, border=True):
    files = st.file_uploader("选择版面文件（可多选）", type=["txt", "html", "htm"],
                             accept_multiple_files=True, help="每个文件一个版面；单个文件不超过 20 MB")
    left, right = st.columns(2)
    edition_date = left.date_input(
        "版面日期（可不填）", value=None, min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31),
        format="YYYY-MM-DD", key="upload_date",
        help="这些文件的刊发日期；填了就以它为准，不填则从文件名、网页信息或正文推断")
    paper = right.text_input("报纸名称（可不填）", key="upload_paper", placeholder="例如：聊城日报",
                             help="这些文件来自哪家报纸或网站；不填则从文中的“来源”等信息读出")
    submitted = st.form_submit_button("开始导入", type="primary", icon=":material/upload:")

if submitted:
    if not files:
        st.warning("还没有选择文件：请先选择要导入的版面文件。")
    else:
        bar = st.progress(0.0, text="正在导入…")

        def step(done: int, total: int, name: str) -> None:
            bar.progress(done / total, text=f"已处理 {done}/{total}：{name}")

        report = importing.import_uploads([(f.name, f.getvalue()) for f in files], queries.db_path(), step,
                                          edition_date=edition_date, paper=paper)
        bar.empty()
        queries.clear()
        st.session_state[_REPORT] = report

report = st.session_state.get(_REPORT)
if report is not None and not report.empty:
    ok = int((report["结果"] == importing.STATUS["ok"]).sum())
    failed = int((report["结果"] == importing.STATUS["error"]).sum())
    articles, figures = int(report["文章"].sum()), int(report["数据"].sum())
    summary = f"导入完成：新版面 {ok} 个，文章 {articles} 篇，数据 {figures:,} 条"
    (st.warning if failed else st.success)(summary + (f"；{failed} 个文件出错，见下表说明" if failed else ""))
    st.dataframe(report, hide_index=True, width="stretch")
