"""简报 without a browser: the A4 HTML page, the PDF and the chart images carry Chinese text."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from dashboard import brief

DATA = brief.BriefData(
    title="攻坚看板简报 · 聊城市",
    filters={"城市": "聊城市", "县（市、区）": "全部", "攻坚领域": "全部", "起始日期": "不限"},
    generated=dt.date(2024, 10, 28),
    kpis={"pages": 14, "articles": 31, "facts": 212, "cities": 1, "latest": "2024-08"},
    by_city=pd.DataFrame({"city": ["聊城市", "未定位"], "figures": [212, 3]}),
    by_month=pd.DataFrame({"month": pd.to_datetime(["2023-02-01", "2024-08-01"]), "figures": [40, 12]}),
    by_initiative=pd.DataFrame({"initiative": ["poverty"], "label": ["脱贫攻坚"], "figures": [50]}),
    sources=pd.DataFrame({"title": ["落实“三提三敢” 争当行动标兵", "<script>alert(1)</script>"],
                          "published": ["2023-02-10", "2024-08"],
                          "doc": ["002_1b9743f1e9e56b57.txt", "x.txt"]}),
    campaigns=pd.DataFrame({"name": ["三提三敢", "双招双引"], "articles": [3, 7]}),
)

needs_fonts = pytest.mark.skipif(brief.cjk_font_dir() is None,
                                 reason="fonts-noto-cjk is not installed (apt-get install fonts-noto-cjk)")


def test_the_lines_of_the_brief_say_only_what_is_narrowed():
    assert brief.filter_line(DATA.filters) == "城市：聊城市"
    assert brief.filter_line({"城市": "全部"}) == "全部数据（未筛选）"
    assert brief.kpi_line(DATA.kpis) == ("版面 14 个 · 文章 31 篇 · 数据 212 条 · 涉及城市 1 个 · "
                                         "最新刊发 2024年8月")
    assert brief.source_lines(DATA.sources)[0] == ("落实“三提三敢” 争当行动标兵"
                                                   "（2023年2月10日，002_1b9743f1e9e56b57.txt）")


def test_the_brief_has_a_chart_per_view_named_in_chinese():
    assert list(brief.charts(DATA)) == ["各市数据条数", "每月数据条数", "各攻坚领域数据条数",
                                        "攻坚行动见报文章"]


def test_the_html_page_is_a4_with_title_filters_date_charts_and_escaped_sources():
    page = brief.brief_html(DATA, {"各市数据条数": "<svg><text>聊城市</text></svg>"})
    assert "@page { size: A4" in page
    assert "<h1>攻坚看板简报 · 聊城市</h1>" in page and "筛选条件：城市：聊城市" in page
    assert "生成日期：2024年10月28日" in page and "<svg><text>聊城市</text></svg>" in page
    assert "<script>" not in page and "&lt;script&gt;" in page


@needs_fonts
def test_the_pdf_embeds_a_chinese_font_and_the_images_render():
    pdf = brief.brief_pdf(DATA)
    assert pdf.startswith(b"%PDF")
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]+\+([A-Za-z-]+)", pdf))
    assert any(f.startswith(b"NotoSansCJK") for f in fonts), fonts
    chart = brief.charts(DATA)["各市数据条数"]
    png = brief.chart_png(chart)
    assert png.startswith(b"\x89PNG")
    svg = brief.chart_svg(chart)
    assert "聊城市" in svg or "<path" in svg  # text as glyph outlines or as text
