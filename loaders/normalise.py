"""Mend layout slips of OCR'd pages: one comma, whole sentences, each paragraph once.

The seed pages break sentences across a blank line where a column ended
(``共2万亿\\n\\n元，直达市县基层``), mix full-width and half-width punctuation, and sometimes
print a paragraph two or three times. Later steps (splitting articles, reading figures and
their sentences) are simpler when they can trust one clean copy of the page.

>>> normalise_text("紧要的是补足“钱袋子”。今年国债共２万亿\\n\\n元，直达市县基层。")
'紧要的是补足“钱袋子”。今年国债共2万亿元,直达市县基层。'
"""

from __future__ import annotations

import functools
import re

from loaders.first_chars import first_characters
from loaders.metadata import DATELINE, is_metadata_line

_SENTENCE_END = frozenset("。!?;:”’…」』")
_SENTENCE_PUNCT = re.compile(r"[,。!?;:、]")
_MARKERS = "□■◆◇●○★☆▲△▼※◎"
_NEW_START = re.compile(
    rf"(?:## |[{_MARKERS}]|——|本报\S{{0,12}}讯|[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)\S)"
)
_NEW_START_OPENS = first_characters(_NEW_START)  # most lines begin with none of these: no call into re
_HEADLINE_MAX = 40
_REPEAT_MIN = 20
_ANCHOR = 8
_ANCHOR_MARKS = "。!?;"  # a paragraph's keys are the _ANCHOR characters ending at each of these
VANISHING = "\x00\u00ad\u200b\u200c\u200d\u2060\ufeff"  # what fold_characters deletes
_FOLDABLE = re.compile("[\uff01-\uff5e\u3000\u00a0\r\x00\u00ad\u200b-\u200d\u2060\ufeff]")
# A reading in pinyin written after a hanzi by some sites' converters: 經(jīng)濟, 濟(jì)南, 報(bào).
# At least one tone-marked vowel, so (abc) or (GDP) is never taken for one.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
READING_BODY = rf"\((?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,6}}\)"
READING = re.compile(rf"(?<=[\u4e00-\u9fff]){READING_BODY}")


def has_readings(text: str) -> bool:
    """Whether ``text`` holds a pinyin reading (``經(jīng)濟``): the pattern is tried at each ``(``
    only, not at every character of the page."""
    at = text.find("(")
    while at >= 0:
        if READING.match(text, at) is not None:
            return True
        at = text.find("(", at + 1)
    return False


def normalise_text(text: str) -> str:
    """Join sentences broken across blank lines and drop paragraphs printed more than once.

    ``"属地“权小责大”问题,治理权\\n\\n限不够。"`` → ``"属地“权小责大”问题,治理权限不够。"``; a paragraph
    after one ending in 。 or before a headline/byline (``□ 本报记者…``, ``本报讯``) stays its own.
    A short line without punctuation counts as a headline on either side, so a break right
    after a paragraph's first few words (``共2万亿\\n\\n元,…``) is left as it is.
    """
    text = drop_readings(fold_characters(text))
    text = "\n".join([line.strip() for line in text.split("\n")])
    paragraphs = _paragraphs(text)
    return "\n\n".join(drop_repeated_paragraphs(join_broken_paragraphs(paragraphs)))


def _paragraphs(text: str) -> list[str]:
    """``text`` cut at each run of two or more line breaks, empty pieces left out.

    ``_paragraphs("甲\\n\\n\\n乙\\n丙")`` → ``["甲", "乙\\n丙"]``: ``str.split`` at each pair, and a
    piece after the first that opens with a line break opened with the rest of a longer run
    (5x faster than splitting at ``\\n{2,}`` with ``re``).
    """
    first, *rest = text.split("\n\n")
    paragraphs = [first] if first else []
    for piece in rest:
        piece = piece.lstrip("\n")
        if piece:
            paragraphs.append(piece)
    return paragraphs


def fold_characters(text: str) -> str:
    """Full-width ASCII → ASCII, ideographic space → space, no zero-width characters, \\n line ends.

    ``fold_characters("１－５月，增长１２％\\r\\n")`` → ``'1-5月,增长12%\\n'``; 。、“”《》 are kept.
    """
    table = _fold_table()
    text = text.replace("\r\n", "\n")
    found = _FOLDABLE.search(text)
    while found is not None:  # each search finds a character not yet folded: none is left before it
        char = found.group()
        text = text.replace(char, table[char])
        found = _FOLDABLE.search(text, found.start())
    return text


def drop_readings(text: str) -> str:
    """Drop pinyin readings a site's converter wrote after hanzi, so names read whole again.

    ``drop_readings("濟(jì)南是首次超3000億元")`` → ``'濟南是首次超3000億元'``.
    """
    return READING.sub("", text) if has_readings(text) else text


def join_broken_paragraphs(paragraphs: list[str]) -> list[str]:
    """Glue a paragraph cut mid-sentence to its continuation, inserting nothing.

    ``["…抗疫特别国债共2万亿", "元,直达市县基层"]`` → ``["…抗疫特别国债共2万亿元,直达市县基层"]``.
    """
    joined: list[str] = []
    for paragraph in paragraphs:
        if joined and _continues(joined[-1], paragraph):
            joined[-1] += paragraph
        else:
            joined.append(paragraph)
    return joined


def drop_repeated_paragraphs(paragraphs: list[str]) -> list[str]:
    """Drop a body paragraph (≥ 20 characters) already printed earlier, whole or as part of one.

    Headlines and short lines are kept however often they recur. Containment is found through
    an index of the 8 characters ending at each 。!?;, so a page costs linear time.
    """
    kept: list[str] = []
    seen: set[str] = set()
    anchors: dict[str, list[int]] = {}  # 8 characters ending at a 。!?; → indices in kept
    for paragraph in paragraphs:
        if len(paragraph) >= _REPEAT_MIN and not _is_headline(paragraph):
            if paragraph in seen:
                continue
            keys = _anchor_keys(paragraph)
            if keys and any(paragraph in kept[i] for i in anchors.get(keys[0], ())):
                continue  # printed before as part of a longer paragraph
            at = len(kept)
            for key in keys:
                holders = anchors.get(key)
                if holders is None:
                    anchors[key] = [at]
                else:
                    holders.append(at)
        seen.add(paragraph)
        kept.append(paragraph)
    return kept


def _anchor_keys(paragraph: str) -> list[str]:
    """The ``_ANCHOR`` characters ending at each 。!?; with that many to take, in text order.

    Each mark is found by ``str.find`` (a C scan), not by ``re`` testing every character of the
    page against the class of marks: ``_anchor_keys("一二三四五六七。八;")`` →
    ``['一二三四五六七。', '三四五六七。八;']``.
    """
    ends: list[int] = []
    for mark in _ANCHOR_MARKS:
        at = paragraph.find(mark, _ANCHOR - 1)
        while at >= 0:
            ends.append(at + 1)
            at = paragraph.find(mark, at + 1)
    ends.sort()  # the marks of each kind come in order, the kinds one after another
    return [paragraph[end - _ANCHOR:end] for end in ends]


def _continues(before: str, after: str) -> bool:
    """Whether ``after`` is the rest of a sentence ``before`` left unfinished.

    A line opening with a marker ends a byline only when it has no sentence punctuation: some
    pages run byline, dateline and body together (``□记者 李梦 报道 本报聊城讯 “制造业…``).
    A metadata line (``来源:齐鲁网``, ``2020-09-10 11:43:09``) is never continued, nor continues.
    """
    if before[-1] in _SENTENCE_END:
        return False
    last_line = before.rpartition("\n")[2]
    first_line = after.partition("\n")[0]
    if ((first_line[:1] in _NEW_START_OPENS and _NEW_START.match(first_line))
            or _is_headline(first_line) or _is_headline(last_line)):
        return False
    if DATELINE.match(first_line) or is_metadata_line(last_line) or is_metadata_line(first_line):
        return False  # a web article's 来源/发布日期 lines and its dateline stand on their own
    return not (last_line[:1] in _NEW_START_OPENS and _NEW_START.match(last_line)
                and not _SENTENCE_PUNCT.search(last_line))


def _is_headline(line: str) -> bool:
    """Short, without sentence punctuation, quotes closed: ``高唐县构建套餐式集成服务新场景``."""
    if line.startswith("## "):
        return True
    if len(line) > _HEADLINE_MAX or _SENTENCE_PUNCT.search(line):
        return False
    return line.count("“") == line.count("”")


@functools.cache
def _fold_table() -> dict[str, str]:
    """Replacements one character at a time: a few distinct ones occur, so few passes are made."""
    table = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table.update({"\u3000": " ", "\u00a0": " ", "\r": "\n"})
    table.update(dict.fromkeys(VANISHING, ""))
    return table
