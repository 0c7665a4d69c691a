"""loaders.places: the gazetteer file, and real seed sentences resolved to the right place."""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.places import (
    Place,
    _ocr_fix,
    _ocr_near,
    _ocr_targets,
    _possible_slips,
    _surfaces,
    all_cities,
    capital_of,
    city_of,
    counties_of,
    default_province,
    find_place_mentions,
    home_city_of,
    home_place_of,
    paper_home,
    paper_in_text,
    province_of,
    resolve_place,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
LEVELS = {"province", "city", "county", "zone", "former", "outside", "region"}


def gazetteer_rows() -> list[dict[str, str]]:
    text = resources.files("loaders").joinpath("data/gazetteer.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


ROWS = gazetteer_rows()
UNITS = [r for r in ROWS if r["level"] in ("province", "city", "county")]
SHANDONG = [r for r in UNITS if r["province"] == "山东省"]
CITY_NAMES = {r["name"] for r in ROWS if r["level"] == "city"}
PROVINCE_NAMES = {r["name"] for r in ROWS if r["level"] == "province"} | {
    r["name"] for r in ROWS if r["level"] == "city" and r["name"] == r["province"]}


def test_gazetteer_has_shandongs_153_units_and_every_province():
    levels = Counter(r["level"] for r in SHANDONG)
    assert levels == {"province": 1, "city": 16, "county": 136}
    assert len(PROVINCE_NAMES) == 34 and {"河北省", "甘肃省", "重庆市", "新疆维吾尔自治区"} <= PROVINCE_NAMES
    assert 2800 < sum(r["level"] == "county" for r in UNITS) < 3000
    codes = [r["adcode"] for r in UNITS]
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['level']}-{r['adcode']}-{r['name']}")
def test_every_gazetteer_row_is_consistent(row):
    assert row["level"] in LEVELS
    assert row["name"] and row["name"] == row["name"].strip()
    if row["level"] in ("province", "city", "county"):
        assert len(row["adcode"]) == 6 and row["adcode"][:2] + "0000" in {
            r["adcode"] for r in ROWS if r["name"] in PROVINCE_NAMES}
        assert row["province"] in PROVINCE_NAMES
    if row["level"] == "city":
        assert row["city"] == row["name"]
    if row["level"] == "county":
        assert row["city"] in CITY_NAMES and row["county"] == row["name"]
    if row["level"] == "former":
        assert row["city"] in CITY_NAMES and row["valid_until"].isdigit()
        assert resolve_place(row["former_of"], row["city"]).city == row["city"]
        assert resolve_place(row["name"], row["city"]).city == row["city"]
    if row["level"] == "zone" and row["city"]:
        assert row["city"] in CITY_NAMES | {"山东省"}
    for short in filter(None, (row["short"] + "|" + row["aliases"]).split("|")):
        assert len(short) >= 2, "a one-character short form would match everywhere"
    if row["level"] in ("city", "county"):
        found = resolve_place(row["name"], row["city"])
        assert (found.adcode, found.city, found.province) == (row["adcode"], row["city"], row["province"])


# (sentence from a seed page, home city, expected (name, city, county, level, how) of the mentions)
CASES = [
    (
        "2022年,在平区规模以上工业总产值1216.8亿元",
        "聊城市",
        [("茌平区", "聊城市", "茌平区", "county", "ocr")],
    ),
    (
        "6月20日，聊城市莘平县贾寨镇邢",
        "山东省",
        [("聊城市", "聊城市", "", "city", "exact"), ("茌平区", "聊城市", "茌平区", "county", "ocr")],
    ),
    (
        "枣庄市薛城区煜晟陶瓷",
        "山东省",
        [("枣庄市", "枣庄市", "", "city", "exact"), ("薛城区", "枣庄市", "薛城区", "county", "exact")],
    ),
    ("冠县规模以上工业企业145家全部开工", "聊城市", [("冠县", "聊城市", "冠县", "county", "exact")]),
    ("临清市公共资源交易中心", "聊城市", [("临清市", "聊城市", "临清市", "county", "exact")]),
    (
        "由广东佛山斯凯蒂精密机械有限公司投资建设",
        "聊城市",
        [("广东省", "广东省", "", "province", "short"), ("佛山市", "佛山市", "", "city", "short")],
    ),
    (
        "4月26日,枣庄市市中区郑先生",
        "山东省",
        [("枣庄市", "枣庄市", "", "city", "exact"), ("市中区", "枣庄市", "市中区", "county", "exact")],
    ),
    ("全省一般公共预算收入下降6.9%", "山东省", [("山东省", "山东省", "", "province", "deictic")]),
    ("今年前5月全国一般公共预算收入同比下降13.6%", "山东省", [("全国", "全国", "", "nation", "exact")]),
    ("我市城镇常住人口超过327万", "聊城市", [("聊城市", "聊城市", "", "city", "deictic")]),
    (
        "山东黄金矿业（莱州）有限公司",
        "山东省",
        [("山东省", "山东省", "", "province", "short"), ("莱州市", "烟台市", "莱州市", "county", "short")],
    ),
    ("临清轴承产业『延链建链强链补链』", "聊城市", [("临清市", "聊城市", "临清市", "county", "short")]),
    (
        "目前，曲阜、汶上、任城等县(市、区)也相继",
        "山东省",
        [
            ("曲阜市", "济宁市", "曲阜市", "county", "short"),
            ("汶上县", "济宁市", "汶上县", "county", "short"),
            ("任城区", "济宁市", "任城区", "county", "short"),
        ],
    ),
    ("参与审查东昌府区郑家镇等", "聊城市", [("东昌府区", "聊城市", "东昌府区", "county", "exact")]),
    ("8月13日上午,高新区中华路的一间会议室内", "聊城市", [("聊城市高新区", "聊城市", "", "zone", "zone")]),
    (
        "淄博经开区赴青岛调研招商",
        "淄博市",
        [("淄博经开区", "淄博市", "", "zone", "zone"), ("青岛市", "青岛市", "", "city", "short")],
    ),
    ("2月6日,在高唐经济开发区健康生物", "聊城市", [("高唐经济开发区", "聊城市", "高唐县", "zone", "zone")]),
    (
        "嘉明经济开发区与河北客商就建",
        "聊城市",
        [
            ("嘉明经济开发区", "聊城市", "东昌府区", "zone", "zone"),
            ("河北省", "河北省", "", "province", "short"),
        ],
    ),
    ("市财政每年安排", "聊城市", [("聊城市", "聊城市", "", "city", "implicit")]),
    ("原茌平县贾寨镇", "聊城市", [("茌平区", "聊城市", "茌平区", "county", "former")]),
    ("莱芜市钢铁产业", "", [("济南市", "济南市", "", "city", "former")]),
    (
        "此次和四川达州的成功合作",
        "聊城市",
        [("四川省", "四川省", "", "province", "short"), ("达州市", "达州市", "", "city", "short")],
    ),
]


@pytest.mark.parametrize(("text", "home", "expected"), CASES, ids=[c[0][:14] for c in CASES])
def test_seed_sentences(text, home, expected):
    found = [
        (m.place.name, m.place.city, m.place.county, m.place.level, m.how)
        for m in find_place_mentions(text, home)
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "home"),
    [
        ("维护社会长治久安", "聊城市"),
        ("成立合作社120家", "聊城市"),
        ("县委书记王某说", "聊城市"),
        ("存在平区域差异", "聊城市"),
        ("技术水平区别很大", "聊城市"),
        ("实现全区域覆盖", "聊城市"),
        ("激发全市场主体活力", "聊城市"),
        ("扩大消费县域", "聊城市"),
        ("曹县长说", ""),
        ("很简单县里", "聊城市"),
        ("在中华路", "聊城市"),
        ("市中小学生", "济南市"),
        ("在平原上", ""),
        ("提高日照时数", ""),
        ("惠民政策落地", ""),
    ],
)
def test_words_that_are_not_places(text, home):
    assert [m.text for m in find_place_mentions(text, home) if m.place is not None] == []


COUNTY_DEICTIC_CASES = [
    # (text, home, deictic word, county it points back to or "")
    ("冠县县委副书记说。该县将强力推进", "聊城市", "该县", "冠县"),
    ("莱芜区坚持项目为王。1-8月份,全区累计洽谈引进项目254个", "济南市", "全区", "莱芜区"),
    ("2018年,淄博市淄川经济开发区多点发力。全区新增企业12家", "淄博市", "全区", "淄川经济开发区"),
    ("临清市委书记说,该市将强力推进", "聊城市", "该市", "临清市"),
    ("临清市与冠县签约,该市将强力推进", "聊城市", "该市", "临清市"),
    ("兰州市召开会议,该市将强力推进", "甘肃省", "该市", "兰州市"),
    ("济南市召开新闻发布会。全市新签约项目32个", "山东省", "全市", "济南市"),
    ("济南市召开新闻发布会。全市新签约项目32个", "聊城市", "全市", "聊城市"),
    # of another kind than the last county, or none named yet: left unresolved
    ("高唐县召开会议。全区企业", "聊城市", "全区", ""),
    ("该县将强力推进", "聊城市", "该县", ""),
]


@pytest.mark.parametrize(("text", "home", "word", "county"), COUNTY_DEICTIC_CASES)
def test_county_deictics_point_back_to_the_last_county_of_their_kind(text, home, word, county):
    (mention,) = [m for m in find_place_mentions(text, home) if m.text == word]
    assert mention.how == "deictic"
    assert (mention.place.name if mention.place else "") == county


def test_quanqu_on_an_autonomous_regions_page_is_the_region():
    (mention,) = [m for m in find_place_mentions("兴宁区召开会议。全区脱贫人口", "广西壮族自治区")
                  if m.text == "全区"]
    assert mention.place.name == "广西壮族自治区"


@pytest.mark.parametrize("text", ["以争创国家级开发区为抓手", "获批省级高新区"])
def test_a_rank_of_zone_is_no_zone(text):
    assert [m.text for m in find_place_mentions(text, "淄博市") if m.place is not None
            and m.place.level == "zone"] == []


def test_bare_zone_on_the_provincial_paper_has_no_city():
    (mention,) = find_place_mentions("高新区规模以上", "山东省")
    assert (mention.place.level, mention.place.city) == ("zone", "")


def test_offsets_point_at_the_text():
    text = (SEEDS / "004_e9fe68a64e3df658.txt").read_text(encoding="utf-8")
    mentions = find_place_mentions(text, "聊城市")
    assert mentions and all(text[m.start : m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))


@given(st.text(alphabet="在平区县市水和简单全该我省国内山东聊城临清冠莘茌，。、 ", max_size=40))
def test_mentions_are_ordered_non_overlapping_slices(text):
    mentions = find_place_mentions(text, "聊城市")
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))


@pytest.mark.parametrize(
    ("name", "home", "expected"),
    [
        ("茌平县", "", ("茌平区", "聊城市")),
        ("在平区", "聊城市", ("茌平区", "聊城市")),
        ("市中区", "枣庄市", ("市中区", "枣庄市")),
        ("市中区", "济南市", ("市中区", "济南市")),
        ("临清", "", ("临清市", "聊城市")),
        ("梁山", "", ("梁山县", "济宁市")),
        ("即墨市", "", ("即墨区", "青岛市")),
        ("薛城区", "", ("薛城区", "枣庄市")),
        ("杭州", "", ("杭州市", "杭州市")),
        ("全国", "", ("全国", "全国")),
        ("山东", "", ("山东省", "山东省")),
        ("度假区", "聊城市", ("聊城市度假区", "聊城市")),
    ],
)
def test_resolve_place(name, home, expected):
    place = resolve_place(name, home)
    assert (place.name, place.city) == expected


def test_resolve_place_unknown_is_none():
    assert resolve_place("合作社") is None
    assert resolve_place("") is None


def test_cities_counties_and_city_of():
    cities = all_cities()
    assert len(cities) == 16 and all(isinstance(c, Place) and c.level == "city" for c in cities)
    assert [c.name for c in counties_of("聊城")] == [
        "东昌府区",
        "茌平区",
        "阳谷县",
        "莘县",
        "东阿县",
        "冠县",
        "高唐县",
        "临清市",
    ]
    assert sum(len(counties_of(c.name)) for c in cities) == 136
    assert city_of("临清") == "聊城市" and city_of("莱州市") == "烟台市" and city_of("不存在") == ""


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ("000_97d967b9aa75d6b6.txt", "山东省"),
        ("001_75cc9386a15eab2f.txt", "淄博市"),
        ("002_1b9743f1e9e56b57.txt", "聊城市"),
        ("003_60e1bf30824b9f36.txt", "聊城市"),
        ("004_e9fe68a64e3df658.txt", "聊城市"),
    ],
)
def test_home_city_of_seed_pages(doc, expected):
    assert home_city_of((SEEDS / doc).read_text(encoding="utf-8")) == expected


def test_domestic_is_reported_apart_from_the_nation():
    (mention,) = find_place_mentions("每天能向国内下游企业发货30-50吨", "山东省")
    assert (mention.place.level, mention.how) == ("nation", "domestic")


# Other provinces' papers (real sentences from tests/data/provinces/pages) and a Shandong paper
# writing about its partner county in Chongqing.
NATIONAL_CASES = [
    (
        "到去年年底,全省62个贫困县全部摘帽,7746个贫困村全部出列",
        "河北省",
        [("河北省", "河北省", "", "province", "deictic")],
    ),
    (
        "截至2019年底,兰州市建档立卡贫困人口下降到0.38万人",
        "甘肃省",
        [("兰州市", "兰州市", "", "city", "exact")],
    ),
    (
        "有256个建档立卡贫困村(榆中县114个、永登县102个",
        "兰州市",
        [
            ("榆中县", "兰州市", "榆中县", "county", "exact"),
            ("永登县", "兰州市", "永登县", "county", "exact"),
        ],
    ),
    (
        "重庆市奉节县地处长江三峡库区腹地,当时拥有贫困人口124425人",
        "滨州市",
        [("重庆市", "重庆市", "", "city", "exact"), ("奉节县", "重庆市", "奉节县", "county", "exact")],
    ),
    (
        "推动万州芦花鸡繁育基地建设、重庆奉节奶牛养殖等一批项目",
        "山东省",
        [("重庆市", "重庆市", "", "city", "short"), ("奉节县", "重庆市", "奉节县", "county", "short")],
    ),
    ("秦安这方土地上正在发生着日新月异的变化", "甘肃省", [("秦安县", "天水市", "秦安县", "county", "short")]),
    (
        "在平顶山叶县,河南维中新材料科技有限公司",
        "河南省",
        [
            ("平顶山市", "平顶山市", "", "city", "short"),
            ("叶县", "平顶山市", "叶县", "county", "exact"),
            ("河南省", "河南省", "", "province", "short"),
        ],
    ),
    ("4月26日,枣庄市市中区郑先生", "山东省", [("枣庄市", "枣庄市", "", "city", "exact"),
                                             ("市中区", "枣庄市", "市中区", "county", "exact")]),
    ("济南市市中区政务服务中心", "山东省", [("济南市", "济南市", "", "city", "exact"),
                                         ("市中区", "济南市", "市中区", "county", "exact")]),
    ("市中区新增就业岗位", "枣庄市", [("市中区", "枣庄市", "市中区", "county", "exact")]),
    ("市中区新增就业岗位", "乐山市", [("市中区", "乐山市", "市中区", "county", "exact")]),
]


@pytest.mark.parametrize(("text", "home", "expected"), NATIONAL_CASES,
                         ids=[c[0][:14] for c in NATIONAL_CASES])
def test_other_provinces_sentences(text, home, expected):
    found = [
        (m.place.name, m.place.city, m.place.county, m.place.level, m.how)
        for m in find_place_mentions(text, home)
        if m.place is not None
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "home"),
    [
        ("秦安这方土地上", "聊城市"),  # 秦安 is 甘肃's short form: on a Shandong page only after 天水/甘肃
        ("推进安定团结", "甘肃省"),  # 安定区 of 定西 is never written 安定
        ("开展合作交流", "甘肃省"),  # 合作市 of 甘南 is never written 合作
        ("彭楼灌区改扩建工程河南段汛期后开工", "聊城市"),
        ("市和县两级财政", "聊城市"),  # 和县 of 安徽 counts only after 马鞍山 or 安徽
        ("建设东部新城区", "聊城市"),
    ],
)
def test_other_provinces_words_that_are_not_places(text, home):
    assert [m.text for m in find_place_mentions(text, home) if m.place is not None] == []


def test_province_of_and_all_cities_of_any_province():
    assert province_of("兰州市") == "甘肃省" and province_of("聊城市") == "山东省"
    assert province_of("河北省") == "河北省" and province_of("重庆市") == "重庆市"
    assert province_of("全国") == "" and province_of("") == ""
    assert [c.name for c in all_cities("河北省")][:3] == ["石家庄市", "唐山市", "秦皇岛市"]
    hebei = all_cities("河北省")
    assert len(hebei) == 12 and hebei[-1].name == "雄安新区"  # 11 cities and 雄安新区
    assert len(all_cities("甘肃省")) == 14
    assert capital_of("甘肃省") == "兰州市" and capital_of("山东省") == "济南市"


def test_the_default_province_is_a_setting(monkeypatch):
    monkeypatch.setenv("CAMPAIGN_TRACKER_PROVINCE", "河北省")
    assert default_province() == "河北省"
    (mention,) = find_place_mentions("全省工业投资同比增长13.8%")
    assert mention.place.name == "河北省"
    monkeypatch.delenv("CAMPAIGN_TRACKER_PROVINCE")
    assert default_province() == "山东省"


PAPERS_CSV = resources.files("loaders").joinpath("data/papers.csv").read_text(encoding="utf-8")
PAPER_ROWS = list(csv.DictReader(line for line in PAPERS_CSV.splitlines() if not line.startswith("#")))


@pytest.mark.parametrize("row", PAPER_ROWS, ids=lambda r: r["paper"])
def test_every_paper_has_a_home_in_the_gazetteer(row):
    assert row["paper"].endswith("报")
    if row["province"] == "全国":
        assert paper_home(row["paper"]) == ""
        return
    assert row["province"] in PROVINCE_NAMES
    home = paper_home(row["paper"])
    assert home == (row["city"] or row["province"])
    assert province_of(home) == row["province"]
    if row["city"]:
        assert row["city"] in CITY_NAMES


PROVINCE_PAGES = Path(__file__).resolve().parent / "data" / "provinces" / "pages"


@pytest.mark.parametrize(
    ("doc", "paper", "expected"),
    [
        ("gansu_2020-08-25_gsrb.txt", "", "甘肃省"),  # masthead 甘肃日报
        ("gansu_2020-05-18_lanzhou.txt", "", "兰州市"),
        ("gansu_2020-11-11_renmin.txt", "", "兰州市"),  # 人民日报: the dateline 本报兰州11月10日电
        ("hebei_2020-10-10_wenming.txt", "", "河北省"),
        ("hebei_2025-06-29_qinhuangdao.txt", "", "秦皇岛市"),  # masthead 秦皇岛日报, a city's paper
        ("henan_2013-07-29_jigai.txt", "", "河南省"),  # 我省 and 濮阳、郑州、焦作
        ("henan_2021-08-24_jjrb.txt", "", "郑州市"),  # 本报郑州讯
        ("gansu_2020-05-18_lanzhou.txt", "甘肃日报", "甘肃省"),  # the paper decides outright
        ("hebei_2020-10-10_wenming.txt", "聊城日报", "聊城市"),
    ],
)
def test_home_place_of_other_provinces_pages(doc, paper, expected):
    assert home_place_of((PROVINCE_PAGES / doc).read_text(encoding="utf-8"), paper) == expected


def test_paper_in_text_reads_the_masthead_and_the_source_line():
    assert paper_in_text("甘肃日报\n2020年08月25日\n第01版:要闻") == "甘肃日报"
    assert paper_in_text("正文……\n来源: 聊城日报 作者:张三") == "聊城日报"
    body = "淄博市召开全市经济运行调度会议，会议听取了各区县工作情况汇报。"
    assert paper_in_text(body + "详细报道请见大众日报客户端") == ""  # a pointer, not the source


@pytest.mark.parametrize(("text", "home", "province"), [
    ("省财政下达资金3亿元", "聊城市", "山东省"),
    ("本报讯 (记者游怡冰)省工业和信息化厅近日发布2020年上半年省重点技术改造项目名单", "泉州市", "福建省"),
    ("省委常委、省委宣传部部长王嘉毅宣布", "甘肃省", "甘肃省"),
])
def test_the_provinces_own_bodies_name_the_province(text, home, province):
    found = [m for m in find_place_mentions(text, home) if m.how == "implicit"]
    assert found and found[0].text == "省" and found[0].place.name == province


def test_a_word_ending_in_sheng_is_no_provincial_body():
    assert [m for m in find_place_mentions("节省财政资金3亿元", "聊城市") if m.how == "implicit"] == []


def test_quanshi_after_a_city_still_marks_a_citys_paper():
    page = "济南市召开新闻发布会。\n\n全市新签约项目32个,全市完成投资120亿元。我市将继续推进。"
    assert home_place_of(page) == "济南市"


@pytest.mark.parametrize(("paper", "home"), [
    ("泉州晚报", "泉州市"), ("德州晚报", "德州市"), ("济宁晚报", "济宁市"), ("新乡日报", "新乡市"),
    ("《兰州晨报》", "兰州市"),
    # not named after a place, or not a paper
    ("半岛都市报", ""), ("大众网", ""), ("长城网", ""), ("今日头条", ""),
])
def test_a_paper_named_after_its_place_is_that_places(paper, home):
    assert paper_home(paper) == home


# 四川 经信厅 page, no paper and no metadata (a held-out page's own sentences): its cities are
# written by short name, in a list, in its last paragraph.
SICHUAN_PAGE = (
    "前10月我省累计完成技改投资3887亿元 同比增长14.1%\n\n"
    "全省技改投资完成全年目标的84.5%,超计划进度1.2个百分点。\n\n"
    "全省技改投资协调性有所增强。全省技改投资额超过100亿元的有16个市(州),新增南充、广元、广安、自贡4个市。"
)


def test_a_page_listing_one_other_provinces_cities_by_short_name_is_that_provinces():
    assert home_place_of(SICHUAN_PAGE) == "四川省"


@pytest.mark.parametrize("page", [
    "我省接待来宾3000人次,全省旅游收入增长8%。",  # 来宾 (a 广西 city) is "guests": no list
    "全省技改投资增长8%,新增南充1个市。",  # one city by short name is not enough
    "全省新增济南、青岛、南充、广元4个市。",  # the default province's own cities weigh as much
])
def test_a_short_city_name_alone_does_not_move_the_home_province(page):
    assert province_of(home_place_of(page)) == "山东省"


def test_the_one_other_province_a_page_names_is_the_home_of_its_quansheng():
    assert province_of(home_place_of("全省完成投资3亿元,其中兰州市1.2亿元。")) == "甘肃省"


def test_variant_characters_left_by_the_simplifier_still_name_the_place():
    assert resolve_place("陜西").name == "陕西省"  # 人民日报's traditional edition prints 陜西
    assert [m.place.name for m in find_place_mentions("重庆、陜西等8个省市")] == ["重庆市", "陕西省"]


def test_the_nations_regions_are_the_nations():
    found = resolve_place("中部地区")
    assert (found.level, found.city, found.province) == ("region", "全国", "")


@pytest.mark.parametrize(("text", "home", "region"), [
    ("此前,西藏自治区也已宣布了所有县(区)全部脱贫摘帽。2019年12月9日,经自治区人民政府研究,批准", "辽宁省",
     "西藏自治区"),  # the autonomous region just named
    ("经自治区党委研究决定", "新疆维吾尔自治区", "新疆维吾尔自治区"),  # the page's own
])
def test_an_autonomous_regions_own_bodies_name_it(text, home, region):
    found = [m for m in find_place_mentions(text, home) if m.how == "implicit"]
    assert found and found[0].text == "自治区" and found[0].place.name == region


def test_a_provinces_body_alone_names_no_autonomous_region():
    assert [m for m in find_place_mentions("经自治区人民政府研究", "辽宁省") if m.how == "implicit"] == []


def test_a_list_of_another_provinces_counties_by_short_name_places_the_page():
    # 天水's counties by short name, no paper: 甘肃省's page, of 天水市 (全市 and its counties)
    assert home_place_of("全市新增秦安、甘谷、武山等县。全市完成投资3亿元。") == "天水市"


def test_a_partner_province_is_no_home():
    assert home_place_of("我省与重庆市签署合作协议,全省共建项目12个。") == "山东省"


def test_a_city_whose_short_name_is_a_word_counts_in_a_list_of_places():
    # 黑龙江省省长 at 国务院新闻办, 2005-03-31 (simplified)
    text = "黑龙江省将在十五年内,在废弃荒地上建设以哈尔滨、大庆、齐齐哈尔为中心的哈大齐工业走廊。"
    names = [m.place.name for m in find_place_mentions(text, "黑龙江省") if m.place]
    assert names == ["黑龙江省", "哈尔滨市", "大庆市", "齐齐哈尔市"]


@pytest.mark.parametrize("text", ["油田会战迎来大庆", "孙中山、黄兴等人", "大同小异"])
def test_a_citys_short_name_that_is_a_word_is_no_place_alone(text):
    assert [m.text for m in find_place_mentions(text, "黑龙江省") if m.place] == []


def _brute_possible_slips(text: str, province: str) -> list[tuple[int, int]]:
    """The definition ``_possible_slips`` speeds up: 3 or 4 CJK characters ending in 区/县/市,
    starting where a name can (the text's start, or after a non-CJK character), that are no form
    and differ from a near name of the province (``_ocr_near``) in one character."""
    def cjk(ch: str) -> bool:
        return "\u4e00" <= ch <= "\u9fff"

    def may_be_slip(token: str) -> bool:
        near = _ocr_near(province)
        return token not in _surfaces() and any(f"{token[:i]}\0{token[i + 1:]}" in near
                                                for i in range(len(token) - 1))

    return [(pos, size) for pos in range(len(text)) for size in (3, 4)
            if (pos == 0 or not cjk(text[pos - 1])) and pos + size <= len(text)
            and all(cjk(ch) for ch in text[pos:pos + size]) and text[pos + size - 1] in "区县市"
            and may_be_slip(text[pos:pos + size])]


@pytest.mark.parametrize("province", ["山东省", "甘肃省"])
@given(st.text(alphabet="在平区县市茌冠莘城高堂临青清唐秦安甘谷，。、 1", max_size=40))
def test_possible_slips_are_the_name_starts_that_may_be_slips(province, text):
    assert _possible_slips(text, province) == _brute_possible_slips(text, province)


def test_possible_slips_of_a_seed_sentence():
    # 在平区 after a comma may be 茌平区; 存在平区 in the middle of a run is never looked at
    assert _possible_slips("2022年,在平区规模以上企业存在平区域", "山东省") == [(6, 3)]


_SHANDONG_OCR = [(name, place) for targets in _ocr_targets("山东省").values() for name, place in targets]


@given(st.sampled_from(_SHANDONG_OCR), st.integers(0, 3), st.sampled_from("在存平中大小东西城"),
       st.sampled_from(["", "聊城市", "济南市"]))
def test_an_ocr_fix_is_the_one_county_a_single_character_off(target, position, slip, scope_city):
    name, _place = target
    i = position % (len(name) - 1)  # never the last character: 茌平县 is no slip of 茌平区
    token = name[:i] + slip + name[i + 1:]
    close = [p for n, p in _SHANDONG_OCR if len(n) == len(token) and n[-1] == token[-1]
             and sum(a != b for a, b in zip(n, token, strict=True)) == 1
             and (not scope_city or p.city == scope_city)]
    expected = close[0] if len({*close}) == 1 and token not in _surfaces() else None
    assert _ocr_fix(token, scope_city, "山东省") == expected
