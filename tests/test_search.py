"""Search by words and 热词 on the seed store (five newspaper pages and the 30 dev web articles)."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.records import Article
from loaders.storage import search, store


@pytest.fixture(scope="module")
def con(seed_db):
    reader = store.open_reader(seed_db)
    yield reader
    reader.close()


@pytest.mark.parametrize(("text", "words"), [
    ("5G+技改,山东工业“智变”再提速", ["5G", "技改", "山东", "工业", "智变", "再", "提速"]),
    ("技术改造和技改投资增长", ["技术", "改造", "技术改造", "和", "技改", "投资", "增长"]),
    ("年内实施重大技改项目 30 个", ["年内", "实施", "重大", "技改", "项目", "个"]),
])
def test_tokens_keep_compounds_and_their_parts_but_no_numbers(text, words):
    assert search.tokenise(text) == words


@pytest.mark.parametrize(("article", "rows"), [
    ("技改投资增长12.5%,技改项目30个", [("技改", 2), ("投资", 1), ("增长", 1), ("项目", 1), ("个", 1)]),
    ("5G+技改", [("5G", 1), ("技改", 1)]),
    ("2020年", [("年", 1)]),
])
def test_the_index_counts_each_searchable_word_once_per_article_however_full_its_memory(
        monkeypatch, article, rows):
    """The word test is remembered per token; a full memory is emptied, never wrong."""
    first = search.word_columns([("a1", article)])
    monkeypatch.setattr(search, "_KNOWN_TOKENS", {})
    monkeypatch.setattr(search, "_KNOWN_TOKENS_MAX", 1)
    again = search.word_columns([("a1", article), ("a2", article)])
    assert list(zip(first["word"], first["n"], strict=True)) == rows
    assert again["article_id"] == ["a1"] * len(rows) + ["a2"] * len(rows)
    assert again["word"] == first["word"] * 2
    assert len(search._KNOWN_TOKENS) <= 1


def test_every_stored_article_is_indexed(con):
    missing = con.execute("SELECT count(*) FROM articles WHERE article_id NOT IN "
                          "(SELECT article_id FROM article_words)").fetchone()[0]
    assert missing == 0


def test_a_search_for_jigai_returns_the_seed_and_dev_articles_that_contain_it_ranked(con):
    found = search.search_articles(con, "技改")
    holding = con.execute("SELECT article_id, doc FROM articles WHERE contains(text, '技改')").df()
    assert set(found["article_id"]) == set(holding["article_id"])
    docs = set(found["doc"])
    assert "000_97d967b9aa75d6b6.txt" in docs  # 5G+技改，山东工业“智变”再提速
    assert {"d007_2021-03-29.txt", "d008.txt", "d009_2020-01-28.txt", "d010_2024-10-12.txt"} <= docs
    assert list(found["score"]) == sorted(found["score"], reverse=True)
    # the headline about 技改 outranks an article naming it once among many words
    assert found.iloc[0]["hits"] >= found.iloc[-1]["hits"]
    assert all("技改" in s for s in found["snippet"])


def test_every_word_of_a_query_must_be_in_the_article(con):
    both = search.search_articles(con, "技改 青岛")
    holding = con.execute("SELECT article_id FROM articles "
                          "WHERE contains(text, '技改') AND contains(text, '青岛')").df()
    assert set(both["article_id"]) == set(holding["article_id"])
    assert "d010_2024-10-12.txt" in set(both["doc"]) and len(both) < len(search.search_articles(con, "技改"))
    assert search.search_articles(con, "，。").empty


def test_search_can_be_narrowed_to_some_articles(con):
    some = search.search_articles(con, "技改", limit=3)
    narrowed = search.search_articles(con, "技改", article_ids=list(some["article_id"][:1]))
    assert list(narrowed["article_id"]) == list(some["article_id"][:1])


def test_word_table_counts_each_word_once_per_article():
    article = Article("a1", "", "", "", "技改", "", "", "", "", "", "", "", "技改投资，技改项目，2020年")
    rows = {r["word"]: r["n"] for r in search.word_table([article]).to_pylist()}
    assert rows["技改"] == 2 and rows["投资"] == 1
    assert "，" not in rows and "2020" not in rows  # punctuation and bare numbers are no words


def test_hot_words_for_liaocheng_are_linked_to_the_articles_that_use_them(con):
    articles = con.execute("""
        SELECT DISTINCT a.article_id, year(a.published_date) AS year, a.text
        FROM articles a JOIN facts f USING (article_id) WHERE f.city = '聊城市'""").df()
    hot = search.hot_words(articles, top=5)
    assert not hot.empty and set(hot.columns) == {"year", "word", "weight", "rise", "articles"}
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    for row in hot.itertuples(index=False):
        assert row.articles, row.word
        assert all(row.word in texts[a] for a in row.articles)
    by_year = {y: list(g["word"]) for y, g in hot.groupby("year")}
    assert "脱贫" in by_year[2019]  # 聊城's 2019 coverage is about poverty
    assert "贷款" in by_year[2022]
    first = hot[hot["year"] == min(by_year)]
    assert (first["rise"] == first["weight"]).all()


def test_hot_words_of_no_article_are_empty():
    assert search.hot_words(pd.DataFrame(columns=["article_id", "year", "text"])).empty
