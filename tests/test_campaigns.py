"""Campaign names in real sentences: found, folded into one name, cut where a pattern overreached."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.campaigns import (
    LEVELS,
    QUOTE_MARKS,
    CatalogueError,
    _alias_automaton,
    _alias_table,
    _original_positions,
    _pattern_matches,
    _required_tails,
    _without_quotes,
    campaign_members,
    clean_name,
    find_campaigns,
    find_mentions,
    is_known,
    load_catalogue,
    normalise_name,
    parse_catalogue,
    trim_found_name,
    years_text,
)
from loaders.pipeline import extract_file, extract_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# (sentence as printed, the campaign names found in it, in text order)
SENTENCES = [
    ("聚力“六稳”“六保”·重点工作攻坚看行动", ["六稳六保", "重点工作攻坚"]),
    ("——六谈全面落实“六保”任务", ["六保"]),
    ("以实际行动深入落实市委“三提三敢”新要求。", ["三提三敢"]),
    ("切实把市委“提标提速提能力、敢闯敢干敢争先”的要求贯穿平台建设", ["三提三敢"]),
    ("为确保攻坚克难的“六大赋能”行动和十二大攻坚行动得以按照市委制定的路线图、时间表完成",
     ["攻坚克难", "十二大攻坚行动"]),
    ("士气,鼓舞人心,‘十二大攻坚战’,如同十二场攻坚战", ["十二大攻坚行动", "十二大攻坚行动"]),
    ("开展电动自行车集中整治挂牌百日攻坚行动", ["百日攻坚行动"]),
    ("全区开展“百日攻坚”行动", ["百日攻坚行动"]),
    ("坚持“双招双引”一号工程不动摇, 1-8月份,全区累计洽谈引进项目254个", ["双招双引"]),
    ("青岛市在全省设备更新攻坚战中走在前列", ["设备更新攻坚战"]),
    ("更高质量奋力打赢脱贫攻坚战", ["脱贫攻坚"]),
    ("作为第八个攻坚行动,淄博把每个攻坚行动都细化到月", []),
]


@pytest.mark.parametrize(("sentence", "names"), SENTENCES)
def test_campaigns_in_real_sentences(sentence, names):
    assert [m.name for m in find_mentions(sentence)] == names


@pytest.mark.parametrize(("sentence", "names"), SENTENCES)
def test_a_mention_spans_the_printed_name_quotes_and_all(sentence, names):
    for m in find_mentions(sentence):
        printed = sentence[m.start:m.end]
        assert normalise_name(printed) == m.name or m.how == "pattern"
        assert clean_name(printed)[0] not in "“‘" and printed[-1] not in "“‘"


VARIANTS = [
    # (the ways papers print it, the one name the dashboard shows)
    (["百日攻坚", "百日攻坚行动", "“百日攻坚”行动", "“百日攻坚行动”"], "百日攻坚行动"),
    (["六稳六保", "“六稳”“六保”", "“六稳六保”", "六稳、六保"], "六稳六保"),
    (["十二大攻坚行动", "‘十二大攻坚战’", "十二场攻坚战"], "十二大攻坚行动"),
    (["脱贫攻坚", "脱贫攻坚战", "精准脱贫攻坚战"], "脱贫攻坚"),
]


@pytest.mark.parametrize(("written", "name"), VARIANTS)
def test_variants_fold_into_one_campaign(written, name):
    assert {normalise_name(w) for w in written} == {name}
    sentence = "。".join(f"我市深入推进{w}" for w in written)
    found = extract_text(f"## 标题\n\n{sentence}。\n", source="a.txt").campaigns
    assert [(c.name, c.count) for c in found] == [(name, len(written))]


def test_six_stabilities_on_the_seed_page_000_is_found_in_its_column_label():
    page = extract_file(SEEDS / "000_97d967b9aa75d6b6.txt")
    first = page.articles[0]
    assert first.title == "基层运转有力 前行更有底气"
    names = {c.name: c.count for c in page.campaigns if c.article_id == first.article_id}
    assert names["六稳六保"] == 1  # 聚力“六稳”“六保”·重点工作攻坚看行动, the column above the headline
    assert names["六保"] == 1  # ——六谈全面落实“六保”任务
    assert names["基层减负年"] == 1


def test_a_longer_name_is_not_also_counted_as_its_part():
    article = extract_text("## 标题\n\n落实六稳六保，聚力“六稳”“六保”。\n", source="a.txt").articles[0]
    assert {c.name: c.count for c in find_campaigns(article)} == {"六稳六保": 2}


@pytest.mark.parametrize(("caught", "name"), [
    ("行动和十二大攻坚行动", "十二大攻坚行动"),
    ("在全省设备更新攻坚战", "设备更新攻坚战"),
    ("地开展各项扶贫工作专项行动", ""),  # 各项… names no one campaign
    ("全市开展重点项目攻坚行动", "重点项目攻坚行动"),
    ("第八个攻坚行动", ""),
    ("开展攻坚行动", ""),
])
def test_what_a_pattern_caught_before_the_name_is_cut(caught, name):
    assert trim_found_name(caught) == name


def test_a_pattern_found_name_is_not_known_until_listed():
    found = find_mentions("青岛市在全省设备更新攻坚战中走在前列")
    assert [(m.name, m.how) for m in found] == [("设备更新攻坚战", "pattern")]
    assert not is_known("设备更新攻坚战")
    assert is_known("三提三敢") and is_known("百日攻坚")


def test_a_family_takes_in_its_parts():
    assert campaign_members(["六稳六保", "三提三敢"]) == ["六稳六保", "六稳", "六保", "三提三敢"]
    assert load_catalogue().family_of("六保") == "六稳六保"
    assert load_catalogue().family_of("三提三敢") == "三提三敢"


def _shipped_entries() -> list[dict]:
    text = (ROOT / "loaders" / "data" / "taxonomy.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["campaigns"]["known"]


@pytest.mark.parametrize("entry", _shipped_entries(), ids=lambda e: e["name"])
def test_every_campaign_of_the_catalogue(entry):
    """Each row: a level, sane years, a reason, and its name and aliases found as written."""
    catalogue = load_catalogue()
    known = catalogue.get(entry["name"])
    assert known is not None and known.level in LEVELS and known.why
    if known.years:
        assert 1978 <= known.years[0] <= 2030 and known.years == tuple(sorted(known.years))
    if known.family:
        assert catalogue.get(known.family) is not None
    for written in (known.name, *known.aliases):
        assert [m.name for m in find_mentions(f"全市上下深入推进“{written}”工作。")] == [known.name]


def test_the_levels_and_years_read_as_officials_say_them():
    catalogue = load_catalogue()
    assert catalogue.get("三提三敢").level == "city" and catalogue.get("三提三敢").issuer == "聊城市"
    assert years_text(catalogue.get("脱贫攻坚")) == "2015—2020年"
    assert years_text(catalogue.get("三提三敢")) == "2023年起"
    assert years_text(catalogue.get("基层减负年")) == "2019年"


@pytest.mark.parametrize(("section", "message"), [
    ({"known": [{"name": "三提三敢", "level": "county"}]}, "level 应为"),
    ({"known": [{"name": "六稳", "level": "national", "family": "六稳六保"}]}, "不在列表中"),
    ({"known": [{"name": "双招双引", "level": "provincial", "years": [2020, 2018]}]}, "years 应为"),
    ({"known": [{"name": "", "level": "city"}]}, "缺少 name"),
])
def test_a_broken_catalogue_says_what_to_fix_in_chinese(section, message):
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(section)


@given(st.text(alphabet="六稳保“”《》\"行动 ", max_size=40), st.data())
def test_a_text_without_quotes_maps_each_character_back_to_where_it_stood(text: str, data) -> None:
    plain, marks = _without_quotes(text)
    kept = [i for i, ch in enumerate(text) if ch not in QUOTE_MARKS]
    assert plain == "".join(text[i] for i in kept)
    assert set(marks) == set(text) & set(QUOTE_MARKS)
    asked = data.draw(st.lists(st.integers(0, len(plain) - 1), max_size=6)) if plain else []
    assert _original_positions(text, marks, asked) == {i: kept[i] for i in asked}
    assert _original_positions(text, marks, range(len(plain))) == dict(enumerate(kept))


@pytest.mark.parametrize("pattern, tails", [
    (load_catalogue().patterns[0].pattern, ("攻坚行动", "攻坚战", "专项行动", "提升行动", "百日行动")),
    ("[\u4e00-\u9fff]{2,6}(行动|会战)", ("行动", "会战")),
    ("[\u4e00-\u9fff]{2,6}攻坚年", ("攻坚年",)),
    ("[\u4e00-\u9fff]{2,6}(?:行动|战+)", None),  # 战+ is no plain word
    ("[\u4e00-\u9fff]{2,6}行动$", None),
    ("(?i)[a-z]+行动", None),
])
def test_a_patterns_closing_words(pattern, tails):
    assert _required_tails(re.compile(pattern)) == tails


@given(st.text(alphabet="开展百日攻坚行动战专项提升和的“”", max_size=30))
def test_a_text_without_a_patterns_closing_words_holds_no_name_it_finds(text):
    # why find_mentions may skip the pattern's scan of such a text
    for pattern in load_catalogue().patterns:
        tails = _required_tails(pattern)
        if tails is not None and not any(tail in text for tail in tails):
            assert pattern.search(text) is None


_SEARCHED_PATTERNS = [*load_catalogue().patterns, re.compile("[\u4e00-\u9fff]{1,3}(战|行动)"),
                      re.compile("(?<=开展)[\u4e00-\u9fff]+行动")]


@given(st.text(alphabet="开展百日攻坚行动战专项提升和的、“”1 ", max_size=40))
def test_searching_near_the_closing_words_finds_what_a_full_scan_finds(text):
    for pattern in _SEARCHED_PATTERNS:
        searched = [m.span() for m in _pattern_matches(pattern, text)]
        assert searched == [m.span() for m in pattern.finditer(text)]


_ALIAS_CHARACTERS = "".join(sorted(set("".join(_alias_table(load_catalogue())[0])))) + "和、“”的 "


@given(st.text(alphabet=_ALIAS_CHARACTERS, max_size=40))
def test_the_automaton_finds_what_the_regex_of_the_written_forms_finds(text):
    catalogue = load_catalogue()
    spelled, alias_re = _alias_table(catalogue)
    automaton, words = _alias_automaton(catalogue)
    by_regex = [(m.start(), m.end(), m.group()) for m in alias_re.finditer(text)]
    assert [(start, end, words[i]) for i, start, end in automaton.find_matches_as_indexes(text)] == by_regex


def test_an_empty_written_form_is_left_to_the_regex():
    catalogue = parse_catalogue({"known": [{"name": "三提三敢", "level": "city", "aliases": ["“”"]}]})
    assert _alias_automaton(catalogue)[0] is None
    assert find_mentions("三提三敢", catalogue)[0].name == "三提三敢"
