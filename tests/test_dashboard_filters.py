"""Filters and the URL: what ``?city=聊城市&initiative=poverty`` means, and back."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.filters import Filters, filters_from_params, filters_to_params

CASES = [
    ({"city": ["聊城市"]}, Filters(cities=("聊城市",))),
    ({"city": "聊城市", "initiative": "poverty"}, Filters(cities=("聊城市",), initiatives=("poverty",))),
    ({"city": ["聊城市", "淄博市", "聊城市"]}, Filters(cities=("聊城市", "淄博市"))),
    ({"county": ["冠县"], "metric": ["技改项目数"]}, Filters(counties=("冠县",), metrics=("技改项目数",))),
    ({"from": ["2020-01-01"], "to": ["2020-06-30"]},
     Filters(start=dt.date(2020, 1, 1), end=dt.date(2020, 6, 30))),
    ({"from": ["2020年1月"]}, Filters()),
    ({"q": ["  技改 "]}, Filters(text="技改")),
    ({"city": [""], "unknown": ["x"]}, Filters()),
]


@pytest.mark.parametrize(("params", "expected"), CASES)
def test_filters_from_params(params, expected):
    assert filters_from_params(params) == expected


def test_filters_to_params_leaves_out_what_is_not_set():
    assert filters_to_params(Filters(cities=("聊城市",), start=dt.date(2020, 6, 1))) == {
        "city": ["聊城市"], "from": ["2020-06-01"]}


def test_describe_says_all_for_what_is_not_set():
    chosen = Filters(cities=("聊城市", "淄博市"), initiatives=("poverty",))
    words = chosen.describe({"poverty": "脱贫攻坚"}.get)
    assert words["城市"] == "聊城市、淄博市"
    assert words["攻坚领域"] == "脱贫攻坚"
    assert words["县（市、区）"] == "全部" and words["起始日期"] == "不限"


names = st.lists(st.text(min_size=1, max_size=8).map(str.strip).filter(bool), max_size=3, unique=True)


@given(cities=names, initiatives=names, text=st.text(max_size=10).map(str.strip),
       start=st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)))
def test_url_round_trip_keeps_every_filter(cities, initiatives, text, start):
    filters = Filters(cities=tuple(cities), initiatives=tuple(initiatives), text=text, start=start)
    assert filters_from_params(filters_to_params(filters)) == filters
