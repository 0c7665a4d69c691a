"""Words in, articles out: the articles' jieba word index, search by words, and 热词.

DuckDB's full-text extension would need a download at run time and splits Chinese on spaces,
which Chinese does not have; so the store keeps its own inverted index, ``article_words``
(article_id, word, n), filled when an article is stored. Words are jieba's ``cut_for_search``
tokens (by rjieba, jieba's dictionary and algorithm in Rust: 20x faster, so an ingest's workers
tokenise as they extract and the single writer only inserts), which keep a compound and its
parts (技术改造 → 技术, 改造, 技术改造), so a query for 改造 finds an article that wrote 技术改造.

- ``search_articles(con, "技改")`` ranks the articles holding every word of the query by BM25
  (rarer words and shorter articles weigh more), with a snippet around the first hit;
- ``hot_words(articles)`` is 热词: per year, the words weighing most in those articles by
  jieba.analyse's TF-IDF, how much each rose over the years before, and the articles using it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

import pandas as pd
import pyarrow as pa

from loaders.records import Article

WORD_SCHEMA = pa.schema([("article_id", pa.string()), ("word", pa.string()), ("n", pa.int32())])
_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2,}|\d+[A-Za-z]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BM25_K1 = 1.2
_BM25_B = 0.75


@cache
def _jieba():
    """jieba with its dictionary loaded once and its log line silenced."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokenise(text: str) -> list[str]:
    """The searchable words of ``text``: jieba's search tokens without punctuation or bare numbers.

    ``tokenise("5G+技改,山东工业“智变”再提速")`` → ["5G", "技改", "山东", "工业", "智变", "再", "提速"].
    """
    import rjieba

    return [w for w in rjieba.cut_for_search(text, True) if _WORD.search(w)]


def word_columns(texts: Iterable[tuple[str, str]]) -> dict[str, list]:
    """The index of (article_id, text) pairs as columns (article_id, word, n): one row per
    (article, word) with how often it occurs, in the order the words first occur.

    Counted before filtered, and the word test is remembered per token (``_is_word``), so it runs
    once per token of the language met so far, not once per article that uses it.
    """
    import rjieba

    ids: list[str] = []
    words: list[str] = []
    ns: list[int] = []
    for article_id, text in texts:
        counts = Counter(rjieba.cut_for_search(text or "", True))
        kept = [word for word in counts if _is_word(word)]
        ids += [article_id] * len(kept)
        words += kept
        ns += [counts[word] for word in kept]
    return {"article_id": ids, "word": words, "n": ns}


_KNOWN_TOKENS: dict[str, bool] = {}
_KNOWN_TOKENS_MAX = 500_000  # a language's tokens, numbers and names among them, bounded all the same


def _is_word(token: str) -> bool:
    """Whether a jieba token is searchable (a CJK character, a Latin word, 5G): asked once per token."""
    known = _KNOWN_TOKENS.get(token)
    if known is None:
        if len(_KNOWN_TOKENS) >= _KNOWN_TOKENS_MAX:
            _KNOWN_TOKENS.clear()
        known = _KNOWN_TOKENS[token] = _WORD.search(token) is not None
    return known


def word_table(articles: Iterable[Article]) -> pa.Table:
    """The index rows of some articles, as the ``article_words`` table holds them."""
    return pa.table(word_columns((a.article_id, a.text) for a in articles), schema=WORD_SCHEMA)


def index_missing(con) -> int:
    """Index the stored articles the word index lacks (a store filled before it existed); how many."""
    frame = con.execute("SELECT article_id, text FROM articles WHERE article_id NOT IN "
                        "(SELECT DISTINCT article_id FROM article_words)").df()
    batch = pa.table(word_columns(frame.itertuples(index=False)), schema=WORD_SCHEMA)  # noqa: F841 — read by DuckDB
    if batch.num_rows:
        con.execute("INSERT INTO article_words SELECT * FROM batch")
    return len(frame)


def query_words(query: str) -> list[str]:
    """A query's words, each once: ``query_words("技改 投资")`` → ["技改", "投资"]."""
    return list(dict.fromkeys(tokenise(query)))


def snippet(text: str, words: Iterable[str], width: int = 40) -> str:
    """The text around the first of ``words`` it holds, with … where it was cut."""
    hits = [i for w in words if (i := text.find(w)) >= 0]
    if not hits:
        return text[: 2 * width].replace("\n", " ")
    at = min(hits)
    start, end = max(0, at - width), min(len(text), at + width)
    return ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")


def search_articles(con, query: str, limit: int = 50,
                    article_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Articles holding every word of ``query``, best first (BM25), with a snippet of the first hit.

    ``article_ids`` narrows the search (the dashboard's filters). Columns: article_id, title,
    published, doc, score, hits (occurrences of the query words), snippet.
    """
    words = query_words(query)
    columns = ["article_id", "title", "published", "doc", "score", "hits", "snippet"]
    if not words:
        return pd.DataFrame(columns=columns)
    cursor = con.cursor() if hasattr(con, "cursor") else con
    only = list(article_ids) if article_ids is not None else None
    frame = cursor.execute("""
        WITH stats AS (SELECT count(DISTINCT article_id) AS docs,
                              sum(n) / count(DISTINCT article_id) AS avg_len FROM article_words),
             lens AS (SELECT article_id, sum(n) AS len FROM article_words
                      WHERE article_id IN (SELECT article_id FROM article_words WHERE list_contains(?, word))
                      GROUP BY article_id),
             df AS (SELECT word, count(*) AS df FROM article_words WHERE list_contains(?, word)
                    GROUP BY word),
             hits AS (SELECT w.article_id, w.word, w.n, df.df, lens.len FROM article_words w
                      JOIN df USING (word) JOIN lens USING (article_id)
                      WHERE ?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], w.article_id))
        SELECT h.article_id, a.title, a.published, a.doc, a.text,
               sum(ln(1 + (s.docs - h.df + 0.5) / (h.df + 0.5))
                   * h.n * (? + 1) / (h.n + ? * (1 - ? + ? * h.len / s.avg_len))) AS score,
               sum(h.n) AS hits, count(DISTINCT h.word) AS matched
        FROM hits h CROSS JOIN stats s JOIN articles a USING (article_id)
        GROUP BY h.article_id, a.title, a.published, a.doc, a.text, a.published_date
        HAVING count(DISTINCT h.word) = ?
        ORDER BY score DESC, a.published_date DESC NULLS LAST, h.article_id
        LIMIT ?""", [words, words, only, only, _BM25_K1, _BM25_K1, _BM25_B, _BM25_B, len(words),
                     int(limit)]).df()
    frame["snippet"] = [snippet(t or "", words) for t in frame["text"]]
    frame["hits"] = frame["hits"].astype(int)
    return frame[columns]


# Nouns, verbal nouns, idioms, abbreviations and verbs: what a coverage is about. Person names
# (nr, the bylines), places (ns, the place itself) and numbers (m) are left out.
HOT_WORD_POS = ("n", "vn", "nz", "l", "nt", "j", "v")
_MAX_CHARS_PER_YEAR = 200_000


def hot_words(articles: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """热词: per year, the ``top`` words of the given articles by jieba.analyse's TF-IDF, with their rise.

    ``articles`` has columns article_id, year (the year each article reports on) and text. The
    weight is jieba.analyse.extract_tags's TF-IDF over that year's articles (common words such as
    发展 weigh little, person and place names are left out); ``rise`` is the weight minus the
    word's mean weight in the years before (in the first year, its whole weight). ``articles``
    of a word are those whose text uses it, most uses first. Columns: year, word, weight, rise,
    articles.
    """
    columns = ["year", "word", "weight", "rise", "articles"]
    articles = articles.dropna(subset=["year"])
    if articles.empty:
        return pd.DataFrame(columns=columns)
    _jieba()
    import jieba.analyse

    by_year: dict[int, dict[str, float]] = {}
    texts: dict[int, list[tuple[str, str]]] = {}
    for year, group in articles.groupby(articles["year"].astype(int)):
        pairs = [(a, t or "") for a, t in zip(group["article_id"], group["text"], strict=True)]
        joined = "\n".join(t for _, t in pairs)[:_MAX_CHARS_PER_YEAR]
        by_year[int(year)] = dict(jieba.analyse.extract_tags(joined, topK=max(top * 5, 50), withWeight=True,
                                                             allowPOS=HOT_WORD_POS))
        texts[int(year)] = pairs
    years = sorted(by_year)
    rows = []
    for i, year in enumerate(years):
        best = sorted(by_year[year].items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        for word, weight in best:
            before = [by_year[y].get(word, 0.0) for y in years[:i]]
            rise = weight - (sum(before) / len(before) if before else 0.0)
            users = sorted(((t.count(word), a) for a, t in texts[year] if word in t),
                           key=lambda pair: (-pair[0], pair[1]))
            rows.append({"year": year, "word": word, "weight": round(weight, 5), "rise": round(rise, 5),
                         "articles": [a for _, a in users]})
    return pd.DataFrame(rows, columns=columns)
