"""Run the steps over pages: read → normalise → split → dates → facts.

Pages are handled one at a time (``iter_pages``) so memory stays flat however many pages
are given; ``extract`` gathers them into two frames for callers that want frames.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from loaders import campaigns, dates, facts, normalise, places, read, split
from loaders.manifest import PageInfo
from loaders.metadata import HtmlMeta
from loaders.records import ARTICLE_COLUMNS, FACT_COLUMNS, Article, Campaign, Fact, as_row, stable_id

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class PageResult:
    """What one page yields; ``error`` is a Chinese message when the page could not be read."""

    source: str
    doc: str
    articles: list[Article] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    error: str = ""
    content_hash: str = ""


def extract_text(text: str, source: str = "", paper: str = "", info: PageInfo | None = None,
                 html: HtmlMeta | None = None, given_by: str = "manifest") -> PageResult:
    """Extract articles and figures from a page's decoded text.

    ``text`` may still hold full-width and traditional characters: the rules read it folded and
    simplified, while headlines are kept as the page prints them (淄川：…, not 淄川:…; 山東…).
    ``info`` is what a manifest or the 导入 page says about the page (date, paper, page, url;
    its date recorded as ``given_by``); ``html`` what a saved page's head says.
    """
    doc = Path(source).name if source else ""
    info = info or PageInfo()
    simple = read.to_simplified(text)
    clean = normalise.normalise_text(simple)
    spans = split.split_articles(clean)
    published, date_source = dates.page_date(clean, spans, given=info.date, given_by=given_by, name=doc,
                                             html=html)
    paper = info.paper or paper or _paper_of(spans, html)
    scan = places.scan_page(clean)  # the page's places, scanned when first read by its home or an article
    home_city = places.home_place_of(clean, paper, scan=scan)
    home_province = _home_province(home_city)
    result = PageResult(source=source, doc=doc, content_hash=stable_id(clean, length=32))
    for span in spans:
        body_text = split.article_text(span)
        article = Article(
            article_id=stable_id(body_text, length=32),
            source=source, doc=doc, paper=paper,
            title=split.printed_form(span.title, text, simple),
            subtitle=split.printed_form(span.subtitle, text, simple), byline=span.byline,
            dateline_place=span.dateline_place,
            published=published.iso, date_precision=published.precision,
            home_city=home_city, body=span.body, text=body_text,
            home_province=home_province,
            page=info.page or span.metadata.page, page_name=info.page_name,
            url=info.url or (html.url if html else ""), date_source=date_source,
        )
        where, page_facts = facts.analyse_article(article, published, home_city, page=scan)
        article.place = facts.place_name(where)
        result.articles.append(article)
        result.facts.extend(page_facts)
        result.campaigns.extend(campaigns.find_campaigns(article, f"{span.column} {span.kicker}"))
    return result


def _paper_of(spans: list[split.ArticleSpan], html: HtmlMeta | None) -> str:
    """The outlet a page names: its metadata lines (来源, 《工人日报》), a saved page's head, or a
    dateline's outlet (济宁新闻网讯); ``本报`` names none."""
    for span in spans:
        if span.metadata.paper:
            return span.metadata.paper
    if html is not None and html.paper:
        return html.paper
    return next((s.outlet for s in spans if s.outlet and s.outlet != "本报"), "")


def extract_file(path: str | Path, info: PageInfo | None = None) -> PageResult:
    """Extract one page file; a file that cannot be read gives a result with ``error`` set."""
    p = Path(path)
    try:
        text, html = read.read_page_and_meta(p)
    except read.PageError as exc:
        return PageResult(source=str(p), doc=p.name, error=exc.message)
    return extract_text(text, source=str(p), info=info, html=html)


def iter_pages(paths: Iterable[str | Path], lookup=None) -> Iterator[PageResult]:
    """Pages one at a time; ``lookup(path)`` gives a page's manifest line (or None)."""
    for path in paths:
        yield extract_file(path, lookup(path) if lookup else None)


def extract(paths: Iterable[str | Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Files → (articles, facts) frames with the tidy tables' columns plus ``doc``."""
    import pandas as pd  # only callers wanting frames pay pandas' import (~0.5 s); the CLI streams rows

    articles: list[dict] = []
    figures: list[dict] = []
    for page in iter_pages(paths):
        articles.extend(as_row(a) for a in page.articles)
        figures.extend(as_row(f) for f in page.facts)
    return (pd.DataFrame(articles, columns=list(ARTICLE_COLUMNS)),
            pd.DataFrame(figures, columns=list(FACT_COLUMNS)))


def _home_province(home_city: str) -> str:
    """The province a page's home lies in; "" for a national paper's page (人民日报: 全国), which no
    province may claim, and the default province only when the page says nothing at all."""
    if home_city == places.NATION.name:
        return ""
    return places.province_of(home_city) or places.default_province()
