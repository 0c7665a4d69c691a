"""Chinese quantities in running text. STUB — being written."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # canonical: 元, %, 百分点, 人, 个, 户, 亩 …; "" when the text gives none
    approx: str  # 余 多 近 超过 以上 约 左右 不到 过 …, or ""
    range_hi: float | None
    quote: str  # the exact span of the text
    start: int
    end: int
    kind: str = "count"  # count | money | percent | points | measure | duration | multiple


_SIMPLE = re.compile(r"(\d+(?:\.\d+)?)(万|亿)?(元|个|家|户|人|%|亩|吨|项)")


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in ``text`` with its value in base units; never dates, ordinals or slogans."""
    out = []
    for m in _SIMPLE.finditer(text):
        v = float(m.group(1)) * {"万": 1e4, "亿": 1e8, None: 1}[m.group(2)]
        out.append(Quantity(v, m.group(3), "", None, m.group(0), m.start(), m.end()))
    return out


def parse_quantity(text: str) -> Quantity | None:
    """Parse one quantity written on its own ("3478万元" → 34_780_000.0 元)."""
    found = find_quantities(text)
    return found[0] if found else None
