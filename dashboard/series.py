"""What a metric's figures say: the latest value per place and its change since the previous report.

Figures come from different articles, places and periods, so they are never added up: a chart of
a metric shows each place's *latest* report, and a change compares two reports of the same metric,
unit, kind and place. Works on the frames ``queries.metric_rows`` returns; no Streamlit.
Example: two reports for 冠县 (120户 in May, 150户 in June) -> latest 150, change +30.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

_ORDER = ["published_date", "period_year", "fact_id"]


def _sorted(rows: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in _ORDER if c in rows.columns]
    return rows.sort_values(cols, na_position="first", kind="stable")


def latest_per_place(rows: pd.DataFrame, by: str = "city") -> pd.DataFrame:
    """The newest figure of each place (``by`` = "city" or "county"), largest value first."""
    if rows.empty:
        return rows.copy()
    frame = _sorted(rows[rows[by].fillna("") != ""])
    latest = frame.groupby(by, sort=False).tail(1)
    return latest.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Latest:
    """The most recent figure of a metric and how it moved since the same place's previous one."""

    value: float
    unit: str
    place: str
    published: str
    change: float | None
    previous_published: str | None


def latest_and_change(rows: pd.DataFrame) -> Latest | None:
    """The newest figure among ``rows`` (one metric, unit and kind) and its change, if any.

    The change is taken against the previous figure of the same city and county: comparing
    聊城市's total with 冠县's would say nothing.
    """
    if rows.empty:
        return None
    frame = _sorted(rows)
    last = frame.iloc[-1]
    same = frame[(frame["city"] == last["city"]) & (frame["county"] == last["county"])]
    change = previous = None
    if len(same) >= 2:
        prev = same.iloc[-2]
        change = float(last["value"]) - float(prev["value"])
        previous = str(prev.get("published") or "")
    place = str(last["county"] or last["city"] or "")
    return Latest(value=float(last["value"]), unit=str(last["unit"]), place=place,
                  published=str(last.get("published") or ""), change=change, previous_published=previous)
