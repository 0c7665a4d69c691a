"""Quantities + places + periods + initiative → one row per figure.

The other steps find things; this one decides what each figure is about:

- its **place**: the latest place named before it in its sentence, else earlier in its
  paragraph, else the article's main place (headline, dateline, most-named place), else the
  paper's city. A group closed by 等 or counted (淄博、泰安、德州3市) stands for its items' common
  parent (counties of several cities: their province; provinces: the nation, 河北、…陕西等8个省市),
  or for the city or province the paragraph names as its actor (经自治区人民政府研究,批准日喀则市
  谢通门县等19个县); a region of the nation (中部地区) is the nation; an
  open list (德州、滨州,为6.8%) for its first place, 分别 pairs places and figures in order, and a
  city named as the prefix of the article's own county keeps the county. No subject: a place in a
  document's title (《山东省…目录》), after 入选/纳入 or a comparison, the nation or province after
  在/与, a firm's home (山东亿博光电等2家企业); the province named mid-clause and a 其中 part hold
  for their own sentence only;
- its **period**: the time words before it (``loaders.dates.resolve_period``);
- its **initiative**: keyword weights of the taxonomy over the figure's clause, sentence,
  headline and article, so a fiscal sentence inside a poverty story is still fiscal;
- its **metric**: the noun phrase the text gives (``loaders.labels``: ``12支金融辅导队`` →
  金融辅导队数), the canonical metric of the initiative where that phrase names it, and the
  whole it is a part of (``其中…`` → ``parent_fact_id``).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from operator import attrgetter, itemgetter
from typing import Final

import ahocorasick_rs

from loaders import dates, labels, numbers, places
from loaders.first_chars import first_characters
from loaders.records import Article, Fact, stable_ids_after
from loaders.taxonomy import Initiative, Metric, Taxonomy, load_metric_words, load_taxonomy

# A run of stops with the closing quotes after it (。” ！）), or a run of line breaks: written as
# ``[。！？!?；;]+[”’」』)）]*|\n+``, but beginning with the character it reads, so ``re`` skips
# from stop to stop in C instead of trying both branches at every character of an article.
_SENTENCE_END: Final = re.compile(r"[。！？!?；;\n](?:(?<=\n)\n*|(?<!\n)[。！？!?；;]*[”’」』)）]*)")
_CLAUSE_END: Final = re.compile(r"[，,：:、。！？!?；;\n]")
_PARAGRAPH_BREAK: Final = re.compile(r"\n\s*\n")
# Fields of every mention or span of an article, read in C rather than by a comprehension.
_START, _END, _SPAN = attrgetter("start"), attrgetter("end"), attrgetter("start", "end")
_FIRST: Final = itemgetter(0)
_CJK_RUN: Final = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
# Each word list is searched as one regex: a clause is read once, not once per word.
_TARGET_WORDS: Final = re.compile("力争|目标|计划|预计|确保|到20")
_STOCK_WORDS: Final = re.compile("累计|截至|截止|保有量|现有|总数|共有|已有")
_DETAIL_UNITS: Final = frozenset({"摄氏度", "岁", "米", "GB", "PB", "字", "棵", "根", "小时", "分钟"})
_AREA_WORDS: Final = re.compile("全国|全省|全市|全县|全区|我省|我市|我县|我区|各地|各县")


@dataclass(slots=True, init=False)
class Located:
    """Where a figure is, and how we know (for its confidence and the review queue).

    Not frozen (one is built per figure; a frozen ``__init__`` costs three times a plain one's);
    nothing changes or hashes one. The ``__init__`` is written out: a compiled dataclass runs a
    generated one as interpreted code."""

    city: str
    county: str
    how: str  # sentence | paragraph | article | page | none

    def __init__(self, city: str, county: str, how: str) -> None:
        self.city = city
        self.county = county
        self.how = how


def _spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Cut ``text`` at ``pattern`` into (start, end) spans that keep their delimiters.

    The delimiters (``_SENTENCE_END``, ``_CLAUSE_END``, ``_PARAGRAPH_BREAK``) are never empty, so
    each ends a span of its own: the cuts are just their ends (one list, zipped, no loop in Python).
    """
    return _cut_at([m.end() for m in pattern.finditer(text)], len(text))


def _cut_at(ends: list[int], size: int) -> list[tuple[int, int]]:
    """The (start, end) spans of a text of ``size`` characters cut at ``ends`` (in order)."""
    if not ends or ends[-1] < size:
        ends.append(size)
    if ends == [0]:
        return []
    return list(zip([0, *ends[:-1]], ends, strict=True))


_STOPS: Final = "。！？!?；;"  # what a run of stops in _SENTENCE_END is made of
_CLOSERS: Final = "”’」』)）"  # and the closing marks after it


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """``_spans(text, _SENTENCE_END)``, its delimiters found by ``str.find`` (a C scan per stop
    character) and each run read on from there, instead of ``re`` testing every character of
    the article against the class of stops.

    A delimiter is a stop or line break not inside the one before; a line break takes the line
    breaks after it, a stop the stops and then the closing marks after it, as the regex does.
    """
    marks: list[int] = []
    for char in _STOPS + "\n":
        at = text.find(char)
        while at >= 0:
            marks.append(at)
            at = text.find(char, at + 1)
    marks.sort()
    size = len(text)
    ends: list[int] = []
    end = 0
    for at in marks:
        if at < end:
            continue  # inside the run the delimiter before took in
        end = at + 1
        if text[at] == "\n":
            while end < size and text[end] == "\n":
                end += 1
        else:
            while end < size and text[end] in _STOPS:
                end += 1
            while end < size and text[end] in _CLOSERS:
                end += 1
        ends.append(end)
    return _cut_at(ends, size)


def _clauses_around(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """The clause (``_spans(text, _CLAUSE_END)``) holding each position, found from the positions.

    Why: an article has ten clauses for each figure; cutting all of them to look up a few costs
    more than two searches per figure: forward for the delimiter that ends the clause, and over
    the reversed text for the one before it (each delimiter is one character).
    """
    backwards = text[::-1]
    out = []
    for pos in positions:
        after = _CLAUSE_END.search(text, pos)
        before = _CLAUSE_END.search(backwards, len(text) - pos)
        out.append((len(text) - before.start() if before else 0, after.end() if after else len(text)))
    return out


def _containing(spans: list[tuple[int, int]], starts: list[int], pos: int) -> tuple[int, int]:
    i = bisect.bisect_right(starts, pos) - 1
    return spans[i] if i >= 0 else spans[0]


def _place_of(place: places.Place) -> tuple[str, str]:
    """(city, county) of a place: a county names itself; a city, the province or the nation too."""
    if place.level == "county":
        return place.city, place.name
    if place.level in ("city", "province", "nation"):
        return place.name, ""
    return place.city, place.county


_COMPARISON_BEFORE: Final = ("高于", "低于", "快于", "慢于", "超过", "较", "比", "占", "走在", "位居", "居",
                              "列")
_COUNT_BEFORE: Final = re.compile(r"[\d一二三四五六七八九十两几]")
# A place after these names the list or rank a thing entered (入选全国首批…, 挤进全省…项目库).
_ENTERED_BEFORE: Final = ("入选", "纳入", "列入", "挤进", "跻身", "入围", "获评", "评为", "进入")
# 在全省…中, 于全国…: the province or nation as the arena of a city's or county's deed.
_ARENA_BEFORE: Final = ("在", "于")
# 与全国319个市县区“网上携手”: the nation or province after 与 is where the partners are.
_PEER_BEFORE: Final = ("与", "同", "向", "跟")


def _by_length(words: tuple[str, ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    """``words`` as (length, the words of that length) pairs, shortest first, for ``_ends_with``."""
    return tuple((n, frozenset(w for w in words if len(w) == n)) for n in sorted({len(w) for w in words}))


def _ends_with(text: str, words: tuple[tuple[int, frozenset[str]], ...]) -> bool:
    """``text.endswith`` any of the words (``_by_length``): a set lookup per length of word instead
    of ``str.endswith`` comparing the text's end with every word of a tuple (twenty-one before
    each place mention)."""
    size = len(text)
    return any(n <= size and text[size - n:] in same_length for n, same_length in words)


_YARDSTICK_OR_LIST_BEFORE: Final = _by_length(_COMPARISON_BEFORE + _ENTERED_BEFORE)
_ARENA_OR_PEER_BEFORE: Final = _by_length(_ARENA_BEFORE + _PEER_BEFORE)
_YARDSTICK_AFTER: Final = re.compile(r"(?:的)?(?:前列|第[一二三四五六七八九十\d]|领先|排名|率先|首位|之首)")
_VENUE_AFTER: Final = re.compile(r"(?:开幕|闭幕|召开|举行|举办)")
# what a match of each begins with: the character after most mentions is none of them
_YARDSTICK_OPENS: Final = first_characters(_YARDSTICK_AFTER)
_VENUE_OPENS: Final = first_characters(_VENUE_AFTER)
_VENUE_BEFORE: Final = ("在", "于", "赴", "到")
_TIME_WORDS: Final = re.compile(
    r"^(?:今年|去年|前年|目前|当前|近年来|今年以来|\d{4}年|[前上下]半年|\d+月份?|[一二三四]季度|从|自|起|以来)*$")


# 国家六盘山片区县3个, 国家扶贫开发重点县1个: 国家 names the kind of county counted, not the subject.
_DESIGNATED_AFTER: Final = re.compile(r"[\u4e00-\u9fff]{0,10}?(?:县|区|村|镇|乡)[\d一二三四五六七八九十两]")


def _clause_start(text: str, pos: int) -> int:
    lo = max(pos - 60, 0)
    ends = [m.end() for m in _CLAUSE_END.finditer(text, lo, pos)]
    return ends[-1] if ends else lo


def _usable(text: str, mention: places.PlaceMention) -> bool:
    """Whether a mention can be the subject of figures that follow it.

    Regions and countries (长三角, 美国) are destinations or origins, never a subject; another
    province's place is (奉节 on a Shandong paper), except where it only says where a partner comes
    from or goes (与四川达州, 河北客商). A place after a comparison word is the yardstick, not the
    subject (高于全市1.1个百分点), and one before 举行 after 在 is a venue (在兰州举行). 国内 and 国家
    count only where they open a clause (国内移动互联网用户…,
    not 向国内下游企业), and so does a region of the nation, whose figure is the nation's
    (据介绍,中部地区贫困县贫困发生率降至2%以下; not 向中西部地区转移).
    """
    if mention.place is None or mention.place.level == "outside":
        return False
    if (mention.how == "short" and mention.text[0] in "市县区" and mention.start > 0
            and _COUNT_BEFORE.match(text, mention.start - 1)):
        return False  # 17市中GDP增幅最高: among the 17 cities (the labels still stop at it), not 市中区
    before = text[max(mention.start - 2, 0):mention.start]
    if _ends_with(before, _YARDSTICK_OR_LIST_BEFORE):
        return False
    if mention.place.level in ("province", "nation") and _ends_with(before, _ARENA_OR_PEER_BEFORE):
        return False
    after = text[mention.end:mention.end + 1]
    if after in _YARDSTICK_OPENS and _YARDSTICK_AFTER.match(text, mention.end):
        return False
    if after in _VENUE_OPENS and _VENUE_AFTER.match(text, mention.end) and (
            before.endswith(_VENUE_BEFORE) or mention.place.level == "nation"):
        return False  # 在聊城举行 is where a meeting was; 河南省举行推进会 is who held it
    if mention.how == "domestic" or mention.place.level == "region":
        opening = text[_clause_start(text, mention.start):mention.start]
        if text[mention.end:mention.end + 1].isdigit():
            return True  # 根据国家2300元的扶贫标准: the figure written on 国家 is the nation's
        return bool(_TIME_WORDS.match(opening)) and not _DESIGNATED_AFTER.match(text, mention.end)
    return True


_PARTNER_BEFORE: Final = _by_length(("来自", "和", "与", "同", "赴", "到", "向", "从", "对口", "携手", "联合",
                                     "帮扶", "协作"))
_PARTNER_AFTER: Final = re.compile(r"(?:的)?(?:客商|商会|籍|企业家|老乡|考察团|代表团)")


def _partners(text: str, mentions: list[places.PlaceMention], home_province: str) -> set[int]:
    """Starts of other provinces' places that say where a partner comes from or goes.

    Example: on a 德州 page, ``与河北沧州、天津静海签订协议`` names partners (与 opens them, and a
    list or a city after its province carries on), not the subject of the figures that follow;
    so do ``河北客商`` and a place in brackets after the home's own (东昌府区(上海)).
    """
    found: set[int] = set()
    prev: places.PlaceMention | None = None
    for m in mentions:
        place = m.place
        if place is not None and place.province and place.province != home_province:
            before = text[max(m.start - 2, 0):m.start]
            gap = text[prev.end:m.start] if prev is not None else "x"
            if (_ends_with(before, _PARTNER_BEFORE) or _PARTNER_AFTER.match(text, m.end)
                    or text[m.start - 1:m.start] in ("(", "（")
                    or (prev is not None and prev.start in found and len(gap) <= 1 and gap in "、和与及")):
                found.add(m.start)
        prev = m
    return found


_ORGANISATION_TAIL: Final = re.compile(
    r"[\u4e00-\u9fffA-Za-z()（）·]{0,12}?(?:有限公司|有限责任公司|股份|集团|公司|银行|商会|协会|医院|大学|学院|研究院|研究所|中心)")


# A list of firms counted in 家 (山东亿博光电等2家企业; …、邦迈智能等6家): a province opening an item
# is the start of a firm's name, however short the name is written.
_FIRMS_LISTED: Final = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{2,12}(?:[、和与及][\u4e00-\u9fffA-Za-z]{2,14}){0,8}等[\d一二三四五六七八九十两几多余]+家")


def _names_an_organisation(text: str, mention: places.PlaceMention,
                           starts: frozenset[int], ends: frozenset[int] = frozenset()) -> bool:
    """True for a place that only opens a firm's or body's name (山东肯石重工机械有限公司,
    山东亿博光电等2家企业), or a province's short name opening an item of a list of firms or
    projects (立华蚕茧丝绸产业科技园、四川远航环保餐具…建设项目等).

    A place followed at once by another place is a prefix of an address (冠县山东肯石…),
    which still names where the figure is.
    """
    if mention.end in starts or mention.how in ("deictic", "implicit"):
        return False
    if text[mention.start - 1:mention.start] in ("(", "（"):
        return False
    province = mention.place is not None and mention.place.level == "province"
    if province and _FIRMS_LISTED.match(text, mention.end):
        return True
    if (province and mention.how == "short" and text[mention.start - 1:mention.start] == "、"
            and mention.start - 1 not in ends and text[mention.start - 2:mention.start - 1] not in _PLACE_ENDS
            and _CJK_RUN.match(text, mention.end)):
        return True
    return bool(_ORGANISATION_TAIL.match(text, mention.end))


_PLACE_ENDS: Final = frozenset("省市县区镇乡村道旗州盟")


_TOWN_AFTER: Final = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:镇|乡|街道|村|社区)")


def _listed(text: str, mention: places.PlaceMention, usable: Sequence[places.PlaceMention]) -> bool:
    """True when the mention is one of a list (A、B、C / A和B) or closed by 等 — it names a group.

    A town after the place does not end the list: 东昌府区郑家镇等14个乡镇 names several towns.
    Words for the city's or province's own bodies (市公安局、省财政) are never a list of places.
    """
    if mention.how in ("implicit", "deictic"):
        return False
    end = mention.end
    town = _TOWN_AFTER.match(text, end)
    if town:
        end = town.end()
    after = text[end:end + 1]
    before = text[max(mention.start - 1, 0):mention.start]
    if after in ("等", "、") or before == "、":
        return True
    for m in usable:
        if m is not mention and 0 < mention.start - m.end <= 1 and text[m.end:mention.start] in "和及与":
            return True
    return False


def _parent(place: places.Place) -> tuple[str, str]:
    """The place a listed place stands for: a county's city, a city's province (兰州市 → 甘肃省), a
    province's the nation (河北、山西…陕西等8个省市)."""
    if place.level in ("county", "zone"):
        return place.city, ""
    if place.level == "city":
        return (place.province or places.province_of(place.name)), ""
    if place.level == "province":
        return places.NATION.name, ""
    return _place_of(place)


_QUOTED: Final = re.compile(r"“[^”]*”|「[^」]*」|《[^》]*》")


def _quoted_spans(title: str) -> list[tuple[int, int]]:
    """Quoted names in a headline (“甘肃省决战决胜脱贫攻坚主题…活动”采访团走进兰州): a place inside
    one names the campaign, not where the story is."""
    return [m.span() for m in _QUOTED.finditer(title)]


def _within(text: str, outer: places.PlaceMention, inner: places.PlaceMention) -> bool:
    """Whether ``inner`` is written right after its own city or province ``outer`` (济南莱芜,
    淄博市淄川经济开发区, 四川高县)."""
    outer_place, inner_place = outer.place, inner.place
    assert outer_place is not None and inner_place is not None  # usable mentions name a place
    if outer_place.level == "city":
        inside = inner_place.level in ("county", "zone") and inner_place.city == outer_place.name
    else:
        inside = (outer_place.level == "province" and inner_place.level in ("city", "county", "zone")
                  and inner_place.province == outer_place.name != inner_place.name)
    return inside and 0 <= inner.start - outer.end <= 1 and text[outer.end:inner.start].strip() == ""


def locate_article(article: Article, mentions: list[places.PlaceMention], home_city: str,
                   title_end: int, usable: list[places.PlaceMention] | None = None) -> Located:
    """The article's main place: headline, then dateline, then the place it names most.

    ``usable``: those of ``mentions`` that pass ``_usable`` (found once for ``subject_mentions`` too).
    """
    if usable is None:
        usable = [m for m in mentions if _usable(article.text, m)]
    quoted = _quoted_spans(article.text[:title_end])
    in_title = [m for m in usable if m.end <= title_end
                and not any(lo < m.start and m.end <= hi for lo, hi in quoted)]
    if in_title:
        first = in_title[0]
        if len(in_title) > 1 and _within(article.text, first, in_title[1]):
            first = in_title[1]  # 济南莱芜, 聊城冠县: the headline's place is the county
        assert first.place is not None
        city, county = _place_of(first.place)
        return Located(city, county, "article")
    if article.dateline_place:
        found = places.resolve_place(article.dateline_place, home_city)
        if found is not None and found.level != "outside":
            if found.level == "city" and found.name == places.capital_of(home_city) != home_city:
                return Located(home_city, "", "article")  # 本报兰州讯 on 甘肃日报 is the province's news
            city, county = _place_of(found)
            return Located(city, county, "article")
    city_score: Counter[str] = Counter()  # counted in halves
    county_score: Counter[tuple[str, str]] = Counter()
    for m in usable:
        p = m.place
        assert p is not None
        if p.level in ("county", "zone") and p.city:
            city_score[p.city] += 2
            if p.level == "county":
                county_score[(p.city, p.name)] += 1
        elif p.level == "city" and p.name != p.province:
            city_score[p.name] += 2
        elif p.level in ("province", "city"):
            city_score[p.name] += 1  # half: a province, or a municipality named as one (河北、…重庆、陕西等)
    if city_score:
        (best_city, top), *rest = city_score.most_common(2) + [("", 0)]
        if home_city in ("", places.NATION.name):
            regions = set(places.provinces())
            if (best_city in regions and top < 2 * rest[0][1]
                    and sum(name in regions for name in city_score) >= 3):
                return Located(places.NATION.name, "", "article")  # 人民日报 on several provinces alike
        counties = [(n, c) for (ci, c), n in county_score.items() if ci == best_city]
        if counties:
            n, county = max(counties)
            others = sum(k for k, _ in counties) - n
            if n >= 2 and n > others or len(usable) == 1:
                return Located(best_city, county, "article")
        return Located(best_city, "", "article")
    if home_city:
        return Located(home_city, "", "page")
    return Located("", "", "none")


def subject_mentions(text: str, mentions: list[places.PlaceMention], home_province: str = "",
                     usable: list[places.PlaceMention] | None = None) -> list[places.PlaceMention]:
    """The mentions that may be the subject of a figure: no region, yardstick, firm's name, partner
    or document title.

    Another province's place that opens a firm's name through a chain of places (广东佛山斯凯蒂…有限公司)
    names the firm's home, not the subject. ``usable``: those of ``mentions`` that pass ``_usable``,
    when the caller has them already.
    """
    starts = frozenset(map(_START, mentions))
    ends = frozenset(map(_END, mentions))
    home = home_province or places.default_province()
    organisation: set[int] = set()
    for m in reversed(mentions):
        if _names_an_organisation(text, m, starts, ends) or (
                m.place is not None and m.place.province != home and m.end in organisation):
            organisation.add(m.start)
    excluded = organisation | _partners(text, mentions, home)
    titles = [t.span() for t in _BOOK_TITLE.finditer(text)]
    title_starts = [lo for lo, _ in titles]
    if usable is None:
        usable = [m for m in mentions if _usable(text, m)]
    if not titles:  # most articles name no document
        return [m for m in usable if m.start not in excluded]
    return [m for m in usable if m.start not in excluded and not _inside(titles, title_starts, m)]


_BOOK_TITLE: Final = re.compile(r"《[^》\n]{1,80}》")


def _inside(spans: list[tuple[int, int]], starts: list[int], mention: places.PlaceMention) -> bool:
    """Whether the mention lies within one of ``spans`` (a document's title: 《山东省优质设备供给目录》
    names the list a product entered, not where a figure is)."""
    i = bisect.bisect_right(starts, mention.start) - 1
    return i >= 0 and spans[i][0] < mention.start and mention.end < spans[i][1]


# A number counting the places listed before it (淄博、泰安、德州3市; 东昌府区、阳谷县、东阿县三个县),
# not a figure of the last one; a figure written right after one place of a list is that place's
# own (潍坊5个、聊城3个; 榆中县114个、永登县102个).
# A count of provinces (河北、山西…陕西等8个省市的, 11个省区市165个, 5个省份) is the nation's; 省
# before a noun is a rank (14个省扶贫工作重点村), not what is counted — except right after a
# list of places, where a count is one whatever follows (云南、贵州、甘肃3省贫困人口较多).
_COUNT_OF: Final = r"[\d.一二三四五六七八九十两]+个?(?:国家级|省级|市级|深度)?(?:贫困|重点|试点|示范|山区)?"
_PROVINCE_KINDS: Final = r"(?:省区市|省市区|省份|省市|省区|省)"
_LOCAL_KINDS: Final = r"县市区|区县|县区|县市|市县|地市|乡镇|县|市|区|地|州|乡|镇"
_COUNTS_PLACES: Final = re.compile(
    rf"{_COUNT_OF}(?P<kind>{_PROVINCE_KINDS}(?=[^\u4e00-\u9fff]|[的、和与及等共都均已中先全]|$)|{_LOCAL_KINDS})")
_COUNTS_LISTED: Final = re.compile(rf"{_COUNT_OF}(?P<kind>{_PROVINCE_KINDS}|{_LOCAL_KINDS})")


_LIST_JOINERS: Final = ("、", "和", "及", "与")
# What separates the figures after 分别: 、, or 和/及/与 right after a figure (97.84%和95.96%).
_FIGURE_JOINER: Final = re.compile(r"、|(?<=[\d%％元个家人户项万亿])[和及与]")


def _respective(text: str, start: int, last: places.PlaceMention, usable: list[places.PlaceMention],
                starts: list[int] | None = None) -> places.PlaceMention | None:
    """The place paired with a figure by 分别: 濮阳、郑州、焦作等地分别完成…的79.6%、72.5%、67.9%
    gives 72.5% to 郑州, 临淄区、高新区…分别达到97.84%和95.96% 95.96% to 高新区. None where the
    sentence has no such pairing."""
    between = text[last.end:start]
    if "分别" not in between or "。" in between:
        return None
    listed = [last]
    while True:
        earlier = [m for m in _neighbours(usable, starts, listed[0]) if m.end <= listed[0].start]
        if not earlier or text[earlier[-1].end:listed[0].start] not in _LIST_JOINERS:
            break
        listed.insert(0, earlier[-1])
    index = len(_FIGURE_JOINER.findall(text, last.end + between.index("分别"), start))
    return listed[index] if len(listed) > 1 and index < len(listed) else None


def _neighbours(usable: list[places.PlaceMention], starts: list[int] | None,
                mention: places.PlaceMention) -> list[places.PlaceMention]:
    """The mentions that may be joined to ``mention`` by 和/及/与 (all of them without ``starts``)."""
    if starts is None:
        return usable
    lo = bisect.bisect_left(starts, mention.start - _LIST_REACH)
    return usable[lo:bisect.bisect_left(starts, mention.start)]


_LIST_REACH: Final = 40  # no place name is longer, so a mention ending just before another starts within it


_PART_BEFORE: Final = re.compile(r"其中[,，:：]$")


def _carries(text: str, mention: places.PlaceMention, home_province: str) -> bool:
    """Whether a place named in an earlier sentence of the paragraph is still its subject.

    Another province's place does not carry (see ``locate_figure``); nor does the province or the
    nation named inside a clause rather than opening it (抓住全省新旧动能转换有利时机。…排定重点项目59个
    is the zone's), nor a part introduced by 其中 (其中,高青县…达到80%;…已复工企业266家 is the city's).
    """
    place = mention.place
    assert place is not None
    if home_province and place.province not in ("", home_province):
        return False
    opening = text[_clause_start(text, mention.start):mention.start]
    if place.level in ("province", "nation", "region") and not _TIME_WORDS.match(opening):
        return False
    clause = _clause_of(text, mention.start, max(mention.start - 60, 0))  # a list's 、 goes on
    lead = text[clause:mention.start]
    part = lead.startswith("其中") or (not lead and _PART_BEFORE.search(text, max(clause - 4, 0), clause))
    return not part


def _carries_known(text: str, mention: places.PlaceMention, home_province: str,
                   known: dict[tuple[str, int], bool]) -> bool:
    """``_carries``, worked out once per mention: each figure of a paragraph asks about the
    mentions of the sentences before its own."""
    carries = known.get(("carries", id(mention)))
    if carries is None:
        carries = known["carries", id(mention)] = _carries(text, mention, home_province)
    return carries


def _list_head(text: str, last: places.PlaceMention, usable: list[places.PlaceMention],
               starts: list[int] | None) -> places.PlaceMention | None:
    """The first place of an open list ending at ``last``, which a figure about the list takes
    (增幅最低的是德州、滨州,为6.8% → 德州); None for a group closed by 等 or counted (淄博、泰安、
    德州3市, 曲阜、汶上等县), which stands for its parent."""
    end = last.end
    town = _TOWN_AFTER.match(text, end)
    if town:
        end = town.end()
    if text[end:end + 1] == "等" or _COUNTS_LISTED.match(text, end):
        return None
    head = last
    while True:
        earlier = [m for m in _neighbours(usable, starts, head) if m.end <= head.start]
        if not earlier or text[earlier[-1].end:head.start] not in _LIST_JOINERS:
            break
        head = earlier[-1]
    return head if head is not last else None


def _group_parent(text: str, last: places.PlaceMention, usable: list[places.PlaceMention],
                  starts: list[int] | None) -> tuple[str, str]:
    """The place a closed group stands for: its items' common parent (曲阜、汶上、任城等县 → 济宁市),
    their province when they lie in several cities (紫云、纳雍、威宁…望谟等9个县 → 贵州省), the nation
    when in several provinces (云南、贵州、甘肃3省)."""
    assert last.place is not None
    parents = {_parent(last.place)}
    head = last
    while True:
        earlier = [m for m in _neighbours(usable, starts, head) if m.end <= head.start]
        if earlier and _within(text, earlier[-1], head):
            head = earlier[-1]  # 广安市广安区: the city only says where the listed county is
            continue
        if not earlier or text[earlier[-1].end:head.start] not in _LIST_JOINERS:
            break
        head = earlier[-1]
        assert head.place is not None
        parents.add(_parent(head.place))
    if len(parents) == 1:
        return parents.pop()
    provinces = {places.province_of(city) or city for city, _ in parents}
    return (provinces.pop(), "") if len(provinces) == 1 else (places.NATION.name, "")


def _counted_within(kind: str, city: str, county: str) -> tuple[str, str]:
    """A number of cities is the province's figure, a number of counties the city's (3市新超2000亿 after
    菏泽增长最快 is Shandong's); ``kind``: what ``_COUNTS_PLACES`` read as counted."""
    if kind.startswith("省"):
        return city, county  # 我省与5个省份签订协议: a province's own count (after a list, the nation's)
    counted = kind[-1]
    if counted == "市" and not county and city:
        return places.province_of(city) or city, ""
    if counted in "县区" and county:
        return city, ""
    return city, county


_COUNT_BEFORE_BRACKET: Final = re.compile(r"[\d一二三四五六七八九十两百千]+\s*[\u4e00-\u9fff]?$")


def _bracketed(text: str, mention: places.PlaceMention, start: int) -> bool:
    """Whether the mention lies in brackets after a figure, closed before ``start``: 县3个(榆中县、
    永登县、皋兰县),省级…1个 — the bracket lists what the earlier figure counts, the later figure
    is not theirs."""
    opened = max(text.rfind("(", max(mention.start - 40, 0), mention.start),
                 text.rfind("（", max(mention.start - 40, 0), mention.start))
    if opened < 0 or ")" in text[opened:mention.start] or "）" in text[opened:mention.start]:
        return False
    if not _COUNT_BEFORE_BRACKET.search(text, max(opened - 8, 0), opened):
        return False  # 山东黄金矿业(莱州)有限公司: a place in a name's brackets is where the firm is
    return ")" in text[mention.end:start] or "）" in text[mention.end:start]


_BEFORE_AVERAGE: Final = re.compile(r"[^\s，,。；;、\d]{0,4}[\d.,]+[^\s，,。；;、\d]{0,3}的")
_AVERAGE_AFTER: Final = re.compile(r"(?:的)?(?:平均|水平|均值)")


def _average_of(text: str, start: int, usable: list[places.PlaceMention],
                starts: list[int] | None) -> places.PlaceMention | None:
    """The place whose average the figure is, named after it: 均超过6.7%的全国平均水平 is the nation's."""
    i = bisect.bisect_right(starts, start) if starts is not None else next(
        (k for k, m in enumerate(usable) if m.start > start), len(usable))
    if i >= len(usable) or usable[i].start - start > 16:
        return None
    after = usable[i]
    if _BEFORE_AVERAGE.fullmatch(text, start, after.start) and _AVERAGE_AFTER.match(text, after.end):
        return after
    return None


def _group_owner(text: str, listed: places.PlaceMention, window: list[places.PlaceMention],
                 parent: str, lo: int) -> places.PlaceMention | None:
    """The group's own city or province named before it in its paragraph (from ``lo``): in
    ``此前,西藏自治区也已宣布…。经自治区人民政府研究,批准日喀则市谢通门县等19个县(区)退出`` the 19
    counties are 西藏自治区's (自治区人民政府 is the region just named), though the page is 辽宁's. A
    city written as the prefix of a listed county (日喀则市谢通门县) only says where that county is."""
    province = places.province_of(parent)
    later = listed
    for m in reversed(window):
        if m.end > listed.start or m.start < lo:
            continue
        if _within(text, m, later):
            later = m
            continue
        assert m.place is not None
        if m.place.name == parent or (m.place.level == "province" and m.place.name == province):
            return m
        later = m
    return None


def locate_figure(text: str, start: int, sentence: tuple[int, int], paragraph: tuple[int, int],
                  usable: list[places.PlaceMention], article_place: Located,
                  home_province: str = "", starts: list[int] | None = None,
                  known: dict[tuple[str, int], bool] | None = None) -> Located:
    """The place a figure at ``start`` is about (see the module docstring for the order).

    Another province's place (奉节 on a Shandong paper) holds for its own sentence only: a
    visit's story returns to the home's figures in the next one. ``starts`` (the mentions'
    sorted start offsets) limits the look-up to the figure's own paragraph by bisection, so a
    long article costs linear time, not figures × mentions; the caller passes as ``paragraph``
    the figure's context window, so a page without line breaks is read only near each figure.
    ``known``: what was worked out about each mention (by its ``id``) for earlier figures of the
    same article and the same ``usable`` list (whether it carries on, whether it is one of a
    list), which does not depend on the figure.
    """
    if known is None:
        known = {}
    average = _average_of(text, start, usable, starts)
    if average is not None and average.place is not None:
        return Located(*_place_of(average.place), "sentence")
    for lo, how in ((sentence[0], "sentence"), (paragraph[0], "paragraph")):
        window = usable if starts is None else usable[bisect.bisect_left(starts, lo):
                                                      bisect.bisect_left(starts, start)]
        for mention in reversed(window):  # the nearest before the figure that may be its subject
            if (lo <= mention.start and mention.end <= start
                    and (how == "sentence" or _carries_known(text, mention, home_province, known))
                    and not _bracketed(text, mention, start)):
                break
        else:
            continue
        respective = _respective(text, start, mention, usable, starts)
        if respective is not None and respective.place is not None:
            return Located(*_place_of(respective.place), how)
        place = mention.place
        assert place is not None
        own = start == mention.end and not _COUNTS_LISTED.match(text, start)
        listed = known.get(("listed", id(mention)))
        if listed is None:
            neighbours = _neighbours(usable, starts, mention)
            listed = known["listed", id(mention)] = _listed(text, mention, neighbours)
        if listed and not own:
            head = _list_head(text, mention, usable, starts) if how == "sentence" else None
            if head is not None and head.place is not None:
                city, county = _place_of(head.place)
            else:
                city, county = _group_parent(text, mention, usable, starts)
                if (city != article_place.city and city != places.NATION.name
                        and places.province_of(city) != article_place.city):
                    earlier = usable if starts is None else usable[bisect.bisect_left(starts, paragraph[0]):
                                                                   bisect.bisect_left(starts, mention.start)]
                    owner = _group_owner(text, mention, earlier, city, paragraph[0])
                    if owner is None or owner.place is None:
                        return article_place  # another city's counties; the province's own city stays
                    city, county = _place_of(owner.place)
        else:
            city, county = _place_of(place)
        counts_places = _COUNTS_PLACES.match(text, start)
        if counts_places and not _listed(text, mention, ()):
            city, county = _counted_within(counts_places.group("kind"), city, county)
        if (place.level == "city" and not county and article_place.county
                and article_place.city == place.name and mention.how != "deictic"):
            county = article_place.county
        return Located(city, county, how)
    return article_place


def is_figure(text: str, q: numbers.Quantity, mentions: list[places.PlaceMention],
              usable: list[places.PlaceMention], sentence: tuple[int, int],
              mention_starts: list[int] | None = None, usable_starts: list[int] | None = None) -> bool:
    """False for what reads as a figure but names a set or a band of places.

    ``山东16市党政主要负责同志…`` names all the province's cities, it does not count them;
    ``临淄区、高新区开复工率超过95%`` is the band several places fall in (their own figures
    follow), while ``高青县企业开复工率达到80%`` and ``均超过6.7%的全国平均水平`` stay.
    The mentions' sorted start offsets, when given, limit each look-up to the figure's
    neighbourhood by bisection, so a long one-line page costs linear time.
    """
    if numbers.counts_places(q):
        gap = q.start
        while gap > 0 and text[gap - 1].isspace():
            gap -= 1
        near = mentions if mention_starts is None else mentions[
            bisect.bisect_left(mention_starts, gap - _LIST_REACH):bisect.bisect_left(mention_starts, q.start)]
        if any(m.place is not None and m.place.level == "province" and text[m.end:q.start].strip() == ""
               for m in near if m.end <= q.start):
            return False
    if q.approx and text[q.end:q.end + 1] != "的":
        clause = _clause_of(text, q.start, sentence[0])
        if not text[clause:q.start].strip():  # 烟台、济南列第二、第三名,超3000亿元: the clause is the figure
            clause = _clause_of(text, clause - 1, sentence[0])
        elif q.kind not in ("percent", "points"):
            return True  # 曲阜、汶上、任城等县…签订合同,总工程量超过10亿元 is their sum
        window = usable if usable_starts is None else usable[bisect.bisect_left(usable_starts, clause):
                                                             bisect.bisect_left(usable_starts, q.start)]
        before = [m for m in window if clause <= m.start and m.end <= q.start]
        if before and _listed(text, before[-1], _neighbours(usable, usable_starts, before[-1])):
            return False
    return True


_CLAUSE_BREAK: Final = re.compile(r"[，,：:。！？!?；;\n]")


def _clause_of(text: str, pos: int, lo: int) -> int:
    """Where the clause holding ``pos`` starts (a 、 inside a list of places does not end it)."""
    ends = [m.end() for m in _CLAUSE_BREAK.finditer(text, lo, pos)]
    return ends[-1] if ends else lo


class KeywordHits:
    """Every taxonomy keyword found in an article, so any span can be scored by a lookup.

    One regex pass finds the keywords left to right, longest first; the shorter keywords inside
    a match count too (复工复产 also holds 复工 and 复产), as if each keyword were counted on its
    own. A span's score is then the sum of the hits inside it, instead of a re-scan of the text
    for every keyword of every figure.
    """

    def __init__(self, text: str, taxonomy: Taxonomy) -> None:
        automaton, words, weights, inner = _keyword_matcher(taxonomy)
        hits = [(start, end, words[index])
                for index, start, end in (automaton.find_matches_as_indexes(text) if automaton else ())]
        # The automaton's matches do not overlap, so they come sorted; only the words found
        # inside them (复工 in 复工复产) need a sort.
        nested = [(start + at, start + at + len(sub), sub)
                  for start, _, word in hits for at, sub in inner[word]]
        if nested:
            hits += nested
            hits.sort()
        self._starts: tuple[int, ...]
        self._ends: tuple[int, ...]
        self._words: tuple[str, ...]
        self._starts, self._ends, self._words = zip(*hits, strict=True) if hits else ((), (), ())
        self._hit_weights: list[tuple[tuple[str, float], ...]] = list(map(weights.__getitem__, self._words))
        self._weights = weights
        self._span_scores: dict[tuple[int, int], dict[str, float]] = {}

    def scores(self, lo: int, hi: int) -> dict[str, float]:
        """Initiative → summed keyword weight of the hits wholly inside ``[lo, hi)``.

        Remembered per span: the figures of one sentence or paragraph ask about the same span.
        """
        return self.span_scores((lo, hi))

    def span_scores(self, span: tuple[int, int]) -> dict[str, float]:
        """``scores(*span)``, looked up by the span itself (a figure's clause or sentence tuple)."""
        known = self._span_scores.get(span)
        if known is not None:
            return known
        out: dict[str, float] = {}
        lo, hi = span
        starts = self._starts
        first = bisect.bisect_left(starts, lo)
        last = bisect.bisect_left(starts, hi, first)
        if first < last:
            ends, hit_weights = self._ends, self._hit_weights
            for i in range(first, last):
                if ends[i] <= hi:
                    for key, weight in hit_weights[i]:
                        out[key] = out.get(key, 0) + weight
        self._span_scores[span] = out
        return out

    def capped_scores(self, cap: int = 4) -> dict[str, float]:
        """Whole-text weights where one keyword counts at most ``cap`` times."""
        seen: dict[str, int] = {}  # in order of first hit, as Counter's dict (whose __init__ is
        for word in self._words:  # Python code, a call into the interpreter per article)
            seen[word] = seen.get(word, 0) + 1
        out: dict[str, float] = {}
        for word, n in seen.items():
            for key, weight in self._weights[word]:
                out[key] = out.get(key, 0) + weight * min(n, cap)
        return out


KeywordMatcher = tuple[ahocorasick_rs.AhoCorasick | None, tuple[str, ...],
                       dict[str, tuple[tuple[str, float], ...]], dict[str, tuple[tuple[int, str], ...]]]


@cache
def _keyword_matcher(taxonomy: Taxonomy) -> KeywordMatcher:
    """The keywords as one automaton (None when there are none) with its words, each word's
    (initiative, weight) list, and the keywords that stand inside each keyword with their offsets.

    The automaton finds leftmost-longest matches without overlap, as an alternation of the
    words, longest first, would (复工复产 before 复工), in one pass instead of one regex step
    per character and word; built as a contiguous NFA, whose compact table stays in the cache
    from one article to the next: over the articles of an extraction run it took 17-19 % less
    time than a DFA, which is faster only while nothing else runs."""
    weights: dict[str, list[tuple[str, float]]] = {}
    for initiative in taxonomy.initiatives:
        for word, weight in initiative.keywords:
            if word:
                weights.setdefault(word, []).append((initiative.key, weight))
    words = sorted(weights, key=len, reverse=True)
    inner = {
        word: tuple((at, sub) for sub in words if sub != word and len(sub) < len(word)
                    for at in range(len(word) - len(sub) + 1) if word.startswith(sub, at))
        for word in words
    }
    automaton = (ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
                                            implementation=ahocorasick_rs.Implementation.ContiguousNFA)
                 if words else None)
    return automaton, tuple(words), {w: tuple(v) for w, v in weights.items()}, inner


class InitiativeScorer:
    """Picks the initiative of each figure of one article (see ``classify``).

    What does not change from figure to figure (the headline's and the whole article's weights,
    and whether one initiative dominates the article) is worked out once per article.
    """

    def __init__(self, title: dict[str, float], article_scores: dict[str, float], taxonomy: Taxonomy) -> None:
        total = sum(article_scores.values())
        top = max(article_scores.values(), default=0.0)
        self.dominant = total > 0 and top / total >= 0.5
        damp = 1.0 if self.dominant else 0.25
        self._bases = [(i.key, 2 * title.get(i.key, 0.0), damp * article_scores.get(i.key, 0.0))
                       for i in taxonomy.initiatives]

    def classify(self, local: dict[str, float]) -> tuple[str, float]:
        """The initiative whose keywords weigh most around the figure, and a 0–1 certainty.

        ``local`` weighs what the figure counts (the words right after it: 38个重点文旅项目) most,
        then its clause, its sentence and its paragraph (see ``local_scores``); the headline
        counts double. The whole article adds its weight in full only when one initiative
        dominates it (a poverty story); in a mixed article (a leader's programme touching GDP,
        talent and projects) a figure with no keyword of its own is other.
        """
        if not self.dominant and not any(local.values()):
            return "other", 0.3
        best_key, best, runner = "other", 0.0, 0.0
        for key, title_part, article_part in self._bases:
            score = local.get(key, 0.0) + title_part + article_part
            if score > best:
                best_key, best, runner = key, score, best
            elif score > runner:
                runner = score
        if best <= 0:
            return "other", 0.3
        return best_key, min(1.0, 0.5 + (best - runner) / (2 * best))


def local_scores(hits: KeywordHits, noun: tuple[int, int], clause: tuple[int, int],
                 sentence: tuple[int, int], paragraph: tuple[int, int]) -> dict[str, float]:
    """Keyword weights around a figure: noun ×4, clause ×3, sentence ×1, paragraph ×0.25."""
    out: dict[str, float] = {}
    for span, factor in ((noun, 4.0), (clause, 3.0), (sentence, 1.0), (paragraph, 0.25)):
        found = hits.span_scores(span)
        if found:  # most nouns and many clauses hold no keyword
            for key, weight in found.items():
                out[key] = out.get(key, 0) + factor * weight
    return out


def article_initiative_scores(hits: KeywordHits, taxonomy: Taxonomy) -> dict[str, float]:
    """Each initiative's weight over the whole article (a keyword counts at most four times)."""
    capped = hits.capped_scores()
    return {i.key: 0.4 * capped.get(i.key, 0.0) for i in taxonomy.initiatives}


_DECLINE: Final = re.compile(r"(下降|减少|降低|下滑|回落)[了]?$")


def choose_metric(initiative: Initiative | None, q: numbers.Quantity, clause_text: str,
                  lead: str = "", label: str = "", weak: bool = True) -> Metric | None:
    """The canonical metric of the initiative that names the figure, if one does.

    First choice: the metric whose name is the label the text gives (``12支金融辅导队`` reads
    金融辅导队数, a canonical name). When the text gives no usable label (``weak``), the metric
    whose unit matches and whose keyword stands in the clause. A growth metric is never given
    to a decline (``同比下降13.6%`` is not a 增速 of 13.6).
    """
    if initiative is None:
        return None
    falling = bool(_DECLINE.search(lead))
    for metric in initiative.metrics:
        if metric.unit == q.unit and label and labels.names_same(label, metric.name):
            return metric
    if not weak:
        return None
    for metric in initiative.metrics:
        if falling and metric.kind == "rate":
            continue
        if metric.unit == q.unit:
            for keyword in metric.keywords:
                if keyword in clause_text:
                    return metric
    return None


def related_metric(initiative: Initiative | None, q: numbers.Quantity, label: str) -> Metric | None:
    """The canonical metric a text label is a kind of (same unit, a keyword of it in the label):
    稳定脱贫建档立卡贫困人口 is a 脱贫人口, so it is a stock like it; GDP差距 (两地相差) is no GDP."""
    if initiative is None or label.endswith(load_metric_words().gap_words):
        return None
    for metric in initiative.metrics:
        if metric.unit == q.unit:
            for keyword in metric.keywords:
                if keyword in label:
                    return metric
    return None


def figure_kind(q: numbers.Quantity, clause_text: str, period: dates.Period,
                metric: Metric | None = None) -> str:
    """How a figure may be combined: target, rate, duration, stock (a level) or flow (an amount).

    A canonical metric's kind (脱贫人口 is a stock) wins over the clause's wording.
    """
    if period.is_target or _TARGET_WORDS.search(clause_text):
        return "target"
    if q.kind in ("percent", "points", "multiple"):
        return "rate"
    if q.kind == "duration":
        return "duration"
    if metric is not None and metric.kind in ("stock", "flow"):
        return metric.kind
    if _STOCK_WORDS.search(clause_text):
        return "stock"
    return "flow"


def figure_tier(q: numbers.Quantity, sentence_text: str) -> str:
    """core: an aggregate a dashboard charts; detail: one firm's or one person's figure."""
    if q.unit in _DETAIL_UNITS:
        return "detail"
    if q.kind in ("percent", "points") or _AREA_WORDS.search(sentence_text):
        return "core"
    return "core" if q.value >= 10 else "detail"


_PLACE_CERTAINTY: Final = {"sentence": 1.0, "paragraph": 0.85, "article": 0.75, "page": 0.5, "none": 0.3}


def _confidence(where: Located, initiative_certainty: float, period: dates.Period) -> float:
    place = _PLACE_CERTAINTY[where.how]
    year = 1.0 if period.year is not None else 0.7
    return round(place * (0.6 + 0.4 * initiative_certainty) * year, 3)


def extract_facts(article: Article, published: dates.PubDate, home_city: str = "") -> list[Fact]:
    """Every figure of one article as a Fact row."""
    return analyse_article(article, published, home_city)[1]


def place_name(where: Located) -> str:
    """The full name of a located place, the county when there is one (薛城区, 聊城市, 山东省)."""
    return where.county or where.city


# a longer paragraph (a page without line breaks) is read this far around a figure
CONTEXT_CHARS: Final = 3000


def _context_window(paragraph: tuple[int, int], sentence: tuple[int, int], sentences: list[tuple[int, int]],
                    sentence_starts: list[int]) -> tuple[int, int]:
    """The figure's paragraph, or whole sentences within ``CONTEXT_CHARS`` of it when it is longer.

    Why: the period and the initiative read the paragraph around each figure; a page with no
    line breaks is one paragraph of megabytes, and reading it for every figure is quadratic.
    """
    if paragraph[1] - paragraph[0] <= CONTEXT_CHARS:
        return paragraph
    i = bisect.bisect_right(sentence_starts, sentence[0] - CONTEXT_CHARS // 2)
    lo = max(paragraph[0], sentences[i][0] if i < len(sentences) else sentence[0])
    j = bisect.bisect_right(sentence_starts, sentence[1] + CONTEXT_CHARS // 2) - 1
    hi = min(paragraph[1], max(sentence[1], sentences[j][1] if j >= 0 else sentence[1]))
    return min(lo, sentence[0]), hi


def analyse_article(article: Article, published: dates.PubDate, home_city: str = "",
                    page: places.PageScan | None = None) -> tuple[Located, list[Fact]]:
    """The article's main place and every figure of it as a Fact row; ``page``: the places of the
    page the article is on, found once (``places.scan_page``), which its mentions are read off."""
    taxonomy = load_taxonomy()
    text = article.text
    home = home_city or article.home_city
    # a national paper's page (home 全国) has no home province: any province's place carries on
    home_province = "" if home == places.NATION.name else (
        places.province_of(home) or article.home_province or places.default_province())
    mentions = places.find_place_mentions(text, home, page=page)
    title_end = len(article.title)
    usable = [m for m in mentions if _usable(text, m)]
    article_place = locate_article(article, mentions, home, title_end, usable)
    subjects = subject_mentions(text, mentions, home_province, usable)
    sentences = _sentence_spans(text)
    sentence_starts = list(map(_FIRST, sentences))
    paragraphs = _spans(text, _PARAGRAPH_BREAK)
    paragraph_starts = list(map(_FIRST, paragraphs))
    hits = KeywordHits(text, taxonomy)
    scorer = InitiativeScorer(hits.scores(0, title_end), article_initiative_scores(hits, taxonomy), taxonomy)

    starts_of_subjects = list(map(_START, subjects))
    subject_starts = starts_of_subjects if starts_of_subjects == sorted(starts_of_subjects) else None

    rows: list[Fact] = []
    figure_id = stable_ids_after(article.article_id)  # stable_id(article_id, quote, n)
    provinces: dict[str, str] = {}  # city → its province
    seen: dict[str, int] = {}  # how often each quote came before: the figure's number in its fact_id
    starts_of_mentions = list(map(_START, mentions))
    mention_starts = starts_of_mentions if starts_of_mentions == sorted(starts_of_mentions) else None
    known_mentions: dict[tuple[str, int], bool] = {}  # what locate_figure found about each mention
    confidences: dict[tuple[str, float, bool], float] = {}  # few distinct ones: round() once each
    quantities, figure_sentences = [], []
    for q in numbers.find_quantities(text):
        sentence = _containing(sentences, sentence_starts, q.start)
        if is_figure(text, q, mentions, subjects, sentence, mention_starts, subject_starts):
            quantities.append(q)
            figure_sentences.append(sentence)
    figure_clauses = _clauses_around(text, list(map(_START, quantities)))
    place_spans = list(map(_SPAN, mentions))
    figure_labels = labels.label_figures(text, quantities, figure_clauses, place_spans)
    initiatives: dict[str, Initiative] = {}
    for i in taxonomy.initiatives:
        initiatives.setdefault(i.key, i)  # the first of a key, as ``Taxonomy.get`` gives
    figure_contexts = []  # each figure's sentence's text and context window (paragraph)
    sentence, paragraph, sentence_text, context = (-1, -1), (-1, -1), "", (0, 0)
    for q, sentence_of_figure in zip(quantities, figure_sentences, strict=True):
        paragraph_of_figure = _containing(paragraphs, paragraph_starts, q.start)
        if sentence_of_figure != sentence or paragraph_of_figure != paragraph:  # text order: read once
            sentence, paragraph = sentence_of_figure, paragraph_of_figure
            sentence_text = text[sentence[0]:sentence[1]].strip()
            context = _context_window(paragraph, sentence, sentences, sentence_starts)
        figure_contexts.append((sentence_text, context))
    periods_asked = [(context[0], q.start)  # what period_at will read: each figure's window and start
                     for q, (_, context) in zip(quantities, figure_contexts, strict=True)]
    times = dates.index_times(text, published, periods_asked)
    for q, clause, sentence, (sentence_text, context), named in zip(
            quantities, figure_clauses, figure_sentences, figure_contexts, figure_labels, strict=True):
        clause_text = text[clause[0]:clause[1]]
        where = locate_figure(text, q.start, sentence, context, subjects, article_place, home_province,
                              subject_starts, known_mentions)
        period = (dates.bracketed_year(text, q.end)
                  or dates.period_at(text, q.start, context[0], published, times))
        noun = _CJK_RUN.match(text, q.end)
        noun_span = noun.span() if noun else (q.end, q.end)
        key, certainty = scorer.classify(local_scores(hits, noun_span, clause, sentence, context))
        initiative = initiatives.get(key)
        lead = text[max(clause[0], q.start - 6):q.start]
        canonical = choose_metric(initiative, q, clause_text, lead, named.metric, named.weak)
        metric = canonical.name if canonical else named.metric
        kin = canonical or related_metric(initiative, q, metric)
        # The dashboard compares like with like by the taxonomy's metric; the label keeps the text's words.
        # A label of its own (300余家省内企业) joins a metric only if it is a kind of it, never because
        # the metric's keyword stands elsewhere in the clause (…与65家技改服务商对接).
        if named.weak:  # choose_metric has already fallen back to the clause's keywords
            family = canonical
        else:  # and a fall is never a 增速 (同比下降13.6% is not a growth of 13.6)
            family = None if kin and kin.kind == "rate" and _DECLINE.search(lead) else kin
        parent_id = rows[named.parent].fact_id if named.parent is not None else ""
        n = seen.get(q.quote, 0)
        seen[q.quote] = n + 1
        province = provinces.get(where.city)
        if province is None:  # the figures of an article name few cities
            province = provinces[where.city] = places.province_of(where.city)
        certain = (where.how, certainty, period.year is not None)
        confidence = confidences.get(certain)
        if confidence is None:
            confidence = confidences[certain] = _confidence(where, certainty, period)
        rows.append(Fact(
            fact_id=figure_id(q.quote, n),
            article_id=article.article_id, doc=article.doc,
            province=province, city=where.city, county=where.county,
            initiative=key, metric=metric,
            value=q.value, unit=q.unit, approx=q.approx, range_hi=q.range_hi,
            period_year=period.year, period=period.text,
            quote=q.quote, sentence=sentence_text, char_start=q.start, char_end=q.end,
            confidence=confidence,
            tier=figure_tier(q, sentence_text), kind=figure_kind(q, clause_text, period, kin),
            place_how=where.how, parent_fact_id=parent_id,
            canonical_metric=family.name if family else "",
        ))
    return article_place, rows
