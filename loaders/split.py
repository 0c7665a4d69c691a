"""Split a page into articles. STUB — being written."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ArticleSpan:
    title: str
    subtitle: str
    byline: str
    dateline_place: str  # as printed in the dateline (本报临清讯 → "临清"), or ""
    dateline_date: str  # as printed (本报济南6月20日讯 → "6月20日"), or ""
    body: str
    kind: str = "article"  # article | continuation | caption | commentary
    start: int = 0  # offset of the article's first character in the page text
    end: int = 0


def article_text(span: ArticleSpan) -> str:
    """The text facts index into: headline, subtitle and body joined by blank lines."""
    return "\n\n".join(part for part in (span.title, span.subtitle, span.body) if part)


def split_articles(text: str) -> list[ArticleSpan]:
    """Page text (already normalised) → its articles in page order."""
    return [ArticleSpan(title="", subtitle="", byline="", dateline_place="", dateline_date="",
                        body=text, start=0, end=len(text))]
