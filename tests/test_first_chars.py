"""The first-character guard changes no match, only how fast positions that cannot start one are skipped."""

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders import dates, facts, labels, normalise, numbers, split
from loaders.first_chars import (
    anchored_at_start,
    first_characters,
    guarded,
    last_characters,
    reach_from_end,
    table_class,
)

PATTERNS = {
    "time expressions": dates._EXPRESSIONS.pattern,
    "a year or this year": r"(?P<year>\d{4})年|今年",
    "optional lead": r"(?:截至|自)?\s*(?P<y>\d{4})年",
    "lookbehind first": r"(?<=比)\d+%",
}

ALPHABET = "0123456789 年月日今去前截至自从以来底季度上半下一二三四比%，。的了是全省市县"


@pytest.mark.parametrize("name", PATTERNS)
@given(text=st.text(alphabet=ALPHABET, max_size=60))
def test_guarded_pattern_finds_the_same_matches(name, text):
    plain, fast = re.compile(PATTERNS[name]), guarded(PATTERNS[name])
    assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == \
        [(m.span(), m.groupdict()) for m in plain.finditer(text)]


@pytest.mark.parametrize("sentence, found", [
    ("截至2020年6月底，全市脱贫人口157641人", ["截至2020年6月底"]),
    ("今年前5月全国一般公共预算收入同比下降13.6%", ["今年前5月"]),
    ("自2019年以来，累计招引项目23个", ["自2019年以来"]),
])
def test_time_expressions_of_real_sentences(sentence, found):
    assert [m.group() for m in dates._EXPRESSIONS.finditer(sentence)] == found


@pytest.mark.parametrize("pattern", [r".*年", r"[^年]+", r"\b", r"a?", "(?i)abc", "(?i:a)b"])
def test_a_pattern_that_may_start_anywhere_is_left_alone(pattern):
    assert guarded(pattern).pattern == pattern


def test_the_guard_lists_the_possible_first_characters():
    guard, _, rest = guarded(r"(?P<year>\d{4})年|今年").pattern.partition("])")
    assert rest == r"(?:(?P<year>\d{4})年|今年)"
    # \d written out as a table: every decimal digit below U+10000, and every character above
    assert guard.startswith("(?=[0123456789٠") and guard.endswith(r"\U00010000-\U0010ffff今")


@pytest.mark.parametrize("text", ["٢٠٢١年", "２０２１年", "𝟐𝟎𝟐𝟏年", "\u3000 ２０２１年", "今年"])
def test_a_guard_written_as_a_table_lets_every_digit_and_space_through(text):
    pattern = r"\s*\d{4}年|今年"
    assert guarded(pattern).search(text).span() == re.search(pattern, text).span()


@pytest.mark.parametrize("pattern, anchored", [
    (r"^第?[0-9一二三四五六七八九十]+版$", True),  # page_furniture.toml: 第3版
    (r"^(本版|责任)?编辑[:：]", True),
    (r"(?:^首页[>»›/|])", True),
    (r"^更多报道|专栏$", False),  # the second alternative may match anywhere
    (r"专栏$", False),
    (r"(?m)^要闻", False),  # after any line break
])
def test_anchored_at_start(pattern, anchored):
    assert anchored_at_start(pattern) is anchored


@pytest.mark.parametrize("pattern, reach", [
    (r"专栏$", 2),
    (r"客户端.{0,8}频道$", 13),
    (r'(?<![A-Za-z0-9"/])[>»›]$', 1),  # the look-behind spans nothing
    (r".+专栏$", None),  # unbounded
    (r"专栏$|要闻", None),  # 要闻 may end anywhere
    (r"^更多详[细情]?\s*报道请见", None),
])
def test_reach_from_end(pattern, reach):
    assert reach_from_end(pattern) == reach


TAIL_PATTERNS = [r"[看见在]行动$", r"客户端.{0,8}频道$", r'(?<![A-Za-z0-9"/])[>»›]$', r"专栏\Z"]


@pytest.mark.parametrize("pattern", TAIL_PATTERNS)
@given(text=st.text(alphabet="看见在行动客户端聊城频道专栏>»›A1\"/ \n", max_size=40))
def test_a_search_from_the_reach_finds_what_a_whole_search_finds(pattern, text):
    compiled, reach = re.compile(pattern), reach_from_end(pattern)
    assert reach is not None
    whole = compiled.search(text)
    tail = compiled.search(text, max(0, len(text) - reach - 1))
    assert (tail and tail.span()) == (whole and whole.span())


@pytest.mark.parametrize("pattern", [
    r"^第?[0-9]+版$", r"^(本版|责任)?编辑[:：]", r"^[^<>»›]{1,12}[>»›][^<>»›]{1,12}[>»›]",
])
@given(text=st.text(alphabet="第12版本责任编辑:：<>»›聊城 \n", max_size=30))
def test_a_match_at_the_start_finds_what_a_search_finds(pattern, text):
    assert anchored_at_start(pattern)
    compiled = re.compile(pattern)
    found, at_start = compiled.search(text), compiled.match(text)
    assert (found and found.span()) == (at_start and at_start.span())


@pytest.mark.parametrize("body", [r"\d一二十万半", r"\s12今", r"0-9年", r"\d\s", "\U00010000-\U00010010a"])
def test_a_table_class_matches_what_the_class_as_written_matches(body):
    """Every character from U+0000 to U+10FFFF, tested against both forms."""
    import sys

    written, table = re.compile(f"[{body}]"), re.compile(table_class(body))
    members = [c for c in map(chr, range(sys.maxunicode + 1)) if written.match(c)]
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if table.match(c)] == members
    assert all(table.fullmatch(c) and table.fullmatch(c).group() == c for c in members)


@pytest.mark.parametrize(("pattern", "chars"), [
    ("[看见在]行动$", {"动"}), ("客户端.{0,8}频道$", {"道"}), ('(?<![A-Za-z0-9"/])[>»›]$', {">", "»", "›"}),
    ("(?:专栏|栏目)$", {"栏", "目"}), ("专(栏)+$", {"栏"}),
    ("专栏*$", None), ("[^>]$", None), ("[a-z]$", None), ("(?i)a$", None), ("(?i:a)$", None),
    ("(?m)专栏$", None),
])
def test_the_characters_a_furniture_pattern_ends_with(pattern, chars):
    assert last_characters(pattern) == (None if chars is None else frozenset(chars))


@pytest.mark.parametrize(("pattern", "chars"), [
    ("(?:的)?(?:前列|第[一二])", "前的第"), ("[讯电]", "电讯"), ("^[(（]上接", "(（"), ("(?=x)ab|c", "ac"),
    ("(?:a|)b", "ab"), ("a*b", "ab"), (r"\(?[一二]+\)", "(一二"), ("(?<=比)a", "a"),
])
def test_the_characters_a_match_begins_with(pattern, chars):
    assert first_characters(re.compile(pattern)) == chars


def test_white_space_opens_as_re_reads_it():
    """``\\s`` is every character ``str.isspace`` accepts, and none of them lies beyond U+FFFF."""
    import sys

    assert first_characters(re.compile(r"\sa")) == "".join(
        c for c in map(chr, range(sys.maxunicode + 1)) if re.fullmatch(r"\s", c))


@pytest.mark.parametrize("pattern", [r"a?", r"\db", "[a-c]", "(?i)a", "(?i:a)b", "x|$", ".a", "[^a]",
                                     "a|b?"])
def test_a_pattern_without_a_known_few_first_characters_is_refused(pattern):
    with pytest.raises(ValueError):
        first_characters(re.compile(pattern))


# Each pattern the loaders call ``match`` on behind a test of its first characters.
OPENED = {
    "yardstick": facts._YARDSTICK_AFTER, "venue": facts._VENUE_AFTER, "box": split._BOX_TOKEN,
    "continuation": split._CONTINUATION, "summary": split._SUMMARY, "note": split._NOTE,
    "range": numbers._CN_RANGE, "teens": numbers._TEEN_RANGE, "ordinal": labels._ORDINAL,
    "new start": normalise._NEW_START, "year": dates._ANY_YEAR, "byline": split._BYLINE_START,
}
OPENED_ALPHABET = "".join(sorted(set("".join(first_characters(p) for p in OPENED.values()))
                                 | set("幕行办列先名位首接版上第期批1290年 \n　記记者本报讯市县、)）")))


def _same_match(pattern: re.Pattern[str], text: str, pos: int) -> None:
    guarded_match = pattern.match(text, pos) if text[pos:pos + 1] in first_characters(pattern) else None
    plain = pattern.match(text, pos)
    assert (guarded_match and guarded_match.span()) == (plain and plain.span())


@pytest.mark.parametrize("name", OPENED)
@given(text=st.text(alphabet=OPENED_ALPHABET, max_size=30), data=st.data())
def test_a_first_character_test_skips_only_positions_where_nothing_matches(name, text, data):
    _same_match(OPENED[name], text, data.draw(st.integers(0, len(text) + 1)))


@pytest.mark.parametrize("name", OPENED)
def test_the_first_character_test_on_every_position_of_a_seed_page(name):
    text = (Path(__file__).parent.parent / "seeds" / "000_97d967b9aa75d6b6.txt").read_text(encoding="utf-8")
    for pos in range(len(text) + 1):
        _same_match(OPENED[name], text, pos)
