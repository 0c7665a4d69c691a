"""The plausibility checks as queries: which figures are suspect, found in the store, not in Python.

``review`` says what each check means and words its reason; this module finds the suspects. Over a
million figures the checks must run where the figures are: a snapshot stores every figure's
suspicions when it is published (``summaries``), and 校对 then asks for a city's queue as one
query instead of reading 60,000 figures into Python each time a reviewer picks a place.

A suspicion is a *flag*: ``(fact_id, check, severity, other_id, number, count, note)``. The last
four hold what its reason needs and nothing else (the figure it was compared with, the peers'
median, how many articles…), so the Chinese reason is written only for the figures on screen
(``review.reason``). Text that only Python reads well (a period such as 截至3月20日, a label's
weakness, the digits of a quote) is read once per distinct value, or for the few candidates a
query leaves, and joined back by the query.

Every query reads ``review_base``: the figures to judge, as ``review.prepare`` would give them
(blanks instead of nulls, -1 for an unknown year, ``pos`` their order, rejected figures left out).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import duckdb
import pandas as pd

from loaders.storage import review

FLAG_COLUMNS: tuple[str, ...] = ("fact_id", "check", "severity", "other_id", "number", "count", "note")
BASE = "review_base"

_TEXT = ("fact_id", "article_id", "doc", "city", "county", "initiative", "metric", "unit", "quote",
         "sentence", "kind", "place_how", "title", "published", "period", "review_status")


def base_sql(source: str, where: str = "") -> str:
    """The figures of ``source`` (``facts_current`` or a frame with its columns and ``pos``) as the
    checks read them. Rejected figures count nowhere, so they are left out.

    ``pos`` orders them: a duplicate's sources and the earlier of two equal figures read in it. In
    the store it is (published date, fact_id), oldest first; a frame brings its own.
    """
    text = ", ".join(f"coalesce(CAST({c} AS VARCHAR), '') AS {c}" for c in _TEXT)
    pos = ("{'published': coalesce(published_date, DATE '0001-01-01'), 'fact_id': fact_id}"
           if source == "facts_current" else "pos")
    return f"""SELECT {text},
        CASE WHEN isnan(CAST(value AS DOUBLE)) THEN NULL ELSE CAST(value AS DOUBLE) END AS value,
        CASE WHEN isnan(CAST(range_hi AS DOUBLE)) THEN NULL ELSE CAST(range_hi AS DOUBLE) END AS range_hi,
        coalesce(TRY_CAST(period_year AS INTEGER), -1) AS period_year,
        least(greatest(coalesce(CAST(confidence AS DOUBLE), 0.5), 0.0), 1.0) AS confidence, {pos} AS pos
    FROM {source} WHERE coalesce(review_status, '') <> 'rejected' {where}"""


def _words(column: str, count: int) -> str:
    """``contains(column, ?) OR …`` for ``count`` words bound in order (no regex: words are literal)."""
    return "(" + " OR ".join(f"contains({column}, ?)" for _ in range(count)) + ")" if count else "false"


def _level_sql(rules: review.ReviewRules) -> tuple[str, list[object]]:
    return ("CASE WHEN county <> '' THEN 'county' "
            "WHEN list_contains(?, city) OR city = '全国' THEN 'province' "
            "ELSE 'city' END", [sorted(rules.province_names)])


# ---------------------------------------------------------------- the checks, each a query

# A check is a query of flags: its SQL and bound values. Text only Python reads well is read first
# (on distinct values, or on the few candidates a query leaves) into a temporary table it joins.
Query = tuple[str, list[object]]
_NO_FLAG = "SELECT * FROM (SELECT NULL::VARCHAR AS fact_id) WHERE false"


def _select(check: str, severity: str, other_id: str = "NULL", number: str = "NULL", count: str = "NULL",
            note: str = "NULL") -> str:
    """The flag columns of one check, in ``FLAG_COLUMNS``' order, then ``pos``."""
    severity = severity.replace("'", "''")
    return (f"SELECT fact_id, '{check}' AS \"check\", '{severity}' AS severity, "
            f"{other_id}::VARCHAR AS other_id, "
            f"{number}::DOUBLE AS number, {count}::INTEGER AS count, {note}::VARCHAR AS note, pos")


def _table(con, name: str, frame: pd.DataFrame) -> None:
    """``frame`` as the temporary table ``name`` on ``con`` (what Python read, for a query to join)."""
    con.register("review_python_rows", frame)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM review_python_rows")
    finally:
        con.unregister("review_python_rows")


def county_exceeds_city(con, rules: review.ReviewRules) -> Query:
    """A county above its city, a city above the province (same metric, unit and period); rates and
    targets aside. ``number`` is the parent's figure, ``note`` the parent's name."""
    cities = [c for (c,) in con.execute(f"SELECT DISTINCT city FROM {BASE} WHERE county = ''").fetchall()]
    shandong = [c for c in cities if c and c not in rules.province_names and c != "全国"
                and review.is_shandong_city(c)]
    provinces = sorted(rules.province_names)
    sql = f"""WITH b AS (
        SELECT fact_id, pos, city, county, metric, unit, period_year, value,
               trim(replace(period, '份', '')) AS period_key,
               list_contains(?, city) AS is_province,
               county = '' AND city <> '' AND NOT list_contains(?, city) AND city <> '全国' AS is_city
        FROM {BASE}
        WHERE metric <> '' AND value IS NOT NULL AND NOT list_contains(?, unit) AND kind <> 'target'),
    children AS (
        SELECT pos, fact_id, value, 'city:' || city AS parent_key, metric, unit, period_year, period_key
        FROM b WHERE county <> ''
        UNION ALL
        SELECT pos, fact_id, value, 'province:山东省', metric, unit, period_year, period_key
        FROM b WHERE is_city AND list_contains(?, city)),
    parents AS (
        SELECT 'city:' || city AS parent_key, metric, unit, period_year, period_key, value, city
        FROM b WHERE is_city
        UNION ALL
        SELECT 'province:山东省', metric, unit, period_year, period_key, value, city
        FROM b WHERE is_province AND county = ''),
    smallest AS (
        SELECT parent_key, metric, unit, period_year, period_key, min(value) AS value_p,
               arg_min(city, value) AS city_p
        FROM parents GROUP BY ALL)
    {_select('county_exceeds_city', 'high', number='s.value_p', note='s.city_p')}
    FROM children c JOIN smallest s USING (parent_key, metric, unit, period_year, period_key)
    WHERE c.value > s.value_p"""
    return sql, [provinces, provinces, sorted(rules.rate_units), shandong]


def cumulative_falls(con, rules: review.ReviewRules) -> Query:
    """A cumulative figure below the largest reported for an earlier date: within its year, and for
    stocks across years too. ``other_id`` is that earlier figure (of equal ones, the first)."""
    words = list(rules.cumulative_words)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE review_cumulative AS
        SELECT fact_id, city, county, metric, unit, kind, value, pos, period_year, period, published
        FROM {BASE} WHERE (kind = 'stock' OR {_words('metric', len(words))} OR {_words('period', len(words))})
          AND metric <> '' AND value IS NOT NULL AND NOT list_contains(?, unit)""",
                [*words, *words, sorted(rules.rate_units)])
    triples = con.execute("SELECT DISTINCT period_year, period, published FROM review_cumulative").fetchall()
    dates = pd.DataFrame(triples, columns=["period_year", "period", "published"])
    dates["as_of"] = pd.array([review.as_of_date(y, p, pub) for y, p, pub in triples], dtype="Int64")
    _table(con, "review_as_of", dates)
    sql = f"""WITH c AS (
        SELECT b.fact_id, b.city, b.county, b.metric, b.unit, b.kind, b.value, b.pos, d.as_of
        FROM review_cumulative b JOIN review_as_of d USING (period_year, period, published)
        WHERE d.as_of IS NOT NULL),
    ranked AS (SELECT *, as_of // 10000 AS year,
                      row_number() OVER (ORDER BY city, county, metric, unit, as_of, pos) AS rn FROM c),
    earlier AS (
        SELECT fact_id, pos, value, kind,
               max((value, -rn)) OVER same_year AS year_key,
               arg_max(fact_id, (value, -rn)) OVER same_year AS year_top,
               max(CASE WHEN kind = 'stock' THEN (value, -rn) END) OVER same_place AS stock_key,
               arg_max(CASE WHEN kind = 'stock' THEN fact_id END,
                       CASE WHEN kind = 'stock' THEN (value, -rn) END) OVER same_place AS stock_top
        FROM ranked
        WINDOW same_year AS (PARTITION BY city, county, metric, unit, year ORDER BY as_of
                             RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
               same_place AS (PARTITION BY city, county, metric, unit ORDER BY as_of
                              RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
    chosen AS (
        SELECT *, kind = 'stock' AND stock_key IS NOT NULL AND (year_key IS NULL OR stock_key > year_key)
                  AS by_stock
        FROM earlier),
    best AS (
        SELECT fact_id, pos, value, CASE WHEN by_stock THEN stock_key ELSE year_key END AS top_key,
               CASE WHEN by_stock THEN stock_top ELSE year_top END AS top
        FROM chosen)
    {_select('cumulative_falls', 'high', other_id='top')}
    FROM best WHERE top_key IS NOT NULL AND struct_extract(top_key, 1) > value * 1.01"""
    return sql, []


def _multiplier_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{word}' THEN {factor!r}" for word, factor in review.MULTIPLIERS.items())
    return f"(CASE {column} {cases} ELSE 1.0 END)"


def wan_scale(con, rules: review.ReviewRules) -> Query:
    """A value 10,000× off its own quote (``note`` "quote", ``count`` the power of 10,000), or else a
    money value 10,000× off the median of its peers, same metric and level (``note`` "peers",
    ``number`` the peers' median as log10, ``count`` how many peers)."""
    tolerance = review.WAN_QUOTE_TOLERANCE
    level, level_params = _level_sql(rules)
    pattern = review.QUOTE_NUMBER.pattern.replace(r"\d", "[0-9]")
    quoted = f"""SELECT fact_id, pos, log10(value / quoted) AS k FROM (
        SELECT *, TRY_CAST(q.n AS DOUBLE) * {_multiplier_sql('q.m')} AS quoted FROM (
            SELECT fact_id, pos, value,
                   regexp_extract(replace(replace(quote, ',', ''), '，', ''), ?, ['n', 'm']) AS q
            FROM {BASE} WHERE value > 0 AND regexp_matches(quote, '[0-9]')))
        WHERE quoted > 0"""
    sql = f"""WITH q AS ({quoted}),
    off AS (SELECT fact_id, pos, round(k / 4)::INTEGER AS power FROM q
            WHERE abs(k) >= ? AND abs(k - 4 * round(k / 4)) <= ?),
    money AS (SELECT fact_id, pos, metric, {level} AS level, log10(value) AS lg FROM {BASE}
              WHERE list_contains(?, unit) AND metric <> '' AND value > 0),
    groups AS (SELECT metric, level, count(*) AS n FROM money GROUP BY ALL),
    medians AS (SELECT metric, level, n, {_median('logs', 'n')} AS peers
                FROM (SELECT metric, level, count(*) AS n, list_sort(list(lg)) AS logs FROM money
                      GROUP BY ALL HAVING count(*) >= 8)),
    big AS (SELECT m.fact_id, m.pos, m.lg, g.n - 1 AS n_others, g.peers
            FROM money m JOIN medians g USING (metric, level)),
    few AS (SELECT m.* FROM money m JOIN groups g USING (metric, level) WHERE g.n BETWEEN 2 AND 7),
    small AS (SELECT a.fact_id, a.pos, a.lg, count(*) AS n_others, list_sort(list(b.lg)) AS logs
              FROM few a JOIN few b ON b.metric = a.metric AND b.level = a.level AND b.pos <> a.pos
              GROUP BY a.fact_id, a.pos, a.lg),
    peers AS (SELECT fact_id, pos, lg, n_others, peers FROM big
              UNION ALL
              SELECT fact_id, pos, lg, n_others, {_median('logs', 'n_others')} FROM small)
    {_select('wan_scale', 'high', count='power', note="'quote'")} FROM off
    UNION ALL
    {_select('wan_scale', 'medium', number='peers', count='n_others', note="'peers'")} FROM peers
    WHERE abs(abs(lg - peers) - 4) <= ? AND fact_id NOT IN (SELECT fact_id FROM off)"""
    return sql, [pattern, 4 - tolerance, tolerance, *level_params, sorted(rules.money_units),
                 review.WAN_PEER_TOLERANCE]


def _median(values: str, n: str) -> str:
    """The median of a sorted list as ``statistics.median`` gives it (the mean of the middle two)."""
    return (f"CASE WHEN {n} % 2 = 1 THEN {values}[{n} // 2 + 1] "
            f"ELSE ({values}[{n} // 2] + {values}[{n} // 2 + 1]) / 2 END")


def _python_flags(con, name: str, rows: list[tuple]) -> Query:
    """Flags worked out in Python (``(fact_id, number, count, note)`` each) as a query of them."""
    frame = pd.DataFrame(rows, columns=["fact_id", "number", "count", "note"]).astype(
        {"fact_id": object, "number": "float64", "count": "Int64", "note": object})
    _table(con, name, frame)
    return f"SELECT p.*, b.pos FROM {name} p JOIN {BASE} b USING (fact_id)", []


def percent_over_100(con, rules: review.ReviewRules) -> Query:
    """A percentage over 100 that cannot be: a fall (``note`` "fall"), or a share where neither the
    metric nor the ten characters before the figure speak of a change (``note`` "share"): a fall
    word decides first, ``同比下降120%``. ``number`` is the figure shown."""
    never, may = list(rules.never_over_100), list(rules.may_exceed_100)
    sql = f"""WITH c AS (
        SELECT fact_id, pos, metric, sentence, value, range_hi,
               CASE WHEN quote = '' THEN 0 ELSE strpos(sentence, quote) END AS quote_at
        FROM {BASE} WHERE unit = '%' AND (value > 100 OR range_hi > 100)),
    t AS (SELECT *, metric || ' ' || CASE WHEN quote_at > 0
                 THEN substring(sentence, greatest(quote_at - 11, 0) + 1,
                                quote_at - 1 - greatest(quote_at - 11, 0))
                 ELSE '' END
                 AS text FROM c),
    judged AS (SELECT *, CASE WHEN {_words('text', len(never))} THEN 'fall'
                              WHEN {_words('text', len(may))} THEN NULL ELSE 'share' END AS why FROM t)
    {_select('percent_over_100', 'high', number='CASE WHEN range_hi > 100 THEN range_hi ELSE value END',
             note='why')} FROM judged WHERE why IS NOT NULL"""
    return sql, [*never, *may]


def period_after_page(con, rules: review.ReviewRules) -> Query:
    """A year after the page's own date, unless the figure or its sentence states a goal.

    The sentence is searched only for the few figures dated after their page (inside ``CASE``):
    as a plain condition DuckDB searched every figure's sentence for every goal word first,
    1.2 s of 1.3 s over 410,000 figures.
    """
    words = list(rules.target_words)
    sql = f"""{_select('period_after_page', 'medium')}
    FROM {BASE} WHERE period_year <> -1 AND kind <> 'target'
      AND CASE WHEN period_year > TRY_CAST(regexp_extract(published, '^([0-9]{{4}})', 1) AS INTEGER)
               THEN NOT {_words('sentence', len(words))} ELSE false END"""
    return sql, words


def place_guessed(con, rules: review.ReviewRules) -> Query:
    """No place found (``note`` "nowhere"), or one only guessed from the page's city ("guessed")."""
    note = "CASE WHEN city = '' AND county = '' THEN 'nowhere' ELSE 'guessed' END"
    sql = f"""{_select('place_guessed', 'low', note=note)}
    FROM {BASE} WHERE (city = '' AND county = '') OR list_contains(?, place_how)"""
    return sql, [sorted(rules.guessed_place)]


def duplicates(con, rules: review.ReviewRules) -> Query:
    """The same figure (place, metric or quote, unit, value, year) more than once. ``other_id`` is
    the group's first figure, ``count`` its size, ``number`` its articles, ``note`` its sources."""
    sql = f"""WITH b AS (
        SELECT fact_id, pos, article_id, city, county, unit, period_year, round(value, 6) AS rounded,
               CASE WHEN metric <> '' THEN metric ELSE quote END AS label,
               CASE WHEN title <> '' THEN title ELSE doc END AS source
        FROM {BASE} WHERE value IS NOT NULL AND (metric <> '' OR quote <> '')),
    repeated AS (SELECT city, county, label, unit, rounded, period_year FROM b
                 GROUP BY ALL HAVING count(*) > 1),
    alike AS (SELECT b.* FROM b SEMI JOIN repeated r USING (city, county, label, unit, rounded, period_year)),
    groups AS (SELECT city, county, label, unit, rounded, period_year, count(*) AS n,
                      count(DISTINCT article_id) AS n_articles, arg_min(fact_id, pos) AS first_id
               FROM alike GROUP BY ALL),
    members AS (SELECT m.fact_id, m.pos, m.source, g.first_id, g.n, g.n_articles
                FROM alike m JOIN groups g USING (city, county, label, unit, rounded, period_year)),
    sources AS (SELECT first_id, string_agg(source, '；' ORDER BY first_at) AS sources
                FROM (SELECT first_id, source, min(pos) AS first_at FROM members GROUP BY ALL)
                GROUP BY first_id)
    {_select('duplicate', 'info', other_id='m.first_id', number='m.n_articles', count='m.n',
             note='s.sources')}
    FROM members m JOIN sources s USING (first_id)"""
    return sql, []


def year_unknown(con, rules: review.ReviewRules) -> Query:
    """No year in the sentence and no date on the page."""
    return f"{_select('year_unknown', 'low')} FROM {BASE} WHERE period_year = -1 AND trim(published) = ''", []


def weak_label(con, rules: review.ReviewRules) -> Query:
    """A label that cannot stand as a name; each distinct label judged once. ``note`` says why."""
    names = [m for (m,) in con.execute(f"SELECT DISTINCT metric FROM {BASE}").fetchall()]
    weak = {m: why for m in names if (why := review.label_weakness(m, rules))}
    _table(con, "review_weak_labels", pd.DataFrame({"metric": list(weak), "why": list(weak.values())},
                                                   dtype=object))
    sql = (f"{_select('weak_label', rules.weak_label_severity, note='w.why')} "
           f"FROM {BASE} JOIN review_weak_labels w USING (metric)")
    return sql, []


def implausible_size(con, rules: review.ReviewRules) -> Query:
    """More digits than a float keeps (``note`` "digits", ``count`` the digits, ``number`` how many a
    float keeps; the few long quotes read in Python), or else larger than any report of its kind
    (``note`` "money", "rate" or "other", ``number`` the limit)."""
    limits = rules.size_limits
    if not limits:
        return _NO_FLAG, []
    kept = int(limits.get("max_digits", 15))
    long_quotes = con.execute(f"""SELECT fact_id, quote FROM {BASE} WHERE value IS NOT NULL
        AND length(quote) > {kept} AND regexp_matches(quote, '[0-9][0-9,.]{{{kept},}}')""").fetchall()
    rows = [(fact_id, kept, digits, "digits") for fact_id, quote in long_quotes
            if (digits := review.significant_digits(quote)) > kept]
    found, _ = _python_flags(con, "review_digits", rows)
    kind = ("CASE WHEN list_contains(?, unit) THEN 'money' WHEN list_contains(?, unit) THEN 'rate' "
            "ELSE 'other' END")
    bound = {k: f"'{limits.get(f'max_{k}', math.inf)!r}'::DOUBLE" for k in ("money", "rate", "other")}
    limit = (f"CASE size_kind WHEN 'money' THEN {bound['money']} WHEN 'rate' THEN {bound['rate']} "
             f"ELSE {bound['other']} END")
    sql = f"""{_select('implausible_size', 'high', number='number', count='count', note='note')}
    FROM ({found})
    UNION ALL
    {_select('implausible_size', 'high', number='size_limit', note='size_kind')} FROM (
        SELECT fact_id, pos, size_kind, {limit} AS size_limit,
               greatest(abs(value), abs(coalesce(range_hi, value))) AS size
        FROM (SELECT fact_id, pos, value, range_hi, {kind} AS size_kind FROM {BASE} WHERE value IS NOT NULL))
    WHERE size > size_limit AND fact_id NOT IN (SELECT fact_id FROM review_digits)"""
    return sql, [sorted(rules.money_units), sorted(rules.rate_units)]


CHECKS: tuple[Callable[[duckdb.DuckDBPyConnection, review.ReviewRules], Query], ...] = (
    county_exceeds_city, cumulative_falls, wan_scale, percent_over_100, period_after_page, place_guessed,
    duplicates, year_unknown, weak_label, implausible_size)

FLAGS = "review_flags"


def find(con, rules: review.ReviewRules | None = None) -> None:
    """Every flag of the figures in ``review_base`` on ``con`` (see ``prepare_base``), as the
    temporary table ``review_flags`` (``FLAG_COLUMNS``, then ``part``: the check's place in
    ``CHECKS``, and ``pos``). One flag per figure and check: ``wan_scale`` asks its peers only of
    figures that agree with their quote."""
    rules = rules or review.load_rules()
    # One check at a time: each one's working memory is let go before the next (together they
    # peaked at 1.4 GB over a million figures).
    for part, check in enumerate(CHECKS):
        sql, bound = check(con, rules)
        found = f"SELECT {_columns()}, pos, {part} AS part FROM ({sql})"
        if part == 0:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {FLAGS} AS {found}", bound)
        else:
            con.execute(f"INSERT INTO {FLAGS} BY NAME {found}", bound)


def prepare_base(con, source: str = "facts_current", cities: Sequence[str] | None = None) -> None:
    """Create ``review_base`` on ``con`` (a private cursor: the table is temporary) from ``source``.

    ``cities``: only the figures ``review.facts_to_check`` would give for them; all when None.
    """
    where, params = "", []
    if cities is not None:
        where, params = f"AND ({review.SCOPE_SQL})", [list(cities)]
    con.execute(f"CREATE OR REPLACE TEMP TABLE {BASE} AS {base_sql(source, where)}", params)


def _columns() -> str:
    return ", ".join(f'"{c}"' for c in FLAG_COLUMNS)


def for_store(con, cities: Sequence[str] | None = None,
              rules: review.ReviewRules | None = None) -> pd.DataFrame:
    """The flags of the store behind ``con`` (of ``cities``' figures and those they are compared with)."""
    cursor = con.cursor()
    try:
        cursor.execute("SET enable_progress_bar = false")
        prepare_base(cursor, "facts_current", cities)
        find(cursor, rules)
        return cursor.execute(f"SELECT {_columns()} FROM {FLAGS}").df()
    finally:
        cursor.close()


def write(con, table: str, per_fact_table: str, rules: review.ReviewRules | None = None) -> None:
    """Store every figure's flags in ``con``'s database as ``table`` (a snapshot being published),
    and each flagged figure's sum of them (``per_fact_sql``) as ``per_fact_table``: what the queue
    orders by, ready for any city.

    The temporary tables the checks made are dropped: they hold a copy of every figure.
    """
    prepare_base(con)
    try:
        find(con, rules)
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {_columns()} FROM {FLAGS}")
        con.execute(f"CREATE OR REPLACE TABLE {per_fact_table} AS {per_fact_sql(FLAGS, rules)}")
    finally:
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall():
            if name.startswith("review_"):
                con.execute(f"DROP TABLE temp.{name}")


def for_frame(facts: pd.DataFrame, rules: review.ReviewRules | None = None) -> pd.DataFrame:
    """The flags of a frame of figures (``facts_current``'s columns; missing ones are blank), in
    ``CHECKS``' order, each check's in the frame's."""
    con = duckdb.connect()
    try:
        con.register("review_source", review.prepare(facts).assign(pos=range(len(facts))))
        prepare_base(con, "review_source")
        find(con, rules)
        return con.execute(f"SELECT {_columns()} FROM {FLAGS} ORDER BY part, pos").df()
    finally:
        con.close()


_SEVERITY_ORDER = tuple(review.SEVERITY_LABELS)  # gravest first


def per_fact_sql(found: str, rules: review.ReviewRules | None = None, with_reasons: bool = False) -> str:
    """Each flagged figure's flags in ``found`` summed up: fact_id, score (the severities' weights),
    n_checks, severity (the gravest), checks (their Chinese names, gravest first) and, when
    ``found`` carries ``reason_zh``, the reasons joined in the same order."""
    rules = rules or review.load_rules()
    severities = ", ".join(f"('{s}', {float(rules.severity_weights.get(s, 0.0))!r}, {i})"
                           for i, s in enumerate(_SEVERITY_ORDER))
    names = ", ".join(f"('{c}', '{label}', {i})" for i, (c, label) in enumerate(review.CHECK_LABELS.items()))
    order = f"coalesce(s.rank, {len(_SEVERITY_ORDER)}), coalesce(l.position, {len(review.CHECK_LABELS)})"
    joined = f", string_agg(q.reason_zh, chr(10) ORDER BY {order}) AS reasons" if with_reasons else ""
    return f"""WITH sev(severity, weight, rank) AS (VALUES {severities}),
    lab("check", label, position) AS (VALUES {names})
    SELECT q.fact_id, sum(coalesce(s.weight, 0.0)) AS score, count(*)::INTEGER AS n_checks,
           arg_min(q.severity, coalesce(s.rank, {len(_SEVERITY_ORDER)})) AS severity,
           string_agg(coalesce(l.label, q."check"), '、' ORDER BY {order}) AS checks{joined}
    FROM {found} q LEFT JOIN sev s USING (severity) LEFT JOIN lab l USING ("check")
    GROUP BY q.fact_id"""


def queue_sql(facts: str, per_fact: str, where: str = "", with_reasons: bool = False,
              only_flagged: bool = False) -> str:
    """The queue: ``facts`` (a relation with fact_id and confidence) with ``per_fact`` (a relation
    as ``per_fact_sql`` gives) beside them, most doubtful first (see ``review.review_queue``);
    ``where`` narrows it (columns as ``f.…``). Added columns: n_checks, checks, severity,
    priority, and reasons when ``with_reasons``."""
    shown = ", coalesce(p.reasons, '') AS reasons" if with_reasons else ""
    return f"""SELECT f.*, coalesce(p.n_checks, 0)::INTEGER AS n_checks,
           coalesce(p.checks, '') AS checks{shown},
           coalesce(p.severity, '') AS severity,
           round(coalesce(p.score, 0.0) + 2 * (1 - f.confidence), 3) AS priority
    FROM {facts} f {"JOIN" if only_flagged else "LEFT JOIN"} {per_fact} p USING (fact_id)
    {f"WHERE {where}" if where else ""}
    ORDER BY priority DESC, confidence, fact_id"""
