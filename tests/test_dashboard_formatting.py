"""Numbers and dates as a Chinese reader says them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.formatting import format_count, format_date, format_quantity, scale_for

QUANTITIES = [
    ((34_780_000, "元"), "3,478万元"),
    ((121_680_000_000, "元"), "1,216.8亿元"),
    ((5_500, "元"), "5,500元"),
    ((950_000, "元"), "95万元"),
    ((86_349, "户"), "86,349户"),
    ((1_200_000, "人"), "120万人"),
    ((26.6, "%"), "26.6%"),
    ((1.2, "百分点"), "1.2个百分点"),
    ((2.5, "倍"), "2.5倍"),
    ((4.55, "%"), "4.55%"),
    ((0.0, "个"), "0个"),
    ((None, "元"), "—"),
]


@pytest.mark.parametrize(("args", "expected"), QUANTITIES)
def test_format_quantity(args, expected):
    assert format_quantity(*args) == expected


DATES = [
    ("2020-06-21", "2020年6月21日"),
    ("2020-03", "2020年3月"),
    ("2020", "2020年"),
    ("", "日期不详"),
    (None, "日期不详"),
    (dt.date(2020, 6, 1), "2020年6月1日"),
    (pd.Timestamp("2019-12-31"), "2019年12月31日"),
]


@pytest.mark.parametrize(("value", "expected"), DATES)
def test_format_date(value, expected):
    assert format_date(value) == expected


@pytest.mark.parametrize(("n", "expected"), [(242, "242"), (12_345, "12,345"), (3_456_789, "345.7万"),
                                             (250_000_000, "2.5亿")])
def test_format_count(n, expected):
    assert format_count(n) == expected


@pytest.mark.parametrize(("values", "unit", "expected"), [
    ([3.4e7, 8e7], "元", (1e4, "万元")),
    ([3.4e9, 8e7], "元", (1e8, "亿元")),
    ([950.0, 20.0], "元", (1.0, "元")),
    ([86_349.0], "户", (1.0, "户")),
    ([26.6, 103.0], "%", (1.0, "%")),
])
def test_scale_for_keeps_axis_numbers_short(values, unit, expected):
    assert scale_for(pd.Series(values), unit) == expected


@given(st.floats(min_value=1e4, max_value=1e15, allow_nan=False))
def test_money_in_wan_or_yi_reads_back_to_the_value(value):
    text = format_quantity(value, "元")
    number, scale = (text[:-2], 1e8) if text.endswith("亿元") else (text[:-2], 1e4)
    assert abs(float(number.replace(",", "")) * scale - value) <= 0.051 * scale
