"""Answers to the dashboard's first questions, written into every read snapshot as it is published.

Why: an official who opens 总览 after a restart waits for its first questions over every figure in
the store — the cards (pages, articles, figures, cities), the menus' choices with their counts, the
campaign names, the metrics a map can show, and each place's newest figure per metric and period;
and 校对's queue, whose checks compare every figure with others.
Over a million figures each is a pass of 0.1–0.5 s, and together they made the first page twice as
slow as a bare one. They depend on nothing but the snapshot, so ``write`` stores their answers as
small ``summary_*`` tables in the snapshot file when ``store.publish_snapshot`` copies it (at the
end of an ingest, after a reviewer's correction: off anybody's screen), and the dashboard reads a
table instead of scanning whenever no filter is set (``read``; a snapshot without them — one
published along an ingest, an older store's, a Parquet lake — is simply scanned).

The SQL here is the SQL the dashboard runs with its filters (``kpis_sql("")`` unfiltered,
``kpis_sql(" AND list_contains(?, city)")`` for one city), so the two answers agree by construction;
tests compare them on a store of real pages, a rejected figure included.
Example: ``read(con, "kpis")`` -> one row: pages, articles, facts, cities, latest.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pandas as pd

from loaders.storage import flags
from loaders.storage.campaign_names import offered_names
from loaders.storage.current import BASE, facts_cte

_LOG = logging.getLogger(__name__)
PREFIX = "summary_"

# Charts and cards add up wholes only: a part (一般贷款 of 贷款总额) never stands beside its whole.
WHOLES = " AND coalesce(parent_fact_id, '') = ''"

# The level a figure speaks for: 冠县's figure is a county's, "全省" a province's, "全国" the nation's.
LEVEL_SQL = """CASE WHEN coalesce(county, '') <> '' THEN 'county'
    WHEN coalesce(city, '') = '' THEN ''
    WHEN city IN ('全国', '中国') THEN 'nation'
    WHEN city = province OR city LIKE '%省' OR city LIKE '%自治区' THEN 'province'
    ELSE 'city' END"""

# The months a figure's period covers within its year: "1-5月", "前5月", "2020年1—5月" -> 1, 5;
# "3月" -> 3, 3; a year, "截至目前" or "" -> 0, 0 (the whole year, or no finer period said).
_SPAN = r"^(?:\d{4}年|今年)?(?:前(\d{1,2})个?月|(\d{1,2})\s*[-—–~至到]\s*(\d{1,2})月|(\d{1,2})月份?)$"
# One regexp call per row: its groups as a struct (p.a … p.d), read by PERIOD_SQL.
SPAN_SQL = f"regexp_extract(coalesce(period, ''), '{_SPAN}', ['a', 'b', 'c', 'd'])"
PERIOD_SQL = """CASE WHEN p.a <> '' THEN 1 WHEN p.b <> '' THEN TRY_CAST(p.b AS INTEGER)
                     WHEN p.d <> '' THEN TRY_CAST(p.d AS INTEGER) ELSE 0 END AS first_month,
    coalesce(TRY_CAST(nullif(p.a || p.c || p.d, '') AS INTEGER), 0) AS last_month"""


def kpis_sql(cond: str) -> str:
    """The cards: pages, articles, figures, cities (not province or nation) and the newest date.

    The newest date as its page gives it ("2024-08", not a made-up 8月1日); of two pages of one day
    the more precise spelling ("2024-08-01" over "2024-08").
    """
    return f"""
        SELECT count(DISTINCT doc) AS pages, count(DISTINCT article_id) AS articles,
               count(*) AS facts,
               count(DISTINCT CASE WHEN city NOT IN ('', '全国') AND city <> province THEN city END)
                   AS cities,
               arg_max(published, (published_date, published)) AS latest
        {BASE}{cond}"""


# The order of ``picks_sql``'s rows: every grouped column, so a table read back sorts the same.
PICKS_ORDER = ("metric, unit, kind, period_year NULLS FIRST, last_month, city, county, first_month, "
               "level")


def picks_sql(cond: str) -> str:
    """Per metric, unit, kind, place and period: the newest report (``queries.place_periods``).

    ``cond`` holds the filters and the metrics asked for (each `` AND …``); the unfiltered summary
    keeps every metric and is narrowed by the same conditions as it is read.
    """
    return f"""
        SELECT metric, unit, kind, level, city, county, period_year, first_month, last_month,
               pick.value, pick.published, pick.published_date, pick.article_id, pick.fact_id, reports
        FROM (
          SELECT metric, unit, kind, level, city, county, period_year, first_month, last_month,
                 arg_max({{'value': value, 'published': published, 'published_date': published_date,
                          'article_id': article_id, 'fact_id': fact_id}}, rank) AS pick, count(*) AS reports
          FROM (
            SELECT metric, unit, kind, level, city, county, period_year, {PERIOD_SQL}, value, published,
                   published_date, article_id, fact_id, rank
            FROM (
              SELECT metric, unit, coalesce(kind, '') AS kind, {LEVEL_SQL} AS level, city,
                     coalesce(county, '') AS county, period_year, {SPAN_SQL} AS p, value, published,
                     published_date, article_id, fact_id,
                     ((coalesce(tier, '') = 'core')::INTEGER, coalesce(published_date, DATE '1900-01-01'),
                      fact_id) AS rank
              {BASE}{cond}{WHOLES}))
          GROUP BY ALL)"""


VALUE_METRICS_ORDER = "places DESC, figures DESC, metric, unit, kind"


def value_metrics_sql(cond: str) -> str:
    """The metrics placed in cities or counties, most places first: what maps and rankings offer."""
    return f"""
        SELECT metric, unit, coalesce(kind, '') AS kind, count(DISTINCT city) AS places,
               count(*) AS figures, max(period_year) AS latest_year
        {BASE}{cond}{WHOLES} AND metric <> '' AND coalesce(kind, '') <> 'target'
          AND {LEVEL_SQL} IN ('city', 'county') AND period_year IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY {VALUE_METRICS_ORDER} LIMIT 300"""


BY_CITY_ORDER = "figures DESC, city"


def by_city_sql(cond: str) -> str:
    """Number of figures per city (counting figures is the one sum that mixes no units)."""
    return f"""
        SELECT CASE WHEN city = '' THEN '未定位' ELSE city END AS city, count(*) AS figures
        {BASE}{cond} GROUP BY 1 ORDER BY {BY_CITY_ORDER}"""


def by_month_sql(cond: str) -> str:
    """Number of figures per month of publication (figures of undated articles are left out)."""
    return f"""
        SELECT date_trunc('month', published_date)::DATE AS month, count(*) AS figures
        {BASE}{cond} AND published_date IS NOT NULL GROUP BY 1 ORDER BY 1"""


BY_INITIATIVE_ORDER = "figures DESC, initiative"


def by_initiative_sql(cond: str) -> str:
    """Number of figures per initiative key (a figure under "poverty|rural" counts for both)."""
    return f"""
        SELECT key AS initiative, count(*) AS figures
        FROM (SELECT unnest(string_split(CASE WHEN initiative = '' THEN 'other' ELSE initiative END, '|'))
                     AS key {BASE}{cond})
        GROUP BY 1 ORDER BY {BY_INITIATIVE_ORDER}"""


SOURCES_ORDER = "published DESC NULLS LAST, article_id"


def sources_sql(cond: str) -> str:
    """The articles behind the figures, with their number of figures (简报, the XLSX 来源 sheet)."""
    return f"""
        SELECT article_id, any_value(title) AS title, any_value(published) AS published,
               any_value(doc) AS doc, any_value(source) AS source, count(*) AS figures
        {BASE}{cond} GROUP BY article_id ORDER BY {SOURCES_ORDER}"""


_OPTION_FACTS = facts_cte("cur", ["article_id", "province", "city", "county", "initiative", "metric"])
OPTION_GROUPS_ORDER = "counted, province, city, county, initiative, metric"
# The menus' choices in one pass, three counts: per place, per initiative and metric, per province.
OPTION_GROUPS_SQL = f"""WITH {_OPTION_FACTS}
    SELECT coalesce(province, '') AS province, coalesce(city, '') AS city, coalesce(county, '') AS county,
           coalesce(initiative, '') AS initiative, coalesce(metric, '') AS metric, count(*) AS n,
           CASE WHEN grouping(city) = 0 THEN 'place' WHEN grouping(initiative) = 0 THEN 'initiative'
                ELSE 'province' END AS counted
    FROM (SELECT province, city, coalesce(county, '') AS county, coalesce(initiative, '') AS initiative,
                 coalesce(metric, '') AS metric FROM cur)
    GROUP BY GROUPING SETS ((city, county), (initiative, metric), (province))
    ORDER BY {OPTION_GROUPS_ORDER}"""
# Per paper: its figures, first and last date, and the newest date as printed.
OPTION_SOURCES_SQL = f"""WITH {_OPTION_FACTS}, per AS (SELECT article_id, count(*) AS n FROM cur GROUP BY 1)
    SELECT coalesce(a.paper, '') AS paper, coalesce(sum(per.n), 0)::BIGINT AS n,
           min(a.published_date) FILTER (WHERE per.n IS NOT NULL) AS first,
           max(a.published_date) FILTER (WHERE per.n IS NOT NULL) AS last,
           arg_max(a.published, (a.published_date, a.published)) FILTER (WHERE per.n IS NOT NULL) AS shown
    FROM articles a LEFT JOIN per USING (article_id) GROUP BY 1 ORDER BY 1"""

# Each summary: its query, and the order its rows are read back in ("" for one row).
SUMMARIES = {
    "kpis": (kpis_sql(""), ""),
    "picks": (picks_sql(""), PICKS_ORDER),
    "value_metrics": (value_metrics_sql(""), VALUE_METRICS_ORDER),
    "by_city": (by_city_sql(""), BY_CITY_ORDER),
    "by_month": (by_month_sql(""), "month"),
    "by_initiative": (by_initiative_sql(""), BY_INITIATIVE_ORDER),
    "sources": (sources_sql(""), SOURCES_ORDER),
    "option_groups": (OPTION_GROUPS_SQL, OPTION_GROUPS_ORDER),
    "option_sources": (OPTION_SOURCES_SQL, "paper"),
}


# Every summary table and the order its rows are read back in: the queries above, the campaign
# names (counted in Python, ``campaign_names.offered_names``) in the page's order, and the 校对
# checks' suspicions of every figure (``flags``; the page asks its own questions of them).
_ORDERS = {**{name: order for name, (_, order) in SUMMARIES.items()}, "campaign_names": "position",
           "review_flags": 'fact_id, "check"', "review_queue": "fact_id"}


def write(con: duckdb.DuckDBPyConnection) -> bool:
    """Store every summary in ``con``'s database (a snapshot being published); False if one failed.

    A failure (a store too old for a column) leaves no summary behind, so readers scan instead of
    reading half of them; the snapshot itself is published either way.

    The 校对 checks run on a connection of their own in a second thread, beside the other
    summaries: DuckDB kept two cores busy only part of the time on either sequence alone, and the
    end of an ingest waits for this (10,000 pages, two idle cores: 6.2–6.9 s in one sequence,
    5.1–5.2 s in two).
    """
    checks = con.cursor()
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="summary-checks") as pool:
            flagged = pool.submit(_write_flags, checks)
            try:
                _write_answers(con)
            finally:
                failed = flagged.exception()  # waits for the checks either way
            if failed is not None:
                raise failed
    except duckdb.Error as exc:
        _LOG.warning("快照摘要未能写入（%s）：看板将直接统计全部数据", exc)
        drop(con)
        return False
    finally:
        checks.close()
    return True


def _write_answers(con: duckdb.DuckDBPyConnection) -> None:
    """The cards', menus', charts' and campaign names' summaries."""
    con.execute("SET enable_progress_bar = false")  # an ingest's output is its own report
    for name, (sql, _) in SUMMARIES.items():
        con.execute(f"CREATE OR REPLACE TABLE {PREFIX}{name} AS {sql}")
    names = offered_names(con)
    con.execute(f"""CREATE OR REPLACE TABLE {PREFIX}campaign_names AS
        SELECT unnest(?::VARCHAR[]) AS name, unnest(?::BIGINT[]) AS figures,
               unnest(range(?::BIGINT)) AS position""", [list(names), list(names.values()), len(names)])


def _write_flags(con: duckdb.DuckDBPyConnection) -> None:
    """The 校对 checks' suspicions of every figure, and each flagged figure's sum of them."""
    con.execute("SET enable_progress_bar = false")
    flags.write(con, f"{PREFIX}review_flags", f"{PREFIX}review_queue")


def drop(con: duckdb.DuckDBPyConnection) -> None:
    """Remove every summary table from ``con``'s database."""
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, ?)",
                                [PREFIX]).fetchall():
        con.execute(f"DROP TABLE {table}")


def has(con, name: str) -> bool:
    """Whether ``con``'s snapshot carries the summary ``name`` (``has(con, "review_flags")``)."""
    cursor = con.cursor() if hasattr(con, "cursor") else con
    return bool(cursor.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                               [f"{PREFIX}{name}"]).fetchone()[0])


def complete(con) -> bool:
    """Whether ``con``'s snapshot carries every summary (one published by an older release may not)."""
    cursor = con.cursor() if hasattr(con, "cursor") else con
    names = {row[0] for row in cursor.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return {f"{PREFIX}{name}" for name in _ORDERS} <= names


def read(con, name: str, where: str = "", params: list[object] | None = None) -> pd.DataFrame | None:
    """A summary's rows (narrowed by ``where``, e.g. ``"list_contains(?, metric)"``), in its order;
    None when this snapshot has none (an older snapshot, a lake), so the caller scans instead."""
    order = _ORDERS[name]
    sql = f"SELECT * FROM {PREFIX}{name}" + (f" WHERE {where}" if where else "")
    if order:
        sql += f" ORDER BY {order}"
    cursor = con.cursor() if hasattr(con, "cursor") else con
    try:
        return cursor.execute(sql, params or []).df()
    except duckdb.CatalogException:
        return None
