"""简报: the current view as one A4 page — title, filters, date, charts with Chinese text, sources.

Officials print or send a page, not a dashboard. This module turns the view's frames into that
page without a browser: altair builds the charts, ``vl-convert`` renders them offline to SVG,
PNG and PDF with the fonts of Debian's ``fonts-noto-cjk`` (``register_cjk_fonts``; without them
Chinese would print as empty boxes, so ``cjk_font_dir`` tells the page to say so). ``brief_html``
is an A4 HTML page to print; ``brief_pdf`` the same page as one PDF page. No Streamlit here.
Example: ``brief_pdf(BriefData(title="攻坚看板简报 · 聊城市", …))`` -> b"%PDF-…", one A4 page.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import altair as alt
import pandas as pd

from dashboard.formatting import format_date, format_month

FONT = "Noto Sans CJK SC"
ACCENT = "#b5452f"
FONT_DIRS_ENV = "GONGJIAN_FONTS"
# Where Debian (fonts-noto-cjk), Ubuntu and Fedora put Noto Sans CJK.
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto",
             "/usr/share/fonts/google-noto-cjk", "/usr/share/fonts/noto-cjk")
A4_WIDTH, A4_HEIGHT = 595, 842  # points: vl-convert's PDF page is the chart's size
_CHART_WIDTH = 250
_MOST_SOURCES = 12
FONT_MISSING = ("没有找到中文字体（Noto Sans CJK）：下载的图片和 PDF 中的中文会显示为方框。"
                "请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk），"
                f"或用环境变量 {FONT_DIRS_ENV} 指定含有中文字体的文件夹。")


@dataclass
class BriefData:
    """What the brief shows: frames as the queries return them, plus the words around them."""

    title: str
    filters: dict[str, str]  # 城市 → 聊城市 … (``Filters.describe``)
    generated: dt.date
    kpis: dict  # pages, articles, facts, cities, latest
    by_city: pd.DataFrame  # city, figures
    by_month: pd.DataFrame  # month, figures
    by_initiative: pd.DataFrame  # label, figures
    sources: pd.DataFrame  # title, published, doc
    campaigns: pd.DataFrame = field(default_factory=pd.DataFrame)  # name, articles


def cjk_font_dir() -> Path | None:
    """The first folder holding Noto Sans CJK (``GONGJIAN_FONTS`` first), or None."""
    candidates = [os.environ.get(FONT_DIRS_ENV, ""), *FONT_DIRS]
    for folder in (Path(c) for c in candidates if c):
        if folder.is_dir() and any(p.name.startswith("NotoSansCJK") for p in folder.iterdir()):
            return folder
    return None


@cache
def register_cjk_fonts() -> bool:
    """Give vl-convert the Chinese fonts once per process; False when none is installed."""
    import vl_convert

    folder = cjk_font_dir()
    if folder is None:
        return False
    vl_convert.register_font_directory(str(folder))
    return True


def _bar(frame: pd.DataFrame, category: str, value: str, title: str, sort: bool = True,
         height: int | None = None) -> alt.Chart:
    rows = max(1, len(frame))
    y = alt.Y(f"{category}:N", title=None, sort="-x" if sort else None)
    return alt.Chart(frame, title=title).mark_bar(color=ACCENT).encode(
        x=alt.X(f"{value}:Q", title="数据条数" if value == "figures" else "文章篇数",
                axis=alt.Axis(format=",d")),
        y=y, tooltip=[category, value],
    ).properties(width=_CHART_WIDTH, height=height or min(400, 22 * rows + 20))


def charts(data: BriefData) -> dict[str, alt.Chart]:
    """The brief's charts by their Chinese title (what a downloaded file is named after)."""
    out: dict[str, alt.Chart] = {}
    if not data.by_city.empty:
        out["各市数据条数"] = _bar(data.by_city.head(16), "city", "figures", "各市数据条数")
    if not data.by_month.empty:
        months = data.by_month.assign(月份=[format_month(m) for m in pd.to_datetime(data.by_month["month"])])
        out["每月数据条数"] = alt.Chart(months, title="每月数据条数").mark_bar(color=ACCENT).encode(
            x=alt.X("月份:N", sort=None, title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("figures:Q", title="数据条数", axis=alt.Axis(format=",d")), tooltip=["月份", "figures"],
        ).properties(width=_CHART_WIDTH, height=180)
    if not data.by_initiative.empty:
        out["各攻坚领域数据条数"] = _bar(data.by_initiative, "label", "figures", "各攻坚领域数据条数")
    if not data.campaigns.empty:
        out["攻坚行动见报文章"] = _bar(data.campaigns.head(12), "name", "articles", "攻坚行动见报文章篇数")
    return out


def configured(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (chart.configure(font=FONT).configure_title(font=FONT, fontSize=13, anchor="start")
            .configure_view(strokeWidth=0))


def chart_svg(chart: alt.Chart) -> str:
    import vl_convert

    register_cjk_fonts()
    return vl_convert.vegalite_to_svg(configured(chart).to_json())


def chart_png(chart: alt.Chart, scale: float = 2.0) -> bytes:
    import vl_convert

    register_cjk_fonts()
    return vl_convert.vegalite_to_png(configured(chart).to_json(), scale=scale)


def kpi_line(kpis: dict) -> str:
    """``{"pages": 35, …}`` → "版面 35 个 · 文章 69 篇 · 数据 621 条 · 涉及城市 12 个 · 最新刊发 …"."""
    latest = format_date(kpis.get("latest")) if kpis.get("latest") else "日期不详"
    return (f"版面 {kpis.get('pages', 0):,} 个 · 文章 {kpis.get('articles', 0):,} 篇 · "
            f"数据 {kpis.get('facts', 0):,} 条 · 涉及城市 {kpis.get('cities', 0):,} 个 · 最新刊发 {latest}")


def filter_line(filters: dict[str, str]) -> str:
    """Only what is narrowed: "城市：聊城市；攻坚领域：脱贫攻坚", or "全部数据（未筛选）"."""
    set_ = [f"{k}：{v}" for k, v in filters.items() if v not in ("全部", "不限")]
    return "；".join(set_) if set_ else "全部数据（未筛选）"


def source_lines(sources: pd.DataFrame, most: int = _MOST_SOURCES) -> list[str]:
    """The articles behind the figures, newest first: "标题（2020年6月21日，000_….txt）"."""
    lines = [f"{t or '（无标题）'}（{format_date(p)}，{d}）"
             for t, p, d in sources.head(most)[["title", "published", "doc"]].itertuples(index=False)]
    if len(sources) > most:
        lines.append(f"……另有 {len(sources) - most} 篇")
    return lines


_PAGE_CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       color: #222; margin: 0; }
.page { width: 182mm; margin: 0 auto; }
h1 { font-size: 19pt; margin: 0 0 2mm; color: #8c2f1c; }
.meta { font-size: 9pt; color: #555; margin: 0 0 1mm; }
.kpis { font-size: 10pt; margin: 3mm 0; padding: 2mm 3mm; background: #f6ede4; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm; }
.charts svg { width: 100%; height: auto; }
.chart { break-inside: avoid; page-break-inside: avoid; }
h2 { font-size: 11pt; margin: 4mm 0 1mm; }
ol { font-size: 8.5pt; margin: 0; padding-left: 5mm; }
"""


def brief_html(data: BriefData, svgs: dict[str, str]) -> str:
    """The A4 page as one self-contained HTML file (charts inline as SVG); every text escaped."""
    e = html.escape
    figures = "".join(f'<div class="chart">{svg}</div>' for svg in svgs.values())
    sources = "".join(f"<li>{e(line)}</li>" for line in source_lines(data.sources))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(data.title)}</title>
<style>{_PAGE_CSS}</style></head>
<body><div class="page">
<h1>{e(data.title)}</h1>
<p class="meta">筛选条件：{e(filter_line(data.filters))}</p>
<p class="meta">生成日期：{e(format_date(data.generated))}</p>
<div class="kpis">{e(kpi_line(data.kpis))}</div>
<div class="charts">{figures}</div>
<h2>来源文章</h2><ol>{sources}</ol>
<p class="meta">数据由攻坚看板从报纸版面和网络文章中自动提取，引用前请核对原文。</p>
</div></body></html>"""


def _text_block(lines: list[str], size: int = 10, colour: str = "#222", bold: bool = False) -> alt.Chart:
    frame = pd.DataFrame({"line": lines, "row": range(len(lines))})
    return alt.Chart(frame).mark_text(align="left", baseline="top", fontSize=size, color=colour,
                                      fontWeight="bold" if bold else "normal", font=FONT).encode(
        x=alt.value(0), y=alt.Y("row:O", axis=None), text="line:N",
    ).properties(width=A4_WIDTH - 60, height=(size + 5) * len(lines))


def brief_chart(data: BriefData) -> alt.VConcatChart:
    """The whole page as one chart (header, charts two by two, sources) — what the PDF prints."""
    header = alt.vconcat(
        _text_block([data.title], size=18, colour="#8c2f1c", bold=True),
        _text_block([f"筛选条件：{filter_line(data.filters)}", f"生成日期：{format_date(data.generated)}",
                     kpi_line(data.kpis)], size=9, colour="#555"),
        spacing=4)
    figures = [c.properties(width=_CHART_WIDTH - 20) for c in charts(data).values()]
    rows = [alt.hconcat(*figures[i:i + 2], spacing=20) for i in range(0, len(figures), 2)]
    footer = _text_block(["来源文章", *source_lines(data.sources)], size=8)
    return alt.vconcat(header, *rows, footer, spacing=12).properties(
        padding={"left": 24, "top": 24, "right": 24, "bottom": 24})


def brief_pdf(data: BriefData) -> bytes:
    """The brief as PDF (one page, A4 wide), rendered offline by vl-convert with Chinese fonts."""
    import vl_convert

    register_cjk_fonts()
    return vl_convert.vegalite_to_pdf(configured(brief_chart(data)).to_json())
