"""Publication dates of the seed pages and the periods of figures in their sentences."""

# ruff: noqa: E501 -- cases are whole sentences of the seed pages; CJK characters count double in width

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.dates import Period, PubDate, date_from_name, infer_publication_date, resolve_period, year_votes
from loaders.normalise import normalise_text
from loaders.split import ArticleSpan, split_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Gold dates of the seed pages (shared/eval/seeds/articles.jsonl).
SEED_DATES = [
    ("000_97d967b9aa75d6b6.txt", "2020-06-21", "day"),
    ("001_75cc9386a15eab2f.txt", "2020-03", "month"),
    ("002_1b9743f1e9e56b57.txt", "2023-02", "month"),
    ("003_60e1bf30824b9f36.txt", "2020-03", "month"),
    ("004_e9fe68a64e3df658.txt", "2024-08", "month"),
]


@pytest.mark.parametrize(("doc", "iso", "precision"), SEED_DATES)
def test_seed_page_dates(doc, iso, precision):
    text = normalise_text((SEEDS / doc).read_text(encoding="utf-8"))
    published = infer_publication_date(text, split_articles(text))
    assert (published.iso, published.precision) == (iso, precision)


def _span(dateline_date: str = "") -> ArticleSpan:
    return ArticleSpan(title="", subtitle="", byline="", dateline_place="", dateline_date=dateline_date, body="")


PAGES = [
    # a dateline is the eve of publication
    ("本报济南6月20日讯 截至2020年6月10日,累计挂牌超过2056万辆。", [_span("6月20日")], PubDate(2020, 6, 21, "day")),
    # a finished year reported as such: the page is from the year after
    ("2022年,在平区规模以上工业总产值1216.8亿元,同比增长13.4%。2月9日,记者从聊城水务集团了解到。", [],
     PubDate(2023, 2, None, "month")),
    # the year itself named as the current one
    ("2020年是脱贫攻坚收官年。3月17日,莘县县委书记王峰来到张寨镇。", [], PubDate(2020, 3, None, "month")),
    # no year written: campaign words decide
    ("各县、市、区闻风而动,全面落实市委“三提三敢”新要求。2月6日下午,市地方金融监管局召开专题会议。", [],
     PubDate(2023, 2, None, "inferred")),
    # a target year neither votes nor raises the floor
    ("到2025年,全市高新技术企业达到1000家。2019年,淄博实现GDP3642.40亿元。", [], PubDate(2020, None, None, "year")),
    # a January page still mentioning December
    ("2024年,全市签约项目120个。12月28日、1月3日,两批项目集中开工。", [], PubDate(2025, 1, None, "month")),
    ("没有任何时间线索的一段话。", [], PubDate(None)),
]


@pytest.mark.parametrize(("text", "articles", "expected"), PAGES)
def test_infer_publication_date(text, articles, expected):
    assert infer_publication_date(text, articles) == expected


def test_latest_past_year_is_a_floor():
    votes, floor = year_votes("自2019年11月27日全省电动自行车集中登记挂牌工作启动。截至2020年6月10日,累计挂牌超过2056万辆。")
    assert floor == 2020
    assert votes[2019] > 0


P2020 = PubDate(2020, 6, 21, "day")
P2024 = PubDate(2024, 8, None, "month")

# (sentence, the figure as printed, publication date, expected period)
PERIODS = [
    ("受疫情影响,今年前5月全国一般公共预算收入同比下降13.6%", "13.6%", P2020, Period(2020, "前5月")),
    ("数据显示,尽管受疫情影响,1-5月份,全省规模以上制造业实施投资500万元以上技改项目就有5511个", "5511个", P2020,
     Period(2020, "1-5月")),
    ("截至3月20日,冠县规模以上工业企业145家全部开工", "145家", P2020, Period(2020, "截至3月20日")),
    ("“全省公安交管部门从登记挂牌破题,截至2020年6月10日,累计挂牌超过2056万辆", "2056万辆", P2020,
     Period(2020, "截至2020年6月10日")),
    ("去年11月,临清市从杭州引进蓝森环保科技有限公司,项目建成后可年处理危险废物10万吨", "10万吨", P2020,
     Period(2019, "去年11月")),
    ("2019年,淄博实现GDP3642.40亿元,全省排名第七", "3642.40亿元", P2020, Period(2019, "2019年")),
    ("2018年淄博常住人口减少了6000人", "6000人", P2020, Period(2018, "2018年")),
    ("2019年8月19日在淄博、泰安、德州3市启动试点,随即扩大到16市的16个县区", "16个", P2020,
     Period(2019, "2019年8月19日")),
    ("多年前,他家年收入只有1000多元", "1000多元", P2020, Period(None, "多年前")),
    ("自2019年开展科技成果转化贷款风险补偿工作以来,为全市374家科技型中小企业争取到437笔科技成果转化贷款", "374家", P2024,
     Period(2024, "2019年以来")),
    ("力争年内在校企业数量达到1200家", "1200家", P2020, Period(2020, "年内", True)),
    ("大力推行“六个一”平台招引新机制,力争全年实际到位外来资金增长10%以上", "10%", P2020, Period(2020, "全年", True)),
    ("到2025年,全市高新技术企业达到1000家", "1000家", P2020, Period(2025, "到2025年", True)),
    ("在紧张战“疫”的2、3月份,全省挂牌80万辆", "80万辆", P2020, Period(2020, "2、3月")),
    ("上半年,东昌府区聚焦央企、500强企业,新招引项目23个", "23个", P2024, Period(2024, "上半年")),
    ("前年全市完成技改投资30亿元", "30亿元", P2020, Period(2018, "前年")),
    ("全省电动自行车交通违法数量比去年同期大幅下降30%", "30%", P2020, Period(2020, "")),
    ("我省是电动自行车产销大省,保有量超过3600万", "3600万", P2020, Period(2020, "")),
]


@pytest.mark.parametrize(("sentence", "figure", "published", "expected"), PERIODS)
def test_resolve_period(sentence, figure, published, expected):
    assert resolve_period(sentence, sentence.index(figure), published) == expected


def test_context_before_the_sentence_carries_its_year():
    text = ("2019年,淄博实现GDP3642.40亿元,全省排名第七。"
            "原来在后面的菏泽, GDP达到3409.98亿元,紧随淄博之后,两地只差232.42亿元。")
    assert resolve_period(text, text.index("3409.98"), P2020).year == 2019


@given(st.integers(2000, 2040), st.integers(2000, 2040))
def test_a_written_year_wins_over_the_publication_year(year, published):
    sentence = f"{year}年,全市完成投资30亿元"
    assert resolve_period(sentence, sentence.index("30"), PubDate(published)) == Period(year, f"{year}年")


@pytest.mark.parametrize(("name", "iso"), [
    ("dzrb_2020-06-21_01.txt", "2020-06-21"),
    ("20200621A03.html", "2020-06-21"),
    ("lcrb20230209-02.txt", "2023-02-09"),
    ("2019年3月5日第2版.txt", "2019-03-05"),
    ("000_97d967b9aa75d6b6.txt", None),
    ("page_20201399.txt", None),
])
def test_an_edition_date_in_the_file_name(name, iso):
    found = date_from_name(name)
    assert (found.iso if found else None) == iso


def test_the_file_names_date_dates_the_figures():
    from loaders.pipeline import extract_text

    result = extract_text("今年以来,全县新签约项目32个。", source="lcrb_2023-02-09.txt")
    assert result.articles[0].published == "2023-02-09"
    assert result.facts[0].period_year == 2023


@pytest.mark.parametrize(("given", "iso", "precision"), [
    ("2020-06-21", "2020-06-21", "day"),
    ("2020/6/21", "2020-06-21", "day"),
    ("2020年6月21日", "2020-06-21", "day"),
    ("20200621", "2020-06-21", "day"),
    ("2020-06-21 08:30:00", "2020-06-21", "day"),
    ("2020年6月", "2020-06", "month"),
    ("2020", "2020", "year"),
    ("2020-13-45", None, None),
    ("明天", None, None),
])
def test_a_date_a_person_gives(given, iso, precision):
    from loaders.dates import parse_given_date

    found = parse_given_date(given)
    assert (found.iso, found.precision) == (iso, precision) if iso else found is None


WEB_PAGE = "聊城重大项目进展顺利\n2018-08-21 09:23:00 来源: 聊城日报\n\n今年上半年,80个实施类项目完成投资120亿元。2011年建成的项目…"


@pytest.mark.parametrize(("given", "name", "html", "iso", "source"), [
    ("2018-08-20", "lcrb_2018-08-19.txt", (2018, 8, 18), "2018-08-20", "manifest"),
    ("", "lcrb_2018-08-19.txt", (2018, 8, 18), "2018-08-19", "filename"),
    ("", "page.html", (2018, 8, 18), "2018-08-18", "html"),
    ("", "page.txt", None, "2018-08-21", "metadata"),
])
def test_the_firmest_source_dates_the_page(given, name, html, iso, source):
    from loaders.dates import page_date
    from loaders.metadata import HtmlMeta

    clean = normalise_text(WEB_PAGE)
    meta = HtmlMeta(*html) if html else None
    published, how = page_date(clean, split_articles(clean), given=given, name=name, html=meta)
    assert (published.iso, how) == (iso, source)


def test_a_printed_date_dates_the_page_not_a_year_in_the_text():
    from loaders.pipeline import extract_text

    page = "东昌府区全面推行“一窗受理”新模式\n2018年01月04日  来源:齐鲁晚报\n本报聊城1月3日讯(记者 谢晓丽) 2011年建成的政务服务中心,目前已有162项行政许可事项可在一个窗口办理。"
    article = extract_text(page, source="d029.txt").articles[0]
    assert (article.published, article.date_source, article.paper) == ("2018-01-04", "metadata", "齐鲁晚报")


def test_month_and_day_from_metadata_with_the_year_from_the_text():
    from loaders.dates import page_date

    clean = normalise_text("山东聊城32个项目集中签约\n日期:08-03\n\n本报讯 2020年是聊城“双招双引”攻坚年,今年以来签约项目32个。")
    published, how = page_date(clean, split_articles(clean))
    assert (published.iso, how) == ("2020-08-03", "metadata")


def test_an_undated_page_leaves_figures_without_a_year():
    from loaders.pipeline import extract_text

    result = extract_text("全县新签约项目32个\n\n全县新签约项目32个,总投资86亿元。", source="x.txt")
    assert (result.articles[0].published, result.articles[0].date_source) == ("", "")
    assert {f.period_year for f in result.facts} == {None}


def test_a_figure_without_a_year_takes_the_pages_given_date():
    from loaders.manifest import PageInfo
    from loaders.pipeline import extract_text

    result = extract_text("全县新签约项目32个\n\n全县新签约项目32个,总投资86亿元。", source="x.txt",
                          info=PageInfo(date="2021-03-05"), given_by="upload")
    assert (result.articles[0].published, result.articles[0].date_source) == ("2021-03-05", "upload")
    assert {f.period_year for f in result.facts} == {2021}


def test_a_projects_milestone_date_does_not_govern_the_next_sentence():
    paragraph = "2023年聊城市十大民生项目中,医疗卫生类项目1个,2022年10月开工,2024年12月完工。公共教育类项目1个,即聊城一中新校区。"
    figure = paragraph.rindex("1个")
    assert resolve_period(paragraph, figure, PubDate(2023, 1, 4, "day")).year == 2023
    same_sentence = "项目2024年12月完工后,可新增床位1200张。"
    assert resolve_period(same_sentence, same_sentence.index("1200"), PubDate(2023)).year == 2024


@pytest.mark.parametrize("page", sorted(SEEDS.glob("*.txt"))[:8], ids=lambda p: p.name[:4])
def test_an_articles_time_index_gives_each_window_the_period_its_own_reading_gives(page: Path) -> None:
    import re

    from loaders.dates import index_times, period_at

    text = normalise_text(page.read_text(encoding="utf-8"))
    published = PubDate(2020, 6)
    index = index_times(text, published)
    paragraphs = [m.span() for m in re.finditer(r"[^\n]+", text)]
    for lo, hi in paragraphs:
        for figure in re.finditer(r"\d+(?:\.\d+)?(?:亿元|万元|个|%|家|人)", text[lo:hi]):
            position = lo + figure.start()
            assert period_at(text, position, lo, published, index) == \
                resolve_period(text[lo:hi], figure.start(), published), text[lo:position]


@pytest.mark.parametrize("page", sorted(SEEDS.glob("*.txt"))[:8], ids=lambda p: p.name[:4])
def test_a_time_index_read_only_around_the_figures_gives_each_figure_the_period_the_whole_index_gives(
        page: Path) -> None:
    import re

    from loaders.dates import index_times, period_at

    text = normalise_text(page.read_text(encoding="utf-8"))
    published = PubDate(2020, 6)
    whole = index_times(text, published)
    paragraphs = [m.span() for m in re.finditer(r"[^\n]+", text)]
    asked = [(lo, lo + figure.start()) for lo, hi in paragraphs[1::3]
             for figure in re.finditer(r"\d+(?:\.\d+)?(?:亿元|万元|个|%|家|人)", text[lo:hi])]
    part = index_times(text, published, asked)
    assert set(part.expressions) <= set(whole.expressions)
    for lo, position in asked:
        assert period_at(text, position, lo, published, part) == period_at(text, position, lo, published, whole)


@given(st.text(alphabet="截至到从自今年前1-5月2019日底以来，。！？!?、, \n", max_size=30))
def test_no_time_expression_holds_a_stop_so_reading_after_one_finds_the_same_expressions(text: str) -> None:
    from loaders.dates import _EXPRESSIONS, _NOT_IN_EXPRESSIONS

    whole = [m.span() for m in _EXPRESSIONS.finditer(text)]
    for stop in _NOT_IN_EXPRESSIONS.finditer(text):
        assert all(not start <= stop.start() < end for start, end in whole)
        assert [m.span() for m in _EXPRESSIONS.finditer(text, stop.end())] == \
            [(start, end) for start, end in whole if start >= stop.end()]


# The page-wide scans as they were written before they were made to begin with the digit they read.
_YEAR_AS_WRITTEN = r"(?<![\d.])(?P<y>(?:19[5-9]\d|20[0-4]\d))\s*年(?!代|度?前)"
_MONTH_DAY_AS_WRITTEN = r"(?<![年\d])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日(?!\s*(?:起|之?前|以前))"


@given(st.text(alphabet="0123456789.年月日代度前起之以 \n", max_size=24))
def test_the_page_wide_year_and_date_scans_find_what_their_plain_forms_find(text: str) -> None:
    import re

    from loaders.dates import _ANY_YEAR, _BARE_MONTH_DAY

    for plain, fast in ((_YEAR_AS_WRITTEN, _ANY_YEAR), (_MONTH_DAY_AS_WRITTEN, _BARE_MONTH_DAY)):
        assert [(m.span(), m.groupdict()) for m in re.finditer(plain, text)] == \
            [(m.span(), m.groupdict()) for m in fast.finditer(text)]


BASELINE_YEARS = [
    # (real sentence, figure, year it is of)
    ("截至2019年底,兰州市建档立卡贫困人口下降到0.38万人,比2011年减少了31.41万人,贫困发生率下降至0.32%。",
     "31.41万人", 2019),
    ("截至2019年底,贫困发生率下降至0.32%。农村居民人均可支配收入由2011年的5252元增长到13605元,增长了2.59倍。",
     "13605元", 2019),
    ("截至2019年底,贫困发生率下降至0.32%。农村居民人均可支配收入由2011年的5252元增长到13605元,增长了2.59倍。",
     "5252元", 2011),
    ("2018年,河北省65万贫困人口实现脱贫,贫困发生率由2017年的1.86%降至0.78%。", "0.78%", 2018),
    ("2018年,河北省65万贫困人口实现脱贫,贫困发生率由2017年的1.86%降至0.78%。", "1.86%", 2017),
    # a year after 于 is when, not a base
    ("项目于2019年建成,新增产能30万吨。", "30万吨", 2019),
]


@pytest.mark.parametrize(("sentence", "figure", "year"), BASELINE_YEARS)
def test_a_comparisons_base_year_is_not_the_figures(sentence, figure, year):
    assert resolve_period(sentence, sentence.index(figure), PubDate(2020, 5, 18, "day")).year == year


def test_a_year_in_brackets_after_a_figure_is_its_year():
    from loaders.dates import bracketed_year

    sentence = "2020年3月,大玉村83户贫困户321人实现全部脱贫,村人均纯收入达15287.6元(2019年),退出贫困村行列。"
    end = sentence.index("15287.6元") + len("15287.6元")
    assert bracketed_year(sentence, end) == Period(2019, "2019年")
    assert bracketed_year(sentence, sentence.index("321人") + 4) is None


@given(st.text(alphabet="截至到从自今年前1-5月2019日底以来，。！？!?、, \n", max_size=30), st.integers(0, 30))
def test_time_expressions_read_up_to_a_position_are_those_of_the_whole_text_that_start_before_it(
        text: str, until: int) -> None:
    from loaders.dates import time_expressions

    published = PubDate(2020, 6)
    assert time_expressions(text, published, until) == \
        [e for e in time_expressions(text, published) if e.start < until]


@pytest.mark.parametrize("text", [
    "全市新建项目46个。\n2019年，全市技改投资增长12.6%。",
    "全市新建项目46个。 2019 年，全市技改投资增长12.6%。",
])
def test_a_year_begins_where_it_is_written_not_at_the_white_space_before_it(text: str) -> None:
    from loaders.dates import time_expressions

    [year] = [e for e in time_expressions(text, PubDate(2020, 6)) if e.year == 2019]
    assert year.start == text.index("2019") and year.text == "2019年"


def test_a_year_after_zi_or_cong_begins_at_that_word():
    from loaders.dates import time_expressions

    text = "自 2018年以来，全市累计引进项目120个。"
    [since] = time_expressions(text, PubDate(2020, 6))
    assert since.start == 0 and since.text == "2018年以来"


@pytest.mark.parametrize("page", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:4])
def test_each_era_word_on_the_page_votes_once_with_its_eras_weight(page: Path) -> None:
    from loaders.dates import _era_votes, _eras

    text = normalise_text(page.read_text(encoding="utf-8")) + "复工复产"  # 复工 inside 复工复产 counts too
    plain: dict[int, float] = {}
    for era in _eras():
        plain[era.year] = plain.get(era.year, 0.0) + era.weight * sum(1 for term in era.terms if term in text)
    assert dict(_era_votes(text)) == plain


@given(st.text(alphabet="0123456789一二三十月日份、,-~至到个前多年几底以来自从今 \n", max_size=30))
def test_the_possessive_runs_of_digits_find_what_their_plain_forms_find(text: str) -> None:
    """A run of digits in a time expression is possessive where what follows cannot begin with
    a digit; written plainly (every ``{m,n}+`` and ``++`` as ``{m,n}`` and ``+``) it finds the same."""
    import re

    from loaders.dates import _EXPRESSIONS

    plain = re.compile(_EXPRESSIONS.pattern.replace("}+", "}").replace("++", "+"))
    assert "++" not in plain.pattern
    assert [(m.span(), m.groupdict()) for m in plain.finditer(text)] == \
        [(m.span(), m.groupdict()) for m in _EXPRESSIONS.finditer(text)]


@given(st.text(alphabet="0123456789٣年月日前起之以去 \n\u3000", max_size=24))
def test_the_month_days_looked_for_at_each_month_are_those_the_page_scan_finds(text: str) -> None:
    from loaders.dates import _BARE_MONTH_DAY, _bare_month_days

    assert [(m.span(), m.groupdict()) for m in _bare_month_days(text)] == \
        [(m.span(), m.groupdict()) for m in _BARE_MONTH_DAY.finditer(text)]


@given(st.text(alphabet="0125949.٣年代度前 \n\u3000", max_size=24))
def test_the_years_looked_for_at_each_nian_are_those_the_page_scan_finds(text: str) -> None:
    from loaders.dates import _ANY_YEAR, _written_years

    assert [(m.span(), m.groupdict()) for m in _written_years(text)] == \
        [(m.span(), m.groupdict()) for m in _ANY_YEAR.finditer(text)]
