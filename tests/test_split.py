"""Splitting pages into articles, with snippets and whole pages from the seeds."""

# ruff: noqa: E501 -- cases are whole lines of the seed pages; CJK characters count double in width

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders import split
from loaders.normalise import normalise_text
from loaders.split import article_text, is_page_furniture, parse_byline, printed_form, split_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# (page snippet, title, byline, dateline place, dateline date, first words of the body)
HEADED = [
    ("淄博经开区赴青岛调研招商金融业务\n\n□记者 杨淑栋 通讯员 陈宁 报道\n本报淄博讯 3月20日,记者从淄博经济开发区获悉。",
     "淄博经开区赴青岛调研招商金融业务", "记者 杨淑栋 通讯员 陈宁", "淄博", "", "3月20日,记者从"),
    ("## 5G+技改,山东工业“智变”再提速\n\n首届智能化技改展洽会举办\n\n□ 记者 付玉婷 报道\n\n"
     "本报济南6月20日讯 山东首届智能化技改展洽会今天在济南开幕。",
     "5G+技改,山东工业“智变”再提速", "记者 付玉婷", "济南", "6月20日", "山东首届智能化"),
    ("“学习强国”聊城学习平台正式上线\n\n本报讯(记者 赵宗锋)2月9日上午,“学习强国”聊城学习平台上线仪式举行。",
     "“学习强国”聊城学习平台正式上线", "记者 赵宗锋", "", "", "2月9日上午,"),
    ("临清轴承产业『延链建链强链补链』提档升级\n\n□记者 高田 通讯员 姚晓楠 马朝霞 报道 本报临清讯 连日来,"
     "在临清市潘庄镇山东固高·轴承车加工产业园项目现场,施工车辆甚为壮观。",
     "临清轴承产业『延链建链强链补链』提档升级", "记者 高田 通讯员 姚晓楠 马朝霞", "临清", "", "连日来,在临清"),
    ("金融辅导队主动上门高效服务,提供“一户一策”差异化辅导\n\n## 95万元“金融活水”救活一家小微企业\n\n"
     "□ 本报记者 王德纯  \n本报通讯员 张生\n\n6月17日,浙浙沥沥的小雨下了一整天。",
     "95万元“金融活水”救活一家小微企业", "本报记者 王德纯 本报通讯员 张生", "", "", "6月17日,"),
    ("淄川:畅通服务基层“最后一公里”\n\n□本报记者 刘磊\n本报通讯员 闫盛霆\n仇慧清\n\n3月17日下午一点多,在淄川区。",
     "淄川:畅通服务基层“最后一公里”", "本报记者 刘磊 本报通讯员 闫盛霆 仇慧清", "", "", "3月17日下午"),
]


@pytest.mark.parametrize(("page", "title", "byline", "place", "date", "first"), HEADED)
def test_headline_byline_and_dateline(page, title, byline, place, date, first):
    [span] = split_articles(page)
    assert (span.title, span.byline, span.dateline_place, span.dateline_date) == (title, byline, place, date)
    assert span.body.startswith(first)


# (page snippet, title, kicker, subtitle)
STACKED = [
    ("## 聚力“六稳”“六保”·重点工作攻坚看行动\n\n## 基层运转有力 前行更有底气\n\n——六谈全面落实“六保”任务\n\n"
     "□ 本报评论员 姜和军\n\n治国安邦重在基层。",
     "基层运转有力 前行更有底气", "", "六谈全面落实“六保”任务"),
    ("提标提速提能力 敢闯敢干敢争先\n\n时政动态\n\n落实“三提三敢” 争当行动标兵\n\n"
     "——我市各县市区干字当头推进绿色低碳高质量发展\n\n■ 本报记者 薛荷荷\n\n无锡跨境电商商会来聊考察。",
     "落实“三提三敢” 争当行动标兵", "提标提速提能力 敢闯敢干敢争先", "我市各县市区干字当头推进绿色低碳高质量发展"),
    ("聊城启动扶贫领域问题整改“清零”大行动——\n\n“再小的问题也不放过”\n\n脱贫攻坚 聊城在行动\n\n"
     "□记者 孙亚飞 通讯员 张娟 任瑜 报道 本报聊城讯 3月17日,莘县县委书记王峰来到张寨镇。",
     "“再小的问题也不放过”", "聊城启动扶贫领域问题整改“清零”大行动", ""),
    ("目击\n山东新闻专栏\n\n强信心 稳经济 促发展\n\n高唐县奏响制造业发展“春天序曲”\n\n"
     "本报讯(记者 夏旭光 通讯员 解斌 孙自强)2月6日,在高唐经济开发区健康生物科技项目建设现场。",
     "高唐县奏响制造业发展“春天序曲”", "强信心 稳经济 促发展", ""),
]


@pytest.mark.parametrize(("page", "title", "kicker", "subtitle"), STACKED)
def test_column_labels_and_slogans_are_not_headlines(page, title, kicker, subtitle):
    [span] = split_articles(page)
    assert (span.title, span.kicker, span.subtitle) == (title, kicker, subtitle)


def test_subheadings_stay_inside_the_article():
    page = ("高境界布局 管长远谋划\n\n“六大赋能”拼出攻坚克难“淄博速度”\n\n"
            "2019年9月5日召开的淄博市委第十二届八次全体会议,客观冷静地分析了淄博的现状。\n\n"
            "□本报记者 马景阳\n\n爬坡过坎的淄博 需要一场思想洗礼\n\n淄博,号称“鲁中”,但一无机场,二没港口。\n\n"
            "新思维带来新路径\n\n在淄博的决策者看来,淄博传统产业比重大。")
    [span] = split_articles(page)
    assert span.title == "“六大赋能”拼出攻坚克难“淄博速度”"
    assert span.byline == "本报记者 马景阳"
    assert span.body.startswith("2019年9月5日召开的")
    assert "新思维带来新路径" in span.body


def test_continuation_from_another_page():
    page = ("## 我省小麦收获超九成\n\n□ 记者 卢鹏 报道\n\n6月21日是二十四节气中的“夏至”。\n\n"
            "(上接第一版)而且安全防护措施不到位、所用材料不达标。\n\n“这完全颠覆了我们传统的销售理念。”孔静说。")
    spans = split_articles(page)
    assert [(s.title, s.kind) for s in spans] == [("我省小麦收获超九成", "article"),
                                                   ("(上接第一版)", "continuation")]
    assert spans[1].body.startswith("而且安全防护措施不到位")


CAPTIONS = [
    # a dated photo description followed by the photographer's credit
    ("市地方金融监管局 吹响奋进奔跑“冲锋号”\n\n本报讯(记者 尹腾淑 通讯员 石兵)2月6日下午,市地方金融监管局召开专题会议。\n\n"
     "2月8日,工人在中通客车股份有限公司轻客制造厂总装车间作业,厂区内一派火热的生产场景。春节过后,我市各企业全面复工复产。\n\n"
     "■ 本报记者 许金松",
     "2月8日,工人在中通客车股份有限公司轻客制造厂总装车间作业,厂区内一派火热的生产场景"),
    # the credit printed first, the caption after it on the same line
    ("线上指导 视频勘验 李红英的烘焙厂 2小时完成注册\n\n□记者 肖会 报道 本报聊城讯 3月19日上午,聊城开发区政务服务大厅开门。\n\n"
     "□记者 孙亚飞 通讯员 赵玉国 刘浩 报道 聊城市茌平区贾寨镇耿店村绿冠蔬菜林果种植专业合作社,新上近万平方米智能温室大棚。"
     "目前,有机小番茄陆续上市。",
     "聊城市茌平区贾寨镇耿店村绿冠蔬菜林果种植专业合作社,新上近万平方米智能温室大棚"),
    # a one-sentence caption inside an article, its credit after the article's last paragraph
    ("冠县复工达产“靶向”精准\n\n□记者 李梦 报道 本报冠县讯 在冠县山东肯石重工机械有限公司生产车间,记者看到工人们戴着口罩。\n\n"
     "山东肯石重工机械有限公司工人在产品发货前核对产品发动机机型信息。\n\n"
     "服务“沉”下去,生产“提”上来。截至3月20日,冠县规模以上工业企业145家全部开工。\n\n"
     "□记者 孙亚飞 通讯员 许永飞 刘相坤 报道",
     "山东肯石重工机械有限公司工人在产品发货前核对产品发动机机型信息"),
]


@pytest.mark.parametrize(("page", "caption"), CAPTIONS)
def test_photo_captions_are_their_own_articles(page, caption):
    spans = split_articles(page)
    assert [s.kind for s in spans] == ["article", "caption"]
    assert spans[1].title == caption
    assert spans[1].body.startswith(caption[:15])


def test_summary_box_is_kept_for_facts_but_not_in_the_body():
    page = ("## 5G+技改,山东工业“智变”再提速\n\n■数据显示,1-5月份,全省技改项目就有5511个,投资额同比增长4.8%"
            "□ 记者 付玉婷 报道本报济南6月20日讯 山东首届智能化技改展洽会今天在济南开幕。")
    [span] = split_articles(page)
    assert span.summary.startswith("■数据显示")
    assert span.body.startswith("山东首届")
    assert "5511个" in article_text(span)


BYLINES = [
    ("□ 本报记者 王德纯", ("本报记者 王德纯", "")),
    ("■ 本报记者 薛荷荷", ("本报记者 薛荷荷", "")),
    ("□ 本报评论员 姜和军", ("本报评论员 姜和军", "")),
    ("□记者 杨淑栋 通讯员 马香军 报道", ("记者 杨淑栋 通讯员 马香军", "")),
    ("□记者 高田 通讯员 姚晓楠 报道 本报临清讯 连日来,", ("记者 高田 通讯员 姚晓楠", "本报临清讯 连日来,")),
    ("■数据显示,尽管受疫情影响", None),
    ("记者了解到,疫情催化下,我省企业面对技改的态度已发生积极变化", None),
]


@pytest.mark.parametrize(("line", "expected"), BYLINES)
def test_parse_byline(line, expected):
    assert parse_byline(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("时政动态", True), ("目击", True), ("三提三敢 见行动", True), ("脱贫攻坚 聊城在行动", True),
    ("## 聚力“六稳”“六保”·重点工作攻坚看行动", True), ("更多详细报道请见大众日报客户端聊城频道", True),
    ("高唐县奏响制造业发展“春天序曲”", False), ("淄川:畅通服务基层“最后一公里”", False),
    ("当前位置:首页 > 新闻中心 > 山东新闻", True), ("首页 > 山东 > 正文", True),
    ("首页经济稳中向好", False),
    ("您当前的位置 : 每日甘肃网  >  甘肃  >  本网原创", True), ("您当前的位置:首页 > 河北头条", True),
    ("长城原创 >", True), ("第01版:要闻", True), ("海峡网 >新闻中心 >福建频道 >闽南新闻 >泉州新闻", True),
    ("“十四五”>“十三五”?", False),
    ("临清市技改投资3478万元<script>alert(1)</script>", False),  # a tag's > is no breadcrumb: shown as text
    ("微视频|长城新媒体记者怀安回访记:“这是最幸福的时代”", False), ("位置决定发展格局", False),
    # a long line is furniture by its end as a short one is (only its tail is searched)
    ("聚力“六稳”“六保”，全市上下以时不我待的紧迫感抓项目、促投资、稳增长·重点工作攻坚看行动", True),
    ("聚力“六稳”“六保”，全市上下以时不我待的紧迫感抓项目、促投资、稳增长·重点工作攻坚看行动了吗", False),
    ("更多详细报道请见大众日报客户端新闻频道 ", True), ("更多报道请见大众日报客户端新闻与民生服务专区频道", False),
])
def test_page_furniture(line, expected):
    assert is_page_furniture(line) is expected


def _furniture_by_each_pattern(line: str) -> bool:
    # the slow reading is_page_furniture's grouped, guarded and tail-only searches must agree with
    data = tomllib.loads((Path(split.__file__).parent / "data/page_furniture.toml").read_text(encoding="utf-8"))
    squashed = "".join(line.lstrip("#").split())
    return squashed in data["labels"] or any(re.search(p, squashed) for p in data["patterns"])


@given(st.text(alphabet="当前位置首页:：>»›/|<第01版专栏看见在行动客户端聊城频道更多详细报道请见编辑本版 #\"a", max_size=30))
def test_page_furniture_is_each_pattern_searched_in_turn(line):
    assert is_page_furniture(line) is _furniture_by_each_pattern(line)


@given(st.text(alphabet="聊城经济(jīngjì)a)。!?,:— ", max_size=50))
def test_a_headline_shape_is_judged_on_the_line_without_its_pinyin(line):
    bare = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)", "", line)
    expected = len(bare) <= 40 and not re.search("[。！？!?]", bare) and not bare.endswith(
        ("，", ",", "、", "；", ";", "：", ":"))
    assert split._is_headline_shape(line) is expected


def test_printed_form_restores_full_width_punctuation():
    assert printed_form("淄川:畅通服务基层", "\n淄川：畅通服务基层“最后一公里”\n") == "淄川：畅通服务基层"


# Gold headlines of the seed pages (shared/eval/seeds/articles.jsonl), width-folded.
SEED_TITLES = {
    "000_97d967b9aa75d6b6.txt": ["基层运转有力 前行更有底气", "95万元“金融活水”救活一家小微企业",
                                 "5G+技改,山东工业“智变”再提速", "(上接第一版)", "既要业绩红,又要党旗红",
                                 "我省小麦收获超九成", "山东2056万辆电动自行车有了“身份证”"],
    "002_1b9743f1e9e56b57.txt": ["落实“三提三敢” 争当行动标兵", "“学习强国”聊城学习平台正式上线",
                                 "市地方金融监管局 吹响奋进奔跑“冲锋号”",
                                 "2月8日,工人在中通客车股份有限公司轻客制造厂总装车间作业,厂区内一派火热的生产场景",
                                 "高唐县奏响制造业发展“春天序曲”", "聊城水务集团满弓紧弦蓄力开局",
                                 "我市“亩产效益”评价改革纵深推进", "变财政拨款为“风险投资”"],
    "004_e9fe68a64e3df658.txt": ["让创新元素在水城大地流淌", "全市社区工作者素质能力提升培训班开班",
                                 "开办道路货运企业审批提速92.5%", "临清市远程异地评标“朋友圈”扩容",
                                 "聊城聚力提升新形势下防震减灾公共服务质效", "8月13日,游客在古城一家扎染工作室挑选手工艺品",
                                 "东昌府区持续推进重大招商项目落地见效", "我市坚决守牢医保基金安全底线"],
}


@pytest.mark.parametrize("doc", sorted(SEED_TITLES))
def test_seed_pages_split_into_their_gold_articles(doc):
    spans = split_articles(normalise_text((SEEDS / doc).read_text(encoding="utf-8")))
    assert [s.title for s in spans] == SEED_TITLES[doc]


def test_spans_point_into_the_page():
    text = normalise_text((SEEDS / "001_75cc9386a15eab2f.txt").read_text(encoding="utf-8"))
    for span in split_articles(text):
        assert 0 <= span.start < span.end <= len(text)
        assert span.body[:10] in text[span.start:span.end]


# Characters of a real body paragraph (000): no byline, dateline or label can be spelled with them.
_BODY_CHARS = "治国安邦重在基层是家理的神经末梢公共服务供给最后一里保运转强关系千万户利益乎社会稳定根"
_PARAGRAPH = st.text(alphabet=_BODY_CHARS, min_size=45, max_size=120).map(lambda s: s + "。")


@given(st.lists(_PARAGRAPH, min_size=1, max_size=6))
def test_plain_body_paragraphs_never_become_headlines(paragraphs):
    text = "首届智能化技改展洽会举办\n\n□ 记者 付玉婷 报道\n\n" + "\n\n".join(paragraphs)
    spans = split_articles(text)
    assert len(spans) == 1
    assert re.sub(r"\s", "", spans[0].body) == re.sub(r"\s", "", "".join(paragraphs))


# Web articles as a crawler stores them: (page, title, kicker, subtitle, byline, dateline place,
# paper, first words of the body) — the metadata lines are neither title nor body.
WEB_ARTICLES = [
    ("metadata lines under the headline",
     "聊城脱贫攻坚新方位\n信息发布者:张月菊\n2019-05-13 19:55:32   原创\n在聊城8715平方公里的土地上,脱贫攻坚从来没有像2016年这样进行得如火如荼。",
     "聊城脱贫攻坚新方位", "", "", "", "", "", "在聊城8715平方公里"),
    ("kicker ending in a colon",
     "淄川区昆仑镇:\n942户贫困户年底前将全部脱贫\n2017年10月10日  来源:齐鲁晚报\n本报讯 发展光伏发电,发展种植产业和旅游产业。",
     "942户贫困户年底前将全部脱贫", "淄川区昆仑镇", "", "", "", "齐鲁晚报", "发展光伏发电"),
    ("subtitle above the metadata, dateline with reporters",
     "淄博1.1万贫困户危房改造已完工\n下一步,将加大对南部山区支持力度\n2018年10月18日  来源:齐鲁晚报\n"
     "本报10月17日讯(记者 马玉姝 通讯员 房玉波) 17日是全国第五个扶贫日。",
     "淄博1.1万贫困户危房改造已完工", "", "下一步,将加大对南部山区支持力度", "记者 马玉姝 通讯员 房玉波", "", "齐鲁晚报", "17日是"),
    ("paper with edition date and page",
     "山东茌平产业扶贫大棚助力农民工增收\n《工人日报》(2021年05月14日 06版)\n\n本报讯 5月初,正值初夏时节。",
     "山东茌平产业扶贫大棚助力农民工增收", "", "", "", "", "工人日报", "5月初"),
    ("subtitle below the metadata, reposted paper",
     "2023年聊城市十大民生项目出炉\n类别:国内 发布时间:2023-01-04 16:48:00 来源:每日看点快看\n\n本文转自:聊城日报\n\n"
     "总投资近百亿元 当年实施完成7个项目\n\n本报讯 (记者 曹天伟 通讯员 李杨) 刚刚闭幕的市十八届人大三次会议票决确定了项目。",
     "2023年聊城市十大民生项目出炉", "", "总投资近百亿元 当年实施完成7个项目", "记者 曹天伟 通讯员 李杨", "", "聊城日报", "刚刚闭幕"),
    ("a byline that says where from",
     "商河县推出“助业贷”“纾困贷” 已批复1395笔\n2022-06-21 17:26:00 来源: 大众网 作者: 张玮\n\n  大众网·海报新闻记者 张玮 济南报道\n\n"
     "6月21日,商河县召开新闻发布会。",
     "商河县推出“助业贷”“纾困贷” 已批复1395笔", "", "", "记者 张玮", "济南", "大众网", "6月21日"),
    ("a headline that exclaims",
     "总投资118.5亿元!河东区10个招商引资项目集中签约!\n发布日期:2023-04-21\n\n4月19日,河东区工业强区招商引资项目集中签约仪式举行。",
     "总投资118.5亿元!河东区10个招商引资项目集中签约!", "", "", "", "", "", "4月19日"),
    ("a breadcrumb and a column label above the headline",
     "当前位置:首页 > 新闻中心 > 山东新闻\n要闻\n聊城32个项目集中签约\n2020-08-03 09:00 来源:聊城日报\n\n本报讯 近日,聊城市举办大会。",
     "聊城32个项目集中签约", "", "", "", "", "聊城日报", "近日"),
    ("traditional characters",
     "山東出臺支持實施高水平技術改造財政政策\n2021-03-29 16:30:15 來源:新華網\n\n記者從山東省財政廳獲悉,為發揮財政資金激勵作用。",
     "山東出臺支持實施高水平技術改造財政政策", "", "", "", "", "新華網", "記者從山東省"),
]


@pytest.mark.parametrize(("case", "page", "title", "kicker", "subtitle", "byline", "place", "paper", "first"),
                         WEB_ARTICLES, ids=[c[0] for c in WEB_ARTICLES])
def test_web_articles(case, page, title, kicker, subtitle, byline, place, paper, first):
    [span] = split_articles(normalise_text(page))
    assert (span.title, span.kicker, span.subtitle, span.byline) == (title, kicker, subtitle, byline), case
    assert (span.dateline_place, span.metadata.paper) == (place, paper)
    assert span.body.startswith(first)


@pytest.mark.parametrize(("case", "page", "title", "dateline_place", "outlet", "first"), [
    ("pinyin glosses are dropped by normalising, so the headline reads as words",
     "运河经(jīng)济开发(fā)区(qū): 规模以上企业(yè)100%复工复产(chǎn)\n 德州晚报讯(德州晚报全媒体记者张明凯)\n\n运河经济开发区党工委认真贯彻落实上级决策部署。",
     "运河经济开发区: 规模以上企业100%复工复产", "", "德州晚报", "运河经济开发区"),
    ("a morning paper's dateline",
     "截至2月20日淄博市复工复产企业2794家 占比65.66%\n记者 王丽\n\n通讯员 石光涛 报道\n\n晨报淄博2月21日讯 今天,记者从淄博市发展和改革委员会获悉。",
     "截至2月20日淄博市复工复产企业2794家 占比65.66%", "淄博", "晨报", "今天"),
    ("a note in brackets is not a second headline",
     "山东16市带队招商引资情况(9月)\n近日,山东省重大项目督导服务平台发布情况。\n2018年以来各市带队招商引资情况\n(截止到2019年9月30日)\n济南 12 5",
     "山东16市带队招商引资情况(9月)", "", "", "近日"),
])
def test_headlines_and_datelines_of_plain_web_pages(case, page, title, dateline_place, outlet, first):
    [span] = split_articles(normalise_text(page))
    assert (span.title, span.dateline_place, span.outlet) == (title, dateline_place, outlet), case
    assert span.body.startswith(first)


def test_metadata_lines_stay_apart_from_the_body_when_normalising():
    page = "阳谷县高庙王镇:金银花开“金银”来\n齐鲁晚报 2020-09-04 04:54 大字\n\n在阳谷县高庙王镇徐山斗村金银花标准化种植基地,泛着青绿的金银花"
    assert "齐鲁晚报 2020-09-04 04:54 大字\n\n在阳谷县" in normalise_text(page)


def test_printed_form_keeps_traditional_characters():
    raw = "山東出臺支持實施高水平技術改造財政政策\n"
    assert printed_form("山东出台支持实施高水平技术改造财政政策", raw, "山东出台支持实施高水平技术改造财政政策\n") == raw.strip()


def test_metadata_printed_above_the_headline_still_belongs_to_the_article():
    [span] = split_articles(normalise_text("2020-08-03 09:00 来源:聊城日报\n聊城32个项目集中签约\n\n本报讯 近日,聊城市举办大会。"))
    assert (span.title, span.metadata.paper, span.metadata.day) == ("聊城32个项目集中签约", "聊城日报", 3)


def test_printed_headline_keeps_the_pages_pinyin_glosses():
    raw = "山東17市經(jīng)濟(jì)半年報(bào):菏澤增長最快\n"
    simple = "山东17市经(jīng)济(jì)半年报(bào):菏泽增长最快\n"
    assert printed_form("山东17市经济半年报:菏泽增长最快", raw, simple) == raw.strip()
    assert printed_form("运河经济开发区", "运河经(jīng)济开发(fā)区(qū)") == "运河经(jīng)济开发(fā)区(qū)"


def test_an_e_papers_header_is_not_its_headline():
    page = ("甘肃日报\n2020年08月25日\n第01版:要闻\n\n秦安精彩亮相“脱贫攻坚宣传周”\n\n"
            "本报兰州8月24日讯(新甘肃·甘肃日报记者崔亚明 白永萍)近年来,秦安县始终把脱贫攻坚作为首要政治任务。")
    [span] = split_articles(normalise_text(page))
    assert span.title == "秦安精彩亮相“脱贫攻坚宣传周”"
