"""What a web article prints around its headline: metadata lines, datelines and HTML meta tags.

A news site or an e-paper archive prints, between the headline and the body, lines that are not
the article: ``2018-10-17 11:49:00 来源: 大众网``, ``农村大众报 2020-03-11 16:09``,
``发布日期:2019-01-21``, ``《工人日报》(2021年05月14日 06版)``, ``信息发布者:张月菊``,
``類別:國內 發佈時間:2023-01-04 16:48:00``. ``parse_metadata_line`` reads one such line into a
``LineMetadata`` (date, paper, page, people) or says it is not one; ``parse_dateline`` reads the
opening of a body (``本报聊城1月3日讯(记者 谢晓丽)``, ``济宁新闻网讯``, ``??鲁网6月8日讯``,
``晨报淄博2月21日讯``, ``淄博3月19日讯``); ``html_meta`` reads a saved page's ``<meta>`` tags and
the date its URL carries (``/202010/t20201015_…``, ``/content/20171115/``).

Traditional characters are read too: keywords are folded to simplified first (來源 → 来源).

>>> parse_metadata_line("2018年10月18日  来源:齐鲁晚报").paper
'齐鲁晚报'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from loaders.first_chars import guarded
from loaders.places import paper_place, papers

# Traditional forms of the characters the metadata keywords use, so 來源/發佈時間/記者 read as
# 来源/发布时间/记者 without running a whole converter over the page.
_TRADITIONAL_KEYWORDS = (
    "來發佈時間記訊員編輯責審對類別欄點擊瀏覽數閱讀轉載錄傳報網聞華電臺攝號內國導際訊濟濰煙棗聊臨濱澤東魯齊島莊營陽員實習評論設廣頻雜誌週稿"
)
_T2S = str.maketrans(
    _TRADITIONAL_KEYWORDS,
    "来发布时间记讯员编辑责审对类别栏点击浏览数阅读转载录传报网闻华电台摄号内国导际讯济潍烟枣聊临滨泽东鲁齐岛庄营阳员实习评论设广频杂志周稿",
)
# The characters that fold to another one (聊 and 稿 are written alike), found by a search of
# the class: most lines hold none, and ``str.translate`` looks every character of a line up
# (~100 ns each) where a search and one ``str.replace`` per character found run in C.
_FOLDS = {chr(t): chr(s) for t, s in _T2S.items() if t != s}
_ANY_TRADITIONAL_KEYWORD = re.compile(f"[{''.join(_FOLDS)}]")


def simplify_keywords(text: str) -> str:
    """``simplify_keywords("2021-03-29 16:30:15 來源:新華網")`` → ``'2021-03-29 16:30:15 来源:新华网'``.

    The same as ``text.translate(_T2S)``: no character folds to one that folds again.
    """
    for found in set(_ANY_TRADITIONAL_KEYWORD.findall(text)):
        text = text.replace(found, _FOLDS[found])
    return text


@dataclass(init=False)
class LineMetadata:
    """What metadata lines said; empty strings where they said nothing."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    paper: str = ""  # the outlet that first published the article (来源, 本文转自, 《工人日报》)
    page: str = ""  # 版次 as printed: 06版, A3版
    people: list[str] = field(default_factory=list)  # 作者/记者/编辑/信息发布者 as printed
    fields: dict[str, str] = field(default_factory=dict)  # every key: value as printed

    def __init__(self, year: int | None = None, month: int | None = None, day: int | None = None,
                 paper: str = "", page: str = "", people: list[str] | None = None,
                 fields: dict[str, str] | None = None) -> None:
        # written out, as the dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every article span)
        self.year = year
        self.month = month
        self.day = day
        self.paper = paper
        self.page = page
        self.people = [] if people is None else people  # the default_factory
        self.fields = {} if fields is None else fields  # the default_factory

    def merge(self, other: LineMetadata) -> None:
        """Fill what is still empty from ``other`` (the first line to give a value wins)."""
        if self.year is None and other.year is not None:
            self.year, self.month, self.day = other.year, other.month, other.day
        elif self.year is None and self.month is None and other.month is not None:
            self.month, self.day = other.month, other.day
        if other.paper and (not self.paper or other.fields.get("本文转自")):
            self.paper = other.paper
        self.page = self.page or other.page
        self.people += [p for p in other.people if p not in self.people]
        for key, value in other.fields.items():
            self.fields.setdefault(key, value)


_KEYS = (
    "信息来源", "稿件来源", "文章来源", "新闻来源", "来源", "本文转自", "转载自", "转自",
    "信息发布者", "发布者", "发布人", "作者", "记者", "通讯员", "摄影", "责任编辑", "编辑", "责编", "编审",
    "审核", "校对", "发布时间", "发布日期", "发表时间", "发稿时间", "刊发时间", "更新时间", "加入时间",
    "录入时间", "上传时间", "时间", "日期", "浏览次数", "浏览量", "浏览", "点击数", "点击量", "点击",
    "阅读数", "阅读量", "阅读", "类别", "栏目", "分类", "字号", "字体",
)
_PEOPLE_KEYS = frozenset({"信息发布者", "发布者", "发布人", "作者", "记者", "通讯员", "摄影", "责任编辑",
                          "编辑", "责编", "编审", "审核", "校对"})
_SOURCE_KEYS = ("本文转自", "转载自", "转自", "来源", "稿件来源", "文章来源", "新闻来源", "信息来源")
_KEY = re.compile(r"(?P<key>" + "|".join(sorted(_KEYS, key=len, reverse=True)) + r")\s*[:：]\s*")
_DATE = guarded(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.]\s*(?P<m1>\d{1,2})\s*[-/.]\s*(?P<d1>\d{1,2})(?!\d)"
    r"|年\s*(?P<m2>\d{1,2})\s*月\s*(?:(?P<d2>\d{1,2})\s*日)?)"
)
_NAMES = re.compile(r"[\u4e00-\u9fff·]{2,5}(?:[\s,，、/]+[\u4e00-\u9fff·]{2,5})*\s*")
_MONTH_DAY = re.compile(r"^(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})日?$")
_TIME = guarded(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
_PAGE = guarded(r"(?:第\s*)?(?P<page>[A-Za-z]?\d{1,3})\s*版(?:次)?")
_DIGIT = re.compile(r"\d")  # a date, a time and a page number each hold one
_BOOK = re.compile(r"《(?P<paper>[^》]{2,20})》")
_NOISE = guarded(
    r"原创|转载|大字|中字|小字|字体[:：]?\s*大\s*中\s*小|【?\s*字号?\s*[:：]?\s*大\s*中\s*小\s*】?|打印(?:本页)?"
    r"|关闭(?:窗口)?|收藏|分享到?|[【】\[\]()（）|｜/丨·\s,，;；]"
)
_OUTLET_END = "报|网|社|台|新闻|客户端|日报|晚报|晨报|刊|杂志|频道|电视台|广播"
_OUTLET = re.compile(rf"^[\u4e00-\u9fffA-Za-z·]{{1,14}}(?:{_OUTLET_END})(?:[·/][\u4e00-\u9fff]{{1,8}})?$")
MAX_LINE = 160


def _date_of(text: str) -> tuple[int, int, int | None] | None:
    for m in _DATE.finditer(text):
        year = int(m.group("y"))
        month = int(m.group("m1") or m.group("m2"))
        day_text = m.group("d1") or m.group("d2")
        day = int(day_text) if day_text else None
        try:
            dt.date(year, month, day or 1)
        except ValueError:
            continue
        return year, month, day
    return None


def parse_metadata_line(line: str) -> LineMetadata | None:
    """A line of dates, sources and names printed around a web article → what it says; else None.

    ``parse_metadata_line("《工人日报》(2021年05月14日 06版)")`` → paper 工人日报, 2021-05-14, page 06版;
    ``parse_metadata_line("齐鲁晚报 2020-09-04 04:54 大字")`` → paper 齐鲁晚报, 2020-09-04;
    ``parse_metadata_line("淄博1.1万贫困户危房改造已完工")`` → None (a headline, not metadata).
    """
    printed = line.strip()
    if len(printed) > MAX_LINE or "。" in printed:
        return None  # a paragraph of the body, told before its characters are folded
    text = simplify_keywords(printed)
    meta = _parse_line(text)
    if meta is None or printed.isascii():
        return meta

    def as_printed(value: str) -> str:  # values keep the page's own (traditional) characters
        at = text.find(value) if value else -1
        return printed[at:at + len(value)] if at >= 0 else value

    meta.paper = as_printed(meta.paper)
    meta.people = [as_printed(p) for p in meta.people]
    meta.fields = {k: as_printed(v) for k, v in meta.fields.items()}
    return meta


def _parse_line(text: str) -> LineMetadata | None:
    if not text:
        return None
    if ":" not in text and "：" not in text and "《" not in text and _DIGIT.search(text) is None:
        return _paper_alone(text)
    return _parse_marked_line(text)


def _paper_alone(text: str) -> LineMetadata | None:
    """What ``_parse_marked_line`` says of a line without a key's colon, a digit or a ``《``:
    only a paper's name alone on its line (``甘肃日报``) is metadata there. Most short lines of a
    page (headlines, subheadings) are such lines, and skip building a record to throw away."""
    leftover = _NOISE.sub("", text)
    if leftover in papers() or paper_place(leftover) is not None:
        return LineMetadata(paper=leftover)
    return None


def _parse_marked_line(text: str) -> LineMetadata | None:
    meta = LineMetadata()
    rest = text
    keyed = list(_KEY.finditer(text)) if ":" in text or "：" in text else []  # every key has its colon
    if keyed:
        head = text[: keyed[0].start()]
        for i, m in enumerate(keyed):
            end = keyed[i + 1].start() if i + 1 < len(keyed) else len(text)
            value = text[m.end():end].strip()
            key = m.group("key")
            if len(value) > 40:
                return None
            meta.fields.setdefault(key, value)
            if key in _PEOPLE_KEYS and value:
                names = _TIME.sub(" ", _DATE.sub(" ", value)).strip()  # 作者:张三 2020-05-18 08:52
                if not _NAMES.fullmatch(names):
                    return None  # 记者:效果如何? is an interview's question, not a byline
                meta.people.extend(v for v in re.split(r"[\s,，、/]+", names) if v)
            if key in ("日期", "时间") or key.endswith(("时间", "日期")):
                md = _MONTH_DAY.match(value)
                if md and _date_of(value) is None:
                    meta.month, meta.day = int(md.group("m")), int(md.group("d"))
        rest = head
        sources = [meta.fields[k] for k in _SOURCE_KEYS if meta.fields.get(k)]
        if sources:
            meta.paper = _BOOK.sub(lambda b: b.group("paper"), sources[0]).strip()
    digits = _DIGIT.search(text) is not None  # without one, no date, time or page to look for
    found = _date_of(text) if digits else None
    if found:
        meta.year, meta.month, meta.day = found
    book = _BOOK.search(rest)
    if book:
        meta.paper = meta.paper or book.group("paper")
    page = _PAGE.search(rest) if digits and (book or found) else None
    if page:
        meta.page = page.group("page") + "版"
    leftover = _BOOK.sub(" ", rest) if book else rest
    if digits:
        leftover = _DATE.sub(" ", leftover)
        leftover = _TIME.sub(" ", leftover)
        leftover = _PAGE.sub(" ", leftover) if (book or found) else leftover
    leftover = _NOISE.sub("", leftover)
    if not keyed and not found and not book:
        if leftover in papers() or paper_place(leftover) is not None:
            meta.paper = leftover  # 甘肃日报, 泉州晚报 on a line of their own above the date
            return meta
        return None
    if not leftover:
        return meta
    if (found or book) and _OUTLET.match(leftover):
        meta.paper = meta.paper or leftover
        return meta
    if found and _TIME.search(rest) and _NAMES.fullmatch(leftover) and len(leftover.strip()) <= 5:
        meta.people.append(leftover.strip())  # 房大秘  2020-05-18 08:52: a writer beside the posting time
        return meta
    return None


def is_metadata_line(line: str) -> bool:
    """True for a line such as ``发布日期:2019-01-21`` or ``2019-05-13 19:55:32   原创``."""
    return parse_metadata_line(line) is not None


# ---------------------------------------------------------------------------------------------
# Datelines: the opening words of a body that say who reports, from where, on which day
# ---------------------------------------------------------------------------------------------

_OUTLET_WORD = rf"[\u4e00-\u9fffA-Za-z]{{0,12}}(?:{_OUTLET_END})(?:[·/][\u4e00-\u9fff]{{1,8}})?"
DATELINE = re.compile(
    r"^(?:\?{1,3}|？{1,3})?\s*"
    r"(?:(?P<outlet>本报|新华社|中新社|" + _OUTLET_WORD + r")"
    r"(?P<place>[\u4e00-\u9fff]{0,6}?)(?P<date>\d{1,2}月\d{1,2}日)?"
    r"|(?P<place2>[\u4e00-\u9fff]{2,6}?)(?P<date2>\d{1,2}月\d{1,2}日))"
    r"(?:讯|电)"
    r"(?:\s*[(（](?P<by>[^)）\n]{1,40})[)）]|\s*(?P<by2>(?:本报|特约)?记者\s*[\u4e00-\u9fff·]{2,4}"
    r"(?:\s*(?:通讯员|实习生)\s*[\u4e00-\u9fff·]{2,4})*)\s*报道\s*[:：]?)?\s*"
)

_DATELINE_ENDS = "讯电訊電"  # as printed: simplify_keywords folds 訊 → 讯, 電 → 电


@dataclass(init=False, slots=True)
class Dateline:
    outlet: str  # 本报, 新华社, 济宁新闻网 …, or ""
    place: str  # as printed: 本报聊城1月3日讯 → 聊城
    date: str  # as printed: 1月3日, or ""
    byline: str  # (记者 谢晓丽 通讯员 郝丽莎) → 记者 谢晓丽 通讯员 郝丽莎
    end: int  # where the body proper starts

    def __init__(self, outlet: str, place: str, date: str, byline: str, end: int) -> None:
        # written out, as the dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every dateline)
        self.outlet = outlet
        self.place = place
        self.date = date
        self.byline = byline
        self.end = end


def _holds_any(text: str, chars: str, end: int) -> bool:
    """Whether ``text[:end]`` holds any of ``chars``: what ``re.search(f"[{chars}]", text[:end])``
    says, by ``str.find`` per character (a C scan) instead of ``re`` testing each of the
    characters against the class."""
    return any(text.find(char, 0, end) >= 0 for char in chars)


def parse_dateline(text: str) -> Dateline | None:
    """The dateline opening ``text``, else None.

    ``parse_dateline("本报聊城1月3日讯(记者 谢晓丽) 2017年…")`` → outlet 本报, place 聊城, date 1月3日;
    ``parse_dateline("晨报淄博2月21日讯 今天,…")`` → outlet 晨报, place 淄博;
    ``parse_dateline("德州晚报讯(德州晚报全媒体记者张明凯)")`` → outlet 德州晚报, place "".
    """
    if not _holds_any(text, _DATELINE_ENDS, 120):  # every dateline ends in 讯 or 电: most lines hold neither
        return None
    m = DATELINE.match(simplify_keywords(text[:120]))
    if not m:
        return None
    group = "by" if m.group("by") else "by2"
    by = text[m.start(group):m.end(group)].strip() if m.group(group) else ""
    return Dateline(outlet=m.group("outlet") or "", place=m.group("place") or m.group("place2") or "",
                    date=m.group("date") or m.group("date2") or "", byline=by, end=m.end())


_REPORTED_FROM = re.compile(
    r"^(?P<outlet>[\u4e00-\u9fff·/]{0,16}?)(?:记者|采访人员)\s*(?P<names>[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*)"
    r"\s+(?P<place>[\u4e00-\u9fff]{2,4}?)?报道$"
)


def parse_reported_from(line: str) -> tuple[str, str] | None:
    """``大众网·海报新闻记者 张玮 济南报道`` → (``记者 张玮``, ``济南``): a byline naming where from."""
    m = _REPORTED_FROM.match(simplify_keywords(line.strip()))
    if not m:
        return None
    return f"记者 {m.group('names')}", m.group("place") or ""


# ---------------------------------------------------------------------------------------------
# Saved HTML pages: <meta> tags and the URL
# ---------------------------------------------------------------------------------------------

_DATE_TAGS = ("article:published_time", "og:article:published_time", "publishdate", "pubdate",
              "publish_date", "publishtime", "publish-date", "datepublished", "dc.date", "dc.date.issued",
              "dcterms.created", "date", "sailthru.date", "og:published_time", "og:release_date")
_SOURCE_TAGS = ("contentsource", "source", "og:site_name", "sitename", "site_name", "author")
_URL_TAGS = ("og:url", "url", "canonical")
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[-_/]?(?P<m>0[1-9]|1[0-2])(?:[-_/]?(?P<d>0[1-9]|[12]\d|3[01]))?(?=/|[-_.]|t\d|$)"
    r"|/t(?P<y2>(?:19|20)\d{2})(?P<m2>0[1-9]|1[0-2])(?P<d2>0[1-9]|[12]\d|3[01])_"
)


@dataclass
class HtmlMeta:
    """What a saved page's head says about it."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    title: str = ""
    paper: str = ""
    url: str = ""
    how: str = ""  # which tag or "url" gave the date


class _MetaParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, str] = {}
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            name = (a.get("name") or a.get("property") or a.get("itemprop") or "").lower()
            if name and a.get("content"):
                self.tags.setdefault(name, a["content"].strip())
        elif tag == "link" and a.get("rel", "").lower() == "canonical" and a.get("href"):
            self.tags.setdefault("canonical", a["href"].strip())
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)


def date_in_url(url: str) -> tuple[int, int, int | None] | None:
    """``…/202010/t20201015_123.html`` → (2020, 10, 15); ``…/content/20171115/…`` → (2017, 11, 15)."""
    best = None
    for m in _URL_DATE.finditer(url):
        y = int(m.group("y") or m.group("y2"))
        mo = int(m.group("m") or m.group("m2"))
        d_text = m.group("d") or m.group("d2")
        d = int(d_text) if d_text else None
        try:
            dt.date(y, mo, d or 1)
        except ValueError:
            continue
        if best is None or (d is not None and best[2] is None):
            best = (y, mo, d)
    return best


def html_meta(markup: str) -> HtmlMeta:
    """The publication date, paper, title and address a saved HTML page declares in its head.

    ``html_meta('<meta name="PubDate" content="2020-10-15 09:00"><meta name="ContentSource"
    content="大众日报">')`` → 2020-10-15 from ``pubdate``, paper 大众日报. Without a date tag the
    address (``og:url``/canonical) may carry one: ``/202010/t20201015_3.html`` → 2020-10-15.
    """
    parser = _MetaParser()
    head = markup[: markup.lower().find("</head>") + 7] if "</head>" in markup.lower() else markup[:200_000]
    try:
        parser.feed(head)
        parser.close()
    except Exception:  # a broken head only means no metadata
        pass
    tags = parser.tags
    out = HtmlMeta(title=re.sub(r"\s+", " ", "".join(parser.title)).strip())
    for name in _DATE_TAGS:
        found = _date_of(tags.get(name, "").replace("T", " "))
        if found:
            out.year, out.month, out.day = found
            out.how = name
            break
    for name in _SOURCE_TAGS:
        if tags.get(name):
            out.paper = simplify_keywords(tags[name])
            break
    for name in _URL_TAGS:
        if tags.get(name, "").startswith(("http", "/")):
            out.url = tags[name]
            break
    if out.year is None and out.url:
        found = date_in_url(out.url)
        if found:
            out.year, out.month, out.day = found
            out.how = "url"
    return out
