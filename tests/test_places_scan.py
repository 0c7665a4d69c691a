"""loaders.places: the shortcuts the finder takes give what the plain scans give.

A page's home place scans it once with every form (``_every_form``) and reads each province's
matches off that scan; a scoped form after its city (重庆奉节) rescans only up to the next
character no form holds; datelines and a page's own paper are looked for only where 本报, 新华社
or 报 stand. Each is checked here against the plain definition on text built from the
gazetteer's own forms, so the shortcut cannot drift from what it replaces.
"""

from __future__ import annotations

import re
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders import places
from loaders.places import (
    _DATELINE,
    _PAPER_CREDIT,
    _SOURCE_BEFORE,
    _automaton,
    _dateline_names,
    _every_form,
    _longest_paper_name,
    _may_be_one_mention,
    _paper_name_tails,
    _province_matches,
    _scan_to_break,
    _slips_in,
    _surfaces,
    find_place_mentions,
    home_place_of,
    paper_in_text,
    papers,
    scan_page,
)

# Pages of Shandong, Gansu, Sichuan and Chongqing: each leaves out other provinces' short forms.
PROVINCES = ["山东省", "甘肃省", "四川省", "重庆市"]
HOMES = ["", "聊城市", "山东省", "兰州市", "甘肃省", "四川省", "重庆市", "河北省"]

# Text made of the gazetteer's forms (whole, or cut short so that a longer form may start inside
# one), list marks, breaks and common characters: 重庆奉节、巫山 and 秦安、甘谷 come up often.
_FORMS = sorted(_surfaces())
_piece = st.one_of(
    st.sampled_from(_FORMS),
    st.sampled_from(_FORMS).map(lambda form: form[:-1]),
    st.sampled_from(["重庆", "奉节", "甘肃", "天水", "秦安", "四川", "南充", "临清", "聊城", "县",
                     "区", "市", "经济开发区", "我市", "全县", "该市", "市财政", "本报", "讯"]),
    st.sampled_from(["、", "，", "。", "\n", "和", "与", "等", "2", "（", "）", " "]),
    st.text(alphabet="的在年新城平安东山高发展", min_size=1, max_size=3),
)
page_texts = st.lists(_piece, max_size=40).map("".join)


def province_scan(text: str, province: str) -> list[tuple[int, int, int]]:
    return list(_automaton(province)[0].find_matches_as_indexes(text))


@pytest.mark.parametrize("province", PROVINCES)
@given(text=page_texts)
def test_a_provinces_matches_read_off_the_scan_with_every_form(province, text):
    every = _every_form()[0].find_matches_as_indexes(text)
    assert _province_matches(text, province, every) == province_scan(text, province)


@pytest.mark.parametrize("province", PROVINCES)
@given(text=page_texts, cut=st.integers(min_value=0, max_value=200))
def test_a_rescan_to_the_next_break_joins_any_earlier_scan(province, text, cut):
    start = min(cut, len(text))
    restart, stop = _scan_to_break(text, start, province)
    from_start = [(index, lo + start, hi + start) for index, lo, hi in province_scan(text[start:], province)]
    assert restart + [m for m in province_scan(text, province) if m[1] >= stop] == from_start


@pytest.mark.parametrize("home", HOMES)
@given(text=page_texts)
def test_mentions_from_the_pages_scan_with_every_form_are_the_finders(home, text):
    on_page = find_place_mentions(text, home, ocr=False, page=scan_page(text))
    assert on_page == find_place_mentions(text, home, ocr=False)


@pytest.mark.parametrize("text, home, expected", [
    # 奉节 counts only right after 重庆 on a Shandong page (巫山, after a 、, does not); the walk
    # goes on after it
    ("重庆奉节、巫山两县和聊城市临清市", "", ["重庆市", "奉节县", "聊城市", "临清市"]),
    ("甘肃天水秦安县，甘肃省天水市甘谷县", "聊城市",
     ["甘肃省", "天水市", "秦安县", "甘肃省", "天水市", "甘谷县"]),
])
def test_a_scoped_form_after_its_province_or_city(text, home, expected):
    found = find_place_mentions(text, home, ocr=False)
    assert [m.place.name for m in found if m.place] == expected
    assert find_place_mentions(text, home, ocr=False, page=scan_page(text)) == found


# A page of lines; an article of it: some of its lines (a headline, a body), joined as
# split.article_text joins them, and now and then a line the page does not print.
page_lines = st.lists(page_texts.map(lambda text: text.replace("\n", "")), min_size=1, max_size=8)


@pytest.mark.parametrize("home", ["", "聊城市", "甘肃省", "重庆市"])
@given(lines=page_lines, picks=st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=4),
       stranger=st.one_of(st.none(), page_texts))
def test_an_articles_mentions_read_off_its_pages_scan(home, lines, picks, stranger):
    page = "\n".join(lines)
    parts = ["\n".join(lines[i:i + 2]) for i in picks if i < len(lines)]
    article = "\n\n".join(parts + ([stranger] if stranger is not None else []))
    scan = scan_page(page)
    assert find_place_mentions(article, home, page=scan) == find_place_mentions(article, home)


@given(lines=page_lines)
def test_a_pages_home_from_its_scan(lines):
    page = "\n".join(lines)
    assert home_place_of(page, scan=scan_page(page)) == home_place_of(page)


def test_an_article_of_a_seed_page_from_the_pages_scan():
    headline, body = "聊城市茌平区：新增规上企业12家", "本报讯 今年以来，茌平区新增规上企业12家，临清市8家。"
    page, article = f"第3期\n{headline}\n{body}\n下一篇", f"{headline}\n\n{body}"
    found = find_place_mentions(article, "聊城市", page=scan_page(page))
    assert [m.place.name for m in found if m.place] == ["聊城市", "茌平区", "茌平区", "临清市"]
    assert found == find_place_mentions(article, "聊城市")


@given(text=st.lists(st.sampled_from(["本报", "新华社", "临清", "兰州", "济南", "讯", "电", "8月3日",
                                      "12月", "日", "记者", "报", "，", "\n"]), max_size=20).map("".join))
def test_datelines_are_the_patterns_matches(text):
    assert _dateline_names(text) == [m.group(1) or m.group(2) for m in _DATELINE.finditer(text)]


def test_datelines_of_a_seed_page():
    page = "本报临清讯（记者 张三）……本报记者 李四\n新华社兰州8月3日电 全省……"
    assert _dateline_names(page) == ["临清", "兰州"]


def _paper_in_text_by_regex(page_text: str) -> str:
    """The definition ``paper_in_text`` speeds up: every 报 of the page, by a regex."""
    names, tails = papers(), _paper_name_tails()
    for m in re.finditer("报", page_text):
        end = m.end()
        if end < 3 or page_text[end - 3:end] not in tails:
            continue
        for size in range(_longest_paper_name(), 2, -1):
            lo = end - size
            if lo < 0 or page_text[lo:end] not in names:
                continue
            if ((lo < 40 and "。" not in page_text[:lo]) or _PAPER_CREDIT.match(page_text, end)
                    or _SOURCE_BEFORE.search(page_text, max(lo - 8, 0), lo)):
                return page_text[lo:end]
            break
    return ""


@given(text=st.lists(st.sampled_from(["大众日报", "聊城日报", "甘肃日报", "日报", "报", "报道", "汇报",
                                      "讯", "记者", "来源：", "。", "\n", "正文", " 2020年"]),
                     max_size=16).map("".join))
def test_a_pages_paper_is_the_definitions(text):
    assert paper_in_text(text) == _paper_in_text_by_regex(text)


@pytest.mark.parametrize("page, expected", [
    # 甘肃's places lead a page with no paper: its second reading, from the same scan
    ("甘肃天水：秦安、甘谷、武山等县\n天水市秦安县新建项目12个，甘谷县9个，兰州市3个", "天水市"),
    ("我省新增南充、广元、广安、自贡4个市\n南充市完成投资3亿元，广元市2亿元，自贡市1亿元", "四川省"),
])
def test_home_place_of_a_page_of_another_province(page, expected):
    assert home_place_of(page) == expected


@given(lines=page_lines, picks=st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=4))
def test_one_pages_scan_read_for_articles_of_several_provinces(lines, picks):
    page = "\n".join(lines)
    article = "\n\n".join("\n".join(lines[i:i + 2]) for i in picks if i < len(lines))
    scan = scan_page(page)
    for home in ["", "甘肃省", "重庆市", "聊城市"]:
        assert find_place_mentions(article, home, page=scan) == find_place_mentions(article, home)


# Lines with slipped names (在平区, 临青市, 高堂县) after characters of every kind: a CJK character no
# form holds (的, 在) may stand before an article's line on the page, where a slip could begin.
slip_lines = st.lists(st.sampled_from(["在平区", "临青市", "高堂县", "茌平区", "聊城市", "的", "在", "存",
                                       "平", "区", "，", "。", "2", "新增", "在平区域"]),
                      max_size=12).map("".join)


@pytest.mark.parametrize("home", ["", "聊城市", "山东省", "甘肃省"])
@given(lines=st.lists(slip_lines, min_size=1, max_size=6),
       picks=st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=3),
       glue=st.sampled_from(["\n", "的", "，", "在"]))
def test_an_articles_slips_read_off_its_pages_scan(home, lines, picks, glue):
    page = glue.join(lines)
    article = "\n\n".join(lines[i] for i in picks if i < len(lines))
    assert find_place_mentions(article, home, page=scan_page(page)) == find_place_mentions(article, home)


@pytest.mark.parametrize("page, article", [
    ("第3期\n今年,在平区新增规上企业12家\n下一篇", "今年,在平区新增规上企业12家"),
    # on the page 的在平区 is a token of four characters; the article's line begins at 在平区
    ("第3期\n今年的在平区新增规上企业12家", "在平区新增规上企业12家"),
])
def test_a_slip_in_an_article_read_off_its_page(page, article):
    found = find_place_mentions(article, "聊城市", page=scan_page(page))
    assert [(m.text, m.place.name, m.how) for m in found] == [("在平区", "茌平区", "ocr")]


@pytest.mark.parametrize("home", ["", "聊城市", "甘肃省", "重庆市"])
@given(lines=page_lines, first=st.integers(min_value=0, max_value=8),
       size=st.integers(min_value=1, max_value=8),
       headline=st.one_of(st.none(), st.integers(min_value=0, max_value=8), page_texts))
def test_an_articles_paragraphs_printed_together_read_as_one_stretch(home, lines, first, size, headline):
    # a page of paragraphs between blank lines, as normalised pages print them; the article's
    # body is a run of them, after a headline of the page, of another line or of its own
    page = "\n\n".join(lines)
    parts = lines[first:first + size]
    if isinstance(headline, int):
        parts = lines[headline:headline + 1] + parts
    elif headline is not None:
        parts = [headline] + parts
    article = "\n\n".join(parts)
    assert find_place_mentions(article, home, page=scan_page(page)) == find_place_mentions(article, home)


@pytest.mark.parametrize("page, article", [
    ("聊城\n\n临清市", "聊城\n\n\n\n临清市"),  # a blank part between: not where the page prints it
    ("聊城\n\n临清市新增", "聊城\n\n临清"),  # the page goes on with a longer name than the article
    ("聊城市中临清市", "聊城\n\n临清市"),  # the page prints no blank line between the parts
    ("本报讯\n\n在平区新增", "本报讯\n\n在平区"),
])
def test_parts_the_page_does_not_print_as_the_article_does(page, article):
    home = "聊城市"
    assert find_place_mentions(article, home, page=scan_page(page)) == find_place_mentions(article, home)


@pytest.mark.parametrize("home", ["", "聊城市", "甘肃省", "重庆市"])
@given(name=st.one_of(page_texts, slip_lines, page_texts.map(lambda text: "的" + text),
                      st.text(alphabet="规模以上工业增加值市县区我全平在", max_size=8)))
def test_a_name_no_form_begins_is_never_one_mention(home, name):
    # resolve_place asks the finder only of names _may_be_one_mention lets through
    if not _may_be_one_mention(name):
        mentions = [m for m in find_place_mentions(name, home) if m.place]
        assert not (len(mentions) == 1 and mentions[0].text == name)


_picks = st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=3)


@given(lines=page_lines, articles=st.lists(_picks, min_size=1, max_size=4))
def test_articles_read_in_any_order_off_one_scan(lines, articles):
    # each text is looked for after the last one's start first: one earlier on the page, or
    # printed twice, is still found (a page's lines repeat: 聊城\n聊城市)
    page = "\n\n".join(lines + lines[:2])
    scan = scan_page(page)
    for picks in articles:
        article = "\n\n".join(lines[i] for i in picks if i < len(lines))
        assert find_place_mentions(article, "聊城市", page=scan) == find_place_mentions(article, "聊城市")


_forms_worked_out = places._automaton_forms


def _forms_not_worked_out(province: str) -> tuple:
    return tuple(form[:5] + (None,) for form in _forms_worked_out(province))


_nation_and_province_words = st.sampled_from(["全国", "我国", "国内", "国家", "央行", "我省", "全省", "本省",
                                             "省财政", "自治区"])


@pytest.mark.parametrize("home", ["", "聊城市", "山东省", "甘肃省", "重庆市", "全国"])
@given(text=st.lists(st.one_of(_piece, _nation_and_province_words), max_size=30).map("".join))
def test_the_answers_worked_out_per_form_are_the_finders_own(home, text):
    # _plain's answers (a place, 全国, 我省) against the finder's branch for each kind of form
    with patch.object(places, "_automaton_forms", _forms_not_worked_out):
        expected = find_place_mentions(text, home)
    assert find_place_mentions(text, home) == expected


@given(text=slip_lines, lo=st.integers(min_value=0, max_value=30), size=st.integers(min_value=0, max_value=8))
def test_a_slip_right_after_a_place_ends_before_the_next_match(text, lo, size):
    # the finder asks _slips_in after a place only where such a token could fit before the next match
    hi = min(lo + size, len(text))
    fits = any(text[lo + k - 1:lo + k] in "区县市" and lo + k <= hi for k in (3, 4))
    if not fits:
        assert _slips_in(text, lo, hi, True, []) == []
