"""The filters of every view, and the only place that reads or writes the URL (``st.query_params``).

A view is its URL: ``?city=聊城市&initiative=poverty&from=2020-01-01&q=技改`` reproduces the same
table on another official's screen. Streamlit 1.67 can bind a widget to the URL
(``bind="query-params"``), but it writes the *displayed* option (脱贫攻坚), not the key (poverty),
and refuses programmatic changes through ``st.query_params``; so the URL is synced here by hand:
read once when a session starts, written after every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields

import streamlit as st

# URL parameter -> Filters field; several values repeat the parameter (?city=A&city=B).
PARAMS = {"city": "cities", "county": "counties", "initiative": "initiatives", "metric": "metrics",
          "from": "start", "to": "end", "q": "text", "paper": "papers", "campaign": "campaigns"}
ARTICLE_PARAM = "article"
_SEEDED = "_filters_seeded_from_url"
_CURRENT = "_filters_current"


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the figures to; empty means "all". Hashable, so it keys caches."""

    cities: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    initiatives: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    text: str = ""
    papers: tuple[str, ...] = ()  # the outlets (聊城日报, 大众网) the articles came from
    campaigns: tuple[str, ...] = ()  # named campaigns (三提三敢): figures of articles that name one

    def is_empty(self) -> bool:
        return self == Filters()

    def describe(self, label: Callable[[str], str] = str) -> dict[str, str]:
        """The filters in words, for the XLSX 说明 sheet: ``{"城市": "聊城市", …}``."""
        def joined(values: Sequence[str]) -> str:
            return "、".join(values) if values else "全部"
        return {
            "城市": joined(self.cities), "县（市、区）": joined(self.counties),
            "攻坚领域": joined([label(k) for k in self.initiatives]), "指标": joined(self.metrics),
            "起始日期": self.start.isoformat() if self.start else "不限",
            "截止日期": self.end.isoformat() if self.end else "不限",
            "原句包含": self.text or "不限",
            "报纸": joined(self.papers),
            "攻坚行动": joined(self.campaigns),
        }


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def filters_from_params(params: Mapping[str, Sequence[str] | str]) -> Filters:
    """URL parameters -> Filters; unknown parameters and malformed dates are ignored.

    ``filters_from_params({"city": ["聊城市"], "from": ["2020-01-01"]})``
    -> ``Filters(cities=("聊城市",), start=date(2020, 1, 1))``.
    """
    values: dict[str, object] = {}
    for param, name in PARAMS.items():
        raw = params.get(param)
        if raw is None:
            continue
        items = [raw] if isinstance(raw, str) else list(raw)
        items = [s.strip() for s in items if s and s.strip()]
        if not items:
            continue
        if name in ("start", "end"):
            values[name] = _date(items[0])
        elif name == "text":
            values[name] = items[0]
        else:
            values[name] = tuple(dict.fromkeys(items))
    return Filters(**values)


def filters_to_params(filters: Filters) -> dict[str, list[str]]:
    """Filters -> URL parameters, leaving out what is not set (the inverse of ``filters_from_params``)."""
    out: dict[str, list[str]] = {}
    for param, name in PARAMS.items():
        value = getattr(filters, name)
        if not value:
            continue
        if isinstance(value, dt.date):
            out[param] = [value.isoformat()]
        elif isinstance(value, str):
            out[param] = [value]
        else:
            out[param] = list(value)
    return out


# ---- Streamlit side -------------------------------------------------------------------------

_KEYS = {name: f"f_{name}" for name in (f.name for f in fields(Filters))}


def _seed_from_url() -> None:
    if st.session_state.get(_SEEDED):
        return
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    seeded = filters_from_params(params)
    for name, key in _KEYS.items():
        value = getattr(seeded, name)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    st.session_state[_SEEDED] = True


def _choices(key: str, options: Sequence[str]) -> list[str]:
    """Options of a multiselect, keeping what the URL asked for even if the store has none of it."""
    chosen = [v for v in st.session_state.get(key) or [] if v not in options]
    return list(options) + chosen


@dataclass(frozen=True)
class Options:
    """What the filters offer, read from the store: cities, counties per city, metrics per initiative."""

    cities: tuple[str, ...] = ()
    counties: Mapping[str, tuple[str, ...]] | None = None
    initiatives: tuple[str, ...] = ()
    metrics: Mapping[str, tuple[str, ...]] | None = None
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    papers: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()


def render_sidebar(options: Options, label: Callable[[str], str] = str) -> Filters:
    """Draw the filter widgets in the sidebar and return what they say; keeps the URL in step."""
    _seed_from_url()
    side = st.sidebar
    side.markdown("**筛选条件**")
    cities = side.multiselect("城市", _choices(_KEYS["cities"], options.cities), key=_KEYS["cities"],
                              placeholder="全部城市", help="可多选；县区选项随所选城市变化")
    by_city = options.counties or {}
    county_options = sorted({c for city in (cities or by_city.keys()) for c in by_city.get(city, ())})
    kept = [c for c in st.session_state.get(_KEYS["counties"]) or [] if c in county_options]
    st.session_state[_KEYS["counties"]] = kept
    counties = side.multiselect("县（市、区）", county_options, key=_KEYS["counties"], placeholder="全部县区")
    initiatives = side.multiselect("攻坚领域", _choices(_KEYS["initiatives"], options.initiatives),
                                   key=_KEYS["initiatives"], format_func=label, placeholder="全部领域")
    by_initiative = options.metrics or {}
    metric_options = sorted({m for k in (initiatives or by_initiative.keys())
                             for m in by_initiative.get(k, ())})
    metrics = side.multiselect("指标", _choices(_KEYS["metrics"], metric_options), key=_KEYS["metrics"],
                               placeholder="全部指标")
    left, right = side.columns(2)
    start = left.date_input("起始日期", key=_KEYS["start"], value=None, min_value=dt.date(1990, 1, 1),
                            max_value=dt.date(2100, 12, 31), format="YYYY-MM-DD",
                            help="按文章刊发日期筛选")
    end = right.date_input("截止日期", key=_KEYS["end"], value=None, min_value=dt.date(1990, 1, 1),
                           max_value=dt.date(2100, 12, 31), format="YYYY-MM-DD")
    campaigns = side.multiselect("攻坚行动", _choices(_KEYS["campaigns"], options.campaigns),
                                 key=_KEYS["campaigns"], placeholder="全部攻坚行动",
                                 help="只保留提到这些攻坚行动（如三提三敢）的文章中的数据")
    text = side.text_input("原句搜索", key=_KEYS["text"], placeholder="例如：技改、贷款",
                           help="只保留原句中含有这段文字的数据")
    papers = side.multiselect("报纸", _choices(_KEYS["papers"], options.papers), key=_KEYS["papers"],
                              placeholder="全部报纸",
                              help="文章的来源报纸或网站（来自清单、导入页或文中的“来源”）")
    filters = Filters(cities=tuple(cities), counties=tuple(counties), initiatives=tuple(initiatives),
                      metrics=tuple(metrics), start=start, end=end, text=(text or "").strip(),
                      papers=tuple(papers), campaigns=tuple(campaigns))
    if not filters.is_empty():
        side.button("清除筛选", on_click=clear, icon=":material/filter_alt_off:")
    write_url(filters)
    st.session_state[_CURRENT] = filters
    return filters


def current() -> Filters:
    """The filters of this run (set by ``render_sidebar`` in app.py before the page runs)."""
    return st.session_state.get(_CURRENT) or Filters()


def write_url(filters: Filters) -> None:
    """Put the filters into the address bar, leaving other parameters (the article id) alone."""
    wanted = filters_to_params(filters)
    for param in PARAMS:
        if param in wanted:
            if st.query_params.get_all(param) != wanted[param]:
                st.query_params[param] = wanted[param]
        elif param in st.query_params:
            del st.query_params[param]


def clear() -> None:
    """Callback of 清除筛选: every filter back to "all"."""
    for name, key in _KEYS.items():
        st.session_state[key] = None if name in ("start", "end") else ("" if name == "text" else [])


def narrow(name: str, value: str) -> None:
    """Narrow one filter to a single value (a clicked bar or map region). Call from a callback."""
    if name not in _KEYS or not value:
        return
    st.session_state[_KEYS[name]] = [value]


def on_select(chart_key: str, name: str) -> Callable[[], None]:
    """A callback for ``st.plotly_chart(on_select=…)``: narrow ``name`` to the clicked point's customdata.

    ``name`` is a Filters field ("cities", "initiatives", …) or "month" for the by-month chart.
    """
    def callback() -> None:
        state = st.session_state.get(chart_key)
        selection = getattr(state, "selection", None) or (state or {}).get("selection", {})
        points = getattr(selection, "points", None) or (selection or {}).get("points", [])
        if not points:
            return
        value = points[0].get("customdata")
        if isinstance(value, list):
            value = value[0] if value else None
        if not value:
            return
        if name == "month":
            narrow_month(dt.date.fromisoformat(str(value)[:10]))
        else:
            narrow(name, str(value))
    return callback


def narrow_month(month_start: dt.date) -> None:
    """Narrow the date range to one month (a clicked bar of the by-month chart)."""
    next_month = (month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    st.session_state[_KEYS["start"]] = month_start
    st.session_state[_KEYS["end"]] = next_month - dt.timedelta(days=1)


def article_id() -> str:
    """The article the 原文 page shows (``?article=…``), or ""."""
    return st.query_params.get(ARTICLE_PARAM, "") or ""


def set_article_id(value: str) -> None:
    if value:
        st.query_params[ARTICLE_PARAM] = value
    elif ARTICLE_PARAM in st.query_params:
        del st.query_params[ARTICLE_PARAM]


PLOTLY_CONFIG = {"displaylogo": False, "locale": "zh-CN", "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def clickable_chart(fig: object, key: str, name: str) -> None:
    """Show a plotly figure whose clicked bar or city narrows the filter ``name`` (see ``on_select``)."""
    st.plotly_chart(fig, key=key, on_select=on_select(key, name), selection_mode="points",
                    config=PLOTLY_CONFIG)
