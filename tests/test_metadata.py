"""Metadata lines, datelines and HTML meta tags of web articles, as news sites print them."""

# ruff: noqa: E501 -- cases are whole lines of real pages; CJK characters count double in width

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders import metadata
from loaders.metadata import date_in_url, html_meta, parse_dateline, parse_metadata_line, parse_reported_from

# (case, line, (year, month, day), paper, page, people)
METADATA_LINES = [
    ("date-time and source", "2018-10-17 11:49:00 来源: 大众网", (2018, 10, 17), "大众网", "", []),
    ("date-time and source, traditional", "2018-10-17 11:49:00 來源: 大眾網", (2018, 10, 17), "大眾網", "", []),
    ("paper then date-time", "农村大众报 2020-03-11 16:09", (2020, 3, 11), "农村大众报", "", []),
    ("paper then date-time, traditional", "農村大眾報 2020-03-11 16:09", (2020, 3, 11), "農村大眾報", "", []),
    ("publication date", "发布日期:2019-01-21", (2019, 1, 21), "", "", []),
    ("publication date, traditional", "發佈日期:2019-01-21", (2019, 1, 21), "", "", []),
    ("paper with edition date and page", "《工人日报》(2021年05月14日 06版)", (2021, 5, 14), "工人日报", "06版", []),
    ("paper with edition date and page, traditional", "《工人日報》(2021年05月14日 06版)", (2021, 5, 14), "工人日報", "06版", []),
    ("poster", "信息发布者:张月菊", (None, None, None), "", "", ["张月菊"]),
    ("poster, traditional", "信息發佈者:張月菊", (None, None, None), "", "", ["張月菊"]),
    ("date, authors and source", "2017-11-15 作者: 孙亚飞 孙文 任瑜 来源: 大众日报", (2017, 11, 15), "大众日报", "", ["孙亚飞", "孙文", "任瑜"]),
    ("Chinese date and source", "2018年10月18日  来源:齐鲁晚报", (2018, 10, 18), "齐鲁晚报", "", []),
    ("Chinese date and source, traditional", "2018年10月18日  來源:齊魯晚報", (2018, 10, 18), "齊魯晚報", "", []),
    ("date-time and 原创", "2019-05-13 19:55:32   原创", (2019, 5, 13), "", "", []),
    ("paper, date-time and font size", "齐鲁晚报 2020-09-04 04:54 大字", (2020, 9, 4), "齐鲁晚报", "", []),
    ("category, publication time and source", "类别:国内 发布时间:2023-01-04 16:48:00 来源:每日看点快看", (2023, 1, 4), "每日看点快看", "", []),
    ("category, publication time and source, traditional", "類別:國內 發佈時間:2023-01-04 16:48:00 來源:每日看點快看", (2023, 1, 4), "每日看點快看", "", []),
    ("reposted from", "本文转自:聊城日报", (None, None, None), "聊城日报", "", []),
    ("source and time added", "来源:大众报业·经济导报   加入时间:2022-9-1 7:48:00", (2022, 9, 1), "大众报业·经济导报", "", []),
    ("editor, reporter, correspondent", "记者:王丽 通讯员:石光涛 编辑:李明", (None, None, None), "", "", ["王丽", "石光涛", "李明"]),
    ("editor and views, traditional", "責任編輯:李明 瀏覽次數:1024", (None, None, None), "", "", ["李明"]),
    ("empty author", "作者:", (None, None, None), "", "", []),
    ("bare date-time", "2020-09-10 11:43:09", (2020, 9, 10), "", "", []),
    ("month and day only", "日期:08-03", (None, 8, 3), "", "", []),
    ("a known paper alone above an e-paper's date", "甘肃日报", (None, None, None), "甘肃日报", "", []),
    ("a writer beside the posting time (房天下)", "房大秘  2020-05-18 08:52", (2020, 5, 18), "", "", ["房大秘"]),
    ("author with the posting time", "作者:张三 2020-05-18 08:52", (2020, 5, 18), "", "", ["张三"]),
]


@pytest.mark.parametrize(("case", "line", "date", "paper", "page", "people"), METADATA_LINES,
                         ids=[c[0] for c in METADATA_LINES])
def test_metadata_lines(case, line, date, paper, page, people):
    meta = parse_metadata_line(line)
    assert meta is not None, case
    assert (meta.year, meta.month, meta.day) == date
    assert meta.paper == paper
    assert meta.page == page
    assert meta.people == people


@pytest.mark.parametrize("line", [
    "淄博1.1万贫困户危房改造已完工",
    "01.28 微山县2020年着力提升工业“智造”水平",
    "2018年以来各市党政主要负责同志带队招商引资情况",
    "(截止到2019年9月30日)",
    "2016年上半年,山东省17市GDP总量最高的是青岛,4520.3亿元",
    "下一步,将加大对南部山区、太河库区、黄河滩区深度贫困区域支持力度",
    "2023年聊城市十大民生项目出炉",
    "2019年12月29日,全市新签约项目32个。",
    "甘肃日报社召开会议",
    "聊城新闻",
    "张三 2020-05-18",  # a name beside a date without the clock time is no posting line
])
def test_headlines_and_sentences_are_not_metadata(line):
    assert parse_metadata_line(line) is None


# (case, opening, outlet, place, date, byline, body starts with)
DATELINES = [
    ("paper, place and date", "本报聊城1月3日讯(记者 谢晓丽 通讯员 郝丽莎) 2017年12月25日", "本报", "聊城", "1月3日", "记者 谢晓丽 通讯员 郝丽莎", "2017年"),
    ("mojibake before a site", "??鲁网6月8日讯(记者 泮晓阳)6月8日上午", "鲁网", "", "6月8日", "记者 泮晓阳", "6月8日上午"),
    ("news site", "济宁新闻网讯(记者 李斐)2020年,微山县", "济宁新闻网", "", "", "记者 李斐", "2020年"),
    ("paper and its app", "青岛日报社/观海新闻讯 记者从11日上午", "青岛日报社/观海新闻", "", "", "", "记者从"),
    ("site channel and date", "中国山东网·新感知5月31日讯5月30日,记者", "中国山东网·新感知", "", "5月31日", "", "5月30日"),
    ("evening paper, traditional", "德州晚報訊(德州晚報全媒體記者張明凱)", "德州晚报", "", "", "德州晚報全媒體記者張明凱", ""),
    ("morning paper with place", "晨报淄博2月21日讯 今天,记者", "晨报", "淄博", "2月21日", "", "今天"),
    ("place and date only", "淄博3月19日讯 3月19日上午", "", "淄博", "3月19日", "", "3月19日"),
    ("reporter glued on", "本报讯记者王金虎报道:近日,山东聊城市", "本报", "", "", "记者王金虎", "近日"),
    ("wire service", "新华社济南6月1日电 记者从", "新华社", "济南", "6月1日", "", "记者从"),
]


@pytest.mark.parametrize(("case", "opening", "outlet", "place", "date", "byline", "rest"), DATELINES,
                         ids=[c[0] for c in DATELINES])
def test_datelines(case, opening, outlet, place, date, byline, rest):
    found = parse_dateline(opening)
    assert found is not None, case
    assert (found.outlet, found.place, found.date, found.byline) == (outlet, place, date, byline)
    assert opening[found.end:].startswith(rest)


@pytest.mark.parametrize("opening", ["通讯员表示,今年以来", "资讯丰富", "记者从市发改委获悉"])
def test_sentences_are_not_datelines(opening):
    assert parse_dateline(opening) is None


def test_a_byline_that_says_where_from():
    assert parse_reported_from("大众网·海报新闻记者 张玮 济南报道") == ("记者 张玮", "济南")
    assert parse_reported_from("本市经济运行平稳") is None


SAVED_PAGE = """<html><head><meta charset="utf-8">
<title>聊城32个项目集中签约_大众网</title>
<meta property="article:published_time" content="2020-08-03T07:30:00+08:00">
<meta name="ContentSource" content="大众日报">
<meta property="og:url" content="https://paper.dzwww.com/dzrb/content/20200803/Articel03002MT.htm">
</head><body><h1>聊城32个项目集中签约</h1><p>本报讯 32个项目集中签约。</p></body></html>"""


def test_saved_page_meta_tags():
    meta = html_meta(SAVED_PAGE)
    assert (meta.year, meta.month, meta.day, meta.how) == (2020, 8, 3, "article:published_time")
    assert meta.paper == "大众日报"
    assert meta.title == "聊城32个项目集中签约_大众网"
    assert meta.url.endswith("Articel03002MT.htm")


def test_a_saved_page_without_date_tags_is_dated_by_its_address():
    markup = '<html><head><link rel="canonical" href="http://www.sd.gov.cn/art/202010/t20201015_3.html"></head><body></body></html>'
    meta = html_meta(markup)
    assert (meta.year, meta.month, meta.day, meta.how) == (2020, 10, 15, "url")


@pytest.mark.parametrize(("url", "date"), [
    ("http://www.sd.gov.cn/art/202010/t20201015_123.html", (2020, 10, 15)),
    ("http://paper.dzwww.com/dzrb/content/20171115/Articel23018MT.htm", (2017, 11, 15)),
    ("https://m.yybnet.net/liaocheng/yanggu/202009/10831052.html", (2020, 9, None)),
    ("https://news.example.cn/2019-05-13/abc.html", (2019, 5, 13)),
    ("http://www.zgfsw.com/comnews/147/3714.shtml", None),
    ("https://hb.dzwww.com/p/8209615.html", None),
])
def test_dates_in_addresses(url, date):
    assert date_in_url(url) == date


@given(st.text(alphabet="聊城市淄博东昌府区扶贫项目资金万元亿个户,。!的了在和", max_size=60))
def test_a_body_sentence_with_a_full_stop_is_never_metadata(words):
    assert parse_metadata_line(words + "。") is None


@pytest.mark.parametrize("line", ["记者:效果如何?", "记者:你们今年的目标是什么", "编辑:这一政策的资金从哪里来"])
def test_an_interviews_questions_are_not_metadata(line):
    assert parse_metadata_line(line) is None


@pytest.mark.parametrize(("line", "paper"), [("泉州晚报", "泉州晚报"), ("甘肃日报", "甘肃日报")])
def test_a_papers_name_alone_on_a_line_is_metadata(line, paper):
    assert parse_metadata_line(line).paper == paper


@pytest.mark.parametrize("line", ["半岛都市报", "捷报频传", "喜报"])
def test_other_short_lines_ending_in_bao_are_not(line):
    assert parse_metadata_line(line) is None


_KEYWORD_CHARACTERS = metadata._TRADITIONAL_KEYWORDS + "".join(map(chr, metadata._T2S.values())) + "城市 :2"


@given(st.text(alphabet=_KEYWORD_CHARACTERS, max_size=40))
def test_keywords_fold_as_the_whole_table_would(text):
    # simplify_keywords replaces only the characters it finds; the table translates every one
    assert metadata.simplify_keywords(text) == text.translate(metadata._T2S)


@given(st.text(alphabet="甘肃日报泉州晚报聊城新闻网大众字体打印分享关闭【】()| ·,张三2019-05:年月日《》来源作者", max_size=30))
def test_a_line_without_colon_digit_or_book_title_is_read_as_the_full_grammar_reads_it(line):
    # _parse_line's shortcut for a line without a key, a date or a 《paper》
    assert metadata._parse_line(line) == (metadata._parse_marked_line(line) if line else None)


@given(st.text(alphabet="讯电訊電本报聊城1月3日记者 ,。", max_size=140), st.integers(0, 150))
def test_a_dateline_end_is_found_by_str_find_where_re_finds_it(text, end):
    import re

    assert metadata._holds_any(text, metadata._DATELINE_ENDS, end) is (
        re.compile(f"[{metadata._DATELINE_ENDS}]").search(text, 0, end) is not None)
