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
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import (
    axis_title,
    format_date,
    format_exact,
    format_month,
    format_quantity,
    format_with_exact,
    scale_for,
)
from dashboard.safe_text import plotly_text
from dashboard.series import completion

if TYPE_CHECKING:  # altair is imported where a chart needs it: 总览's first start draws plotly only
    import altair as alt

FONT_NAME = "Noto Sans CJK SC"
FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
ACCENT = "#b5452f"
SCALE = [[0.0, "#f6ede4"], [0.5, "#d99a7a"], [1.0, "#8c2f1c"]]
EMPTY_FILL = "#ebe8e1"


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A plotly figure of plain trace and layout dicts, taken as they are (not validated again).

    Why: plotly checks every element of every list it is given (总览's map alone holds some 4,600
    outline points) and every magic ``update_*`` path: most of a chart's cost at every rerun. The
    builders here write only properties plotly knows (``tests/test_dashboard_charts.py`` has plotly
    validate each builder's output), so nothing is lost. ``go.Figure(…).data[0].x`` still reads as usual.
    """
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


def _layout(title: str = "", height: int = 360, xaxis: dict | None = None, yaxis: dict | None = None,
            **more: object) -> dict:
    """The house layout of every plotly chart: its title, height, font, and plain-digit axes."""
    # Plotly's default SI suffixes (150k) mean nothing to a Chinese reader; axes are scaled
    # to 万/亿 by ``scale_for`` instead and show plain digits with thousands separators.
    plain = {"exponentformat": "none", "separatethousands": True}
    return {
        "title": {"text": title, "x": 0, "font": {"size": 15}}, "height": height,
        "margin": {"l": 8, "r": 8, "t": 40 if title else 8, "b": 8},
        "font": {"family": FONT}, "separators": ".,", "showlegend": False,
        "hoverlabel": {"font": {"family": FONT}}, "clickmode": "event+select", "dragmode": False,
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        "xaxis": {**(xaxis or {}), **plain}, "yaxis": {**(yaxis or {}), **plain}, **more,
    }


@plotly_text
def by_city(frame: pd.DataFrame) -> go.Figure:
    """Figures per city, a horizontal bar each (largest on top); click a bar to filter to its city."""
    data = frame.sort_values("figures", kind="stable")
    bar = {"type": "bar", "x": data["figures"].to_numpy(), "y": data["city"].tolist(), "orientation": "h",
           "marker": {"color": ACCENT}, "customdata": data["city"].tolist(),
           "hovertemplate": "%{y}：%{x:,}条数据<extra></extra>"}
    return _figure([bar], _layout("各市数据条数", max(240, 26 * len(data) + 80),
                                  xaxis={"title": {"text": "数据条数"}, "tickformat": ",d"}))


@plotly_text
def by_month(frame: pd.DataFrame) -> go.Figure:
    """Figures per month of publication; click a bar to filter to that month."""
    months = pd.to_datetime(frame["month"])
    bar = {"type": "bar", "x": [format_month(m) for m in months], "y": frame["figures"].to_numpy(),
           "marker": {"color": ACCENT}, "customdata": [m.date().isoformat() for m in months],
           "hovertemplate": "%{x}：%{y:,}条数据<extra></extra>"}
    return _figure([bar], _layout("按月份（刊发日期）", xaxis={"type": "category"},
                                  yaxis={"title": {"text": "数据条数"}, "tickformat": ",d"}))


@plotly_text
def by_initiative(frame: pd.DataFrame, label: Callable[[str], str] = str) -> go.Figure:
    """Figures per initiative, labelled in Chinese; click a bar to filter to it."""
    data = frame.sort_values("figures", kind="stable")
    bar = {"type": "bar", "x": data["figures"].to_numpy(), "y": [label(k) for k in data["initiative"]],
           "orientation": "h", "marker": {"color": "#5b7f74"}, "customdata": data["initiative"].tolist(),
           "hovertemplate": "%{y}：%{x:,}条数据<extra></extra>"}
    return _figure([bar], _layout("各攻坚领域数据条数", max(240, 26 * len(data) + 80),
                                  xaxis={"title": {"text": "数据条数"}, "tickformat": ",d"}))


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


@dataclass(frozen=True)
class _Region:
    """One region's outline as a map draws it: its rings thinned and joined (None between rings)."""

    name: str
    lon: list[float | None]
    lat: list[float | None]
    names: list[str]  # the region's name once per point: a click anywhere on it carries the name
    centre: tuple[float, float]


_REGIONS: dict[int, tuple[dict, tuple[_Region, ...]]] = {}


def _regions(geojson: dict) -> tuple[_Region, ...]:
    """The outlines of ``geojson``'s regions, worked out once per map (the shipped maps never change).

    Every rerun draws the same 16 cities (some 4,600 points): thinning and joining their rings
    again would give the same lists. Keyed by the map object itself (``geo.province_geojson`` and
    ``county_geo.city_counties`` hand out one object per map); the lists are shared, never changed.
    """
    known = _REGIONS.get(id(geojson))
    if known is not None and known[0] is geojson:
        return known[1]
    regions = []
    for feature in geojson.get("features", []):
        name = str(feature["properties"].get("name", ""))
        rings = [_thin(r) for r in _rings(feature["geometry"])]
        if not rings:
            continue
        lon: list[float | None] = []
        lat: list[float | None] = []
        for ring in rings:
            lon += [p[0] for p in ring] + [None]
            lat += [p[1] for p in ring] + [None]
        regions.append(_Region(name, lon, lat, [name] * len(lon), _centre(rings)))
    if len(_REGIONS) >= 64:  # a province's map and its cities' county maps; never more in practice
        _REGIONS.clear()
    _REGIONS[id(geojson)] = (geojson, tuple(regions))
    return tuple(regions)


def _region_map(geojson: dict, values: dict[str, float], texts: dict[str, str], title: str,
               labels: bool = True, height: int = 420) -> go.Figure:
    """Regions of ``geojson`` shaded by ``values`` (name -> number), each with its hover text.

    Drawn as filled outlines on plain axes rather than plotly's geo choropleth: that one fetches
    a world topojson from cdn.plot.ly even when given a GeoJSON, and the users' network reaches
    no outside server. A click on a region's area or on its dot carries its name (customdata).
    """
    present = [v for v in values.values() if v is not None and not pd.isna(v)]
    low, peak = (min(present), max(present)) if present else (0.0, 0.0)
    low = min(low, 0.0)
    traces = []
    names, xs, ys, hovers, inks = [], [], [], [], []
    for region in _regions(geojson):
        name = region.name
        value = values.get(name)
        has = value is not None and not pd.isna(value)
        share = (float(value) - low) / (peak - low) if has and peak > low else (1.0 if has else 0.0)
        fill = _colour(share) if has else EMPTY_FILL
        hover = texts.get(name) or f"{name}：暂无数据"
        traces.append({"type": "scatter", "x": region.lon, "y": region.lat, "mode": "lines", "fill": "toself",
                       "fillcolor": fill, "line": {"color": "#ffffff", "width": 1}, "hoveron": "fills",
                       "hoverinfo": "text", "text": hover, "name": name, "customdata": region.names})
        names.append(name)
        xs.append(region.centre[0])
        ys.append(region.centre[1])
        hovers.append(hover)
        inks.append("#ffffff" if has and share > 0.6 else "#2b2b2b")
    short = [n.removesuffix("市") if len(n) > 2 else n for n in names]
    traces.append({
        "type": "scatter", "x": xs, "y": ys, "mode": "markers+text" if labels else "markers", "text": short,
        "textposition": "top center", "textfont": {"size": 11, "color": inks},
        "marker": {"size": 8, "color": "#2b2b2b", "opacity": 0.75}, "customdata": names,
        "hovertext": hovers, "hovertemplate": "%{hovertext}<extra></extra>", "name": "地点",
    })
    # 1° of longitude is shorter than 1° of latitude at 36.5°N; keep Shandong's shape.
    return _figure(traces, _layout(title, height, xaxis={"visible": False, "fixedrange": True},
                                   yaxis={"visible": False, "fixedrange": True, "scaleanchor": "x",
                                          "scaleratio": 1 / math.cos(math.radians(36.5))}))


@plotly_text
def city_map(frame: pd.DataFrame, geojson: dict) -> go.Figure:
    """Shandong's cities shaded by their number of figures (columns city, figures)."""
    counts = dict(zip(frame["city"], frame["figures"], strict=False)) if len(frame) else {}
    texts = {c: f"{c}：{int(n):,}条数据" for c, n in counts.items()}
    return _region_map(geojson, {c: float(n) for c, n in counts.items()}, texts,
                      "各市数据分布（点击城市筛选）")


@plotly_text
def value_map(figures: pd.DataFrame, geojson: dict, metric: str, unit: str, title: str = "",
              labels: bool = True) -> go.Figure:
    """A choropleth of one metric for one period: each place's figure (``series.place_figures``)."""
    values = dict(zip(figures["place"], figures["value"], strict=False)) if len(figures) else {}
    texts = {r.place: f"{r.label}：{format_with_exact(r.value, unit)}<br>{metric} · {r.period_label}"
                      f"<br>刊发：{format_date(r.published)}"
             for r in figures.itertuples(index=False)}
    return _region_map(geojson, values, texts, title or f"{metric}（点击地图筛选）", labels=labels)


def _value_axis(values: pd.Series, divisor: float) -> dict:
    """Integer units never get fractional ticks: whole values below 10 tick at every 1."""
    scaled = values / divisor
    if len(scaled) and bool((scaled.round(9) % 1 == 0).all()):
        axis = {"tickformat": ",d", "rangemode": "tozero"}
        if float(scaled.abs().max()) < 10:
            axis.update(dtick=1, tick0=0)
        return axis
    return {"tickformat": ",~r", "rangemode": "tozero"}


@plotly_text
def metric_by_place(latest: pd.DataFrame, metric: str, unit: str, title: str = "各地最新值") -> go.Figure:
    """Each place's figure (``series.latest_per_place`` / ``in_period``): a bar per place, named at its level.

    The bar's name is the place as the figure speaks for it (``聊城市（2个县区合计）`` when summed);
    its text gives the value in 万/亿 and the period; the hover adds the exact value and the date printed.
    """
    data = latest.sort_values("value", kind="stable")
    divisor, axis_unit = scale_for(data["value"], unit)
    bar = {
        "type": "bar", "x": (data["value"] / divisor).to_numpy(), "y": data["label"].tolist(),
        "orientation": "h", "marker": {"color": ACCENT}, "customdata": data["place"].tolist(),
        "text": [f"{format_quantity(v, unit)} · {p}" for v, p in zip(data["value"], data["period_label"],
                                                                     strict=True)],
        "textposition": "auto",
        "hovertext": [f"{lab}：{format_with_exact(v, unit)}<br>时期：{p}<br>刊发：{format_date(d)}"
                      for lab, v, p, d in zip(data["label"], data["value"], data["period_label"],
                                              data["published"], strict=True)],
        "hovertemplate": "%{hovertext}<extra></extra>",
    }
    xaxis = {"title": {"text": axis_title(metric, axis_unit, unit)}, **_value_axis(data["value"], divisor)}
    return _figure([bar], _layout(title, max(240, 28 * len(data) + 90), xaxis=xaxis))


@plotly_text
def metric_over_time(figures: pd.DataFrame, metric: str, unit: str, targets: pd.DataFrame | None = None,
                     title: str = "各时期数值（按数据所属时期）") -> go.Figure:
    """One line per place over the periods the figures cover (one tick per distinct period).

    ``figures`` are ``series.place_figures`` rows (periods, not publication dates); the printed
    date is in the tooltip. Targets (``kind == "target"``) are drawn apart as hollow diamonds,
    and where a result and a target share place and period the tooltip gives 完成率.
    """
    targets = targets if targets is not None else figures.iloc[0:0]
    data = figures[figures["period_label"] != "时期不详"].sort_values("period_order", kind="stable")
    goals = targets[targets["period_label"] != "时期不详"] if len(targets) else targets
    every = pd.concat([data[["period_label", "period_order"]], goals[["period_label", "period_order"]]])
    order = list(every.drop_duplicates("period_label").sort_values("period_order")["period_label"])
    values = pd.concat([data["value"], goals["value"]]) if len(goals) else data["value"]
    divisor, axis_unit = scale_for(values, unit)
    rated = completion(data, goals)
    traces = []
    for label, group in rated.groupby("label", sort=True):
        place = group["place"].iloc[-1]
        hovers = []
        for r in group.itertuples(index=False):
            text = f"{r.label}：{format_with_exact(r.value, unit)}<br>时期：{r.period_label}" \
                   f"<br>刊发：{format_date(r.published)}"
            if not pd.isna(r.rate):
                text += f"<br>目标 {format_quantity(r.target, unit)}，完成率 {r.rate:.0%}"
            hovers.append(text)
        traces.append({"type": "scatter", "x": group["period_label"].tolist(),
                       "y": (group["value"] / divisor).to_numpy(), "mode": "lines+markers", "name": label,
                       "customdata": [place] * len(group), "hovertext": hovers,
                       "hovertemplate": "%{hovertext}<extra></extra>"})
    for place, group in goals.groupby("place", sort=True) if len(goals) else []:
        traces.append({
            "type": "scatter", "x": group["period_label"].tolist(),
            "y": (group["value"] / divisor).to_numpy(), "mode": "markers",
            "name": f"{group['label'].iloc[-1]}（目标）", "customdata": [place] * len(group),
            "marker": {"symbol": "diamond-open", "size": 11, "line": {"width": 2}},
            "hovertext": [f"{r.label} 目标：{format_with_exact(r.value, unit)}<br>时期：{r.period_label}"
                          f"<br>刊发：{format_date(r.published)}" for r in group.itertuples(index=False)],
            "hovertemplate": "%{hovertext}<extra></extra>",
        })
    xaxis = {"type": "category", "categoryorder": "array", "categoryarray": order, "tickmode": "array",
             "tickvals": order, "ticktext": order, "title": {"text": "数据所属时期"}}
    layout = _layout(title, xaxis=xaxis, yaxis=_value_axis(values, divisor))
    # The value axis is named in words, written horizontally above it (not rotated, not one character).
    name = {"text": axis_title(metric, axis_unit, unit), "x": 0, "xref": "paper", "y": 1.0, "yref": "paper",
            "xanchor": "left", "yanchor": "bottom", "showarrow": False, "font": {"size": 12}}
    layout.update(annotations=[name],
                  showlegend=True, legend={"orientation": "h", "y": -0.25},
                  margin={"l": 8, "r": 8, "t": 64, "b": 8})
    return _figure(traces, layout)


# ---- altair: rankings and small multiples (static, printable, no click needed) --------------

def _altair_frame(figures: pd.DataFrame, unit: str) -> tuple[pd.DataFrame, str]:
    divisor, axis_unit = scale_for(figures["value"], unit)
    frame = pd.DataFrame({
        "地点": figures["label"], "place": figures["place"], "数值": figures["value"] / divisor,
        "显示": [format_quantity(v, unit) for v in figures["value"]],
        "精确值": [format_exact(v, unit) for v in figures["value"]],
        "时期": figures["period_label"], "order": figures["period_order"],
        "刊发": [format_date(d) for d in figures["published"]],
    })
    return frame, axis_unit


def ranking(figures: pd.DataFrame, metric: str, unit: str, period: str) -> alt.Chart:
    """Places ranked on one metric for one period: a bar each, largest on top, value written at its end."""
    import altair as alt

    frame, axis_unit = _altair_frame(figures, unit)
    whole = bool(((frame["数值"].round(9) % 1) == 0).all()) if len(frame) else False
    axis = alt.Axis(title=axis_title(metric, axis_unit, unit), format=",d" if whole else ",~r",
                    tickMinStep=1 if whole else alt.Undefined, titleAngle=0)
    y = alt.Y("地点:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260))
    bars = alt.Chart(frame).mark_bar(color=ACCENT).encode(
        x=alt.X("数值:Q", axis=axis), y=y,
        tooltip=["地点", "显示", "精确值", "时期", "刊发"])
    text = bars.mark_text(align="left", dx=4, color="#2b2b2b").encode(text="显示:N")
    return (bars + text).properties(title=f"{metric} · {period} 排名", height=max(120, 26 * len(frame)),
                                    width="container").configure(font=FONT_NAME)


def small_multiples(figures: pd.DataFrame, metric: str, unit: str) -> alt.Chart:
    """2–4 places side by side, one small chart each over the same periods and the same scale."""
    import altair as alt

    frame, axis_unit = _altair_frame(figures, unit)
    order = list(frame.drop_duplicates("时期").sort_values("order")["时期"])
    whole = bool(((frame["数值"].round(9) % 1) == 0).all()) if len(frame) else False
    base = alt.Chart(frame).encode(
        x=alt.X("时期:O", sort=order, title="数据所属时期", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("数值:Q", title=axis_title(metric, axis_unit, unit),
                axis=alt.Axis(format=",d" if whole else ",~r", tickMinStep=1 if whole else alt.Undefined,
                              titleAngle=0, titleAlign="left", titleY=-8, titleX=0)),
        tooltip=["地点", "时期", "显示", "精确值", "刊发"])
    layered = (base.mark_line(color=ACCENT) + base.mark_point(color=ACCENT, filled=True, size=60)
               + base.mark_text(dy=-10, fontSize=11).encode(text="显示:N"))
    return layered.properties(width=220, height=180).facet(
        facet=alt.Facet("地点:N", title=None), columns=4,
    ).properties(title=f"{metric}：各地对比").configure(font=FONT_NAME)
