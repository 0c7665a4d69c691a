"""Numbers and dates as a Chinese reader says them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.filters import parse_date_text
from dashboard.formatting import (
    axis_title,
    format_count,
    format_date,
    format_exact,
    format_period,
    format_quantity,
    format_with_exact,
    scale_for,
)

QUANTITIES = [
    ((34_780_000, "元"), "3,478万元"),
    ((121_680_000_000, "元"), "1,216.8亿元"),
    ((5_500, "元"), "5,500元"),
    ((950_000, "元"), "95万元"),
    ((86_349, "户"), "8.63万户"),
    ((600_000, "吨"), "60万吨"),  # one rule for every unit: never 600,000吨
    ((157_641, "人"), "15.76万人"),
    ((5_511, "个"), "5,511个"),
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
    ([86_349.0], "户", (1e4, "万户")),
    ([9_999.0], "户", (1.0, "户")),
    ([26.6, 103.0], "%", (1.0, "%")),
])
def test_scale_for_keeps_axis_numbers_short(values, unit, expected):
    assert scale_for(pd.Series(values), unit) == expected


@given(st.floats(min_value=1e4, max_value=1e15, allow_nan=False))
def test_money_in_wan_or_yi_reads_back_to_the_value(value):
    text = format_quantity(value, "元")
    number, scale = (text[:-2], 1e8) if text.endswith("亿元") else (text[:-2], 1e4)
    assert abs(float(number.replace(",", "")) * scale - value) <= 0.051 * scale


@pytest.mark.parametrize(("args", "expected"), [
    ((13_620_000_000, "元"), "13,620,000,000元"),  # every leading digit kept
    ((157_641, "人"), "157,641人"),
    ((4.55, "%"), "4.55%"),
    ((1.1, "百分点"), "1.1个百分点"),
])
def test_format_exact_keeps_every_digit(args, expected):
    assert format_exact(*args) == expected


def test_a_scaled_value_carries_its_exact_value_beside_it():
    assert format_with_exact(13_620_000_000, "元") == "136.2亿元（13,620,000,000元）"
    assert format_with_exact(5_511, "个") == "5,511个"


@pytest.mark.parametrize(("args", "expected"), [
    ((2020, 1, 5), "2020年1–5月"), ((2019, 0, 0), "2019年"), ((2020, 3, 3), "2020年3月"),
    ((None, 0, 0), "时期不详"), ((2020.0, float("nan"), float("nan")), "2020年"),
])
def test_format_period_in_the_one_date_style(args, expected):
    assert format_period(*args) == expected


@pytest.mark.parametrize(("args", "expected"), [
    (("技改投资", "亿元", "元"), "技改投资（亿元）"), (("", "亿元", "元"), "金额（亿元）"),
    (("", "人", "人"), "人数（人）"), (("脱贫人口", "万人", "人"), "脱贫人口（万人）"),
])
def test_axis_titles_are_words_never_a_lone_unit(args, expected):
    assert axis_title(*args) == expected
    assert len(axis_title(*args)) > 2


@pytest.mark.parametrize(("text", "end", "expected"), [
    ("2020-06-21", False, dt.date(2020, 6, 21)), ("2020/6/21", False, dt.date(2020, 6, 21)),
    ("2020年6月21日", False, dt.date(2020, 6, 21)), ("20200621", False, dt.date(2020, 6, 21)),
    ("2020年6月", False, dt.date(2020, 6, 1)), ("2020年6月", True, dt.date(2020, 6, 30)),
    ("2020-02", True, dt.date(2020, 2, 29)), ("2020", True, dt.date(2020, 12, 31)), ("", False, None),
])
def test_typed_dates_in_the_ways_officials_write_them(text, end, expected):
    assert parse_date_text(text, end=end) == expected


@pytest.mark.parametrize("text", ["下个月", "2020-13-01", "六月"])
def test_text_that_is_no_date_is_refused(text):
    with pytest.raises(ValueError):
        parse_date_text(text)


@given(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
def test_every_written_date_reads_back(day):
    for text in (day.isoformat(), f"{day.year}年{day.month}月{day.day}日",
                 f"{day.year}/{day.month}/{day.day}"):
        assert parse_date_text(text) == day
