"""Filter values in, DataFrames out: every question the pages ask of the store.

Two layers. ``fetch_*`` functions take a read connection and plain values and run one
parameterised SQL statement (values are always bound, never formatted into the SQL text, so a
city typed as ``聊城市'; DROP TABLE facts; --`` simply matches nothing); they need no Streamlit and
are what the tests call. The public functions without the prefix wrap them with ``st.cache_data``
keyed by the filters and the store's ``reader_version``: a new ingest publishes a new version, so
stale results are never served, and ``clear()`` frees the old ones.
Example: ``by_city(Filters(initiatives=("poverty",)))`` -> a frame of city, figures.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from dashboard.filters import Filters, Options
from loaders.campaigns import campaign_members
from loaders.storage import current, store, summaries

# Facts a reviewer rejected never reach a chart or a table (the rule of every query module); it and
# the SQL of the questions a snapshot's summaries answer in advance live in the store's package.
BASE = current.BASE
_BASE = BASE
LEVELS = {"county": "县区", "city": "市", "province": "省", "nation": "全国", "": "地点不详"}


TABLE_COLUMNS = ["fact_id", "article_id", "published", "published_date", "province", "city", "county",
                 "initiative", "metric", "value", "unit", "approx", "range_hi", "kind", "period_year",
                 "period", "quote", "sentence", "title", "doc", "confidence", "tier", "review_status"]


def date_clauses(filters: Filters, column: str = "published_date") -> tuple[list[str], list[object]]:
    """The date range as conditions on ``column`` (``a.published_date`` where articles are joined).

    ``date_clauses(Filters(start=date(2020, 1, 1)))`` -> ``(["published_date >= ?"], [date(2020, 1, 1)])``.
    """
    sql: list[str] = []
    params: list[object] = []
    if filters.start:
        sql.append(f"{column} >= ?")
        params.append(filters.start)
    if filters.end:
        sql.append(f"{column} <= ?")
        params.append(filters.end)
    return sql, params


def where(filters: Filters) -> tuple[str, list[object]]:
    """The WHERE conditions of a filter, with their bound values (appended after ``_BASE``).

    ``where(Filters(cities=("聊城市",)))`` -> ``(" AND list_contains(?, city)", [["聊城市"]])``.
    """
    sql: list[str] = []
    params: list[object] = []
    if filters.provinces:
        sql.append("list_contains(?, province)")
        params.append(list(filters.provinces))
    if filters.cities:
        sql.append("list_contains(?, city)")
        params.append(list(filters.cities))
    if filters.counties:
        sql.append("list_contains(?, county)")
        params.append(list(filters.counties))
    if filters.initiatives:
        # A figure may honestly belong to several initiatives ("poverty|rural").
        sql.append("list_has_any(?, string_split(initiative, '|'))")
        params.append(list(filters.initiatives))
    if filters.metrics:
        sql.append("list_contains(?, metric)")
        params.append(list(filters.metrics))
    more_sql, more_params = date_clauses(filters)
    sql += more_sql
    params += more_params
    if filters.text:
        sql.append("contains(sentence, ?)")
        params.append(filters.text)
    if filters.papers:
        sql.append("article_id IN (SELECT article_id FROM articles WHERE list_contains(?, paper))")
        params.append(list(filters.papers))
    if filters.campaigns:  # 六稳六保 takes in its parts 六稳 and 六保
        sql.append("article_id IN (SELECT article_id FROM campaigns WHERE list_contains(?, name))")
        params.append(campaign_members(filters.campaigns))
    return "".join(f" AND {s}" for s in sql), params


def frame(con, sql: str, params: list[object] | None = None) -> pd.DataFrame:
    """Run one statement with its bound values on a cursor of ``con``; the result as a DataFrame."""
    cursor = con.cursor() if hasattr(con, "cursor") else con
    return cursor.execute(sql, params or []).df()


_frame = frame


def _answer(con, summary: str, filters: Filters, sql: Callable[[str], str]) -> pd.DataFrame:
    """With no filter set, the snapshot's answer ``summary`` (written when it was published); else,
    or when the snapshot has none, ``sql`` with the filters' conditions run over the figures."""
    answer = summaries.read(con, summary) if filters.is_empty() else None
    if answer is not None:
        return answer
    cond, params = where(filters)
    return _frame(con, sql(cond), params)


# ---- fetch_*: plain functions on a connection ------------------------------------------------

def fetch_options(con) -> Options:
    """What the filters can offer, each choice with its number of figures in the whole store.

    The store's cities, counties per city, metrics per initiative, provinces and papers; ``counts``
    says how many figures each choice keeps (``{"cities": {"聊城市": 1234, …}, …}``), so the sidebar
    can show ``聊城市 (1,234)``. Read once per store version, at a session's first start: from the
    snapshot's summaries (``loaders.storage.summaries``), or else two passes
    over ``facts`` itself (``current.facts_cte``) rather than five over the view.
    """
    groups = summaries.read(con, "option_groups")
    sources = summaries.read(con, "option_sources")
    if groups is None or sources is None:
        groups = frame(con, summaries.OPTION_GROUPS_SQL)
        sources = frame(con, summaries.OPTION_SOURCES_SQL)
    placed = groups[(groups["counted"] == "place") & (groups["city"] != "")]
    places = placed.groupby(["city", "county"], as_index=False)["n"].sum()
    counties = {city: tuple(sorted(c for c in group["county"] if c))
                for city, group in places.groupby("city")}
    per_initiative: dict[str, set[str]] = {}
    initiative_counts: dict[str, int] = {}
    metric_counts: dict[str, int] = {}
    by_initiative = groups[groups["counted"] == "initiative"]
    for initiative, metric, n in zip(by_initiative["initiative"], by_initiative["metric"], by_initiative["n"],
                                     strict=True):
        for key in str(initiative).split("|"):
            initiative_counts[key] = initiative_counts.get(key, 0) + int(n)
            if metric:
                per_initiative.setdefault(key, set()).add(metric)
        if metric:
            metric_counts[metric] = metric_counts.get(metric, 0) + int(n)
    provinces = groups[(groups["counted"] == "province") & (groups["province"] != "")]
    provinces = provinces.set_index("province")["n"]
    dated = sources.dropna(subset=["last"])
    first = dated["first"].min() if len(dated) else None
    newest = dated.loc[dated["last"].idxmax()] if len(dated) else None
    papers = sources[sources["paper"] != ""]
    county_counts = places[places["county"] != ""].groupby("county")["n"].sum()
    counts = {
        "cities": {k: int(v) for k, v in places.groupby("city")["n"].sum().items()},
        "counties": {k: int(v) for k, v in county_counts.items()},
        "initiatives": initiative_counts, "metrics": metric_counts,
        "provinces": {k: int(v) for k, v in provinces.items()},
        "papers": {p: int(n) for p, n in zip(papers["paper"], papers["n"], strict=True)},
    }
    shown = None if newest is None else newest["shown"]
    return Options(
        cities=tuple(sorted(counties)), counties=counties,
        initiatives=tuple(sorted(k for k in per_initiative)),
        metrics={k: tuple(sorted(v)) for k, v in per_initiative.items()},
        first_date=None if first is None or pd.isna(first) else pd.Timestamp(first).date(),
        last_date=None if newest is None else pd.Timestamp(newest["last"]).date(),
        last_published="" if shown is None or pd.isna(shown) else str(shown),
        papers=tuple(papers["paper"]),
        provinces=tuple(sorted(provinces.index)),
        counts=counts,
    )


def fetch_kpis(con, filters: Filters) -> dict:
    """The overview's cards: pages, articles, figures, cities and the latest publication date."""
    row = _answer(con, "kpis", filters, summaries.kpis_sql).iloc[0]
    # The newest date as precisely as its page allows ("2024-08", not a made-up 8月1日).
    latest = row["latest"]
    return {"pages": int(row["pages"]), "articles": int(row["articles"]), "facts": int(row["facts"]),
            "cities": int(row["cities"]), "latest": None if pd.isna(latest) or not latest else str(latest)}


def fetch_by_city(con, filters: Filters) -> pd.DataFrame:
    """Number of figures per city (counting figures is the one sum that mixes no units)."""
    return _answer(con, "by_city", filters, summaries.by_city_sql)


def fetch_by_month(con, filters: Filters) -> pd.DataFrame:
    """Number of figures per month of publication (figures of undated articles are left out)."""
    return _answer(con, "by_month", filters, summaries.by_month_sql)


def fetch_by_initiative(con, filters: Filters) -> pd.DataFrame:
    """Number of figures per initiative key (a figure under "poverty|rural" counts for both)."""
    return _answer(con, "by_initiative", filters, summaries.by_initiative_sql)


def fetch_facts(con, filters: Filters, limit: int | None = None) -> pd.DataFrame:
    """The filtered figures, newest first, with the columns the table and downloads show."""
    cond, params = where(filters)
    cols = ", ".join(TABLE_COLUMNS)
    tail = ""
    if limit is not None:
        tail = " LIMIT ?"
        params = [*params, int(limit)]
    return _frame(con, f"""SELECT {cols} {_BASE}{cond}
        ORDER BY published_date DESC NULLS LAST, article_id, char_start, fact_id{tail}""", params)


def fetch_count(con, filters: Filters) -> int:
    cond, params = where(filters)
    return int(_frame(con, f"SELECT count(*) AS n {_BASE}{cond}", params).iloc[0]["n"])


def fetch_province_metrics(con, filters: Filters) -> pd.DataFrame:
    """Per named metric, the provinces with figures of it and how many: what 外省对比 may offer.

    Columns: metric, province, figures — a few hundred rows where the figures are a million.
    """
    cond, params = where(filters)
    return _frame(con, f"""
        SELECT metric, province, count(*) AS figures {_BASE}{cond} AND metric <> '' AND province <> ''
        GROUP BY 1, 2 ORDER BY 1, 2""", params)


def fetch_province_rows(con, filters: Filters, metric: str) -> pd.DataFrame:
    """The figures of one metric that name their province (``geo.compare_provinces`` lays them out)."""
    cond, params = where(filters)
    return _frame(con, f"""
        SELECT province, city, coalesce(county, '') AS county, metric, value, unit, period_year
        {_BASE}{cond} AND metric = ? AND province <> ''
        ORDER BY province, period_year DESC NULLS LAST, city, county""", [*params, metric])


def fetch_sources(con, filters: Filters) -> pd.DataFrame:
    """The articles behind the filtered figures, for the XLSX 来源 sheet and 简报."""
    return _answer(con, "sources", filters, summaries.sources_sql)


def fetch_metric_series(con, filters: Filters, initiative: str) -> pd.DataFrame:
    """One initiative's figures grouped the only safe way: per metric, unit and kind.

    Each row is one (metric, unit, kind) with its number of figures, so a page can offer them
    one at a time and never put 元 beside 户, or a stock beside a flow.
    """
    cond, params = where(filters)
    return _frame(con, f"""
        SELECT metric, unit, coalesce(kind, '') AS kind, count(*) AS figures,
               count(DISTINCT city) AS cities, max(published_date) AS latest
        {_BASE}{cond} AND list_contains(string_split(initiative, '|'), ?)
        GROUP BY 1, 2, 3 ORDER BY figures DESC, metric""", [*params, initiative])


def fetch_metric_latest(con, filters: Filters, initiative: str) -> pd.DataFrame:
    """Per metric, unit and kind: the newest figure, and the previous one of the same place.

    The change a card shows compares two reports of one city (and county) — comparing 聊城市's
    total with 冠县's would say nothing. An aggregate (tier core) is preferred over an anecdote
    (one village's 5户) for the card. Columns: metric, unit, kind, city, county, value,
    published, prev_value, prev_published.
    """
    cond, params = where(filters)
    return _frame(con, f"""
        SELECT metric, unit, kind, city, county, value, published, prev_value, prev_published
        FROM (
          SELECT metric, unit, coalesce(kind, '') AS kind, city, county, value, published,
                 lag(value) OVER place AS prev_value, lag(published) OVER place AS prev_published,
                 row_number() OVER (PARTITION BY metric, unit, coalesce(kind, '')
                     ORDER BY (coalesce(tier, '') = 'core') DESC, published_date DESC NULLS LAST,
                              period_year DESC NULLS LAST,
                              fact_id DESC) AS newest
          {_BASE}{cond} AND list_contains(string_split(initiative, '|'), ?)
          WINDOW place AS (PARTITION BY metric, unit, coalesce(kind, ''), city, county
                     ORDER BY published_date NULLS FIRST, period_year NULLS FIRST, fact_id)
        ) WHERE newest = 1""", [*params, initiative])


def fetch_metric_rows(con, filters: Filters, initiative: str, metric: str, unit: str,
                      kind: str) -> pd.DataFrame:
    """Every figure of one metric in one unit and kind — the figures behind that metric's charts."""
    cond, params = where(filters)
    cols = ", ".join(TABLE_COLUMNS)
    return _frame(con, f"""
        SELECT {cols} {_BASE}{cond} AND list_contains(string_split(initiative, '|'), ?)
          AND metric = ? AND unit = ? AND coalesce(kind, '') = ?
        ORDER BY published_date NULLS FIRST, period_year NULLS FIRST, city, county, fact_id""",
        [*params, initiative, metric, unit, kind])


def fetch_place_periods(con, filters: Filters, metrics: tuple[str, ...], unit: str = "",
                        kinds: tuple[str, ...] = (), initiative: str = "") -> pd.DataFrame:
    """Per metric, unit, kind, place and period: the newest report — the rows every value chart uses.

    A place is (level, city, county); a period is (period_year, first_month, last_month), the time
    the figure covers ("2020年1–5月"), not the day it was printed. Parts of a whole are left out.
    Several reports of one place and period (a recap, a correction) keep the newest, core first.
    Columns: metric, unit, kind, level, city, county, period_year, first_month, last_month, value,
    published, published_date, article_id, fact_id, reports. ``unit`` "" and ``kinds`` () mean any.
    """
    def narrow(kind: str) -> tuple[str, list[object]]:
        sql, values = ["list_contains(?, metric)"], [list(metrics)]
        if unit:
            sql.append("unit = ?")
            values.append(unit)
        if kinds:
            sql.append(f"list_contains(?, {kind})")
            values.append(list(kinds))
        return " AND ".join(sql), values

    if filters.is_empty() and not initiative:
        summary = summaries.read(con, "picks", *narrow("kind"))  # stored with "" for no kind
        if summary is not None:
            return summary
    cond, params = where(filters)
    if initiative:
        cond += " AND list_contains(string_split(initiative, '|'), ?)"
        params.append(initiative)
    sql, values = narrow("coalesce(kind, '')")
    picks = summaries.picks_sql(f"{cond} AND {sql}")
    return _frame(con, f"SELECT * FROM ({picks}) ORDER BY {summaries.PICKS_ORDER}", [*params, *values])


def fetch_value_metrics(con, filters: Filters) -> pd.DataFrame:
    """The metrics that have figures placed in a city, by number of places: what maps and rankings offer.

    Columns: metric, unit, kind, places, figures, latest_year. Targets and unnamed metrics are left out.
    """
    return _answer(con, "value_metrics", filters, summaries.value_metrics_sql)


def fetch_article(con, article_id: str) -> dict | None:
    """One article (title, date, text …) or None when the id is unknown."""
    frame = _frame(con, "SELECT * FROM articles WHERE article_id = ?", [article_id])
    return None if frame.empty else frame.iloc[0].to_dict()


def fetch_article_facts(con, article_id: str) -> pd.DataFrame:
    """An article's figures in text order, with their character offsets into ``articles.text``."""
    return _frame(con, """
        SELECT fact_id, quote, value, unit, approx, city, county, initiative, metric, kind, period,
               period_year, char_start, char_end, sentence, coalesce(review_status, '') AS review_status
        FROM facts_current WHERE article_id = ? ORDER BY char_start, fact_id""", [article_id])


def fetch_article_list(con, filters: Filters, limit: int = 500) -> pd.DataFrame:
    """Articles to pick from on 原文: those with filtered figures, newest first."""
    cond, params = where(filters)
    return _frame(con, f"""
        SELECT article_id, any_value(title) AS title, any_value(published) AS published,
               any_value(doc) AS doc, count(*) AS figures
        {_BASE}{cond} GROUP BY article_id
        ORDER BY any_value(published_date) DESC NULLS LAST, article_id LIMIT ?""", [*params, limit])


# ---- Streamlit side: one connection, cached results ------------------------------------------

def db_path() -> Path:
    """The store the dashboard reads: ``CAMPAIGN_TRACKER_DB`` or the default file."""
    env = os.environ.get("CAMPAIGN_TRACKER_DB")
    return Path(env) if env else store.default_db_path()


@st.cache_resource(show_spinner=False, max_entries=2)
def _reader(path: str, version: str):
    return store.open_reader(path)


def version() -> str:
    """Changes whenever new data was published to the store (an ingest, a correction)."""
    return store.reader_version(db_path())


def connection():
    """The one cached read connection of the current store version."""
    return _reader(str(db_path()), version())


def _filters_key(filters: Filters) -> tuple:
    return tuple((f, getattr(filters, f)) for f in filters.__dataclass_fields__)


_CACHE = {"show_spinner": False, "max_entries": 512, "hash_funcs": {Filters: _filters_key}}


@st.cache_data(**_CACHE)
def _cached(module: str, name: str, path: str, ver: str, *args):
    return getattr(sys.modules[module], f"fetch_{name}")(_reader(path, ver), *args)


def run(module: str, name: str, *args):
    """``module.fetch_<name>(connection, *args)``, cached by its arguments and the store version.

    The one cache of every query module (``queries``, ``campaign_queries``, ``search_queries``):
    ``run("dashboard.campaign_queries", "timeline", filters, "三提三敢")``.
    """
    return _cached(module, name, str(db_path()), version(), *args)


def together(*calls: Callable[[], object]) -> list:
    """Run several of these cached queries at once; their results in the order given.

    DuckDB works outside Python's lock, so questions a page needs anyway cost the longest of them
    rather than their sum whenever a core is free: at a first start 总览's cards, figures and
    metric list are three passes over a million figures. Each runs in a worker sharing the page's
    run context, so the cache stores every result as if asked one by one (asking again waits for
    a running one, then reuses it); an error is raised here, as if the page had asked itself.
    ``kpis, rows = together(lambda: kpis(current), lambda: place_periods(current, ("脱贫人口",)))``.
    """
    ctx = get_script_run_ctx()
    if ctx is None or len(calls) < 2:  # outside a Streamlit run: one by one
        return [call() for call in calls]
    results: list = [None] * len(calls)
    errors: list[BaseException | None] = [None] * len(calls)

    def work(i: int) -> None:
        try:
            results[i] = calls[i]()
        except BaseException as exc:  # noqa: BLE001 — re-raised below, in the page's own thread
            errors[i] = exc

    workers = [add_script_run_ctx(threading.Thread(target=work, args=(i,), daemon=True), ctx)
               for i in range(1, len(calls))]
    for worker in workers:
        worker.start()
    work(0)
    for worker in workers:
        worker.join()
    for error in errors:
        if error is not None:
            raise error
    return results


def _run(name: str, *args):
    return run(__name__, name, *args)


def options() -> Options:
    return _run("options")


def kpis(filters: Filters) -> dict:
    return _run("kpis", filters)


def by_city(filters: Filters) -> pd.DataFrame:
    return _run("by_city", filters)


def by_month(filters: Filters) -> pd.DataFrame:
    return _run("by_month", filters)


def by_initiative(filters: Filters) -> pd.DataFrame:
    return _run("by_initiative", filters)


def facts(filters: Filters, limit: int | None = None) -> pd.DataFrame:
    return _run("facts", filters, limit)


def count(filters: Filters) -> int:
    return _run("count", filters)


def province_metrics(filters: Filters) -> pd.DataFrame:
    return _run("province_metrics", filters)


def province_rows(filters: Filters, metric: str) -> pd.DataFrame:
    return _run("province_rows", filters, metric)


def sources(filters: Filters) -> pd.DataFrame:
    return _run("sources", filters)


def metric_series(filters: Filters, initiative: str) -> pd.DataFrame:
    return _run("metric_series", filters, initiative)


def metric_latest(filters: Filters, initiative: str) -> pd.DataFrame:
    return _run("metric_latest", filters, initiative)


def metric_rows(filters: Filters, initiative: str, metric: str, unit: str, kind: str) -> pd.DataFrame:
    return _run("metric_rows", filters, initiative, metric, unit, kind)


def place_periods(filters: Filters, metrics: tuple[str, ...], unit: str = "", kinds: tuple[str, ...] = (),
                  initiative: str = "") -> pd.DataFrame:
    return _run("place_periods", filters, tuple(metrics), unit, tuple(kinds), initiative)


def value_metrics(filters: Filters) -> pd.DataFrame:
    return _run("value_metrics", filters)


def article(article_id: str) -> dict | None:
    return _run("article", article_id)


def article_facts(article_id: str) -> pd.DataFrame:
    return _run("article_facts", article_id)


def article_list(filters: Filters, limit: int = 500) -> pd.DataFrame:
    return _run("article_list", filters, limit)


def clear() -> None:
    """Forget cached results of every query module and the connections (after an ingest here)."""
    _cached.clear()
    _reader.clear()

