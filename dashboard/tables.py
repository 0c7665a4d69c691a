"""The figures as a reader sees them: Chinese headers, 3,478万元, 2020年6月21日, a link to the article.

``queries`` returns the store's columns; the table on 数据浏览 and under each chart shows this
view of them instead (``COLUMN_CONFIG`` tells st.dataframe how to show each column).
Example: a row with value 34_780_000 and unit 元 shows ``数值 = "3,478万元"`` and
``原文 = "article?article=<id>"``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from dashboard.filters import Filters, link_to, switch_page
from dashboard.formatting import format_date, format_quantity

ARTICLE_PAGE = "article"
ARTICLE_PAGE_FILE = "app_pages/article.py"
OPEN_ARTICLE = "查看原文 ›"

HEADERS = {
    "published": "刊发日期", "province": "省份",
    "city": "城市", "county": "县（市、区）", "initiative": "攻坚领域",
    "metric": "指标", "shown": "数值", "value": "原始数值", "unit": "单位", "period": "时期",
    "sentence": "原句", "title": "文章标题", "link": "原文",
}


def article_link(article_id: str, fact_id: str = "", filters: Filters | None = None) -> str:
    """A link to 原文 relative to the current page (so it works under a ``server.baseUrlPath``),
    keeping the filters and naming the figure to mark: ``article?city=…&article=<id>&fact=<id>``."""
    return link_to(ARTICLE_PAGE, filters, article=article_id, fact=fact_id)


def shown_value(value: float, unit: str, approx: str = "", range_hi: float | None = None) -> str:
    """``(30, "吨", "", 50)`` -> ``"30–50吨"``; ``(2000, "棵", "多")`` -> ``"2,000多棵"``."""
    if range_hi is not None and not pd.isna(range_hi):
        return f"{format_quantity(value, '').rstrip()}–{format_quantity(range_hi, unit)}"
    text = format_quantity(value, unit)
    if approx in ("余", "多"):
        number = text[: len(text) - len(unit)] if unit and text.endswith(unit) else text
        return f"{number}{approx}{unit}"
    if approx:
        return f"{approx}{text}" if approx not in ("以上", "左右") else f"{text}{approx}"
    return text


def display_frame(rows: pd.DataFrame, label: Callable[[str], str] = str) -> pd.DataFrame:
    """The figures for the screen: formatted value, Chinese date and initiative, a 原文 cell.

    The 原文 cell is text: ``article_table`` opens the article when it is clicked. Dates and labels
    are formatted once per distinct value (2,000 rows hold a few dozen of each).
    """
    out = pd.DataFrame({
        "published": _once_each(format_date, rows["published"]),
        "province": rows.get("province", ""),
        "city": rows["city"], "county": rows["county"],
        "initiative": _once_each(label, rows["initiative"]),
        "metric": rows["metric"],
        "shown": [shown_value(v, u, a, h) for v, u, a, h in
                  zip(rows["value"], rows["unit"], rows["approx"], rows["range_hi"], strict=True)],
        "value": rows["value"].round(6), "unit": rows["unit"], "period": rows["period"],
        "link": OPEN_ARTICLE,
        "sentence": rows["sentence"], "title": rows["title"],
    })
    return out.rename(columns=HEADERS)


def _once_each(format_: Callable[[object], str], values: pd.Series) -> list[str]:
    """``[format_(v) for v in values]``, calling ``format_`` once per distinct (hashable) value."""
    done: dict[object, str] = {}
    out = []
    for value in values:
        if value not in done:
            done[value] = format_(value)
        out.append(done[value])
    return out


COLUMN_CONFIG = {
    "数值": st.column_config.TextColumn("数值", help="按原文写法换算：万、亿；约数保留“余、多、近”等"),
    # Wide enough for 13,620,000,000: a narrow number column cut the leading digits ("20,000,000").
    "原始数值": st.column_config.NumberColumn("原始数值",
                                             help="换算为基本单位后的精确数值（元、个、户…），一位不省",
                                             format="localized", width="medium"),
    "原句": st.column_config.TextColumn("原句", width="large"),
}


def article_table(shown: pd.DataFrame, targets: Sequence[tuple[str, str]], *, key: str,
                  filters: Filters | None = None, column_config: dict | None = None, **kwargs) -> None:
    """A table whose 原文 cell opens the article in this tab, the filters kept and the figure marked.

    ``targets`` gives each row's (article id, fact id; "" marks none). A link column of
    ``st.dataframe`` always opens a new browser tab (Streamlit 1.67's grid calls
    ``window.open(url, "_blank")``), so 原文 is a plain cell here: clicking it (or a row's
    selection circle) selects it, and the rerun that follows switches page in the same tab
    (``st.switch_page``), keeping the session, the filters and the URL (``article?city=…&article=…&fact=…``).
    """
    # 原文 leads, where a wide table never hides it to the right.
    shown = shown.assign(原文=OPEN_ARTICLE) if len(shown) else shown
    shown = shown[["原文", *(c for c in shown.columns if c != "原文")]] if "原文" in shown.columns else shown
    config = {**(column_config or {}), "原文": st.column_config.TextColumn(
        "原文", help="点此在本页打开这条数据所在的文章（筛选条件保留）", width=90)}
    event = st.dataframe(shown, key=key, on_select="rerun", selection_mode=["single-cell", "single-row"],
                         hide_index=True, column_config=config, **kwargs)
    row = picked_row(event.selection if event is not None else None)
    if row is not None and 0 <= row < len(targets):
        article_id, fact_id = targets[row]
        switch_page(ARTICLE_PAGE_FILE, filters, article=article_id, fact=fact_id)


def picked_row(selection) -> int | None:
    """The row whose 原文 cell (or selection circle) was clicked, or None (another cell clicked)."""
    if not selection:
        return None
    cells = [c for c in (selection.get("cells") or []) if len(c) == 2 and c[1] == "原文"]
    if cells:
        return int(cells[0][0])
    rows = selection.get("rows") or []
    return int(rows[0]) if rows else None
