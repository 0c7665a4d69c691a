"""Shandong gazetteer: find and resolve places.

A figure is only useful on the dashboard once we know which city and county it is about. The
press writes places many ways: full names (茌平区), short ones (茌平), former names (茌平县, renamed
in 2019), OCR slips (在平区), zones (高新区, tied to the paper's city), deictic words (我市, 该县)
and places outside Shandong where an investor comes from (广东佛山). All names live in
``loaders/data/gazetteer.csv`` (adcode-keyed, built by ``scripts/build_gazetteer.py``) and are
matched by one regex built as a character trie, so a page is scanned once, longest name first.

Example: ``find_place_mentions("枣庄市市中区郑先生")`` → 枣庄市 (city) then 市中区 of 枣庄市, not
济南's 市中区, because a county right after a city belongs to that city.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Place:
    adcode: str  # "371523" ("" for places outside the gazetteer's codes)
    name: str  # current full name: 茌平区, 聊城市, 山东省, 杭州市, 全国
    city: str  # prefecture-level full name (聊城市); "山东省" / "全国" / another province's city
    county: str  # county-level full name, or "" for a city, province or nation
    level: str  # nation | province | city | county | zone | outside


@dataclass(frozen=True)
class PlaceMention:
    place: Place | None  # None for a deictic word still to be resolved (该县 with no county before)
    start: int
    end: int
    text: str  # as written (在平区, 我市, 临清)
    how: str  # exact | short | former | ocr | deictic | zone | implicit (市财政) | domestic (国内)
    confidence: float = 1.0


PROVINCE = "山东省"
NATION = Place("", "全国", "全国", "", "nation")

CONFIDENCE = {
    "exact": 1.0,
    "former": 0.95,
    "zone": 0.9,
    "short": 0.9,
    "deictic": 0.85,
    "ocr": 0.7,
    "implicit": 0.6,
    "domestic": 0.4,
}

NATION_WORDS = ("全国", "我国")
# 国内 ("domestic") mostly qualifies a market or a buyer (向国内下游企业发货), so it is reported
# apart (how "domestic") for the facts step to weigh, not as a plain national subject; so is
# 国家, which is the nation only where it opens a clause (国家新增的财政赤字…), not in 国家标准.
DOMESTIC_WORDS = ("国内", "国家")
PROVINCE_WORDS = ("我省", "全省", "本省")
HOME_CITY_WORDS = ("我市", "全市", "本市")
# County-level deictics: the facts step resolves them to the last county mentioned.
COUNTY_DEICTICS = ("该县", "全县", "我县", "本县", "该区", "全区", "我区", "本区", "该市")
# 市/省 followed by an institution means the home city's or the province's own body (市财政局).
INSTITUTIONS = (
    "委",
    "政府",
    "人大",
    "政协",
    "纪委",
    "监委",
    "财政",
    "工信局",
    "发改委",
    "商务局",
    "科技局",
    "人社局",
    "统计局",
    "税务局",
    "农业农村局",
    "住建局",
    "自然资源",
    "生态环境局",
    "交通运输局",
    "水利局",
    "卫健委",
    "教育局",
    "公安局",
    "行政审批",
    "投资促进局",
    "地方金融",
    "金融监管局",
    "应急管理局",
    "市场监管局",
    "大数据局",
    "医保局",
    "审计局",
    "民政局",
    "委组织部",
    "委宣传部",
)
# A short name or institution 市 only counts after a character that cannot join it into a word.
_JOINERS = set("和与及、的在由对向经从为到是将被把给省，,。;；：:“”\"'（）()《》 \n\t")
_ADJACENT_CITY = 1  # characters allowed between a city and its county (聊城市茌平区, 聊城市 茌平区)
_STREET = re.compile(r"(?:路|街|巷|大道|大街|村|小区|社区)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_OCR_TOKEN = re.compile(r"[\u4e00-\u9fff]{2,4}")
# Where a name can start: a CJK character right after a non-CJK one (a comma, a digit, a line
# start). Found by one regex pass instead of a character-by-character loop.
_NAME_START = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]")


@dataclass(frozen=True)
class _Row:
    adcode: str
    name: str
    shorts: tuple[str, ...]
    city: str
    county: str
    level: str
    former_of: str
    valid_until: str


@dataclass(frozen=True)
class _Entry:
    """One meaning of a surface form: what it refers to and how it was written."""

    kind: str  # place | zonekind | blocker | nation | province_word | home_city | county_deictic | implicit
    how: str
    place: Place | None = None


@cache
def _rows() -> tuple[_Row, ...]:
    text = resources.files("loaders").joinpath("data/gazetteer.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(
        _Row(
            r["adcode"],
            r["name"],
            tuple(s for s in r["short"].split("|") if s),
            r["city"],
            r["county"],
            r["level"],
            r["former_of"],
            r["valid_until"],
        )
        for r in reader
    )


@cache
def _stopwords() -> tuple[str, ...]:
    text = resources.files("loaders").joinpath("data/places_stopwords.txt").read_text(encoding="utf-8")
    return tuple(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _current_place(row: _Row) -> Place:
    if row.level == "province":
        return Place(row.adcode, row.name, row.name, "", "province")
    if row.level == "city":
        return Place(row.adcode, row.name, row.name, "", "city")
    if row.level == "county":
        return Place(row.adcode, row.name, row.city, row.name, "county")
    if row.level == "zone":
        return Place(row.adcode, row.name, row.city, row.county, "zone")
    return Place(row.adcode, row.name, row.city, row.county, "outside")


@cache
def _province() -> Place:
    return _current_place(next(r for r in _rows() if r.level == "province"))


@cache
def _places_by_name() -> dict[str, tuple[Place, ...]]:
    found: dict[str, list[Place]] = {}
    for row in _rows():
        if row.level != "former":
            found.setdefault(row.name, []).append(_current_place(row))
    return {name: tuple(p) for name, p in found.items()}


def _place_of_row(row: _Row) -> Place:
    if row.level != "former":
        return _current_place(row)
    for place in _places_by_name().get(row.former_of, ()):
        if place.city == row.city or place.level == "city":
            return place
    raise ValueError(f"地名表 gazetteer.csv 中 {row.name} 的 former_of「{row.former_of}」不存在：请修正该行")


@cache
def _surfaces() -> dict[str, tuple[_Entry, ...]]:
    """Every way of writing a place (or a word that blocks one) → its meanings."""
    table: dict[str, list[_Entry]] = {}

    def add(surface: str, entry: _Entry) -> None:
        table.setdefault(surface, []).append(entry)

    for row in _rows():
        if row.level == "zone" and not row.city:
            for surface in (row.name, *row.shorts):
                add(surface, _Entry("zonekind", "zone"))
            continue
        place = _place_of_row(row)
        how = {"former": "former", "zone": "zone"}.get(row.level, "exact")
        add(row.name, _Entry("place", how, place))
        for short in row.shorts:
            add(short, _Entry("place", how if how != "exact" else "short", place))
    for word in NATION_WORDS:
        add(word, _Entry("nation", "exact", NATION))
    for word in DOMESTIC_WORDS:
        add(word, _Entry("nation", "domestic", NATION))
    for word in PROVINCE_WORDS:
        add(word, _Entry("province_word", "deictic", _province()))
    for word in HOME_CITY_WORDS:
        add(word, _Entry("home_city", "deictic"))
    for word in COUNTY_DEICTICS:
        add(word, _Entry("county_deictic", "deictic"))
    for suffix in INSTITUTIONS:
        add("市" + suffix, _Entry("implicit", "implicit"))
        add("省" + suffix, _Entry("implicit", "implicit", _province()))
    for word in _stopwords():
        if word not in table:
            add(word, _Entry("blocker", ""))
    return {surface: tuple(entries) for surface, entries in table.items()}


def _trie_pattern(words: list[str]) -> str:
    """A regex that matches any of ``words``, longest first, without trying them one by one."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


@cache
def _matcher() -> re.Pattern[str]:
    return re.compile(_trie_pattern(list(_surfaces())))


@cache
def _zone_kind() -> re.Pattern[str]:
    kinds = [s for s, entries in _surfaces().items() if any(e.kind == "zonekind" for e in entries)]
    return re.compile(_trie_pattern(kinds))


@cache
def _ocr_targets() -> dict[tuple[int, str], tuple[tuple[str, Place], ...]]:
    """County-level names (current and former) with a base of two or more characters, by length+suffix."""
    targets: dict[tuple[int, str], list[tuple[str, Place]]] = {}
    for row in _rows():
        if row.level in ("county", "former") and len(row.name) >= 3 and row.name[-1] in "区县市":
            place = _place_of_row(row)
            if place.level == "county":
                targets.setdefault((len(row.name), row.name[-1]), []).append((row.name, place))
    return {key: tuple(v) for key, v in targets.items()}


def _is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def _home_place(home_city: str) -> Place | None:
    return resolve_place(home_city) if home_city else None


def _choose(places: list[Place], prefer_cities: list[str]) -> Place:
    for city in prefer_cities:
        for place in places:
            if city and place.city == city:
                return place
    shandong = [p for p in places if p.level != "outside"]
    return (shandong or places)[0]


def _ocr_fix(token: str, scope_city: str) -> tuple[str, Place] | None:
    """The one county-level name ``token`` differs from by a single character, if there is exactly one."""
    if token in _surfaces():
        return None
    candidates = _ocr_targets().get((len(token), token[-1]), ())

    def near(name: str) -> bool:
        return sum(a != b for a, b in zip(token, name, strict=True)) == 1

    close = [(name, place) for name, place in candidates if near(name)]
    if scope_city:
        in_city = [c for c in close if c[1].city == scope_city]
        close = in_city
    places = {place for _, place in close}
    return close[0] if len(places) == 1 else None


def _ocr_mentions(text: str, lo: int, hi: int, scope_city: str, after_place: bool) -> list[PlaceMention]:
    """OCR slips in the gap ``text[lo:hi]`` between two found mentions.

    A slip is only looked for where a name can start — after a place, or after a non-CJK
    character — so 在平区 after a comma is 茌平区, but 存在平区域 is never looked at.
    """
    found: list[PlaceMention] = []
    starts = [m.start() for m in _NAME_START.finditer(text, lo, hi)]
    if after_place and lo < hi and _is_cjk(text[lo]) and (not starts or starts[0] != lo):
        starts.insert(0, lo)
    skip_to = lo
    for pos in starts:
        if pos < skip_to:
            continue
        for size in (3, 4):
            token = text[pos : pos + size]
            if pos + size > hi or token[-1] not in "区县市" or not _OCR_TOKEN.fullmatch(token):
                continue
            fixed = _ocr_fix(token, scope_city)
            if fixed:
                found.append(PlaceMention(fixed[1], pos, pos + size, token, "ocr", CONFIDENCE["ocr"]))
                skip_to = pos + size
                break
    return found


def find_place_mentions(text: str, home_city: str = "", ocr: bool = True) -> list[PlaceMention]:
    """All place mentions in ``text`` in order; deictic words (我市, 该县 …) resolved where possible.

    ``home_city`` is the paper's city (聊城市), or 山东省 for the provincial paper; it resolves 我市,
    a bare 高新区, an ambiguous county name and the scope of OCR fixes; ``ocr=False`` skips the
    look for slipped names where only the well-spelled ones matter.
    Example: ``find_place_mentions("2022年,在平区规模以上", "聊城市")`` → 茌平区 (how ``ocr``).
    """
    surfaces = _surfaces()
    home = _home_place(home_city)
    home_is_city = home is not None and home.level == "city"
    mentions: list[PlaceMention] = []
    last_city = home_city if home_is_city else ""
    gap_start, gap_after_place = 0, False

    def scope() -> str:
        prev = mentions[-1] if mentions else None
        if prev and prev.place and prev.place.level == "city" and gap_start - prev.end <= _ADJACENT_CITY:
            return prev.place.name
        return last_city if last_city in _cities_by_name() else ""

    for match in _matcher().finditer(text):
        start, end, surface = match.start(), match.end(), match.group()
        if start < gap_start:
            continue
        if start > gap_start and ocr:
            mentions.extend(_ocr_mentions(text, gap_start, start, scope(), gap_after_place))
        gap_start, gap_after_place = end, False
        entries = surfaces[surface]
        kind = entries[0].kind
        before = text[start - 1] if start else ""
        mention: PlaceMention | None = None
        if kind == "blocker":
            continue
        if kind == "place":
            prev = mentions[-1] if mentions else None
            adjacent_city = (
                prev.place.name
                if prev and prev.place and prev.place.level == "city" and start - prev.end <= _ADJACENT_CITY
                else ""
            )
            place = _choose([e.place for e in entries if e.place], [adjacent_city, home_city, last_city])
            how = next(e.how for e in entries if e.place == place)
            if how == "short" and _STREET.match(text, end):
                continue
            if len(surface) == 2 and surface[-1] == "县" and text[end : end + 1] == "长":
                continue
            zone = _zone_kind().match(text, end) if place.level in ("city", "county") else None
            if zone:
                end = zone.end()
                place = Place("", text[start:end], place.city, place.county, "zone")
                how = "zone"
            mention = PlaceMention(place, start, end, text[start:end], how, CONFIDENCE[how])
        elif kind == "zonekind":
            city = home.name if home_is_city else ""
            name = f"{city}{surface}" if city else surface
            mention = PlaceMention(
                Place("", name, city, "", "zone"),
                start,
                end,
                surface,
                "zone",
                CONFIDENCE["zone"] if city else 0.5,
            )
        elif kind in ("nation", "province_word"):
            mention = PlaceMention(
                entries[0].place, start, end, surface, entries[0].how, CONFIDENCE[entries[0].how]
            )
        elif kind == "home_city":
            if surface.endswith("市") and text[end : end + 1] == "场":
                continue
            mention = PlaceMention(
                home if home_is_city else None, start, end, surface, "deictic", CONFIDENCE["deictic"]
            )
        elif kind == "county_deictic":
            if text[end : end + 1] in "域城份" or (surface.endswith("市") and text[end : end + 1] == "场"):
                continue
            mention = PlaceMention(None, start, end, surface, "deictic", CONFIDENCE["deictic"])
        elif kind == "implicit":
            if before and before not in _JOINERS:
                continue
            place = entries[0].place or (home if home_is_city else None)
            if place is None:
                continue
            mention = PlaceMention(place, start, start + 1, surface[0], "implicit", CONFIDENCE["implicit"])
        if mention is None:
            continue
        mentions.append(mention)
        gap_start, gap_after_place = mention.end, mention.place is not None
        if mention.place and mention.place.level in ("city", "county", "zone") and mention.place.city:
            last_city = mention.place.city
    if gap_start < len(text) and ocr:
        mentions.extend(_ocr_mentions(text, gap_start, len(text), scope(), gap_after_place))
    return mentions


def resolve_place(name: str, home_city: str = "") -> Place | None:
    """A place name as written (full, short, former or slipped) → the one place it means.

    Example: ``resolve_place("茌平县")`` → 茌平区 of 聊城市; ``resolve_place("市中区", "枣庄市")``
    → 枣庄's 市中区; ``resolve_place("全国")`` → the nation.
    """
    name = name.strip()
    if not name:
        return None
    if name in (PROVINCE, "山东"):
        return _province()
    entries = _surfaces().get(name, ())
    places = [e.place for e in entries if e.kind in ("place", "nation", "province_word") and e.place]
    if places:
        return _choose(places, [home_city])
    if any(e.kind == "zonekind" for e in entries):
        home = _home_place(home_city)
        city = home.name if home and home.level == "city" else ""
        return Place("", f"{city}{name}", city, "", "zone")
    mentions = [m for m in find_place_mentions(name, home_city) if m.place]
    if len(mentions) == 1 and mentions[0].text == name:
        return mentions[0].place
    return None


@cache
def _cities_by_name() -> dict[str, Place]:
    return {row.name: _current_place(row) for row in _rows() if row.level == "city"}


def province_of(city: str) -> str:
    """The province a figure's city lies in: 聊城市 → 山东省, 山东省 → 山东省; "" where unknown (全国)."""
    if city == PROVINCE or city in _cities_by_name():
        return PROVINCE
    return ""


def all_cities() -> list[Place]:
    """Shandong's 16 prefecture-level cities in adcode order, for the map and the city filter."""
    return list(_cities_by_name().values())


def counties_of(city: str) -> list[Place]:
    """The current county-level units of ``city`` (full or short name) in adcode order."""
    place = resolve_place(city)
    if place is None or place.level != "city":
        return []
    return [_current_place(r) for r in _rows() if r.level == "county" and r.city == place.name]


def city_of(name: str) -> str:
    """The prefecture-level city a place belongs to: ``city_of("临清")`` → 聊城市; "" if unknown."""
    place = resolve_place(name)
    return place.city if place else ""


def home_city_of(page_text: str) -> str:
    """The paper's city, guessed from the page: the Shandong city it names most, with its counties.

    A provincial paper (大众日报) names many cities and says 我省/全省; a city paper says 我市 and
    names its own counties. Example: a 聊城日报 page → 聊城市; a 大众日报 page → 山东省.
    """
    mentions = find_place_mentions(page_text, ocr=False)  # slips are too rare to sway the vote
    votes: Counter[str] = Counter()
    province_words = city_words = 0
    for m in mentions:
        if m.place is None:
            city_words += m.text in HOME_CITY_WORDS
            continue
        if m.place.level in ("city", "county", "zone") and m.place.city in _cities_by_name():
            votes[m.place.city] += 1
        elif m.place.level == "province" and m.how == "deictic":
            province_words += 1
    for dateline in re.finditer(r"本报([\u4e00-\u9fff]{2,4}?)讯", page_text):
        place = resolve_place(dateline.group(1))
        if place and place.city in _cities_by_name():
            votes[place.city] += 3
    if not votes:
        return PROVINCE if province_words else ""
    (best, top), *rest = votes.most_common(2) + [("", 0)]
    second = rest[0][1]
    if city_words == 0 and (province_words >= 2 or len(votes) >= 4) and top < 3 * max(second, 1):
        return PROVINCE
    return best
