"""Numbers and dates the way a Chinese reader says them: 3,478万元, 1,216.8亿元, 2020年6月21日.

Values in the store are normalised (money in 元, 万亩 as 亩), which is right for sums and wrong
for reading: nobody says 34,780,000元. These helpers turn them back into what a person writes.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

_WAN = 1e4
_YI = 1e8
# One rule for every unit: from 10,000 on a value reads in 万, from 100,000,000 on in 亿
# (60万吨, not 600,000吨); the exact value is always shown beside it (``format_exact``).
_WAN_FROM = 1e4
_DEFAULT_WAN_FROM = 1e6  # format_count: counts of rows, not figures
_PLAIN_UNITS = ("%", "百分点", "倍")


def _plain(value: float, decimals: int = 2) -> str:
    """``1234.50`` -> ``"1,234.5"``: thousands separators, no trailing zeros."""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_number(value: float | None, decimals: int = 2) -> str:
    """``86349.0`` -> ``"86,349"``; a missing value is a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return _plain(float(value), decimals)


def format_quantity(value: float | None, unit: str = "") -> str:
    """A value with its unit, scaled to 万/亿 where a person would say it.

    ``format_quantity(34_780_000, "元")`` -> ``"3,478万元"``;
    ``format_quantity(121_680_000_000, "元")`` -> ``"1,216.8亿元"``;
    ``format_quantity(26.6, "%")`` -> ``"26.6%"``; ``format_quantity(1.2, "百分点")`` -> ``"1.2个百分点"``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    value = float(value)
    if unit == "百分点":
        return f"{_plain(value)}个百分点"
    if unit in ("%", "倍"):
        return f"{_plain(value)}{unit}"
    size = abs(value)
    if size >= _YI:
        return f"{_plain(value / _YI, 2)}亿{unit}"
    if size >= _WAN_FROM:
        return f"{_plain(value / _WAN, 2)}万{unit}"
    return f"{_plain(value)}{unit}"


def format_exact(value: float | None, unit: str = "") -> str:
    """The exact value in the base unit, every digit shown: ``(157641, "人")`` -> ``"157,641人"``.

    Beside every 万/亿 figure so an official can quote either: ``15.76万人（157,641人）``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    suffix = "个百分点" if unit == "百分点" else unit
    return f"{_plain(float(value), 4)}{suffix}"


def format_with_exact(value: float | None, unit: str = "") -> str:
    """``(13_620_000_000, "元")`` -> ``"136.2亿元（13,620,000,000元）"``; no brackets when they agree."""
    shown, exact = format_quantity(value, unit), format_exact(value, unit)
    return shown if shown == exact else f"{shown}（{exact}）"


def scale_for(values: pd.Series, unit: str) -> tuple[float, str]:
    """The divisor and axis unit that keep a chart's numbers short.

    ``scale_for(pd.Series([3.4e7, 8e7]), "元")`` -> ``(1e4, "万元")``.
    """
    peak = float(values.abs().max()) if len(values) else 0.0
    if unit in _PLAIN_UNITS or math.isnan(peak):
        return 1.0, unit
    if peak >= _YI:
        return _YI, f"亿{unit}"
    if peak >= _WAN_FROM:
        return _WAN, f"万{unit}"
    return 1.0, unit


def format_count(n: int | float | None, measure: str = "") -> str:
    """A count for a card: ``12345`` -> ``"12,345"``, ``3_456_789`` -> ``"345.7万"``."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "—"
    n = float(n)
    if abs(n) >= _YI:
        return f"{_plain(n / _YI, 1)}亿{measure}"
    if abs(n) >= _DEFAULT_WAN_FROM:
        return f"{_plain(n / _WAN, 1)}万{measure}"
    return f"{_plain(n, 0)}{measure}"


def format_date(value: str | dt.date | None) -> str:
    """An ISO date, month or year in Chinese: ``"2020-06-21"`` -> ``"2020年6月21日"``.

    ``"2020-03"`` -> ``"2020年3月"``, ``"2020"`` -> ``"2020年"``, ``""`` -> ``"日期不详"``.
    """
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "日期不详"
    if isinstance(value, dt.datetime | pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    parts = str(value).strip()[:10].split("-")
    try:
        numbers = [int(p) for p in parts if p]
    except ValueError:
        return str(value)
    if not numbers:
        return "日期不详"
    suffixes = ("年", "月", "日")
    return "".join(f"{n}{s}" for n, s in zip(numbers, suffixes, strict=False))


def format_month(value: dt.date | pd.Timestamp) -> str:
    """A month bucket for an axis: ``2020-06-01`` -> ``"2020年6月"``."""
    return f"{value.year}年{value.month}月"


def format_period(year: int | float | None, first_month: int | float | None = 0,
                  last_month: int | float | None = 0) -> str:
    """The period a figure covers, in the one date style: ``(2020, 1, 5)`` -> ``"2020年1–5月"``.

    ``(2019, 0, 0)`` -> ``"2019年"``; ``(2020, 3, 3)`` -> ``"2020年3月"``; no year -> ``"时期不详"``.
    """
    if year is None or pd.isna(year):
        return "时期不详"
    first = 0 if first_month is None or pd.isna(first_month) else int(first_month)
    last = 0 if last_month is None or pd.isna(last_month) else int(last_month)
    if not last:
        return f"{int(year)}年"
    if first and first != last:
        return f"{int(year)}年{first}–{last}月"
    return f"{int(year)}年{last}月"


# What an axis of a unit counts, in words (金额, 人数 …) for when the metric has no name.
_MEASURE_OF_UNIT = {"元": "金额", "人": "人数", "人次": "人次", "户": "户数", "个": "个数", "家": "家数",
                    "亩": "面积", "吨": "重量", "%": "比率", "百分点": "变化", "天": "天数", "工作日": "天数",
                    "件": "件数", "项": "项数", "场": "场次", "辆": "车辆数"}


def axis_title(metric: str, axis_unit: str, base_unit: str = "") -> str:
    """A value axis in words, horizontal: ``("技改投资", "亿元")`` -> ``"技改投资（亿元）"``.

    Never a lone character such as 人 or 个, which reads like an arrow; without a metric name
    the unit's measure is used: ``("", "亿元", "元")`` -> ``"金额（亿元）"``.
    """
    word = metric or _MEASURE_OF_UNIT.get(base_unit or axis_unit, "数值")
    return f"{word}（{axis_unit}）" if axis_unit else word
