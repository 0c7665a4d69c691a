"""The metric and period a value view shows (总览's map, 县区, 排名, 对比), chosen once and kept in the URL.

One metric in one unit and kind (``?show=项目投资额·元·flow``) and one period (``?period=2023年``):
a map or a ranking compares like with like. The same ``show`` key serves every view, so going from
总览 to 县区 to 排名 keeps the metric an official was looking at.
Example: ``pick_metric(Filters(cities=("聊城市",)), "county_metric")`` -> ``("项目投资额", "元", "flow")``.
"""

from __future__ import annotations

import pandas as pd

from dashboard import filters, queries
from dashboard.initiatives import KIND_LABELS, initiatives


def _canonical_rank() -> dict[tuple[str, str], int]:
    ranks: dict[tuple[str, str], int] = {}
    for item in initiatives():
        for metric in item.metrics:
            ranks.setdefault((metric.name, metric.unit), len(ranks))
    return ranks


def choices(available: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The metrics most places reported first (a map or a ranking of one place says little);
    among equals the taxonomy's canonical metrics, in its order."""
    rank = _canonical_rank()
    keyed = [((r.metric, r.unit, r.kind), r.places) for r in available.itertuples(index=False)]
    keyed.sort(key=lambda item: (-item[1], rank.get(item[0][:2], len(rank))))
    return [k for k, _ in keyed]


def label(choice: tuple[str, str, str], places: dict | None = None) -> str:
    """``("项目投资额", "元", "flow")`` -> ``"项目投资额（元 · 期间）"``."""
    metric, unit, kind = choice
    tail = f"，{places[choice]}地" if places and choice in places else ""
    return f"{metric}（{unit or '无单位'} · {KIND_LABELS.get(kind, kind)}{tail}）"


def available(current: filters.Filters) -> pd.DataFrame:
    """The metrics ``pick_metric`` offers under ``current`` (``queries.value_metrics``).

    The list depends on the initiative filter only, so it is read once per store version and a
    change of city or date reruns no query for it (a metric a city lacks then charts as empty).
    """
    return queries.value_metrics(filters.Filters(initiatives=current.initiatives))


def pick_metric(current: filters.Filters, key: str, container=None) -> tuple[str, str, str] | None:
    """A selectbox of the metrics placed in cities or counties (``available``); None when there is none."""
    offered = available(current)
    if offered.empty:
        return None
    options = choices(offered)
    places = {(r.metric, r.unit, r.kind): r.places for r in offered.itertuples(index=False)}
    return filters.url_selectbox("指标", options, param="show", key=key, container=container,
                                 format_func=lambda c: label(c, places),
                                 help="每次只比较一个指标、一种单位和类型")


def pick_period(periods: list[str], key: str, container=None) -> str:
    """A selectbox of the periods (newest first) the figures cover; "" when there is none."""
    if not periods:
        return ""
    return filters.url_selectbox("时期", periods, param="period", key=key, container=container,
                                 help="数据所属的时期（不是刊发日期）；排名和地图只比较同一时期")
