"""Named policy campaigns: which ones an article mentions, under one name each, and where.

Papers write one campaign many ways — “六稳”“六保”, 六稳六保, 六稳和六保; 百日攻坚 and 百日攻坚行动;
‘十二大攻坚战’ — and officials want one row per campaign, not per spelling. So:

- the catalogue of known campaigns (name, aliases, family, level, issuer, years) is data, the
  ``[campaigns]`` section of ``loaders/data/taxonomy.toml``;
- quotation marks are ignored when matching (“六稳”“六保” reads as 六稳六保), aliases fold into
  the campaign's name, longest first and without overlap (六稳六保 is not also 六稳);
- the patterns of that section (``…攻坚行动``, ``…专项行动`` …) find names nobody listed yet;
  words before them that are not part of the name (开展、打赢、全市 …) are cut off. Such a name
  is stored like any other, and the dashboard shows it only once a person confirms it in 校对.

Example: ``find_mentions("聚力“六稳”“六保”·重点工作攻坚看行动")`` →
``[Mention(2, 10, "六稳六保", "known"), Mention(11, 17, "重点工作攻坚", "known")]``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from re import _constants, _parser  # type: ignore[attr-defined]
from typing import TypeVar

import ahocorasick_rs

from loaders.records import Article, Campaign

LEVELS = ("national", "provincial", "city")
LEVEL_LABELS = {"national": "国家", "provincial": "省级", "city": "市级"}
QUOTE_MARKS = "“”‘’「」『』\"'《》〈〉"
_T = TypeVar("_T")


@dataclass(frozen=True)
class KnownCampaign:
    """One campaign of the catalogue, e.g. 三提三敢 (city, 聊城市, 2023–)."""

    name: str
    aliases: tuple[str, ...] = ()
    family: str = ""  # the campaign this one is a part of (六稳 → 六稳六保), else ""
    level: str = ""  # national | provincial | city
    issuer: str = ""  # 全国, 山东省, 聊城市 …
    years: tuple[int, ...] = ()  # (first,) while it runs, (first, last), or () when not known
    why: str = ""


@dataclass(frozen=True)
class Catalogue:
    known: tuple[KnownCampaign, ...]
    patterns: tuple[re.Pattern[str], ...]
    lead_words: tuple[str, ...]
    not_a_name: tuple[str, ...]

    def get(self, name: str) -> KnownCampaign | None:
        return next((c for c in self.known if c.name == name), None)

    def family_of(self, name: str) -> str:
        """The family a campaign belongs to: ``family_of("六稳")`` → "六稳六保"; itself otherwise."""
        found = self.get(name)
        return found.family if found and found.family else name

    def members(self, name: str) -> tuple[str, ...]:
        """A campaign and its parts: ``members("六稳六保")`` → ("六稳六保", "六稳", "六保")."""
        return (name, *(c.name for c in self.known if c.family == name and c.name != name))


class CatalogueError(ValueError):
    """A campaigns section that cannot be used; the message names the file and the entry."""


def parse_catalogue(data: dict, where: str = "taxonomy.toml") -> Catalogue:
    """Build the catalogue from the parsed ``[campaigns]`` table (tests feed edited copies)."""
    known = []
    for entry in data.get("known", ()):
        name = clean_name(entry.get("name", ""))
        level = entry.get("level", "")
        if not name:
            raise CatalogueError(f"{where} 的 [[campaigns.known]] 中有一项缺少 name：请补上攻坚行动的名称")
        if level not in LEVELS:
            raise CatalogueError(f"{where} 中攻坚行动“{name}”的 level 应为 national、provincial 或 city，"
                                 f"而不是“{level}”：请改正后重启")
        years = tuple(int(y) for y in entry.get("years", ()))
        if len(years) > 2 or (len(years) == 2 and years[0] > years[1]):
            raise CatalogueError(f"{where} 中攻坚行动“{name}”的 years 应为 [起始年] 或 [起始年, 结束年]")
        known.append(KnownCampaign(
            name=name, aliases=tuple(clean_name(a) for a in entry.get("aliases", ())),
            family=clean_name(entry.get("family", "")), level=level, issuer=entry.get("issuer", ""),
            years=years, why=entry.get("why", "")))
    names = [c.name for c in known]
    if len(names) != len(set(names)):
        raise CatalogueError(f"{where} 中有攻坚行动重名：每个名称只能出现一次")
    for c in known:
        if c.family and c.family not in names:
            raise CatalogueError(f"{where} 中攻坚行动“{c.name}”的 family“{c.family}”不在列表中：请先添加它")
    return Catalogue(
        known=tuple(known),
        patterns=tuple(re.compile(p) for p in data.get("patterns", ())),
        lead_words=tuple(sorted(data.get("lead_words", ()), key=len, reverse=True)),
        not_a_name=tuple(data.get("not_a_name", ())),
    )


@cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue, read once from ``loaders/data/taxonomy.toml``."""
    text = resources.files("loaders").joinpath("data/taxonomy.toml").read_text(encoding="utf-8")
    return parse_catalogue(tomllib.loads(text).get("campaigns", {}))


def clean_name(raw: str) -> str:
    """A campaign name without quotation marks or spaces: ``"“百日攻坚”行动"`` → "百日攻坚行动"."""
    return "".join(ch for ch in raw if ch not in QUOTE_MARKS and not ch.isspace())


_DERIVED: dict[tuple[int, str], tuple[Catalogue, object]] = {}


def _derived(catalogue: Catalogue, build: Callable[[Catalogue], _T]) -> _T:
    """``build(catalogue)``, built once per catalogue object. Keyed by the object itself (which
    the table keeps alive, so its id is never reused): hashing a frozen catalogue hashes every
    campaign in it, which costs more than finding the campaigns in an article."""
    key = (id(catalogue), build.__name__)
    found = _DERIVED.get(key)
    if found is None:
        found = _DERIVED[key] = (catalogue, build(catalogue))
    return found[1]  # type: ignore[return-value]


def _alias_table(catalogue: Catalogue) -> tuple[dict[str, str], re.Pattern[str] | None]:
    """Every written form of a known campaign → its name, and one regex for them all, longest first."""
    return _derived(catalogue, _build_alias_table)


def _build_alias_table(catalogue: Catalogue) -> tuple[dict[str, str], re.Pattern[str] | None]:
    spelled: dict[str, str] = {}
    for c in catalogue.known:
        for written in (c.name, *c.aliases):
            spelled.setdefault(written, c.name)
    if not spelled:
        return spelled, None
    ordered = sorted(spelled, key=len, reverse=True)
    return spelled, re.compile("|".join(map(re.escape, ordered)))


def _alias_automaton(catalogue: Catalogue) -> tuple[ahocorasick_rs.AhoCorasick | None, tuple[str, ...]]:
    """The written forms of ``_alias_table`` as one Aho–Corasick automaton (leftmost, then longest:
    what the regex of them, longest first, finds) and its words by index; no automaton when a
    form is empty, which only the regex can match. A scan in Rust, not ``re`` trying each form
    at every character of the article."""
    return _derived(catalogue, _build_alias_automaton)


def _build_alias_automaton(catalogue: Catalogue) -> tuple[ahocorasick_rs.AhoCorasick | None, tuple[str, ...]]:
    spelled, _ = _alias_table(catalogue)
    words = tuple(spelled)
    if not words or "" in spelled:
        return None, words
    return ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest), words


def normalise_name(raw: str, catalogue: Catalogue | None = None) -> str:
    """The one name a written campaign goes by: quotes dropped, an alias folded into its campaign.

    ``normalise_name("“百日攻坚”")`` → "百日攻坚行动";
    ``normalise_name("‘十二大攻坚战’")`` → "十二大攻坚行动"; a name the catalogue does not know
    comes back cleaned of quotes only.
    """
    catalogue = catalogue or load_catalogue()
    spelled, _ = _alias_table(catalogue)
    name = clean_name(raw)
    return spelled.get(name, name)


@dataclass(init=False, slots=True)
class Mention:
    """Where a campaign is named in a text: ``text[start:end]`` (quotes included), and how it was found."""

    start: int
    end: int
    name: str
    how: str  # known | pattern

    def __init__(self, start: int, end: int, name: str, how: str) -> None:
        # written out, as the dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every campaign named)
        self.start = start
        self.end = end
        self.name = name
        self.how = how


def _lead_words_by_first(catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """The lead words (开展, 全市, 的 …) by their first character, so each character of a found
    name is checked only against the words it can begin."""
    found: dict[str, list[str]] = {}
    for word in catalogue.lead_words:
        if word:
            found.setdefault(word[0], []).append(word)
    return {first: tuple(words) for first, words in found.items()}


def trim_found_name(found: str, catalogue: Catalogue | None = None) -> str:
    """Cut what a pattern caught before the name: ``"行动和十二大攻坚行动"`` → "十二大攻坚行动".

    Returns "" when what is left is no name (``"第八个攻坚行动"``, a bare ``"攻坚行动"``).
    """
    catalogue = catalogue or load_catalogue()
    lead_words = _derived(catalogue, _lead_words_by_first)
    cut = 0
    for i, first in enumerate(found):
        for word in lead_words.get(first, ()):
            if found.startswith(word, i) and i + len(word) > cut:
                cut = i + len(word)
    name = found[cut:]
    suffix = next((m.group() for p in catalogue.patterns if (m := p.fullmatch(name))), None)
    if suffix is None:
        return ""
    if name.startswith(catalogue.not_a_name):
        return ""
    core = _ACTION_ENDING.sub("", name)
    return name if len(core) >= 2 else ""


# compiled once with the module, not looked up in (or, the first time, compiled into) re's cache
# by ``re.sub`` for every name a pattern finds
_ACTION_ENDING = re.compile("(?:攻坚行动|攻坚战|专项行动|提升行动|百日行动)$")


def _literal_tails(items: list) -> tuple[str, ...] | None:
    """The literal words the last of a parsed pattern's ``items`` is, one of which every match
    therefore ends with; None when it is not one or more plain words."""
    if not items:
        return None
    op, arg = items[-1]
    if op is _constants.LITERAL:
        run = []
        for op, arg in items[::-1]:  # not reversed(): mypyc cannot compile it over an untyped list
            if op is not _constants.LITERAL:
                break
            run.append(chr(arg))
        return ("".join(reversed(run)),)
    if op is _constants.SUBPATTERN:
        _group, add_flags, del_flags, inner = arg
        return _literal_tails(list(inner)) if not add_flags and not del_flags else None
    if op is _constants.BRANCH:
        tails: list[str] = []
        for branch in arg[1]:
            if not branch or any(o is not _constants.LITERAL for o, _ in branch):
                return None
            tails.append("".join(chr(a) for _, a in branch))
        return tuple(tails)
    return None


@cache
def _required_tails(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Words one of which every match of ``pattern`` ends with (攻坚行动, 攻坚战, 专项行动 … for
    ``[\u4e00-\u9fff]{2,10}(?:攻坚行动|攻坚战|…)``), or None when the pattern does not end in
    plain words. A text holding none of them cannot match, so most articles skip the pattern,
    whose scan tries every character as a name's start."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        return _literal_tails(list(_parser.parse(pattern.pattern, pattern.flags)))
    except (re.error, TypeError, ValueError):
        return None


@cache
def _widest_match(pattern: re.Pattern[str]) -> int:
    """The most characters a match of ``pattern`` can span (14 for ``[\u4e00-\u9fff]{2,10}(?:攻坚行动|…)``);
    a huge number when unbounded."""
    return _parser.parse(pattern.pattern, pattern.flags).getwidth()[1]


def _pattern_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, searched only near its closing words (``_required_tails``).

    A match ends with one of them and spans at most ``_widest_match`` characters, so none starts
    before the first closing word's end less that width: each search begins there, and a text
    without the words is not scanned at all. The pattern's scan tries every character as a
    name's start, which is most of the cost of an article's campaigns.
    """
    tails = _required_tails(pattern)
    if tails is None:
        yield from pattern.finditer(text)
        return
    widest = _widest_match(pattern)
    pos = 0
    while True:
        ends = [at + len(tail) for tail in tails if (at := text.find(tail, pos)) >= 0]
        if not ends:
            return
        m = pattern.search(text, max(pos, min(ends) - widest))
        if m is None:
            return
        yield m
        pos = m.end()  # never empty: a match ends with a closing word


def _without_quotes(text: str) -> tuple[str, str]:
    """``text`` with its quotation marks dropped, by one C-level search per mark, and the marks
    it held."""
    held = ""
    for mark in QUOTE_MARKS:
        if mark in text:
            text = text.replace(mark, "")
            held += mark
    return text, held


_MARKS = re.compile(f"[{re.escape(QUOTE_MARKS)}]*")  # the run of marks at a position, maybe none


def _original_positions(text: str, marks: str, plain_positions: Iterable[int]) -> dict[int, int]:
    """Where each index of ``text`` without its quotation marks ``marks`` stood in ``text``:
    ``_original_positions("“六稳”“六保”", "“”", [0, 3])`` → ``{0: 1, 3: 5}``.

    One walk from the left, passing each run of marks in one match and counting the marks in a
    stretch with ``str.count``, in C: a page's mentions are few and its quotation marks many, so
    no map of every mark is built. Each stretch starts past a run, so there are fewer stretches
    than runs of marks, and the walk costs no more than a list of the runs would.
    """
    where = {}
    at = kept = 0  # a position in ``text``, and how many characters before it are not marks
    for i in sorted(set(plain_positions)):
        while True:
            if text[at] in marks:  # a character that is not a mark, index i, lies at or after ``at``
                run = _MARKS.match(text, at)
                at = run.end() if run else at
            if kept == i:
                break
            step = i - kept  # characters that are not marks still to pass: at least this many more
            kept += step - sum(text.count(mark, at, at + step) for mark in marks)
            at += step
        where[i] = at
    return where


def find_mentions(text: str, catalogue: Catalogue | None = None) -> list[Mention]:
    """Every campaign named in ``text``, in text order, known names first and without overlap."""
    catalogue = catalogue or load_catalogue()
    plain, marks = _without_quotes(text)  # the map back to ``text`` only once something is found
    spelled, alias_re = _alias_table(catalogue)
    found: list[tuple[int, int, str, str]] = []  # (start, end, …): the spans taken so far
    automaton, words = _alias_automaton(catalogue)
    if automaton is not None:
        for index, start, end in automaton.find_matches_as_indexes(plain):
            found.append((start, end, spelled[words[index]], "known"))
    elif alias_re is not None:
        for m in alias_re.finditer(plain):
            found.append((m.start(), m.end(), spelled[m.group()], "known"))
    for pattern in catalogue.patterns:
        for m in _pattern_matches(pattern, plain):
            if any(start < m.end() and m.start() < end for start, end, _, _ in found):
                continue  # overlaps a name found before: few are, so no per-character map
            name = trim_found_name(m.group(), catalogue)
            if not name:
                continue
            start = m.end() - len(name)
            canonical = spelled.get(name, name)
            found.append((start, m.end(), canonical, "known" if name in spelled else "pattern"))
    if not found:
        return []
    found.sort()
    if not marks:
        return [Mention(start, end, name, how) for start, end, name, how in found]
    where = _original_positions(text, marks, [i for start, end, _, _ in found for i in (start, end - 1)])
    return [Mention(where[start], where[end - 1] + 1, name, how) for start, end, name, how in found]


def find_campaigns(article: Article, kicker: str = "") -> list[Campaign]:
    """Named campaigns the article mentions, with how often (三提三敢 ×3 …), under their one name.

    Names are matched longest first without overlap, so 六稳六保 is not also counted as 六稳.
    ``kicker`` is the line printed above the headline, which often names the campaign a column
    reports under (seed page 000: 聚力“六稳”“六保”·重点工作攻坚看行动 above 基层运转有力 前行更有底气).
    """
    counts: dict[str, int] = {}
    for m in (find_mentions(kicker) if kicker.strip() else []) + find_mentions(article.text):
        counts[m.name] = counts.get(m.name, 0) + 1
    return [Campaign(article.article_id, name, n) for name, n in sorted(counts.items())]


def is_known(name: str, catalogue: Catalogue | None = None) -> bool:
    """True for a name of the catalogue (its own or an alias); pattern-found names need a person's yes."""
    catalogue = catalogue or load_catalogue()
    return name in _alias_table(catalogue)[0]


def years_text(campaign: KnownCampaign) -> str:
    """``(2018,)`` → "2018年起"; ``(2015, 2020)`` → "2015—2020年"; ``(2019, 2019)`` → "2019年"."""
    if not campaign.years:
        return ""
    if len(campaign.years) == 1:
        return f"{campaign.years[0]}年起"
    first, last = campaign.years
    return f"{first}年" if first == last else f"{first}—{last}年"


def campaign_members(names: Iterable[str], catalogue: Catalogue | None = None) -> list[str]:
    """The names to look for when filtering by campaigns: each with its parts, in order, once.

    ``campaign_members(["六稳六保", "三提三敢"])`` → ["六稳六保", "六稳", "六保", "三提三敢"].
    """
    catalogue = catalogue or load_catalogue()
    return list(dict.fromkeys(m for n in names for m in catalogue.members(n)))
