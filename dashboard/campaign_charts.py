"""The 攻坚行动 page's charts: a DataFrame in, a plotly figure out (no Streamlit, testable alone).

They count articles naming a campaign — a count never mixes units. Each bar carries the campaign
or city it stands for in ``customdata``, so a click can narrow the filters to it.
Example: ``mentions_by_month(frame)`` → stacked bars of articles per month, one colour per campaign.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import format_month
from dashboard.safe_text import escape_plotly

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
PALETTE = ["#b5452f", "#2f6b8f", "#d99a3d", "#5b8c5a", "#8c5a8c", "#7a7a7a", "#c76f5b", "#4f9ea8"]
_MOST_SERIES = 8


def _layout(fig: go.Figure, title: str, height: int = 340) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 15}}, height=height, barmode="stack",
        margin={"l": 8, "r": 8, "t": 40, "b": 8}, font={"family": FONT}, separators=".,",
        legend={"orientation": "h", "y": -0.15}, hoverlabel={"font": {"family": FONT}},
        clickmode="event+select", dragmode=False,
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
    )
    fig.update_yaxes(title_text="文章篇数", tickformat=",d", exponentformat="none")
    return fig


def _stacked(frame: pd.DataFrame, series: str, value: str) -> go.Figure:
    """Bars per month, one trace per ``series`` value (the largest first, the rest as 其他)."""
    data = frame.copy()
    ranked = data.groupby(series)[value].sum().sort_values(ascending=False, kind="stable").index.tolist()
    if len(ranked) > _MOST_SERIES:
        data[series] = data[series].where(data[series].isin(ranked[: _MOST_SERIES - 1]), "其他")
        ranked = [*ranked[: _MOST_SERIES - 1], "其他"]
    data = data.groupby(["month", series], as_index=False)[value].sum()
    months = sorted(pd.to_datetime(data["month"]).unique())
    labels = [format_month(m) for m in months]
    fig = go.Figure()
    for i, name in enumerate(ranked):
        part = data[data[series] == name].assign(month=lambda d: pd.to_datetime(d["month"]))
        counts = dict(zip(part["month"], part[value], strict=True))
        shown = escape_plotly(name)
        fig.add_bar(x=labels, y=[counts.get(m, 0) for m in months], name=shown,
                    marker_color=PALETTE[i % len(PALETTE)], customdata=[name] * len(months),
                    hovertemplate=f"{shown} · %{{x}}：%{{y}}篇<extra></extra>")
    return fig


def mentions_by_month(frame: pd.DataFrame) -> go.Figure:
    """Articles naming each campaign per month (columns name, month, articles); click → that campaign."""
    return _layout(_stacked(frame, "name", "articles"), "各攻坚行动每月见报文章数")


def timeline_by_place(frame: pd.DataFrame, campaign: str) -> go.Figure:
    """One campaign's articles per month by city (columns month, city, articles); click → that city."""
    per_city = frame.groupby(["month", "city"], as_index=False)["articles"].sum()
    return _layout(_stacked(per_city, "city", "articles"), f"{escape_plotly(campaign)}：各市每月见报文章数")
