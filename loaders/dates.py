"""Publication dates and the periods figures refer to.

``page_date`` dates a page from the firmest source there is, and says which: a date the user
gave (a manifest, the 导入 page), the file name, a saved page's ``<meta>`` tags or address, the
metadata lines a web article prints (``2018年10月18日  来源:齐鲁晚报``), and only then what the text
gives away (``infer_publication_date``). ``resolve_period`` reads the time expression that
governs one figure (``今年前5月``, ``2019年``, ``截至3月20日``, ``去年``, ``到2025年``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from loaders.first_chars import first_characters, guarded

if TYPE_CHECKING:
    from loaders.metadata import HtmlMeta


@dataclass(frozen=True)
class PubDate:
    year: int | None
    month: int | None = None
    day: int | None = None
    precision: str = "unknown"  # day | month | year | inferred | unknown

    @property
    def iso(self) -> str:
        if self.year is None:
            return ""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(init=False, slots=True)
class Period:
    """The period a figure refers to; one is built per figure, so not frozen (a frozen
    ``__init__`` costs three times a plain one's), and nothing changes one once made."""

    year: int | None
    text: str  # as written: "2019年", "1-5月", "截至3月20日", "去年", "年内", or ""
    is_target: bool  # a goal (年内/力争/到2025年) rather than a result

    def __init__(self, year: int | None, text: str, is_target: bool = False) -> None:
        # written out, as the dataclass would write it, so that mypyc compiles it too
        self.year = year
        self.text = text
        self.is_target = is_target


# ---------------------------------------------------------------------------------------------
# Publication date
# ---------------------------------------------------------------------------------------------

_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_FULL_DATE = re.compile(rf"(?P<y>{_YEAR})\s*年\s*(?P<m>\d{{1,2}})\s*月(?:\s*(?P<d>\d{{1,2}})\s*日)?")
# These scan whole pages. Each begins by reading a digit (the look-behind that a year or month
# is not the tail of a longer number checks the character before that digit), so ``re`` skips
# from digit to digit in C instead of trying the pattern at every position: a leading guard or
# look-behind would hide the first character from the engine's skip.
_ANY_YEAR = re.compile(r"(?P<y>1(?<![\d.]1)9[5-9]\d|2(?<![\d.]2)0[0-4]\d)\s*年(?!代|度?前)")
_ANY_YEAR_OPENS = first_characters(_ANY_YEAR)  # 1 or 2: most 年 follow no year, and skip the call into re
_TARGET_BEFORE = re.compile(r"(?:(?<![截止])到|(?<!截)至|力争|计划|预计|目标|规划|远景)\s*$")
_CURRENT_AFTER = re.compile(r"^(?:是|既要|要|将|确保|力争|争取|计划)")
_CURRENT_BEFORE = re.compile(r"(?:进入|迈入|今年是|今年即)\s*$")
_REPORT_AFTER = re.compile(r"^\s*[,，]")
_PLAN_WORDS = re.compile(r"要|将|确保|力争|争取|计划|目标|预计|力求")
_BARE_MONTH_DAY = re.compile(r"(?P<m>\d(?<![年\d]\d)\d?)\s*月\s*(?P<d>\d{1,2})\s*日(?!\s*(?:起|之?前|以前))")
_RELATIVE_BEFORE = re.compile(r"(?:去年|前年|明年|上年)\s*$")


@dataclass(frozen=True)
class _Era:
    year: int
    weight: float
    terms: tuple[str, ...]


@functools.cache
def _eras() -> tuple[_Era, ...]:
    raw = resources.files("loaders").joinpath("data/date_knowledge.toml").read_text(encoding="utf-8")
    return tuple(_Era(int(e["year"]), float(e["weight"]), tuple(e["terms"]))
                 for e in tomllib.loads(raw)["era"])


_SENTENCE_STOP = re.compile(r"[。！？!?\n]")


def _sentence_end(text: str, start: int, limit: int | None = None) -> int:
    """Just after the first sentence stop from ``start`` (else the text's end), read no further
    than ``limit`` characters: a page without stops is not rescanned to its end for each year."""
    end = len(text) if limit is None else min(len(text), start + limit)
    m = _SENTENCE_STOP.search(text, start, end)
    return m.end() if m else end


def _written_years(text: str) -> Iterator[re.Match[str]]:
    """What ``_ANY_YEAR.finditer(text)`` finds, looked for at each 年 instead of each 1 and 2.

    A match ends at its only 年, and its year is the four characters before that 年 (spaces
    aside): one place to try per 年, and a page holds far fewer of them than digits. Matches
    cannot overlap (a year holds no 年), so these are the scan's matches, in order.
    """
    at = text.find("年")
    while at >= 0:
        start = at
        while start and text[start - 1].isspace():
            start -= 1
        if start >= 4 and text[start - 4] in _ANY_YEAR_OPENS:
            m = _ANY_YEAR.match(text, start - 4)
            if m:
                yield m
        at = text.find("年", at + 1)


def year_votes(text: str) -> tuple[dict[int, float], int | None]:
    """Votes for the page's year from the years it writes out, and the floor they set.

    A year written as past or present (``2019年12月29日``, ``进入2023年``) means the page is from
    that year or later: the latest such year is the floor. ``2022年,…总产值1216.8亿元`` reports a
    finished year, a vote for the year after; ``2020年是…收官年`` or ``2020年,…要…`` a vote for
    the year itself; targets (``到2025年``, ``力争…``) neither vote nor raise the floor.
    """
    votes: dict[int, float] = defaultdict(float)
    floor: int | None = None
    for m in _written_years(text):
        year = int(m.group("y"))
        before = text[max(0, m.start() - 4):m.start()]
        after = text[m.end():m.end() + 6]
        if _TARGET_BEFORE.search(before):
            continue
        floor = year if floor is None else max(floor, year)
        if _CURRENT_BEFORE.search(before) or _CURRENT_AFTER.match(after):
            votes[year] += 2.0
        elif _REPORT_AFTER.match(after) and not _PLAN_WORDS.search(
                text, m.end(), _sentence_end(text, m.end(), 40)):  # the clause's first 40 characters
            votes[year + 1] += 2.0
        elif _REPORT_AFTER.match(after):
            votes[year] += 2.0
        else:
            votes[year] += 1.0
    return votes, floor


def _era_votes(text: str) -> dict[int, float]:
    """Each era's weight times how many of its terms the page holds (each term once).

    Each term is looked for on its own (``in``: CPython's substring search skips through the
    page): for the few dozen terms of ``date_knowledge.toml`` that costs about half of one
    Aho–Corasick pass with overlaps over the page (6 against 11 M instructions on the seed pages).
    """
    votes: dict[int, float] = defaultdict(float)
    for era in _eras():
        votes[era.year] += era.weight * sum(1 for term in era.terms if term in text)
    return votes


def _bare_month_days(text: str) -> Iterator[re.Match[str]]:
    """What ``_BARE_MONTH_DAY.finditer(text)`` finds, looked for at each 月 instead of each digit.

    Why: a page holds many more digits than 月, and ``re`` tests each of its characters against
    ``\\d`` (a Unicode table lookup) to find where to try the pattern. A match holds exactly one
    月, and the digits that open it are the whole run (one or two digits, not after 年) that ends,
    spaces aside, just before that 月: one place to try per 月. Matches cannot overlap (one ends at
    its 日, after any 月 of its own), so these are the scan's matches, in order.
    """
    at = text.find("月")
    while at >= 0:
        start = at
        while start and text[start - 1].isspace():
            start -= 1
        digits = start
        while digits and start - digits < 3 and text[digits - 1].isdecimal():
            digits -= 1
        if 0 < start - digits < 3:
            m = _BARE_MONTH_DAY.match(text, digits)
            if m:
                yield m
        at = text.find("月", at + 1)


def _latest_month(months: Iterable[int]) -> int | None:
    """The latest month among bare ``M月D日`` mentions; a page from January that still
    mentions December has both ends of the year, so months far after the rest count as last year."""
    found = sorted(set(months))
    if not found:
        return None
    if found[-1] - found[0] >= 6:
        early = [m for m in found if m < 6]
        if early:
            return max(early)
    return found[-1]


_DATELINE_DATE = re.compile(r"(\d{1,2})月(\d{1,2})日")
_MONTH = re.compile(r"(\d{1,2})\s*月")
_SPACE_RUN = re.compile(r"\s+")


def _dateline_dates(articles: Iterable[object]) -> list[tuple[int, int]]:
    out = []
    for span in articles:
        written = getattr(span, "dateline_date", "") or ""
        m = _DATELINE_DATE.match(written)
        if m:
            out.append((int(m.group(1)), int(m.group(2))))
    return out


_NAME_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})(?:[-_.年/]?)(0[1-9]|1[0-2]|[1-9](?=[-_.月/]))(?:[-_.月/]?)"
    r"(0[1-9]|[12]\d|3[01]|[1-9](?!\d))日?(?!\d)")


def date_from_name(name: str) -> PubDate | None:
    """The edition date a file name carries (``dzrb_2020-06-21_01.txt``, ``20200621A03.html``).

    Newspaper archives usually name pages by date; that is firmer than anything inferred from
    the text, so the pipeline prefers it. ``date_from_name("000_97d967b9aa75d6b6.txt")`` → None.
    """
    for m in _NAME_DATE.finditer(name):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            dt.date(year, month, day)
        except ValueError:
            continue
        return PubDate(year, month, day, "day")
    return None


_GIVEN = re.compile(
    r"^\s*(?P<y>(?:19|20)\d{2})\s*(?:[-/.年]\s*(?P<m>\d{1,2})\s*(?:[-/.月]\s*(?P<d>\d{1,2})\s*日?)?\s*月?)?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?\S*)?\s*$"
)
_GIVEN_COMPACT = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])?\s*$")


def parse_given_date(text: str) -> PubDate | None:
    """A date a person typed or a manifest holds → PubDate; None when it is not a date.

    ``parse_given_date("2020-06-21")`` → 2020-06-21 (day); ``"2020年6月"`` → 2020-06 (month);
    ``"2020"`` → 2020 (year); ``"20200621"`` → 2020-06-21; ``"2020-13-01"`` and ``"去年"`` → None.
    """
    m = _GIVEN.match(text) or _GIVEN_COMPACT.match(text)
    if not m:
        return None
    year = int(m.group("y"))
    month = int(m.group("m")) if m.group("m") else None
    day = int(m.group("d")) if m.group("d") else None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    precision = "day" if day else "month" if month else "year"
    return PubDate(year, month, day, precision)


DATE_SOURCES = ("manifest", "upload", "filename", "html", "metadata", "text")
"""Where a page's date may come from, firmest first (Article.date_source)."""


def page_date(page_text: str, articles: list, *, given: str = "", given_by: str = "manifest",
              name: str = "", html: HtmlMeta | None = None) -> tuple[PubDate, str]:
    """The page's publication date and where it came from (one of ``DATE_SOURCES``, or "").

    Firmest first: ``given`` (a manifest's or the 导入 page's date, recorded as ``given_by``), the
    file name (``dzrb_2020-06-21_01.txt``), a saved page's meta tags or address (``html``, a
    ``loaders.metadata.HtmlMeta``), the metadata lines of its articles (``2018年10月18日  来源:
    齐鲁晚报``; ``日期:08-03`` gives month and day, the text the year), then the text itself.

    ``page_date("…", spans, name="d002.txt")`` with a span whose metadata says 2017-11-15
    → ``(PubDate(2017, 11, 15, "day"), "metadata")``.
    """
    if given:
        found = parse_given_date(given)
        if found is not None:
            return found, given_by
    from_name = date_from_name(name) if name else None
    if from_name is not None:
        return from_name, "filename"
    if html is not None and html.year is not None:
        return _pub(html.year, html.month, html.day), "html"
    metadata = [getattr(span, "metadata", None) for span in articles]
    dated = next((m for m in metadata if m is not None and m.year is not None), None)
    if dated is not None:
        return _pub(dated.year, dated.month, dated.day), "metadata"
    inferred = infer_publication_date(page_text, articles)
    month_day = next((m for m in metadata if m is not None and m.month is not None), None)
    if month_day is not None and inferred.year is not None:
        try:
            dt.date(inferred.year, month_day.month, month_day.day or 1)
        except ValueError:
            pass
        else:
            precision = "day" if inferred.precision != "inferred" and month_day.day else inferred.precision
            return PubDate(inferred.year, month_day.month, month_day.day, precision), "metadata"
    return inferred, ("text" if inferred.year is not None else "")


def _pub(year: int, month: int | None, day: int | None) -> PubDate:
    precision = "day" if day else "month" if month else "year"
    return PubDate(year, month, day if month else None, precision)


def infer_publication_date(page_text: str, articles: list) -> PubDate:
    """The page's publication date, as precisely as its text allows.

    Year: every written year votes (see ``year_votes``), a page cannot be older than the latest
    year it writes as past or present, and campaign words from ``data/date_knowledge.toml``
    (六稳六保 → 2020, 三提三敢 → 2023) add weak votes; the best-voted year at or above that floor
    wins. Without any written year the words alone decide and the precision is ``inferred``.
    Day: a dateline (``本报济南6月20日讯``) is the eve of publication, so the latest dateline + 1
    day. Month, when no dateline gives a day: the latest bare ``M月D日`` the page mentions
    (news reports the last days), e.g. ``3月17日…3月20日`` → March.

    Example: the page with ``本报济南6月20日讯`` and ``截至2020年6月10日`` → 2020-06-21 (day).
    """
    votes, floor = year_votes(page_text)
    eras = _era_votes(page_text)
    for year, weight in eras.items():
        votes[year] += weight
    candidates = {y: v for y, v in votes.items() if v > 0 and (floor is None or y >= floor)}
    if floor is not None:
        candidates.setdefault(floor, 0.0)
    if not candidates:
        return PubDate(year=None)
    year = max(candidates, key=lambda y: (candidates[y], -y))
    written = floor is not None
    datelines = _dateline_dates(articles)
    if datelines:
        month, day = max(datelines)
        try:
            published = dt.date(year, month, day) + dt.timedelta(days=1)
        except ValueError:
            published = None
        if published is not None:
            return PubDate(published.year, published.month, published.day,
                           "day" if written else "inferred")
    months = [int(m.group("m")) for m in _bare_month_days(page_text)
              if 1 <= int(m.group("m")) <= 12
              and not _RELATIVE_BEFORE.search(page_text[max(0, m.start() - 3):m.start()])]
    latest_month = _latest_month(months)
    if latest_month is not None:
        return PubDate(year, latest_month, precision="month" if written else "inferred")
    return PubDate(year, precision="year" if written else "inferred")


# ---------------------------------------------------------------------------------------------
# Period of one figure
# ---------------------------------------------------------------------------------------------

# Possessive where a run of digits is followed by what cannot begin with a digit (\s*月, \s*至 …):
# giving a digit back could not let the rest match, so the engine is spared trying.
_NUM = r"[0-9一二三四五六七八九十]{1,3}+"
_SUB = (rf"前\s*{_NUM}\s*个?月|{_NUM}\s*[-—~至到]\s*{_NUM}\s*月份?"
        rf"|\d{{1,2}}+(?:\s*[、,]\s*\d{{1,2}}+)++\s*月份?|[一二三四]季度|第[一二三四]季度|上半年|下半年|前三季度|\d{{1,2}}+\s*月份?")
# Each alternative is guarded by its own first characters as well as the whole by theirs: at a
# character some alternative can begin with (a digit, 一, 全, a line break …) ``re`` enters only
# the alternatives that can begin there, not all nine in turn.
_EXPRESSIONS = guarded(
    "|".join(guarded(alternative).pattern for alternative in [
        r"(?P<vague>多年前|几年前|早些年|早年|过去几年|\d++多年前)",
        rf"(?P<target_year>(?:到|至|力争到?|计划到?|预计到?|争取到?)\s*(?P<ty>{_YEAR})\s*年(?:底|末)?)",
        rf"(?P<asof>截至|截止到?)\s*(?:(?P<ay>{_YEAR})\s*年)?\s*(?:(?P<am>\d{{1,2}})\s*月(?:份|底|末)?"
        rf"(?:\s*(?P<ad>\d{{1,2}})\s*日)?|目前|当前|今年|年底)?",
        rf"(?:(?P<since>自|从)\s*)?(?P<sy>{_YEAR})\s*年(?P<sm>\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?)?"
        rf"(?P<sub1>{_SUB}|底|末|初)?(?P<since_end>以来)?",
        rf"(?P<rel>今年|去年|前年|明年|上年|当年)(?P<sub2>{_SUB}|底|末|初|同期|以来)?",
        r"(?P<within>年内|年底前|年末前|全年|本年度)",
        r"(?P<now>目前|当前|眼下|如今|现在|近日|日前|当天|当日|当月|疫情期间|疫情以来|疫情发生后)",
        r"(?P<md>\d{1,2}+\s*月\s*\d{1,2}+\s*日(?:\s*[-—至到]\s*\d{1,2}+\s*日)?)",
        rf"(?P<sub3>{_SUB})",
    ])
)
_COMPARISON_BEFORE = re.compile(r"(?:比|较|于|同比|相比|对比)\s*$")
_SINCE_AFTER = re.compile(r"[^。！？!?;；]{0,40}?以来")  # matched where the expression ends
_TARGET_WORDS = re.compile(r"力争|确保|争取|预计|计划|目标|力求|要达到|将达到|有望")
_EVENT_AFTER = re.compile(r"^\s*(?:开工|完工|竣工|建成|投产|投用|开业|通车|启用|揭牌)")
_RELATIVE_YEARS = {"今年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
_CLAUSE_END = re.compile(r"[。！？!?;；]")


# No time expression holds one of these (they are in none of ``_EXPRESSIONS``' words or classes),
# so no expression spans one, and reading from just after one finds the expressions that reading
# from the text's start finds there; and the
# only look-aheads in it read the character an expression begins with.
_NOT_IN_EXPRESSIONS = re.compile(r"[。！？!?]")


@dataclass(init=False, slots=True, unsafe_hash=True)
class _Expression:
    """A time expression of an article. One is built per expression and none changes one, so it
    is not frozen (a frozen ``__init__`` costs three times a plain one's), yet hashes by its fields
    as a frozen one would."""

    start: int
    end: int
    year: int | None
    text: str
    is_target: bool

    def __init__(self, start: int, end: int, year: int | None, text: str, is_target: bool = False) -> None:
        # written out, as the dataclass would write it, so that mypyc compiles it too
        self.start = start
        self.end = end
        self.year = year
        self.text = text
        self.is_target = is_target


def _month_year(month: int, published: PubDate) -> int | None:
    """A month written without a year belongs to the publication year, unless it lies more than
    half a year after the publication month (``12月28日`` on a January page is last December)."""
    if published.year is None:
        return None
    if published.month is not None and month - published.month >= 6:
        return published.year - 1
    return published.year


def _first_month(text: str) -> int | None:
    m = _MONTH.search(text)
    return int(m.group(1)) if m else None


def _clean(text: str) -> str:
    return _SPACE_RUN.sub("", text).replace("月份", "月")


def time_expressions(text: str, published: PubDate, until: int | None = None,
                     start: int = 0) -> list[_Expression]:
    """Every time expression in ``text``, in order, with the year it points at; with ``until``,
    those that start before it (the text is read as far as that, but matched as a whole); with
    ``start``, those read from there (``_reading_ranges`` says where that finds what a reading
    of the whole text finds).

    ``"2019年,淄博实现GDP3642.40亿元"`` → ``[_Expression(0, 5, 2019, "2019年")]``.
    """
    out: list[_Expression] = []
    this_year = published.year
    # Read no further than the first stop from ``until``: no expression spans one, so what starts
    # before it ends there at the latest, and the search does not run on to the next expression.
    stop = _NOT_IN_EXPRESSIONS.search(text, until) if until is not None else None
    for m in _EXPRESSIONS.finditer(text, start, stop.start() if stop else len(text)):
        if until is not None and m.start() >= until:
            break
        written = m.group()
        if m.group("vague"):
            out.append(_Expression(m.start(), m.end(), None, written))
        elif m.group("target_year"):
            out.append(_Expression(m.start(), m.end(), int(m.group("ty")), _clean(written), True))
        elif m.group("asof"):
            year = int(m.group("ay")) if m.group("ay") else (
                _month_year(int(m.group("am")), published) if m.group("am") else this_year)
            out.append(_Expression(m.start(), m.end(), year, _clean(written)))
        elif m.group("sy"):
            year = int(m.group("sy"))
            ongoing = m.group("since_end") or (m.group("since") and _SINCE_AFTER.match(text, m.end()))
            if ongoing:
                since = _clean(written).lstrip("自从")
                since = since if since.endswith("以来") else f"{since}以来"
                out.append(_Expression(m.start(), m.end(), this_year, since))
            else:
                out.append(_Expression(m.start(), m.end(), year, _clean(written).lstrip("自从")))
        elif m.group("rel"):
            if m.group("sub2") == "同期" or _COMPARISON_BEFORE.search(text[max(0, m.start() - 3):m.start()]):
                continue
            offset = _RELATIVE_YEARS[m.group("rel")]
            year = None if this_year is None else this_year + offset
            sub = m.group("sub2")
            narrows = m.group("rel") == "今年" and sub and sub not in ("以来", "底", "末", "初")
            shown = _clean(sub) if narrows else _clean(written)
            out.append(_Expression(m.start(), m.end(), year, shown, offset > 0))
        elif m.group("within"):
            out.append(_Expression(m.start(), m.end(), this_year, written, written != "全年"))
        elif m.group("now"):
            out.append(_Expression(m.start(), m.end(), this_year, written))
        elif m.group("md"):
            month = _first_month(written)
            out.append(_Expression(m.start(), m.end(),
                                   _month_year(month, published) if month else this_year, _clean(written)))
        elif m.group("sub3"):
            month = _first_month(written) if "季度" not in written and "半年" not in written else None
            if month is not None and not 1 <= month <= 12:
                continue
            year = _month_year(month, published) if month else this_year
            out.append(_Expression(m.start(), m.end(), year, _clean(written)))
    return out


def _dates_an_event(text: str, expression: _Expression) -> bool:
    """``2024年12月完工`` dates a milestone of one project: it does not govern the sentences after it
    (``…2024年12月完工。公共教育类项目1个`` counts the plan's projects, not December 2024's)."""
    return "月" in expression.text and bool(_EVENT_AFTER.match(text[expression.end:expression.end + 6]))


def resolve_period(text: str, position: int, published: PubDate) -> Period:
    """The period a figure at ``position`` of ``text`` (its sentence) refers to.

    The nearest time expression before the figure wins: first in the figure's own sentence,
    else in the context before it; with none, the publication year. A cumulative ``自2019年…以来``
    counts up to now (publication year); a target (``到2025年``, ``年内``, or ``力争``/``确保``/
    ``预计`` between the expression and the figure) sets ``is_target``.

    ``resolve_period("今年前5月全国一般公共预算收入同比下降13.6%", 19, PubDate(2020))``
    → ``Period(2020, "前5月")``.
    """
    return period_at(text, position, 0, published, index_times(text, published))


@dataclass(frozen=True, init=False)
class TimeIndex:
    """An article's time expressions found once, in text order, with their starts for bisection,
    and where its sentences and clauses stop (the positions of 。！？ and line breaks; of 。！？；)."""

    expressions: tuple[_Expression, ...]
    starts: tuple[int, ...]
    sentence_stops: tuple[int, ...]
    clause_stops: tuple[int, ...]

    def __init__(self, expressions: tuple[_Expression, ...], starts: tuple[int, ...],
                 sentence_stops: tuple[int, ...], clause_stops: tuple[int, ...]) -> None:
        # written out, as the frozen dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every article)
        object.__setattr__(self, "expressions", expressions)
        object.__setattr__(self, "starts", starts)
        object.__setattr__(self, "sentence_stops", sentence_stops)
        object.__setattr__(self, "clause_stops", clause_stops)


_STOP_REACH = 1000  # how far back from a window a 。 is looked for; without one, the range before goes on


def _reading_ranges(text: str, windows: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where to look for the expressions ``period_at(text, position, lo, …)`` reads, for each
    (lo, position) of ``windows``: from the last 。 before ``lo`` (an expression that starts before
    ``lo`` may reach into the window; none spans a 。) to ``position``, overlapping ranges joined.
    Where no 。 stands shortly before ``lo``, the range before (or the text's start) goes on to it."""
    ranges: list[tuple[int, int]] = []
    last_lo = -1
    for lo, position in sorted(windows):
        if lo != last_lo:  # the figures of a paragraph share its window
            last_lo = lo
            stop = text.rfind("。", max(0, lo - _STOP_REACH), lo)
            start = stop + 1 if stop >= 0 else (ranges[-1][0] if ranges else 0)
            if not ranges or start > ranges[-1][1]:
                ranges.append((start, position))
                continue
        ranges[-1] = (ranges[-1][0], max(ranges[-1][1], position))
    return ranges


def index_times(text: str, published: PubDate, windows: Iterable[tuple[int, int]] | None = None) -> TimeIndex:
    """Every time expression of an article, for ``period_at``: one pass over the text, not one per figure.

    ``windows``: the (lo, position) pairs ``period_at`` will be asked about (each figure's context
    and start). Only the text that can hold an expression those read is searched: an article's
    paragraphs without figures and its text after the last figure are skipped.
    """
    if windows is None:
        found = time_expressions(text, published)
        end = len(text)
    else:
        found = []
        ranges = _reading_ranges(text, windows)
        for start, until in ranges:
            found.extend(time_expressions(text, published, until, start))
        end = ranges[-1][1] if ranges else 0
    full_stops = _positions(text, _FULL_STOP_CHARS, end)
    sentence_stops = full_stops + _positions(text, "\n", end)
    clause_stops = full_stops + _positions(text, ";；", end)
    sentence_stops.sort()
    clause_stops.sort()
    return TimeIndex(tuple(found), tuple([e.start for e in found]),
                     tuple(sentence_stops), tuple(clause_stops))


_FULL_STOP_CHARS = "。！？!?"  # where both a sentence and a clause stop
_SENTENCE_STOP_CHARS = _FULL_STOP_CHARS + "\n"  # what _SENTENCE_STOP matches
_CLAUSE_END_CHARS = _FULL_STOP_CHARS + ";；"  # what _CLAUSE_END matches


def _positions(text: str, chars: str, end: int) -> list[int]:
    """Where any of ``chars`` stands in ``text[:end]``, unsorted: the positions ``[m.start() for m in
    re.finditer(f"[{chars}]", text[:end])]`` gives, found by ``str.find`` (a C scan per character, a
    few times faster than ``re`` testing every position against a class of CJK characters).
    Sentence and clause stops share 。！？!?: they are looked for once for both."""
    found: list[int] = []
    for char in chars:
        at = text.find(char, 0, end)
        while at >= 0:
            found.append(at)
            at = text.find(char, at + 1, end)
    return found


def _start_after_last(stops: tuple[int, ...], lo: int, position: int) -> int:
    """Just after the last of ``stops`` in ``[lo, position)``, else ``lo``."""
    i = bisect.bisect_left(stops, position) - 1
    return stops[i] + 1 if i >= 0 and stops[i] >= lo else lo


def period_at(text: str, position: int, lo: int, published: PubDate, index: TimeIndex) -> Period:
    """``resolve_period(text[lo:…], position - lo, published)`` read from an article's ``TimeIndex``.

    Why: a page without line breaks gives every figure its own context window; finding the time
    expressions of each window anew costs the window's length per figure.
    """
    first = max(0, bisect.bisect_left(index.starts, lo) - 1)  # one may start in the blank line before
    last = bisect.bisect_left(index.starts, position)
    return _period_before(text, position, lo, index.expressions[first:last], published, index)


_YEAR_IN_BRACKETS = re.compile(r"\s*[(（]\s*((?:19|20)\d{2})\s*年?\s*[)）]")
_BRACKET_OPENS = ("(", "（")


def bracketed_year(text: str, end: int) -> Period | None:
    """A year printed in brackets right after a figure is its year: ``人均纯收入达15287.6元(2019年)``."""
    after = text[end:end + 1]
    if after not in _BRACKET_OPENS and not after.isspace():
        return None  # most figures: no bracket follows, and the regex is not entered
    m = _YEAR_IN_BRACKETS.match(text, end)
    return Period(int(m.group(1)), f"{m.group(1)}年") if m else None


def _period_before(text: str, position: int, lo: int, expressions: Sequence[_Expression],
                   published: PubDate, index: TimeIndex) -> Period:
    """The period given by the nearest of ``expressions`` (those from ``lo`` on) before ``position``.

    Read from the nearest back, stopping at the first that governs the figure: a long paragraph's
    earlier expressions are not tested again for each of its figures (a baseline test reads the
    text from the expression to the figure).
    """
    sentence_start = _start_after_last(index.sentence_stops, lo, position)
    clause_start = _start_after_last(index.clause_stops, lo, position)
    targeted = bool(_TARGET_WORDS.search(text, clause_start, position))
    for e in reversed(expressions):
        if (e.end > lo and e.start < position and (e.start >= sentence_start or not _dates_an_event(text, e))
                and not _is_baseline(text, e, position)):
            return Period(e.year, e.text, e.is_target or targeted)
    return Period(published.year, "", targeted)


_BASE_BEFORE = re.compile(r"(?:比|较|同比|相比|对比)\s*$")
_FROM_BEFORE = re.compile(r"(?:由|从)\s*$")
_TO_BETWEEN = re.compile(r"(?:到|至)")


def _is_baseline(text: str, expression: _Expression, position: int) -> bool:
    """A year that is only the base of a comparison or the start of a change, not the figure's own.

    ``截至2019年底,…比2011年减少了31.41万人`` is 2019's; ``由2011年的5252元增长到13605元`` gives
    5252元 to 2011 and 13605元 to the time before (2019)."""
    if expression.year is None or "年" not in expression.text:
        return False
    lead = text[max(0, expression.start - 3):expression.start]
    if _BASE_BEFORE.search(lead):
        return True
    return bool(_FROM_BEFORE.search(lead)) and bool(_TO_BETWEEN.search(text, expression.end, position))
