"""The download files of 数据浏览: exactly the filtered rows, in the same Chinese as the screen.

Headers and words are Chinese (城市, 攻坚领域 = 政务服务, 类型 = 累计数), the value is written
twice (数值 "3,478万元" as on screen, 原始数值 34780000 to compute with), and 原文 is the address
of the figure's article in this dashboard. CSV is UTF-8 with BOM; XLSX has 数据, 来源 and 说明
sheets, the header frozen and filterable. Built when the button is clicked (Streamlit calls these
with no arguments, so the page binds the filters with ``functools.partial``), from the same SQL as
the table, through ``loaders.storage.export``, which neutralises formula-like cells
(``=HYPERLINK(…)`` -> ``'=HYPERLINK(…)``). The file name says what was filtered and the period:
``攻坚看板数据_聊城市_20200101-20200630.xlsx``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urljoin

import pandas as pd

from dashboard import queries, tables
from dashboard.filters import Filters
from dashboard.initiatives import label_of
from dashboard.safe_text import safe_filename
from loaders.storage import export

DOWNLOAD_COLUMNS = ["fact_id", "published", "city", "county", "initiative", "metric", "value", "unit",
                    "approx", "range_hi", "kind", "period_year", "period", "quote", "sentence", "title",
                    "doc", "article_id", "confidence", "tier", "review_status"]
SOURCE_COLUMNS = ["published", "title", "paper", "page", "url", "doc", "source", "figures", "article_id"]


def rows(con, filters: Filters) -> pd.DataFrame:
    """The filtered rows with the store's column names (for code; the files use ``readable``)."""
    return queries.fetch_facts(con, filters)[DOWNLOAD_COLUMNS]


def article_address(page_url: str, article_id: str) -> str:
    """The figure's article in this dashboard, resolved against the page's address as a browser
    resolves the table's relative link (``st.context.url``; so a ``server.baseUrlPath`` is kept).

    ``("http://10.0.0.2:8501/explore", "a1")`` → ``"http://10.0.0.2:8501/article?article=a1"``.
    """
    link = tables.article_link(article_id)
    return urljoin(page_url, link) if page_url else link


def readable(con, filters: Filters, label: Callable[[str], str] = label_of,
             base_url: str = "") -> pd.DataFrame:
    """The filtered rows as the download holds them: Chinese headers, words and both values."""
    return export.readable_frame(rows(con, filters), label=label, shown=tables.shown_value,
                                 link=lambda article: article_address(base_url, article))


def csv_bytes(con, filters: Filters, label: Callable[[str], str] = label_of, base_url: str = "") -> bytes:
    """The filtered rows as CSV that Excel opens with its Chinese intact."""
    return export.to_csv_bytes(readable(con, filters, label, base_url))


def xlsx_bytes(con, filters: Filters, label: Callable[[str], str] = label_of, base_url: str = "") -> bytes:
    """The filtered rows (sheet 数据), their articles (来源), the filters and a column dictionary (说明)."""
    data = readable(con, filters, label, base_url)
    sources = queries.fetch_sources(con, filters)
    sources = sources[[c for c in SOURCE_COLUMNS if c in sources]].rename(columns=export.READABLE_HEADERS)
    return export.to_xlsx_bytes(data, sources, filters.describe(label), export.readable_doc(data.columns))


def _day(value: dt.date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""


def file_name(filters: Filters, suffix: str, first: dt.date | None = None,
              last: dt.date | None = None) -> str:
    """``攻坚看板数据_聊城市_20200101-20200630.csv``: what was filtered and over which period.

    The period is the filter's dates, else the store's first and last publication dates
    (``queries.options()``); a side that is unknown is left open (``20200101-``).
    """
    start, end = filters.start or first, filters.end or last
    if start and end and start > end:
        start, end = end, start
    parts = ["攻坚看板数据", *filters.cities[:2], *filters.counties[:2]]
    if start or end:
        parts.append(f"{_day(start)}-{_day(end)}")
    return safe_filename("_".join(parts) + suffix)
