"""The first-character guard changes no match, only how fast positions that cannot start one are skipped."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders import dates
from loaders.first_chars import guarded

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


@pytest.mark.parametrize("pattern", [r".*年", r"[^年]+", r"\b", r"a?", "(?i)abc"])
def test_a_pattern_that_may_start_anywhere_is_left_alone(pattern):
    assert guarded(pattern).pattern == pattern


def test_the_guard_lists_the_possible_first_characters():
    assert guarded(r"(?P<year>\d{4})年|今年").pattern == r"(?=[\d今])(?:(?P<year>\d{4})年|今年)"
