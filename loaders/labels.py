"""Metric labels: what each figure counts, named the way an official would name it.

A label is a noun phrase read from the figure's own clause, never a fragment of it:

- a count followed by its noun takes that noun, with the verb that says what happened to it
  (``474个省扶贫工作重点村稳定退出`` → 稳定退出省扶贫工作重点村数, ``发布152款金融产品`` → 发布金融产品数);
- otherwise the noun phrase before the figure, without the linking words (``技改项目就有5511个``
  → 技改项目数) and with the change a rate measures (``技改投资同比增长26.6%`` → 技改投资同比增速;
  a fall keeps 下降);
- a measure with no subject of its own borrows the subject of the figure before
  (``专项抗疫贷16户，金额3478万元`` → 专项抗疫贷金额);
- a level reached is a level, not a change: both ends of ``由…到/至…`` (each may carry its time:
  ``贫困发生率由建档立卡之初的5.4%降至2019年末的0.06%``) and a ``降至`` are levels of the noun before; a
  rate with no words of its own is a level of the rate before it in the sentence (``下降至0.41%``);
- a count of places (``市``, ``县市区``, ``市(州)``) is named by what the places did or what sorts them
  (``新增南充、广元、广安、自贡4个市`` → 新增市数,
  ``贫困发生率在10%以上的县共有41个`` → 贫困发生率10%以上县数);
  a place, ``中部地区`` or a bracketed kind of place (``投资上百亿元市(州)``) ends a label on its left;
- a gap to a yardstick keeps its own subject when it has one (``全市投资进度快于时间进度0.7个百分点``), and
  ``比…高`` reads as ``高于…``;
- time said as rhetoric (``365个日日夜夜``) is no metric and lends no subject;
- parts of a whole (``其中``, ``包括``, ``分别``, ``…中，``, ``占…``) point at the whole they belong to, and a
  part named only by its place or a short qualifier is labelled as its whole
  (``新签约项目14个，其中潍坊5个`` → 新签约项目数, whole 14个).

Part-of-speech tags come from jieba-rs (``rjieba``: jieba's dictionary and algorithm in Rust, without
HMM) run on the figure's clause only (two short strings per figure, each distinct one tagged once
per article and nothing kept across pages), so the cost grows with the number of figures, not the
page; its dictionary loads on the first label, not at import.
A label that is still weak (shorter than two characters, no noun, a place or a time word), and the
nearest words taken when no phrase is found, are flagged for the 校对 queue.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cache, lru_cache, partial
from operator import itemgetter
from typing import TYPE_CHECKING, Final, NamedTuple

from loaders import numbers
from loaders import places as gazetteer
from loaders.first_chars import first_characters
from loaders.taxonomy import MetricWords, load_metric_words, load_taxonomy

if TYPE_CHECKING:
    from collections.abc import Callable

_ADMIN_ENDINGS: Final = ("省", "市", "县", "区", "镇", "乡", "村", "街道", "州", "旗")
_NOUNS: Final = frozenset({"ns", "n", "nz", "nt", "nr", "nrt", "nrfg", "ng", "vn", "an", "j", "l", "eng", "i",
                           "s", "b", "zg", "g", "k"})
_NOUNS_NOT_VN: Final = _NOUNS - {"vn"}  # a noun that is not a verb used as one
_NOUNS_OR_VERBS: Final = _NOUNS | {"v", "vi"}
_MODIFIERS: Final = frozenset({"a", "f", "v", "vd", "vi", "ad", "z", "h", "vg", "ag", "nw"})
_NUMERAL: Final = re.compile(r"^\d[\d.,]*[%％]?$")
_STOPPING: Final = frozenset({"t", "tg", "r", "rr", "rz", "p", "u", "uj", "ul", "ug", "uz", "ud", "uv", "d",
                              "df", "dg", "x", "w", "y", "e", "o", "q", "mq", "c", "cc"})
_PINYIN: Final = re.compile(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")
_CJK_RUN: Final = re.compile(r"[\u4e00-\u9fff]+")
_CJK: Final = re.compile(r"[\u4e00-\u9fff]")
_MONEY_IN_PHRASE: Final = re.compile(r"^(?:[\d.]+|[\d.]*[亿万千百]?(?:元|美元)?|以上|以下|-)$")
_QUOTES: Final = "“”‘’\"'《》「」『』()（）【】"
_REMARKS: Final = frozenset({"第一批", "第二批", "试行", "修订"})
_THRESHOLDS: Final = frozenset({"过", "超", "超过", "逾", "投资"})
# 已累计实现|3.4万户: a link before a figure, not of a label (累计挂牌数)
_TAIL_LINKS: Final = frozenset({"累计"})
_NUMERAL_CHARS: Final = "一二三四五六七八九十两百千万亿零"
_SIZE_NOUNS: Final = frozenset({"面积", "长度", "量"})
_PERIODS: Final = frozenset({"全年", "年度", "当年", "季度", "月度"})
_REGIONS: Final = frozenset({"地区", "区域", "片区"})
_SORT_WORDS: Final = frozenset({"类", "型", "级", "批", "种"})
_LIST_MARK: Final = "分别"
_CLAUSE_STOP: Final = re.compile(r"[，,：:。！？!?；;\n]")
_LAST_STOP: Final = re.compile(r"[，,：:。！？!?；;\n](?=[^，,：:。！？!?；;\n]*$)")
_LAST_SENTENCE_STOP: Final = re.compile(r".*[。！？!?\n]", re.DOTALL)  # up to the last stop of a span
_SENTENCE_STOP: Final = re.compile(r"[。！？!?\n]")
# A mark the segmenter always cuts off alone and tags x: after a figure it means no word of the figure
# follows (完成投资120亿元，…), so the words after it need not be tagged to find none.
_MARKS_AFTER: Final = frozenset("，,。；;、：:")
_YARDSTICK: Final = re.compile(r"(?:高于|低于|快于|慢于|超出|领先|落后)[^，,。；;、]{0,8}")
_TOWARD: Final = re.compile(r"对([^，,。；;、：:的对\d]{2,10})的$")
_THAN: Final = re.compile(r"(?:比|较)([^，,。；;、比较\d]{2,10}?)(高出|低出|高|低|快|慢)$")
_RANKED: Final = re.compile(r"[^，,。；;：:]{2,16}?((?:最高|最低|最快|最慢|最多|最少|最大|最小|居首|第一)"
                     r"的(?:是|为))[^，,。；;]{0,12}[，,]\s*(?:为|达|达到)?\s*$")
_AMONG: Final = re.compile(r"(?<!其)中[，,:：]\s*$")
_AMONG_ENDS: Final = ("中，", "中,", "中:", "中：")
_PARTNERS: Final = re.compile(r"[与和同跟向及]")
# marks a noun after a figure leaves out (“…”, 县(市、区))
_UNQUOTED: Final = str.maketrans("", "", _QUOTES + "、")
_FULL_STOPS: Final = frozenset("。！？!?")  # a sentence after one of these does not follow a …中，


def _among(text: str) -> bool:
    """Whether ``text`` may end in ``…中，`` (a test as cheap as a slice, before ``_AMONG``)."""
    return text.rstrip().endswith(_AMONG_ENDS)


_TIME_ONLY: Final = re.compile(
    r"^(?:今年|去年|前年|明年|当年|目前|当前|近年来|今年以来|年内|年底|年初|年末|全年|上半年|下半年|前三季度|"
    r"\d{4}年|[一二三四]季度|\d+-?\d*月份?|每年|每月|日均|同期|以来|期间|如今|现在)+$")


class FigureLabel(NamedTuple):
    """The label of one figure, the whole it is a part of (an index into the article's figures)
    and whether a person should name it (``weak``); a tuple, as every figure of a page has one."""

    metric: str
    parent: int | None = None
    part: str = ""  # the words that say which part (其中高新技术制造业), "" for a whole
    weak: bool = False


_Token = tuple[str, str, int, int]
"""A word of a clause: (word, part of speech, start, end), offsets in the article text. A plain tuple
read by index (``tok[_W]``): a page makes tens of thousands, and a named tuple's constructor and field
reads each cost a call or a descriptor lookup where a plain tuple costs one instruction."""
# where a token holds its word, tag, start and end (Final: a compiler reads each field's own type)
_W: Final = 0
_F: Final = 1
_S: Final = 2
_E: Final = 3


@cache
def _tagger() -> tuple[Callable[[str, bool], list[tuple[str, str]]], dict[str, str], re.Pattern[str],
                       re.Pattern[str]]:
    """jieba-rs's part-of-speech tagger taught the words of metric labels (占比, 开复工率) from
    ``metric_labels.toml``, those words' tags, and what a clause holds when a tag must be put right.
    rjieba's shared tagger is used (a second one would load the dictionary twice); jieba-rs keeps a
    known word's own tag when it is added again (技改 stays j), so the file's tags are applied over
    its output. jieba-rs tags a word by the word alone (its dictionary's tag, else m, eng or x by its
    characters), so only the file's words it tags otherwise (技改, 同比, 月份) and a number need it.
    The last pattern is the first characters of those: a class the regex engine scans for in C, where
    the alternation is tried word by word at every character (most clauses hold none of them)."""
    import rjieba  # loads jieba's dictionary (0.1 s): on the first label, not when loaders is imported

    dictionary = dict(load_metric_words().dictionary)
    for word, tag in dictionary.items():
        rjieba.add_word(word, None, tag)
    retagged = sorted((w for w, t in dictionary.items() if rjieba.tag(w, False) != [(w, t)]), key=len,
                      reverse=True)
    retag = re.compile("|".join([r"\d", *map(re.escape, retagged)]))
    first = re.compile("[" + "".join([r"\d", *sorted({re.escape(w[0]) for w in retagged})]) + "]")
    return rjieba.tag, dictionary, retag, first


def _tokens_of(clause: str) -> tuple[tuple[str, str], ...]:
    """(word, tag) pairs of a clause; a number (26, 5511; 26.6 comes as 26 . 6) is tagged m."""
    return tuple(_tag(clause))


def _tag(clause: str) -> list[tuple[str, str]]:
    """The (word, tag) pairs of a clause, the label file's tags and m for numbers put over
    jieba-rs's. Most clauses hold neither a number nor a word the file tags otherwise (one regex
    search says so): jieba-rs's list is taken as it comes, without a Python loop over the words."""
    tag, dictionary, retag, retag_first = _tagger()
    pairs = tag(clause, False)
    first = retag_first.search(clause)
    if first is None or retag.search(clause, first.start()) is None:
        return pairs
    # the file's tag, else jieba-rs's; a number starts with a decimal digit (str.isdecimal is what \d
    # matches): other words skip the regex
    return [(word, "m" if word[:1].isdecimal() and _NUMERAL.match(word) else dictionary.get(word, flag))
            for word, flag in pairs]


_new_label: Final = partial(tuple.__new__, FigureLabel)  # a FigureLabel from a 4-tuple, the same way


# windows remembered per article (a sentence's figures ask for theirs close together)
_MEMO_SIZE: Final = 4096


class _TaggedText:
    """An article's text and the part-of-speech tokens of the windows the grammar reads in it.

    A figure's reading tags a few short windows of its clause (the words after it, the phrase
    before it); figures of one sentence often ask for the same words (``同比增长``), so each
    distinct window is tagged once per article. The memo lives as long as the article's labelling:
    nothing is kept from one page to the next."""

    __slots__ = ("_seen", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._seen: dict[str, list[tuple[str, str]]] = {}

    def tokens(self, lo: int, hi: int) -> list[_Token]:
        """Part-of-speech tokens of ``text[lo:hi]`` with article offsets."""
        if hi <= lo:
            return []
        window = self.text[lo:hi]
        tagged = self._seen.get(window)
        if tagged is None:
            if len(self._seen) >= _MEMO_SIZE:  # a 5 MB page is one article: keep the memo small
                self._seen.clear()
            tagged = self._seen[window] = _tag(window)
        out: list[_Token] = []
        for word, flag in tagged:  # a loop is cheaper than accumulating offsets for five words
            end = lo + len(word)
            out.append((word, flag, lo, end))
            lo = end
        return out


def fold_synonyms(label: str, words: MetricWords | None = None) -> str:
    """Synonyms as data: 技术改造项目个数 → 技改项目数, GDP → 地区生产总值."""
    words = words or load_metric_words()
    label = words.label_synonyms.get(label, label)
    for variant, preferred in words.word_synonyms:
        label = label.replace(variant, preferred)
    return words.label_synonyms.get(label, label)


def _fold(label: str, words: _Grammar) -> str:
    """``fold_synonyms`` with one regex search deciding whether any word synonym occurs at all
    (most labels hold none: 技改项目数 is already folded)."""
    label = words.label_synonyms.get(label, label)
    if words.variants.search(label):
        for variant, preferred in words.word_synonyms:
            label = label.replace(variant, preferred)
    return words.label_synonyms.get(label, label)


def _peel(text: str, lo: int, hi: int, words: _Grammar) -> int:
    """Move ``hi`` left over link words, quotes and spaces (技改项目就有|5511个 → 技改项目|)."""
    peeled, last_chars = words.peeled, words.peeled_last_chars
    while hi > lo:
        last = text[hi - 1]
        if last in _QUOTES or last.isspace():
            hi -= 1
            continue
        if last not in last_chars:  # no link word ends here (就有 ends in 有): nothing to try
            return hi
        for n in (4, 3, 2, 1):
            if hi - n >= lo and text[hi - n:hi] in peeled:
                hi -= n
                break
        else:
            return hi
    return hi


def _peel_links(text: str, lo: int, hi: int, words: _Grammar) -> int:
    """Move ``lo`` right over link words (提高|到80件 → 80件)."""
    links = words.links
    while lo < hi:
        for n in (3, 2, 1):
            if text[lo:lo + n] in links:
                lo += n
                break
        else:
            return lo
    return lo


class _Endings:
    """Words a text may end with, looked up longest first (增长 and 同比增长 …): one set lookup of
    the last character when none fits (most texts), else one set lookup per length."""

    __slots__ = ("_all", "_by_length", "last_chars")

    def __init__(self, options: Iterable[str]) -> None:
        self._all = tuple(options)
        lengths = sorted({len(w) for w in self._all if w}, reverse=True)
        self._by_length = tuple((n, frozenset(w for w in self._all if len(w) == n)) for n in lengths)
        self.last_chars = frozenset(w[-1] for w in self._all if w)  # a caller may test the last first

    def longest(self, text: str) -> str:
        """The longest of the words that ``text`` ends with, or "" (most texts end in no ending's
        last character: that is tested here, without the call)."""
        if not text or text[-1] not in self.last_chars:
            return ""
        return self.longest_in(text, 0, len(text))

    def longest_in(self, text: str, lo: int, hi: int) -> str:
        """``longest(text[lo:hi])`` without copying the span (a clause before its figure:
        技改投资同比增长|26.6% → 同比增长 … 增长)."""
        if hi <= lo or text[hi - 1] not in self.last_chars:
            return ""
        for n, options in self._by_length:
            if hi - n >= lo and text[hi - n:hi] in options:
                return text[hi - n:hi]
        return ""


@dataclass(frozen=True)
class _Grammar(MetricWords):
    """The label file's words with the lookups the grammar makes for every figure built once:
    the endings it tests longest first, and the words ``_peel`` steps over."""

    peeled: frozenset[str] = frozenset()  # links and _TAIL_LINKS
    peeled_last_chars: frozenset[str] = frozenset()
    changes: _Endings = _Endings(())  # growth and decline words
    comparisons: _Endings = _Endings(())
    gaps: _Endings = _Endings(())
    measures: _Endings = _Endings(())
    heads: _Endings = _Endings(())
    place_units: _Endings = _Endings(())
    # what the units add to a label (户数, 数), longest first, by their last character
    subject_endings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    empty_subject_endings: tuple[str, ...] = ()
    variants: re.Pattern[str] = re.compile(r"(?!)")  # any word synonym's variant (技术改造, 规模以上)
    money_noun: re.Pattern[str] = re.compile(r"(?!)")  # any money noun (资金, 贷款, 债)
    # words a phrase walk treats other than by their tag (brackets, quotes, 全省, 地区, 类, 全年, 超过 …)
    marked_words: frozenset[str] = frozenset()


@cache
def _grammar() -> _Grammar:
    words = load_metric_words()
    peeled = words.links | _TAIL_LINKS
    subject_endings = sorted(set(words.suffix.values()), key=len, reverse=True)
    return _Grammar(
        **{f.name: getattr(words, f.name) for f in fields(MetricWords)},
        peeled=peeled,
        peeled_last_chars=frozenset(w[-1] for w in peeled if w),
        changes=_Endings((*words.growth_words, *words.decline_words)),
        comparisons=_Endings(words.comparison_words),
        gaps=_Endings(words.gap_words),
        measures=_Endings(words.measure_endings),
        heads=_Endings(words.relative_heads),
        place_units=_Endings(words.noun_units),
        subject_endings={last: tuple(e for e in subject_endings if e[-1:] in ("", last))
                         for last in {e[-1:] for e in subject_endings}},
        empty_subject_endings=tuple(e for e in subject_endings if not e),
        variants=re.compile("|".join(re.escape(variant) for variant, _ in words.word_synonyms) or r"(?!)"),
        money_noun=re.compile("|".join(map(re.escape, words.money_nouns)) or r"(?!)"),
        marked_words=frozenset().union(*map(_pieces, (")）", _QUOTES, "-—~～")), _THRESHOLDS, _REGIONS,
                                       words.scope_words, _SORT_WORDS, _PERIODS),
    )


def _pieces(chars: str) -> set[str]:
    """Every string ``word in chars`` holds for (a test of membership in a string is a substring test)."""
    return {chars[i:j] for i in range(len(chars) + 1) for j in range(i, len(chars) + 1)}


# a noun or modifier no rule of the walk treats apart
_PLAIN_FLAGS: Final = (_NOUNS | _MODIFIERS) - {"ns", "f"}


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` meets one of ``spans``, which are sorted by start (the walk stops at
    the first span past ``end``)."""
    for s, e in spans:
        if s >= end:
            return False
        if start < e:
            return True
    return False


def _reach(spans: Sequence[tuple[int, int]], hi: int) -> int:
    """The furthest end of the ``spans`` (sorted by start) that start before ``hi``, or -1.

    A word ``[start, end)`` with ``end <= hi`` meets one of the spans only if ``start`` is before
    that end, so a walk over a window's words tests ``_overlaps`` only for those (most windows
    before a figure meet no other figure and no place: the test is never made)."""
    reach = -1
    for s, e in spans:
        if s >= hi:
            break
        if e > reach:
            reach = e
    return reach


def _first_start(spans: Sequence[tuple[int, int]], lo: int) -> int:
    """The first start of the ``spans`` (sorted by start) that end after ``lo``, or ``lo`` + 2**30:
    a word ``[start, end)`` with ``start >= lo`` meets one of the spans only if ``end`` is past it
    (the words after a figure are tested only from the next figure on)."""
    for s, e in spans:
        if e > lo:
            return s
    return lo + 2**30


def _is_place(token: _Token, places: Sequence[tuple[int, int]]) -> bool:
    if token[_F] == "ns" and (len(token[_W]) == 1 or token[_W].endswith(_ADMIN_ENDINGS)):
        return True
    return _overlaps(token[_S], token[_E], places)


def _names_place(token: _Token, places: Sequence[tuple[int, int]]) -> bool:
    """A place, also one written short that the segmenter did not tag as one (自贡/v, 广元/nz)."""
    return _is_place(token, places) or _short_place(token[_W])


@lru_cache(maxsize=4096)
def _short_place(word: str) -> bool:
    return 2 <= len(word) <= 4 and _CJK_RUN.fullmatch(word) is not None and (
        gazetteer.resolve_place(word) is not None) and word not in load_metric_words().scope_words


@dataclass(slots=True, init=False)
class _Phrase:
    """A noun phrase before a figure; a slotted class, as its fields are read several times per
    figure (a slot is read in one step, a named tuple's field through a descriptor). Its
    ``__init__`` is written out: a compiled class runs a generated one as interpreted code."""

    text: str
    has_noun: bool
    start: int
    stopped_at_place: bool

    def __init__(self, text: str = "", has_noun: bool = False, start: int = -1,
                 stopped_at_place: bool = False) -> None:
        self.text = text
        self.has_noun = has_noun
        self.start = start
        self.stopped_at_place = stopped_at_place


def _phrase_before(tokens: list[_Token], words: _Grammar, places: Sequence[tuple[int, int]],
                   figures: Sequence[tuple[int, int]], money: Sequence[tuple[int, int]] = (),
                   limit: int = 14) -> _Phrase:
    """The noun phrase that ends where ``tokens`` end, walking left until a place, a time word,
    a pronoun, a preposition, an adverb, punctuation or another figure."""
    kept: list[_Token] = []
    kept_chars = 0  # the characters of ``kept``, counted as it grows
    stopped_at_place = False
    skip_to = -1
    scope_words, noun_units, marked_words = words.scope_words, words.noun_units, words.marked_words
    window_end = tokens[-1][_E] if tokens else 0
    figure_reach, place_reach = _reach(figures, window_end), _reach(places, window_end)
    for i in range(len(tokens) - 1, -1, -1):
        tok = tokens[i]
        if i >= skip_to >= 0:
            continue
        word, flag, start, end = tok
        if start < figure_reach and _overlaps(start, end, figures):
            if kept and money and _overlaps(start, end, money):
                kept.append(tok)  # 20亿-50亿元项目: an amount that sorts the projects
                kept_chars += len(word)
                continue
            break
        if flag in _PLAIN_FLAGS and word not in marked_words:  # 技改|投资: the common case, taken first
            if start < place_reach and _overlaps(start, end, places):
                stopped_at_place = True
                break
            if kept and (kept_chars + len(word) > limit or (
                    kept[-1][_F] in _VERBS and flag in _NOUNS and word.endswith(words.agent_endings))):
                break  # too long; 车管部门|举办e课堂: who acted is not what is counted
            kept.append(tok)
            kept_chars += len(word)
            continue
        if word in ")）":
            opening = next((j for j in range(i - 1, max(i - 8, -1), -1) if tokens[j][_W] in "(（"), -1)
            if opening < 0:
                break
            inside = "".join(t[_W] for t in tokens[opening + 1:i])
            if opening > 0 and tokens[opening - 1][_W] in _ADMIN_ENDINGS and inside and all(
                    c in _ADMIN_ENDINGS or c == "、" for c in inside):
                stopped_at_place = True  # 投资上百亿元市(州)|累计完成投资: a kind of place, like 全省
                break
            if kept and _CJK.search(inside):  # 新开工(运营)项目: the brackets belong to the name
                kept.extend(reversed(tokens[opening:i + 1]))
                kept_chars += sum(len(t[_W]) for t in tokens[opening:i + 1])
            skip_to = opening  # 规上工业企业(含连续性生产企业)达1589家: a remark, left out
            continue
        if word in _QUOTES:
            continue
        last_flag = kept[-1][_F] if kept else ""
        if last_flag == "m" and (word in "-—~～" or word in _THRESHOLDS):
            kept.append(tok)  # 20亿-50亿元, 过10亿元项目: the threshold names the part
            kept_chars += len(word)
            continue
        previous_flag = tokens[i - 1][_F] if i > 0 else ""
        region = word in _REGIONS and previous_flag == "f"  # 中部地区, 西部地区
        named_place = flag == "ns" and (len(word) == 1 or word.endswith(_ADMIN_ENDINGS))  # _is_place, inlined
        if word in scope_words or region or named_place or (
                start < place_reach and _overlaps(start, end, places)):
            stopped_at_place = True
            break
        if kept and kept_chars + len(word) > limit:
            break
        if (flag == "c" or flag == "cc") and kept and word in "和及与" and previous_flag in _NOUNS:
            kept.append(tok)
            kept_chars += len(word)
            continue
        if word in _SORT_WORDS and kept and previous_flag in _NOUNS_OR_VERBS:
            kept.append(tok)  # 医疗卫生类项目, 省级平台
            kept_chars += len(word)
            continue
        if word in _PERIODS and last_flag in _NOUNS and previous_flag == "v":
            kept.append(tok)  # 技改投资完成全年目标: the period of a target is part of its name
            kept_chars += len(word)
            continue
        if flag == "m" or flag == "mq":
            if kept and kept[-1][_W] in noun_units:
                kept.pop()  # 山东省17市GDP总量: a count of places is not part of the name
            elif kept and _MONEY_IN_PHRASE.match(word):
                kept.append(tok)
                kept_chars += len(word)
                continue
            break
        if flag == "f" and (word == "以上" or word == "以下") and (not kept or last_flag in _NOUNS):
            kept.append(tok)
            kept_chars += len(word)
            continue
        if flag in _NOUNS or flag in _MODIFIERS:
            if flag == "f" and not kept:
                break
            if (last_flag == "v" or last_flag == "vi") and flag in _NOUNS and word.endswith(
                    words.agent_endings):
                break  # 车管部门|举办e课堂: who acted is not what is counted
            kept.append(tok)
            kept_chars += len(word)
            continue
        if flag == "d" and kept and (previous_flag in _NOUNS or previous_flag == "v"):
            if all(t[_W] in words.light_verbs or t[_W] in words.links for t in kept):
                continue  # 放款至少需要: the adverb between two verbs says nothing of the metric
            kept.append(tok)  # 抗疫特别国债, 小麦已收
            kept_chars += len(word)
            continue
        break
    kept.reverse()
    while kept and not (len(kept) > 1 and kept[1][_F] == "m" and kept[0][_W] in _THRESHOLDS) and (
            kept[0][_W] in words.light_verbs or kept[0][_W] in words.links
                    or kept[0][_F] in ("c", "f", "ul", "uj", "d") or kept[0][_W] in "-—~～"):
        kept.pop(0)
    while kept and kept[-1][_W] in words.light_verbs:
        kept.pop()
    if not kept:
        return _Phrase("", False, -1, stopped_at_place)
    has_noun = not _NOUNS_NOT_VN.isdisjoint(map(_FLAG, kept))
    return _Phrase("".join(map(_WORD, kept)), has_noun, kept[0][_S], stopped_at_place)


def _noun_after(tokens: list[_Token], words: _Grammar, places: Sequence[tuple[int, int]],
                figures: Sequence[tuple[int, int]], limit: int = 12, of_ok: bool = False) -> tuple[str, str]:
    """The noun a count is of and the verb that follows it (437笔|科技成果转化贷款 → ("科技成果转化贷款", ""),
    474个|省扶贫工作重点村稳定退出 → ("省扶贫工作重点村", "稳定退出"))."""
    if not _OPENING_QUOTES.isdisjoint(map(_WORD, tokens)):  # most clauses quote nothing
        tokens = _quoted_as_nouns(tokens)
    n = len(tokens)
    i, noun = 0, []
    noun_chars = 0  # the characters of ``noun``, counted as it grows
    while i < n and (tokens[i][_W].strip() == "" or tokens[i][_W] == "的" and i == 0 and of_ok):
        i += 1
    if (i + 1 < n and tokens[i][_W][:1] in _ORDINAL_OPENS and _ORDINAL.match(tokens[i][_W])
            and tokens[i + 1][_F] in _NOUNS):
        noun.append(tokens[i])  # 5000多万|第二批技改奖补资金: the batch belongs to the name
        noun_chars += len(tokens[i][_W])
        i += 1
    links, relative_heads = words.links, words.relative_heads
    next_figure = _first_start(figures, tokens[0][_S]) if tokens else 0
    while i < n:
        tok = tokens[i]
        word, flag, start, end = tok
        if noun and word in "(（" and len(noun[-1][_W]) == 1:
            kinds = _place_kinds(tokens, i)
            if kinds:  # 23个乡(镇) → 乡镇, 县(市、区) → 县市区
                noun[-1] = (noun[-1][_W] + kinds, *noun[-1][1:])
                noun_chars += len(kinds)
                i += 2 + 2 * len(kinds) - 1
                continue
        if noun and word in _CONJUNCTIONS and (word != "、" or len(noun) == 1) and _coordinated(
                tokens, i, places):  # 优势产业链条和特色产业集群, 银行、邮政签约网点: one count of both
            noun.append(tok)
            noun_chars += len(word)
            limit += len(word) + 4
            i += 1
            continue
        if noun_chars + len(word) > limit or word in links or (
                end > next_figure and _overlaps(start, end, figures)):
            break
        nxt = tokens[i + 1] if i + 1 < n else None
        if noun and word in relative_heads and nxt is not None and nxt[_F] in ("m", "v", "vi", "d"):
            said = _measure_said(tokens, i, words, figures)
            if said:  # 25个行业|技改投资呈正增长 → 行业, 技改投资正增长
                return noun[0][_W], "".join(t[_W] for t in noun[1:]) + word + said
            break  # 6个项目|投资额超10亿元: the measure of another figure
        if (flag in _NOUNS and not _is_place(tok, places)) or (
                flag in ("a", "b", "v") and word not in words.light_verbs and nxt is not None
                and _modifies(tokens, i, noun, words)) or (word in _SORT_WORDS and noun):
            noun.append(tok)
            noun_chars += len(word)
        elif word in _QUOTES and noun == []:
            pass
        else:
            break
        i += 1
    if _NOUNS.isdisjoint(map(_FLAG, noun)):
        return "", ""
    kinds = _place_kinds(tokens, i) if i < len(tokens) else ""
    if kinds:  # 15个贫困县(市)实现了脱贫摘帽: a remark on the kind of place, not the end of the count
        i += 2 * len(kinds) + 1
    verb: list[_Token] = []
    while i < len(tokens) and (tokens[i][_W] in words.links or tokens[i][_F] in ("d", "ad") or (
            tokens[i][_W] == "被" and i + 1 < len(tokens) and tokens[i + 1][_F] == "v")) and not verb:
        if tokens[i][_W] in ("已", "已经") and i + 1 < len(tokens) and tokens[i + 1][_F] in ("v", "vi"):
            verb.append(tokens[i])  # 458个项目已开工: 已 says the state counted
        i += 1
    k = i + 1  # 12家企业与13家院校专家签订…: the partner's own count is not part of the label
    while k < len(tokens) and k <= i + 2 and _overlaps(tokens[k][_S], tokens[k][_E], figures):
        k += 1
    partner = k + 1 < len(tokens) and tokens[k][_F] in _NOUNS
    if partner and tokens[i][_W] in ("与", "和", "同", "跟", "向"):
        j = k  # 7家企业与院校签约共建研发平台: the partner belongs to what was done
        while j < len(tokens) and tokens[j][_F] in _NOUNS and not _is_place(tokens[j], places) and (
                tokens[j][_W] not in words.scope_words):
            j += 1
        if j < len(tokens) and tokens[j][_F] in ("v", "vi") and j - k <= 3:
            verb.extend([tokens[i], *tokens[k:j]])
            i = j
    while i < len(tokens) and tokens[i][_F] in ("v", "vi", "a", "ad") and len(verb) < 6:
        if tokens[i][_W] in words.light_verbs or tokens[i][_W] in words.links:
            break
        verb.append(tokens[i])
        i += 1
    if not _VERBS.isdisjoint(map(_FLAG, verb)):
        if i + 2 < len(tokens) and tokens[i][_W] in "(（" and tokens[i + 2][_W] in ")）" and (
                _CJK.search(tokens[i + 1][_W])):
            verb.extend(tokens[i:i + 3])  # 已开工(运营)
            i += 3
        while i < len(tokens) and tokens[i][_W] in ("了", "过"):
            i += 1
        obj = []
        if i < len(tokens) and tokens[i][_W] == "《":  # 入选《山东省优质设备供给目录》
            title = next((j for j in range(i + 1, min(i + 16, len(tokens))) if tokens[j][_W] == "》"), -1)
            inside = tokens[i + 1:title] if title > 0 else []
            obj = [t for t in inside if _CJK.search(t[_W]) and t[_W] not in _REMARKS]
        titled = bool(obj)
        while not titled and i < len(tokens) and tokens[i][_F] in _NOUNS and tokens[i][_F] != "ns":
            obj.append(tokens[i])
            i += 1
        if obj and not titled and i < len(tokens) and tokens[i][_W] in ("和", "及", "与"):
            obj = []  # 纳入国家工业领域技改|和设备更新…清单: a cut object would name something else
        named = _BRACKETED.sub("", "".join(t[_W] for t in obj))
        verb_text = "".join(t[_W] for t in verb) + named
        following = tokens[i] if i < len(tokens) else None
        if "".join(t[_W] for t in verb[-1:] + obj) in words.relative_heads or (
                verb and verb[-1][_W] + (following[_W] if following else "") in words.relative_heads):
            verb_text = ""  # 80个实施类项目|完成投资120亿元: the verb belongs to the next figure
        if len(verb_text) > 18:
            verb_text = "".join(t[_W] for t in verb)
    else:
        verb_text = ""
    return "".join(map(_WORD, noun)), verb_text


_VERBS: Final = frozenset({"v", "vi"})
_VERBS_OR_VN: Final = frozenset({"v", "vi", "vn"})
_WORD: Final = itemgetter(0)  # a token's word
_FLAG: Final = itemgetter(1)  # a token's tag: ``not _VERBS.isdisjoint(map(_FLAG, tokens))`` asks in C whether
                      # one of the tokens is a verb, without a generator


def _modifies(tokens: list[_Token], i: int, noun: list[_Token], words: _Grammar) -> bool:
    """Whether the adjective, distinguishing word or verb ``tokens[i]`` (not the last) belongs to the
    noun that follows it (新|签约项目, 规上|企业): not when a measure and its figure follow (项目|完成投资
    120亿元) nor when it is what the counted places did (县(区)|退出贫困县)."""
    tok, nxt = tokens[i], tokens[i + 1]
    measure_next = nxt[_W] in words.relative_heads and i + 2 < len(tokens) and tokens[i + 2][_F] == "m"
    of_places = tok[_F] == "v" and len(tok[_W]) > 1 and "".join(t[_W] for t in noun) in words.noun_units
    if measure_next or of_places:
        return False
    return (nxt[_F] in _NOUNS and nxt[_F] != "ns") or nxt[_W] in _SORT_WORDS or (
        not noun and nxt[_F] == "v" and i + 2 < len(tokens) and tokens[i + 2][_F] in _NOUNS)


def _measure_said(tokens: list[_Token], i: int, words: _Grammar,
                  figures: Sequence[tuple[int, int]]) -> str:
    """What the clause says of the measure ``tokens[i]`` of the things counted, up to the clause's end
    (技改投资|呈正增长 → 正增长), or "" when a figure follows (投资额|超10亿元: a figure of its own)."""
    said = []
    for tok in tokens[i + 1:]:
        if _CLAUSE_STOP.match(tok[_W]):
            break
        if _overlaps(tok[_S], tok[_E], figures) or tok[_F] == "m" or (
                tok[_F] not in ("v", "vi", "d", "a", "ad")):
            return ""
        if tok[_W] not in words.links and tok[_W] not in words.light_verbs and tok[_W] not in _BARE_LINKS:
            said.append(tok[_W])
    text = "".join(said)
    return text if 2 <= len(text) <= 6 else ""


_BRACKETED: Final = re.compile(r"[(（][^)）]*[)）]")
_BARE_LINKS: Final = frozenset({"呈", "呈现", "保持", "均", "都"})
_ORDINAL: Final = re.compile(r"^第[一二三四五六七八九十\d]+[批期轮届]$")
_ORDINAL_OPENS: Final = first_characters(_ORDINAL)  # most words begin with none of these: no call into re
_CONJUNCTIONS: Final = frozenset({"和", "及", "与", "、"})
_OPENING_QUOTES: Final = frozenset(_pieces("“‘「『\""))  # every word ``word in "“‘「『\""`` holds for


def _quoted_as_nouns(tokens: list[_Token]) -> list[_Token]:
    """A short quoted term read as one noun: 驻村“第一书记” → 驻村 | 第一书记, “一县一案” → 一县一案.
    Most clauses quote nothing: their tokens are returned as they are."""
    if _OPENING_QUOTES.isdisjoint(map(_WORD, tokens)):
        return tokens
    out, i = [], 0
    while i < len(tokens):
        tok = tokens[i]
        if tok[_W] in "“‘「『\"":
            close = next((j for j in range(i + 1, min(i + 8, len(tokens)))
                          if tokens[j][_W] in "”’」』\""), -1)
            inside = "".join(t[_W] for t in tokens[i + 1:close]) if close > 0 else ""
            if inside and _CJK_RUN.fullmatch(inside) and len(inside) <= 10:
                out.append((inside, "nz", tok[_S], tokens[close][_E]))
                i = close + 1
                continue
        out.append(tok)
        i += 1
    return out


def _place_kinds(tokens: list[_Token], i: int) -> str:
    """The one-character kinds in brackets after a one-character kind (乡(镇), 县(市、区)), or ""."""
    if tokens[i][_W] not in "(（":
        return ""
    kinds, j = [], i + 1
    while j + 1 < len(tokens) and len(tokens[j][_W]) == 1 and _CJK.match(tokens[j][_W]):
        kinds.append(tokens[j][_W])
        if tokens[j + 1][_W] in ")）":
            return "".join(kinds) if len(kinds) <= 3 else ""
        if tokens[j + 1][_W] != "、":
            return ""
        j += 2
    return ""


def _coordinated(tokens: list[_Token], i: int, places: Sequence[tuple[int, int]]) -> bool:
    """Whether ``tokens[i]`` joins two nouns of one count (优势产业链条|和|特色产业集群), not a
    partner (7家企业|与|院校签约共建): 和/与 only when no verb follows the second noun. A 、 joins only
    a one-word noun (the caller checks): 建设工程、高铁西站… are items of a list, not one count."""
    if tokens[i][_W] not in _CONJUNCTIONS or i + 1 >= len(tokens):
        return False
    if tokens[i + 1][_F] not in _NOUNS or _is_place(tokens[i + 1], places):
        return False
    if tokens[i][_W] in ("、", "及"):
        return True
    j = i + 1
    while j < len(tokens) and (tokens[j][_F] in _NOUNS or tokens[j][_F] == "v" and j + 1 < len(tokens)
                               and tokens[j + 1][_F] in _NOUNS):
        j += 1
    return j >= len(tokens) or tokens[j][_F] not in ("v", "vi", "d", "p")


def _predicate_after(tokens: list[_Token], words: _Grammar, figures: Sequence[tuple[int, int]],
                     limit: int = 6) -> str:
    """The verb and object right after a figure, up to the clause's end (3市|启动试点 → 启动试点)."""
    kept: list[_Token] = []
    kept_chars = 0
    for tok in tokens:
        if _overlaps(tok[_S], tok[_E], figures):
            break
        if tok[_W] in words.links or tok[_F] in ("d", "ad"):
            continue
        if tok[_F] not in _NOUNS and tok[_F] not in ("v", "vi", "vd"):
            break
        if kept_chars + len(tok[_W]) > limit:
            break
        kept.append(tok)
        kept_chars += len(tok[_W])
    return "".join([t[_W] for t in kept]) if not _VERBS_OR_VN.isdisjoint(map(_FLAG, kept)) else ""


_PEOPLE: Final = re.compile(r"(人口|人员|人才|职工)$")
_PERSONS: Final = re.compile(r"(人口|人员|人数|人)$")
_SHARE_OF: Final = re.compile(r"占[^，,；;。]*$")
_SIZED: Final = re.compile(r"([\u4e00-\u9fff]{2,4}?)((?:超过|超|过|逾|达|在)[\d.]+[万亿]*元(?:以上)?)")
_SIZED_BEFORE: Final = re.compile(r"(?:超过|超|过|逾|达|在|上|高于|低于)?[\d.]+(?:[万亿千百]*元|[%％])"
                           r"(?:以上|以下)?$")
_RELATIVE: Final = re.compile(r"[^，,。；;：:、的]{2,16}的")
# 由 and 到/至 may carry the time of each level (由建档立卡之初的5.4%降至2019年末的0.06%)
_WHEN: Final = r"(?:[^，,。；;、由到至%％]{0,8}?(?:年|年初|年末|年底|之初|初|末|底|以前|之前|时|期|月)的?)?"
_FROM: Final = re.compile(r"由(?:原来的?|过去的?|以前的?)?" + _WHEN + r"(?:每天|每日|每月|每年)?\s*$")
_TO: Final = re.compile(r"\s*[\u4e00-\u9fff]{0,3}?(?:到|至)\s*" + _WHEN + r"\s*")


def _sized_qualifier(tagged: _TaggedText, lo: int, end: int, words: _Grammar,
                     places: Sequence[tuple[int, int]], figures: Sequence[tuple[int, int]]) -> str:
    """What sorts the things counted when a size stands before their 的 (技改投资额超过100亿元的|16个市,
    贫困发生率在10%以上的|县 → 贫困发生率10%以上), or ""."""
    text = tagged.text
    sized = _SIZED_BEFORE.search(text, max(lo, end - 20), end)
    if not sized:
        return ""
    owner = _phrase_before(tagged.tokens(max(lo, sized.start() - 12), sized.start()), words, places, figures)
    size = sized.group()[1:] if sized.group().startswith("在") else sized.group()
    return owner.text + size if owner.has_noun else ""


def _from_to(text: str, lo: int, q: numbers.Quantity, figures: Sequence[tuple[int, int]]) -> int:
    """Where 由 stands when ``q`` is one end of a change 由X(提高)到Y (激励资金比例由1%提高到2%), else -1.
    Most clauses have no 由 before the figure: one ``str.find`` says so."""
    if text.find("由", lo, q.start) < 0:
        return -1
    before = _FROM.search(text, lo, q.start)
    if before:
        return before.start()
    previous = next((span for span in reversed(figures) if span[1] <= q.start), None)
    if previous and _TO.fullmatch(text, previous[1], q.start):
        before = _FROM.search(text, lo, previous[0])
        if before:
            return before.start()
    return -1


def _suffix(label: str, unit: str, words: _Grammar) -> str:
    """A count's label ends in what is counted (户数, 笔数, 场次 …) unless it already names a measure."""
    if not label:
        return label
    if unit == "户" and label.endswith("人口") and len(label) > 3:
        return label[:-2] + "户数"  # 建档立卡贫困人口3.5万户 → 建档立卡贫困户数
    if words.measures.longest(label):
        return label
    end = words.suffix.get(unit, "")
    if unit == "人" and _PEOPLE.search(label):
        return label
    if end.endswith("数") and end != "数" and label.endswith(end[0]):
        return label + "数"
    return label + end


def _subject(label: str, words: _Grammar) -> str:
    """The thing a label counts, without what the unit added.

    专项抗疫贷户数 → 专项抗疫贷, 重点项目数 → 重点项目.
    """
    for end in words.subject_endings.get(label[-1:], words.empty_subject_endings):
        if label.endswith(end) and len(label) > len(end) + 1:
            return label[: -len(end)]
    return label


def _rate_label(before: str, change: str, comparison: str, q: numbers.Quantity, words: _Grammar) -> str:
    if not change:
        return before
    if change in words.decline_words:
        tail = "下降" if q.kind == "percent" else change
    elif q.kind == "percent":
        tail = "增速"
    else:
        tail = change
    return before + comparison + tail


@dataclass(slots=True, init=False)
class _Reading:
    """What the grammar read around one figure before parts and subjects are settled; a slotted
    class, as the settling reads its fields a score of times per figure (``__init__`` written out,
    as for ``_Phrase``)."""

    label: str
    has_noun: bool
    relative: bool  # a measure with no subject of its own (总投资, 占比, 金额, 增速)
    place_only: bool  # nothing but a place or a time word before the figure
    before_text: str  # the noun phrase the label was built on (its subject), "" when none
    compared: bool = False  # a gap to a yardstick (高于全省平均39.4个百分点): it follows a figure
    lead: str = ""  # the verb before a count that governs it (带动58个镇 → 带动)

    def __init__(self, label: str, has_noun: bool, relative: bool, place_only: bool, before_text: str,
                 compared: bool = False, lead: str = "") -> None:
        self.label = label
        self.has_noun = has_noun
        self.relative = relative
        self.place_only = place_only
        self.before_text = before_text
        self.compared = compared
        self.lead = lead




def _read(tagged: _TaggedText, q: numbers.Quantity, clause: tuple[int, int], words: _Grammar,
          places: Sequence[tuple[int, int]], figures: Sequence[tuple[int, int]],
          money: Sequence[tuple[int, int]] = ()) -> _Reading:
    text = tagged.text
    lo, hi = clause
    q_start, q_end, q_kind, q_unit = q.start, q.end, q.kind, q.unit  # read once, used throughout
    if text[hi - 1:hi] == "、":  # 327个银行、邮政签约网点: a list of what is counted goes on past 、
        stop = _CLAUSE_STOP.search(text, hi, q_end + 24)
        hi = stop.start() if stop else q_end + 24
    right_end = hi if hi < q_end + 24 else q_end + 24  # min(): a conditional costs no call
    right = None  # the words after the figure, tagged when a rule reads them
    closed = text[q_end:q_end + 1] in _MARKS_AFTER  # 120亿元，…: no noun, verb or predicate follows
    if q_unit in words.noun_units:
        end = _peel(text, lo, q_start, words)
        left = tagged.tokens(max(lo, end - 8), end)
        after = "" if closed else _predicate_after(tagged.tokens(q_end, right_end), words, figures)
        if not after and left and left[-1][_F] in ("v", "vi", "vn") and (
                left[-1][_W] not in words.light_verbs):
            after = left[-1][_W]
        return _Reading(after + q_unit + "数", True, False, False, "")
    if q_kind in ("count", "money", "measure") and not closed and (
            q_kind != "money" or words.money_noun.search(text[q_end:right_end].translate(_UNQUOTED))):
        # an amount is named by the noun after it only when that ends in a money noun (资金, 贷款): with
        # none in its words (quotes and brackets taken out, as the noun takes them out), none is tagged
        right = tagged.tokens(q_end, right_end)
        noun, verb = _noun_after(right, words, places, figures, of_ok=q_kind == "money")
        described = _RELATIVE.match(text, q_end, hi) if q_kind == "count" else None
        inner = next((s for s, e in figures if q_end < s and e <= described.end()), -1) if described else -1
        if described is not None and inner > 0 and len(
                text[q_end:_peel(text, q_end, inner, words)]) <= 5 and (
                words.heads.longest(text[q_end:_peel(text, q_end, inner, words)])):
            # 469个|计划投资1600亿元的|市级重点跟踪服务技改项目: a measure of the things counted, then them
            counted, _ = _noun_after(tagged.tokens(described.end(), min(hi, described.end() + 24)), words,
                                     places, figures)
            noun, verb = (counted, "") if counted else (noun, verb)
        kind = words.place_units.longest(noun[:3]) if q_kind == "count" else ""
        at = text.find(kind, q_end, q_end + 2 + len(kind)) if kind and noun.startswith(kind) and (
            len(noun) > len(kind)) else -1
        if at >= 0:  # 7个县市区投资进度超过全市平均水平: the places are counted, the rest says which
            stop = _CLAUSE_STOP.search(text, at, hi)
            cut = min([stop.start() if stop else hi, *(a for a, _ in figures if at < a < hi)])
            rest = text[at + len(kind):_peel(text, at + len(kind), cut, words)]  # …设置通办专窗|103个
            if 2 <= len(rest) <= 14 and _CJK_RUN.fullmatch(rest):
                return _Reading(rest + kind + "数", True, False, False, "")
        names_money = q_kind != "money" or noun.endswith(words.money_nouns)
        if noun and noun not in words.relative_heads and names_money:
            end = _peel(text, lo, q_start, words)
            lead = "" if verb else _lead_before(tagged, lo, end, noun, words, places, figures)
            sized = _SIZED.match(text, q_end + len(noun))
            if not verb and not lead and sized and sized.group(1) in words.relative_heads:
                lead = sized.group(1) + sized.group(2)  # 6个项目投资额超10亿元 → 投资额超10亿元项目数
            label = _suffix((verb or lead) + noun, q_unit, words)
            return _Reading(label, True, False, False, noun, False, verb or lead)
    levels = _from_to(text, lo, q, figures) if text.find("由", lo, q_start) >= 0 else -1  # most have no 由
    if levels >= 0:  # 激励资金比例由1%提高到2%: both figures are levels of what stands before 由
        phrase = _phrase_before(tagged.tokens(max(lo, levels - 30), levels), words, places, figures)
        if phrase.has_noun:
            label = _suffix(phrase.text, q_unit, words) if q_kind == "count" else phrase.text
            return _Reading(label, True, False, False, phrase.text)
    end = _peel(text, lo, q_start, words)
    last = text[end - 1] if end > lo else ""  # the character before the figure's words, tested before
    gaps = words.gaps
    gap = gaps.longest_in(text, lo if lo > end - 4 else end - 4, end) if last in gaps.last_chars else ""
    if gap:  # 两地相差727.77亿元: a gap between the figures before, named by what they measure
        phrase = _phrase_before(tagged.tokens(max(lo, end - len(gap) - 30), end - len(gap)), words, places,
                                figures)
        subject = phrase.text if phrase.has_noun else ""
        return _Reading(subject + "差距", bool(subject), not subject, False, subject)
    rate = q_kind in ("percent", "points", "multiple")
    yardstick = _YARDSTICK.search(text, lo, end) if rate else None
    than = _THAN.search(text, lo, end) if rate and not yardstick else None
    at = -1  # where a yardstick or a comparison with 比 begins
    if yardstick and yardstick.end() == end:
        at, gap = yardstick.start(), yardstick.group()
    elif than:  # 比全省技改平均增速高5.8个百分点 → 高于全省技改平均增速
        at, gap = than.start(), than.group(2)[0] + "于" + than.group(1)
    if at >= 0:
        own = _phrase_before(tagged.tokens(max(lo, at - 12), at), words, places, figures)
        if own.has_noun and own.text not in words.relative_heads:  # 全市投资进度快于时间进度0.7个百分点
            return _Reading(own.text + gap, True, False, False, own.text)
        return _Reading(gap, False, True, False, "", compared=True)
    of = False
    if last == "的":
        of, end = True, end - 1
    # the endings are looked up only when the last character may end one (增长 ends in 长)
    change = words.changes.longest_in(text, lo, end) if text[end - 1:end] in words.changes.last_chars else ""
    if change:
        end = _peel(text, lo, end - len(change), words)
    comparison = words.comparisons.longest_in(text, lo, end) if (
        text[end - 1:end] in words.comparisons.last_chars) else ""
    end -= len(comparison)
    tokens = tagged.tokens(lo if lo > end - 30 else end - 30, end)
    phrase = _phrase_before(tokens, words, places, figures, money if q_kind == "count" else ())
    before = phrase.text
    toward = _TOWARD.search(text, max(lo, phrase.start - 14), phrase.start) if 2 <= len(before) <= 3 else None
    if toward:  # 对技改投资增长的贡献率达到92.3% → 技改投资增长贡献率
        before = toward.group(1) + before
    measure = tokens[-1][_W] if tokens and tokens[-1][_F] in _NOUNS else ""
    if len(measure) >= 2 and words.measures.longest(measure) and not change and (
            text[q_end:q_end + 1] == "的"):  # 利率为4.55%的低息贷款 → 低息贷款利率, 投资5000万元的…工程
        if right is None:
            right = tagged.tokens(q_end, right_end)
        described_tokens = right[1:]
        while described_tokens and any(s < described_tokens[0][_E] and described_tokens[0][_S] < e
                                       for s, e in figures):
            described_tokens = described_tokens[1:]  # 总投资1295亿的220个重大项目集中开工 → 重大项目总投资
        owner, _ = _noun_after(described_tokens, words, places, figures)
        if owner and owner not in words.relative_heads:
            return _Reading(owner + measure, True, False, False, owner)
    if not before and not change:
        window = text[max(lo - 40, 0):lo]
        ranked = _RANKED.search(text, max(lo - 40, 0), lo) if "的是" in window or "的为" in window else None
        if ranked:  # 17市中GDP增幅最高的是菏泽,为8.4% → GDP增幅
            ranked_phrase = _phrase_before(tagged.tokens(ranked.start(), ranked.start(1)), words, places,
                                           figures)
            if ranked_phrase.has_noun:
                before, phrase = ranked_phrase.text, ranked_phrase
    if of and (before.startswith("占") or _SHARE_OF.search(text[lo:end])):
        return _Reading("占比", False, True, False, before)
    if q_kind == "percent" and not change and not of and not words.measures.longest(before):
        if right is None and not closed:
            right = tagged.tokens(q_end, right_end)
        after = "" if closed or right is None else _predicate_after(right, words, figures)
        if after:  # 规上企业100%复工复产 → 规上企业复工复产率
            subject = before if phrase.has_noun else ""
            return _Reading(subject + after + "率", bool(subject), not subject, False, subject)
    if q_kind in ("percent", "points", "multiple"):
        label = _rate_label(before, change, comparison, q, words)
        if of and label and not words.measures.longest(label):
            label += "比例"
    elif change:
        label = before + comparison + change
    elif q_kind == "duration":
        after = "" if before or closed else _predicate_after(right or tagged.tokens(q_end, right_end), words,
                                                              figures)
        label = before or after
        if label and label.endswith(words.time_limit_words):
            label += "时限"
        elif label:
            label = _suffix(label, q_unit, words)
    else:
        by_size = q_kind == "measure" and words.suffix.get(q_unit, "") in _SIZE_NOUNS  # 占地320亩 → 占地面积
        is_count = before and (phrase.has_noun or q_kind == "count" or by_size)
        shared = _list_object(tagged, q, words, figures) if is_count and not phrase.has_noun else ""
        if shared:  # 完成13.25万人、128个贫困村、5个省级贫困县高质量脱贫任务 → 完成高质量脱贫任务人数
            return _Reading(_suffix(before + shared, q_unit, words), True, False, False, before + shared)
        label = _suffix(before, q_unit, words) if is_count else before
        if before in words.noun_units and phrase.start > lo and text[phrase.start - 1] == "的":
            sort = _sized_qualifier(tagged, lo, phrase.start - 1, words, places, figures)
            if sort:  # 贫困发生率在10%以上的县共有41个 → 贫困发生率10%以上县数
                return _Reading(_suffix(sort + before, q_unit, words), True, False, False, sort + before)
        after = "" if before or change or q_kind != "count" or levels >= 0 or closed else _predicate_after(
            right if right is not None else tagged.tokens(q_end, right_end), words, figures)
        tail = _peel_links(text, q_end + len(after), hi, words) if after else hi  # read only after a verb
        if after and not after.startswith(tuple(words.light_verbs)) and not (
                tail < hi and (text[tail].isdigit() or text[tail] in _NUMERAL_CHARS)):
            # 已累计实现3.4万户14.9万人脱贫 → 脱贫人数 (脱贫人口); not 20件提高到80件, 五部门开展…
            label = _fold(_suffix(after, q_unit, words), words)
            return _Reading(label, True, False, False, after)
    relative = not before or not phrase.has_noun or before in words.relative_heads or (
        _subject(label, words) in words.relative_heads)  # the cheap tests first
    place_only = not before and phrase.stopped_at_place
    return _Reading(label, phrase.has_noun, relative, place_only, before)


def _lead_before(tagged: _TaggedText, lo: int, end: int, noun: str, words: _Grammar,
                 places: Sequence[tuple[int, int]], figures: Sequence[tuple[int, int]]) -> str:
    """What was done to the things a count counts, said before it (``end``): a verb for a short noun
    (考察了近50家企业 → 考察), or the phrase before 的 (集中签约和开工的84个项目 → 集中签约和开工), else "".
    Only such a noun or a 的 lets a word before lead, so other counts tag no words before them."""
    text = tagged.text
    if len(noun) > 3 and text[end - 1:end] != "的":
        return ""
    left = tagged.tokens(lo if lo > end - 8 else end - 8, end)
    if left and _names_place(left[-1], places):  # 新增南充、广元、广安、自贡4个市: the verb before
        back = max(0, end - 30)  # the list of places, past the 、 that cut the clause
        stop = _LAST_STOP.search(text, back, end)
        left = tagged.tokens(stop.end() if stop else back, end)
    k = len(left) - 1
    while k > 0 and (left[k][_W] in ("了", "过", "、") or left[k][_W] in words.scope_words
                     or _names_place(left[k], places)):
        k -= 1  # 抽查了全市23个乡(镇) → 抽查乡镇数
    if k >= 0 and left[k][_F] in ("v", "vi", "vn") and left[k][_W] not in (
            words.light_verbs) and len(noun) <= 3 and not _names_place(left[k], places):
        lead = left[k][_W]  # 考察了近50家企业 → 考察企业数 (提交23项申请材料 stays 申请材料数)
        if k > 0 and left[k - 1][_F] in ("v", "vi") and len(left[k - 1][_W]) + len(lead) <= 4 and (
                left[k - 1][_W] not in words.light_verbs and left[k - 1][_W] not in words.links):
            lead = left[k - 1][_W] + lead  # 当年实施完成7个项目 → 实施完成项目数
        return lead
    if left and left[-1][_W] == "的":  # 集中签约和开工的84个项目
        qualifier = _phrase_before(tagged.tokens(max(lo, end - 13), end - 1), words, places, figures)
        # 技改投资额超过100亿元的有16个市(州) → 技改投资额超过100亿元市州数
        return (qualifier.text if len(qualifier.text) <= 8 else "") or _sized_qualifier(
            tagged, lo, end - 1, words, places, figures)
    return ""


def _list_object(tagged: _TaggedText, q: numbers.Quantity, words: _Grammar,
                 figures: Sequence[tuple[int, int]]) -> str:
    """The object a verb shares over a list of counts
    (完成13.25万人、128个贫困村、5个省级贫困县|高质量脱贫任务): the nouns after the last item's own
    noun, read when a count with no noun of its own opens the list."""
    text = tagged.text
    if text[q.end:q.end + 1] != "、":
        return ""
    stop = _CLAUSE_STOP.search(text, q.end, q.end + 48)
    end = stop.start() if stop else min(len(text), q.end + 48)
    last = max((e for s, e in figures if q.end < s and e <= end), default=-1)
    if last < 0:
        return ""
    tail = tagged.tokens(last, end)
    j = 0
    while j < len(tail) and tail[j][_F] in ("q", "b", "a", "m"):
        j += 1
    if j >= len(tail) or tail[j][_F] not in _NOUNS or tail[j][_W] in words.relative_heads:
        return ""
    rest = tail[j + 1:]
    if len(rest) < 2 or rest[-1][_F] not in _NOUNS or any(
            t[_F] not in _NOUNS and t[_F] not in ("v", "vn", "a", "b") for t in rest):
        return ""
    shared = "".join(t[_W] for t in rest)
    return shared if len(shared) <= 10 else ""


def names_same(label: str, name: str) -> bool:
    """Whether a label read from the text names the same metric as a canonical name: equal, or one
    holds the other with at most two characters more (12支金融辅导队 → 金融辅导队数 is 金融辅导队数;
    累计挂牌电动自行车数 is not 电动自行车挂牌数, nor 高新技术制造业技改投资同比增速 技改投资增速)."""
    if label == name:
        return True
    short, long_ = sorted((label, name), key=len)
    return len(short) >= 3 and short in long_ and len(long_) - len(short) <= MAX_EXTRA


MAX_EXTRA: Final = 2


def _without_pinyin(text: str) -> tuple[str, list[int]]:
    """The text without pronunciation notes, and where each old offset (0…len) lands in it."""
    kept: list[str] = []
    at: list[int] = []
    pos, last = 0, 0
    for m in _PINYIN.finditer(text):
        kept.append(text[last:m.start()])
        at.extend(range(pos, pos + m.start() - last))
        pos += m.start() - last
        at.extend([pos] * (m.end() - m.start()))
        last = m.end()
    kept.append(text[last:])
    at.extend(range(pos, pos + len(text) - last + 1))
    return "".join(kept), at


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


class _SentenceStops:
    """Where the 。-sentences of a text start (；and ，do not end a 其中 chain): a figure finds the
    last stop before it with one greedy match over at most ``_REACH`` characters, instead of the
    whole article being scanned for stops it never asks about. Figures ask in text order, most of
    them in the sentence of the one before: the answer for the last position asked is kept, and
    a later position with no stop since then has the same sentence start (one search over the words
    between the two figures, not a match back over the sentence)."""

    __slots__ = ("_asked", "_last_stop", "_next_stop", "_start")

    def __init__(self, text: str) -> None:
        self._last_stop = partial(_LAST_SENTENCE_STOP.match, text)
        self._next_stop = partial(_SENTENCE_STOP.search, text)
        self._asked, self._start = 0, 0  # start_of(0) is 0

    def start_of(self, pos: int) -> int:
        """Start of the sentence holding ``pos``, at most ``_REACH`` characters before it (a page
        without full stops is read in windows, not from its first character for every figure)."""
        lo = pos - _REACH if pos > _REACH else 0
        asked = self._asked
        if asked <= pos:
            stop = self._next_stop(asked if asked > lo else lo, pos)
            if stop is None:  # the last stop before ``pos`` is the one before ``asked``, if any
                start = self._start if self._start > lo else lo
            else:
                last = self._last_stop(stop.start(), pos)
                assert last is not None  # it matches from the stop just found
                start = last.end()
        else:
            last = self._last_stop(lo, pos)
            start = last.end() if last else lo
        self._asked, self._start = pos, start
        return start


_REACH: Final = 400
_CLAUSE_REACH: Final = 160  # a clause is read this far around its figure (a page may have no commas at all)


def _back_to(quantities: Sequence[numbers.Quantity], i: int, start: int) -> Iterator[int]:
    """The figures before the ``i``-th that end after ``start``, nearest first (figures come in
    text order, so the walk stops at the first one outside: it never goes back over the page)."""
    j = i - 1
    while j >= 0 and quantities[j].end > start:
        yield j
        j -= 1


class _Nearby:
    """The place, figure and money spans near a clause, found by bisection: a figure's reading only
    looks at its own clause, so a long page costs linear time, not figures × places."""

    _MARGIN: Final = 40

    def __init__(self, places: list[tuple[int, int]], figures: list[tuple[int, int]],
                 money: list[tuple[int, int]]) -> None:
        self._places, self._figures, self._money = places, figures, money
        self._place_starts, self._figure_starts, self._money_starts = (  # the starts, read in C
            list(map(_WORD, places)), list(map(_WORD, figures)), list(map(_WORD, money)))

    def around(self, lo: int, hi: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]],
                                                list[tuple[int, int]]]:
        """The places, figures and money that start near ``[lo, hi)`` (slices, no loop; an empty
        list, as most articles' money and some articles' places are, is returned as it is)."""
        lo, hi = lo - self._MARGIN, hi + self._MARGIN
        left, right = bisect.bisect_left, bisect.bisect_right
        starts = self._place_starts
        places = self._places[left(starts, lo):right(starts, hi)] if starts else self._places
        starts = self._figure_starts
        figures = self._figures[left(starts, lo):right(starts, hi)]
        starts = self._money_starts
        money = self._money[left(starts, lo):right(starts, hi)] if starts else self._money
        return places, figures, money


def label_figures(text: str, quantities: Sequence[numbers.Quantity], clauses: Sequence[tuple[int, int]],
                  places: Sequence[tuple[int, int]] = ()) -> list[FigureLabel]:
    """The label, whole and weakness of every figure of one article, in order.

    ``clauses[i]`` is the (start, end) of the clause holding ``quantities[i]``; ``places`` are the
    spans of place names in ``text`` (a place is never part of a label). E.g. for
    ``东昌府区今年新招引亿元以上项目23个，其中引进落地项目17个，过10亿元项目3个``
    the labels are 新招引亿元以上项目数, 引进落地项目数 (part of 23个), 10亿元项目数 (part of 23个).
    """
    words = _grammar()
    if _PINYIN.search(text):  # 经(jīng)济(jì): read the words without their printed pronunciation
        text, at = _without_pinyin(text)
        quantities = [replace(q, start=at[q.start], end=at[q.end]) for q in quantities]
        clauses = [(at[a], at[b]) for a, b in clauses]
        places = [(at[a], at[b]) for a, b in places]
    # min() and max() of two numbers are calls; a conditional is not (two per figure, on every page)
    clauses = [(a if a > q.start - _CLAUSE_REACH else q.start - _CLAUSE_REACH,
                b if b < q.end + _CLAUSE_REACH else q.end + _CLAUSE_REACH)
               for q, (a, b) in zip(quantities, clauses, strict=True)]
    spans = sorted([(q.start, q.end) for q in quantities])
    money = sorted([(q.start, q.end) for q in quantities if q.kind == "money"])
    places = sorted(places)
    nearby = _Nearby(places, spans, money)
    stops = _SentenceStops(text)
    tagged = _TaggedText(text)
    readings = []
    for q, clause in zip(quantities, clauses, strict=True):
        lo, hi = clause
        places_near, figures_near, money_near = nearby.around(lo if lo < q.start else q.start,
                                                              hi if hi > q.end + 24 else q.end + 24)
        readings.append(_read(tagged, q, clause, words, places_near, figures_near, money_near))
    for i in range(len(readings) - 1):
        if readings[i].label:
            continue  # most figures have a label: nothing to borrow
        touching = quantities[i + 1].start == quantities[i].end
        if touching and readings[i + 1].has_noun:
            # 86349户157641名贫困人口稳定脱贫: the households of the people counted next
            subject = _PERSONS.sub("", readings[i + 1].label)
            readings[i] = _Reading(_suffix(subject, quantities[i].unit, words), True, False, False, "")
    for i in range(1, len(readings)):
        if readings[i].lead or not readings[i - 1].lead or not readings[i].has_noun:
            continue  # the words between two figures are read only when a lead could pass over them
        gap = text[quantities[i - 1].end:quantities[i].start]
        partner = _PARTNERS.search(gap) is not None  # 12家企业与13家院校专家: not a second object
        if len(gap) <= 3 and _CJK.fullmatch(gap[:1] or "x") and not partner and (
                not readings[i].label.startswith(readings[i - 1].lead)):
            lead = readings[i - 1].lead  # 带动58个镇1678个村 → 带动村数
            readings[i] = replace(readings[i], label=lead + readings[i].label, lead=lead)
    out: list[FigureLabel] = []
    subjects: list[str] = []  # what each figure counts, lent to a bare measure after it
    chain: dict[int, tuple[int, int | None]] = {}  # sentence start → (where its 其中 is, the whole)
    for i, (q, reading) in enumerate(zip(quantities, readings, strict=True)):
        start = stops.start_of(q.start)
        same_sentence = i > 0 and quantities[i - 1].end > start
        between = text[quantities[i - 1].end if same_sentence else start:q.start]
        parent = _whole_of(text, stops, quantities, out, i, q, reading, start, between, chain)
        lender = i - 1  # whose subject a bare measure borrows: not an item of a 分别为 list
        in_list = between.strip().startswith(("、", "和", "及"))
        while not in_list and lender > 0 and quantities[lender - 1].end > start and (
                _LIST_MARK in text[quantities[lender - 1].end:quantities[lender].start]):
            lender -= 1
        lent = subjects[lender] if lender >= 0 else ""
        peer = next((j for j in _back_to(quantities, i, start) if quantities[j].unit == q.unit
                     and not out[j].weak), None) if q.kind == "percent" and not reading.label else None
        if peer is not None:  # 贫困发生率是8.79%,如今…,下降至0.41%: a level of the rate before
            label, part, parent = out[peer].metric, "", None
        else:
            label, part = _settle(reading, i, parent, out, lent, quantities, same_sentence, between, words)
        label = _fold(label, words)
        fallback = len(label) < 2  # the nearest words, for a person to rename in 校对
        if fallback:
            label = _fallback(text, q, clauses[i], sentence_start=start)
        out.append(_new_label((label, parent, part, fallback or weakness(label) != "")))  # is_weak
        own = reading.before_text if reading.has_noun and not reading.relative else ""
        if own in words.noun_units:
            own = ""  # 三个县(区)…每年培训5万余人次: a count of places lends no subject
        if not own and parent is not None and part == "占比":
            own = subjects[parent]  # 占工业投资的53.2%,同比增长4.68%: the growth is of the whole
        elif not own and parent is not None and label and not out[-1].weak:
            own = _subject(label, words)  # 其中当年实施完成7个 → 实施完成重大民生项目
        subjects.append(own or (subjects[i - 1] if same_sentence and reading.relative else ""))
    return out


def _fallback(text: str, q: numbers.Quantity, clause: tuple[int, int], sentence_start: int = -1) -> str:
    """The words nearest the figure when no phrase was found, for a person to rename in 校对:
    the clause's words before it, else after it, else the sentence's words before it."""
    runs = [r for r in _CJK_RUN.findall(text, clause[0], q.start) if len(r) >= 2]
    if runs:
        return _without_function_tail(runs[-1][-8:])
    after = [r for r in _CJK_RUN.findall(text, q.end, clause[1]) if len(r) >= 2]
    if after:
        return after[0][:8]
    earlier = [r for r in _CJK_RUN.findall(text, max(sentence_start, 0), clause[0]) if len(r) >= 2]
    return earlier[-1][-8:] if earlier else ""


def _without_function_tail(words: str) -> str:
    """Words without the preposition, adverb or particle that ends them (山东省级财政按 → 山东省级财政)."""
    tokens = list(_tokens_of(words))
    while len(tokens) > 1 and tokens[-1][1] in ("p", "d", "uj", "ul", "c", "r"):
        tokens.pop()
    kept = "".join(w for w, _ in tokens)
    return kept if len(kept) >= 2 and any(f in _NOUNS for _, f in tokens) else words


def _whole_of(text: str, stops: _SentenceStops, quantities: Sequence[numbers.Quantity],
              done: list[FigureLabel], i: int,
              q: numbers.Quantity, reading: _Reading, start: int, between: str,
              chain: dict[int, tuple[int, int | None]]) -> int | None:
    """The figure this one is a part of: after 其中/包括 (and the rest of that sentence), after
    ``…中，``, a share (占比), or one of a list named only by places (潍坊5个、聊城3个)."""
    mark = "其中" if "其中" in between else "包括" if "包括" in between else ""  # the marks of a part
    if mark:
        at = q.start - len(between) + between.index(mark)
        whole = _whole_before(quantities, done, i, at, q.unit, start)
        if whole is None:  # 新签约项目14个。其中，…: the whole is in the two sentences before
            earlier = stops.start_of(max(stops.start_of(max(start - 1, 0)) - 1, 0))
            whole = _whole_before(quantities, done, i, at, q.unit, earlier)
        chain[start] = (at, whole)
    back = start - 30 if start > 30 else 0  # where a …中， before the sentence may begin
    if start in chain:
        at, whole = chain[start]
        if whole is not None and quantities[whole].unit == q.unit:
            return whole
        parent = _whole_before(quantities, done, i, at, q.unit, start)
        if parent is not None:
            return parent
    elif text[start - 1:start] not in _FULL_STOPS and text.find("中", back, start) >= 0 and (
            _among(text[back:start]) and _AMONG.search(text, back, start)) or (
            "中" in between and _among(between) and _AMONG.search(between)):  # 中 first: one C test
        parent = _whole_before(quantities, done, i, q.start, q.unit, stops.start_of(max(start - 1, 0)))
        if parent is not None:
            return parent
    if reading.label == "占比":
        return next((j for j in _back_to(quantities, i, start)
                     if quantities[j].kind not in ("percent", "points")), None)
    listed = _LIST_MARK in between or between.strip() in ("、", "和", "及")
    if reading.place_only or (listed and reading.relative and not reading.compared):
        return next((j for j in _back_to(quantities, i, start)
                     if quantities[j].unit == q.unit and done[j].parent is None), None)
    return None


def _whole_before(quantities: Sequence[numbers.Quantity], done: list[FigureLabel], i: int, mark: int,
                  unit: str, lo: int) -> int | None:
    """The latest figure before ``mark`` (and after ``lo``) of the same unit that is not itself a part."""
    for j in range(i - 1, -1, -1):
        if quantities[j].end <= lo:
            return None
        if quantities[j].end <= mark and quantities[j].unit == unit and done[j].parent is None and (
                quantities[j].value >= quantities[i].value or unit in ("%", "百分点")):
            return j  # a part is never larger than its whole (五个领域 is not the whole of 7个)
    return None


def _settle(reading: _Reading, i: int, parent: int | None, done: list[FigureLabel], lent: str,
            quantities: Sequence[numbers.Quantity], same_sentence: bool, between: str,
            words: _Grammar) -> tuple[str, str]:
    """The final label and the words that say which part it is.

    A part keeps its own words where they name a thing (其中引进落地项目17个), else takes its
    whole's label with its qualifier (其中省外6个 → 省外 + 远程异地评标伙伴数) or, named only by a
    place, its whole's label. A bare measure (总投资, 占比, 同比增速) takes ``lent``, the subject of
    the figure before (of the first item of a 分别为 list); a gap to a yardstick (高于全市1.1个百分点)
    the whole label before.
    """
    label, own = reading.label, reading.before_text
    q = quantities[i]
    previous = lent if same_sentence and len(lent) >= 2 else ""
    if reading.compared and same_sentence and not is_weak(done[i - 1].metric):
        return done[i - 1].metric + label, ""
    if not label and same_sentence and between.strip() in ("", "、"):
        if q.unit == "人" and previous.endswith("户"):
            return previous[:-1] + "人口", ""  # 贫困户16028户、27948人 → 贫困人口
        return (_suffix(previous, q.unit, words) if previous else ""), ""
    if parent is not None:
        whole = done[parent].metric
        if reading.place_only or not label:
            return whole, ""
        if label == "占比":
            return _subject(whole, words) + "占比", "占比"
        qualifier = (len(own) <= 4 or (len(own) <= 6 and not reading.has_noun)) and not reading.lead
        if not (_bigrams(label) & _bigrams(whole)) and qualifier:
            return own + whole, own
    listed = between.strip().startswith(("、", "和", "及")) and len(between.strip()) <= len(own) + 1
    if same_sentence and listed and 2 <= len(label) <= 3 and reading.has_noun:
        before = done[i - 1].metric  # 实际到位内资1010亿元、外资10.89亿美元 → 实际到位外资
        if len(before) > len(label) + 1 and before[-len(label):] != label:
            return before[:-len(label)] + label, ""
    if label.endswith(("占比", "比重")) and previous and previous not in label and (
            quantities[i - 1].kind == "count"):
        return previous + label, ""  # 商贸服务企业113家，复工企业数量占比为63.84%
    if reading.relative and previous.endswith(label) and len(label) >= 2:
        return previous, ""  # GDP增幅…, 增幅最低的是德州 → GDP增幅
    if reading.relative and previous and previous not in label and (
            len(label) <= 4 or not reading.has_noun):
        return previous + label, own if parent is not None else ""
    if reading.place_only and same_sentence and quantities[i - 1].unit == q.unit:
        return done[i - 1].metric, ""
    return label, own if parent is not None else ""


@cache
def _time_or_scope(label: str) -> bool:
    return bool(_TIME_ONLY.match(label)) or label in load_metric_words().scope_words


@cache
def _canonical_names() -> frozenset[str]:
    words = load_metric_words()
    names = {m.name for i in load_taxonomy().initiatives for m in i.metrics}
    return frozenset(names | set(words.label_synonyms.values()))


@lru_cache(maxsize=8192)
def weakness(label: str) -> str:
    """Why a label cannot stand as a metric's name, or "" when it can.

    ``short`` (under two characters: 件), ``place`` (东阿县), ``time`` (如今, 1-5月) or ``no_noun``
    (扩充至, 一下子又交出): such a figure goes to the 校对 queue for a person to name.
    """
    if len(label) < 2:
        return "short"
    if label in _canonical_names():
        return ""
    if _time_or_scope(label):
        return "time"
    if gazetteer.resolve_place(label) is not None:
        return "place"
    named = len(label) >= 4 and len(_grammar().measures.longest(label)) >= 2
    if not named and not any(flag in _NOUNS and flag != "vn" for _, flag in _tokens_of(label)):
        return "no_noun"  # 累计完成投资 ends in what it measures: not weak
    return ""


def is_weak(label: str) -> bool:
    """A label a person should name: under two characters, a place, a time word or without a noun
    (``东阿县``, ``如今``, ``个月``, ``扩充至``)."""
    return weakness(label) != ""
