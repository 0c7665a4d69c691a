"""What each figure is about: place, period, initiative and metric, on real seed passages."""

from __future__ import annotations

import pytest

from loaders.pipeline import extract_text


def figures(page: str) -> dict[str, object]:
    """Facts of a small page, keyed by quote (the first figure of each quote)."""
    out = {}
    for fact in extract_text(page, source="sample.txt").facts:
        out.setdefault(fact.quote, fact)
    return out


EDITORIAL = (
    "## 基层运转有力 前行更有底气\n\n——六谈全面落实“六保”任务\n\n□ 本报评论员 姜和军\n\n"
    "受疫情影响，今年前5月全国一般公共预算收入同比下降13.6%，全省一般公共预算收入下降6.9%，"
    "基层财政收支平衡压力突出。截至2020年6月10日，全省累计挂牌超过2056万辆。\n\n"
    "我省将11项省级财力性转移支付直接拨入困难县工资专户。\n"
)

COUNTY_STORY = (
    "冠县复工达产“靶向”精准\n\n□记者 李梦 孙亚飞 通讯员 许永飞 报道 本报冠县讯 在冠县山东肯石重工机械有限公司"
    "生产车间，工人们加紧生产。\n\n"
    "截至目前，冠县规模以上工业企业145家全部开工，累计开工复工重点项目43个，总投资136.2亿元。\n\n"
    "2019年，冠县引进项目20个。\n"
)

LISTED_CITIES = (
    "## 山东2056万辆电动自行车有了“身份证”\n\n□ 本报记者 吴荣欣\n\n"
    "2019年8月19日在淄博、泰安、德州3市启动试点，随即扩大到16市的16个县区。\n"
)


@pytest.mark.parametrize(("page", "quote", "city", "county"), [
    (EDITORIAL, "13.6%", "全国", ""),
    (EDITORIAL, "6.9%", "山东省", ""),
    (EDITORIAL, "11项", "山东省", ""),
    (COUNTY_STORY, "145家", "聊城市", "冠县"),
    (COUNTY_STORY, "136.2亿元", "聊城市", "冠县"),
    (LISTED_CITIES, "3市", "山东省", ""),
], ids=lambda v: v if len(str(v)) < 12 else None)
def test_place_of_a_figure(page, quote, city, county):
    fact = figures(page)[quote]
    assert (fact.city, fact.county) == (city, county)


@pytest.mark.parametrize(("page", "quote", "initiative"), [
    (EDITORIAL, "13.6%", "fiscal"),
    (EDITORIAL, "11项", "fiscal"),
    (COUNTY_STORY, "145家", "enterprise_support"),
    (LISTED_CITIES, "16个", "public_safety"),
], ids=lambda v: v if len(str(v)) < 16 else None)
def test_initiative_of_a_figure(page, quote, initiative):
    assert figures(page)[quote].initiative == initiative


def test_year_comes_from_the_sentence_before_the_page():
    found = figures(COUNTY_STORY + "\n\n截至2020年3月20日，全县复工。\n")
    assert found["20个"].period_year == 2019
    assert found["145家"].period_year == 2020


def test_a_decline_is_labelled_as_one():
    fact = figures(EDITORIAL)["13.6%"]
    assert fact.value == 13.6
    assert "下降" in fact.metric


def test_fact_ids_are_stable_and_unique():
    first = [f.fact_id for f in extract_text(COUNTY_STORY, source="a.txt").facts]
    again = [f.fact_id for f in extract_text(COUNTY_STORY, source="b.txt").facts]
    assert first == again
    assert len(set(first)) == len(first)


def test_offsets_point_at_the_quote_in_the_article_text():
    result = extract_text(COUNTY_STORY, source="a.txt")
    texts = {a.article_id: a.text for a in result.articles}
    for fact in result.facts:
        assert texts[fact.article_id][fact.char_start:fact.char_end] == fact.quote


@pytest.mark.parametrize(("sentence", "quote", "metric"), [
    ("薛城区以12家银行机构为主体成立了12支金融辅导队，对接区级辅导企业106家。", "12支", "金融辅导队数"),
    ("薛城区以12家银行机构为主体成立了12支金融辅导队，对接区级辅导企业106家。", "106家",
     "对接区级辅导企业数"),
    ("已授信专项抗疫贷16户金额3478万元。", "3478万元", "授信专项抗疫贷金额"),
    ("目前,在高唐,已实现一表申请、并联审批,3日办结,审批提速92.5%。", "3日", "办结时限"),
    ("淄博市474个省扶贫工作重点村稳定退出,86349户157641名贫困人口稳定脱贫。", "86349户", "稳定脱贫贫困户数"),
    ("淄博市474个省扶贫工作重点村稳定退出,86349户157641名贫困人口稳定脱贫。", "157641名", "稳定脱贫贫困人口"),
])
def test_metric_is_the_noun_phrase_of_the_text_or_a_canonical_name(sentence, quote, metric):
    assert figures(sentence)[quote].metric == metric


def test_a_part_of_a_whole_points_at_its_whole():
    found = figures("截至目前，东昌府区今年新招引亿元以上项目23个，其中引进落地项目17个，过10亿元项目3个，"
                    "过50亿元项目1个。")
    whole = found["23个"]
    assert whole.parent_fact_id == ""
    assert [found[q].parent_fact_id for q in ("17个", "3个", "1个")] == [whole.fact_id] * 3
    assert found["17个"].metric == "引进落地项目数"


def test_a_canonical_metric_gives_the_figure_its_kind():
    found = figures("2019年,淄博市474个省扶贫工作重点村稳定退出,157641名建档立卡贫困人口稳定脱贫。")
    assert found["157641名"].metric.endswith("贫困人口")
    assert found["157641名"].kind == "stock"


SETS_AND_BANDS_OF_PLACES = (
    "## 山东16市党政主要负责同志带队招商引资及项目落地情况\n\n"
    "近日，山东省重大项目督导服务平台发布山东16市党政主要负责同志带队招商引资情况。"
    "日照、德州、聊城、菏泽9市党政主要负责同志外出招商。\n\n"
    "其中,临淄区、高新区开复工率超过95%,分别达到97.84%和95.96%。高青县企业开复工率达到80%以上。\n\n"
    "曲阜、汶上、任城等县(市、区)也相继和东宏签订合同，总工程量超过10亿元。\n"
)


def test_a_set_or_a_band_of_places_is_not_a_figure():
    """山东16市 names the province's cities; 临淄区、高新区…超过95% is the band both fall in."""
    quotes = [f.quote for f in extract_text(SETS_AND_BANDS_OF_PLACES, source="sample.txt").facts]
    assert "16市" not in quotes and "超过95%" not in quotes
    assert {"9市", "97.84%", "95.96%", "80%以上", "超过10亿元"} <= set(quotes)
