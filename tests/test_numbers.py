"""Chinese quantities: real seed sentences, the forms the brief names, and a numeral grammar.

Each case list is named for what it holds; one parametrised test runs over each list. A case is
(input text, expected quantities as (quote, value, unit, approx, range_hi)).
"""

from __future__ import annotations

import doctest
import math
import re
import tomllib
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders import numbers
from loaders.numbers import Quantity, find_quantities, infer_bare_unit, parse_numeral, parse_quantity

FORMS = [
    ("3478万元", [("3478万元", 34_780_000, "元", "", None)]),
    ("5609.5万亩", [("5609.5万亩", 56_095_000, "亩", "", None)]),
    ("3541.07万元", [("3541.07万元", 35_410_700, "元", "", None)]),
    ("47.264287亿元", [("47.264287亿元", 4_726_428_700, "元", "", None)]),
    ("100000万美元", [("100000万美元", 1e9, "美元", "", None)]),
    ("2万亿元", [("2万亿元", 2e12, "元", "", None)]),
    ("百亿元", [("百亿元", 1e10, "元", "", None)]),
    ("两三个", [("两三个", 2, "个", "", 3)]),
    ("六七座", [("六七座", 6, "座", "", 7)]),
    ("六七千吨", [("六七千吨", 6000, "吨", "", 7000)]),
    ("三五万元", [("三五万元", 30_000, "元", "", 50_000)]),
    ("30-50吨", [("30-50吨", 30, "吨", "", 50)]),
    ("1-2项", [("1-2项", 1, "项", "", 2)]),
    ("30万-50万元", [("30万-50万元", 300_000, "元", "", 500_000)]),
    ("3-5万元", [("3-5万元", 30_000, "元", "", 50_000)]),
    ("十万零一千人", [("十万零一千人", 101_000, "人", "", None)]),
    ("两千多棵", [("两千多棵", 2000, "棵", "多", None)]),
    ("1200多万元", [("1200多万元", 12_000_000, "元", "多", None)]),
    ("三十多万人", [("三十多万人", 300_000, "人", "多", None)]),
    ("万余字", [("万余字", 10_000, "字", "余", None)]),
    ("过万家", [("过万家", 10_000, "家", "过", None)]),
    ("近万平方米", [("近万平方米", 10_000, "平方米", "近", None)]),
    ("九成", [("九成", 90, "%", "", None)]),
    ("百分百", [("百分百", 100, "%", "", None)]),
    ("百分之三十五", [("百分之三十五", 35, "%", "", None)]),
    ("一刻钟", [("一刻钟", 15, "分钟", "", None)]),
    ("半个月", [("半个月", 0.5, "个月", "", None)]),
    ("3个人", [("3个人", 3, "人", "", None)]),
    ("3个百分点", [("3个百分点", 3, "百分点", "", None)]),
    ("1个工作日", [("1个工作日", 1, "工作日", "", None)]),
    ("1个小时", [("1个小时", 1, "小时", "", None)]),
    ("五部门", [("五部门", 5, "个", "", None)]),
    ("8名", [("8名", 8, "人", "", None)]),
    ("10万千瓦", [("10万千瓦", 100_000, "千瓦", "", None)]),
    ("800摄氏度", [("800摄氏度", 800, "摄氏度", "", None)]),
    ("10GB左右", [("10GB左右", 10, "GB", "左右", None)]),
    ("12万人次", [("12万人次", 120_000, "人次", "", None)]),
    ("20多台套", [("20多台套", 20, "台套", "多", None)]),
    ("60余场次", [("60余场次", 60, "场次", "余", None)]),
    ("２０万元", [("２０万元", 200_000, "元", "", None)]),
    ("100万人民币", [("100万人民币", 1_000_000, "元", "", None)]),
    ("三分之一", [("三分之一", 100 / 3, "%", "", None)]),
    ("两类人员", [("两类", 2, "类", "", None)]),
    ("95%以上的企业已复工", [("95%以上", 95, "%", "以上", None)]),
    ("于3日内完成", [("3日", 3, "天", "", None)]),
    ("破获电信诈骗案件326起", [("326起", 326, "起", "", None)]),
]

SEED_SENTENCES = [
    ("已授信专项抗疫贷16户金额3478万元。",
     [("16户", 16, "户", "", None), ("3478万元", 34_780_000, "元", "", None)]),
    ("不到3个月累积了六七千吨的库存",
     [("不到3个月", 3, "个月", "不到", None), ("六七千吨", 6000, "吨", "", 7000)]),
    ("每天也要消耗2000多元的燃气费。企业账户上只剩下三五万元了。",
     [("2000多元", 2000, "元", "多", None), ("三五万元", 30_000, "元", "", 50_000)]),
    ("1-5月份，全省规模以上制造业实施投资500万元以上技改项目就有5511个，投资额同比增长4.8%",
     [("5511个", 5511, "个", "", None), ("4.8%", 4.8, "%", "", None)]),
    ("仅这两项就节约人力成本50%左右，同时生产效率提高8%以上，运营成本降低2%以上。",
     [("两项", 2, "项", "", None), ("50%左右", 50, "%", "左右", None),
      ("8%以上", 8, "%", "以上", None), ("2%以上", 2, "%", "以上", None)]),
    ("一家智能工厂一天消耗的流量就能达到1PB(1024×1024GB)。", [("1PB", 1, "PB", "", None)]),
    ("引育各类服务商近300家，举办线上对接活动22场，受众达12万人次。",
     [("近300家", 300, "家", "近", None), ("22场", 22, "场", "", None),
      ("12万人次", 120_000, "人次", "", None)]),
    ("累计挂牌超过2056万辆，这份‘答卷’被公安部交管局肯定",
     [("超过2056万辆", 20_560_000, "辆", "超过", None)]),
    ("2019年8月19日在淄博、泰安、德州3市启动试点，随即扩大到16市的16个县区。",
     [("3市", 3, "市", "", None), ("16市", 16, "市", "", None), ("16个", 16, "个", "", None)]),
    ("## 我省小麦收获超九成", [("超九成", 90, "%", "超过", None)]),
    ("她电话约车管所民警上门服务，不到一刻钟就为自家电动自行车挂了牌。",
     [("不到一刻钟", 15, "分钟", "不到", None)]),
    ("2019年，淄博实现GDP3642.40亿元，全省排名第七",
     [("3642.40亿元", 364_240_000_000, "元", "", None)]),
    ("淄博籍大学毕业生每年返淄就业与到外地就业逆差超过10000名！",
     [("超过10000名", 10_000, "人", "超过", None)]),
    ("集中培育氟硅材料、精细化工、MEMS等20个左右优势产业链条",
     [("20个左右", 20, "个", "左右", None)]),
    ("年内主营业务收入过百亿元龙头企业达到12家左右。", [("12家左右", 12, "家", "左右", None)]),
    ("“众人拾柴”下,两个40米长的大棚迈向生产正轨",
     [("两个", 2, "个", "", None), ("40米", 40, "米", "", None)]),
    ("2019年,淄博市474个省扶贫工作重点村稳定退出,86349户157641名建档立卡贫困人口稳定脱贫。",
     [("474个", 474, "个", "", None), ("86349户", 86349, "户", "", None),
      ("157641名", 157641, "人", "", None)]),
    ("工业增加值增幅9.6%,高于全市1.1个百分点,贡献率全市第一。",
     [("9.6%", 9.6, "%", "", None), ("1.1个百分点", 1.1, "百分点", "", None)]),
    ("目前已集中梳理年度重点项目43个,其中启动实施19个、储备15个、谋划9个。",
     [("43个", 43, "个", "", None), ("19个", 19, "个", "", None), ("15个", 15, "个", "", None),
      ("9个", 9, "个", "", None)]),
    ("聊城市新水河处理有限公司提标技术改造获批2023年地方政府专项债券5200万元;",
     [("5200万元", 52_000_000, "元", "", None)]),
    ("我市针对A、B、C、D四类企业,分类制定差别化政策", [("四类", 4, "类", "", None)]),
    ("鲁西集团年产60万吨己内酰胺-尼龙6项目(二期)、年产120万吨双酚A项目",
     [("60万吨", 600_000, "吨", "", None), ("120万吨", 1_200_000, "吨", "", None)]),
    ("由过去的3个人变成1个人", [("3个人", 3, "人", "", None), ("1个人", 1, "人", "", None)]),
    ("新上近万平方米智能温室大棚。", [("近万平方米", 10_000, "平方米", "近", None)]),
    ("原来需要1个工作日办结的,服务人员上门服务后,仅1个小时就办理完成了。",
     [("1个工作日", 1, "工作日", "", None), ("1个小时", 1, "小时", "", None)]),
    ("3月1日至3日,利用3天时间,政府部门协助我们将103台挖掘机送出国门",
     [("3天", 3, "天", "", None), ("103台", 103, "台", "", None)]),
    ("该平台已入驻科技型企业过万家,发布152款金融产品,提供贷款授信百亿元。",
     [("过万家", 10_000, "家", "过", None), ("152款", 152, "款", "", None),
      ("百亿元", 1e10, "元", "", None)]),
    ("提交23项申请材料,等待40个工作日,而现在我只需提交一份材料,",
     [("23项", 23, "项", "", None), ("40个工作日", 40, "工作日", "", None), ("一份", 1, "份", "", None)]),
    ("已实现一表申请、一窗受理、并联审批,3日办结,审批提速92.5%。",
     [("3日", 3, "天", "", None), ("92.5%", 92.5, "%", "", None)]),
    ("东昌府区今年新招引亿元以上项目23个,其中引进落地项目17个,过10亿元项目3个,过50亿元项目1个。",
     [("23个", 23, "个", "", None), ("17个", 17, "个", "", None), ("3个", 3, "个", "", None),
      ("1个", 1, "个", "", None)]),
    ("市医保局会同市人民检察院、市中级人民法院等五部门开展医保基金违法违规问题专项整治",
     [("五部门", 5, "个", "", None)]),
    ("进一步推动年产3万吨空调专用高精铝合金属通道扁管项目、年产15亿支新国标直螺纹紧固件项目的建设进度",
     [("3万吨", 30_000, "吨", "", None), ("15亿支", 1.5e9, "支", "", None)]),
]

# Dev-set web articles (../shared/eval/dev): compound measure words, places counted by a
# compound noun, a span of years with its amount, a cap, and 块钱.
DEV_SENTENCES = [
    ("日投入定向通勤班车229辆次、运送职工5844人次车,共1401辆巡游车",
     [("229辆次", 229, "辆次", "", None), ("5844人次", 5844, "人次", "", None),
      ("1401辆", 1401, "辆", "", None)]),
    ("2021年德州为企业群众办理跨域审批事项超过65万件次",
     [("超过65万件次", 650_000, "件次", "超过", None)]),
    ("服务企业群众异地办事65万余件次,居全省第一位。", [("65万余件次", 650_000, "件次", "余", None)]),
    ("与河北沧州、天津静海签订协议,实现33县市区企业登记等34个事项“跨省办理”。",
     [("33县市区", 33, "县市区", "", None), ("34个", 34, "个", "", None)]),
    ("与济南、淄博等8地市实现企业开办全域通办。", [("8地市", 8, "地市", "", None)]),
    ("3年统筹27亿元“焕新”工业设备", [("3年", 3, "年", "", None), ("27亿元", 2.7e9, "元", "", None)]),
    ("山东省级财政按不超过10%的比例给予单户企业最高500万元支持。",
     [("不超过10%", 10, "%", "不超过", None), ("500万元", 5e6, "元", "", None)]),
    ("俺在这里闻着花香干着活,一天能挣50块钱。", [("50块钱", 50, "元", "", None)]),
    ("淄博1.1万贫困户危房改造已完工", [("1.1万", 11_000, "户", "", None)]),
    ("加快下拨5000多万第二批技改奖补资金,以奖促投", [("5000多万", 5e7, "元", "多", None)]),
    ("GDP增长菏泽最快 3市新超2000亿", [("3市", 3, "市", "", None)]),
    ("从投资规模看,50亿元以上项目4个,20亿-50亿元项目11个,10亿-20亿元项目15个,5亿-10亿元项目43个。",
     [("4个", 4, "个", "", None), ("11个", 11, "个", "", None), ("15个", 15, "个", "", None),
      ("43个", 43, "个", "", None)]),
    ("总投资10.9亿元,其中6个项目投资额超10亿元。",
     [("10.9亿元", 1.09e9, "元", "", None), ("6个", 6, "个", "", None)]),
    ("优选储备项目188个,项目单体投资超过20亿元。", [("188个", 188, "个", "", None)]),
    ("交通出行类项目2个,分别为聊城大外环工程、“四好农村路” 新改建工程,两项工程总投资52.5亿元",
     [("2个", 2, "个", "", None), ("52.5亿元", 5.25e9, "元", "", None)]),
    ("从增速看,17市中GDP增幅最高的是菏泽,为8.4%;增幅最低的是德州、滨州,为6.8%,均超过6.7%的全国平均水平。",
     [("8.4%", 8.4, "%", "", None), ("6.8%", 6.8, "%", "", None), ("超过6.7%", 6.7, "%", "超过", None)]),
    ("山东省GDP规模前十的市增速全部超过7.0%,十市的经济总量超过大盘子的80%。", [("80%", 80, "%", "", None)]),
    ("全市已有2家企业入选，两家企业共获奖补资金300万元。",
     [("2家", 2, "家", "", None), ("300万元", 3e6, "元", "", None)]),
]

# Other real pages (a Xinhua poverty report): a long noun ending in 人口, and 由…到 carrying
# the first figure's unit to the second.
OTHER_PAGES = [
    ("截至2015年底,我国还有5630万农村建档立卡贫困人口,主要分布在832个国家扶贫开发工作重点县",
     [("5630万", 56_300_000, "人", "", None), ("832个", 832, "个", "", None)]),
    ("“三区三州”贫困人口由2018年的172万减少到今年年底的43万。",
     [("172万", 1_720_000, "人", "", None), ("43万", 430_000, "人", "", None)]),
    ("上半年全市亿元以上投资项目232个,其中:施工项目172个",
     [("232个", 232, "个", "", None), ("172个", 172, "个", "", None)]),
]

# What the same rules must leave alone: averages, amounts, a programme's cap, a count of places
# that is the object of a verb, a range that is an amount.
STILL_FIGURES = [
    ("全市农村居民人均可支配收入超过2万元。", [("超过2万元", 20_000, "元", "超过", None)]),
    ("全市规上工业增加值年均增长超过10%。", [("超过10%", 10, "%", "超过", None)]),
    ("每户补助不超过2000元。", [("不超过2000元", 2000, "元", "不超过", None)]),
    ("其中12个项目总投资超50亿元。", [("12个", 12, "个", "", None), ("超50亿元", 5e9, "元", "超过", None)]),
    ("计划投资3-5亿元建设2个园区。", [("3-5亿元", 3e8, "元", "", 5e8), ("2个", 2, "个", "", None)]),
    ("2019年8月19日在淄博、泰安、德州3市启动试点，随即扩大到16市的16个县区。",
     [("3市", 3, "市", "", None), ("16市", 16, "市", "", None), ("16个", 16, "个", "", None)]),
    ("未来5年投入100亿元。", [("5年", 5, "年", "", None), ("100亿元", 1e10, "元", "", None)]),
    ("连续3年增长超过10%", [("超过10%", 10, "%", "超过", None)]),  # a streak, not a programme's span
    ("三年攻坚行动投资20亿元", [("20亿元", 2e9, "元", "", None)]),  # a plan's name
    ("让项目提前半个月开工", [("半个月", 0.5, "个月", "", None)]),  # how early: 提前 is no period
    ("全市28个县市区均超过80%", [("28个", 28, "个", "", None)]),
    ("亩均税收超过10万元", [("超过10万元", 100_000, "元", "超过", None)]),
    ("全市已有2家企业入选，共获奖补资金300万元，3家企业在评审中。",
     [("2家", 2, "家", "", None), ("300万元", 3e6, "元", "", None), ("3家", 3, "家", "", None)]),
]

NOT_FIGURES = [
    "6月17日", "2019年", "3月1日至3日", "下午4时", "8月7日—8日", "2月28日", "2019年9月",
    "获批2023年地方政府专项债券", "(上接第一版)", "名列第二", "淄博市委第十二届八次全体会议", "首季“开门红”",
    "聚力“六稳”“六保”", "落实“三提三敢”", "“3+3+3”理论政策基层宣讲模式", "5G+技改", "4G条件下",
    "二十四节气中的“夏至”", "聚焦央企、500强企业", "“四争一树”活动", "“三让工作法”", "“一户一策”",
    "“一企一策”", "“一次办好”改革", "“一件事”", "“人才金政”37条", "“互联网+”“工业4.0”赋能",
    "‘线上3个宣讲群’", "大力推行“六个一”平台招引新机制", "如同十二场攻坚战役", "老旧供水管道改造工程(一期)",
    "关系千家万户利益", "一分钱难倒英雄汉", "在淄博和日照两地", "上面千条线，下面一根针。", "猛推一把",
    "救活一家小微企业", "一批批速冻水饺", "“一站式”办结", "下沉一线", "城乡供水一体化项目",
    "企业第一时间补发了工人的工资", "一口气浇完了", "每个人都是一面旗帜", "会损失几百万元",
    "每年的人力成本达到上千万元", "几十万元的贷款", "数十家企业", "科技金融走进万千家企业",
    "四两拨千斤", "3个多月前，一向致力于", "回忆一个多月前的场景", "摸清每一户的致贫点",
    "贯彻中央八项规定精神", "进入前10名", "热线12345", "电话0635-8888888", "1/3", "7×24小时",
    "开工建设10亿元以上项目", "单笔100万元以下的贷款", "二类疫苗", "二期工程", "三次产业结构",
    "做到五个一批", "6月17日就完成了", "60岁以上老年人", "一个人走得快", "三五成群的游客",
    # dev set: bands, size classes, sets named before, relative time, a formula's terms
    "接下来是潍坊、淄博、济宁、临沂,均超2000亿元。", "淄博、济宁、临沂是首次进入2000亿元阵营。",
    "同時,對企業實施的上述两类技术改造项目,优先采取股权投资方式予以支持",
    "近两年在各级扶贫政策支持下",
    "配套出台了20项操作细则,形成了“2+20”人才政策体系。", "确保2016-2017年两年基本完成脱贫任务",
    "2019年投资情况", "大部分金融机构已经下调1年期以上期限定期存款",
    # a period the figures cover (济宁晚报 2018-09-11), not a duration of its own
    "前7个月全市技改投资占工业投资半壁江山", "头两个月,全市新签约项目",
    "这两天,重庆市丰都县三建乡夜力坪村的西瓜丰收了。",  # "these days" (人民日报 2020-07-27)
]

PARSED_NUMERALS = [
    ("3478", (3478, None)), ("3478万", (34_780_000, None)), ("十", (10, None)), ("十二", (12, None)),
    ("二十", (20, None)), ("一百零五", (105, None)), ("两千五", (2500, None)), ("三百五", (350, None)),
    ("13万2", (132_000, None)), ("十万零一千", (101_000, None)), ("三亿五千万", (350_000_000, None)),
    ("2万亿", (2e12, None)), ("百亿", (1e10, None)), ("六七", (6, 7)), ("六七千", (6000, 7000)),
    ("三五万", (30_000, 50_000)), ("十七八", (17, 18)), ("二三十", (20, 30)), ("30-50", (30, 50)),
    ("3至5", (3, 5)), ("1,234", (1234, None)), ("半", (0.5, None)),
]

BAD_NUMERALS = ["万千", "四两", "二〇二〇", "一半", "零", "50-30", "千百"]


def _rows(found: list[Quantity]) -> list[tuple]:
    return [(q.quote, q.value, q.unit, q.approx, q.range_hi) for q in found]


def _close(got: list[tuple], want: list[tuple]) -> bool:
    if len(got) != len(want):
        return False
    for g, w in zip(got, want, strict=True):
        if g[0] != w[0] or g[2:4] != w[2:4] or not math.isclose(g[1], w[1], rel_tol=1e-9):
            return False
        if (g[4] is None) != (w[4] is None) or (w[4] is not None and not math.isclose(g[4], w[4])):
            return False
    return True


@pytest.mark.parametrize(("text", "expected"), FORMS + SEED_SENTENCES + DEV_SENTENCES + OTHER_PAGES
                         + STILL_FIGURES)
def test_finds_each_figure(text: str, expected: list[tuple]) -> None:
    got = _rows(find_quantities(text))
    assert _close(got, expected), got


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_dates_ordinals_names_idioms_and_thresholds_are_not_figures(text: str) -> None:
    assert _rows(find_quantities(text)) == []


@pytest.mark.parametrize(("text", "expected"), PARSED_NUMERALS)
def test_parse_numeral(text: str, expected: tuple) -> None:
    got = parse_numeral(text)
    assert got is not None
    assert math.isclose(got[0], expected[0])
    assert (got[1] is None) == (expected[1] is None)
    if expected[1] is not None:
        assert math.isclose(got[1], expected[1])


@pytest.mark.parametrize("text", BAD_NUMERALS)
def test_malformed_numerals_are_rejected(text: str) -> None:
    assert parse_numeral(text) is None


def test_offsets_point_at_the_quote() -> None:
    text = "我省设立了近10亿元的智能化技改专项资金，总工程量超过10亿元。"
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.quote
        assert q.kind == "money"


@pytest.mark.parametrize(("text", "unit"), [
    ("目前,我市城镇常住人口超过327万,城镇化率超过55%,", "人"),
    ("山东2056万辆电动自行车有了“身份证”。我省是电动自行车产销大省，保有量超过3600万。", "辆"),
    ("今年国家新增的财政赤字和抗疫特别国债共2万亿", ""),
    ("淄博1.1万贫困户危房改造已完工", "户"),
    ("全市2万个体户享受减税", "户"),
    ("全市5000万户籍人口", "人"),
    ("加快下拨5000多万第二批技改奖补资金,以奖促投", "元"),
    ("总投资1295亿的220个重大项目集中开工", "元"),
])
def test_bare_figures_take_their_unit_from_context(text: str, unit: str) -> None:
    bare = [q for q in find_quantities(text) if q.written_unit == ""]
    assert len(bare) == 1
    assert bare[0].unit == unit
    assert infer_bare_unit(text, Quantity(bare[0].value, "", "", None, bare[0].quote, bare[0].start,
                                          bare[0].end, "count")) == unit


def test_parse_quantity_reads_one_figure() -> None:
    q = parse_quantity("3478万元")
    assert q is not None and (q.value, q.unit, q.kind) == (34_780_000, "元", "money")
    assert parse_quantity("第一版") is None


def test_doctests() -> None:
    assert doctest.testmod(numbers).failed == 0


# --- every row of the data file -------------------------------------------------------------

def _table() -> dict:
    return tomllib.loads(resources.files("loaders").joinpath("data/units.toml").read_text("utf-8"))


KINDS = {"count", "money", "percent", "points", "measure", "duration", "multiple"}


@pytest.mark.parametrize(("written", "row"), sorted(_table()["units"].items()))
def test_every_measure_word_reads(written: str, row: dict) -> None:
    assert row["kind"] in KINDS
    numeral = "三" if row.get("chinese_only") else "3"
    follow = row.get("only_before", "。")[0]
    if row.get("amount_after"):
        assert find_quantities(f"共{numeral}{written}{follow}") == []  # 3年 alone is no figure
        follow = "统筹5亿元。"
    found = find_quantities(f"共{numeral}{written}{follow}")[:1]
    assert _rows(found) == [(f"{numeral}{written}", 3 * row.get("factor", 1), row["unit"], "", None)]
    assert found[0].kind == row["kind"]


@pytest.mark.parametrize(("word", "canonical"), sorted(_table()["approx"]["before"].items()))
def test_every_leading_qualifier_reads(word: str, canonical: str) -> None:
    assert _rows(find_quantities(f"企业{word}10家。")) == [(f"{word}10家", 10, "家", canonical, None)]


@pytest.mark.parametrize(("word", "canonical"), sorted(_table()["approx"]["after"].items()))
def test_every_trailing_qualifier_reads(word: str, canonical: str) -> None:
    assert _rows(find_quantities(f"企业10家{word}。")) == [(f"10家{word}", 10, "家", canonical, None)]


@pytest.mark.parametrize("idiom", _table()["rules"]["idioms"])
def test_every_idiom_is_not_a_figure(idiom: str) -> None:
    assert find_quantities(f"要坚持{idiom}。") == []


# --- the numeral grammar ---------------------------------------------------------------------

_CN = "零一二三四五六七八九"


def _group(n: int, liang: bool) -> str:
    """0 < n < 10000 in Chinese, with 零 for inner gaps (1005 → 一千零五)."""
    out, gap = [], False
    for power, mark in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // power % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out.append("零")
            gap = False
        out.append(("两" if liang and d == 2 and mark in "千百" and mark else _CN[d]) + mark)
    return "".join(out)


def to_chinese(n: int, liang: bool = False, short_ten: bool = True) -> str:
    """0 < n < 10^12 written as a Chinese numeral: 亿 and 万 groups, 零 for gaps."""
    parts, need_zero = [], False
    for size, mark in ((10**8, "亿"), (10**4, "万"), (1, "")):
        g = n // size % 10**4
        if g == 0:
            need_zero = bool(parts)
            continue
        if parts and (need_zero or g < 1000):
            parts.append("零")
        need_zero = False
        parts.append(("两" if liang and g == 2 and mark else _group(g, liang)) + mark)
    text = "".join(parts)
    if text == "二":
        return "两"  # a count of two is 两个, 两家; 二类, 二期 are labels
    return text[1:] if short_ten and text.startswith("一十") else text


@given(st.integers(min_value=2, max_value=10**12 - 1), st.booleans(), st.booleans())
def test_chinese_numerals_read_back(n: int, liang: bool, short_ten: bool) -> None:
    written = to_chinese(n, liang, short_ten)
    found = find_quantities(f"全市共有{written}家企业。")
    assert [(q.quote, q.value) for q in found] == [(f"{written}家", n)], written


@given(st.integers(min_value=1, max_value=999_999), st.integers(min_value=0, max_value=99),
       st.sampled_from([("万", 10**4), ("亿", 10**8), ("万亿", 10**12)]), st.sampled_from(["元", "吨", "亩"]))
def test_arabic_with_magnitude_reads_back(whole: int, cents: int, mag: tuple[str, int], unit: str) -> None:
    written = f"{whole}.{cents:02d}{mag[0]}{unit}"
    found = find_quantities(f"完成{written}，")
    assert len(found) == 1 and found[0].quote == written and found[0].unit == unit
    assert math.isclose(found[0].value, (whole + cents / 100) * mag[1], rel_tol=1e-12)


@pytest.mark.parametrize(("text", "quote", "value"), [
    ("第一季度全市地区生产总值增长-3.1%,二季度由负转正。", "-3.1%", -3.1),
    ("气温为-5摄氏度", "-5摄氏度", -5.0),
])
def test_a_written_minus_is_kept(text, quote, value):
    (q,) = find_quantities(text)
    assert (q.quote, q.value) == (quote, value)


def test_a_dash_between_two_numbers_is_a_range_not_a_minus():
    (q,) = find_quantities("每天能向国内下游企业发货30-50吨")
    assert (q.value, q.range_hi) == (30.0, 50.0)


@pytest.mark.parametrize("text", ["全市共有1e308人。", "投资2.5E+6万元", "样本量为3e5个"])
def test_the_exponent_of_scientific_notation_is_not_a_figure(text):
    """``1e308人`` is not 308人 (with the metric "e"): an exponent is part of a code, not a count."""
    assert find_quantities(text) == []


@pytest.mark.parametrize(("text", "quote"), [("PM2.5浓度同比下降3.2%", "3.2%"), ("全市共有308人", "308人")])
def test_figures_near_letters_and_decimals_are_still_read(text, quote):
    assert [q.quote for q in find_quantities(text)] == [quote]


@given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=1, max_size=8))
def test_a_numeral_of_digits_alone_reads_as_the_arabic_grammar_reads_it(digits):
    from loaders.numbers import _SIMPLE_ARABIC

    assert parse_numeral(digits) == (float(_SIMPLE_ARABIC.fullmatch(digits).group(1)), None)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@given(st.text(alphabet="一二两三十百千万亿半统0123456789,.%-~至个人户元年月日多余近分之点 \n", max_size=24))
def test_the_guard_after_a_numerals_first_character_changes_no_candidate(text: str) -> None:
    """The candidate regex tests what may follow a numeral's first character before its branches;
    without that test (the guard ``(?=[…])`` right after ``(?P<lead>…)``) it finds the same."""
    guarded_pattern = numbers._grammar().pattern
    lead_end = guarded_pattern.pattern.index(")(?=[") + 1
    guard_end = guarded_pattern.pattern.index("])(?:", lead_end) + 2
    plain = re.compile(guarded_pattern.pattern[:lead_end] + guarded_pattern.pattern[guard_end:])
    assert guarded_pattern.pattern[lead_end:lead_end + 3] == "(?="
    assert _spans(plain, text) == _spans(guarded_pattern, text)
