"""Publication dates and the periods figures refer to. STUB — being written."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PubDate:
    year: int | None
    month: int | None = None
    day: int | None = None
    precision: str = "unknown"  # day | month | year | inferred | unknown

    @property
    def iso(self) -> str:
        if self.year is None:
            return ""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class Period:
    year: int | None
    text: str  # as written: "2019年", "1-5月份", "截至3月20日", "去年", "年内", or ""
    is_target: bool = False  # a goal (年内/力争/到2025年) rather than a result


def infer_publication_date(page_text: str, articles: list) -> PubDate:
    """The page's publication date, as precisely as its text allows."""
    return PubDate(year=None)


def resolve_period(text: str, position: int, published: PubDate) -> Period:
    """The period a figure at ``position`` of ``text`` (its sentence) refers to."""
    return Period(year=published.year, text="")
