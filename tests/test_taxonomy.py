"""The taxonomy file officials edit: every row must load and make sense."""

import re

import pytest

from loaders.taxonomy import METRIC_KINDS, load_taxonomy, parse_taxonomy

SCHEMA_KEYS = {
    "poverty", "tech_renovation", "enterprise_support", "investment_attraction", "major_projects",
    "industrial_economy", "gov_services", "fiscal", "rural", "innovation", "governance",
    "public_safety", "other",
}


def test_keys_are_exactly_the_schema_keys():
    assert {i.key for i in load_taxonomy().initiatives} == SCHEMA_KEYS


def test_menu_starts_with_the_three_first_initiatives():
    keys = [i.key for i in load_taxonomy().initiatives]
    assert keys[:3] == ["enterprise_support", "tech_renovation", "poverty"]
    assert keys[-1] == "other"


@pytest.mark.parametrize("initiative", load_taxonomy().initiatives, ids=lambda i: i.key)
def test_every_initiative_row(initiative):
    assert re.fullmatch(r"[\u4e00-\u9fff]{2,6}", initiative.label)
    for word, weight in initiative.keywords:
        assert word and weight > 0, (initiative.key, word)
    words = [w for w, _ in initiative.keywords]
    assert len(words) == len(set(words)), f"{initiative.key} lists a keyword twice"
    for metric in initiative.metrics:
        assert metric.name and metric.unit and metric.keywords
        assert metric.kind in METRIC_KINDS


def test_campaign_patterns_compile_and_find_a_named_campaign():
    taxonomy = load_taxonomy()
    assert "三提三敢" in taxonomy.campaign_names
    text = "坚决打赢全省电动自行车集中整治挂牌百日攻坚行动"
    assert any(p.search(text) for p in taxonomy.campaign_patterns)


def test_an_edited_copy_is_read_with_weights():
    edited = """
[initiatives.poverty]
label = "脱贫攻坚"
order = 1
keywords = ["脱贫=4", "帮扶"]
[[initiatives.poverty.metrics]]
name = "脱贫人口"
unit = "人"
kind = "stock"
keywords = ["脱贫"]
"""
    taxonomy = parse_taxonomy(edited)
    poverty = taxonomy.get("poverty")
    assert poverty.keywords == (("脱贫", 4.0), ("帮扶", 1.0))
    assert taxonomy.label("poverty") == "脱贫攻坚"
    assert taxonomy.campaign_names == ()
