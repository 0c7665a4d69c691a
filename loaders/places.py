"""National gazetteer: find and resolve places on any province's pages.

A figure is only useful on the dashboard once we know which province, city and county it is
about. The press writes places many ways: full names (茌平区), short ones (茌平), former names
(茌平县, renamed in 2019), OCR slips (在平区), zones (高新区, tied to the paper's city), deictic
words (我省, 我市, 该县) and other provinces' places (重庆奉节, 甘肃天水). All names live in
``loaders/data/gazetteer.csv`` (every unit of China keyed by adcode, built by
``scripts/build_gazetteer.py``) and are found in one Aho–Corasick pass (ahocorasick_rs, leftmost
longest), longest name first.

A page has a **home place** — its paper's province or city (``home_place_of``), else the province
whose places the page names most (its headline's thrice, a partner's not at all; another
province's cities listed by short name count too: 新增南充、广元、广安、自贡4个市), the nation for a
national paper's page that no province leads: 我省/全省 is that
province, 我市 that city, and a name several units share (市中区, 朝阳区) is the one of the page's
city or province. Short forms that are words elsewhere (安定, 合作) count only on their own
province's pages, or right after their city or province (甘肃天水, 重庆奉节).

Example: ``find_place_mentions("枣庄市市中区郑先生")`` → 枣庄市 (city) then 市中区 of 枣庄市, not
济南's 市中区, because a county right after a city belongs to that city.
"""

from __future__ import annotations

import bisect
import csv
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from itertools import chain, compress, dropwhile
from operator import itemgetter

import ahocorasick_rs


@dataclass(frozen=True, init=False)
class Place:
    adcode: str  # "371523" ("" for places outside the gazetteer's codes)
    name: str  # current full name: 茌平区, 聊城市, 山东省, 兰州市, 全国
    city: str  # prefecture-level full name (聊城市, 兰州市, 重庆市); the province's name for a province
    county: str  # county-level full name, or "" for a city, province or nation
    level: str  # nation | region (中部地区) | province | city | county | zone | outside (长三角, 美国)
    province: str = ""  # 山东省, 甘肃省, 重庆市; "" for the nation, regions and countries

    def __init__(self, adcode: str, name: str, city: str, county: str, level: str,
                 province: str = "") -> None:
        # written out, as the frozen dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every place a page resolves)
        object.__setattr__(self, "adcode", adcode)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "city", city)
        object.__setattr__(self, "county", county)
        object.__setattr__(self, "level", level)
        object.__setattr__(self, "province", province)


@dataclass(init=False, slots=True)
class PlaceMention:
    """A place named in a text, where and how. Not frozen: the finder builds one for every place a
    page names, and a frozen dataclass's ``__init__`` costs three times a plain one's; nothing
    hashes or changes one after ``find_place_mentions`` returns it."""

    place: Place | None  # None for a deictic word still to be resolved (该县 with no county before)
    start: int
    end: int
    text: str  # as written (在平区, 我市, 临清)
    how: str  # exact | short | former | ocr | deictic | zone | implicit (市财政) | domestic (国内)
    confidence: float

    def __init__(self, place: Place | None, start: int, end: int, text: str, how: str,
                 confidence: float = 1.0) -> None:
        # written out, as the dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every mention)
        self.place = place
        self.start = start
        self.end = end
        self.text = text
        self.how = how
        self.confidence = confidence


PROVINCE = "山东省"  # the home province when neither the paper nor the page names another
PROVINCE_SETTING = "CAMPAIGN_TRACKER_PROVINCE"
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
# The nation's own bodies: where one opens a clause, the rule it sets is national
# (从2022年二季度起人民银行通过普惠小微贷款支持工具提供的激励资金比例由1%提高到2%).
NATION_BODIES = ("人民银行", "央行", "国务院", "党中央", "财政部", "工信部", "工业和信息化部", "商务部",
                 "人力资源社会保障部", "人社部", "农业农村部", "国家发展改革委")
PROVINCE_WORDS = ("我省", "全省", "本省")
HOME_CITY_WORDS = ("我市", "全市", "本市")
# County-level deictics: the last county (or zone, for 区) named before them, of their own kind
# (全县 → a 县, 全区 → a 区 or a zone, 该市 → the last 市, county-level or a city); on an
# autonomous region's pages 全区/我区 is the region itself.
COUNTY_DEICTICS = ("该县", "全县", "我县", "本县", "该区", "全区", "我区", "本区", "该市")
# 市/省 followed by an institution means the home city's or the province's own body (市财政局).
INSTITUTIONS = (
    "委",
    "政府",
    "人民政府",
    "党委",
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
    # a province's departments (省工业和信息化厅近日发布…名单,共有630项项目入选)
    "工业和信息化厅",
    "工信厅",
    "发展改革委",
    "财政厅",
    "商务厅",
    "科技厅",
    "人力资源社会保障厅",
    "人社厅",
    "农业农村厅",
    "住房城乡建设厅",
    "住建厅",
    "交通运输厅",
    "水利厅",
    "教育厅",
    "公安厅",
    "民政厅",
    "审计厅",
    "自然资源厅",
    "生态环境厅",
    "应急管理厅",
    "国资委",
    "扶贫办",
    "乡村振兴局",
)
# A short name or institution 市 only counts after a character that cannot join it into a word.
_JOINERS = set("和与及、的在由对向经从为到是将被把给省，,。;；：:“”\"'（）()《》 \n\t")
_RANK_BEFORE_ZONE = frozenset("级类型")
_ADJACENT_CITY = 1  # characters allowed between a city and its county (聊城市茌平区, 聊城市 茌平区)
_STREET_WORDS = ("路", "街", "巷", "大道", "大街", "村", "小区", "社区")
_STREET = re.compile("|".join(_STREET_WORDS))
_STREET_FIRSTS = frozenset(word[0] for word in _STREET_WORDS)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_OCR_TOKEN = re.compile(r"[\u4e00-\u9fff]{2,4}")
# Where a name can start: a CJK character right after a non-CJK one (a comma, a digit, a line
# start). Found by one regex pass instead of a character-by-character loop.
_NAME_START = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]")
# County names that are words or generic parts of a city elsewhere (新城区 "the new town", 城区,
# 郊区): outside their own province they count only right after their city or province.
_GENERIC_COUNTY = re.compile(r"^(?:[东西南北中新老]?城[东西南北中关]?|[东西中新郊矿]|市中|开发|高新|经开)区$")


# Variant characters the traditional-to-simplified step leaves as they are (陜西, as 人民日报's
# traditional edition prints 陕西): a name holding the simplified one is also matched so written.
_VARIANTS = {"陕": "陜"}
_VARIANT_RE = re.compile("|".join(_VARIANTS))


@dataclass(frozen=True)
class _Row:
    adcode: str
    name: str
    shorts: tuple[str, ...]
    aliases: tuple[str, ...]
    province: str
    city: str
    county: str
    level: str
    former_of: str
    valid_until: str


@dataclass(frozen=True)
class _Entry:
    """One meaning of a surface form: what it refers to, how it was written, and where it is safe.

    ``scope`` is the one province on whose pages the form counts by itself (临清 on Shandong's,
    秦安 on Gansu's); elsewhere it counts only right after its city or province. "" = anywhere.
    """

    # place | listonly | zonekind | blocker | nation | province_word | home_city | county_deictic | implicit
    kind: str
    how: str
    place: Place | None = None
    scope: str = ""


def default_province() -> str:
    """The home province when a page says nothing of its own: ``CAMPAIGN_TRACKER_PROVINCE`` or 山东省."""
    return os.environ.get(PROVINCE_SETTING, "").strip() or PROVINCE


def _split(value: str) -> tuple[str, ...]:
    return tuple(s for s in value.split("|") if s)


@cache
def _rows() -> tuple[_Row, ...]:
    text = resources.files("loaders").joinpath("data/gazetteer.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(
        _Row(
            r["adcode"],
            r["name"],
            _split(r["short"]),
            _split(r["aliases"]),
            r["province"],
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
        return Place(row.adcode, row.name, row.name, "", "province", row.name)
    if row.level == "city":
        return Place(row.adcode, row.name, row.name, "", "city", row.province)
    if row.level == "county":
        return Place(row.adcode, row.name, row.city, row.name, "county", row.province)
    if row.level == "zone":
        return Place(row.adcode, row.name, row.city, row.county, "zone", row.province)
    if row.level == "region":
        return Place(row.adcode, row.name, NATION.name, "", "region", "")
    return Place(row.adcode, row.name, row.city, row.county, "outside", "")


@cache
def _places_by_name() -> dict[str, tuple[Place, ...]]:
    found: dict[str, list[Place]] = {}
    for row in _rows():
        if row.level != "former":
            found.setdefault(row.name, []).append(_current_place(row))
    return {name: tuple(p) for name, p in found.items()}


@cache
def _regions() -> dict[str, Place]:
    """Provinces by full name, and the four municipalities (重庆市 is a province and its own city)."""
    return {
        row.name: _current_place(row)
        for row in _rows()
        if row.level == "province" or (row.level == "city" and row.name == row.province)
    }


def _province_place(name: str) -> Place:
    return _regions().get(name) or _regions()[PROVINCE]


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
        entries = table.setdefault(surface, [])
        if not any(e.place == entry.place and e.kind == entry.kind for e in entries):
            entries.append(entry)

    for row in _rows():
        if row.level == "zone" and not row.city:
            for surface in (row.name, *row.shorts):
                add(surface, _Entry("zonekind", "zone"))
            continue
        place = _place_of_row(row)
        how = {"former": "former", "zone": "zone"}.get(row.level, "exact")
        county_like = row.level in ("county", "former") and (
            len(row.name) == 2 or bool(_GENERIC_COUNTY.match(row.name)))
        add(row.name, _Entry("place", how, place, row.province if county_like else ""))
        for alias in row.aliases:
            add(alias, _Entry("place", how if how != "exact" else "short", place))
        for short in row.shorts:
            add(short, _Entry("place", how if how != "exact" else "short", place, row.province))
    for surface in [s for s in table if _VARIANT_RE.search(s)]:
        for entry in table[surface]:
            add(_VARIANT_RE.sub(lambda m: _VARIANTS[m.group()], surface), entry)
    for word in NATION_WORDS:
        add(word, _Entry("nation", "exact", NATION))
    for word in DOMESTIC_WORDS + NATION_BODIES:
        add(word, _Entry("nation", "domestic", NATION))
    for word in PROVINCE_WORDS:
        add(word, _Entry("province_word", "deictic"))
    for word in HOME_CITY_WORDS:
        add(word, _Entry("home_city", "deictic"))
    for word in COUNTY_DEICTICS:
        add(word, _Entry("county_deictic", "deictic"))
    for suffix in INSTITUTIONS:
        add("市" + suffix, _Entry("implicit", "implicit"))
        add("省" + suffix, _Entry("implicit", "implicit", NATION, "province"))
        add("自治区" + suffix, _Entry("implicit", "implicit", NATION, "autonomous"))
    stopwords = set(_stopwords())
    for row in _rows():
        # A city whose short name is a word first (大庆, 大同, 中山, 安康) is written bare in lists
        # of places (哈尔滨、大庆、齐齐哈尔): there, and only there, the short name counts.
        base = row.name[:-1]
        if (row.level == "city" and row.name.endswith("市") and row.name != row.province and not row.shorts
                and len(base) >= 2 and base not in table and base not in stopwords):
            add(base, _Entry("listonly", "short", _current_place(row), row.province))
    for word in stopwords:
        if word not in table:
            add(word, _Entry("blocker", ""))
    return {surface: tuple(entries) for surface, entries in table.items()}


@cache
def _automaton(province: str) -> tuple[ahocorasick_rs.AhoCorasick, tuple[str, ...]]:
    """The forms that count on ``province``'s pages in one Aho–Corasick automaton: a page is
    scanned once, longest form first, whatever the list's size. Another province's short forms
    are left out (秦安 is no place on a Shandong page); ``_scoped_children`` finds them after
    their city or province."""
    words = tuple(surface for surface, entries in _surfaces().items()
                  if any(not e.scope or e.scope == province or e.kind in ("implicit", "listonly")
                         for e in entries))
    return ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest), words


# What a mention tells the mentions after it (``_effects``): the city it names, and whether it is
# the last county or zone, the last autonomous region, the last 市, another province's unit.
_Effects = tuple[str, bool, bool, bool, bool]
# A form that means one place wherever it stands (most of them): the place, how it is written,
# the confidence, the characters after it that call for a closer look (a street, 县长, 区域, a
# zone word), and its ``_Effects``.
_Plain = tuple[Place, str, float, frozenset[str], _Effects]
_Form = tuple[str, tuple[_Entry, ...], bool, int, str, "_Plain | None"]


def _effects(place: Place, how: str, province: str) -> _Effects:
    """What a mention of ``place`` (written ``how``) tells the mentions after it on ``province``'s
    pages: the city it lies in (茌平区 → 聊城市, to choose among shared names), whether it is the
    county or zone 全县/该区 may point back to, the autonomous region 自治区人民政府 is, the 市
    该市 is, and whether it is another province's city or province whose units may follow it by
    short name (重庆奉节)."""
    level = place.level
    named = how not in ("deictic", "implicit")
    return (place.city if level in ("city", "county", "zone") and place.city else "",
            level in ("county", "zone") and how != "deictic",
            level == "province" and named and place.name.endswith("自治区"),
            named and (level == "city" or (level == "county" and place.name[-1] == "市")),
            level in ("city", "province") and place.province not in ("", province))


def _plain(surface: str, entries: tuple[_Entry, ...], province: str) -> _Plain | None:
    """The finder's answer for a form that means one place wherever it stands, worked out once
    (None for any other form): a page names the same few places again and again."""
    if len(entries) != 1:
        return None
    kind = entries[0].kind
    if kind == "nation":  # 全国, 国内: the nation, as the finder's own branch for them gives it
        place, how = entries[0].place, entries[0].how
        assert place is not None  # the nation's entry names it
        return place, how, CONFIDENCE[how], frozenset(), _effects(place, how, province)
    if kind == "province_word":  # 我省, 全省: the page's province
        place = _province_place(province)
        return place, "deictic", CONFIDENCE["deictic"], frozenset(), _effects(place, "deictic", province)
    if kind != "place" or entries[0].place is None:
        return None
    place, how = entries[0].place, entries[0].how
    closer_look = set(_STREET_FIRSTS) if how == "short" else set()
    if len(surface) == 2 and surface[-1] == "县":
        closer_look.add("长")
    if surface[-1] == "区":
        closer_look.add("域")
    if place.level in ("city", "county"):
        closer_look |= _zone_kind_firsts()
    return place, how, CONFIDENCE[how], frozenset(closer_look), _effects(place, how, province)


@cache
def _automaton_forms(province: str) -> tuple[_Form, ...]:
    """For each form of ``_automaton(province)``, by its index there: the form, its meanings,
    whether one of them is scoped to another province (``_scoped_forms``), its length, its
    first meaning's kind and, for a form of one plain meaning, that meaning (``_plain``) — what
    the finder asks of every match, asked once per form."""
    surfaces, scoped = _surfaces(), _scoped_forms(province)
    return tuple((word, surfaces[word], word in scoped, len(word), surfaces[word][0].kind,
                  None if word in scoped else _plain(word, surfaces[word], province))
                 for word in _automaton(province)[1])


@cache
def _province_index(province: str) -> tuple[int, ...]:
    """For each form of ``_every_form``, by its index there: its index in ``_automaton(province)``,
    or -1 for a form that does not count on ``province``'s pages (another province's 秦安)."""
    mine = {word: index for index, word in enumerate(_automaton(province)[1])}
    return tuple(mine.get(word, -1) for word in _every_form()[1])


@cache
def _form_alphabet() -> frozenset[str]:
    """Every character some form holds; any other is a break (``_form_break``)."""
    return frozenset("".join(_surfaces()))


@cache
def _form_break() -> re.Pattern[str]:
    """A character no form holds (a comma, a digit, a line end): no match spans it, so a scan
    started anywhere before it finds the same matches after it, whatever it found before."""
    return re.compile("[^" + "".join(re.escape(ch) for ch in sorted(_form_alphabet())) + "]")


def _scan_to_break(text: str, start: int, province: str,
                   until: int = -1) -> tuple[list[tuple[int, int, int]], int]:
    """``_automaton(province)``'s matches from ``start`` up to the first break (``_form_break``)
    at or after ``until`` (default: ``start``) and that break: after it, any earlier scan's
    matches stand as they are."""
    found = _form_break().search(text, max(start, until))
    stop = found.start() if found else len(text)
    return [(index, lo + start, hi + start) for index, lo, hi in
            _automaton(province)[0].find_matches_as_indexes(text[start:stop])], stop


def _province_matches(text: str, province: str,
                      every_found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """``_automaton(province)``'s matches in ``text``, read off its scan with every form
    (``every_found``, from ``_every_form``) instead of scanning the page again.

    Both scans take the leftmost, longest form; while the one with every form finds only forms
    that count on ``province``'s pages, the province's scan finds the same ones (it has no longer
    form to find). Where it finds one that does not count (秦安 on a Shandong page), the
    province's own scan is made from the last match up to the next break, after which the two
    agree again.
    """
    to_province = _province_index(province)
    found: list[tuple[int, int, int]] = []
    resume = skip_to = 0  # where the province's scan goes on; what the local scan has covered
    for index, start, end in every_found:
        if start < skip_to:
            continue
        mine = to_province[index]
        if mine >= 0:
            found.append((mine, start, end))
            resume = end
        else:
            local, skip_to = _scan_to_break(text, resume, province, end)
            found.extend(local)
            resume = skip_to
    return found


@cache
def _scoped_forms(province: str) -> frozenset[str]:
    """The forms on ``province``'s pages with a meaning scoped to another province (临清 on a
    Gansu page), whose meanings must be checked against the mention before; every other form's
    meanings all count as they stand."""
    return frozenset(surface for surface, entries in _surfaces().items()
                     if entries[0].kind == "place" and any(e.scope and e.scope != province for e in entries))


@cache
def _scoped_children() -> dict[str, dict[str, tuple[_Entry, ...]]]:
    """City or province name → its units' scoped forms (重庆市 → {奉节: 奉节县, …})."""
    found: dict[str, dict[str, list[_Entry]]] = {}
    for surface, entries in _surfaces().items():
        for e in entries:
            place = e.place
            if e.scope and place is not None:
                # built on the first page naming another province's city: the parents written
                # out, not as a set difference for each of the ~5000 entries
                city, province = place.city, place.province
                for parent in (city, province) if city != province else (city,):
                    if parent and parent != place.name:
                        found.setdefault(parent, {}).setdefault(surface, []).append(e)
    return {parent: {s: tuple(es) for s, es in forms.items()} for parent, forms in found.items()}


@cache
def _scoped_children_firsts() -> dict[str, frozenset[str]]:
    """City or province name → the characters its units' scoped forms begin with."""
    return {parent: frozenset(surface[0] for surface in forms)
            for parent, forms in _scoped_children().items()}


def _scoped_after(text: str, prev: PlaceMention, province: str) -> tuple[str, tuple[_Entry, ...]]:
    """A scoped form of ``prev``'s own unit written right after it (重庆奉节, 甘肃省天水市), if any."""
    if prev.place is None or prev.place.level not in ("city", "province"):
        return "", ()
    forms = _scoped_children().get(prev.place.name)
    if not forms:
        return "", ()
    firsts = _scoped_children_firsts()[prev.place.name]
    for gap in range(_ADJACENT_CITY + 1):
        if text[prev.end + gap:prev.end + gap + 1] not in firsts:
            continue  # no form of the unit begins here
        for size in (6, 5, 4, 3, 2):
            surface = text[prev.end + gap:prev.end + gap + size]
            found = forms.get(surface)
            if found and len(surface) == size:
                entries = tuple(e for e in found if e.scope != province)
                if entries:
                    return surface, entries
    return "", ()


@cache
def _zone_words() -> tuple[str, ...]:
    """The zone words (经济开发区, 高新区 …), looked for among the forms once for both their uses."""
    return tuple(s for s, entries in _surfaces().items() if any(e.kind == "zonekind" for e in entries))


@cache
def _zone_kind() -> re.Pattern[str]:
    """The zone words, longest first, to extend a place into its zone."""
    return re.compile("|".join(re.escape(k) for k in sorted(_zone_words(), key=len, reverse=True)))


@cache
def _zone_kind_firsts() -> frozenset[str]:
    """The characters a zone word begins with: elsewhere no zone word can start."""
    return frozenset(s[0] for s in _zone_words())


def _zone_kind_at(text: str, pos: int) -> int:
    """End of the zone word (经济开发区, 高新区) starting at ``pos``, or 0."""
    found = _zone_kind().match(text, pos)
    return found.end() if found else 0


@cache
def _ocr_targets(province: str) -> dict[tuple[int, str], tuple[tuple[str, Place], ...]]:
    """The province's county-level names (current and former) of 3+ characters, by length and suffix."""
    targets: dict[tuple[int, str], list[tuple[str, Place]]] = {}
    for row in _rows():
        if (row.level in ("county", "former") and row.province == province and len(row.name) >= 3
                and row.name[-1] in "区县市"):
            place = _place_of_row(row)
            if place.level == "county":
                targets.setdefault((len(row.name), row.name[-1]), []).append((row.name, place))
    return {key: tuple(v) for key, v in targets.items()}


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _home_place(home_city: str) -> Place | None:
    return resolve_place(home_city) if home_city else None


@cache
def _home_setting(home_city: str, default: str) -> tuple[Place | None, str, Place]:
    """The home place ``home_city`` names, the province whose forms count on its pages and that
    province's place, for the default province ``default`` (兰州市 → 兰州市, 甘肃省, 甘肃省): a
    question of the gazetteer alone, so answered once per home, not once per article."""
    home = _home_place(home_city)
    province = home.province if home is not None and home.province else default
    return home, province, _province_place(province)


@cache
def _settled_home(home_city: str) -> tuple[Place, str, Place] | None:
    """``_home_setting`` for a home whose setting the default province cannot change: a name of
    one place that lies in a province (聊城市, 兰州市, 河北省); None for "", 全国 or a name several
    units share (市中区). Each article asks it, without reading the environment's setting."""
    found = {e.place for e in _surfaces().get(home_city, ()) if e.kind in ("place", "nation") and e.place}
    if len(found) != 1:
        return None
    home = found.pop()
    return (home, home.province, _province_place(home.province)) if home.province else None


def _choose(places: list[Place], prefer_cities: list[str], province: str = "") -> Place:
    for city in prefer_cities:
        for place in places:
            if city and (place.city == city or place.province == city):
                return place
    home = [p for p in places if province and p.province == province]
    inland = [p for p in places if p.level != "outside"]
    return (home or inland or places)[0]


@cache
def _ocr_near(province: str) -> dict[str, tuple[Place, ...]]:
    """The province's OCR targets (``_ocr_targets``) under each of their names with one character
    masked (茌平区 → ·平区, 茌·区; the last, 区县市, stays): a slip differing from a name in one
    character is then found by as many dict look-ups as it has characters, not by comparing it
    with every name of its length."""
    near: dict[str, list[Place]] = {}
    for targets in _ocr_targets(province).values():
        for name, place in targets:
            for i in range(len(name) - 1):
                near.setdefault(f"{name[:i]}\0{name[i + 1:]}", []).append(place)
    return {key: tuple(found) for key, found in near.items()}


def _ocr_fix(token: str, scope_city: str, province: str) -> Place | None:
    """The one county-level unit whose name ``token`` differs from by a single character (not the
    last: 茌平县 is no slip of 茌平区), if there is exactly one (within ``scope_city`` if given)."""
    if token in _surfaces():
        return None
    near = _ocr_near(province)
    close: list[Place] = []
    for i in range(len(token) - 1):
        close.extend(near.get(f"{token[:i]}\0{token[i + 1:]}", ()))
    if scope_city:
        close = [place for place in close if place.city == scope_city]
    return close[0] if len(set(close)) == 1 else None


_SLIP_ENDS = frozenset("区县市")


def _possible_slips(text: str, province: str) -> list[tuple[int, int]]:
    """(start, size) of every token a slipped county name of ``province`` may be, in text order:
    3 or 4 CJK characters ending in 区/县/市 that begin where a name can (after a non-CJK
    character), are no form themselves, and differ from one of the province's county-level
    names by a single character (most such tokens: 先行区, 企业上市, 聊城市 itself, are none).
    Found once per article, from each 区/县/市 back (``str.find``, far fewer than the
    characters); each gap between mentions then looks up its own by bisect."""
    surfaces, near = _surfaces(), _ocr_near(province)
    found = []
    for end_char in "区县市":
        at = text.find(end_char, 2)
        while at >= 0:
            if "\u4e00" <= text[at - 1] <= "\u9fff" and "\u4e00" <= text[at - 2] <= "\u9fff":
                if at == 2 or not "\u4e00" <= text[at - 3] <= "\u9fff":
                    token = text[at - 2:at + 1]
                    if token not in surfaces and (f"\0{token[1:]}" in near
                                                  or f"{token[0]}\0{end_char}" in near):
                        found.append((at - 2, 3))
                elif at == 3 or not "\u4e00" <= text[at - 4] <= "\u9fff":
                    token = text[at - 3:at + 1]
                    if token not in surfaces and (f"\0{token[1:]}" in near
                                                  or f"{token[0]}\0{token[2:]}" in near
                                                  or f"{token[:2]}\0{end_char}" in near):
                        found.append((at - 3, 4))
            at = text.find(end_char, at + 1)
    found.sort()
    return found


def _slips_in(text: str, lo: int, hi: int, after_place: bool,
              candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The candidates (``_possible_slips``) lying in the gap ``text[lo:hi]``, and right after a
    place the tokens at ``lo`` itself (莘县在平区: a slip may follow a name with no comma)."""
    found = []
    if after_place and lo < hi and _is_cjk(text[lo]) and lo > 0 and _is_cjk(text[lo - 1]):
        for size in (3, 4):
            end = lo + size
            if end <= hi and text[end - 1] in "区县市" and _OCR_TOKEN.fullmatch(text, lo, end):
                found.append((lo, size))
    i = bisect.bisect_left(candidates, (lo, 0))
    while i < len(candidates) and candidates[i][0] < hi:
        if candidates[i][0] + candidates[i][1] <= hi:
            found.append(candidates[i])
        i += 1
    return found


def _ocr_mentions(text: str, tokens: list[tuple[int, int]], scope_city: str,
                  province: str) -> list[PlaceMention]:
    """OCR slips among ``tokens`` (``_slips_in``: the possible ones of a gap between two found
    mentions), the first fix at a start winning.

    A slip is only looked for where a name can start — after a place, or after a non-CJK
    character — so 在平区 after a comma is 茌平区, but 存在平区域 is never looked at.
    """
    found: list[PlaceMention] = []
    skip_to = 0
    for pos, size in tokens:
        if pos < skip_to:
            continue
        fixed = _ocr_fix(text[pos:pos + size], scope_city, province)
        if fixed:
            found.append(PlaceMention(fixed, pos, pos + size, text[pos:pos + size], "ocr", CONFIDENCE["ocr"]))
            skip_to = pos + size
    return found


def _in_context(entry: _Entry, prev: PlaceMention | None, start: int) -> bool:
    """A scoped form right after its own city or province: 重庆奉节, 甘肃省天水市, 聊城冠县."""
    if prev is None or prev.place is None or entry.place is None or start - prev.end > _ADJACENT_CITY:
        return False
    return prev.place.name in (entry.place.city, entry.place.province) and prev.place.level != "county"


@dataclass(frozen=True)
class PageScan:
    """A page's text and its scan with every form (``_every_form``), made once (``scan_page``):
    the page's home place and each of its articles read their forms off it
    (``home_place_of(…, scan=)``, ``find_place_mentions(…, page=)``) instead of scanning the
    same text again, article by article."""

    text: str
    # province → the page's matches of ``_automaton(province)`` and their starts, read off
    # ``found`` the first time an article (or the home's vote) of that province asks
    by_province: dict[str, tuple[list[tuple[int, int, int]], list[int]]] = field(
        default_factory=dict, compare=False, repr=False)
    # where the last text read off it (``_found_on_page``) begins on the page: a page's articles
    # come in its order, so the next one's parts are looked for from there first
    last_start: list[int] = field(default_factory=lambda: [0], compare=False, repr=False)

    @cached_property
    def found(self) -> list[tuple[int, int, int]]:
        """(form's index in _every_form, start, end) of each match, in text order: scanned the
        first time the home's vote or an article asks (a page whose paper gives its home and
        that holds no article needs no scan)."""
        return _every_form()[0].find_matches_as_indexes(self.text)


def scan_page(page_text: str) -> PageScan:
    """The page's ``PageScan``: one pass of the automaton with every form over its text, made
    when first read."""
    return PageScan(page_text)


def _page_matches(page: PageScan, province: str) -> tuple[list[tuple[int, int, int]], list[int]]:
    """The page's matches of ``_automaton(province)`` (``_province_matches``) and their starts,
    worked out once per page: its articles all share one home province."""
    known = page.by_province.get(province)
    if known is None:
        found = _province_matches(page.text, province, page.found)
        known = page.by_province[province] = found, [start for _index, start, _end in found]
    return known


def _found_on_page(page: PageScan, text: str, province: str) -> list[tuple[int, int, int]] | None:
    """``text``'s matches of ``_automaton(province)``, read off its page's (``_page_matches``):
    each of its parts (headline, body …, joined by blank lines) is found on the page between two
    breaks (``_form_break``), where the page's matches are the part's own, as no match spans a
    break and a scan started at one finds what any scan before it finds after it. Parts the page
    prints one after another, as a body's paragraphs, are one stretch of it: found once, read by
    one bisect. None where a part is not so found (a headline the page prints otherwise): the
    text is then scanned itself."""
    page_text, alphabet = page.text, _form_alphabet()
    page_found, page_starts = _page_matches(page, province)
    if text == page_text:
        return page_found
    stretches: list[list[int]] = []  # [start, end, shift] on the page of each run of parts printed together
    offset, size = 0, len(text)
    hint = page.last_start[0]
    for part in text.split("\n\n"):
        if part:
            last = stretches[-1] if stretches else None
            if (last is not None and offset - last[2] == last[1] + 2
                    and page_text.startswith("\n\n", last[1]) and page_text.startswith(part, last[1] + 2)):
                last[1] += 2 + len(part)
            else:
                # any place the page prints the part between breaks will do (the matches there
                # are the part's own): after the last text's start first, else the first one
                at = page_text.find(part, hint)
                if at < 0 or (at and page_text[at - 1] in alphabet):
                    at = page_text.find(part) if hint else -1
                    if at < 0 or (at and page_text[at - 1] in alphabet):
                        return None
                rest = size - offset
                if rest > len(part) and page_text[at:at + rest] == text[offset:]:
                    # the page prints the rest of the text as it stands (a body after its
                    # byline, most often): one stretch, its parts not compared one by one
                    stretches.append([at, at + rest, offset - at])
                    break
                stretches.append([at, at + len(part), offset - at])
        offset += len(part) + 2
    found: list[tuple[int, int, int]] = []
    for at, end, shift in stretches:
        if page_text[end:end + 1] in alphabet:
            return None
        lo = bisect.bisect_left(page_starts, at)
        hi = bisect.bisect_left(page_starts, end, lo)
        found.extend([(index, start + shift, stop + shift) for index, start, stop in page_found[lo:hi]])
    if stretches:
        page.last_start[0] = min(stretches)[0]
    return found


def find_place_mentions(text: str, home_city: str = "", ocr: bool = True,
                        page: PageScan | None = None) -> list[PlaceMention]:
    """All place mentions in ``text`` in order; deictic words (我市, 该县 …) resolved where possible.

    ``home_city`` is the page's home place (聊城市, 兰州市, or a province such as 山东省 or 河北省
    for a provincial paper; "" for the default province): it resolves 我省/我市, a bare 高新区, a
    name several units share, which short forms count, and the scope of OCR fixes; ``ocr=False``
    skips the look for slipped names where only the well-spelled ones matter.
    ``page``: the scan of the page ``text`` is part of (``scan_page``), if made, which spares the
    text's own scan.
    Example: ``find_place_mentions("2022年,在平区规模以上", "聊城市")`` → 茌平区 (how ``ocr``).
    """
    surfaces = _surfaces()
    home, province, province_place = (_settled_home(home_city)
                                      or _home_setting(home_city, default_province()))
    scoped_forms = _scoped_forms(province)
    home_is_city = home is not None and home.level == "city"
    mentions: list[PlaceMention] = []
    last_city = home_city if home_is_city else ""
    last_local: Place | None = None
    last_shi: Place | None = None  # the last city or county-level 市 named
    last_autonomous: Place | None = None  # the last autonomous region named (西藏自治区…自治区人民政府)
    gap_start, gap_after_place = 0, False
    # the tokens a slip may be that begin where a name can, kept only where one may be a slip
    slip_candidates = _possible_slips(text, province) if ocr else []
    slip_starts = [pos for pos, _size in slip_candidates]
    slip_count = len(slip_starts)
    next_slip = 0  # the first of ``slip_starts`` at or after ``gap_start``, which only grows

    def scope() -> str:
        prev = mentions[-1] if mentions else None
        if prev and prev.place and prev.place.level == "city" and gap_start - prev.end <= _ADJACENT_CITY:
            return prev.place.name
        return last_city if last_city in _cities_by_name() else ""

    def usable(surface: str, start: int) -> tuple[_Entry, ...]:
        entries = surfaces[surface]
        if surface not in scoped_forms:
            return entries
        prev = mentions[-1] if mentions else None
        return tuple(e for e in entries if not e.scope or e.scope == province or _in_context(e, prev, start))

    # the automaton's (form, start, end) in one pass, walked in order; a scoped form found after
    # its city (``pending``) restarts the walk after that form, up to the next break (``_form_break``)
    forms = _automaton_forms(province)
    found = _found_on_page(page, text, province) if page is not None else None
    if found is None:
        found = _automaton(province)[0].find_matches_as_indexes(text)
    zone_firsts = _zone_kind_firsts()
    place: Place | None  # the place of the mention at hand; None for a deictic left unresolved
    pending: tuple[str, tuple[_Entry, ...]] = ("", ())  # the scoped form at index -1
    matches: Iterator[tuple[int, int, int]] | None = iter(found)
    while matches is not None:
        walk, matches = matches, None
        for index, start, _end in walk:
            if index < 0:
                surface, entries = pending
                size, kind, plain = len(surface), entries[0].kind, None
            else:
                if start < gap_start:
                    continue  # inside a zone's name the mention before took in (高唐经济开发区)
                surface, entries, scoped, size, kind, plain = forms[index]
                if scoped:
                    entries = usable(surface, start)
                    kind = entries[0].kind
            end = start + size
            if start > gap_start and ocr:
                while next_slip < slip_count and slip_starts[next_slip] < gap_start:
                    next_slip += 1
                # a token right after a place must end before the next match (_slips_in)
                if ((gap_after_place and ((text[gap_start + 2:gap_start + 3] in _SLIP_ENDS
                                           and gap_start + 3 <= start)
                                          or (text[gap_start + 3:gap_start + 4] in _SLIP_ENDS
                                              and gap_start + 4 <= start)))
                        or (next_slip < slip_count and slip_starts[next_slip] < start)):
                    slips = _slips_in(text, gap_start, start, gap_after_place, slip_candidates)
                    if slips:
                        mentions.extend(_ocr_mentions(text, slips, scope(), province))
            if plain is not None and text[end:end + 1] not in plain[3]:
                # one place, nothing after it to look at: the answer worked out for the form
                place, how, confidence, _closer_look, effects = plain
                mentions.append(PlaceMention(place, start, end, surface, how, confidence))
                gap_start, gap_after_place = end, True
            else:
                gap_start, gap_after_place = end, False
                mention: PlaceMention | None = None
                if kind == "place":
                    if len(entries) == 1:  # most forms mean one place: nothing to choose
                        place, how = entries[0].place, entries[0].how
                        assert place is not None  # a place form's entry names its place
                    else:
                        prev = mentions[-1] if mentions else None
                        adjacent = (
                            prev.place.name
                            if prev and prev.place and prev.place.level in ("city", "province")
                            and start - prev.end <= _ADJACENT_CITY
                            else ""
                        )
                        place = _choose([e.place for e in entries if e.place],
                                        [adjacent, home_city, last_city], province)
                        how = next(e.how for e in entries if e.place == place)
                    after = text[end:end + 1]
                    if how == "short" and after in _STREET_FIRSTS and _STREET.match(text, end):
                        continue
                    last = surface[-1]
                    if (last == "县" and after == "长" and size == 2) or (last == "区" and after == "域"):
                        continue
                    if after in zone_firsts and place.level in ("city", "county"):
                        zone_end = _zone_kind_at(text, end)
                        if zone_end:
                            end = zone_end
                            place = Place("", text[start:end], place.city, place.county, "zone",
                                          place.province)
                            how = "zone"
                    mention = PlaceMention(place, start, end, text[start:end], how, CONFIDENCE[how])
                elif kind == "blocker":
                    continue
                elif kind == "listonly":
                    prev = mentions[-1] if mentions else None
                    if not (_in_list(text, start, end, prev) or _in_context(entries[0], prev, start)):
                        continue  # 黑龙江大庆, 哈尔滨、大庆: the city; 国庆大庆: a word
                    place = entries[0].place
                    mention = PlaceMention(place, start, end, surface, "short", CONFIDENCE["short"])
                elif kind == "zonekind":
                    if start and text[start - 1] in _RANK_BEFORE_ZONE:
                        continue  # 争创国家级开发区, 省级高新区: a rank of zone, not one zone
                    city = home.name if home is not None and home_is_city else ""
                    name = f"{city}{surface}" if city else surface
                    mention = PlaceMention(
                        Place("", name, city, "", "zone", province if city else ""),
                        start,
                        end,
                        surface,
                        "zone",
                        CONFIDENCE["zone"] if city else 0.5,
                    )
                elif kind == "nation":
                    mention = PlaceMention(
                        entries[0].place, start, end, surface, entries[0].how, CONFIDENCE[entries[0].how]
                    )
                elif kind == "province_word":
                    mention = PlaceMention(province_place, start, end, surface, "deictic",
                                           CONFIDENCE["deictic"])
                elif kind == "home_city":
                    if surface.endswith("市") and text[end : end + 1] == "场":
                        continue
                    # on a province's paper, 全市 is the 市 just named (济南市…全市新签约项目32个)
                    meant = home if home_is_city else (last_shi if surface == "全市" else None)
                    mention = PlaceMention(meant, start, end, surface, "deictic", CONFIDENCE["deictic"])
                elif kind == "county_deictic":
                    after = text[end:end + 1]
                    if after in "域城份" or (surface.endswith("市") and after == "场"):
                        continue
                    if surface == "该市":
                        local = last_shi  # 临清市…该市, 聊城市…该市: the last 市 named, county-level or not
                    elif surface[-1] == "区" and province.endswith("自治区"):
                        local = province_place
                    else:
                        local = _deictic_county(surface, last_local)
                    mention = PlaceMention(local, start, end, surface, "deictic", CONFIDENCE["deictic"])
                elif kind == "implicit":
                    if start and text[start - 1] not in _JOINERS:
                        continue
                    scope_word = entries[0].scope
                    if scope_word == "autonomous":
                        # 经自治区人民政府研究: the autonomous region just named, or the page's own
                        place = last_autonomous or (province_place if province.endswith("自治区") else None)
                    else:
                        place = (province_place if scope_word == "province"
                                 else home if home_is_city else None)
                    if place is None:
                        continue
                    size = 3 if scope_word == "autonomous" else 1
                    mention = PlaceMention(place, start, start + size, surface[:size], "implicit",
                                           CONFIDENCE["implicit"])
                if mention is None:
                    continue
                mentions.append(mention)
                place = mention.place
                gap_start, gap_after_place = mention.end, place is not None
                if place is None:
                    continue
                effects = _effects(place, mention.how, province)
            new_city, is_local, is_autonomous, is_shi, elsewhere = effects
            if new_city:
                last_city = new_city
            if is_local:
                last_local = place
            if is_autonomous:
                last_autonomous = place
            if is_shi:
                last_shi = place
            if elsewhere:
                child, child_entries = _scoped_after(text, mentions[-1], province)
                at = text.find(child, mentions[-1].end) if child else -1
                longer = at >= 0 and any(text[at:at + k] in surfaces and usable(text[at:at + k], at)
                                         for k in range(len(child) + 1, 9))
                if child and not longer:
                    # the walk goes on with the form, then the forms after it up to the next
                    # break, scanned afresh, then the walk's own matches after that break
                    pending = (child, child_entries)
                    restart, stop = _scan_to_break(text, at + len(child), province)
                    matches = chain([(-1, at, at + len(child))], restart, _starting_at(walk, stop))
                    break
    if gap_start < len(text) and ocr:
        slips = _slips_in(text, gap_start, len(text), gap_after_place, slip_candidates)
        if slips:
            mentions.extend(_ocr_mentions(text, slips, scope(), province))
    return mentions


def _starting_at(matches: Iterator[tuple[int, int, int]], stop: int) -> Iterator[tuple[int, int, int]]:
    """The automaton's ``matches`` (form, start, end) from the first that starts at ``stop`` on."""
    return dropwhile(lambda match: match[1] < stop, matches)


def _in_list(text: str, start: int, end: int, prev: PlaceMention | None) -> bool:
    """Whether the form at ``start:end`` is an item of a list of places: right after a city or
    county and a 、 (哈尔滨、大庆), or before a 、 and a place name (大庆、齐齐哈尔)."""
    if (prev is not None and prev.place is not None and prev.place.level in ("city", "county")
            and text[prev.end:start] == "、"):
        return True
    if text[end:end + 1] != "、":
        return False
    surfaces = _surfaces()
    return any(entries[0].kind in ("place", "listonly") for entries in
               (surfaces.get(text[end + 1:end + 1 + k], ()) for k in range(2, 7)) if entries)


def _deictic_county(word: str, last: Place | None) -> Place | None:
    """The county or zone a county-level deictic (全区, 该县, 该市) points back to, if of its kind.

    ``莱芜区坚持项目为王…全区累计洽谈引进项目254个``: 全区 is 莱芜区; after 高唐县, 全区 is none.
    """
    if last is None:
        return None
    kind = word[-1]
    if last.level == "zone":
        return last if kind == "区" else None
    return last if last.name.endswith(kind) else None


def resolve_place(name: str, home_city: str = "") -> Place | None:
    """A place name as written (full, short, former or slipped) → the one place it means.

    Example: ``resolve_place("茌平县")`` → 茌平区 of 聊城市; ``resolve_place("市中区", "枣庄市")``
    → 枣庄's 市中区; ``resolve_place("奉节")`` → 奉节县 of 重庆市; ``resolve_place("全国")`` → the nation.
    """
    name = name.strip()
    if not name:
        return None
    entries = _surfaces().get(name, ())
    places = [e.place for e in entries if e.kind in ("place", "nation") and e.place]
    if places:
        home = _place_by_name(home_city) if home_city else None
        province = home.province if home is not None and home.province else default_province()
        return _choose(places, [home_city], province)
    if any(e.kind == "province_word" for e in entries):
        home = _place_by_name(home_city) if home_city else None
        return _province_place(home.province if home is not None and home.province else default_province())
    if any(e.kind == "zonekind" for e in entries):
        home = _home_place(home_city)
        city = home.name if home and home.level == "city" else ""
        return Place("", f"{city}{name}", city, "", "zone", home.province if home and city else "")
    if not _may_be_one_mention(name):
        return None
    mentions = [m for m in find_place_mentions(name, home_city) if m.place]
    if len(mentions) == 1 and mentions[0].text == name:
        return mentions[0].place
    return None


@cache
def _form_sizes() -> tuple[int, ...]:
    """The lengths the forms have (``_surfaces``), shortest first."""
    return tuple(sorted({len(surface) for surface in _surfaces()}))


def _may_be_one_mention(name: str) -> bool:
    """Whether the finder could read ``name`` whole as one mention: only where a form begins it
    (the finder's first match starts at 0 only then) or where it is a token a slip may be (3 or
    4 CJK characters ending in 区/县/市). Most names ``resolve_place`` is asked that no form
    means (a figure's label: 规模以上工业增加值) are then answered without the finder."""
    surfaces = _surfaces()
    for size in _form_sizes():
        if size > len(name):
            break
        if name[:size] in surfaces:
            return True
    return len(name) in (3, 4) and name[-1] in _SLIP_ENDS and _OCR_TOKEN.fullmatch(name) is not None


def _place_by_name(name: str) -> Place | None:
    """A current unit by full name, without the finder (the home place's own lookup)."""
    found = _places_by_name().get(name, ())
    return found[0] if found else None


@cache
def _cities_by_name() -> dict[str, Place]:
    return {row.name: _current_place(row) for row in _rows() if row.level == "city"}


@cache
def _province_by_unit_name() -> dict[str, str]:
    """Each province's and each city's full name → its province (one look-up per figure)."""
    found = {name: place.province for name, place in _cities_by_name().items()}
    found.update((name, place.province) for name, place in _regions().items())
    return found


def province_of(city: str) -> str:
    """The province a figure's city lies in: 聊城市 → 山东省, 兰州市 → 甘肃省, 河北省 → 河北省,
    重庆市 → 重庆市; "" where unknown or national (全国)."""
    known = _province_by_unit_name().get(city)
    if known is not None:
        return known
    found = resolve_place(city) if city else None
    return found.province if found is not None and found.level != "nation" else ""


def provinces() -> list[str]:
    """Every provincial-level unit's full name in adcode order (北京市 … 新疆维吾尔自治区)."""
    return list(_province_names())


@cache
def _province_names() -> tuple[str, ...]:
    return tuple(p.name for p in sorted(_regions().values(), key=lambda p: p.adcode))


def capital_of(province: str) -> str:
    """The province's capital (its first prefecture by adcode: 兰州市 for 甘肃省), or the municipality."""
    place = _regions().get(province)
    if place is None:
        return ""
    if place.level == "city":
        return place.name
    code = place.adcode[:2] + "0100"
    return next((c.name for c in _cities_by_name().values() if c.adcode == code), "")


def all_cities(province: str = "") -> list[Place]:
    """The prefecture-level cities of ``province`` (default: the home province setting) in adcode
    order, for the map and the city filter: Shandong's 16, Hebei's 11 …"""
    wanted = province or default_province()
    return sorted((c for c in _cities_by_name().values() if c.province == wanted), key=lambda c: c.adcode)


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


@dataclass(frozen=True)
class Paper:
    name: str  # 大众日报
    province: str  # 山东省; 全国 for a national paper (人民日报), whose home the dateline gives
    city: str  # 聊城市 for a city's paper, "" for a province's


@cache
def papers() -> dict[str, Paper]:
    """The paper list (``loaders/data/papers.csv``): a paper's name → the place it is printed for."""
    text = resources.files("loaders").joinpath("data/papers.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {r["paper"]: Paper(r["paper"], r["province"], r["city"]) for r in reader}


def paper_home(paper: str) -> str:
    """The home place of a named paper: 大众日报 → 山东省, 聊城日报 → 聊城市; "" if national or unknown.

    A paper not in the list but named after its place is that place's: 泉州晚报 → 泉州市.
    """
    name = paper.strip().strip("《》")
    found = papers().get(name)
    if found is None:
        place = paper_place(name)
        return place.name if place is not None else ""
    if found.province == "全国":
        return ""
    return found.city or found.province


_PLACE_PAPER = re.compile(r"(?P<place>[\u4e00-\u9fff]{2,5}?)(?:日报|晚报|晨报|都市报)(?:社)?")


def paper_place(name: str) -> Place | None:
    """The city or province a paper's name begins with (泉州晚报 → 泉州市), else None (半岛都市报)."""
    m = _PLACE_PAPER.fullmatch(name)
    place = resolve_place(m.group("place")) if m else None
    return place if place is not None and place.level in ("city", "province") else None


_PAPER_CREDIT = re.compile(r"(?:讯|记者|社|[ \u3000]*\d{4}[-年])")
_SOURCE_BEFORE = re.compile(r"(?:来源|转自|稿源)[:：]\s*$")


@cache
def _longest_paper_name() -> int:
    return max((len(name) for name in papers()), default=0)


@cache
def _paper_name_tails() -> frozenset[str]:
    """The last three characters of each paper's name (城日报, 众日报 …): a 报 with other characters
    before it ends no paper's name, whatever its length."""
    return frozenset(name[-3:] for name in papers() if len(name) >= 3)


def paper_in_text(page_text: str) -> str:
    """The paper a page names as its own: in the masthead (its first lines), as the source
    (来源：河北日报), or over its own reports (河北日报讯, 甘肃日报记者). "" if none.

    Example: a page that begins ``甘肃日报\\n2020年08月25日`` → 甘肃日报.
    """
    names = papers()
    longest = _longest_paper_name()
    tails = _paper_name_tails()
    end = page_text.find("报") + 1
    while end:  # each 报 of the page, found by str.find (a regex tries every character)
        if end >= 3 and page_text[end - 3:end] in tails:  # 汇报, 报道: no paper's name ends so
            for size in range(longest, 2, -1):
                lo = end - size
                if lo < 0 or page_text[lo:end] not in names:
                    continue
                if ((lo < 40 and "。" not in page_text[:lo]) or _PAPER_CREDIT.match(page_text, end)
                        or _SOURCE_BEFORE.search(page_text, max(lo - 8, 0), lo)):
                    return page_text[lo:end]
                break
        end = page_text.find("报", end) + 1
    return ""


_DATELINE = re.compile(
    r"本报([\u4e00-\u9fff]{2,4}?)(?:\d{1,2}月\d{1,2}日)?(?:讯|电)|新华社([\u4e00-\u9fff]{2,4}?)\d{1,2}月\d{1,2}日电"
)


# A place after these is a partner or a destination (我省与重庆市签约, 赴甘肃考察), not the page's own.
_PARTNER_WORDS = ("与", "同", "赴", "向", "对口", "帮扶", "携手", "协作", "支援", "来自")


_NOT_NAMED = frozenset(("deictic", "implicit", "domestic"))
_PARTNER_LAST = frozenset(word[-1] for word in _PARTNER_WORDS)


def _province_votes(mentions: list[PlaceMention], title_end: int = 0, text: str = "") -> Counter[str]:
    """Each province's named places; one in the headline (before ``title_end``) counts thrice, a
    partner's (与重庆市, 对口帮扶甘肃) not at all."""
    votes: dict[str, int] = {}
    for m in mentions:
        place = m.place
        if place is None or not place.province or m.how in _NOT_NAMED:
            continue
        start = m.start
        if (text and start and text[start - 1] in _PARTNER_LAST
                and text[max(start - 2, 0):start].endswith(_PARTNER_WORDS)):
            continue
        votes[place.province] = votes.get(place.province, 0) + (3 if m.end <= title_end else 1)
    return Counter(votes)


# A short name of another province's city or county counts for its province's vote only as an
# item of a list of places (新增南充、广元、广安、自贡4个市; 秦安、甘谷、武山等县): alone, 来宾
# ("guests") or 大同 is a word as often as a place.
_LIST_MARK = frozenset("、和与及等")


@cache
def _every_form() -> tuple[ahocorasick_rs.AhoCorasick, tuple[str, ...], dict[str, Place]]:
    """Every written form of every province in one automaton (leftmost-longest, so a short name
    inside a longer name or a stop-word is never read: 长治久安 holds no 长治), with the one place
    each short form of a city or county names (南充 → 南充市; a form two units share names none)."""
    words = tuple(_surfaces())
    scoped: dict[str, Place] = {}
    for surface, entries in _surfaces().items():
        found = {e.place for e in entries if e.place is not None}
        if len(found) == 1 and all(e.scope for e in entries):
            place = next(iter(found))
            if place.level in ("city", "county") and place.province:
                scoped[surface] = place
    # a contiguous NFA: every page is scanned with it. A DFA scans a page in about half the time
    # when nothing else runs, but its ~12 MB table falls out of the cache between pages: over the
    # pages of an extraction run (both scanning each page, in turns) the NFA took 8-11 % less time
    automaton = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
                                           implementation=ahocorasick_rs.Implementation.ContiguousNFA)
    return automaton, words, scoped


_FIRST = itemgetter(0)


@cache
def _scoped_indexes() -> frozenset[int]:
    """The indexes in ``_every_form`` of the forms it ties to one city or county (its third part)."""
    _, words, scoped = _every_form()
    return frozenset(index for index, word in enumerate(words) if word in scoped)


def _listed_short_votes(page_text: str, home: str, every_found: list[tuple[int, int, int]]) -> Counter[str]:
    """Votes for the provinces whose places a page lists by short name (南充、广元、广安、自贡4个市 →
    四川省 4), which the finder leaves out on another province's pages. A province counts only
    with two places or more so listed. ``every_found``: the page's scan with ``_every_form``."""
    _, words, scoped = _every_form()
    seen: dict[str, set[str]] = {}
    # the few matches of such a form, picked out in C (a page matches hundreds of forms)
    for index, start, end in compress(every_found, map(_scoped_indexes().__contains__,
                                                       map(_FIRST, every_found))):
        place = scoped[words[index]]
        if place.province == home:
            continue
        before = page_text[start - 1:start] if start else ""
        after = page_text[end:end + 1]
        if before in _LIST_MARK or after in _LIST_MARK:
            seen.setdefault(place.province, set()).add(place.name)
    return Counter({province: len(names) for province, names in seen.items() if len(names) >= 2})


def home_place_of(page_text: str, paper: str = "", scan: PageScan | None = None) -> str:
    """A page's home place: its paper's (given, or named on the page), else what the page says.

    The answer is a city (聊城市, 兰州市) or a province (山东省, 河北省 for a provincial paper):
    ``paper`` from a manifest or metadata decides outright (大众日报 → 山东省). Else the page's
    province is the one its paper or its places name (the default province unless another clearly
    leads), and within it a provincial paper (我省/全省, many cities) gets the province, a city's
    paper (我市, its own counties, 本报冠县讯) its city.
    ``scan``: the page's ``scan_page``, if made (its articles' mentions read it too).
    Example: a 聊城日报 page → 聊城市; a 大众日报 page → 山东省; a 甘肃日报 page → 甘肃省.
    """
    given = paper_home(paper) if paper else ""
    if given:
        return given
    named = papers().get(paper_in_text(page_text))
    given_paper = papers().get(paper.strip().strip("《》")) if paper else None
    national = any(p is not None and p.province == "全国" for p in (given_paper, named))
    default = default_province()
    # the page's mentions on the default province's reading, found only where they are read: a
    # page whose paper names its province (聊城日报, 大众日报) needs no vote
    # (one scan with every form serves the short-name lists and each reading's mentions)
    mentions: list[PlaceMention] | None = None
    page = scan if scan is not None and scan.text == page_text else None
    datelines: list[str] | None = None
    province = default
    led = False
    if named is not None and named.province != "全国":
        province = named.province
    else:
        page = page or scan_page(page_text)
        # slips are too rare to sway the vote
        mentions = find_place_mentions(page_text, "", ocr=False, page=page)
        title_end = page_text.find("\n")
        votes = (_province_votes(mentions, title_end, page_text)
                 + _listed_short_votes(page_text, default, page.found))
        datelines = _dateline_names(page_text)
        for name in datelines:
            place = resolve_place(name)
            if place is not None and place.province:
                votes[place.province] += 3
        if votes:
            best, top, second = _top_two(votes)
            only = len(votes) == 1 and any(m.text in PROVINCE_WORDS for m in mentions)
            # A province leads when it is named more often than any other (on a national paper,
            # twice as often): 河北、山西、河南…等8个省市 … 河南… 山西… on 人民日报 is about no one
            # province; 辽宁宣布本省贫困县全部摘帽 …此前,西藏自治区也已宣布 is 辽宁's by its headline.
            led = (top >= 2 * second if national else top > second) and (top >= 2 or only)
            if best != default and led and top > 2 * votes[default]:
                province = best  # 我省…南充、广元 with no paper: 四川省, not the default
            led = led and best == province
        if national and not led:
            return NATION.name  # a national paper's page about no one province (or several): the nation's
    if named is not None and named.city and named.province == province:
        return named.city
    if province != default:
        mentions = find_place_mentions(page_text, province, ocr=False, page=page)
    elif mentions is None:
        mentions = find_place_mentions(page_text, "", ocr=False, page=page)
    return _home_within(page_text, mentions, province, named is not None and not named.city, datelines)


def _top_two(votes: dict[str, int]) -> tuple[str, int, int]:
    """The name with most votes (the first so counted, as ``Counter.most_common`` gives it), its
    count and the next count (0 if none): {济南市: 3, 聊城市: 5, 临清市: 5} → 聊城市, 5, 5."""
    best, top, second = "", 0, 0
    for name, count in votes.items():
        if count > top:
            best, top, second = name, count, top
        elif count > second:
            second = count
    return best, top, second


def _home_within(page_text: str, mentions: list[PlaceMention], province: str, provincial: bool,
                 datelines: list[str] | None = None) -> str:
    """The home city or the province itself, by the cities a page names in its own province
    (``datelines``: the page's ``_dateline_names``, if already read)."""
    region = _regions().get(province)
    if region is not None and region.level == "city":
        return region.name  # 重庆市, 北京市: the municipality is its own city
    votes: dict[str, int] = {}
    province_words = city_words = 0
    for m in mentions:
        place = m.place
        if m.how == "deictic":
            if m.text in HOME_CITY_WORDS:
                city_words += 1  # 全市 may point back to a city named before it; it still says "our city"
                continue
            if place is not None and place.level == "province":
                province_words += 1
                continue
        if place is not None and place.level in _LOCAL_LEVELS and place.province == province and place.city:
            votes[place.city] = votes.get(place.city, 0) + 1
    for name in _dateline_names(page_text) if datelines is None else datelines:
        place = resolve_place(name, province)
        if place and place.province == province and place.level in _LOCAL_LEVELS:
            votes[place.city] = votes.get(place.city, 0) + 3
    if provincial and city_words == 0:
        return province
    if not votes:
        return province if province_words or province != default_province() else ""
    best, top, second = _top_two(votes)
    if city_words == 0 and (province_words >= 2 or len(votes) >= 4) and top < 3 * max(second, 1):
        return province
    return best


_LOCAL_LEVELS = frozenset(("city", "county", "zone"))


def _dateline_names(page_text: str) -> list[str]:
    """The places the page's datelines name (本报临清讯 → 临清, 新华社兰州8月3日电 → 兰州), in order."""
    names = []
    # a dateline begins only at a 本报 or a 新华社: the pattern is tried there alone
    ours, xinhua = page_text.find("本报"), page_text.find("新华社")
    while ours >= 0 or xinhua >= 0:
        at = ours if xinhua < 0 or 0 <= ours < xinhua else xinhua
        found = _DATELINE.match(page_text, at)
        if found:
            names.append(found.group(1) or found.group(2))
        after = found.end() if found else at + 1
        if 0 <= ours < after:
            ours = page_text.find("本报", after)
        if 0 <= xinhua < after:
            xinhua = page_text.find("新华社", after)
    return names


def home_city_of(page_text: str) -> str:
    """The page's home place guessed from its text alone (see ``home_place_of``)."""
    return home_place_of(page_text)
