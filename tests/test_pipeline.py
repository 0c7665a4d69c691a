"""The extract API and command: pages in, articles and figures out, bad pages reported in Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders import extract
from loaders.cli import main
from loaders.records import ARTICLE_COLUMNS, FACT_COLUMNS

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_extract_returns_the_tidy_frames():
    articles, facts = extract(SEEDS[:1])
    assert list(articles.columns) == list(ARTICLE_COLUMNS)
    assert list(facts.columns) == list(FACT_COLUMNS)
    assert set(facts["article_id"]) <= set(articles["article_id"])
    row = facts[facts["quote"] == "3478万元"].iloc[0]
    assert (row["value"], row["unit"], row["city"], row["county"]) == (34_780_000.0, "元", "枣庄市", "薛城区")
    assert row["initiative"] == "enterprise_support"
    assert row["period_year"] == 2020
    assert row["quote"] in row["sentence"]


def test_command_writes_one_object_per_line_with_doc(tmp_path):
    facts_out, articles_out = tmp_path / "f.jsonl", tmp_path / "a.jsonl"
    code = main(["extract", *map(str, SEEDS), "--facts-out", str(facts_out),
                 "--articles-out", str(articles_out)])
    assert code == 0
    facts, articles = read_jsonl(facts_out), read_jsonl(articles_out)
    assert {f["doc"] for f in facts} == {p.name for p in SEEDS}
    assert set(FACT_COLUMNS) <= set(facts[0])
    assert set(ARTICLE_COLUMNS) <= set(articles[0])
    titles = {a["title"] for a in articles}
    assert "淄川：畅通服务基层“最后一公里”" in titles


def test_a_bad_page_is_named_in_chinese_and_the_batch_goes_on(tmp_path, capsys):
    empty = tmp_path / "空白版面.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    facts_out, articles_out = tmp_path / "f.jsonl", tmp_path / "a.jsonl"
    code = main(["extract", str(empty), str(SEEDS[0]), str(binary),
                 "--facts-out", str(facts_out), "--articles-out", str(articles_out)])
    err = capsys.readouterr().err
    assert code == 0
    assert "空白版面.txt" in err and "scan.txt" in err
    assert {f["doc"] for f in read_jsonl(facts_out)} == {SEEDS[0].name}


def test_command_fails_when_no_page_could_be_read(tmp_path, capsys):
    missing = tmp_path / "没有这个文件.txt"
    code = main(["extract", str(missing), "--facts-out", str(tmp_path / "f.jsonl"),
                 "--articles-out", str(tmp_path / "a.jsonl")])
    assert code == 1
    assert "没有这个文件.txt" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_the_same_page_in_another_encoding_gives_the_same_figures(tmp_path, encoding):
    text = SEEDS[3].read_text(encoding="utf-8")
    other = tmp_path / f"page.{encoding}.txt"
    other.write_bytes(text.encode(encoding))
    _, original = extract([SEEDS[3]])
    _, again = extract([other])
    assert list(again["fact_id"]) == list(original["fact_id"])
