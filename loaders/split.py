"""Split a page into articles: headline, kicker, subtitle, byline, dateline and body.

A page is read line by line. Each line is first given a role from its own shape:

- ``## 标题`` (markdown pages) or a short line with no sentence end (plain pages) is a
  headline candidate; a line opening with ``——`` is a subtitle; ``◆…`` / ``■数据显示…``
  is a summary box; ``□ 本报记者 王德纯`` is a byline; ``(上接第一版)`` opens a continuation;
  column labels and notices (``时政动态``, ``三提三敢 见行动``, ``更多详细报道请见…``) come
  from ``data/page_furniture.toml``.
- A run of headline-like lines is a new article only when it is marked (``##``), stacked
  (kicker + headline, headline + subtitle) or followed within two paragraphs by a byline or a
  dateline; otherwise it is a subheading inside the running article. The headline is the
  ``##`` line, else the line after a kicker ending in ``——``, else the last candidate.
- A second byline inside an article that already has one is a photo credit: the photo's
  caption (``2月8日,工人在…``, a one-sentence paragraph, or the text following a credit such as
  ``□记者 孙亚飞 … 报道 聊城市茌平区…``) becomes its own article of kind ``caption`` whose
  title is the caption's first sentence.

Example: ``"淄博经开区赴青岛调研招商金融业务\\n□记者 杨淑栋 通讯员 陈宁 报道\\n本报淄博讯 3月20日,…"``
→ one article titled ``淄博经开区赴青岛调研招商金融业务``, byline ``记者 杨淑栋 通讯员 陈宁``,
dateline place ``淄博``, body starting ``3月20日,``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from loaders.first_chars import anchored_at_start, first_characters, guarded, last_characters, reach_from_end
from loaders.metadata import LineMetadata, parse_dateline, parse_metadata_line, parse_reported_from
from loaders.normalise import READING, has_readings


@dataclass(init=False)
class ArticleSpan:
    title: str
    subtitle: str
    byline: str
    dateline_place: str  # as printed in the dateline (本报临清讯 → "临清"), or ""
    dateline_date: str  # as printed (本报济南6月20日讯 → "6月20日"), or ""
    body: str
    kind: str = "article"  # article | continuation | caption | commentary
    start: int = 0  # offset of the article's first character in the page text
    end: int = 0
    kicker: str = ""  # the line(s) printed above the headline (引题), without column labels
    summary: str = ""  # a lead box printed between headline and body (◆… / ■数据显示…)
    outlet: str = ""  # who the dateline says reports (本报, 济宁新闻网, 新华社), or ""
    metadata: LineMetadata = field(default_factory=LineMetadata)  # 来源/发布日期/… lines, parsed
    column: str = ""  # column labels printed above it (聚力“六稳”“六保”·重点工作攻坚看行动)

    def __init__(self, title: str, subtitle: str, byline: str, dateline_place: str, dateline_date: str,
                 body: str, kind: str = "article", start: int = 0, end: int = 0, kicker: str = "",
                 summary: str = "", outlet: str = "", metadata: LineMetadata | None = None,
                 column: str = "") -> None:
        # written out, as the dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every article of a page)
        self.title = title
        self.subtitle = subtitle
        self.byline = byline
        self.dateline_place = dateline_place
        self.dateline_date = dateline_date
        self.body = body
        self.kind = kind
        self.start = start
        self.end = end
        self.kicker = kicker
        self.summary = summary
        self.outlet = outlet
        self.metadata = LineMetadata() if metadata is None else metadata  # the default_factory
        self.column = column


def article_text(span: ArticleSpan) -> str:
    """The text facts index into: headline, subtitle, summary box and body joined by blank lines.

    The summary box is kept because its figures are separate mentions (SCHEMA.md). A caption's
    title is its own first sentence, so it is not printed twice.
    """
    title = "" if span.kind == "caption" and span.body.startswith(span.title) else span.title
    return "\n\n".join(part for part in (title, span.subtitle, span.summary, span.body) if part)


HEADLINE_MAX = 40
CAPTION_LOOKBACK = 3
BYLINE_LOOKAHEAD = 2

_ROLE = r"(?:本报)?(?:特约|首席|见习|实习)?(?:评论员|通讯员|记者|摄影记者|摄影|实习生)"
_BYLINE_START = re.compile(rf"^[□■◇]?\s*{_ROLE}")
_ROLE_TOKEN = re.compile(rf"^[□■◇]?{_ROLE}(?P<name>[\u4e00-\u9fff·]{{2,4}})?$")
_NAME_TOKEN = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_BOX_TOKEN = re.compile(r"^[□■◇]$")
_CREDIT_END = ("报道", "摄", "摄影", "摄影报道", "文/图", "图/文")
WEB_HEAD_SCAN = 6  # a web article's metadata lines follow its headline within this many lines
WEB_TITLE_MAX = 64  # a web headline may be longer than a printed one (新闻发布 | 全省第一!…)
WEB_SUBTITLES_AFTER_META = 2
_CONTINUATION = re.compile(r"^[(（]上接第?[0-9一二三四五六七八九十]+版[)）]\s*")
_SENTENCE_END = re.compile(r"[。！？!?]")
_SUMMARY = re.compile(r"^[◆■●◇]\s*(?!\s*" + _ROLE + ")")
_PHOTO_LEAD = re.compile(r"^(?:图为|\d{1,2}月\d{1,2}日[,，]|[上下]图)")
_PINYIN_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")
_NOTE = re.compile(r"^[(（][^()（）]{1,40}[)）]$")
# what a match of each begins with: most lines begin with none of them, and skip the call into re
_BYLINE_OPENS = first_characters(_BYLINE_START)
_BOX_OPENS = first_characters(_BOX_TOKEN)
_CONTINUATION_OPENS = first_characters(_CONTINUATION)
_SUMMARY_OPENS = first_characters(_SUMMARY)
_NOTE_OPENS = first_characters(_NOTE)


@dataclass(frozen=True)
class _Furniture:
    """``page_furniture.toml`` compiled: the labels, and the patterns as a few alternations (a few
    tries per line, not one per pattern). Those anchored at the line's start (``^第?…版$``) are
    tried with ``match`` there only, as two alternations: the ones whose first characters are
    known behind a look-ahead for them (most lines begin with none, and are spared a try of each
    alternative), the others (a breadcrumb's ``^[^<>»›]{1,12}[>»›]…`` may begin with almost
    anything) as they are. Those anchored at its end (``专栏$``, ``客户端.{0,8}频道$``) are
    searched in the line's last ``tail_reach`` characters only, and only when the line ends with
    one of ``last_chars`` (None: any character may end a match); the others anywhere, guarded
    by the characters they can begin with: as one alternation, ``re`` tried every pattern at
    every character of a long body line. A line is furniture when one of them finds a match.
    """

    labels: frozenset[str]
    at_start: tuple[re.Pattern[str], ...]
    at_end: re.Pattern[str] | None
    tail_reach: int
    last_chars: frozenset[str] | None
    anywhere: re.Pattern[str] | None


@functools.cache
def _furniture() -> _Furniture:
    raw = resources.files("loaders").joinpath("data/page_furniture.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    reaches = {p: reach_from_end(p) for p in data["patterns"]}
    at_start = [p for p in data["patterns"] if anchored_at_start(p)]
    at_end = [p for p in data["patterns"] if p not in at_start and reaches[p] is not None]
    anywhere = [p for p in data["patterns"] if p not in at_start and p not in at_end]
    known_first = [p for p in at_start if guarded(p).pattern != p]
    any_first = [p for p in at_start if p not in known_first]
    starts = [guarded(_alternation(known_first))] if known_first else []
    starts += [re.compile(_alternation(any_first))] if any_first else []
    ends: set[str] | None = set()
    for p in at_end:
        last = last_characters(p)
        ends = None if ends is None or last is None else ends | last
    return _Furniture(
        labels=frozenset(data["labels"]),
        at_start=tuple(starts),
        at_end=guarded(_alternation(at_end)) if at_end else None,
        tail_reach=max((reaches[p] or 0 for p in at_end), default=0) + 1,
        last_chars=None if ends is None else frozenset(ends),
        anywhere=guarded(_alternation(anywhere)) if anywhere else None,
    )


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def is_page_furniture(line: str) -> bool:
    """True for column labels, banners and notices (``时政动态``, ``三提三敢 见行动``)."""
    squashed = "".join(line.lstrip("#").split())  # str.split's white space is re's \s
    furniture = _furniture()
    if squashed in furniture.labels:
        return True
    for at_start in furniture.at_start:
        if at_start.match(squashed) is not None:
            return True
    if furniture.at_end is not None and (
            furniture.last_chars is None or (squashed and squashed[-1] in furniture.last_chars)):
        tail = max(0, len(squashed) - furniture.tail_reach)
        if furniture.at_end.search(squashed, tail) is not None:
            return True
    return furniture.anywhere is not None and furniture.anywhere.search(squashed) is not None


@dataclass(init=False, slots=True)
class _Line:
    text: str
    start: int
    end: int
    role: str = "body"  # hash | head | sub | summary | label | byline | cont | meta | body
    meta: LineMetadata | None = None  # what a meta line says, read once when it is classified

    def __init__(self, text: str, start: int, end: int, role: str = "body",
                 meta: LineMetadata | None = None) -> None:
        # written out, as the dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every line of a page)
        self.text = text
        self.start = start
        self.end = end
        self.role = role
        self.meta = meta


_TOKEN = re.compile(r"\S+")
_GLUED_START = re.compile(rf"[□■◇]\s*{_ROLE}|本报[\u4e00-\u9fff]{{0,6}}?(?:\d{{1,2}}月\d{{1,2}}日)?讯")


def _lines(text: str) -> list[_Line]:
    """Non-empty lines with their offsets; a byline or dateline glued to the end of the line
    before it (a paragraph join gone too far) starts a line of its own."""
    out = []
    start = 0
    for line in text.split("\n"):
        cuts = _glued_starts(line) if "本报" in line or "□" in line or "■" in line or "◇" in line else None
        if cuts:
            for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True):
                raw = line[a:b]
                stripped = raw.strip()
                if stripped:
                    begin = start + a + len(raw) - len(raw.lstrip())
                    out.append(_Line(stripped, begin, begin + len(stripped)))
        elif line:
            stripped = line.strip()
            if stripped:
                begin = start if stripped is line else start + len(line) - len(line.lstrip())
                out.append(_Line(stripped, begin, begin + len(stripped)))
        start += len(line) + 1
    return out


def _glued_starts(line: str) -> list[int]:
    """Where a byline (``□记者 …``) or a dateline (``本报聊城讯``) starts inside ``line`` after
    other text, in order: each ``□■◇`` and ``本报`` is tried where it stands (a scan trying the
    patterns at every character cost ~65 ns a character)."""
    lead = len(line) - len(line.lstrip())
    found = []
    for mark in ("□", "■", "◇", "本报"):
        at = line.find(mark, lead + 1)
        while at >= 0:
            if _GLUED_START.match(line, at):
                found.append(at)
            at = line.find(mark, at + 1)
    return sorted(found)


def parse_byline(line: str) -> tuple[str, str] | None:
    """``(byline, rest)`` when ``line`` opens with a byline, else None.

    ``"□记者 高田 通讯员 姚晓楠 报道 本报临清讯 连日来,…"``
    → ``("记者 高田 通讯员 姚晓楠", "本报临清讯 连日来,…")``.
    """
    if line[:1] not in _BYLINE_OPENS or not _BYLINE_START.match(line):
        return None
    parts: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(line):
        token = m.group()
        if token[:1] in _BOX_OPENS and _BOX_TOKEN.match(token):
            pos = m.end()
            continue
        if token in _CREDIT_END:
            pos = m.end()
            break
        if _ROLE_TOKEN.match(token) or (parts and _NAME_TOKEN.match(token)):
            parts.append(token.lstrip("□■◇"))
            pos = m.end()
            continue
        break
    if not parts:
        return None
    return " ".join(parts), line[pos:].strip()


def _is_name_line(line: str) -> bool:
    tokens = line.split()
    return bool(tokens) and all(_NAME_TOKEN.match(t) for t in tokens) and len(line) <= 20


def _is_headline_shape(line: str) -> bool:
    bare = line
    if "(" in line:
        if _SENTENCE_END.search(line):
            return False  # a gloss holds no 。!?: the line's own are the bare line's, found without a sub
        bare = _PINYIN_GLOSS.sub("", line)
    if len(bare) > HEADLINE_MAX or _SENTENCE_END.search(bare):
        return False
    return not bare.endswith(("，", ",", "、", "；", ";", "：", ":"))


def _is_web_title_shape(line: str, kicker: bool = False) -> bool:
    """A web headline: up to 64 characters (pinyin glosses not counted), no full stop, may
    exclaim (``总投资118.5亿元!河东区10个招商引资项目集中签约!``); a kicker may end in a colon."""
    bare = line.lstrip("#").strip()
    bare = _PINYIN_GLOSS.sub("", bare) if "(" in bare else bare
    if not 2 <= len(bare) <= WEB_TITLE_MAX or "。" in bare:
        return False
    if ((bare[:1] in _NOTE_OPENS and _NOTE.match(bare)) or parse_dateline(bare) is not None
            or parse_byline(bare) is not None):
        return False
    ends = ("，", ",", "、", "；", ";") if kicker else ("，", ",", "、", "；", ";", "：", ":")
    return not bare.endswith(ends)


def _classify(lines: list[_Line]) -> None:
    previous = ""
    for at, line in enumerate(lines):
        t = line.text
        if t.startswith("#"):
            t = t.lstrip("#").strip()
            line.role = "label" if is_page_furniture(t) else "hash"
            line.text = t
        elif is_page_furniture(t):
            line.role = "label"
        elif t[:1] in _CONTINUATION_OPENS and _CONTINUATION.match(t):
            line.role = "cont"
        elif parse_byline(t) is not None or (previous == "byline" and _is_name_line(t)):
            line.role = "byline"
        elif (meta := parse_metadata_line(t)) is not None:
            line.role, line.meta = "meta", meta
        elif parse_dateline(t) is not None or (t[:1] in _NOTE_OPENS and _NOTE.match(t)):
            line.role = "body"
        elif t.startswith("—"):
            line.role = "sub"
        elif t[:1] in _SUMMARY_OPENS and _SUMMARY.match(t):
            line.role = "summary"
        elif _is_headline_shape(t) or (at == 0 and _is_web_title_shape(t)):
            line.role = "head"
        previous = line.role


_RUN_ROLES = frozenset({"hash", "head", "sub", "summary", "label"})
_RUN_ROLES_AND_BODY = _RUN_ROLES | {"body"}


def _first_sentence(text: str) -> str:
    m = _SENTENCE_END.search(text)
    return (text[: m.start()] if m else text).strip()


@dataclass(init=False)
class _Draft:
    span: ArticleSpan
    body: list[_Line] = field(default_factory=list)
    has_byline: bool = False

    def __init__(self, span: ArticleSpan, body: list[_Line] | None = None, has_byline: bool = False) -> None:
        # written out, as the dataclass would write it, so that mypyc compiles it too (the
        # generated one stays Python, a call into the interpreter for every article of a page)
        self.span = span
        self.body = [] if body is None else body  # the default_factory
        self.has_byline = has_byline

    def finish(self) -> ArticleSpan:
        self.span.body = "\n\n".join(line.text for line in self.body)
        if self.body:
            self.span.end = max(self.span.end, self.body[-1].end)
        return self.span


def _new(title: str, start: int, end: int, kind: str = "article") -> _Draft:
    return _Draft(ArticleSpan(title=title, subtitle="", byline="", dateline_place="",
                              dateline_date="", body="", kind=kind, start=start, end=end))


def _take_dateline(draft: _Draft, line: _Line) -> _Line:
    """Strip a leading dateline (``本报济南6月20日讯``, ``济宁新闻网讯(记者 李斐)``) off the
    article's first body line."""
    found = parse_dateline(line.text)
    if found is None:
        return line
    draft.span.dateline_place = found.place or draft.span.dateline_place
    draft.span.dateline_date = found.date
    draft.span.outlet = found.outlet
    if found.byline and not draft.span.byline:
        draft.span.byline = found.byline
    draft.has_byline = True
    return _Line(line.text[found.end:], line.start + found.end, line.end)


def _starts_article(lines: list[_Line], run: list[_Line], after: int, current: _Draft | None) -> bool:
    heads = [x for x in run if x.role in ("hash", "head")]
    if not heads:
        return False
    if current is None or any(x.role == "hash" for x in heads) or len(heads) >= 2:
        return True
    first = run.index(heads[-1])
    if any(x.role == "sub" for x in run[first + 1:]):
        return True
    for seen, line in enumerate(lines[after:after + BYLINE_LOOKAHEAD + 1]):
        if line.role in ("byline", "cont"):
            return line.role == "byline"
        if line.role != "body" or seen >= BYLINE_LOOKAHEAD:
            return False
        if parse_dateline(line.text) is not None:
            return True
    return False


def _open_from_run(run: list[_Line]) -> _Draft:
    heads = [x for x in run if x.role in ("hash", "head")]
    hashes = [x for x in heads if x.role == "hash"]
    if hashes:
        title = hashes[-1]
    else:
        lead = next((i for i, x in enumerate(heads[:-1]) if x.text.endswith("—")), None)
        title = heads[lead + 1] if lead is not None else heads[-1]
    at = run.index(title)
    draft = _new(title.text, run[0].start, run[-1].end)
    kickers = [x.text for x in run[:at] if x.role in ("hash", "head")]
    subs = [x.text.lstrip("—").strip() for x in run[at + 1:] if x.role in ("sub", "head", "hash")]
    subs += [x.text.lstrip("—").strip() for x in run[:at] if x.role == "sub"]
    draft.span.kicker = " ".join(k.rstrip("—").strip() for k in kickers)
    draft.span.subtitle = " ".join(subs)
    draft.span.summary = "\n\n".join(x.text for x in run if x.role == "summary")
    draft.span.column = " ".join(x.text for x in run[:at] if x.role == "label")
    return draft


def _caption_start(draft: _Draft) -> int | None:
    """Index in ``draft.body`` where a photo caption begins, looking back from a credit line."""
    window = range(len(draft.body) - 1, max(-1, len(draft.body) - 1 - CAPTION_LOOKBACK), -1)
    for i in window:
        if _PHOTO_LEAD.match(draft.body[i].text):
            return i
    for i in window:
        text = draft.body[i].text
        if len(_SENTENCE_END.findall(text)) == 1 and text.endswith("。") and len(text) <= 80 \
                and "“" not in text:
            return i
    return None


def _caption_from(lines: list[_Line], credit: str, first: _Line) -> _Draft:
    draft = _new(_first_sentence(first.text), first.start, first.end, kind="caption")
    draft.span.byline = credit
    draft.has_byline = True
    draft.body = list(lines)
    return draft


def _web_header(lines: list[_Line], at: int) -> tuple[_Draft, int] | None:
    """A web article's head at ``lines[at]``: headline (with kicker or subtitle), then metadata
    lines (``2018-10-17 11:49:00 来源: 大众网``, ``信息发布者:张月菊``), then perhaps a subtitle or a
    byline, then the body. Returns the article and the index of its first body line, or None.

    ``["淄川区昆仑镇:", "942户贫困户年底前将全部脱贫", "2017年10月10日  来源:齐鲁晚报", "本报讯 …"]``
    → title ``942户贫困户年底前将全部脱贫``, kicker ``淄川区昆仑镇``, paper 齐鲁晚报, body from ``本报讯``.
    """
    heads: list[_Line] = []
    i = at
    while i < len(lines) and i - at < WEB_HEAD_SCAN and lines[i].role != "meta":
        if lines[i].role in ("byline", "cont") or (
                lines[i].role != "label" and not _is_web_title_shape(lines[i].text, kicker=not heads)):
            return None
        heads.append(lines[i])
        i += 1
    heads = [x for x in heads if x.role != "label"]  # a column label or a site's breadcrumb
    if not heads or i >= len(lines) or lines[i].role != "meta" or len(heads) > 3:
        return None
    hashes = [x for x in heads if x.role == "hash"]
    if hashes:
        title = hashes[-1]
    elif len(heads) > 1 and heads[0].text.endswith((":", "：", "—")):
        title = heads[1]
    else:
        title = heads[0]
    pos = heads.index(title)
    draft = _new(title.text, heads[0].start, title.end)
    draft.span.kicker = " ".join(x.text.rstrip(":：—").strip() for x in heads[:pos])
    subtitles = [x.text.lstrip("—").strip() for x in heads[pos + 1:]]
    after_meta = 0
    while i < len(lines):
        line = lines[i]
        if line.role == "meta":
            parsed = line.meta
            if parsed is not None:
                draft.span.metadata.merge(parsed)
        elif line.role == "byline" and not draft.span.byline:
            parsed_by = parse_byline(line.text)
            if parsed_by is None or parsed_by[1]:
                break
            draft.span.byline = parsed_by[0]
        elif parse_reported_from(line.text) is not None and not draft.span.byline:
            draft.span.byline, place = parse_reported_from(line.text) or ("", "")
            draft.span.dateline_place = place
        elif line.role in ("head", "sub") and after_meta < WEB_SUBTITLES_AFTER_META and subtitles_fit(line):
            subtitles.append(line.text.lstrip("—").strip())
            after_meta += 1
        else:
            break
        draft.span.end = line.end
        i += 1
    draft.span.subtitle = " ".join(subtitles)
    draft.has_byline = bool(draft.span.byline)
    return draft, i


def subtitles_fit(line: _Line) -> bool:
    """A line after the metadata that is a subtitle, not the body's first short paragraph."""
    return _is_headline_shape(line.text) and parse_dateline(line.text) is None


def split_articles(text: str) -> list[ArticleSpan]:
    """Page text (already normalised) → its articles in page order.

    ``"## 我省小麦收获超九成\\n\\n□ 记者 卢鹏 通讯员 赵玉国 报道\\n\\n6月21日是…"`` → one span,
    title ``我省小麦收获超九成``, byline ``记者 卢鹏 通讯员 赵玉国``, body from ``6月21日是``.
    """
    lines = _lines(text)
    _classify(lines)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    web = False  # inside a web article: its subheadings do not open articles
    before_any = LineMetadata()  # metadata lines printed above the first headline
    i = 0
    while i < len(lines):
        line = lines[i]
        header = _web_header(lines, i) if line.role in _RUN_ROLES_AND_BODY and (
            i == 0 or line.role in _RUN_ROLES) else None
        if header is not None:
            current, i = header
            drafts.append(current)
            web = True
            continue
        if line.role == "meta":
            parsed = line.meta
            if parsed is not None:
                (current.span.metadata if current is not None else before_any).merge(parsed)
            i += 1
            continue
        if line.role in _RUN_ROLES:
            j = i
            while j < len(lines) and lines[j].role in _RUN_ROLES:
                j += 1
            run = lines[i:j]
            if not web and _starts_article(lines, run, j, current):
                current = _open_from_run(run)
                drafts.append(current)
            elif current is not None:
                current.body.extend(x for x in run if x.role != "label")
            i = j
            continue
        if line.role == "cont":
            m = _CONTINUATION.match(line.text)
            assert m is not None
            current = _new(m.group().strip(), line.start, line.end, kind="continuation")
            current.has_byline = True
            rest = line.text[m.end():]
            if rest:
                current.body.append(_Line(rest, line.start + m.end(), line.end))
            drafts.append(current)
        elif line.role == "byline":
            current = _handle_byline(lines, i, current, drafts)
        else:
            if current is None:
                current = _new("", line.start, line.end)
                drafts.append(current)
            if not current.body:
                line = _take_dateline(current, line)
            if line.text:
                current.body.append(line)
        i += 1
    if drafts:
        drafts[0].span.metadata.merge(before_any)
    return [d.finish() for d in drafts]


def _handle_byline(lines: list[_Line], i: int, current: _Draft | None, drafts: list[_Draft]) -> _Draft:
    line = lines[i]
    parsed = parse_byline(line.text)
    byline, rest = parsed if parsed else (line.text, "")
    rest_line = _Line(rest, line.end - len(rest), line.end) if rest else None
    if current is not None and i > 0 and lines[i - 1].role == "byline" and not current.body:
        current.span.byline = f"{current.span.byline} {byline}".strip()
        if rest_line is not None:
            rest_line = _take_dateline(current, rest_line)
            if rest_line.text:
                current.body.append(rest_line)
        return current
    fresh = current is not None and not current.has_byline and len(current.body) <= BYLINE_LOOKAHEAD
    if fresh and current is not None:
        current.span.byline = byline
        current.has_byline = True
        if "评论员" in byline:
            current.span.kind = "commentary"
        if rest_line is not None:
            rest_line = _take_dateline(current, rest_line) if not current.body else rest_line
            if rest_line.text:
                current.body.append(rest_line)
        return current
    if rest_line is not None:
        if parse_dateline(rest_line.text) is not None:
            draft = _new("", line.start, line.end)
            draft.span.byline = byline
            draft.body.append(_take_dateline(draft, rest_line))
        else:
            draft = _caption_from([rest_line], byline, rest_line)
        drafts.append(draft)
        return draft
    if current is None:
        draft = _new("", line.start, line.end)
        draft.span.byline = byline
        draft.has_byline = True
        drafts.append(draft)
        return draft
    at = _caption_start(current)
    if at is None:
        return current
    moved = current.body[at:]
    del current.body[at:]
    draft = _caption_from(moved, byline, moved[0])
    draft.span.end = line.end
    drafts.append(draft)
    # A caption printed inside a story interrupts it; the paragraphs after the credit are the
    # story's again (冠县复工达产 goes on after its photo's caption).
    return current


def printed_form(snippet: str, raw_page: str, simple_page: str = "") -> str:
    """``snippet`` of the normalised page as the raw page prints it, else ``snippet`` unchanged.

    Normalising folds full-width punctuation (``淄川：`` → ``淄川:``) and simplifies traditional
    characters; headlines shown to readers and compared with annotations keep the page's own.
    ``printed_form("淄川:畅通服务基层", "…淄川：畅通服务基层…")`` → ``"淄川：畅通服务基层"``. When
    ``simple_page`` (the raw page simplified, character for character) is given, the snippet is
    found there and the same stretch of ``raw_page`` returned: ``山东出台…`` → ``山東出臺…``.
    A pinyin reading the page prints after a hanzi (``經(jīng)濟``) is kept as printed.
    """
    if not snippet:
        return snippet
    target = raw_page
    if simple_page and simple_page != raw_page and len(simple_page) == len(raw_page):
        target = simple_page
    at = target.find(snippet)
    if at >= 0:  # printed as normalised: no pattern to build
        return raw_page[at:at + len(snippet)]
    folded, searchable, origin = _searchable(target)
    at = searchable.find(snippet.translate(_WIDTH_FOLD))
    if at < 0:
        return snippet
    if origin is None:
        return raw_page[at:at + len(snippet)]
    start, end = origin[at], origin[at + len(snippet) - 1] + 1
    reading = READING.match(folded, end)  # the last hanzi's own reading, printed after it
    return raw_page[start:reading.end() if reading else end]


_WIDTH_FOLD = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}  # ！…～ → !…~, 　 → space
_WIDE = re.compile("[\uff01-\uff5e\u3000]")  # the characters _WIDTH_FOLD folds


@functools.lru_cache(maxsize=4)
def _searchable(page: str) -> tuple[str, str, list[int] | None]:
    """The page as normalising reads it, for finding a headline by plain search: full-width forms
    folded to half width and pinyin readings (經(jīng)濟) left out, with each kept character's
    index in ``page`` (None when nothing was left out); the folded page comes first. One page's
    headlines ask in turn."""
    folded = page
    for wide in set(_WIDE.findall(page)):  # few distinct ones: a replace each beats a translate
        folded = folded.replace(wide, chr(_WIDTH_FOLD[ord(wide)]))
    if not has_readings(folded):
        return folded, folded, None
    pieces: list[str] = []
    origin: list[int] = []
    at = 0
    for m in READING.finditer(folded):
        pieces.append(folded[at:m.start()])
        origin.extend(range(at, m.start()))
        at = m.end()
    pieces.append(folded[at:])
    origin.extend(range(at, len(folded)))
    return folded, "".join(pieces), origin


