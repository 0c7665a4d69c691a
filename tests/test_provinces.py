"""Other provinces' papers: extraction of real pages from 河北, 甘肃, 河南 and 贵州, scored like the seeds.

The gold set (tests/data/provinces: pages, facts.jsonl, articles.jsonl) follows
shared/eval/SCHEMA.md; the score is shared/eval/score.py's. City accuracy on it was about 0.07
when the gazetteer held Shandong only (全省 became 山东省, a 南阳 figure landed in 济宁市).
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import asdict
from pathlib import Path

import pytest

from loaders.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "provinces"
SCORE = ROOT.parent / "shared" / "eval" / "score.py"


def _score_module():
    spec = importlib.util.spec_from_file_location("shared_score", SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def extracted() -> tuple[list[dict], list[dict]]:
    facts, articles = [], []
    for page in sorted((GOLD / "pages").glob("*.txt")):
        result = extract_file(page)
        assert not result.error, result.error
        facts.extend(asdict(f) for f in result.facts)
        articles.extend(asdict(a) for a in result.articles)
    return facts, articles


def test_gold_set_has_ten_pages_from_four_provinces():
    docs = {r["doc"] for r in _rows(GOLD / "facts.jsonl")}
    assert len(docs) >= 10 and len({d.split("_")[0] for d in docs}) >= 4
    assert all((GOLD / "pages" / d).exists() for d in docs)


@pytest.mark.skipif(not SCORE.exists(), reason="shared/eval/score.py is not beside the project")
def test_other_provinces_pages_get_their_own_cities(extracted):
    facts, articles = extracted
    score = _score_module()
    result, pairs, _extra = score.score_facts(_rows(GOLD / "facts.jsonl"), facts)
    assert result["city_acc_core"] >= 0.95
    assert result["recall_core"] >= 0.9
    wrong_province = [(g["quote"], g["city"], p["city"]) for g, p in pairs
                      if p is not None and g["city"].endswith("省") and p["city"] == "山东省"]
    assert wrong_province == []


def test_figures_carry_their_province(extracted):
    facts, articles = extracted
    by_city = {(f["city"], f["province"]) for f in facts if f["city"] not in ("", "全国")}
    assert ("河北省", "河北省") in by_city and ("兰州市", "甘肃省") in by_city
    assert ("开封市", "河南省") in by_city and ("贵州省", "贵州省") in by_city
    assert all(province for _, province in by_city)
    assert {a["home_province"] for a in articles} == {"河北省", "甘肃省", "河南省", "贵州省"}


def test_hebei_province_wide_figure():
    result = extract_file(GOLD / "pages" / "hebei_2020-10-10_wenming.txt")
    (fact,) = [f for f in result.facts if f.quote == "7746个"]
    assert (fact.province, fact.city, fact.county) == ("河北省", "河北省", "")


def test_lanzhou_figures():
    result = extract_file(GOLD / "pages" / "gansu_2020-05-18_lanzhou.txt")
    found = {f.quote: (f.province, f.city, f.county) for f in result.facts}
    assert found["31.79万人"] == ("甘肃省", "兰州市", "")
    assert found["102个"] == ("甘肃省", "兰州市", "永登县")


def test_fengjie_on_a_shandong_paper(tmp_path):
    page = tmp_path / "滨州日报_2020-09-25.txt"
    page.write_text(
        "奉节:诗城扶贫协作曲处处滨州音符\n\n"
        "  2010年,按照党中央、国务院统一部署,山东省与重庆市结对开展扶贫协作。"
        "同年11月,山东省确定滨州市扶贫协作奉节县,两地正式“联姻”。\n"
        "  重庆市奉节县地处长江三峡库区腹地,当时拥有贫困人口124425人,人均可支配收入不足500元。\n"
        "  多年来,来自滨州的干部克服地域、气候与饮食的差异,全市共选派干部36名。\n",
        encoding="utf-8")
    result = extract_file(page)
    found = {f.quote: (f.province, f.city, f.county) for f in result.facts}
    assert found["124425人"] == ("重庆市", "重庆市", "奉节县")
    assert found["36名"] == ("山东省", "滨州市", "")


def test_a_shandong_seed_page_is_unchanged():
    result = extract_file(ROOT / "seeds" / "002_1b9743f1e9e56b57.txt")
    assert {a.home_province for a in result.articles} == {"山东省"}
    assert {f.province for f in result.facts if f.city not in ("", "全国")} == {"山东省"}
    seeds_gold = SCORE.parent / "seeds" / "facts.jsonl"
    gold = [r for r in _rows(seeds_gold) if r["doc"] == "002_1b9743f1e9e56b57.txt"] if SCORE.exists() else []
    if gold:
        result_score, _, _ = _score_module().score_facts(gold, [asdict(f) for f in result.facts])
        assert result_score["recall"] == 1.0 and result_score["city_acc_core"] == 1.0


def test_a_national_papers_page_belongs_to_no_province(tmp_path):
    page = tmp_path / "人民日报.txt"
    page.write_text("又有8省市贫困县全部摘帽\n2020-03-02 10:38:00 来源:人民日报\n\n"
                    "国务院扶贫办最新统计显示,截至今年2月底,河北、山西、黑龙江、河南、湖南、海南、重庆、陕西"
                    "等8个省市的所有贫困县已宣布脱贫摘帽。", encoding="utf-8")
    result = extract_file(page)
    assert {a.home_province for a in result.articles} == {""}
    assert {(f.quote, f.city) for f in result.facts} == {("8个", "全国")}
