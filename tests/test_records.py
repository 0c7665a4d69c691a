"""The plain records' ids: stable across runs, and the same however they are worked out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from loaders.records import stable_id, stable_ids_after

# (article id, quote, how often the quote came before in the article) of real figures
FIGURE_IDS = [
    ("4f1c0a9e2b7d4c3e8a6b5d2c1e0f9a8b", "3478万元", 0),
    ("4f1c0a9e2b7d4c3e8a6b5d2c1e0f9a8b", "16户", 1),
    ("", "近10亿元", 0),
]


def test_a_figures_id_is_the_same_when_the_articles_part_is_hashed_once() -> None:
    for article_id, quote, n in FIGURE_IDS:
        assert stable_ids_after(article_id)(quote, n) == stable_id(article_id, quote, n)


def test_an_id_is_sixteen_hex_digits_by_default_and_thirty_two_for_an_article() -> None:
    assert len(stable_id("山东省")) == 16
    assert len(stable_id("山东省", length=32)) == 32
    assert stable_ids_after("a", length=32)("b") == stable_id("a", "b", length=32)


@given(st.lists(st.one_of(st.text(), st.integers()), min_size=1, max_size=3),
       st.lists(st.one_of(st.text(), st.integers()), min_size=1, max_size=3))
def test_fixing_the_first_parts_never_changes_an_id(first: list, rest: list) -> None:
    assert stable_ids_after(*first)(*rest) == stable_id(*first, *rest)
