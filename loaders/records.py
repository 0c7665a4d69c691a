"""The plain records that flow between the loaders' steps and into the store.

Every step returns these (or lists of them); the store and the command line turn them into
rows. Field names are the column names of the tidy tables in DESIGN.md, so one list serves
the JSON lines, the DuckDB tables and the dashboard.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields


def stable_id(*parts: object, length: int = 16) -> str:
    """A short hash that stays the same across runs and machines (unlike ``hash``)."""
    joined = "\x1f".join(map(str, parts))
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=length // 2).hexdigest()


def stable_ids_after(*first: object, length: int = 16) -> Callable[..., str]:
    """``stable_id`` with its first parts fixed: ``stable_ids_after(article_id)(quote, n)`` is
    ``stable_id(article_id, quote, n)``.

    Why: every figure of an article hashes the article's id first; that part is hashed once and
    the hash state copied for each figure (blake2b reads its input as a stream), which costs a
    third of hashing the whole again. At least one part must follow.
    """
    head = hashlib.blake2b(("\x1f".join(map(str, first)) + "\x1f").encode("utf-8"), digest_size=length // 2)

    def stable_id_of(*rest: object) -> str:
        state = head.copy()
        state.update("\x1f".join(map(str, rest)).encode("utf-8"))
        return state.hexdigest()

    return stable_id_of


@dataclass(init=False)
class Article:
    """One article of a page, with its text as the loaders normalised it.

    ``text`` is what the figures' ``char_start``/``char_end`` index into: the headline,
    subtitle and body joined by blank lines (see ``loaders.split.article_text``).
    """

    article_id: str
    source: str
    doc: str
    paper: str
    title: str
    subtitle: str
    byline: str
    dateline_place: str
    published: str  # ISO date, month or year ("2020-06-21", "2020-03", "2020"), or ""
    date_precision: str  # day | month | year | inferred | unknown
    home_city: str
    body: str
    text: str
    place: str = ""  # the article's main place (city or county full name)
    ingested_at: str = ""
    home_province: str = ""  # the paper's province (山东省 for 聊城日报), which 我省/全省 name
    page: str = ""  # the edition's page number as printed or given (A3, 06版), from a manifest or metadata
    page_name: str = ""  # the page's heading (要闻, 县域经济) where known
    url: str = ""  # where the article was published online, where known
    date_source: str = ""  # where ``published`` came from: one of dates.DATE_SOURCES, or ""

    def __init__(self, article_id: str, source: str, doc: str, paper: str, title: str, subtitle: str,
                 byline: str, dateline_place: str, published: str, date_precision: str, home_city: str,
                 body: str, text: str, place: str = "", ingested_at: str = "", home_province: str = "",
                 page: str = "", page_name: str = "", url: str = "", date_source: str = "") -> None:
        # written out, as the dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every article)
        self.article_id = article_id
        self.source = source
        self.doc = doc
        self.paper = paper
        self.title = title
        self.subtitle = subtitle
        self.byline = byline
        self.dateline_place = dateline_place
        self.published = published
        self.date_precision = date_precision
        self.home_city = home_city
        self.body = body
        self.text = text
        self.place = place
        self.ingested_at = ingested_at
        self.home_province = home_province
        self.page = page
        self.page_name = page_name
        self.url = url
        self.date_source = date_source


@dataclass(init=False)
class Fact:
    """One figure: a quantity with its place, period, initiative and the sentence it came from.

    The ``__init__`` is written out: the facts step builds one per figure, and a compiled
    dataclass runs a generated one as interpreted code (a keyword call then costs ten times more).
    """

    fact_id: str
    article_id: str
    doc: str
    province: str
    city: str
    county: str
    initiative: str
    metric: str
    value: float
    unit: str
    approx: str
    range_hi: float | None
    period_year: int | None
    period: str
    quote: str
    sentence: str
    char_start: int
    char_end: int
    confidence: float
    tier: str = "core"  # core | detail
    kind: str = ""  # stock | flow | rate | target | duration | ""
    place_how: str = ""  # how the place was resolved: explicit | deictic | article | page | guess
    parent_fact_id: str = ""  # the whole this figure is a part of (其中…, 包括…, 分别为…), else ""
    canonical_metric: str = ""  # the taxonomy's metric it is one of (脱贫人口 for 稳定脱贫…贫困人口)
    year: int | None = field(default=None)  # the scorer reads ``year``; equal to period_year

    def __init__(self, fact_id: str, article_id: str, doc: str, province: str, city: str, county: str,
                 initiative: str, metric: str, value: float, unit: str, approx: str, range_hi: float | None,
                 period_year: int | None, period: str, quote: str, sentence: str, char_start: int,
                 char_end: int, confidence: float, tier: str = "core", kind: str = "", place_how: str = "",
                 parent_fact_id: str = "", canonical_metric: str = "", year: int | None = None) -> None:
        self.fact_id = fact_id
        self.article_id = article_id
        self.doc = doc
        self.province = province
        self.city = city
        self.county = county
        self.initiative = initiative
        self.metric = metric
        self.value = value
        self.unit = unit
        self.approx = approx
        self.range_hi = range_hi
        self.period_year = period_year
        self.period = period
        self.quote = quote
        self.sentence = sentence
        self.char_start = char_start
        self.char_end = char_end
        self.confidence = confidence
        self.tier = tier
        self.kind = kind
        self.place_how = place_how
        self.parent_fact_id = parent_fact_id
        self.canonical_metric = canonical_metric
        self.year = period_year  # whatever ``year`` is given (``dataclasses.replace`` passes the old one)


@dataclass(init=False)
class Campaign:
    """A named campaign an article mentions (三提三敢, 六稳六保, 十二大攻坚行动 …)."""

    article_id: str
    name: str
    count: int = 1

    def __init__(self, article_id: str, name: str, count: int = 1) -> None:
        # written out, as the dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every campaign found)
        self.article_id = article_id
        self.name = name
        self.count = count


ARTICLE_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Article))
FACT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Fact))
CAMPAIGN_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Campaign))


def as_row(record: Article | Fact | Campaign) -> dict:
    return asdict(record)
