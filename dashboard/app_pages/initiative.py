"""The one template of every initiative page (助企纾困, 技术改造, 脱贫攻坚, …).

``render(key)`` draws the page of one initiative of the taxonomy: a card per canonical metric that
says whose figure it is and for when (``淄博市 · 2019年``), with its change since the same place's
earlier period in another report; then one metric at a time (one unit, one kind — never 元 beside
户, nor a stock beside a flow) by place at the right level and over the periods the figures cover,
with the figures behind each chart. The metric shown is in the URL (``?show=…``).
app.py makes one st.Page per key.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from dashboard import auth, charts, filters, queries, series, tables
from dashboard.formatting import format_date, format_exact, format_quantity, format_with_exact
from dashboard.initiatives import KIND_LABELS, by_key, label_of, lower_is_better

_CARDS = 6


def delta_text(change: float | None, unit: str) -> str | None:
    """A card's change, signed with an ASCII minus so the arrow points down: ``-99.9亿元``."""
    if change is None or pd.isna(change):
        return None
    if change == 0:
        return "持平"
    sign = "+" if change > 0 else "-"
    if unit in ("%", "百分点"):
        return f"{sign}{abs(change):,.2f}".rstrip("0").rstrip(".") + "个百分点"
    return sign + format_quantity(abs(change), unit)


def scope(current: filters.Filters) -> tuple[str, str]:
    """The one county or the one city the filters chose ("" when none or several)."""
    county = current.counties[0] if len(current.counties) == 1 else ""
    city = current.cities[0] if len(current.cities) == 1 else ""
    return county, city


# A card's label says whose figure, when and what (聊城市 · 2021年5月 · 脱贫户数): Streamlit cuts a long
# label to one line with an ellipsis, which hid the metric's name; the label wraps instead.
_WHOLE_LABELS = ("<style>[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer'],"
                 "[data-testid='stMetricLabel'] p{white-space:normal!important;overflow:visible!important;"
                 "text-overflow:clip!important}</style>")


def _cards(rows: pd.DataFrame, current: filters.Filters, metrics) -> None:
    if not metrics:
        st.info("这一领域在分类表中没有核心指标。")
        return
    rows = rows[rows["kind"] != "target"]
    county, city = scope(current)
    found = series.cards(rows, county=county, city=city)
    shown = [c for m in metrics for (name, unit, _), c in found.items() if (name, unit) == (m.name, m.unit)]
    if not shown:
        st.info("暂无这一领域核心指标的数据（或所选地区没有）。")
        return
    st.markdown(_WHOLE_LABELS, unsafe_allow_html=True)
    columns = st.columns(min(3, len(shown)))
    for i, item in enumerate(shown[:_CARDS]):
        help_text = (f"{item.place}，{item.period}；精确值 {format_exact(item.value, item.unit)}；"
                     f"{format_date(item.published)}刊发")
        if item.source == "县区合计":
            help_text += "；为各县区同一时期数据之和"
        description = None
        if item.change is not None:
            help_text += (f"；变化与该地{item.previous_period}"
                          f"（{format_date(item.previous_published)}刊发）相比")
            description = f"较{item.previous_period}"
        delta = delta_text(item.change, item.unit)
        flat = delta == "持平"
        columns[i % len(columns)].metric(
            f"{item.place} · {item.period} · {item.metric}（{KIND_LABELS.get(item.kind, item.kind)}）",
            format_quantity(item.value, item.unit), delta=delta,
            delta_color="off" if flat else
            ("inverse" if lower_is_better(item.metric, item.unit) else "normal"),
            delta_arrow="off" if flat else "auto", delta_description=description, help=help_text, border=True,
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
    return f"{metric or '未命名指标'}（{unit or '无单位'} · {kind_label}，{counts.get(choice, 0)}条）"


def _higher_levels(rows: pd.DataFrame, unit: str) -> None:
    """The province's and the nation's figures, said in words beside the chart — never among cities."""
    high = series.with_periods(rows[rows["level"].isin(["province", "nation"])])
    if high.empty:
        return
    newest = high.sort_values("period_order").groupby("city", sort=False).tail(1)
    st.caption("　".join(f"{r.city}：{format_with_exact(r.value, unit)}（{r.period_label}，"
                        f"{format_date(r.published)}刊发）" for r in newest.itertuples(index=False)))


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
    # One pass for the canonical metrics (and their targets): the cards, and the chart below when
    # the metric chosen is one of them.
    names = tuple(dict.fromkeys(m.name for m in item.metrics))
    canonical = queries.place_periods(current, names, initiative=key) if names else None
    st.subheader("核心指标：最新值")
    _cards(canonical if canonical is not None else pd.DataFrame(), current, item.metrics)

    st.subheader("分指标查看")
    st.caption("每次只看一个指标、一种单位和类型：不同单位、累计数与期间数从不相加；"
               "市的数值是市级数据，或标明为各县区同一时期之和。")
    choices = _choices(available, item.metrics)
    counts = {(r.metric, r.unit, r.kind): r.figures for r in available.itertuples(index=False)}
    choice = filters.url_selectbox("指标", choices, param="show", key=f"metric_{key}",
                                   format_func=lambda c: _label(c, counts))
    metric, unit, kind = choice
    if canonical is not None and metric in names:
        both = canonical[(canonical["metric"] == metric) & (canonical["unit"] == unit)]
    else:
        both = queries.place_periods(current, (metric,), unit, (kind, "target"), key)
    rows = both[both["kind"] == kind]
    goals = both[both["kind"] == "target"] if kind != "target" else both.iloc[0:0]
    county, city = scope(current)
    level = "county" if city and (rows["level"] == "county").any() else "city"
    figures = series.place_figures(rows, level, city)
    targets = series.place_figures(goals, level, city) if len(goals) else figures.iloc[0:0]
    where = f"{city}各县区" if level == "county" else "各市"
    left, right = st.columns(2)
    with left:
        latest = series.latest_per_place(figures)
        if latest.empty:
            st.info("这些数据没有市级（或县区）数据可比。")
        else:
            name = "counties" if level == "county" else "cities"
            filters.clickable_chart(charts.metric_by_place(latest, metric, unit, f"{where}最新值"),
                                    f"initiative_{key}_place", name)
        _higher_levels(rows, unit)
    with right:
        if (figures["period_label"] != "时期不详").any():
            fig = charts.metric_over_time(figures, metric, unit, targets,
                                          f"{where}各时期数值（按数据所属时期）")
            filters.clickable_chart(fig, f"initiative_{key}_time",
                                    "counties" if level == "county" else "cities")
        else:
            st.info("这些数据都没有说明所属时期，无法画出时间变化。")
    # The figures behind the charts are read only when asked for: a metric may have thousands.
    if st.toggle(f"显示图表背后的数据（{int(rows['reports'].sum()):,}条报道）", key=f"detail_{key}"):
        detail = queries.metric_rows(current, key, metric, unit, kind)
        tables.article_table(tables.display_frame(detail, label=label_of),
                             list(zip(detail["article_id"], detail["fact_id"], strict=True)),
                             key=f"detail_table_{key}", filters=current, column_config=tables.COLUMN_CONFIG,
                             width="stretch")
