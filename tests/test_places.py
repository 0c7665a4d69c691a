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
    all_cities,
    city_of,
    counties_of,
    find_place_mentions,
    home_city_of,
    resolve_place,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
LEVELS = {"province", "city", "county", "zone", "former", "outside"}


def gazetteer_rows() -> list[dict[str, str]]:
    text = resources.files("loaders").joinpath("data/gazetteer.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


ROWS = gazetteer_rows()
SHANDONG = [r for r in ROWS if r["level"] in ("province", "city", "county")]
CITY_NAMES = {r["name"] for r in ROWS if r["level"] == "city"}


def test_gazetteer_has_shandongs_153_units_with_unique_adcodes():
    levels = Counter(r["level"] for r in SHANDONG)
    assert levels == {"province": 1, "city": 16, "county": 136}
    codes = [r["adcode"] for r in SHANDONG]
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['level']}-{r['name']}")
def test_every_gazetteer_row_is_consistent(row):
    assert row["level"] in LEVELS
    assert row["name"] and row["name"] == row["name"].strip()
    if row["level"] in ("province", "city", "county"):
        assert len(row["adcode"]) == 6 and row["adcode"].startswith("37")
    if row["level"] == "city":
        assert row["adcode"].endswith("00") and row["city"] == row["name"]
    if row["level"] == "county":
        assert row["city"] in CITY_NAMES and row["county"] == row["name"]
        assert row["adcode"][:4] + "00" == next(r["adcode"] for r in ROWS if r["name"] == row["city"])
    if row["level"] == "former":
        assert row["city"] in CITY_NAMES and row["valid_until"].isdigit()
        assert resolve_place(row["former_of"], row["city"]).city == row["city"]
        assert resolve_place(row["name"], row["city"]).city == row["city"]
    if row["level"] == "zone" and row["city"]:
        assert row["city"] in CITY_NAMES | {"山东省"}
    for short in filter(None, row["short"].split("|")):
        assert len(short) >= 2, "a one-character short form would match everywhere"
    if row["level"] in ("city", "county"):
        found = resolve_place(row["name"], row["city"])
        assert (found.adcode, found.city) == (row["adcode"], row["city"])


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
        [("广东省", "广东省", "", "outside", "short"), ("佛山市", "佛山市", "", "outside", "short")],
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
            ("河北省", "河北省", "", "outside", "short"),
        ],
    ),
    ("市财政每年安排", "聊城市", [("聊城市", "聊城市", "", "city", "implicit")]),
    ("原茌平县贾寨镇", "聊城市", [("茌平区", "聊城市", "茌平区", "county", "former")]),
    ("莱芜市钢铁产业", "", [("济南市", "济南市", "", "city", "former")]),
    (
        "此次和四川达州的成功合作",
        "聊城市",
        [("四川省", "四川省", "", "outside", "short"), ("达州市", "达州市", "", "outside", "short")],
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


def test_deictic_county_words_are_left_to_the_facts_step():
    mentions = find_place_mentions("冠县县委副书记说。该县将强力推进", "聊城市")
    assert [(m.text, m.how, m.place) for m in mentions][1:] == [("该县", "deictic", None)]


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
