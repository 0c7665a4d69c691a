"""Run the steps over pages: read → normalise → split → dates → facts.

Pages are handled one at a time (``iter_pages``) so memory stays flat however many pages
are given; ``extract`` gathers them into two frames for callers that want frames.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders import campaigns, dates, facts, normalise, places, read, split
from loaders.records import ARTICLE_COLUMNS, FACT_COLUMNS, Article, Campaign, Fact, as_row, stable_id


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


def extract_text(text: str, source: str = "", paper: str = "") -> PageResult:
    """Extract articles and figures from a page's decoded text.

    ``text`` may still hold full-width characters: normalising folds them for the rules, while
    headlines are kept as the page prints them (淄川：…, not 淄川:…).
    """
    doc = Path(source).name if source else ""
    clean = normalise.normalise_text(text)
    spans = split.split_articles(clean)
    published = dates.date_from_name(doc) or dates.infer_publication_date(clean, spans)
    home_city = places.home_city_of(clean)
    result = PageResult(source=source, doc=doc, content_hash=stable_id(clean, length=32))
    for span in spans:
        body_text = split.article_text(span)
        article = Article(
            article_id=stable_id(body_text, length=32),
            source=source, doc=doc, paper=paper,
            title=split.printed_form(span.title, text),
            subtitle=split.printed_form(span.subtitle, text), byline=span.byline,
            dateline_place=span.dateline_place,
            published=published.iso, date_precision=published.precision,
            home_city=home_city, body=span.body, text=body_text,
            home_province=places.province_of(home_city),
        )
        where, page_facts = facts.analyse_article(article, published, home_city)
        article.place = facts.place_name(where)
        result.articles.append(article)
        result.facts.extend(page_facts)
        result.campaigns.extend(campaigns.find_campaigns(article, f"{span.column} {span.kicker}"))
    return result


def extract_file(path: str | Path) -> PageResult:
    """Extract one page file; a file that cannot be read gives a result with ``error`` set."""
    p = Path(path)
    try:
        text = read.read_page(p, fold=False)
    except read.PageError as exc:
        return PageResult(source=str(p), doc=p.name, error=exc.message)
    return extract_text(text, source=str(p))


def iter_pages(paths: Iterable[str | Path]) -> Iterator[PageResult]:
    for path in paths:
        yield extract_file(path)


def extract(paths: Iterable[str | Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Files → (articles, facts) frames with the tidy tables' columns plus ``doc``."""
    articles: list[dict] = []
    figures: list[dict] = []
    for page in iter_pages(paths):
        articles.extend(as_row(a) for a in page.articles)
        figures.extend(as_row(f) for f in page.facts)
    return (pd.DataFrame(articles, columns=list(ARTICLE_COLUMNS)),
            pd.DataFrame(figures, columns=list(FACT_COLUMNS)))
