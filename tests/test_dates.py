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
