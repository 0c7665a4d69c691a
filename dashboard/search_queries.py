"""What 搜索 asks of the store: articles by words, and a place's 热词 over the years.

The word index and the ranking live in ``loaders.storage.search``; this module picks the articles
the sidebar's filters allow (those with figures the filters keep) and caches by store version.
Example: ``fetch_search(con, Filters(), "技改")`` -> the articles holding 技改, best first.
"""

from __future__ import annotations

import pandas as pd

from dashboard import queries
from dashboard.filters import Filters
from dashboard.queries import BASE as _BASE
from loaders.storage import search


def _article_ids(con, filters: Filters) -> list[str] | None:
    """Articles with figures the filters keep; None when nothing is filtered (every article)."""
    if filters.is_empty():
        return None
    cond, params = queries.where(filters)
    cursor = con.cursor() if hasattr(con, "cursor") else con
    return [r[0] for r in cursor.execute(f"SELECT DISTINCT article_id {_BASE}{cond}", params).fetchall()]


def fetch_search(con, filters: Filters, words: str, limit: int = 50) -> pd.DataFrame:
    """Articles holding every word, best first; narrowed to the filtered figures' articles."""
    return search.search_articles(con, words, limit=limit, article_ids=_article_ids(con, filters))


def fetch_place_articles(con, filters: Filters, city: str) -> pd.DataFrame:
    """A city's articles (those with figures of that city under the filters): id, year, title, text."""
    narrowed = Filters(**{**{f: getattr(filters, f) for f in filters.__dataclass_fields__},
                          "cities": (city,)})
    cond, params = queries.where(narrowed)
    cursor = con.cursor() if hasattr(con, "cursor") else con
    return cursor.execute(f"""
        SELECT a.article_id, year(a.published_date) AS year, a.title, a.published, a.text
        FROM articles a WHERE a.article_id IN (SELECT article_id {_BASE}{cond})
        ORDER BY a.published_date, a.article_id""", params).df()


def fetch_hot_words(con, filters: Filters, city: str, top: int = 8) -> pd.DataFrame:
    """热词 of a city's articles per year (see ``loaders.storage.search.hot_words``)."""
    return search.hot_words(fetch_place_articles(con, filters, city), top=top)


def _run(name: str, *args):
    return queries.run(__name__, name, *args)


def articles(filters: Filters, words: str) -> pd.DataFrame:
    return _run("search", filters, words)


def place_articles(filters: Filters, city: str) -> pd.DataFrame:
    return _run("place_articles", filters, city)


def hot_words(filters: Filters, city: str) -> pd.DataFrame:
    return _run("hot_words", filters, city)
