"""What the 攻坚行动 page asks of the store: campaigns, their mentions, places, figures and articles.

Like ``queries``: ``fetch_*`` functions take a read connection and plain values and bind every
value; the wrappers without the prefix cache them by filters and store version. A campaign's
mentions are the ``campaigns`` rows (article, name, count) of the names the page may show: the
catalogue's (``loaders/data/taxonomy.toml``) and those a person confirmed in 校对; a pattern-found
name nobody confirmed shows nowhere. The sidebar's filters narrow the mentions to articles with
figures of the chosen places, initiatives, metrics or sentence text, published in the chosen dates.
Example: ``fetch_campaigns(con, Filters(cities=("聊城市",)))`` -> 三提三敢, 制造业强市 … with first and
last mention, articles, cities and counties.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard import queries
from dashboard.filters import Filters
from dashboard.queries import frame as _frame
from loaders.campaigns import campaign_members, load_catalogue
from loaders.storage import summaries
from loaders.storage.campaign_names import offered_names, shown_names
from loaders.storage.current import BASE as _BASE
from loaders.storage.current import facts_cte

# Places a figure may carry that are no city of a province's map.
_NOT_A_CITY = ("", "全国", "山东省")
_PLACE_FILTERS = ("cities", "counties", "initiatives", "metrics", "text")


# The figures' places, initiatives, metrics and sentences, read cheaply (see ``current.facts_cte``).
_CHEAP_FACTS = facts_cte("cf", ["article_id", "city", "county", "initiative", "metric", "sentence"])


def _mentions_sql(con, filters: Filters, names: list[str] | None = None) -> tuple[str, list[object]]:
    """The CTEs ``cf`` and ``m``: one row of ``m`` per (campaign, article) the filters keep."""
    sql = ["list_contains(?, c.name)"]
    params: list[object] = [names if names is not None else shown_names(con)]
    dates, when = queries.date_clauses(filters, "a.published_date")
    sql += dates
    params += when
    if filters.campaigns:
        sql.append("list_contains(?, c.name)")
        params.append(campaign_members(filters.campaigns))
    if any(getattr(filters, f) for f in _PLACE_FILTERS):
        narrowed = Filters(**{f: getattr(filters, f) for f in _PLACE_FILTERS})
        cond, more = queries.where(narrowed)
        sql.append(f"c.article_id IN (SELECT article_id FROM cf WHERE true{cond})")
        params += more
    cte = f"""{_CHEAP_FACTS},
        m AS (SELECT c.name, c.article_id, c.count, a.published_date, a.published
                   FROM campaigns c JOIN articles a USING (article_id)
                   WHERE {" AND ".join(sql)})"""
    return cte, params


def _places_sql(filters: Filters) -> tuple[str, list[object]]:
    """The CTE ``p``: the (article, city, county) of the figures of the articles in ``m``."""
    sql, params = "", [list(_NOT_A_CITY)]
    if filters.cities:
        sql += " AND list_contains(?, city)"
        params.append(list(filters.cities))
    if filters.counties:
        sql += " AND list_contains(?, county)"
        params.append(list(filters.counties))
    cte = f"""p AS (SELECT DISTINCT article_id, city, county FROM cf
                   WHERE article_id IN (SELECT article_id FROM m) AND NOT list_contains(?, city){sql})"""
    return cte, params


def fetch_campaigns(con, filters: Filters) -> pd.DataFrame:
    """Every campaign with mentions under the filters: first, last, articles, mentions, cities, counties.

    ``months`` lists the articles naming it per month of publication (``by_month`` charts them):
    one statement for the whole list page.
    """
    m_cte, params = _mentions_sql(con, filters)
    p_cte, more = _places_sql(filters)
    frame = _frame(con, f"""
        WITH {m_cte}, {p_cte},
        counts AS (SELECT name, min(published_date) AS first, max(published_date) AS last,
                          count(DISTINCT article_id) AS articles, sum(count)::BIGINT AS mentions
                   FROM m GROUP BY name),
        monthly AS (SELECT name, date_trunc('month', published_date)::DATE AS month,
                           count(DISTINCT article_id) AS articles
                    FROM m WHERE published_date IS NOT NULL GROUP BY ALL),
        months AS (SELECT name, list({{'month': month, 'articles': articles}} ORDER BY month) AS months
                   FROM monthly GROUP BY name),
        places AS (SELECT m.name, list(DISTINCT p.city ORDER BY p.city) AS cities,
                          list(DISTINCT p.county ORDER BY p.county) FILTER (WHERE p.county <> '') AS counties
                   FROM m JOIN p USING (article_id) GROUP BY m.name)
        SELECT counts.*, coalesce(places.cities, []) AS cities, coalesce(places.counties, []) AS counties,
               coalesce(months.months, []) AS months
        FROM counts LEFT JOIN places USING (name) LEFT JOIN months USING (name)
        ORDER BY articles DESC, mentions DESC, name""", [*params, *more])
    catalogue = load_catalogue()
    frame["family"] = [catalogue.family_of(n) for n in frame["name"]]
    frame["level"] = [(c.level if (c := catalogue.get(n)) else "") for n in frame["name"]]
    return frame


def months_of(listing: pd.DataFrame) -> pd.DataFrame:
    """The ``months`` of ``fetch_campaigns`` as rows: name, month, articles (by month, then name)."""
    rows = [(name, pd.Timestamp(m["month"]), int(m["articles"]))
            for name, months in zip(listing["name"], listing["months"], strict=True) for m in months]
    frame = pd.DataFrame(rows, columns=["name", "month", "articles"])
    return frame.sort_values(["month", "name"], ignore_index=True)


def fetch_by_month(con, filters: Filters) -> pd.DataFrame:
    """Articles naming each campaign per month of publication (undated articles left out)."""
    return months_of(fetch_campaigns(con, filters))


def fetch_timeline(con, filters: Filters, campaign: str) -> pd.DataFrame:
    """One campaign (with its parts): articles naming it per month and place (city, county)."""
    m_cte, params = _mentions_sql(con, filters, campaign_members([campaign]))
    p_cte, more = _places_sql(filters)
    return _frame(con, f"""
        WITH {m_cte}, {p_cte}
        SELECT date_trunc('month', m.published_date)::DATE AS month,
               coalesce(p.city, '未定位') AS city, coalesce(p.county, '') AS county,
               count(DISTINCT m.article_id) AS articles
        FROM m LEFT JOIN p USING (article_id) WHERE m.published_date IS NOT NULL
        GROUP BY ALL ORDER BY month, city, county""", [*params, *more])


def fetch_figures(con, filters: Filters, campaign: str, limit: int = 2000) -> pd.DataFrame:
    """Figures of the articles naming the campaign; ``in_sentence`` marks those whose sentence names it.

    Sentences naming it come first (三提三敢 in the sentence itself), then the rest of those articles.
    """
    members = campaign_members([campaign])
    pattern = "|".join(_spellings(members))
    cond, params = queries.where(filters)
    cols = ", ".join(queries.TABLE_COLUMNS)
    return _frame(con, f"""
        SELECT {cols}, regexp_matches(regexp_replace(sentence, '[“”‘’「」『』"]', '', 'g'), ?) AS in_sentence
        {_BASE}{cond}
          AND article_id IN (SELECT article_id FROM campaigns WHERE list_contains(?, name))
        ORDER BY in_sentence DESC, published_date DESC NULLS LAST, article_id, char_start, fact_id
        LIMIT ?""", [pattern, *params, members, int(limit)])


def _spellings(names: list[str]) -> list[str]:
    """Every way the catalogue writes these campaigns (names and aliases), regex-escaped."""
    catalogue = load_catalogue()
    out = []
    for name in names:
        known = catalogue.get(name)
        out += [name, *(known.aliases if known else ())]
    return [re.escape(s) for s in sorted(set(out), key=len, reverse=True)]


# What the words just before a figure say it is: 计划投资180.9亿元 is a target, 完成投资21.62亿元 a
# result; 计划完成 is still a plan, so the plan words are looked for first.
_PLAN_WORDS = re.compile("计划|目标|力争|预计|任务|确保|争取")
_DONE_WORDS = re.compile("完成|实现|达到|达|累计")
_CLAUSE_START = re.compile(r"[，,；;。：:！？!?]")
_SHARES = ("%", "百分点", "‰")


def figure_role(quote: str, sentence: str) -> str:
    """"target", "result" or "" from the clause before the figure in its sentence.

    ``figure_role("180.9亿元", "2021年计划投资180.9亿元,1-2月份,已开工项目91个,完成投资21.62亿元")``
    → "target"; with "21.62亿元" → "result"; "9亿元" in 统筹市级财政资金9亿元 → "".
    """
    at = sentence.find(quote) if quote else -1
    if at < 0:
        return ""
    before = sentence[:at]
    clause = before[max((m.end() for m in _CLAUSE_START.finditer(before)), default=0):]
    if _PLAN_WORDS.search(clause):
        return "target"
    return "result" if _DONE_WORDS.search(clause) else ""


def targets_and_results(figures: pd.DataFrame) -> pd.DataFrame:
    """Targets beside results in one sentence, same metric, unit, place and year, with 完成率.

    济宁's 2021年计划投资180.9亿元 … 完成投资21.62亿元 gives 11.95% (the article prints 11.95%).
    What is a target and what a result is read from the words before each figure (``figure_role``),
    shares (%) are left out, and only figures of one sentence are paired: 计划投资180.9亿元 beside
    a later 重点项目完成投资4.64亿元 (13 of the projects) would make a false 完成率. Columns: city,
    county, period_year, metric, unit, target, result, rate (0.1195 is 11.95%), article_id,
    target_sentence, result_sentence.
    """
    keys = ["article_id", "sentence", "city", "county", "period_year", "metric", "unit"]
    columns = [*keys[2:], "target", "result", "rate", "article_id", "target_sentence", "result_sentence"]
    if figures.empty:
        return pd.DataFrame(columns=columns)
    data = figures.dropna(subset=["period_year", "value"])
    data = data[(data["metric"].astype(str) != "") & ~data["unit"].isin(_SHARES)]
    data = data.assign(role=[figure_role(q, s) for q, s in zip(data["quote"], data["sentence"], strict=True)])
    targets = data[data["role"] == "target"].drop_duplicates(keys, keep="first")
    results = data[data["role"] == "result"].drop_duplicates(keys, keep="last")
    both = targets[[*keys, "value"]].merge(results[[*keys, "value"]], on=keys,
                                           suffixes=("_target", "_result"))
    both = both.rename(columns={"value_target": "target", "value_result": "result"})
    both["rate"] = [r / t if t else float("nan") for r, t in zip(both["result"], both["target"], strict=True)]
    both["target_sentence"] = both["result_sentence"] = both["sentence"]
    return both[columns].reset_index(drop=True)


def fetch_articles(con, filters: Filters, campaign: str, limit: int = 20) -> pd.DataFrame:
    """The newest ``limit`` articles naming the campaign, and how many there are in all.

    Columns: article_id, title, published, doc, text, mentions, place, and on every row
    ``total_articles`` and ``total_mentions`` of all the articles the filters keep (the cards'
    figures), so only the articles shown are read whole.
    """
    m_cte, params = _mentions_sql(con, filters, campaign_members([campaign]))
    return _frame(con, f"""
        WITH {m_cte},
        per AS (SELECT article_id, sum(count)::BIGINT AS mentions, any_value(published_date) AS published_date
                FROM m GROUP BY 1),
        ranked AS (SELECT *, count(*) OVER () AS total_articles,
                          sum(mentions) OVER ()::BIGINT AS total_mentions
                   FROM per ORDER BY published_date DESC NULLS LAST, article_id LIMIT ?)
        SELECT r.article_id, a.title, a.published, a.doc, a.text, r.mentions, coalesce(a.place, '') AS place,
               r.total_articles, r.total_mentions
        FROM ranked r JOIN articles a USING (article_id)
        ORDER BY r.published_date DESC NULLS LAST, r.article_id""", [*params, int(limit)])


def fetch_campaign_articles(con, filters: Filters) -> pd.DataFrame:
    """Each campaign with mentions under the filters and its number of articles, most first.

    What the brief prints (name, articles): ``fetch_campaigns``'s order without its places and
    months, so a brief for one city reads the mentions once and never the city's figures twice.
    """
    m_cte, params = _mentions_sql(con, filters)
    return _frame(con, f"""
        WITH {m_cte}
        SELECT name, count(DISTINCT article_id) AS articles
        FROM m GROUP BY name ORDER BY articles DESC, sum(count) DESC, name""", params)


def fetch_names(con) -> dict[str, int]:
    """The campaign names the filter offers with their figures (``campaign_names.offered_names``),
    read from the snapshot's summary when it has one."""
    summary = summaries.read(con, "campaign_names")
    if summary is None:
        return offered_names(con)
    return {name: int(n) for name, n in zip(summary["name"], summary["figures"], strict=True)}


# ---- Streamlit side: the cache of ``queries`` ------------------------------------------------

def _run(name: str, *args):
    return queries.run(__name__, name, *args)


def campaigns(filters: Filters) -> pd.DataFrame:
    return _run("campaigns", filters)


def campaign_articles(filters: Filters) -> pd.DataFrame:
    return _run("campaign_articles", filters)


def by_month(filters: Filters) -> pd.DataFrame:
    return months_of(campaigns(filters))  # from the list's own statement, not a second one


def timeline(filters: Filters, campaign: str) -> pd.DataFrame:
    return _run("timeline", filters, campaign)


def figures(filters: Filters, campaign: str) -> pd.DataFrame:
    return _run("figures", filters, campaign)


def articles(filters: Filters, campaign: str) -> pd.DataFrame:
    return _run("articles", filters, campaign)


def names() -> dict[str, int]:
    return _run("names")
