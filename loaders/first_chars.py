"""A guard in front of a long alternation regex: the characters a match can begin with.

Why: Python's ``re`` tries every alternative of a pattern like ``dates._EXPRESSIONS`` (time words,
years, months, quarters) at every position of a page, although almost every position holds a
character none of them can begin with. A leading ``(?=[…])`` built from the pattern itself lets
the engine skip those positions at the cost of one set lookup; the matches stay the same (the
guard is computed, never written by hand, so it cannot fall out of step with the pattern).

``guarded(r"(?P<year>\\d{4})年|今年")`` is ``(?=[0-9…今])(?:(?P<year>\\d{4})年|今年)``, the digits
written out (``_tabled``).
"""

from __future__ import annotations

import functools
import re
from re import _constants as C  # type: ignore[attr-defined]  # noqa: N812
from re import _parser  # type: ignore[attr-defined]
from typing import Any

_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s", C.CATEGORY_WORD: r"\w",
               C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_NOT_WORD: r"\W"}
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


class _Unbounded(Exception):
    """The pattern may begin with any character (``.``, a negated class, a back-reference)."""


def _char(code: int) -> str:
    return re.escape(chr(code))


def _tabled(items: list[tuple[Any, Any]]) -> tuple[list[str], bool]:
    """The items as the body of a class ``re`` tests at one table lookup, and whether that class
    holds more than they match. ``\\d`` and ``\\s`` are written as their members below U+10000
    and every character above (``re`` would call into the Unicode database for each character):
    there the class is a superset, exact again behind a look-behind (``table_class``) and enough
    for a guard, which only has to let every possible first character through."""
    out = []
    superset = False
    for op, av in items:
        if op is C.LITERAL:
            out.append(_char(av))
        elif op is C.RANGE:
            out.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is C.CATEGORY and av in _CATEGORY_TESTS:
            out.append(re.escape(_bmp_members(av)) + _ASTRAL)
            superset = True  # there are digits and may be spaces above U+FFFF
        elif op is C.CATEGORY and av in _CATEGORIES:
            out.append(_CATEGORIES[av])
        else:  # NEGATE and anything unusual
            raise _Unbounded
    return out, superset


def _first(sequence: _parser.SubPattern) -> tuple[list[tuple[Any, Any]], bool]:
    """The items a match of ``sequence`` can begin with (characters, classes' items, categories, as
    ``re`` parses them), and whether it can match empty; ``_Unbounded`` when it may begin with
    anything (``.``, a back-reference) or sets flags in a group (``(?i:…)``)."""
    items: list[tuple[Any, Any]] = []
    for op, av in sequence:
        if op in _ZERO_WIDTH:
            continue
        if op in (C.LITERAL, C.CATEGORY):
            return items + [(op, av)], False
        if op is C.IN:
            return items + list(av), False
        if op is C.SUBPATTERN and not av[1] and not av[2]:
            sub, empty = _first(av[-1])
        elif op is C.BRANCH:
            firsts = [_first(branch) for branch in av[1]]
            sub = [item for first, _ in firsts for item in first]
            empty = any(e for _, e in firsts)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            sub, empty = _first(av[2])
            empty = empty or av[0] == 0
        elif op is C.ATOMIC_GROUP:
            sub, empty = _first(av)
        else:  # ANY, NOT_LITERAL, GROUPREF, …
            raise _Unbounded
        items += sub
        if not empty:
            return items, False
    return items, True


def guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled with a look-ahead for its possible first characters, when it has some.

    A pattern that can match the empty string, may begin with any character, ignores case or
    sets its flags inline is compiled as it is.
    """
    if flags & (re.IGNORECASE | re.VERBOSE) or _INLINE_FLAGS.match(pattern):
        return re.compile(pattern, flags)
    try:
        items, empty = _first(_parser.parse(pattern, flags))
        classes, _ = _tabled(items)
    except _Unbounded:
        return re.compile(pattern, flags)
    if empty or not classes:
        return re.compile(pattern, flags)
    return re.compile(f"(?=[{''.join(dict.fromkeys(classes))}])(?:{pattern})", flags)


def anchored_at_start(pattern: str) -> bool:
    """Whether every match of ``pattern`` begins where the text begins (``^第?…版$``), so
    ``match`` finds what ``search`` would without trying every later position; ``^a|b`` is not
    anchored, since ``b`` may match anywhere.
    """
    if _INLINE_FLAGS.match(pattern):
        return False  # (?m)^ matches after every line break
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return False
    return len(parsed) > 0 and parsed[0] == (C.AT, C.AT_BEGINNING)


_ENDS = ((C.AT, C.AT_END), (C.AT, C.AT_END_STRING))
_LONGEST_TAIL = 1000


def _parsed_tail_pattern(pattern: str) -> _parser.SubPattern | None:
    """``pattern`` parsed, or None where its end cannot be read off the parse: a leading inline
    flag (``(?m)$`` matches before every line break) or a pattern ``re`` rejects."""
    if _INLINE_FLAGS.match(pattern):
        return None
    try:
        return _parser.parse(pattern)
    except re.error:
        return None


def reach_from_end(pattern: str) -> int | None:
    """When every match of ``pattern`` ends where the text ends (``专栏$``, ``客户端.{0,8}频道$``),
    the most characters one can span (2, 13): a search may then start that far (and one line
    break more, which ``$`` may stand before) from the end, and a long line costs no more than
    a short one. None for a pattern whose matches may end elsewhere (``专栏$|要闻``) or be
    arbitrarily long (``.+专栏$``). Look-behinds span nothing: ``search(text, pos)`` still lets
    them see the characters before ``pos``.
    """
    parsed = _parsed_tail_pattern(pattern)
    if parsed is None or len(parsed) == 0 or parsed[-1] not in _ENDS:
        return None
    longest = parsed.getwidth()[1]
    return longest if longest <= _LONGEST_TAIL else None


def last_characters(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern``, which ends where the text ends, can end with:
    ``[看见在]行动$`` → {动}, ``客户端.{0,8}频道$`` → {道}, ``(?<!x)[>»›]$`` → {>, », ›}; None when
    that is not a known few (a class of categories or ranges, a repeat that may be empty, a flag
    …). Why: a search for such a pattern in a text that ends with none of them (and with no line
    break, before which ``$`` matches too) can be skipped.
    """
    parsed = _parsed_tail_pattern(pattern)
    return None if parsed is None or parsed.state.flags & re.IGNORECASE else _last(list(parsed))


def _last(items: list) -> frozenset[str] | None:
    for op, av in items[::-1]:  # not reversed(): mypyc cannot compile it over an untyped list
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero width: the character before it ends the match
        if op is C.LITERAL:
            return frozenset(chr(av))
        if op is C.IN:
            if any(o is not C.LITERAL for o, _ in av):
                return None
            return frozenset(chr(a) for _, a in av)
        if op is C.SUBPATTERN and not av[1] and not av[2]:
            return _last(list(av[3]))
        if op is C.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                found = _last(list(branch))
                if found is None:
                    return None
                union |= found
            return frozenset(union)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            return _last(list(av[2]))
        return None
    return None


def first_characters(pattern: re.Pattern[str]) -> str:
    """The characters a match of ``pattern`` begins with: ``(?:的)?(?:前列|第[一二])`` → 的前第,
    ``^[(（]上接`` → ((（. ValueError for a pattern whose first characters are not a known few
    (it may match empty, begin with a category or a range, or ignore case).

    Why: ``pattern.match(text, pos)`` is a call into ``re`` (state, match object), and most
    positions a rule asks about hold none of these characters: ``text[pos:pos + 1] in chars and
    pattern.match(text, pos)`` finds the same match and skips the call at the others (at the end
    of the text the slice is empty, which ``in`` finds in any string: ``re`` is then asked).
    """
    try:
        items, empty = _first(_parser.parse(pattern.pattern, pattern.flags))
    except (re.error, _Unbounded):
        items, empty = [], True
    found = None if empty or pattern.flags & re.IGNORECASE else _members(items)
    if not found:
        raise ValueError(f"no known first characters: {pattern.pattern!r}")
    return "".join(sorted(found))


def _members(items: list) -> set[str] | None:
    """The characters of class items that are characters or ``\\s`` (white space: all of it below
    U+10000), else None."""
    chars: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            chars.add(chr(av))
        elif op is C.CATEGORY and av is C.CATEGORY_SPACE:
            chars.update(_bmp_members(av))
        else:
            return None
    return chars


_BMP_END = 0x10000
_ASTRAL = "\\U00010000-\\U0010ffff"
_CATEGORY_TESTS = {C.CATEGORY_DIGIT: str.isdecimal, C.CATEGORY_SPACE: str.isspace}


@functools.cache
def _bmp_members(category: object) -> str:
    test = _CATEGORY_TESTS[category]
    return "".join(c for c in map(chr, range(_BMP_END)) if test(c))


def table_class(body: str) -> str:
    """The class ``[body]`` written so that ``re`` tests a character against it at one table lookup.

    Why: ``re`` tests a character against ``\\d`` or ``\\s`` with a call into the Unicode database,
    several times the cost of looking it up in the table it builds for listed characters; in a
    class that starts a pattern, that test runs at every character of a page. Here the class
    lists its members below U+10000 (the table), takes every character above as a candidate (one
    comparison) and checks a candidate from there against the class as written (a look-behind),
    so it matches what ``[body]`` matches (``_tabled``). A negated class, or one holding anything
    but characters, ranges and categories, is returned as written.
    """
    try:
        items = _parser.parse(f"[{body}]")
        if len(items) != 1 or items[0][0] is not C.IN:
            return f"[{body}]"
        listed, superset = _tabled(items[0][1])
    except (re.error, _Unbounded):
        return f"[{body}]"
    if not superset:
        return f"[{''.join(listed)}]"
    return f"[{''.join(listed)}](?<=[{body}])"
