"""Charts: a DataFrame in, a plotly figure out — no Streamlit, so each can be tested alone.

Every chart carries its category (city, initiative key, month) in ``customdata`` so a click can
narrow the filters to it. Counts of figures may be summed across units; values never are: the
metric charts show one metric in one unit and kind, each place's latest report.
Stored values are data, never markup: every builder carries ``@plotly_text`` (dashboard.safe_text),
which escapes its frames, strings and labels on the way in.
Example: ``by_city(pd.DataFrame({"city": ["聊城市"], "figures": [12]}))`` -> a bar chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import format_month, format_quantity, scale_for
from dashboard.safe_text import plotly_text

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
ACCENT = "#b5452f"
SCALE = [[0.0, "#f6ede4"], [0.5, "#d99a7a"], [1.0, "#8c2f1c"]]
EMPTY_FILL = "#ebe8e1"


def _layout(fig: go.Figure, title: str = "", height: int = 360) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 15}}, height=height,
        margin={"l": 8, "r": 8, "t": 40 if title else 8, "b": 8},
        font={"family": FONT}, separators=".,", showlegend=False,
        hoverlabel={"font": {"family": FONT}}, clickmode="event+select", dragmode=False,
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
    )
    # Plotly's default SI suffixes (150k) mean nothing to a Chinese reader; axes are scaled
    # to 万/亿 by ``scale_for`` instead and show plain digits with thousands separators.
    fig.update_xaxes(exponentformat="none", separatethousands=True)
    fig.update_yaxes(exponentformat="none", separatethousands=True)
    return fig


@plotly_text
def by_city(frame: pd.DataFrame) -> go.Figure:
    """Figures per city, a horizontal bar each (largest on top); click a bar to filter to its city."""
    data = frame.sort_values("figures", kind="stable")
    fig = go.Figure(go.Bar(
        x=data["figures"], y=data["city"], orientation="h", marker_color=ACCENT,
        customdata=data["city"], hovertemplate="%{y}：%{x:,}条数据<extra></extra>",
    ))
    fig.update_xaxes(title_text="数据条数", tickformat=",d")
    return _layout(fig, "各市数据条数", height=max(240, 26 * len(data) + 80))


@plotly_text
def by_month(frame: pd.DataFrame) -> go.Figure:
    """Figures per month of publication; click a bar to filter to that month."""
    months = pd.to_datetime(frame["month"])
    labels = [format_month(m) for m in months]
    fig = go.Figure(go.Bar(
        x=labels, y=frame["figures"], marker_color=ACCENT,
        customdata=[m.date().isoformat() for m in months],
        hovertemplate="%{x}：%{y:,}条数据<extra></extra>",
    ))
    fig.update_yaxes(title_text="数据条数", tickformat=",d")
    fig.update_xaxes(type="category")
    return _layout(fig, "按月份（刊发日期）")


@plotly_text
def by_initiative(frame: pd.DataFrame, label: Callable[[str], str] = str) -> go.Figure:
    """Figures per initiative, labelled in Chinese; click a bar to filter to it."""
    data = frame.sort_values("figures", kind="stable")
    fig = go.Figure(go.Bar(
        x=data["figures"], y=[label(k) for k in data["initiative"]], orientation="h",
        marker_color="#5b7f74", customdata=data["initiative"],
        hovertemplate="%{y}：%{x:,}条数据<extra></extra>",
    ))
    fig.update_xaxes(title_text="数据条数", tickformat=",d")
    return _layout(fig, "各攻坚领域数据条数", height=max(240, 26 * len(data) + 80))


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [poly[0] for poly in geometry["coordinates"]]
    return []


def _thin(ring: list[list[float]], most: int = 400) -> list[list[float]]:
    step = max(1, math.ceil(len(ring) / most))
    return ring[::step] + [ring[0]] if step > 1 else ring


def _centre(rings: list[list[list[float]]]) -> tuple[float, float]:
    biggest = max(rings, key=len)
    xs = [p[0] for p in biggest]
    ys = [p[1] for p in biggest]
    return (sum(xs) / len(xs), sum(ys) / len(ys))


def _colour(share: float) -> str:
    """A colour of SCALE for a share in [0, 1]."""
    def rgb(hex_: str) -> tuple[int, ...]:
        return tuple(int(hex_[i:i + 2], 16) for i in (1, 3, 5))
    (lo_at, lo), (hi_at, hi) = (SCALE[0], SCALE[1]) if share <= 0.5 else (SCALE[1], SCALE[2])
    t = (share - lo_at) / (hi_at - lo_at)
    mixed = [round(a + (b - a) * t) for a, b in zip(rgb(lo), rgb(hi), strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*mixed)


@plotly_text
def city_map(frame: pd.DataFrame, geojson: dict) -> go.Figure:
    """Shandong's cities shaded by their number of figures, drawn from the shipped GeoJSON.

    Drawn as filled outlines on plain axes rather than plotly's geo choropleth: that one fetches
    a world topojson from cdn.plot.ly even when given a GeoJSON, and the users' network reaches
    no outside server. A click on a city's area or on its dot carries its name (customdata).
    """
    counts = dict(zip(frame["city"], frame["figures"], strict=False)) if len(frame) else {}
    peak = max(counts.values(), default=0)
    fig = go.Figure()
    names, xs, ys, texts, inks = [], [], [], [], []
    for feature in geojson.get("features", []):
        name = str(feature["properties"].get("name", ""))
        rings = [_thin(r) for r in _rings(feature["geometry"])]
        if not rings:
            continue
        n = int(counts.get(name, 0))
        fill = _colour(n / peak) if n and peak else EMPTY_FILL
        lon: list[float | None] = []
        lat: list[float | None] = []
        for ring in rings:
            lon += [p[0] for p in ring] + [None]
            lat += [p[1] for p in ring] + [None]
        fig.add_trace(go.Scatter(x=lon, y=lat, mode="lines", fill="toself", fillcolor=fill,
                                 line={"color": "#ffffff", "width": 1}, hoveron="fills",
                                 hoverinfo="text", text=f"{name}：{n:,}条数据", name=name,
                                 customdata=[name] * len(lon)))
        cx, cy = _centre(rings)
        names.append(name)
        xs.append(cx)
        ys.append(cy)
        texts.append(f"{name}：{n:,}条数据")
        inks.append("#ffffff" if peak and n / peak > 0.6 else "#2b2b2b")
    fig.add_trace(go.Scatter(
        x=xs, y=ys, mode="markers+text", text=[n.removesuffix("市") for n in names],
        textposition="top center",
        textfont={"size": 11, "color": inks},
        marker={"size": 9, "color": "#2b2b2b", "opacity": 0.75}, customdata=names,
        hovertext=texts, hovertemplate="%{hovertext}<extra></extra>", name="城市",
    ))
    fig.update_xaxes(visible=False, fixedrange=True)
    # 1° of longitude is shorter than 1° of latitude at 36.5°N; keep Shandong's shape.
    fig.update_yaxes(visible=False, fixedrange=True, scaleanchor="x",
                     scaleratio=1 / math.cos(math.radians(36.5)))
    return _layout(fig, "各市数据分布（点击城市筛选）", height=420)


@plotly_text
def metric_by_place(latest: pd.DataFrame, unit: str, by: str = "city") -> go.Figure:
    """Each place's latest figure of one metric (one unit, one kind) — not a sum of reports."""
    data = latest.sort_values("value", kind="stable")
    divisor, axis_unit = scale_for(data["value"], unit)
    fig = go.Figure(go.Bar(
        x=data["value"] / divisor, y=data[by], orientation="h", marker_color=ACCENT,
        customdata=data[by], text=[format_quantity(v, unit) for v in data["value"]],
        textposition="auto",
        hovertext=[f"{p}：{format_quantity(v, unit)}（{d or '日期不详'}）"
                   for p, v, d in zip(data[by], data["value"], data["published"], strict=True)],
        hovertemplate="%{hovertext}<extra></extra>",
    ))
    fig.update_xaxes(title_text=axis_unit)
    return _layout(fig, "各地最新报告值", height=max(240, 28 * len(data) + 80))


@plotly_text
def metric_over_time(rows: pd.DataFrame, unit: str) -> go.Figure:
    """Every report of one metric by publication date, one line per city."""
    data = rows[rows["published_date"].notna()].sort_values("published_date", kind="stable")
    divisor, axis_unit = scale_for(data["value"], unit)
    fig = go.Figure()
    for city, group in data.groupby("city", sort=True):
        place = (group["county"].where(group["county"] != "", group["city"])).tolist()
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(group["published_date"]), y=group["value"] / divisor,
            # Several reports on one day (other counties, other sub-totals) are dots, not a line.
            mode="lines+markers" if group["published_date"].is_unique else "markers",
            name=city or "未定位", customdata=group["city"],
            hovertext=[f"{p}：{format_quantity(v, unit)}"
                       for p, v in zip(place, group["value"], strict=True)],
            hovertemplate="%{x|%Y年%m月%d日}<br>%{hovertext}<extra></extra>",
        ))
    fig.update_yaxes(title_text=axis_unit)
    fig.update_xaxes(tickformat="%Y年%m月")
    fig = _layout(fig, "历次报告值（按刊发日期）")
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.2})
    return fig
