"""Synthetic pages and fact tables for scale tests and benchmarks.

Why: five seed pages cannot show how the store behaves with ten thousand pages or a million
figures. Real seed sentences are recombined with other Shandong places, dates and numbers,
so the pages look like the press (and exercise the same rules) while every page's text, and
so its content hash, differs. Randomness is seeded: the same ``seed`` gives the same pages.

Example::

    name, text = next(generate_pages(1))   # ("synth_000000.txt", "…本报临清讯 今年1-5月…")
    build_synthetic_store("bench.duckdb", 1_000_000)
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.records import stable_id
from loaders.storage import store

SEED_FOLDER = Path(__file__).resolve().parent.parent / "seeds"

_FALLBACK_PLACES: dict[str, tuple[str, ...]] = {
    "济南市": ("历下区", "章丘区", "平阴县", "商河县"),
    "青岛市": ("黄岛区", "即墨区", "胶州市", "平度市"),
    "淄博市": ("张店区", "淄川区", "桓台县", "沂源县"),
    "聊城市": ("东昌府区", "茌平区", "临清市", "冠县", "莘县", "阳谷县"),
    "潍坊市": ("寿光市", "诸城市", "青州市", "昌乐县"),
    "临沂市": ("兰山区", "沂水县", "郯城县", "费县"),
    "菏泽市": ("牡丹区", "曹县", "单县", "郓城县"),
    "德州市": ("德城区", "齐河县", "禹城市", "乐陵市"),
}
_INITIATIVES = ("poverty", "tech_renovation", "enterprise_support", "investment_attraction",
                "major_projects", "industrial_economy", "gov_services", "fiscal", "rural",
                "innovation", "governance", "public_safety", "other")
_METRICS = (("技改项目数", "个"), ("技改投资", "元"), ("稳定脱贫贫困人口", "人"), ("授信金额", "元"),
            ("签约项目数", "个"), ("工业增加值增速", "%"), ("帮扶企业数", "家"), ("脱贫户数", "户"),
            ("审批时限", "天"), ("大棚面积", "亩"))
_FIGURE = re.compile(r"(?P<year>20[12]\d年)|(?P<date>\d{1,2}月\d{1,2}日)|(?P<number>\d+(?:\.\d+)?)")
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]")


@functools.cache
def shandong_places() -> dict[str, tuple[str, ...]]:
    """City → its counties, from the gazetteer when ``loaders.places`` has one."""
    try:
        from loaders import places

        found = {c.name: tuple(k.name for k in places.counties_of(c.name)) for c in places.all_cities()}
    except (ImportError, AttributeError):
        return _FALLBACK_PLACES
    found = {city: counties for city, counties in found.items() if counties}
    return found or _FALLBACK_PLACES


@functools.cache
def seed_sentences(folder: str = str(SEED_FOLDER)) -> tuple[str, ...]:
    """Sentences of the seed pages that carry a figure (the material pages are made of)."""
    found: list[str] = []
    for page in sorted(Path(folder).glob("*.txt")):
        text = page.read_text(encoding="utf-8", errors="replace")
        found += [s.strip() for s in _SENTENCE.findall(text) if re.search(r"\d", s) and 12 <= len(s) <= 200]
    if not found:
        found = ["今年1-5月，全市实施技改项目326个，完成技改投资58.6亿元，同比增长12.3%。",
                 "截至6月20日，已帮助1250家企业获得贷款34.5亿元。"]
    return tuple(dict.fromkeys(found))


def _place_names() -> list[str]:
    names = set()
    for city, counties in shandong_places().items():
        names.add(city)
        names.update(counties)
    return sorted(names, key=len, reverse=True)


@functools.cache
def _place_pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n) for n in _place_names()))


def _vary_number(match: re.Match, rng: random.Random) -> str:
    digits = match.group(0)
    if "." in digits:
        whole, frac = digits.split(".")
        fraction = rng.randint(0, 10 ** len(frac) - 1)
        return f"{rng.randint(1, max(1, 10 ** len(whole) - 1))}.{fraction:0{len(frac)}d}"
    low = 10 ** (len(digits) - 1) if len(digits) > 1 else 1
    return str(rng.randint(low, 10 ** len(digits) - 1))


def recombine(sentence: str, rng: random.Random, city: str, county: str) -> str:
    """A seed sentence with its places, dates and numbers replaced; its grammar kept."""
    pool = [city, county]
    text = _place_pattern().sub(lambda _m: rng.choice(pool), sentence)

    def vary(m: re.Match) -> str:
        if m.group("year"):
            return f"{rng.randint(2018, 2022)}年"
        if m.group("date"):
            return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
        return _vary_number(m, rng)

    return _FIGURE.sub(vary, text)


def generate_pages(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``n`` pages (file name, text) of several articles each, deterministic for ``seed``."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    cities = sorted(shandong_places())
    for i in range(n):
        year, month, day = rng.randint(2018, 2022), rng.randint(1, 12), rng.randint(1, 28)
        parts = [f"{year}年{month}月{day}日 星期{rng.choice('一二三四五六日')}"]
        for _ in range(rng.randint(2, 4)):
            city = rng.choice(cities)
            county = rng.choice(shandong_places()[city])
            body = [recombine(rng.choice(sentences), rng, city, county) for _ in range(rng.randint(4, 10))]
            title = body[0][:18].rstrip("，。；、")
            reporter = rng.choice("王李张刘陈杨赵黄") + rng.choice("明华强军丽静")
            parts += [f"## {title}", f"□ 本报记者 {reporter}",
                      f"本报{county[:-1] if len(county) > 2 else county}讯 " + "".join(body[:3]),
                      "".join(body[3:])]
        yield f"synth_{seed}_{i:06d}.txt", "\n\n".join(p for p in parts if p) + "\n"


def write_pages(folder: str | Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` generated pages as UTF-8 files into ``folder``; return their paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate_pages(n, seed):
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def generate_facts_frame(n_rows: int, seed: int = 0, facts_per_article: int = 20) -> pd.DataFrame:
    """A facts table of ``n_rows`` plausible rows (the store's columns), built vectorised."""
    rng = np.random.default_rng(seed)
    places = shandong_places()
    cities = np.array(sorted(places))
    city_idx = rng.integers(0, len(cities), n_rows)
    county_pick = rng.random(n_rows)
    counties = np.array([places[c][int(p * len(places[c]))] if p < 0.7 else ""
                         for c, p in zip(cities[city_idx], county_pick, strict=True)], dtype=object)
    metric_idx = rng.integers(0, len(_METRICS), n_rows)
    metrics = np.array([m for m, _ in _METRICS], dtype=object)[metric_idx]
    units = np.array([u for _, u in _METRICS], dtype=object)[metric_idx]
    values = np.round(rng.lognormal(8, 2.5, n_rows), 2)
    article_no = np.arange(n_rows) // facts_per_article
    article_ids = np.char.add("synart", article_no.astype(str)).astype(object)
    years = rng.integers(2018, 2023, n_rows).astype("int32")
    quotes = np.char.add(np.round(values, 1).astype(str), units.astype(str)).astype(object)
    sentences = (np.char.add(np.char.add(cities[city_idx].astype(str), metrics.astype(str)),
                             quotes.astype(str)).astype(object) + "。")
    starts = rng.integers(0, 800, n_rows).astype("int32")
    frame = pd.DataFrame({
        "fact_id": np.char.add("synfact", np.arange(n_rows).astype(str)).astype(object),
        "article_id": article_ids,
        "doc": np.char.add(np.char.add("synth_", article_no.astype(str)), ".txt").astype(object),
        "province": np.full(n_rows, "山东省", dtype=object),
        "city": cities[city_idx].astype(object),
        "county": counties,
        "initiative": np.array(_INITIATIVES, dtype=object)[rng.integers(0, len(_INITIATIVES), n_rows)],
        "metric": metrics,
        "value": values,
        "unit": units,
        "approx": np.where(rng.random(n_rows) < 0.2, "余", "").astype(object),
        "range_hi": np.full(n_rows, np.nan),
        "period_year": years,
        "period": np.where(rng.random(n_rows) < 0.3, "1-5月", "").astype(object),
        "quote": quotes,
        "sentence": sentences,
        "char_start": starts,
        "char_end": starts + np.array([len(q) for q in quotes], dtype="int32"),
        "confidence": np.round(rng.uniform(0.3, 1.0, n_rows), 2),
        "tier": np.where(rng.random(n_rows) < 0.8, "core", "detail").astype(object),
        "kind": np.array(["stock", "flow", "rate", ""], dtype=object)[rng.integers(0, 4, n_rows)],
        "place_how": np.array(["explicit", "deictic", "article"], dtype=object)[rng.integers(0, 3, n_rows)],
        "parent_fact_id": np.full(n_rows, "", dtype=object),
        "canonical_metric": metrics,
    })
    return frame[list(store.FACT_TABLE_COLUMNS)]


def _articles_for(facts: pd.DataFrame, seed: int) -> pd.DataFrame:
    first = facts.drop_duplicates("article_id")[["article_id", "doc", "city", "period_year"]]
    rng = np.random.default_rng(seed + 1)
    months = rng.integers(1, 13, len(first))
    days = rng.integers(1, 29, len(first))
    published = [f"{y}-{m:02d}-{d:02d}" for y, m, d in zip(first["period_year"], months, days, strict=True)]
    now = datetime.now()
    return pd.DataFrame({
        "article_id": first["article_id"].to_numpy(), "source": first["doc"].to_numpy(),
        "doc": first["doc"].to_numpy(), "paper": "合成日报",
        "title": [f"{c}攻坚行动进展" for c in first["city"]], "subtitle": "", "byline": "",
        "dateline_place": first["city"].to_numpy(), "published": published,
        "published_date": pd.to_datetime(published).date, "date_precision": "day",
        "home_city": first["city"].to_numpy(), "place": first["city"].to_numpy(), "body": "", "text": "",
        "ingested_at": now, "content_hash": [stable_id("synth", a) for a in first["article_id"]],
        "home_province": "山东省", "page": "", "page_name": "", "url": "", "date_source": "filename",
    })[list(store.ARTICLE_TABLE_COLUMNS)]


def _campaigns_for(articles: pd.DataFrame, seed: int) -> pd.DataFrame:
    """One or two campaigns of the catalogue named by each article (三提三敢 ×2 …)."""
    from loaders.campaigns import load_catalogue

    names = np.array([c.name for c in load_catalogue().known], dtype=object)
    rng = np.random.default_rng(seed + 2)
    ids = articles["article_id"].to_numpy()
    twice = rng.random(len(ids)) < 0.4
    article_ids = np.concatenate([ids, ids[twice]])
    return pd.DataFrame({"article_id": article_ids,
                         "name": names[rng.integers(0, len(names), len(article_ids))],
                         "count": rng.integers(1, 4, len(article_ids)).astype("int32")}
                        ).drop_duplicates(["article_id", "name"])


def build_synthetic_store(db_path: str | Path, n_facts: int, seed: int = 0) -> dict:
    """A store holding ``n_facts`` synthetic figures (and their articles) for dashboard benchmarks."""
    facts = generate_facts_frame(n_facts, seed)
    articles = _articles_for(facts, seed)
    with store.write_session(db_path) as con:
        con.execute("BEGIN TRANSACTION")
        con.register("synthetic_articles", articles)
        con.register("synthetic_facts", facts)
        cols = ", ".join(store.ARTICLE_TABLE_COLUMNS)
        con.execute(f"INSERT INTO articles ({cols}) SELECT {cols} FROM synthetic_articles "
                    "WHERE article_id NOT IN (SELECT article_id FROM articles)")
        cols = ", ".join(store.FACT_TABLE_COLUMNS)
        con.execute(f"INSERT INTO facts ({cols}) SELECT {cols} FROM synthetic_facts "
                    "WHERE fact_id NOT IN (SELECT fact_id FROM facts)")
        con.register("synthetic_campaigns", _campaigns_for(articles, seed))
        con.execute("INSERT INTO campaigns SELECT * FROM synthetic_campaigns "
                    "WHERE article_id NOT IN (SELECT article_id FROM campaigns)")
        con.execute("INSERT INTO pages (content_hash, source, doc, text, ingested_at) "
                    "SELECT DISTINCT content_hash, source, doc, '', ingested_at "
                    "FROM synthetic_articles WHERE content_hash NOT IN (SELECT content_hash FROM pages)")
        con.execute("COMMIT")
        con.unregister("synthetic_articles")
        con.unregister("synthetic_facts")
        return store.counts(con)
