"""The download files of 数据浏览: exactly the filtered rows, as CSV (UTF-8 with BOM) or XLSX.

Built when the button is clicked (Streamlit calls these with no arguments, so the page binds the
filters with ``functools.partial``), from the same SQL as the table, through ``loaders.storage.export``
which neutralises formula-like cells (``=HYPERLINK(…)`` -> ``'=HYPERLINK(…)``).
Example: ``csv_bytes(con, Filters(cities=("聊城市",)))[:3] == b"\\xef\\xbb\\xbf"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from dashboard import queries
from dashboard.filters import Filters
from dashboard.safe_text import safe_filename
from loaders.storage import export

DOWNLOAD_COLUMNS = ["fact_id", "published", "city", "county", "initiative", "metric", "value", "unit",
                    "approx", "range_hi", "kind", "period_year", "period", "quote", "sentence", "title",
                    "doc", "article_id", "confidence", "tier", "review_status"]


def rows(con, filters: Filters) -> pd.DataFrame:
    return queries.fetch_facts(con, filters)[DOWNLOAD_COLUMNS]


def csv_bytes(con, filters: Filters) -> bytes:
    """The filtered rows as CSV that Excel opens with its Chinese intact."""
    return export.to_csv_bytes(rows(con, filters))


def xlsx_bytes(con, filters: Filters, label: Callable[[str], str] = str) -> bytes:
    """The filtered rows (sheet 数据), their articles (来源), the filters and a column dictionary (说明)."""
    data = rows(con, filters)
    return export.to_xlsx_bytes(data, queries.fetch_sources(con, filters), filters.describe(label),
                                export.COLUMN_DOC)


def file_name(filters: Filters, suffix: str, today: dt.date | None = None) -> str:
    """``攻坚看板数据_聊城市_20261124.csv``: what was filtered and when, safe on every system."""
    parts = ["攻坚看板数据", *filters.cities[:2], *filters.counties[:2]]
    stamp = (today or dt.date.today()).strftime("%Y%m%d")
    return safe_filename("_".join([*parts, stamp]) + suffix)
