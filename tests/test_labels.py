"""Metric labels read from real sentences: noun phrases, parts of a whole, synonyms, weak labels."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders import numbers, places
from loaders.labels import (
    _MARKS_AFTER,
    FigureLabel,
    _tokens_of,
    fold_synonyms,
    is_weak,
    label_figures,
    weakness,
)
from loaders.pipeline import extract_text
from loaders.taxonomy import load_metric_words, parse_metric_words

_CLAUSE_END = re.compile(r"[，,：:、。！？!?；;\n]")  # as loaders.facts cuts clauses


def labelled(text: str) -> list[tuple[str, FigureLabel]]:
    """(quote, label) of every figure of ``text``, clauses cut as the facts step cuts them."""
    quantities = numbers.find_quantities(text)
    ends = [m.end() for m in _CLAUSE_END.finditer(text)]
    clauses = []
    for q in quantities:
        start = max((e for e in ends if e <= q.start), default=0)
        end = min((e for e in ends if e > q.start), default=len(text))
        clauses.append((start, end))
    mentions = [(m.start, m.end) for m in places.find_place_mentions(text)]
    found = label_figures(text, quantities, clauses, mentions)
    return [(q.quote, label) for q, label in zip(quantities, found, strict=True)]


def by_quote(text: str) -> dict[str, FigureLabel]:
    return dict(labelled(text))


@pytest.mark.parametrize(("sentence", "quote", "metric"), [
    # a count followed by its noun, with the verb that says what happened to it
    ("薛城区以12家银行机构为主体成立了12支金融辅导队，对接区级辅导企业106家。", "12支", "金融辅导队数"),
    ("淄博市474个省扶贫工作重点村稳定退出", "474个", "稳定退出省扶贫工作重点村数"),
    ("该平台已入驻科技型企业过万家,发布152款金融产品", "152款", "金融产品数"),
    ("为全市374家科技型中小企业争取到437笔科技成果转化贷款", "437笔", "科技成果转化贷款笔数"),
    ("今年以来,东昌府区主要领导先后赴北京等地开展招商活动11次,考察了近50家企业", "近50家", "考察企业数"),
    ("7家企业与院校签约共建研发平台", "7家", "与院校签约共建研发平台企业数"),
    ("7家企业与院校签约共建研发平台,12家企业与13家院校专家签订合作协议", "12家",
     "与院校专家签订合作协议企业数"),
    # the noun phrase before the figure, without its linking words
    ("1-5月份，全省规模以上制造业实施投资500万元以上技改项目就有5511个", "5511个",
     "投资500万元以上技改项目数"),
    ("截至目前，冠县规模以上工业企业145家全部开工", "145家", "规上工业企业数"),
    ("共开展科普宣传宣讲500余场、地震应急演练200余场", "200余场", "地震应急演练场次"),
    ("抗疫特别国债共2万亿元", "2万亿元", "抗疫特别国债"),
    ("小麦已收5609.5万亩", "5609.5万亩", "小麦已收面积"),
    # a rate keeps what it measures, and a fall says so
    ("全省一般公共预算收入下降6.9%", "6.9%", "一般公共预算收入下降"),
    ("工业增加值增幅9.6%,高于全市1.1个百分点", "9.6%", "工业增加值增幅"),
    ("工业增加值增幅9.6%,高于全市1.1个百分点", "1.1个百分点", "工业增加值增幅高于全市"),
    ("规模以上企业100%复工复产", "100%", "规上企业复工复产率"),
    # durations: a time limit for a procedure, else the time taken
    ("已实现一表申请、并联审批,3日办结,审批提速92.5%", "3日", "办结时限"),
    ("平时放款至少需要半个月", "半个月", "放款用时"),
    # a measure with no subject borrows the subject of the figure before
    ("已授信专项抗疫贷16户金额3478万元", "3478万元", "授信专项抗疫贷金额"),
    ("全区重点项目59个,总投资194亿元", "194亿元", "重点项目总投资"),
    ("全市普惠小微贷款余额501亿元,同比增长29.3%", "29.3%", "普惠小微贷款余额同比增速"),
    ("从增速看,17市中GDP增幅最高的是菏泽,为8.4%", "8.4%", "GDP增幅"),
    # listed items share what the first one names
    ("实际到位内资1010亿元、外资10.89亿美元", "10.89亿美元", "实际到位外资"),
    ("带动58个镇1678个村", "1678个", "带动村数"),
    ("实施产业扶贫项目51个,带动58个镇1678个村的建档立卡贫困户16028户", "1678个", "带动村数"),
    # what a count is of: quoted terms, two nouns of one count, a batch, a place kind in brackets
    ("10家市管社会组织与全市10个驻村“第一书记”签订了认领特殊贫困群众的帮扶协议", "10个",
     "签订驻村第一书记数"),
    ("于近期采取线上线下并行方式,召开6场“一县一案”省技改现场会,实现县市区全覆盖", "6场",
     "一县一案省技改现场会场次"),
    ("集中培育氟硅材料、精细化工、MEMS等20个左右优势产业链条和特色产业集群。", "20个左右",
     "优势产业链条和特色产业集群数"),
    ("统筹专窗布局,897个社区便民中心,327个银行、邮政签约网点提供通办服务。", "327个", "银行、邮政签约网点数"),
    ("分别为市民服务中心建设工程、22个“口袋公园”建设工程、高铁西站基础设施提升工程", "22个",
     "口袋公园建设工程数"),
    ("建立市县一体的技改奖补政策体系,加快下拨5000多万第二批技改奖补资金,以奖促投", "5000多万",
     "第二批技改奖补资金"),
    ("住建局组织12个调研督导组,抽查了全市23个乡(镇),对1373户贫困家庭危房改造情况进行了实地检查", "23个",
     "抽查乡镇数"),
    ("总投资近百亿元 当年实施完成7个项目", "7个", "实施完成项目数"),
    ("20座扶贫大棚共产生26.33万元的经济效益", "20座", "扶贫大棚数"),
    ("今年1至8月,全市滚动推进469个计划投资1600亿元的市级重点跟踪服务技改项目", "469个",
     "市级重点跟踪服务技改项目数"),
    # a measure followed by 的 and a noun measures that noun
    ("我们为企业提供利率为4.55%的低息贷款,并提高抵押物的抵押率", "4.55%", "低息贷款利率"),
    ("总投资1295亿的220个重大项目集中开工", "1295亿", "重大项目总投资"),
    # both ends of a change 由…到 are levels of what stands before 由
    ("人民银行通过普惠小微贷款支持工具提供的激励资金比例由1%提高到2%。", "1%", "激励资金比例"),
    ("人民银行通过普惠小微贷款支持工具提供的激励资金比例由1%提高到2%。", "2%", "激励资金比例"),
    # 由 and 到/至 may carry a time; a level reached (降至) is a level of the rate, not a change
    ("贫困发生率由建档立卡之初的5.4%降至2019年末的0.06%。", "5.4%", "贫困发生率"),
    ("贫困发生率由建档立卡之初的5.4%降至2019年末的0.06%。", "0.06%", "贫困发生率"),
    ("已累计实现3.4万户14.9万人脱贫,130个贫困村全部销号,贫困发生率降至0.5%。", "0.5%", "贫困发生率"),
    # a rate with no words of its own is a level of the rate before it in the sentence
    ("河南2013年贫困发生率是8.79%,如今53个贫困县清零后,下降至0.41%,累计实现651.1万农村贫困人口脱贫",
     "0.41%", "贫困发生率"),
    # 中部地区, 西部地区 are places: the label is what is measured there
    ("据介绍,中部地区贫困县贫困发生率降至2%以下,西部地区降至3%以下,是贫困县退出的主要衡量标准。", "2%以下",
     "贫困县贫困发生率"),
    ("据介绍,中部地区贫困县贫困发生率降至2%以下,西部地区降至3%以下,是贫困县退出的主要衡量标准。", "3%以下",
     "贫困县贫困发生率"),
    # a count of places after a list of them: the verb before the list, not the last place
    ("全省技改投资额超过100亿元的有16个市(州),新增南充、广元、广安、自贡4个市。", "4个", "新增市数"),
    ("全省技改投资额超过100亿元的有16个市(州),新增南充、广元、广安、自贡4个市。", "16个",
     "技改投资额超过100亿元市州数"),
    # 市(州) is a kind of place, like 全省: it ends the label on its left
    ("投资上百亿元市(州)累计完成投资3659亿元,占全省技改投资的94.1%", "3659亿元", "累计完成投资"),
    # a period inside a target's name stays (全年目标); a yardstick after its own subject keeps it
    ("全省技改投资完成全年目标的84.5%,超计划进度1.2个百分点。", "84.5%", "技改投资完成全年目标比例"),
    ("全省技改投资完成全年目标的84.5%,超计划进度1.2个百分点。", "1.2个百分点", "超计划进度"),
    ("经开区7个县市区项目全部开工,全市投资进度快于时间进度0.7个百分点,其中,梁山县", "0.7个百分点",
     "投资进度快于时间进度"),
    # households of people are counted as households; a count with only a verb after it is of that verb
    ("截至2019年底,全县共有建档立卡贫困人口3.5万户15.3万人,已累计实现3.4万户14.9万人脱贫", "3.5万户",
     "建档立卡贫困户数"),
    ("截至2019年底,全县共有建档立卡贫困人口3.5万户15.3万人,已累计实现3.4万户14.9万人脱贫", "3.4万户",
     "脱贫户数"),
    ("截至2019年底,全县共有建档立卡贫困人口3.5万户15.3万人,已累计实现3.4万户14.9万人脱贫", "14.9万人",
     "脱贫人口"),
    # a share lends its whole's subject to the growth after it
    ("1至7月份,全市完成技改投资433.7亿元,占工业投资的53.2%,同比增长4.68%。", "4.68%", "完成技改投资同比增速"),
    # a gap to a yardstick said with 比…高 is named as one said with 高于
    ("1-10月全省制造业完成工业投资4218亿元,其中投资于技术改造的高达3078亿元,增长19.9%,比全省技改平均增速高5.8个百分点。",
     "5.8个百分点", "技改增速高于全省技改平均增速"),
    ("全市GDP增长6.5%,增速比全省高0.8个百分点", "0.8个百分点", "GDP增速高于全省"),
    # a count of places (县市区) followed by what they did: the places are counted
    ("梁山县、邹城市、高新区、泗水县、汶上县、兖州区、鱼台县7个县市区投资进度超过全市平均水平。", "7个",
     "投资进度超过全市平均水平县市区数"),
    # a kind of place in brackets after the counted noun is a remark;
    # a counted kind of place is named by what the places did
    ("全省有10个州(市)的15个贫困县(市)实现了脱贫摘帽。", "15个", "脱贫摘帽贫困县数"),
    ("批准日喀则市谢通门县等19个县(区)退出贫困县(区)。", "19个", "退出贫困县县区数"),
    ("统筹专窗布局,在13个县市区政务服务大厅设置通办专窗103个,897个社区便民中心", "13个",
     "政务服务大厅设置通办专窗县市区数"),
    # a passive 被 + verb says what happened to what is counted; an object cut at 和 is left out
    ("青岛已有40个项目被纳入国家工业领域技改和设备更新专项再贷款项目第一批清单。", "40个", "纳入项目数"),
    # a measure of the things counted, and what is said of it, sorts them
    ("统计的31个制造业中,25个行业技改投资呈正增长。", "25个", "技改投资正增长行业数"),
    # 对X的贡献率: X is what the rate is of
    ("累计完成投资3659亿元,占全省技改投资的94.1%,对技改投资增长的贡献率达到92.3%。", "92.3%",
     "技改投资增长贡献率"),
    # a size after a verb names the size (面积, 长度, 量) of what was done
    ("目前,占地320亩的健康生物科技产业园项目", "320亩", "占地面积"),
    # a size before the 的 of a counted kind of place sorts the places
    ("全省还有87.53万户332.12万贫困人口,贫困发生率9.89%,贫困发生率在10%以上的县共有41个。", "41个",
     "贫困发生率10%以上县数"),
    # a gap between two figures is the gap of what they measure
    ("过去在后面的济宁,以GDP4370.17亿元超越淄博,两地相差727.77亿元。", "727.77亿元", "GDP差距"),
    # a month count is the figure's period, not what is measured (房天下 2020-05-18, 聊城)
    ("今年以来,聊城市坚持“项目为王”理念,1—4月份固定资产投资同比增长1%。", "1%", "固定资产投资同比增速"),
])
def test_label_of_a_figure(sentence, quote, metric):
    assert by_quote(sentence)[quote].metric == metric


CHAIN = ("截至目前，东昌府区今年新招引亿元以上项目23个，其中引进落地项目17个，过10亿元项目3个，"
         "过50亿元项目1个。")


def test_the_qizhong_chain_names_each_part_and_points_at_the_whole():
    found = labelled(CHAIN)
    assert [(q, f.metric, f.parent) for q, f in found] == [
        ("23个", "新招引亿元以上项目数", None),
        ("17个", "引进落地项目数", 0),
        ("3个", "过10亿元项目数", 0),
        ("1个", "过50亿元项目数", 0),
    ]


def test_a_part_named_by_a_qualifier_takes_its_whole_label():
    found = by_quote("远程异地评标“伙伴”扩充至21个,其中省外6个。")
    assert found["21个"].metric == "远程异地评标伙伴数"
    assert found["6个"].metric == "省外远程异地评标伙伴数"
    assert found["6个"].part == "省外"


def test_a_part_after_a_growth_rate_keeps_its_qualifier():
    found = labelled("投资额同比增长4.8%，其中高新技术制造业技改投资同比增长26.6%，"
                     "保持了快速增长的良好态势。")
    (_, whole), (_, part) = found
    assert part.metric == "高新技术制造业技改投资同比增速"
    assert part.parent == 0
    assert whole.metric != part.metric


def test_a_part_keeps_its_size_class():
    found = labelled("据了解,本次签约的10个项目,全部聚焦新能源、医疗器械、食品加工等新产业赛道,"
                     "总投资额达118.5亿元,其中6个项目投资额超10亿元。")
    assert (found[2][0], found[2][1].metric, found[2][1].parent) == ("6个", "投资额超10亿元项目数", 0)


def test_a_count_of_places_that_is_not_a_figure_stays_out_of_the_label():
    """山东省17市 names the province's cities (no figure of its own): the ranked total is GDP总量."""
    page = extract_text("山东17市经济半年报\n\n2016年上半年,山东省17市GDP总量最高的是青岛,4520.3亿元;",
                        "d027.txt")
    assert [(f.quote, f.metric) for f in page.facts] == [("4520.3亿元", "GDP总量")]


def test_a_share_is_a_part_of_what_it_is_a_share_of():
    found = labelled("截至3月20日，淄博市复工复产企业2794家 占比65.66%。")
    assert found[1][1].metric == "复工复产企业占比"
    assert found[1][1].parent == 0
    share = labelled("已复工规上建筑业企业266家,占全市规上建筑企业数量的59.64%,日增复工企业34家")
    assert share[1][1].metric == "复工规上建筑业企业占比"
    assert share[1][1].parent == 0


def test_a_distribution_by_place_is_labelled_as_its_total():
    found = labelled("9月份，新签约项目14个。其中，新签约项目潍坊5个、聊城3个、济南2个。")
    assert [f.metric for _, f in found] == ["新签约项目数"] * 4
    assert [f.parent for _, f in found] == [None, 0, 0, 0]


def test_a_fenbiewei_list_shares_its_label():
    found = by_quote("实际到位内资1010亿元、外资10.89亿美元,资金到位率分别为5.7%、8.5%。")
    assert found["5.7%"].metric == found["8.5%"].metric == "资金到位率"


def test_time_said_as_rhetoric_is_no_metric_and_lends_no_subject():
    found = by_quote("365个日日夜夜,我省聚焦解决‘两不愁三保障’突出问题,高位推进、尽锐出战,"
                     "完成13.25万人、128个贫困村、5个省级贫困县高质量脱贫任务,至此。")
    assert found["365个"].weak
    assert found["13.25万人"].metric == "完成高质量脱贫任务人数"  # the object the verb shares over the list


def test_a_figure_whose_words_are_a_place_gets_a_noun_or_goes_to_review():
    found = by_quote("以东昌府区、阳谷县、东阿县三个县(区)的青少年素质教育实践基地为阵地,"
                     "开展中小学生学习防震减灾科普教育,每年培训5万余人次。")
    label = found["三个"]
    assert label.metric != "东阿县"
    assert label.weak or weakness(label.metric) == ""
    assert found["5万余人次"].metric == "培训人次"


def test_pronunciation_notes_are_not_read_as_words():
    found = by_quote("截至2月23日,全区(qū)已复工规(guī)模以上工业(yè)企业(yè)26家,新开工2家。")
    assert found["26家"].metric == "复工规上工业企业数"
    assert "(" not in found["2家"].metric


@pytest.mark.parametrize(("label", "why"), [
    ("东阿县", "place"),
    ("如今", "time"),
    ("1-5月", "time"),
    ("件", "short"),
    ("", "short"),
    ("扩充至", "no_noun"),
    ("一下子又交出", "no_noun"),
    ("技改项目数", ""),
    ("脱贫人口", ""),
    ("审批时限", ""),
    ("累计完成投资", ""),  # ends in what it measures, though 投资 is tagged a verbal noun
    ("日日夜夜", "no_noun"),
])
def test_weakness_of_a_label(label, why):
    assert weakness(label) == why
    assert is_weak(label) == bool(why)


@pytest.mark.parametrize(("variant", "preferred"), [
    ("技术改造项目个数", "技改项目数"),
    ("实施技改项目数", "技改项目数"),
    ("GDP", "地区生产总值"),
    ("规模以上工业企业数", "规上工业企业数"),
    ("复工企业数量占比", "复工企业占比"),
])
def test_synonyms_fold_into_one_label(variant, preferred):
    assert fold_synonyms(variant) == preferred


_WORDS = ["项目", "企业", "技改", "投资", "全市", "其中", "同比增长", "下降", "贫困户", "聊城", "东阿县",
          "今年", "引进", "落地", "，", "、", "。", "的", "共", "达到", "占比", "分别为", "总投资"]
_FIGURES = ["23个", "17家", "4.8%", "3.2亿元", "1000人", "6个百分点", "3天"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_WORDS + _FIGURES), min_size=1, max_size=14).filter(
    lambda pieces: len([p for p in pieces if p in _FIGURES]) == len({p for p in pieces if p in _FIGURES})))
def test_labels_are_never_a_place_a_time_word_or_a_fragment_unless_flagged(pieces):
    """Each figure once, so a label holding a quote would hold its own figure."""
    text = "".join(pieces)
    found = labelled(text)
    for quote, label in found:
        assert quote not in label.metric or label.metric == ""
        assert label.weak or not is_weak(label.metric)  # the clause's nearest words are always weak
        assert label.parent is None or 0 <= label.parent < len(found)


def test_the_label_files_words_keep_its_part_of_speech():
    """jieba's dictionary calls 技改 and 同比 j (abbreviation); the data file makes them n and d, and
    a decimal (split by the segmenter into 26 . 6) is read as numbers, not as English words."""
    tags = dict(_tokens_of("高新技术制造业技改投资同比增长26.6%，占比"))
    assert tags["技改"] == "n" and tags["同比"] == "d" and tags["占比"] == "n"
    assert tags["26"] == tags["6"] == "m"


def test_reading_labels_needs_no_python_jieba():
    """Labels use jieba-rs; ``jieba.posseg`` (1 s to import and load) stays out of the process."""
    script = ("import sys; from loaders.labels import label_figures, is_weak; is_weak('技改项目数'); "
              "print(sorted(m for m in sys.modules if m.startswith('jieba')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_row_of_the_label_data_file():
    text = resources.files("loaders").joinpath("data/metric_labels.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    words = load_metric_words()
    assert words == parse_metric_words(text)
    for section in ("links", "light_verbs", "scope_words", "relative_heads", "growth_words", "decline_words",
                    "comparison_words", "measure_endings", "noun_units", "money_nouns", "agent_endings",
                    "time_limit_words", "gap_words"):
        listed = data["grammar"][section]
        assert listed and len(listed) == len(set(listed)), section
        assert all(re.fullmatch(r"[\u4e00-\u9fff]{1,6}", w) for w in listed), section
    for unit, suffix in data["suffix"].items():
        assert re.fullmatch(r"[\u4e00-\u9fff]{1,3}", suffix), unit
    for word, tag in data["dictionary"].items():
        assert re.fullmatch(r"[a-z]{1,3}", tag) and word, word
    for preferred, variants in data["synonyms"]["words"].items():
        assert preferred not in variants and all(variants), preferred
    for preferred, variants in data["synonyms"]["labels"].items():
        assert preferred not in variants and all(variants), preferred
        assert weakness(preferred) == "", preferred


def test_the_nearest_words_for_review_do_not_end_on_a_preposition():
    found = by_quote("中产生的设备、知识产权及科技成果等的购置费用,"
                     "山东省级财政按不超过10%的比例给予单户企业支持")
    assert found["不超过10%"].weak and not found["不超过10%"].metric.endswith("按")


@pytest.mark.parametrize(("text", "ending"), [
    ("招商活动场次", "场次"),       # the longest ending, not 次
    ("第三产业增加值比重", "比重"),  # not 比
    ("技改投资", "投资"),
    ("新开工项目", ""),
])
def test_a_label_ends_in_the_longest_measure_word_it_can(text, ending):
    from loaders.labels import _grammar

    assert _grammar().measures.longest(text) == ending


def test_a_window_is_tagged_with_article_offsets_as_the_clause_alone_is():
    """Each window of an article is tagged once (a second figure asking for the same words reuses
    them), its tokens carry offsets in the article and the words and tags of the window alone."""
    from loaders.labels import _TaggedText

    text = "全市技改投资同比增长26.6%，技改投资同比增长30%"
    tagged = _TaggedText(text)
    second = text.index("技改投资", 5)
    tokens = tagged.tokens(second, second + 8)
    assert "".join(word for word, _, _, _ in tokens) == "技改投资同比增长"
    assert tokens[0][2] == second and tokens[-1][3] == second + 8  # (word, tag, start, end)
    assert [(word, flag) for word, flag, _, _ in tokens] == list(_tokens_of("技改投资同比增长"))
    assert [tok[:2] for tok in tagged.tokens(2, 10)] == [tok[:2] for tok in tokens]


@pytest.mark.parametrize("mark", sorted(_MARKS_AFTER))
@pytest.mark.parametrize("following", ["", "同比增长26.6%", "12个项目", "abc", "\n全市", "、技改",
                                       "“一县一案”"])
def test_a_mark_after_a_figure_is_cut_off_alone_and_tagged_x(mark, following):
    """A figure followed by ，。；、： has no word of its own after it: the grammar skips tagging those
    words because the segmenter always cuts such a mark off alone and tags it x (完成投资120亿元，…)."""
    assert _tokens_of(mark + following)[0] == (mark, "x")


@pytest.mark.parametrize(("text", "quote", "metric"), [
    ("完成投资120亿元，同比增长12%", "120亿元", "完成投资"),
    ("新签约项目14个。其中潍坊5个", "14个", "新签约项目数"),
    ("规上企业复工率100%；", "100%", "规上企业复工率"),
])
def test_a_figure_closed_by_a_mark_is_named_by_the_words_before_it(text, quote, metric):
    assert by_quote(text)[quote].metric == metric


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="同比增长下降技改投资占比重率,", max_size=12), st.integers(-2, 14),
       st.integers(-2, 14))
def test_the_longest_ending_of_a_span_is_that_of_the_span_cut_out(text, lo, hi):
    """``longest_in`` reads a clause before its figure in place; it finds what ``longest`` finds in
    the copied span (技改投资同比增长 → 同比增长), and nothing in an empty span."""
    from loaders.labels import _grammar

    lo, hi = max(lo, 0), min(max(hi, 0), len(text))
    for endings in (_grammar().changes, _grammar().measures, _grammar().comparisons):
        assert endings.longest_in(text, lo, hi) == endings.longest(text[lo:hi])
        fitting = [w for w in endings._all if w and text[lo:hi].endswith(w)]
        assert endings.longest(text[lo:hi]) == max(fitting, key=len, default="")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="同比上年较去增长下降相差距为技改投资,", max_size=12), st.integers(-2, 14),
       st.integers(-2, 14))
def test_a_span_whose_last_character_ends_no_ending_has_none(text, lo, hi):
    """The grammar looks an ending up only when the span's last character may end one (增长 ends in
    长): that cheap test before the call never drops an ending ``longest_in`` would find."""
    from loaders.labels import _grammar

    lo, hi = max(lo, 0), min(max(hi, 0), len(text))
    for endings in (_grammar().changes, _grammar().comparisons, _grammar().gaps):
        if text[hi - 1:hi] not in endings.last_chars:
            assert endings.longest_in(text, lo, hi) == ""


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["技改", "投资", "同比", "增长", "12", "3.5", "%", "，", "“", "”", "项目",
                                 "个", "全市", "a", " ", "(", "市", ")"]), max_size=12).map("".join),
       st.integers(0, 30), st.integers(0, 30))
def test_the_tokens_of_a_window_are_its_words_and_tags_with_article_offsets(text, lo, hi):
    """Tokens are plain (word, tag, start, end) tuples: one after another from ``lo`` to ``hi``,
    with the words and tags of the window tagged alone."""
    from loaders.labels import _TaggedText

    lo, hi = min(lo, len(text)), min(hi, len(text))
    tokens = _TaggedText(text).tokens(lo, hi)
    assert [(word, flag) for word, flag, _, _ in tokens] == (list(_tokens_of(text[lo:hi])) if hi > lo else [])
    assert [start for _, _, start, _ in tokens] == [lo, *(end for _, _, _, end in tokens)][:len(tokens)]
    assert all(text[start:end] == word for word, _, start, end in tokens)
    assert not tokens or tokens[-1][3] == hi


@pytest.mark.parametrize(("text", "quote", "metric"), [
    ("全年发放5000万元“惠农”贷款", "5000万元", "惠农贷款"),  # the money noun after the quoted words
    ("新增贷款320亿元，其中普惠小微贷款40亿元", "40亿元", "普惠小微贷款"),  # no money noun after it
    ("企业提交23项申请材料", "23项", "申请材料数"),  # a long noun: no verb before it leads
    ("当年实施完成7个项目", "7个", "实施完成项目数"),  # a short noun: the verbs before it lead
    ("今年以来集中签约和开工的84个项目", "84个", "开工项目数"),  # the phrase before 的 leads
    ("新增南充、广元、广安、自贡4个市", "4个", "新增市数"),  # past the list of places
])
def test_the_words_around_a_count_or_amount_are_read_where_they_can_name_it(text, quote, metric):
    """An amount is named by the noun after it only when that noun ends in a money noun, and a verb
    before a count leads only a short noun or a 的-phrase: the other words are not tagged at all."""
    assert by_quote(text)[quote].metric == metric


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["技改", "投资", "同比", "增长", "增速", "月份", "占比", "开工", "新开工",
                                 "惠及", "办理", "12", "3.5", "%", "２", "，", "“", "”", "项目", "个",
                                 "a", " "]), max_size=10).map("".join))
def test_jieba_rs_tags_are_put_right_exactly_where_a_word_needs_it(text):
    """``_tag`` takes jieba-rs's tags as they come unless one regex finds a number or a word of the label
    file that jieba-rs tags otherwise (技改 j → n): the same as putting the file's tag and m for a
    number over every word, as jieba-rs tags a word by the word alone."""
    from loaders.labels import _tag, _tagger

    tag, dictionary, retag, first = _tagger()
    numeral = re.compile(r"^\d[\d.,]*[%％]?$")
    everywhere = [(w, "m" if numeral.match(w) else dictionary.get(w, f)) for w, f in tag(text, False)]
    assert list(_tag(text)) == everywhere
    at = first.search(text)  # the first characters' class finds a place wherever the words do
    assert (at is not None and retag.search(text, at.start()) is not None) == (retag.search(text) is not None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8)), max_size=6), st.integers(0, 40),
       st.integers(1, 6), st.integers(0, 12))
def test_a_word_is_tested_against_the_spans_wherever_it_may_meet_one(spans, start, length, margin):
    """The phrase walks skip ``_overlaps`` for a word that starts at or past ``_reach`` (walking left
    in a window ending at ``hi``) or ends at or before ``_first_start`` (walking right from ``lo``):
    no such word meets a span, so the skipped test would have said no."""
    from loaders.labels import _first_start, _overlaps, _reach

    spans = sorted((s, s + n) for s, n in spans)
    end = start + length
    if _overlaps(start, end, spans):
        assert start < _reach(spans, end + margin)
        assert end > _first_start(spans, max(start - margin, 0))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["。", "！", "?", "\n", "，", "；", "增长", "a", "12", "技改项目" * 60]),
                max_size=40).map("".join),
       st.lists(st.integers(0, 2000), max_size=12), st.booleans())
def test_a_sentence_start_is_the_last_stop_before_a_figure_whatever_was_asked(text, positions, in_order):
    """``_SentenceStops`` keeps its last answer for the next figure: every answer is still the end of
    the last full stop in the ``_REACH`` characters before the position (or where they begin)."""
    from loaders.labels import _REACH, _SentenceStops

    stops = _SentenceStops(text)
    for pos in sorted(positions) if in_order else positions:
        pos = min(pos, len(text))
        lo = max(pos - _REACH, 0)
        last = max((i for i in range(lo, pos) if text[i] in "。！？!?\n"), default=None)
        assert stops.start_of(pos) == (lo if last is None else last + 1)
