"""The filters of every view, and the only place that reads or writes the URL (``st.query_params``).

A view is its URL: ``?city=聊城市&initiative=poverty&from=2020-01-01&q=技改`` reproduces the same
table on another official's screen. Streamlit 1.67 can bind a widget to the URL
(``bind="query-params"``), but it writes the *displayed* option (脱贫攻坚), not the key (poverty),
and refuses programmatic changes through ``st.query_params``; so the URL is synced here by hand:
read once when a session starts, written after every run.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields

import streamlit as st

# Every URL key of the dashboard is declared here, and nowhere else.
# PARAMS: URL parameter -> Filters field; several values repeat the parameter (?city=A&city=B).
# A new filter is one entry here plus one field of Filters (and its widget in render_sidebar).
PARAMS = {"province": "provinces",
          "city": "cities", "county": "counties", "initiative": "initiatives", "metric": "metrics",
          "from": "start", "to": "end", "q": "text", "paper": "papers", "campaign": "campaigns"}
# VIEW_PARAMS: a page's own choices, so a shared link reproduces the chart and not only the rows.
VIEW_PARAMS = {
    "show": "the metric a page charts, as 指标·单位·类型 (技改投资·元·flow)",
    "period": "the period a ranking or map shows (2020年, 2020年1–5月)",
    "place": "the places 对比 puts side by side (repeated, 2–4); the city of 搜索·热词",
    "level": "city or county, for 排名",
    "article": "the article 原文 shows",
    "fact": "the figure 原文 marks (the one the reader came from)",
    # Not a filter of the figures (``q`` is that: 原句 containing a text), so not in PARAMS.
    "words": "the words 搜索 looks for in the articles (技改 贷款)",
    "view": "搜索's view when it is not the article search (热词)",
}
ARTICLE_PARAM = "article"
FACT_PARAM = "fact"
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
    provinces: tuple[str, ...] = ()  # 山东省, 甘肃省 …: the home province's figures or another's
    campaigns: tuple[str, ...] = ()  # named campaigns (三提三敢): figures of articles that name one

    def is_empty(self) -> bool:
        return self == Filters()

    def describe(self, label: Callable[[str], str] = str) -> dict[str, str]:
        """The filters in words, for the XLSX 说明 sheet: ``{"城市": "聊城市", …}``."""
        def joined(values: Sequence[str]) -> str:
            return "、".join(values) if values else "全部"
        return {
            "省份": joined(self.provinces),
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


_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]?\s*(?:(\d{1,2})\s*[-/.月]?\s*(?:(\d{1,2})\s*日?)?)?\s*$")


def parse_date_text(text: str | None, end: bool = False) -> dt.date | None:
    """A typed date in any of the ways officials write one; a bare year or month spans its whole.

    ``"2020-06-21"``, ``"2020/6/21"``, ``"2020年6月21日"``, ``"20200621"`` -> 2020-06-21;
    ``"2020年6月"`` -> 2020-06-01 (``end=True``: 2020-06-30); ``"2020"`` -> 2020-01-01 (or 12-31).
    Raises ValueError for text that is no date.
    """
    text = (text or "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    found = _DATE_TEXT.match(text)
    if not found:
        raise ValueError(text)
    year, month, day = int(found[1]), found[2], found[3]
    if month is None:
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    if day is None:
        first = dt.date(year, int(month), 1)
        if not end:
            return first
        return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return dt.date(year, int(month), int(day))


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
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif value is None:
            value = ""
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
    last_published: str = ""  # as precise as the newest page allows: "2024-08", never an invented day
    papers: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()
    # Per Filters field, the figures each choice keeps in the whole store: {"campaigns": {"六稳六保": 12}}.
    counts: Mapping[str, Mapping[str, int]] | None = None


def _counted(options: Options, name: str, label: Callable[[str], str] = str) -> Callable[[str], str]:
    """How a choice reads in its filter: ``"六稳六保 (12)"``, the figures it keeps in the whole store.

    A choice the store has no count for (a city the URL asked for that the store lacks) shows bare.
    """
    counts = (options.counts or {}).get(name, {})

    def shown(value: str) -> str:
        n = counts.get(value)
        return label(value) if n is None else f"{label(value)} ({n:,})"
    return shown


_COUNT_HELP = "括号内为全部数据中的条数。"


def render_sidebar(options: Options, label: Callable[[str], str] = str) -> Filters:
    """Draw the filter widgets in the sidebar and return what they say; keeps the URL in step."""
    _seed_from_url()
    side = st.sidebar
    side.markdown("**筛选条件**")
    provinces: list[str] = []
    if len(options.provinces) > 1 or st.session_state.get(_KEYS["provinces"]):
        provinces = side.multiselect("省份", _choices(_KEYS["provinces"], options.provinces),
                                     key=_KEYS["provinces"], placeholder="全部省份",
                                     format_func=_counted(options, "provinces"),
                                     help="外省报纸或外省地方的数据；全国数据不属任何省份。" + _COUNT_HELP)
    cities = side.multiselect("城市", _choices(_KEYS["cities"], options.cities), key=_KEYS["cities"],
                              placeholder="全部城市", format_func=_counted(options, "cities"),
                              help="可多选；县区选项随所选城市变化。" + _COUNT_HELP)
    by_city = options.counties or {}
    county_options = sorted({c for city in (cities or by_city.keys()) for c in by_city.get(city, ())})
    kept = [c for c in st.session_state.get(_KEYS["counties"]) or [] if c in county_options]
    st.session_state[_KEYS["counties"]] = kept
    counties = side.multiselect("县（市、区）", county_options, key=_KEYS["counties"], placeholder="全部县区",
                                format_func=_counted(options, "counties"), help=_COUNT_HELP)
    initiatives = side.multiselect("攻坚领域", _choices(_KEYS["initiatives"], options.initiatives),
                                   key=_KEYS["initiatives"], placeholder="全部领域", help=_COUNT_HELP,
                                   format_func=_counted(options, "initiatives", label))
    by_initiative = options.metrics or {}
    metric_options = sorted({m for k in (initiatives or by_initiative.keys())
                             for m in by_initiative.get(k, ())})
    metrics = side.multiselect("指标", _choices(_KEYS["metrics"], metric_options), key=_KEYS["metrics"],
                               placeholder="全部指标", format_func=_counted(options, "metrics"),
                               help=_COUNT_HELP)
    # Text fields, not date pickers: a typed date applies the moment Enter is pressed (a picker
    # applied it only on blur, swallowing the next click), and the whole date stays visible.
    start = _date_field(side, "起始日期", "start", end=False)
    end = _date_field(side, "截止日期", "end", end=True)
    campaigns = side.multiselect("攻坚行动", _choices(_KEYS["campaigns"], options.campaigns),
                                 key=_KEYS["campaigns"], placeholder="全部攻坚行动",
                                 format_func=_counted(options, "campaigns"),
                                 help="只保留提到这些攻坚行动（如三提三敢，含其组成部分）的文章中的数据。"
                                 + _COUNT_HELP)
    text = side.text_input("原句搜索", key=_KEYS["text"], placeholder="例如：技改、贷款",
                           help="只保留原句中含有这段文字的数据")
    papers = side.multiselect("报纸", _choices(_KEYS["papers"], options.papers), key=_KEYS["papers"],
                              placeholder="全部报纸", format_func=_counted(options, "papers"),
                              help="文章的来源报纸或网站（来自清单、导入页或文中的“来源”）。" + _COUNT_HELP)
    filters = Filters(cities=tuple(cities), counties=tuple(counties), initiatives=tuple(initiatives),
                      metrics=tuple(metrics), start=start, end=end, text=(text or "").strip(),
                      papers=tuple(papers), provinces=tuple(provinces), campaigns=tuple(campaigns))
    if not filters.is_empty():
        side.button("清除筛选", on_click=clear, icon=":material/filter_alt_off:")
    write_url(filters)
    st.session_state[_CURRENT] = filters
    return filters


def _date_field(side, label: str, name: str, end: bool) -> dt.date | None:
    key = _KEYS[name]
    if isinstance(st.session_state.get(key), dt.date):
        st.session_state[key] = st.session_state[key].isoformat()
    text = side.text_input(label, key=key, placeholder="例如 2020-06-01 或 2020年6月",
                           help="按文章刊发日期筛选；输入后按回车生效。只写年或年月，表示整年或整月。")
    try:
        return parse_date_text(text, end=end)
    except ValueError:
        side.warning(f"{label}“{text}”不是日期：请写成 2020-06-01、2020年6月1日 或 2020年6月，再按回车。")
        return None


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
        st.session_state[key] = "" if name in ("start", "end", "text") else []


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
    st.session_state[_KEYS["start"]] = month_start.isoformat()
    st.session_state[_KEYS["end"]] = (next_month - dt.timedelta(days=1)).isoformat()


def article_id() -> str:
    """The article the 原文 page shows (``?article=…``), or ""."""
    return st.query_params.get(ARTICLE_PARAM, "") or ""


def set_article_id(value: str) -> None:
    set_view_param(ARTICLE_PARAM, value)


def fact_id() -> str:
    """The figure 原文 marks (``?fact=…``): the one the reader clicked to come here, or ""."""
    return st.query_params.get(FACT_PARAM, "") or ""


def view_param(param: str) -> list[str]:
    """The values of one of VIEW_PARAMS in the URL (``[]`` when absent)."""
    assert param in VIEW_PARAMS, param
    return [v for v in st.query_params.get_all(param) if v]


def set_view_param(param: str, value: str | Sequence[str]) -> None:
    """Write one of VIEW_PARAMS into the URL ("" or [] removes it), leaving the others alone."""
    assert param in VIEW_PARAMS, param
    values = [value] if isinstance(value, str) else list(value)
    values = [v for v in values if v]
    if values:
        if st.query_params.get_all(param) != values:
            st.query_params[param] = values if len(values) > 1 else values[0]
    elif param in st.query_params:
        del st.query_params[param]


def link_to(page: str, filters: Filters | None = None, **view: str) -> str:
    """A link relative to the current page that keeps the filters and sets view parameters.

    ``link_to("article", Filters(cities=("聊城市",)), article="a1", fact="f9")``
    -> ``"article?city=%E8%81%8A…&article=a1&fact=f9"``: the same view opens on another screen.
    """
    pairs = [(k, v) for k, values in filters_to_params(filters or Filters()).items() for v in values]
    for param, value in view.items():
        assert param in VIEW_PARAMS, param
        if value:
            pairs.append((param, value))
    query = urllib.parse.urlencode(pairs)
    return f"{page}?{query}" if query else page


def view_params(filters: Filters | None = None, **view: str) -> dict[str, list[str]]:
    """The URL parameters of a view: the filters and the page's own choices (``article=…``)."""
    params = filters_to_params(filters or Filters())
    for param, value in view.items():
        assert param in VIEW_PARAMS, param
        if value:
            params[param] = [value]
    return params


def switch_page(page: str, filters: Filters | None = None, **view: str) -> None:
    """Open ``page`` in this tab with the filters kept and view parameters set (``article=…``).

    ``st.switch_page`` reruns with no widget values from the browser, which left the sidebar empty
    and so wiped the filters from the URL; the sidebar is therefore seeded again from the URL given.
    """
    st.session_state[_SEEDED] = False
    st.switch_page(page, query_params=view_params(filters, **view))


def encode_choice(value: object) -> str:
    """A choice as the URL writes it: ``("技改投资", "元", "flow")`` -> ``"技改投资·元·flow"``."""
    return "·".join(str(v) for v in value) if isinstance(value, tuple) else str(value)


def url_selectbox(label: str, options: Sequence, *, param: str, key: str, container=None, **kwargs):
    """A selectbox whose choice lives in the URL (``?show=…``): a shared link shows the same chart.

    The URL seeds the widget the first time it is drawn in a session; afterwards every choice is
    written back. A value the URL asks for that is not among ``options`` falls back to the first.
    """
    options = list(options)
    if key not in st.session_state or st.session_state[key] not in options:
        wanted = view_param(param)
        match = next((o for o in options if wanted and encode_choice(o) == wanted[0]), None)
        if match is not None:
            st.session_state[key] = match
        elif key in st.session_state:
            del st.session_state[key]
    value = (container or st).selectbox(label, options, key=key, **kwargs)
    set_view_param(param, encode_choice(value) if value is not None else "")
    return value


def url_text_input(label: str, *, param: str, key: str, container=None, **kwargs) -> str:
    """A text field whose text lives in the URL (``?words=技改``): a shared link repeats the search.

    The URL seeds the field the first time it is drawn in a session; afterwards the typed text
    (applied on Enter) is written back, and an empty field removes the parameter.
    """
    if key not in st.session_state:
        wanted = view_param(param)
        st.session_state[key] = wanted[0] if wanted else ""
    value = ((container or st).text_input(label, key=key, **kwargs) or "").strip()
    set_view_param(param, value)
    return value


def url_segmented_control(label: str, options: Sequence[str], *, param: str, key: str, default: str,
                          container=None, **kwargs) -> str:
    """A segmented control whose choice lives in the URL; the default choice leaves the URL clean."""
    options = list(options)
    if key not in st.session_state:
        wanted = view_param(param)
        st.session_state[key] = wanted[0] if wanted and wanted[0] in options else default
    value = (container or st).segmented_control(label, options, key=key, **kwargs) or default
    set_view_param(param, "" if value == default else value)
    return value


def url_multiselect(label: str, options: Sequence[str], *, param: str, key: str, default: Sequence[str] = (),
                    container=None, **kwargs) -> list[str]:
    """A multiselect whose choices live in the URL (repeated ``?place=A&place=B``)."""
    options = list(options)
    if key not in st.session_state:
        wanted = [v for v in view_param(param) if v in options]
        st.session_state[key] = wanted or [v for v in default if v in options]
    else:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    values = (container or st).multiselect(label, options, key=key, **kwargs)
    set_view_param(param, list(values))
    return list(values)


PLOTLY_CONFIG = {"displaylogo": False, "locale": "zh-CN", "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def clickable_chart(fig: object, key: str, name: str) -> None:
    """Show a plotly figure whose clicked bar or city narrows the filter ``name`` (see ``on_select``)."""
    st.plotly_chart(fig, key=key, on_select=on_select(key, name), selection_mode="points",
                    config=PLOTLY_CONFIG)
