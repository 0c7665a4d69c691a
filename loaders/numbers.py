"""Chinese quantities in running text: find each figure and normalise its value and unit.

Newspaper pages write one figure many ways (``3478万元``, ``两千多棵``, ``六七千吨``,
``30-50吨``, ``近10亿元``) and put numerals into dates, ordinals, slogans and idioms that are
not figures at all (``6月17日``, ``第一版``, ``六稳六保``, ``千家万户``). One compiled regex
finds numeral + measure word candidates; small rules per candidate decide whether it is a
figure and what it means. The measure words, qualifiers and rule words live in
``loaders/data/units.toml`` so an official can extend them without touching code.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from loaders.first_chars import first_characters, guarded, table_class


@dataclass(init=False, slots=True)
class Quantity:
    """One figure as found: the value in base units beside the exact text it came from.

    Keeping ``quote`` and offsets next to the parsed value lets a reviewer check every row
    against the page (``近10亿元`` → 1e9 元, approx 近, quote ``近10亿元``). Not frozen: one is
    built per candidate figure, and a frozen dataclass's ``__init__`` costs three times a plain
    one's; nothing hashes or changes one after ``find_quantities`` returns it.
    """

    value: float
    unit: str  # canonical: 元, %, 百分点, 人, 个, 户, 亩 …; "" when the text gives none
    approx: str  # 余 多 近 超过 以上 约 左右 不到 过 …, or ""
    range_hi: float | None
    quote: str  # the exact span of the text
    start: int
    end: int
    kind: str  # count | money | percent | points | measure | duration | multiple
    written_unit: str  # the measure word as printed (名, 万亩, 个工作日); "" for a bare figure

    def __init__(self, value: float, unit: str, approx: str, range_hi: float | None, quote: str,
                 start: int, end: int, kind: str = "count", written_unit: str = "") -> None:
        # written out, as the dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every figure)
        self.value = value
        self.unit = unit
        self.approx = approx
        self.range_hi = range_hi
        self.quote = quote
        self.start = start
        self.end = end
        self.kind = kind
        self.written_unit = written_unit


_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join(_DIGITS) + "".join(_SMALL) + "".join(_BIG)
_ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Possessive, so a failing candidate is not re-tried character by character; 千 before
# 瓦/米/克 and 百 before 分点 belong to the unit (10万千瓦, 3百分点).
_CN_FREE = rf"[{_CN_CHARS.replace('千', '').replace('百', '')}]|千(?![瓦米克])|百(?!分点)"
_RUN = rf"(?:{_ARABIC}|{_CN_FREE})++"
# What may follow the first character of a numeral (the regex consumes that one on its own).
_RUN_REST = rf"(?:\d|,\d{{3}}|\.\d+|{_CN_FREE})*+"
_RANGE_SEP = "-—–~～至到"
_TOKEN = re.compile(rf"{_ARABIC}|[{_CN_CHARS}]")
_CN_RANGE = re.compile(r"^([一二两三四五六七八九])([二两三四五六七八九])([十百千万亿]*)$")
_TEEN_RANGE = re.compile(r"^十([一二三四五六七八九])([二三四五六七八九])$")
_CN_RANGE_OPENS = first_characters(_CN_RANGE)  # most numerals begin with none of these: no call into re
_TEEN_RANGE_OPENS = first_characters(_TEEN_RANGE)
_PUNCT = set("，。；：、！？,.;:!?）)】」』”’\n ")
_SENTENCE_END = "。！？!?；;\n"
_OPEN_QUOTES = "“‘「『\""
_CLOSE_QUOTES = "”’」』\""
_CLAUSE_PUNCT = "，。；：！？,;:!?\n、"
_OPEN_QUOTE_TAIL = re.compile(f"[{_OPEN_QUOTES}][^{_CLOSE_QUOTES}{_SENTENCE_END}，,]{{0,11}}$")
_CLOSE_QUOTE_HEAD = re.compile(f"[^{_OPEN_QUOTES}{_CLOSE_QUOTES}{_SENTENCE_END}，,]{{0,11}}[{_CLOSE_QUOTES}]")
_SIMPLE_ARABIC = re.compile(r"(\d+(?:\.\d+)?)(万亿|万|亿)?")
_SCALE = {None: 1, "万": 10**4, "亿": 10**8, "万亿": 10**12}
_RANGE_SPLIT = re.compile(rf"\s*[{_RANGE_SEP}]\s*")
_BIG_TAIL = re.compile(r"(万亿|万|亿)$")
_ANY_MAGNITUDE = re.compile(r"[万亿千百十]")
_ANY_DIGIT = re.compile(r"\d")
# A minus written before a number and after a word, not between two numbers (30-50 is a range).
# The exponent of a number in scientific notation (1e308, 2.5E+6): a code, never a figure of its own.
_SCIENTIFIC = re.compile(r"\d[eE][+-]?$")
_NEGATIVE_SIGN = re.compile(r"(?<![\dA-Za-z_.%])[-−－]$")
# What stands just before a numeral that _NEGATIVE_SIGN finds (its $ may match before a \n).
_SIGN_OR_BREAK = "-−－\n"
_CLAUSE_BREAK = "，,；;：:"
_FORMULA = re.compile(r"\d+(?:\+(?:\d+|N))+")  # “2+20”, “1+N”: a policy's name
_LEADING_NUMBER = re.compile(r"\d+")
_CHANGE_TO = re.compile(r"[到至]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_DATE_TAIL = re.compile(rf"[月日号][\d{_CN_CHARS}]*[日号]?\s*[{_RANGE_SEP}、和及]\s*$")


@dataclass(frozen=True, init=False)
class _Unit:
    written: str
    unit: str
    kind: str
    factor: float
    chinese_only: bool
    max_value: float | None = None
    amount_after: bool = False

    def __init__(self, written: str, unit: str, kind: str, factor: float, chinese_only: bool,
                 max_value: float | None = None, amount_after: bool = False) -> None:
        # written out, as the frozen dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every 个 + unit figure)
        object.__setattr__(self, "written", written)
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "factor", factor)
        object.__setattr__(self, "chinese_only", chinese_only)
        object.__setattr__(self, "max_value", max_value)
        object.__setattr__(self, "amount_after", amount_after)


@dataclass(frozen=True)
class _Grammar:
    """Everything units.toml says, compiled once: the candidate regex and the rule words."""

    pattern: re.Pattern[str]
    units: dict[str, _Unit]
    after_ge: dict[str, str]
    approx_before: dict[str, str]
    approx_inside: dict[str, str]
    approx_after: dict[str, str]
    rules: dict[str, Any]  # units.toml's [rules] table: word lists, a string of characters, a table
    idioms: re.Pattern[str]
    # approx_before keys by their last character, longest first: the character before a numeral
    # picks the few words that may end there (after: approx_after keys by their first character)
    before_by_last: dict[str, tuple[str, ...]]
    after_by_first: dict[str, tuple[str, ...]]
    ordinal_before: tuple[str, ...]
    rank_before: tuple[str, ...]
    vague_before: tuple[str, ...]
    vague_last: frozenset[str]
    time_point_after: tuple[str, ...]
    period_before: tuple[str, ...]  # 前7个月 is a period, not a figure …
    period_not_before: tuple[str, ...]  # … but 提前7个月 is how early
    simile: re.Pattern[str]  # a simile word earlier in the same clause
    one_kept: re.Pattern[str]  # a restrictive adverb earlier in the same clause
    band: re.Pattern[str]  # 均/全部 (+ 达到/在) right before a qualified figure
    per_item: re.Pattern[str]  # 单体/每个 earlier in the same clause
    aggregate: re.Pattern[str]  # 总/累计 … between an earlier count and a qualifier
    counted_before: re.Pattern[str]  # a count ending a short stretch: “3市新” before 超2000亿
    class_after: tuple[str, ...]
    reference_before: tuple[str, ...]
    place_count_units: frozenset[str]
    place_set_after: tuple[str, ...]
    relative_time_before: tuple[str, ...]
    noun_units: tuple[tuple[str, str], ...]  # (noun ending, unit), longest first
    money_words: re.Pattern[str]


def _alternation(words: list[str], not_before: dict[str, str], only_before: dict[str, str],
                 max_digits: dict[str, int] | None = None) -> str:
    """A regex matching any of ``words`` (longest first), shaped as a trie so that a failing
    position costs one character test instead of one test per measure word. A word with a
    ``max_digits`` entry fails after a longer run of digits (2019年 is a date, not a span), so
    the engine drops such a candidate without a Python call."""
    trie: dict = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        guard = ""
        if only_before.get(w):
            guard = f"(?=[{re.escape(only_before[w])}])"
        elif not_before.get(w):
            guard = f"(?![{re.escape(not_before[w])}])"
        if max_digits and w in max_digits:
            guard += rf"(?<!{'[0-9]' * (max_digits[w] + 1)}{re.escape(w)})"
        node[""] = guard

    def build(node: dict) -> str:
        alts = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if "" in node:
            alts.append(node[""])
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return build(trie)


@cache
def _grammar() -> _Grammar:
    """The measure-word table and the one regex built from it, read once from units.toml."""
    raw = tomllib.loads(resources.files("loaders").joinpath("data/units.toml").read_text("utf-8"))
    units = {
        w: _Unit(w, d["unit"], d["kind"], float(d.get("factor", 1)), bool(d.get("chinese_only", False)),
                 d.get("max_value"), bool(d.get("amount_after", False)))
        for w, d in raw["units"].items()
    }
    not_before = {w: d.get("not_before", "") for w, d in raw["units"].items()}
    only_before = {w: d.get("only_before", "") for w, d in raw["units"].items()}
    max_digits = {w: len(str(int(d["max_value"]))) for w, d in raw["units"].items() if "max_value" in d}
    after_ge = raw["after_ge"]
    # The measure words and qualifiers are each guarded by the characters they begin with: where
    # none follows a numeral (most of the numerals inside words: 统一, 进一步), ``re`` fails at one
    # set lookup instead of trying each of the ~90 first characters of the measure words in turn.
    ge_units = guarded(_alternation(list(after_ge), {"人": not_before["人"]}, {})).pattern
    inside = guarded("|".join(map(re.escape, raw["approx"]["inside"]))).pattern
    # Every candidate starts with one numeral character, written as a plain character class
    # so the regex engine can skip the text between candidates without entering the pattern.
    rest = (
        rf"(?:(?P<pct>(?<=百)分百)"
        rf"|(?P<num>{_RUN_REST}(?:\s*[{_RANGE_SEP}]\s*{_RUN})?)"
        r"(?:分之(?P<pctnum>" + _RUN + r")"
        rf"| ?(?P<in1>{inside})?(?P<mag>万亿|万|亿)?(?P<in2>{inside})?"
        rf"(?:(?P<ge>个)(?P<in3>{inside})?(?P<geunit>{ge_units})"
        rf"|(?P<unit>{guarded(_alternation(list(units), not_before, only_before, max_digits)).pattern})))"
        rf"|(?P<bare>(?<=\d)\d*(?:,\d{{3}})*(?:\.\d+)?(?P<bin0>{inside})?(?:万亿|万|亿)(?:\d(?!\d))?)"
        rf"(?P<bin>{inside})?)"
    )
    # Most numeral characters stand inside words (统一, 进一步, 千家万户) where no figure goes on:
    # the guard on what may follow the first character fails there at one set lookup, instead
    # of the engine trying each branch of the rest in turn.
    lead = table_class(rf"\d{_CN_CHARS}半")
    pattern = re.compile(rf"(?P<lead>{lead}){guarded(rest).pattern}")
    idioms = re.compile("|".join(map(re.escape, sorted(raw["rules"]["idioms"], key=len, reverse=True))))
    before = tuple(sorted(raw["approx"]["before"], key=len, reverse=True))
    after = tuple(sorted(raw["approx"]["after"], key=len, reverse=True))
    rules = raw["rules"]

    def in_clause(words: list[str]) -> re.Pattern[str]:
        return re.compile("(?:" + "|".join(map(re.escape, words)) + f")[^{_CLAUSE_PUNCT}]{{0,6}}$")

    def any_of(words: list[str]) -> str:
        return "(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")"

    count_words = [w for w, u in units.items() if u.kind == "count"]
    return _Grammar(pattern, units, after_ge, raw["approx"]["before"], raw["approx"]["inside"],
                    raw["approx"]["after"], rules, idioms,
                    _by_char(before, -1), _by_char(after, 0),
                    tuple(rules["ordinal_before"]), tuple(rules["rank_before"]), tuple(rules["vague_before"]),
                    frozenset(w[-1] for w in rules["vague_before"]), tuple(rules["time_point_after"]),
                    tuple(rules["period_before"]), tuple(rules["period_not_before"]),
                    in_clause(rules["simile_before"]), in_clause(rules["one_kept_after"]),
                    # 人均, 亩均, 年均 are averages, not “all of them”
                    re.compile(rf"(?<![人平户亩年日月村企家次台校]){any_of(rules['band_before'])}"
                               r"(?:已|在|达到|达|为|是)?$"),
                    in_clause(rules["per_item_before"]),
                    re.compile(any_of(rules["aggregate_words"])),
                    re.compile(rf"(?P<sub>其中)?[\d{_CN_CHARS}]+(?P<word>{any_of(count_words)})"
                               rf"(?P<gap>[^{_CLAUSE_PUNCT}\d]{{0,8}})$"),
                    tuple(rules["class_after"]), tuple(rules["reference_before"]),
                    frozenset(rules["place_count_units"]), tuple(rules["place_set_after"]),
                    tuple(rules["relative_time_before"]),
                    tuple(sorted(rules["noun_units"].items(), key=lambda kv: -len(kv[0]))),
                    re.compile(any_of(rules["money_words"])))


def _by_char(words: tuple[str, ...], at: int) -> dict[str, tuple[str, ...]]:
    """``words`` grouped by their character at ``at`` (0: first, -1: last), each group in order."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[at], []).append(word)
    return {char: tuple(group) for char, group in groups.items()}


def parse_numeral(text: str) -> tuple[float, float | None] | None:
    """Value (and upper bound of a range) of a numeral written in Arabic, Chinese or a mix.

    Ranges keep both ends because 六七千 is "six or seven thousand", not 67 000 as a plain
    digit-by-digit reading gives.

    >>> parse_numeral("3541.07万")
    (35410700.0, None)
    >>> parse_numeral("六七千")
    (6000.0, 7000.0)
    >>> parse_numeral("十万零一千")
    (101000.0, None)
    >>> parse_numeral("13万2")
    (132000.0, None)
    >>> parse_numeral("30-50") , parse_numeral("万千")
    ((30.0, 50.0), None)
    """
    text = text.strip()
    if text.isdecimal():  # most figures: digits alone (``\d`` is what isdecimal accepts)
        return float(text), None
    simple = _SIMPLE_ARABIC.fullmatch(text)
    if simple:
        scale = _SCALE[simple.group(2)]
        return (float(simple.group(1)) * scale if scale != 1 else float(simple.group(1))), None
    if not text:
        return None
    if text == "半":
        return 0.5, None
    m = _CN_RANGE.match(text) if text[:1] in _CN_RANGE_OPENS else None
    if m:
        lo, hi = _DIGITS[m.group(1)], _DIGITS[m.group(2)]
        if hi == lo + 1 or (lo, hi) == (3, 5) or (lo, hi) == (1, 2):
            magnitude = _plain_value("一" + m.group(3)) if m.group(3) else 1.0
            if magnitude is not None:
                return lo * magnitude, hi * magnitude
    m = _TEEN_RANGE.match(text) if text[:1] in _TEEN_RANGE_OPENS else None
    if m and _DIGITS[m.group(2)] == _DIGITS[m.group(1)] + 1:
        return 10.0 + _DIGITS[m.group(1)], 10.0 + _DIGITS[m.group(2)]
    parts = _RANGE_SPLIT.split(text)
    if len(parts) == 2 and all(parts):
        lo_v, hi_v = _plain_value(parts[0]), _plain_value(parts[1])
        if lo_v is None or hi_v is None:
            return None
        tail = _BIG_TAIL.search(parts[1])
        if tail and not _ANY_MAGNITUDE.search(parts[0]):
            lo_v *= _BIG["亿"] * _BIG["万"] if tail.group(1) == "万亿" else _BIG[tail.group(1)]
        return (lo_v, hi_v) if hi_v > lo_v else None
    if len(parts) != 1:
        return None
    value = _plain_value(text)
    return None if value is None else (value, None)


def _plain_value(text: str) -> float | None:
    """One numeral without a range: sections of 十百千 grouped by 万 and 亿."""
    tokens = _TOKEN.findall(text)
    if "".join(tokens) != text.replace(",", "") and "".join(tokens) != text:
        return None
    total = wan = section = 0.0
    num: float | None = None
    last = ""  # "d" digit, "m" magnitude, "z" zero
    last_mag = 0
    small_cap = 10**5
    zero = False
    single_digit = False
    for tok in tokens:
        if tok in _DIGITS and tok not in "零〇" or tok[0].isdigit():
            if last == "d":
                return None
            num = float(tok.replace(",", "")) if tok[0].isdigit() else float(_DIGITS[tok])
            single_digit = tok in _DIGITS or (len(tok) == 1 and tok.isdigit())
            last = "d"
        elif tok in "零〇":
            if last != "m":
                return None
            zero, last = True, "z"
        elif tok in _SMALL:
            u = _SMALL[tok]
            if num is None:
                if last == "" or (u == 10 and last == "z"):
                    num = 1.0
                else:
                    return None
            if u >= small_cap:
                return None
            section += num * u
            small_cap, num, last, last_mag = u, None, "m", u
        else:
            u = _BIG[tok]
            if num is None and section == 0:
                if last == "":
                    num = 1.0
                elif not (u == _BIG["亿"] and last == "m" and last_mag == _BIG["万"] and wan):
                    return None
            if u == _BIG["万"]:
                if wan:
                    return None
                wan = (section + (num or 0.0)) * u
            else:
                total = (total + wan + section + (num or 0.0)) * u
                wan = 0.0
            section, num, last, last_mag, small_cap = 0.0, None, "m", u, 10**5
    if last == "":
        return None
    if num is not None and last == "d" and last_mag >= 100 and not zero and single_digit:
        num *= last_mag / 10
    return total + wan + section + (num or 0.0)


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in ``text`` with its value in base units; never dates, ordinals or slogans.

    >>> [(q.quote, q.value, q.unit, q.approx) for q in find_quantities("已授信专项抗疫贷16户金额3478万元")]
    [('16户', 16.0, '户', ''), ('3478万元', 34780000.0, '元', '')]
    """
    g = _grammar()
    idiom_starts, idiom_ends = [], []
    for m in g.idioms.finditer(text):
        idiom_starts.append(m.start())
        idiom_ends.append(m.end())
    found: list[Quantity] = []
    for m in g.pattern.finditer(text):
        if idiom_starts:
            i = bisect_left(idiom_ends, m.start() + 1)
            if i < len(idiom_starts) and idiom_starts[i] < m.end():
                continue
        q = _read_match(text, m, g)
        if q is not None and not (q.kind == "count" and not q.approx and _refers_back(text, q, found)):
            found.append(q)
    for i, q in enumerate(found):  # in order, so 由172万减少到43万 sees the first one's unit
        if q.kind == "bare":
            unit = infer_bare_unit(text, q, found)
            found[i] = replace(q, unit=unit, kind="money" if unit == "元" else "count")
    return found


def _refers_back(text: str, q: Quantity, found: list[Quantity]) -> bool:
    """A count that repeats one already given in its sentence, or names a term of a formula.

    ``交通出行类项目2个,分别为…、…,两项工程总投资52.5亿元``: 两项 opening a clause points back
    at the 2个 just counted. ``配套出台了20项操作细则,形成了“2+20”人才政策体系``: the 20 is a
    term of the policy's name, like ``“人才金政”37条``.
    """
    window = max(0, q.start - 200)
    arabic = _ANY_DIGIT.search(q.quote) is not None
    if arabic and text.find("+", window, q.end + 200) < 0:
        return False
    if not arabic:
        before = text[max(0, q.start - 4):q.start].rstrip(" ")
        if before and before[-1] not in _CLAUSE_BREAK and before[-1] not in _SENTENCE_END:
            return False  # not the head of its clause
        sentence_start = max(text.rfind(c, window, q.start) for c in _SENTENCE_END) + 1
        for other in reversed(found):
            if other.start < sentence_start:
                break
            if other.kind == "count" and other.value == q.value:
                return True
        return False
    sentence_start = max(text.rfind(c, window, q.start) for c in _SENTENCE_END) + 1
    ends = [i for i in (text.find(c, q.end, q.end + 200) for c in _SENTENCE_END) if i >= 0]
    sentence = text[max(window, sentence_start):min(ends, default=q.end + 200)]
    if "+" not in sentence:
        return False
    number = _LEADING_NUMBER.match(q.quote)
    if number is None:
        return False
    return any(number.group() in f.group().split("+") for f in _FORMULA.finditer(sentence))


def _read_match(text: str, m: re.Match[str], g: _Grammar) -> Quantity | None:
    start, end = m.span()
    # Most candidates are a numeral and a measure word: that group is read first, the rarer forms
    # (百分之, 三分之一, a bare 5000万, 个 + a unit) only when it is empty — they exclude each other.
    written, mag, in1, in2, in3 = m.group("unit", "mag", "in1", "in2", "in3")
    if written is not None:
        unit = g.units[written]
    else:
        if m.group("pct") is not None:
            return _finish(text, start, end, 100.0, None, "%", "percent", "", g, m.group(0))
        if m.group("pctnum") is not None:
            den, num = parse_numeral(text[start:m.end("num")]), parse_numeral(m.group("pctnum"))
            if not den or not num or den[1] is not None or num[1] is not None or not den[0]:
                return None
            return _finish(text, start, end, 100.0 * num[0] / den[0], None, "%", "percent", "", g, m.group(0))
        if m.group("bare") is not None:
            bare = text[start:m.end("bare")]
            if m.group("bin0"):  # 5000多万: 5000 万 and more
                bare = bare.replace(m.group("bin0"), "", 1)
                tail = _BIG_TAIL.search(bare)
                parsed = _with_inner_approx(bare[:tail.start()], tail.group()) if tail else None
            else:
                parsed = parse_numeral(bare)
            if parsed is None or _is_excluded(text, start, end, bare, "", g):
                return None
            inner = g.approx_inside.get(m.group("bin0") or m.group("bin") or "", "")
            return _finish(text, start, end, parsed[0], None, "", "bare", inner, g, "")
        geunit = m.group("geunit")
        written = "个" + (in3 or "") + geunit
        unit = _Unit(written, g.after_ge[geunit], _kind_after_ge(geunit), 1.0, False)
    numeral = text[start:m.end("num")]
    if numeral == "半" and unit.kind != "duration":
        return None
    chinese = not _ANY_DIGIT.search(numeral)
    if unit.chinese_only and not chinese:
        return None
    mag = mag or ""
    parsed = parse_numeral(numeral + mag)
    if in1 and mag:
        parsed = _with_inner_approx(numeral, mag)
    if parsed is None or (unit.max_value is not None and parsed[0] > unit.max_value):
        return None
    if _is_excluded(text, start, end, numeral, written, g):
        return None
    if chinese and not _chinese_numeral_is_figure(text, start, numeral + mag, m, g):
        return None
    if unit.amount_after and (text.endswith(g.relative_time_before, max(0, start - 2), start)
                              or not _figure_follows(text, end, g)):
        return None
    if unit.kind == "count" and _names_counted_things(text, start, end, written, g):
        return None
    inner = in1 or in2 or in3 or ""
    lo, hi = parsed
    factor = unit.factor
    return _finish(text, start, end, lo * factor, None if hi is None else hi * factor, unit.unit,
                   unit.kind, g.approx_inside.get(inner, ""), g, mag + written)


def _names_counted_things(text: str, start: int, end: int, written: str, g: _Grammar) -> bool:
    """A count that refers back to a set rather than counting anew.

    ``上述两类技术改造项目`` points at the two kinds just described; a count of places opening
    a clause and followed by 中 or 的 (``从增速看,17市中…``, ``十市的经济总量``) is the set of
    places the text has named, while ``扩大到16市的16个县区`` counts them.
    """
    if text.endswith(g.reference_before, max(0, start - 3), start):
        return True
    if written in g.place_count_units and text.startswith(g.place_set_after, end):
        before = text[max(0, start - 3):start].rstrip(" ")
        return not before or before[-1] in _CLAUSE_PUNCT
    return False


def counts_places(q: Quantity) -> bool:
    """Whether the figure is a number of places (``16市``, ``33县市区``, ``8地市``)."""
    return q.written_unit in _grammar().place_count_units


def _kind_after_ge(word: str) -> str:
    return {"人": "count", "百分点": "points"}.get(word, "duration")


def _with_inner_approx(numeral: str, mag: str) -> tuple[float, float | None] | None:
    """``1200多万`` is 1200 万 and more, not 1200 followed by an unknown 万."""
    parsed = parse_numeral(numeral)
    if parsed is None:
        return None
    scale = parse_numeral("1" + mag)
    return (parsed[0] * scale[0], None if parsed[1] is None else parsed[1] * scale[0]) if scale else None


def _chinese_numeral_is_figure(text: str, start: int, numeral: str, m: re.Match[str], g: _Grammar) -> bool:
    """Chinese numerals double as words: 一家企业, 千家万户, 二期 are not figures."""
    has_digit = any(c in _DIGITS and c not in "零〇" for c in numeral) or numeral == "半"
    approx_near = bool(_approx_before(text, start, g)[0] or m.group("in1") or m.group("in2")
                       or m.group("in3") or _approx_after(text, m.end(), g)[0])
    if not has_digit and not numeral.startswith(("十", "拾")):
        big = sum(c in _SMALL or c in _BIG for c in numeral)
        if big < 2 and not approx_near:
            return False
    if numeral in ("一", "壹") and (m.group("unit") or "") != "刻钟" and not g.one_kept.search(
            text, max(0, start - 10), start):
        return False
    if start and text[start - 1] in "(（" and m.group("unit") == "期":
        return False
    unit = g.units.get(m.group("unit") or "")
    if numeral in ("二", "贰") and unit is not None and unit.kind == "count":
        return False  # a count of two says 两 (两类, 两次); 二类, 二次创业, 二期 are labels
    if m.group("unit") == "个" and text.startswith("一", m.end()):
        return False  # “六个一”, 五个一批: numbered slogans
    return not (start and text[start - 1] == "每")


def _is_excluded(text: str, start: int, end: int, numeral: str, written: str, g: _Grammar) -> bool:
    """Ordinals, vague magnitudes, names in quotes, arithmetic, dates, similes, exponents (1e308)."""
    before = text[max(0, start - 6):start].rstrip(" ")
    prev = before[-1:]
    nxt = text[end:end + 1]
    if before.endswith(g.ordinal_before) or (("e" in before or "E" in before) and _SCIENTIFIC.search(before)):
        return True
    if prev in g.vague_last and before.endswith(g.vague_before) and not numeral[:1].isdigit() and (
            prev in "几数" or numeral[:1] in "十百千万亿"):
        return True
    if (prev and (prev in "+×*/＋÷=" or prev.isdigit())) or (nxt and nxt in "+×*/＋÷="):
        return True
    if written == "条" and prev and prev in _CLOSE_QUOTES:
        return True
    if written in ("名", "位") and before.endswith(g.rank_before):
        return True
    if g.simile.search(text, max(0, start - 10), start):
        return True
    if _OPEN_QUOTE_TAIL.search(text, max(0, start - 12), start) and _inside_short_quote(text, start, end):
        return True
    if written in ("日", "天") and (_DATE_TAIL.search(before) or (written == "日" and prev == "月")):
        return True
    unit = g.units.get(written)
    kind = unit.kind if unit else ("duration" if written.startswith("个") and written[-1] in "月时日" else "")
    if kind != "duration":
        return False
    if before.endswith(g.period_before) and not before.endswith(g.period_not_before):
        return True
    return text[end:end + 4].lstrip("多余").startswith(g.time_point_after)


def _inside_short_quote(text: str, start: int, end: int, limit: int = 10) -> bool:
    """“六个一”, ‘线上3个宣讲群’: a figure inside a short quoted name is part of the name."""
    left = _OPEN_QUOTE_TAIL.search(text, max(0, start - limit), start)
    right = _CLOSE_QUOTE_HEAD.match(text, end, end + limit)
    if not (left and right):
        return False
    return (start - left.start() - 1) + (end - start) + (right.end() - end - 1) <= limit


def _approx_before(text: str, start: int, g: _Grammar) -> tuple[str, str]:
    """The qualifier written just before the numeral, and its canonical form."""
    if start:
        for word in g.before_by_last.get(text[start - 1], ()):
            if text.endswith(word, 0, start):
                return word, g.approx_before[word]
    return "", ""


def _approx_after(text: str, end: int, g: _Grammar) -> tuple[str, str]:
    if end < len(text):
        for word in g.after_by_first.get(text[end], ()):
            if text.startswith(word, end):
                return word, g.approx_after[word]
    return "", ""


def _is_threshold(text: str, start: int, end: int, pre: str, post: str, kind: str, ranged: bool,
                  g: _Grammar) -> bool:
    """A figure naming a class or a band of things rather than an amount.

    ``投资500万元以上技改项目就有5511个`` and ``亿元以上项目`` name a class by its size:
    a figure followed by 以上/以下 and then a noun. ``过10亿元项目3个`` does the same with 过
    in front, but ``超过10家企业参加`` is an amount, so there another figure must follow; so
    does a range (``20亿-50亿元项目11个``) and a figure before 阵营 (``进入2000亿元阵营``).
    A qualified figure said of what was just counted (``3市新超2000亿``, ``其中6个项目投资额超
    10亿元``), of each single item (``项目单体投资超过20亿元``) or of all of several things
    (``均超2000亿元``) is the band they fall in.
    """
    after = end + len(post)
    if text.startswith(g.class_after, after):
        return True
    lead = start - len(pre)
    over = pre in g.rules["threshold_before"]  # 过/超过/超/逾 written before the figure
    upward = over or post in ("以上", "及以上")  # not 不超过 (a cap)
    if upward:
        several = (g.band.search(text, max(0, lead - 4), lead)
                   or g.per_item.search(text, max(0, lead - 14), lead))
        if several and text[after:after + 1] != "的":
            return True
    if over:
        counted = g.counted_before.search(text, max(0, lead - 16), lead)
        if counted and (counted.group("sub") or counted.group("word") in g.place_count_units) and \
                not g.aggregate.search(counted.group("gap")):
            return True
    nxt = text[after:after + 1]
    if not nxt or nxt in _PUNCT or nxt in g.rules["threshold_not_before"]:
        return False
    if post in g.rules["threshold_after"]:
        return kind != "percent"  # 95%以上的企业 is a share, 500万元以上的项目 a class
    if ranged and not over:
        return _is_cjk(nxt) and _count_closes_clause(text, after, g)
    if not over:
        return False
    return _figure_follows(text, after, g)


def _count_closes_clause(text: str, after: int, g: _Grammar) -> bool:
    """``20亿-50亿元项目11个,``: a short noun, then a count that ends the clause (a size class),
    unlike ``投资3-5亿元建设2个园区`` where the range is an amount."""
    rest = text[after:after + 20]
    clause = rest[:min([i for i in map(rest.find, _CLAUSE_PUNCT) if i >= 0] or [len(rest)])]
    for m in g.pattern.finditer(clause, 0, len(clause)):
        q = _read_match(clause, m, g)
        if q is not None:
            return q.start <= 4 and q.kind == "count" and q.end == len(clause)
    return False


def _figure_follows(text: str, after: int, g: _Grammar) -> bool:
    """Whether the clause that goes on at ``after`` gives another figure."""
    rest = text[after:after + 40]
    clause = rest[:min([i for i in map(rest.find, _CLAUSE_PUNCT) if i >= 0] or [len(rest)])]
    return any(_read_match(clause, m, g) for m in g.pattern.finditer(clause))


def _finish(text: str, start: int, end: int, value: float, hi: float | None, unit: str, kind: str,
            inner: str, g: _Grammar, written: str) -> Quantity | None:
    pre_word, pre = _approx_before(text, start, g)
    post_word, post = _approx_after(text, end, g)
    if _is_threshold(text, start, end, pre_word, post_word, kind, hi is not None, g):
        return None
    approx = inner or pre or post
    q_start, q_end = start - len(pre_word), end + len(post_word)
    if (not pre_word and hi is None and start and text[start - 1] in _SIGN_OR_BREAK
            and _NEGATIVE_SIGN.search(text, max(0, start - 3), start)):
        value, q_start = -value, q_start - 1  # 增长-3.1%: a written minus, not a range dash
    return Quantity(_tidy(value), unit, approx, None if hi is None else _tidy(hi), text[q_start:q_end],
                    q_start, q_end, kind, written)


def _tidy(value: float) -> float:
    """Drop binary noise from scaling (2156.3 × 1e8 is 215630000000.00003 in floating point).

    A whole number below 1e15 has no noise to drop (its 15 digits are exact): most figures are."""
    if isinstance(value, float) and value.is_integer() and -1e15 < value < 1e15:
        return value
    return float(f"{value:.15g}")


def infer_bare_unit(text: str, quantity: Quantity, earlier: list[Quantity] | None = None) -> str:
    """The unit of a figure printed without one, when the text makes it clear.

    ``城镇常住人口超过327万`` counts people; ``1.1万贫困户`` counts households (the noun's last
    word is the measure word); ``总投资1295亿`` and ``5000多万第二批技改奖补资金`` are money;
    ``保有量超过3600万`` after ``2056万辆电动自行车`` counts the same vehicles. Returns "" when
    the text does not say.

    >>> text = "山东2056万辆电动自行车有了身份证。我省是电动自行车产销大省，保有量超过3600万。"
    >>> [q.unit for q in find_quantities(text)]
    ['辆', '辆']
    """
    g = _grammar()
    if quantity.unit:
        return quantity.unit
    noun = _CJK_RUN.match(text, quantity.end, quantity.end + 12)
    noun_text = noun.group() if noun else ""
    for ending, unit in g.noun_units:
        at = noun_text.find(ending, 1, 3 + len(ending))
        if at > 0:
            return unit
    left = text[max(0, quantity.start - 10):quantity.start]
    if any(w in left for w in g.rules["people_words"]):
        return "人"
    clause_left = left[max(left.rfind(c) for c in _CLAUSE_PUNCT) + 1:]
    if g.money_words.search(clause_left) or g.money_words.search(noun_text):
        return "元"
    for ending, unit in g.noun_units:  # 5630万农村建档立卡贫困人口
        if noun_text.find(ending, 1) > 0:
            return unit
    others = earlier if earlier is not None else find_quantities(text[:quantity.start])
    before = others[:bisect_left(others, quantity.start, key=lambda o: o.start)]
    if before and before[-1].unit and before[-1].end >= quantity.start - 20:
        between = text[before[-1].end:quantity.start]
        if _CHANGE_TO.search(between) and not any(c in between for c in _CLAUSE_PUNCT):
            return before[-1].unit  # 由2018年的172万人减少到今年年底的43万
    window = max(0, quantity.start - 200)
    sentence_start = max(text.rfind(c, window, quantity.start) for c in _SENTENCE_END) + 1
    sentence = text[max(window, sentence_start):quantity.start]
    for q in reversed(before):
        if q.end < quantity.start - 3000:
            break
        if not q.unit or q.kind in ("percent", "money", "points", "bare"):
            continue
        after_q = text[q.end:q.end + 6]
        if any(after_q[i:i + 3] in sentence for i in range(len(after_q) - 2) if _is_cjk(after_q[i:i + 3])):
            return q.unit
    return ""


def _is_cjk(s: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in s)


def parse_quantity(text: str) -> Quantity | None:
    """Parse one quantity written on its own ("3478万元" → 34_780_000.0 元).

    >>> parse_quantity("两千多棵")
    Quantity(value=2000.0, unit='棵', approx='多', range_hi=None, quote='两千多棵', start=0, end=4, \
kind='count', written_unit='棵')
    """
    found = find_quantities(text)
    return found[0] if found else None
