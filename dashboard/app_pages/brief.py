"""简报: the sidebar's current view as one page to print or send — HTML (A4), PDF and chart images.

The page shows the brief as it will print (title, filters, date, headline numbers, charts,
sources); the files are built only when their button is clicked, offline, by ``dashboard.brief``.
"""

from __future__ import annotations

import datetime as dt
import functools

import streamlit as st

from dashboard import auth, brief, campaign_queries, filters, queries
from dashboard.formatting import format_date
from dashboard.initiatives import label_of
from dashboard.safe_text import escape_markdown, safe_filename


def _title(current: filters.Filters) -> str:
    scope = [*current.cities, *current.counties, *(label_of(k) for k in current.initiatives),
             *current.campaigns]
    return "攻坚看板简报" + (f" · {'、'.join(scope[:4])}" if scope else "")


def brief_data(current: filters.Filters) -> brief.BriefData:
    """Everything the brief prints, its six questions asked side by side (``queries.together``)."""
    by_initiative, campaigns, kpis, by_city, by_month, sources = queries.together(
        lambda: queries.by_initiative(current), lambda: campaign_queries.campaign_articles(current),
        lambda: queries.kpis(current), lambda: queries.by_city(current),
        lambda: queries.by_month(current), lambda: queries.sources(current))
    return brief.BriefData(
        title=_title(current), filters=current.describe(label_of), generated=dt.date.today(),
        kpis=kpis, by_city=by_city, by_month=by_month,
        by_initiative=by_initiative.assign(label=[label_of(k) for k in by_initiative["initiative"]]),
        sources=sources,
        campaigns=campaigns,
    )


def _html_bytes(data: brief.BriefData) -> bytes:
    svgs = {name: brief.chart_svg(chart) for name, chart in brief.charts(data).items()}
    return brief.brief_html(data, svgs).encode("utf-8")


def render() -> None:
    auth.require_role("viewer")
    current = filters.current()
    data = brief_data(current)
    st.title("简报")
    if data.kpis["facts"] == 0:
        st.info("没有符合当前筛选条件的数据：请放宽左侧的筛选条件，或先到「导入」页上传版面。")
        return
    if brief.cjk_font_dir() is None:
        st.warning(brief.FONT_MISSING)
    name = safe_filename(data.title, default="简报")
    left, middle, _ = st.columns([1, 1, 2])
    left.download_button("下载简报 HTML", data=functools.partial(_html_bytes, data),
                         file_name=f"{name}.html", mime="text/html", on_click="ignore",
                         icon=":material/print:", key="brief_html",
                         help="A4 页面：用浏览器打开后按 Ctrl+P 打印，纸张选 A4")
    middle.download_button("下载简报 PDF", data=functools.partial(brief.brief_pdf, data),
                           file_name=f"{name}.pdf", mime="application/pdf", on_click="ignore",
                           icon=":material/picture_as_pdf:", key="brief_pdf")
    st.header(escape_markdown(data.title))
    st.caption(escape_markdown(f"筛选条件：{brief.filter_line(data.filters)}"))
    st.caption(escape_markdown(f"生成日期：{format_date(data.generated)}"))
    st.markdown(escape_markdown(brief.kpi_line(data.kpis)))
    figures = brief.charts(data)
    columns = st.columns(2)
    for i, (title, chart) in enumerate(figures.items()):
        with columns[i % 2]:
            # The chart's own height plus its title and axis, so every label has room (read off the
            # chart: its to_dict() validates the whole spec, a tenth of a second per rerun).
            st.altair_chart(brief.configured(chart), key=f"brief_chart_{i}", width="stretch",
                            height=int(chart.height) + 90)
            png, svg, _ = st.columns([1, 1, 2])
            png.download_button("PNG", data=functools.partial(brief.chart_png, chart),
                                file_name=f"{title}.png", mime="image/png", on_click="ignore",
                                key=f"brief_png_{i}",
                                icon=":material/image:")
            svg.download_button("SVG", data=functools.partial(brief.chart_svg, chart),
                                file_name=f"{title}.svg", mime="image/svg+xml", on_click="ignore",
                                key=f"brief_svg_{i}",
                                icon=":material/image:")
    st.subheader("来源文章")
    st.markdown("\n".join(f"1. {escape_markdown(line)}" for line in brief.source_lines(data.sources)))
    st.caption("数据由攻坚看板从报纸版面和网络文章中自动提取，引用前请核对原文。")


render()
