"""Synthetic pages and facts: deterministic, varied, shaped like the real thing."""

from __future__ import annotations

import random
import re
from pathlib import Path

from loaders.pipeline import extract_text
from loaders.storage import store
from loaders.synth import (
    build_synthetic_store,
    generate_facts_frame,
    generate_pages,
    recombine,
    seed_sentences,
    shandong_places,
    write_pages,
)

SENTENCE = "今年1-5月，临清市新开工技改项目46个，完成技改投资38.6亿元。"


def test_the_same_seed_gives_the_same_pages_and_another_seed_others():
    first = list(generate_pages(5, seed=1))
    assert first == list(generate_pages(5, seed=1))
    assert first != list(generate_pages(5, seed=2))
    assert len({text for _, text in first}) == 5 and len({name for name, _ in first}) == 5


def test_a_recombined_sentence_keeps_its_grammar_with_other_places_and_numbers():
    rng = random.Random(7)
    city = "菏泽市"
    county = shandong_places()[city][0]
    out = recombine(SENTENCE, rng, city, county)
    assert "临清市" not in out and (county in out or city in out)
    assert re.sub(r"\d+(?:\.\d+)?", "N", out).replace(county, "P").replace(city, "P") == \
        "今年N-N月，P新开工技改项目N个，完成技改投资N亿元。"


def test_seed_sentences_are_real_sentences_with_figures():
    sentences = seed_sentences()
    assert len(sentences) > 50
    assert all(re.search(r"\d", s) and s[-1] in "。！？" for s in sentences)


def test_generated_pages_yield_articles_and_figures():
    _, text = next(generate_pages(1, seed=4))
    page = extract_text(text, source="synth.txt")
    assert len(page.articles) >= 2 and len(page.facts) >= 5


def test_write_pages_writes_utf8_files(tmp_path: Path):
    paths = write_pages(tmp_path, 3, seed=9)
    assert [p.name for p in paths] == [name for name, _ in generate_pages(3, seed=9)]
    assert paths[0].read_text(encoding="utf-8") == next(generate_pages(1, seed=9))[1]


def test_the_facts_frame_has_the_store_columns_and_plausible_rows():
    frame = generate_facts_frame(2000, seed=3)
    assert tuple(frame.columns) == store.FACT_TABLE_COLUMNS and len(frame) == 2000
    assert frame["fact_id"].is_unique and (frame["value"] > 0).all()
    assert set(frame["city"]) <= set(shandong_places())
    assert frame.equals(generate_facts_frame(2000, seed=3))


def test_a_synthetic_store_holds_the_figures_and_reads_like_a_real_one(tmp_path: Path):
    db = tmp_path / "bench.duckdb"
    assert build_synthetic_store(db, 5000)["facts"] == 5000
    con = store.open_reader(db)
    rows = con.execute("SELECT count(*), count(published_date), count(DISTINCT city) FROM facts_current "
                       "WHERE review_status <> 'rejected'").fetchone()
    assert rows[0] == 5000 and rows[1] == 5000 and rows[2] > 5
