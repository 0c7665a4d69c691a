"""The one template of every initiative page (助企纾困, 技术改造, 脱贫攻坚, …).

``render(key)`` draws the page of one initiative of the taxonomy: a card per canonical metric
(latest value and change since the same place's previous report), then one metric at a time
(one unit, one kind — never 元 beside 户, nor a cumulative stock beside a period's flow) by
place and over time, with the figures behind each chart. app.py makes one st.Page per key.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from dashboard import auth, charts, filters, queries, series, tables
from dashboard.formatting import format_date, format_quantity
from dashboard.initiatives import KIND_LABELS, by_key, label_of

_CARDS = 6


def _delta(change: float | None, unit: str) -> str | None:
    if change is None or pd.isna(change):
        return None
    if unit == "%":
        return f"{change:+,.1f}个百分点"
    sign = "+" if change >= 0 else "−"
    return sign + format_quantity(abs(change), unit)


def _cards(latest: pd.DataFrame, metrics) -> None:
    shown = []
    for metric in metrics:
        rows = latest[(latest["metric"] == metric.name) & (latest["unit"] == metric.unit)]
        shown.extend(rows.itertuples(index=False))
    if not shown:
        st.info("暂无这一领域的核心指标数据。")
        return
    columns = st.columns(min(3, len(shown)))
    for i, row in enumerate(shown[:_CARDS]):
        place = row.county or row.city or "地点不详"
        help_text = f"{place}，{format_date(row.published)}报道"
        if row.prev_published is not None and not pd.isna(row.prev_value):
            help_text += f"；变化与该地上一次报道（{format_date(row.prev_published)}）相比"
        change = None if pd.isna(row.prev_value) else row.value - row.prev_value
        same = change == 0
        columns[i % len(columns)].metric(
            f"{row.metric}（{KIND_LABELS.get(row.kind, row.kind)}）", format_quantity(row.value, row.unit),
            delta="持平" if same else _delta(change, row.unit), delta_color="off" if same else "normal",
            delta_arrow="off" if same else "auto",
            delta_description="较该地上次报道" if change is not None else None,
            help=help_text, border=True,
        )


def _choices(available: pd.DataFrame, metrics) -> list[tuple[str, str, str]]:
    """Canonical metrics first (in the taxonomy's order), then the others by number of figures."""
    rank = {(m.name, m.unit): i for i, m in enumerate(metrics)}
    keyed = [((r.metric, r.unit, r.kind), r.figures) for r in available.itertuples(index=False)]
    keyed.sort(key=lambda item: (rank.get(item[0][:2], len(rank)), -item[1]))
    return [k for k, _ in keyed]


def _label(choice: tuple[str, str, str], counts: dict) -> str:
    metric, unit, kind = choice
    kind_label = KIND_LABELS.get(kind, kind)
    return f"{metric or '未命名指标'}（{unit or '无单位'} · {kind_label}，{counts[choice]}条）"


def render(key: str) -> None:
    """One initiative's page; ``key`` is its taxonomy key (``"poverty"``)."""
    auth.require_role("viewer")
    item = by_key(key)
    # This page is the initiative: the sidebar's initiative filter does not apply here.
    current = dataclasses.replace(filters.current(), initiatives=())
    st.title(item.label)
    available = queries.metric_series(current, key)
    if available.empty:
        st.info(f"没有符合当前筛选条件的「{label_of(key)}」数据：请放宽左侧的筛选条件，或导入更多版面。")
        return
    st.subheader("核心指标：最新值")
    _cards(queries.metric_latest(current, key), item.metrics)

    st.subheader("分指标查看")
    st.caption("每次只看一个指标、一种单位和类型：不同单位、累计数与期间数从不相加。")
    choices = _choices(available, item.metrics)
    counts = {(r.metric, r.unit, r.kind): r.figures for r in available.itertuples(index=False)}
    choice = st.selectbox("指标", choices, format_func=lambda c: _label(c, counts), key=f"metric_{key}")
    metric, unit, kind = choice
    rows = queries.metric_rows(current, key, metric, unit, kind)
    latest = series.latest_per_place(rows, by="city")
    left, right = st.columns(2)
    with left:
        if latest.empty:
            st.info("这些数据都没有落到具体城市。")
        else:
            filters.clickable_chart(charts.metric_by_place(latest, unit), f"initiative_{key}_city", "cities")
    with right:
        if rows["published_date"].notna().any():
            filters.clickable_chart(charts.metric_over_time(rows, unit), f"initiative_{key}_time", "cities")
        else:
            st.info("这些数据所在文章的刊发日期不详，无法画出时间变化。")
    with st.expander(f"图表背后的数据（{len(rows):,}条）", expanded=False):
        st.dataframe(tables.display_frame(rows, label=label_of), hide_index=True,
                     column_config=tables.COLUMN_CONFIG, width="stretch")
