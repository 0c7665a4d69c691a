"""What each figure is about: place, period, initiative and metric, on real seed passages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def test_a_label_of_its_own_joins_a_taxonomy_metric_only_when_it_is_a_kind_of_it():
    """The dashboard charts by the taxonomy's metric: 300余家省内企业 must not become 技改服务商数
    because 技改服务商 stands later in the clause, nor a gap between two GDPs a GDP."""
    found = figures("山东首届智能化技改展洽会今天在济南开幕,300余家省内企业与来自国内的65家智能化技改服务商"
                    "开展现场对接。\n\n2019年,淄博实现GDP3642.40亿元;济宁以GDP4370.17亿元超越淄博,"
                    "两地相差727.77亿元。")
    assert found["300余家"].canonical_metric != "技改服务商数"
    assert found["727.77亿元"].canonical_metric != "地区生产总值"
    assert found["3642.40亿元"].canonical_metric == "地区生产总值"


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


# Real sentences of web articles (shared/eval/dev), each a rule of where a figure is.
PLACE_CASES = [
    ("a province opening a firm's name in a list of firms",
     "商河县推出“助业贷”“纾困贷”\n\n截至目前,“助业贷”申请8笔,山东亿博光电等2家企业已批复,金额900万元。",
     "900万元", "济南市", "商河县"),
    ("the province named inside a clause does not carry to the next sentence",
     "淄博市淄川经济开发区多点发力,推动工业高质量发展\n\n2018年,淄博市淄川经济开发区围绕总体定位,"
     "抓住全省新旧动能转换有利时机,多点发力。一是加快重点工程建设。排定重点项目59个,总投资194亿元。",
     "194亿元", "淄博市", "淄川区"),
    ("a headline's county right after its city is the article's place",
     "北航科创、聚力生源等项目签约落地济南莱芜\n\n今年以来项目签约额已达695亿元。",
     "695亿元", "济南市", "莱芜区"),
    ("a headline's county right after its province is the article's place",
     "四川高县上半年工业技改投资增长15.58%\n\n今年上半年,完成工业性投资18.04亿元,同比增长67.3%。",
     "18.04亿元", "宜宾市", "高县"),
    ("a province's short name opening an item of a list of projects names the project",
     "四川高县上半年工业技改投资增长15.58%\n\n截至6月,该县有立华蚕茧丝绸产业科技园、早白尖茶叶科技园、"
     "四川远航环保餐具及系列纸制品建设项目等重点建设工业项目28个,其中竣工投产类9个。",
     "28个", "宜宾市", "高县"),
    ("a county-level deictic is the county named before it",
     "项目签约落地济南莱芜\n\n莱芜区委副书记、区长秦蕾表示,莱芜区坚持项目为王。\n\n"
     "1-8月份,全区累计洽谈引进项目254个,总投资1604亿元。",
     "254个", "济南市", "莱芜区"),
    ("a part after 其中 holds for its own sentence only",
     "截至2月20日淄博市复工复产企业2794家\n\n农业企业。已复工企业131家,其中,高青县企业开复工率达到80%;"
     "建筑业企业。已复工规上建筑业企业266家,占全市规上建筑企业数量的59.64%。",
     "266家", "淄博市", ""),
    ("分别 pairs figures joined by 和 with the places in order",
     "截至2月20日淄博市复工复产企业2794家\n\n其中,临淄区、高新区开复工率超过95%,分别达到97.84%和95.96%。",
     "95.96%", "淄博市", ""),
    ("a place after 入选 names the list, not the subject",
     "青岛技改提速\n\n全市统筹市级财政资金9亿元。青岛成功入选全国首批制造业新型技术改造城市试点,获得国家技改资金3亿元。",
     "3亿元", "青岛市", ""),
    ("a place inside a document's title is no subject",
     "青岛技改提速\n\n青岛强化产品推广,推动更多“青岛制造”在全省设备更新攻坚战中担当重任,"
     "172项产品入选《山东省优质设备供给目录(第一批)》,29项产品纳入《山东省工程机械产业链优质产品目录》。",
     "29项", "青岛市", ""),
    ("the nation after 与 is where the partners are",
     "德州为企业群众办理跨域审批事项超过65万件次\n\n加入“跨省通办”合作联盟,与全国319个市县区“网上携手”。",
     "319个", "德州市", ""),
    ("a figure about two cities takes the first one named",
     "山东17市经济半年报\n\n从增速看,17市中GDP增幅最高的是菏泽,为8.4%;增幅最低的是德州、滨州,为6.8%。",
     "6.8%", "德州市", ""),
    ("a number of cities is the province's",
     "山东17市经济半年报:菏泽增长最快 3市新超2000亿\n\n2016年上半年,山东省17市GDP总量最高的是青岛。",
     "3市", "山东省", ""),
    ("places in brackets explain the figure before them",
     "兰州脱贫攻坚纪实\n\n兰州市共有国家扶贫开发重点县1个(榆中县),国家六盘山片区县3个(榆中县、永登县、皋兰县),"
     "省级插花贫困县(区)1个(七里河区)。",
     "3个", "兰州市", ""),
    ("a national body opening a clause sets a national rule",
     "1-5月聊城市贷款平均利率5.48%\n\n加大普惠小微贷款支持力度,从2022年二季度起人民银行通过普惠小微贷款支持工具"
     "提供的激励资金比例由1%提高到2%。",
     "1%", "全国", ""),
    ("a national body inside a clause is not the subject",
     "1-5月聊城市贷款平均利率5.48%\n\n全市金融机构向人民银行申请再贷款2.5亿元。",
     "2.5亿元", "聊城市", ""),
    ("a figure before 的 and a place's average is that place's average",
     "山东17市经济半年报\n\n从增速看,17市中GDP增幅最高的是菏泽,为8.4%;增幅最低的是德州、滨州,为6.8%,"
     "均超过6.7%的全国平均水平。",
     "超过6.7%", "全国", ""),
    ("17市中 is among the 17 cities, not 市中区",
     "山东17市经济半年报\n\n从增速看,17市中GDP平均增速为7.5%。",
     "7.5%", "山东省", ""),
    ("a figure written right on 国家 is the nation's",
     "兰州脱贫攻坚纪实\n\n2011年,根据国家2300元的扶贫标准,全市有建档立卡贫困人口31.79万人。",
     "2300元", "全国", ""),
    ("国家 before a kind of county names the designation, not the subject",
     "兰州脱贫攻坚纪实\n\n兰州市共有国家扶贫开发重点县1个(榆中县),国家六盘山片区县3个(榆中县、永登县、皋兰县)。",
     "1个", "兰州市", ""),
    ("a place in a firm name's brackets is where the firm is",
     "## 智能化技改展洽会在济南开幕\n\n随着开采深度加深,山东黄金矿业(莱州)有限公司焦家金矿"
     "每年的人力成本达到上千万元。“仅这两项就节约人力成本50%左右。”",
     "50%左右", "烟台市", "莱州市"),
    ("a pinyin reading does not hide a place",
     "山东17市经(jīng)济(jì)半年报(bào)\n\n就半年的GDP来说,济(jì)南是首次超3000亿元。",
     "超3000亿元", "济南市", ""),
]


@pytest.mark.parametrize(("case", "page", "quote", "city", "county"), PLACE_CASES,
                         ids=[c[0] for c in PLACE_CASES])
def test_place_of_a_web_articles_figure(case, page, quote, city, county):
    fact = figures(page)[quote]
    assert (fact.city, fact.county) == (city, county), case


# 人民日报 (traditional characters, a held-out page's own sentences): figures over several provinces.
NATIONAL_PAGE = (
    "又有8省市貧困縣全部摘帽\n    2020-03-02 10:38:00  來源:人民日報\n\n"
    "    國務院扶貧辦最新統計顯示,繼去年底西藏宣布所有貧困縣退出后,截至今年2月底,河北、山西、黑龍江、"
    "河南、湖南、海南、重慶、陜西等8個省市的所有貧困縣已宣布脫貧摘帽。\n\n"
    "    截至2月底,2019年申請摘帽的貧困縣中,河北、山西、黑龍江、河南、湖南、海南、重慶、四川、西藏、"
    "陜西、新疆等11個省區市165個貧困縣已脫貧摘帽。\n\n"
    "    據介紹,中部地區貧困縣貧困發生率降至2%以下,西部地區降至3%以下,是貧困縣退出的主要衡量標準。"
    "河南2013年貧困發生率是8.79%,如今53個貧困縣清零后,下降至0.41%。"
    "山西2014年識別貧困村7993個,農村貧困人口329萬。\n"
)


@pytest.mark.parametrize(("quote", "city"), [
    ("8个", "全国"),  # 河北、…陕西等8个省市: a count of provinces is the nation's
    ("11个", "全国"),
    ("165个", "全国"),  # 等11个省区市165个贫困县: the group of provinces stands for the nation
    ("2%以下", "全国"),  # 中部地区: a region of the nation
    ("3%以下", "全国"),  # 西部地区
    ("8.79%", "河南省"),
    ("7993个", "山西省"),
])
def test_figures_over_several_provinces_or_a_region_are_the_nations(quote, city):
    fact = figures(NATIONAL_PAGE)[quote]
    assert (fact.city, fact.county) == (city, "")


def test_a_national_papers_page_about_several_provinces_is_the_nations():
    article = extract_text(NATIONAL_PAGE, source="sample.txt").articles[0]
    assert article.place == "全国"


def test_a_rank_of_province_after_a_count_is_no_count_of_provinces():
    fact = figures("据了解,今年淄博市投入4300万元,建设高标准农田2.67万亩,覆盖14个省扶贫工作重点村。")["14个"]
    assert fact.city == "淄博市"


def test_a_region_inside_a_clause_is_no_subject():
    fact = figures("聊城市加快产业向中西部地区转移,今年转移项目12个。")["12个"]
    assert fact.city == "聊城市"


# 澎湃新闻 on 辽宁日报 (a held-out page's own sentences): another region's counties, by its own government.
LIAONING_PAGE = (
    "辽宁宣布本省贫困县全部摘帽 贫困村全部销号\n2020-01-03 来源:澎湃新闻\n\n"
    "文章披露,经过多年努力,辽宁省脱贫攻坚已取得重大阶段性胜利,贫困发生率由建档立卡之初的5.4%降至2019年末的0.06%。\n"
    "此前,西藏自治区也已宣布了所有县(区)全部脱贫摘帽。2019年12月9日,经自治区人民政府研究,"
    "批准日喀则市谢通门县等19个县(区)退出贫困县(区)。\n"
)


@pytest.mark.parametrize(("page", "quote", "city"), [
    (LIAONING_PAGE, "19个", "西藏自治区"),  # 自治区人民政府 is the region just named; the group is its
    # named in the sentence before
    (LIAONING_PAGE.replace("经自治区人民政府研究,", ""), "19个", "西藏自治区"),
    (LIAONING_PAGE, "5.4%", "辽宁省"),
])
def test_a_group_of_another_provinces_counties_is_that_provinces_when_it_is_named(page, quote, city):
    assert figures(page)[quote].city == city


# 工人日报 2020-11-24 (workercn.cn): the nine counties lie in five of 贵州's cities.
GUIZHOU_PAGE = (
    "贵州66个贫困县全部脱贫摘帽\n来源:工人日报\n\n从贵州省政府新闻办发布会获悉,经贵州省扶贫开发领导小组和"
    "贵州省人民政府审定,紫云县、纳雍县、威宁县、赫章县、沿河县、榕江县、从江县、晴隆县、望谟县等9个县退出"
    "贫困县序列。至此,贵州全省66个贫困县实现脱贫,这也标志着全国832个贫困县全部脱贫摘帽。"
)


@pytest.mark.parametrize(("page", "quote", "city"), [
    (GUIZHOU_PAGE, "9个", "贵州省"),  # a group over several cities stands for their province
    (GUIZHOU_PAGE, "832个", "全国"),
    # a group over several provinces, counted right after the list, stands for the nation
    ("52个贫困县全部摘帽\n\n这些县分布在广西、四川、贵州、云南、甘肃、宁夏、新疆7个省区,"
     "其中云南、贵州、甘肃3省贫困人口较多,共计350万人。", "350万人", "全国"),
])
def test_a_closed_group_stands_for_its_items_common_parent(page, quote, city):
    assert figures(page)[quote].city == city


def test_a_figure_with_no_place_on_a_national_papers_page_is_the_nations():
    # 央视财经 2020-11-23, the sentence without its 我国: the page names no province
    page = "832个贫困县全部脱贫摘帽\n2020-11-24 来源:人民日报\n\n连续7年来,每年减贫人口都在1000万人以上。"
    assert figures(page)["1000万人以上"].city == "全国"


def test_on_a_national_papers_page_a_province_carries_to_the_next_sentence():
    # the held-out 人民日报 page's sentence, cut in two: 53个 is still 河南's
    page = ("又有8省市贫困县全部摘帽\n2020-03-02 10:38:00 来源:人民日报\n\n"
            "河北、山西、河南等8个省市的所有贫困县已宣布脱贫摘帽。\n\n"
            "河南2013年贫困发生率是8.79%。如今53个贫困县清零后,下降至0.41%。")
    assert figures(page)["53个"].city == "河南省"


def test_a_provinces_own_count_of_provinces_stays_the_provinces():
    assert figures("山东省扶贫协作\n\n我省与5个省份签订扶贫协作协议。")["5个"].city == "山东省"


# 四川省人民政府 公告 2020-02 as reposted (hongyuanzx.com): counties listed with their city, counted
# with a rank (国家级贫困县), and a list whose items carry their city (广安市广安区).
SICHUAN_EXITS = (
    "四川所有贫困县实现全部脱贫摘帽\n\n今天上午,四川省人民政府官方网站发布公告,宣布凉山彝族自治州普格县、布拖县、"
    "金阳县、昭觉县、喜德县、越西县、美姑县7个国家级贫困县已达到贫困县退出有关指标,符合贫困县退出条件。"
    "至此,四川所有贫困县实现全部脱贫摘帽。\n四川历年贫困县摘帽一览 2016年实现5个贫困县摘帽:南部县、"
    "广安市广安区、蓬安县、广安市前锋区、华蓥市。2017年实现15个贫困县摘帽:北川羌族自治县、沐川县。"
)


@pytest.mark.parametrize(("quote", "city", "county"), [
    ("7个", "凉山彝族自治州", ""),  # 7个国家级贫困县 counts the listed counties: not 美姑县's own
    ("15个", "四川省", ""),  # the list before spans 南充市 and 广安市: the province's
])
def test_a_count_with_a_rank_and_a_list_of_counties_with_their_city(quote, city, county):
    fact = figures(SICHUAN_EXITS)[quote]
    assert (fact.city, fact.county) == (city, county)


@given(st.text(alphabet="共有企业12个，,：、。！？；\n", max_size=30), st.data())
def test_a_figures_clause_found_from_its_position_is_the_clause_the_text_is_cut_into(text, data):
    from loaders.facts import _CLAUSE_END, _clauses_around, _containing, _spans

    positions = data.draw(st.lists(st.integers(0, max(len(text) - 1, 0)), max_size=5)) if text else []
    clauses = _spans(text, _CLAUSE_END)
    starts = [lo for lo, _ in clauses]
    assert _clauses_around(text, positions) == [_containing(clauses, starts, pos) for pos in positions]


@given(st.text(alphabet="。！？!?；;\n”’」』)）共有，", max_size=30))
def test_sentences_end_where_the_plain_form_of_the_stop_pattern_ends_them(text):
    import re

    from loaders.facts import _SENTENCE_END

    plain = r"[。！？!?；;]+[”’」』)）]*|\n+"
    assert [m.span() for m in _SENTENCE_END.finditer(text)] == [m.span() for m in re.finditer(plain, text)]


@given(st.text(alphabet="。！？!?；;\n”’」』)）共有，", max_size=30))
def test_sentences_found_by_their_stop_characters_are_those_the_stop_pattern_cuts(text):
    from loaders.facts import _SENTENCE_END, _sentence_spans, _spans

    assert _sentence_spans(text) == _spans(text, _SENTENCE_END)


def _keyword_text():
    """Texts of shipped keywords (some holding others: 复工复产), stops and filler."""
    from loaders.facts import _keyword_matcher
    from loaders.taxonomy import load_taxonomy

    words = list(_keyword_matcher(load_taxonomy())[1])
    filler = ["，", "。", "\n\n", "企业12个", "复工", "产"]
    return st.lists(st.sampled_from(words + filler), max_size=40).map("".join)


@given(_keyword_text())
def test_keyword_hits_are_every_match_and_the_words_inside_it_in_order(text):
    from loaders.facts import KeywordHits, _keyword_matcher
    from loaders.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    automaton, words, _, inner = _keyword_matcher(taxonomy)
    plain = []
    for index, start, end in automaton.find_matches_as_indexes(text):
        plain.append((start, end, words[index]))
        plain.extend((start + at, start + at + len(sub), sub) for at, sub in inner[words[index]])
    plain.sort()
    hits = KeywordHits(text, taxonomy)
    assert list(zip(hits._starts, hits._ends, hits._words, strict=True)) == plain
    counted: dict[str, int] = {}
    for _, _, word in plain:
        counted[word] = counted.get(word, 0) + 1
    capped: dict[str, float] = {}
    for word, n in counted.items():
        for key, weight in hits._weights[word]:
            capped[key] = capped.get(key, 0) + weight * min(n, 4)
    assert list(hits.capped_scores().items()) == list(capped.items())


def _plain_span_scores(hits, span):
    """``KeywordHits.span_scores`` as first written: each hit inside the span added in turn."""
    out: dict[str, float] = {}
    for start, end, word in zip(hits._starts, hits._ends, hits._words, strict=True):
        if span[0] <= start and end <= span[1]:
            for key, weight in hits._weights[word]:
                out[key] = out.get(key, 0) + weight
    return out


def _plain_local_scores(hits, *spans):
    """``local_scores`` as first written: each span's weights added in turn."""
    out: dict[str, float] = {}
    for span, factor in zip(spans, (4.0, 3.0, 1.0, 0.25), strict=True):
        for key, weight in _plain_span_scores(hits, span).items():
            out[key] = out.get(key, 0) + factor * weight
    return out


@given(_keyword_text(), st.data())
def test_local_scores_are_the_span_weights_added_in_turn(text, data):
    from loaders.facts import KeywordHits, local_scores
    from loaders.taxonomy import load_taxonomy

    hits = KeywordHits(text, load_taxonomy())
    point = st.integers(0, len(text))
    for _ in range(4):
        spans = [tuple(sorted(data.draw(st.tuples(point, point)))) for _ in range(4)]
        assert local_scores(hits, *spans) == _plain_local_scores(hits, *spans)
        for span in spans:  # the same keys, in the same order, as each hit added in turn gives
            assert list(hits.span_scores(span).items()) == list(_plain_span_scores(hits, span).items())




_BEFORE_WORDS = ("高于", "较", "比", "入选", "纳入", "在", "与", "来自", "对口", "携手")


@given(st.text(alphabet="高于较比入选纳入在与来自对口携手全省市", max_size=4),
       st.lists(st.sampled_from(_BEFORE_WORDS), min_size=1, max_size=6))
def test_ends_with_by_length_says_what_str_endswith_says(text, words):
    from loaders.facts import _by_length, _ends_with

    assert _ends_with(text, _by_length(tuple(words))) is text.endswith(tuple(words))


def test_ends_with_the_shipped_words_before_every_mention_of_a_seed_page():
    """The two characters before every position of a real page, against each shipped tuple."""
    from pathlib import Path

    from loaders import facts

    text = (Path(__file__).parent.parent / "seeds" / "000_97d967b9aa75d6b6.txt").read_text(encoding="utf-8")
    for words in (facts._COMPARISON_BEFORE + facts._ENTERED_BEFORE, facts._ARENA_BEFORE + facts._PEER_BEFORE,
                  ("来自", "和", "与", "同", "赴", "到", "向", "从", "对口", "携手", "联合", "帮扶", "协作")):
        by_length = facts._by_length(words)
        for pos in range(len(text) + 1):
            before = text[max(pos - 2, 0):pos]
            assert facts._ends_with(before, by_length) is before.endswith(words)
