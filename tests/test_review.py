"""Plausibility checks, the 校对 queue and once-only totals, on generated figures and the seed store.

Each check has cases that must be flagged and look-alikes that must not; the figures' sentences
are taken from the seed pages where one fits. The last tests run every check over a real store
built from ``seeds/``.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.storage import review, store

_DEFAULTS = dict(
    article_id="A1",
    doc="000.txt",
    city="聊城市",
    county="",
    initiative="tech_renovation",
    metric="技改项目数",
    value=100.0,
    unit="个",
    approx="",
    range_hi=None,
    period_year=2020,
    period="1-5月",
    quote="100个",
    sentence="",
    char_start=0,
    char_end=0,
    confidence=0.9,
    tier="core",
    kind="flow",
    place_how="sentence",
    title="聊城技改",
    published="2020-06-21",
    source="000.txt",
    review_status="",
)


def fact(fact_id: str, **fields) -> dict:
    row = {"fact_id": fact_id, **_DEFAULTS, **fields}
    if not row["sentence"]:
        row["sentence"] = f"全市{row['metric']}{row['quote']}。"
    return row


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def flagged(facts: pd.DataFrame, check: str) -> set[str]:
    found = review.run_checks(facts)
    return set(found[found.check == check].fact_id)


# ---------------------------------------------------------------- county larger than its city

COUNTY_CASES = [
    # (county row, city row, flagged?)
    (dict(county="冠县", value=120.0, quote="120个"), dict(value=100.0), True),
    (dict(county="冠县", value=80.0, quote="80个"), dict(value=100.0), False),
    (dict(county="冠县", value=100.0), dict(value=100.0), False),
    # "1-5月份" and "1-5月" are the same period
    (dict(county="冠县", value=120.0, period="1-5月份"), dict(value=100.0), True),
    # a different period is not comparable
    (dict(county="冠县", value=120.0, period="1-3月"), dict(value=100.0, period="全年"), False),
    # another city's county is not a part of this city
    (dict(city="淄博市", county="沂源县", value=120.0), dict(value=100.0), False),
    # a county may grow faster than its city: rates are skipped
    (
        dict(county="冠县", value=26.6, unit="%", metric="技改投资同比增速", quote="26.6%"),
        dict(value=4.8, unit="%", metric="技改投资同比增速", quote="4.8%"),
        False,
    ),
]


@pytest.mark.parametrize(("county", "city", "expected"), COUNTY_CASES)
def test_county_larger_than_city(county: dict, city: dict, expected: bool) -> None:
    facts = frame(fact("county", article_id="A2", **county), fact("city", **city))
    assert ("county" in flagged(facts, "county_exceeds_city")) is expected
    assert "city" not in flagged(facts, "county_exceeds_city")


def test_a_city_of_another_province_is_not_a_part_of_shandong() -> None:
    facts = frame(fact("prov", city="山东省", value=5511.0, quote="5511个"),
                  fact("hz", city="杭州市", value=6000.0, quote="6000个"))
    assert flagged(facts, "county_exceeds_city") == set()


def test_city_larger_than_province_is_flagged_with_both_figures_in_the_reason() -> None:
    facts = frame(
        fact("prov", city="山东省", value=5511.0, quote="5511个"),
        fact("city", value=6000.0, quote="6000个"),
    )
    found = review.run_checks(facts)
    row = found[found.check == "county_exceeds_city"].iloc[0]
    assert row.fact_id == "city"
    assert "6000个" in row.reason_zh and "5511个" in row.reason_zh and "山东省" in row.reason_zh
    assert row.severity == "high"


# ---------------------------------------------------------------- cumulative falling

CUMULATIVE_CASES = [
    # (earlier, later, flagged?)
    (
        dict(
            kind="stock",
            metric="累计挂牌电动自行车",
            value=20_560_000.0,
            period_year=2020,
            period="截至6月10日",
            unit="辆",
            published="2020-06-21",
        ),
        dict(
            kind="stock",
            metric="累计挂牌电动自行车",
            value=8_000_000.0,
            period_year=2020,
            period="截至9月30日",
            unit="辆",
            published="2020-10-05",
        ),
        True,
    ),
    (
        dict(
            kind="stock",
            metric="累计挂牌电动自行车",
            value=8_000_000.0,
            period_year=2020,
            period="截至3月31日",
            unit="辆",
            published="2020-04-05",
        ),
        dict(
            kind="stock",
            metric="累计挂牌电动自行车",
            value=20_560_000.0,
            period_year=2020,
            period="截至6月10日",
            unit="辆",
            published="2020-06-21",
        ),
        False,
    ),
    # a stock compares across years
    (
        dict(
            kind="stock",
            metric="累计脱贫人口",
            value=86349.0,
            unit="人",
            period_year=2019,
            period="",
            published="2019-12-30",
        ),
        dict(
            kind="stock",
            metric="累计脱贫人口",
            value=80000.0,
            unit="人",
            period_year=2020,
            period="截至3月20日",
            published="2020-03-25",
        ),
        True,
    ),
    # year-to-date figures fall back at the new year: 1-3月 of 2021 below 1-12月 of 2020 is fine …
    (
        dict(
            metric="累计新开工项目",
            value=500.0,
            period_year=2020,
            period="1-12月",
            published="2021-01-10",
        ),
        dict(
            metric="累计新开工项目",
            value=120.0,
            period_year=2021,
            period="1-3月",
            published="2021-04-10",
        ),
        False,
    ),
    # … but not within one year
    (
        dict(
            metric="累计新开工项目",
            value=500.0,
            period_year=2020,
            period="1-5月",
            published="2020-06-10",
        ),
        dict(
            metric="累计新开工项目",
            value=300.0,
            period_year=2020,
            period="1-8月",
            published="2020-09-10",
        ),
        True,
    ),
    # a flow (not cumulative) may fall
    (
        dict(
            metric="新开工项目", value=500.0, period_year=2020, period="5月", published="2020-06-10"
        ),
        dict(
            metric="新开工项目", value=300.0, period_year=2020, period="8月", published="2020-09-10"
        ),
        False,
    ),
]


@pytest.mark.parametrize(("earlier", "later", "expected"), CUMULATIVE_CASES)
def test_cumulative_figure_that_falls(earlier: dict, later: dict, expected: bool) -> None:
    facts = frame(fact("early", **earlier), fact("late", article_id="A2", title="后一篇", **later))
    found = flagged(facts, "cumulative_falls")
    assert ("late" in found) is expected
    assert "early" not in found


@pytest.mark.parametrize(
    ("period_year", "period", "published", "expected"),
    [
        (2020, "截至3月20日", "2020-03-25", 20200320),
        (2020, "1-5月", "", 20200531),
        (2020, "前5个月", "", 20200531),
        (2020, "上半年", "", 20200631),
        (2020, "", "2020-06-21", 20200621),
        (2019, "", "2020-06-21", 20191231),
        (2020, "", "", None),
    ],
)
def test_as_of_date_of_a_cumulative_figure(period_year, period, published, expected) -> None:
    assert review.as_of_date(period_year, period, published) == expected


# ---------------------------------------------------------------- off by 万

QUOTE_CASES = [
    # (quote, value as stored, flagged?)  quotes from the seed pages
    ("3478万元", 3478.0, True),
    ("3478万元", 34_780_000.0, False),
    ("95万元", 950_000.0, False),
    ("95万元", 9_500_000_000.0, True),
    ("1200多万元", 12_000_000.0, False),
    ("2056万辆", 20_560_000.0, False),
    ("2056万辆", 2056.0, True),
    ("2万亿", 2e12, False),
    ("2万亿", 2e8, True),
    ("近10亿元", 1e9, False),
    ("30-50万元", 300_000.0, False),
    ("86349户", 86349.0, False),
    ("26.6%", 26.6, False),
    ("六七千吨", 6000.0, False),  # no digits: nothing to compare
]


@pytest.mark.parametrize(("quote", "value", "expected"), QUOTE_CASES)
def test_value_against_its_own_quote(quote: str, value: float, expected: bool) -> None:
    facts = frame(fact("f", quote=quote, value=value, unit="元", metric="授信金额"))
    assert ("f" in flagged(facts, "wan_scale")) is expected


@settings(deadline=None, max_examples=50)
@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["元", "辆", "亩", "人"]))
def test_any_wan_quote_read_without_its_wan_is_flagged(n: int, unit: str) -> None:
    quote = f"{n}万{unit}"
    assert review.quote_value_ratio(quote, n * 1e4) == pytest.approx(1.0)
    assert math.isclose(review.quote_value_ratio(quote, float(n)), 1e-4)
    facts = frame(
        fact("right", quote=quote, value=n * 1e4, unit=unit),
        fact("wrong", quote=quote, value=float(n), unit=unit, metric="另一指标"),
    )
    found = review.run_checks(facts)
    assert set(found.fact_id[found.check == "wan_scale"]) == {"wrong"}


def test_money_value_far_from_the_same_metric_elsewhere() -> None:
    counties = [("冠县", 3.2e7), ("莘县", 5.0e7), ("阳谷县", 4.1e7), ("临清市", 4.5e11)]
    facts = frame(
        *(
            fact(
                name, county=name, metric="授信金额", unit="元", value=v, quote="", sentence="授信"
            )
            for name, v in counties
        )
    )
    found = review.run_checks(facts)
    wan = found[found.check == "wan_scale"]
    assert list(wan.fact_id) == ["临清市"]
    assert "1万倍" in wan.iloc[0].reason_zh


def test_money_of_a_province_and_of_a_county_are_not_compared() -> None:
    facts = frame(
        fact("prov", city="山东省", metric="授信金额", unit="元", value=3.5e11, quote=""),
        fact("county", county="冠县", metric="授信金额", unit="元", value=3.5e7, quote=""),
    )
    assert flagged(facts, "wan_scale") == set()


# ---------------------------------------------------------------- percentages over 100

PERCENT_CASES = [
    # (metric, sentence, value, flagged?)
    ("贫困人口脱贫率", "全市贫困人口脱贫率达120%。", 120.0, True),
    ("技改投资同比增速", "高新技术制造业技改投资同比增长126.6%。", 126.6, False),
    ("一般公共预算收入同比下降", "全国一般公共预算收入同比下降113.6%。", 113.6, True),
    ("年度任务完成率", "完成年度任务的135%。", 135.0, False),
    ("结案率", "结案率99.5%。", 99.5, False),
    ("", "其中网上办理占135%。", 135.0, True),
]


@pytest.mark.parametrize(("metric", "sentence", "value", "expected"), PERCENT_CASES)
def test_percentage_over_100_where_it_cannot_be(
    metric: str, sentence: str, value: float, expected: bool
) -> None:
    quote = f"{review.plain_number(value)}%"
    facts = frame(fact("p", metric=metric, sentence=sentence, value=value, unit="%", quote=quote))
    assert ("p" in flagged(facts, "percent_over_100")) is expected


# ---------------------------------------------------------------- year after the page's date

PERIOD_CASES = [
    # (period_year, published, sentence, kind, flagged?)
    (2021, "2020-06-21", "全省规模以上制造业技改项目5511个。", "flow", True),
    (2020, "2020-06-21", "全省规模以上制造业技改项目5511个。", "flow", False),
    (2019, "2020-06-21", "2019年，冠县引进项目20个。", "flow", False),
    (2025, "2023-02-10", "力争到2025年引进项目100个。", "flow", False),
    (2025, "2023-02-10", "引进项目100个。", "target", False),
    (2021, "", "引进项目100个。", "flow", False),  # undated page: nothing to compare with
]


@pytest.mark.parametrize(("year", "published", "sentence", "kind", "expected"), PERIOD_CASES)
def test_period_year_after_the_page(
    year: int, published: str, sentence: str, kind: str, expected: bool
) -> None:
    facts = frame(
        fact("y", period_year=year, period="", published=published, sentence=sentence, kind=kind)
    )
    assert ("y" in flagged(facts, "period_after_page")) is expected


# ---------------------------------------------------------------- place only guessed


@pytest.mark.parametrize(
    ("city", "county", "how", "expected"),
    [
        ("聊城市", "", "page", True),
        ("聊城市", "", "guess", True),
        ("聊城市", "冠县", "sentence", False),
        ("聊城市", "", "article", False),
        ("", "", "", True),
    ],
)
def test_place_only_guessed_from_the_page(city: str, county: str, how: str, expected: bool) -> None:
    facts = frame(fact("g", city=city, county=county, place_how=how))
    assert ("g" in flagged(facts, "place_guessed")) is expected


# ---------------------------------------------------------------- a label no one can read


@pytest.mark.parametrize(
    ("metric", "quote", "expected"),
    [
        ("东阿县", "三个", True),  # a place, not what is counted
        ("如今", "3天", True),  # a time word
        ("件", "800件", True),  # one character
        ("扩充至", "21个", True),  # a verb alone
        ("", "2个", True),
        ("其中", "6个", True),  # listed in review_checks.toml
        ("引进落地项目数", "17个", False),
        ("审批时限", "3日", False),
    ],
)
def test_a_weak_metric_label_goes_to_the_review_queue(metric: str, quote: str, expected: bool) -> None:
    facts = frame(fact("w", metric=metric, quote=quote))
    assert ("w" in flagged(facts, "weak_label")) is expected
    if expected:
        reason = review.run_checks(facts).query("check == 'weak_label'").reason_zh.iloc[0]
        assert quote in reason and "指标名称" in reason


# ---------------------------------------------------------------- the same figure twice


def _two_reports() -> pd.DataFrame:
    return frame(
        fact(
            "front",
            article_id="A1",
            title="5G+技改，山东工业“智变”再提速",
            city="山东省",
            metric="技改项目数",
            value=5511.0,
            quote="5511个",
            confidence=0.8,
        ),
        fact(
            "box",
            article_id="A2",
            title="数据显示",
            doc="001.txt",
            city="山东省",
            metric="技改项目数",
            value=5511.0,
            quote="5511个",
            confidence=0.95,
        ),
        fact(
            "other",
            article_id="A2",
            title="数据显示",
            city="山东省",
            metric="技改投资同比增速",
            value=4.8,
            unit="%",
            quote="4.8%",
        ),
    )


def test_same_figure_in_two_articles_is_one_group_counted_once_with_both_sources() -> None:
    facts = _two_reports()
    groups = review.duplicate_groups(facts)
    assert groups[0] == groups[1] != "" and groups[2] == ""
    assert flagged(facts, "duplicate") == {"front", "box"}
    totals = review.dedupe_for_totals(facts)
    assert len(totals) == 2
    kept = totals[totals.metric == "技改项目数"].iloc[0]
    assert kept.fact_id == "box"  # the more confident report
    assert kept.n_sources == 2
    assert "数据显示" in kept.sources and "智变" in kept.sources


def test_totals_leave_out_rejected_figures() -> None:
    facts = _two_reports()
    facts.loc[facts.fact_id == "box", "review_status"] = "rejected"
    totals = review.dedupe_for_totals(facts)
    assert set(totals.fact_id) == {"front", "other"}
    assert totals.set_index("fact_id").loc["front", "n_sources"] == 1


def test_different_years_are_different_figures() -> None:
    facts = frame(fact("a", period_year=2019), fact("b", article_id="A2", period_year=2020))
    assert set(review.duplicate_groups(facts)) == {""}


# ---------------------------------------------------------------- the queue


def test_queue_puts_flagged_and_unsure_figures_first_and_drops_reviewed_ones() -> None:
    facts = frame(
        fact(
            "sure",
            confidence=0.99,
            county="冠县",
            metric="授信户数",
            quote="16户",
            value=16.0,
            unit="户",
        ),
        fact(
            "unsure",
            confidence=0.4,
            county="莘县",
            metric="授信户数",
            quote="20户",
            value=20.0,
            unit="户",
        ),
        fact("wrong", confidence=0.9, metric="授信金额", quote="3478万元", value=3478.0, unit="元"),
        fact("done", confidence=0.3, county="阳谷县", metric="授信户数", review_status="accepted"),
    )
    checks = review.run_checks(facts)
    queue = review.review_queue(facts, checks)
    assert list(queue.fact_id) == ["wrong", "unsure", "sure"]
    assert queue.iloc[0].checks == "疑似差一万倍" and "3478万元" in queue.iloc[0].reasons
    assert queue.priority.is_monotonic_decreasing
    assert "done" in set(review.review_queue(facts, checks, include_reviewed=True).fact_id)


def test_rejected_figures_are_not_checked() -> None:
    facts = frame(fact("w", quote="3478万元", value=3478.0, unit="元", review_status="rejected"))
    assert review.run_checks(facts).empty


def test_every_reason_names_its_check_and_a_severity() -> None:
    facts = pd.concat(
        [
            _two_reports(),
            frame(
                fact(
                    "w",
                    quote="3478万元",
                    value=3478.0,
                    unit="元",
                    place_how="page",
                    period_year=2030,
                )
            ),
        ]
    )
    found = review.run_checks(facts)
    assert list(found.columns) == list(review.CHECK_COLUMNS)
    assert set(found.check) <= set(review.CHECK_LABELS)
    assert set(found.severity) <= set(review.load_rules().severity_weights)
    assert found.reason_zh.str.len().min() > 10


def test_rules_file_can_be_edited() -> None:
    text = (Path(review.__file__).parents[1] / "data" / "review_checks.toml").read_text(
        encoding="utf-8"
    )
    rules = review.parse_rules(text.replace('"完成", ', ""))
    facts = frame(
        fact(
            "p",
            metric="年度任务完成",
            sentence="完成年度任务的135%。",
            value=135.0,
            unit="%",
            quote="135%",
        )
    )
    edited = review.run_checks(facts, rules)
    assert edited.fact_id[edited.check == "percent_over_100"].tolist() == ["p"]
    assert "percent_over_100" not in set(review.run_checks(facts).check)


# ---------------------------------------------------------------- helpers for the page


@pytest.mark.parametrize(
    ("sentence", "quote", "article", "char_start", "expected"),
    [
        ("已授信专项抗疫贷16户金额3478万元。", "3478万元", "", None, (13, 19)),
        ("“这两台窑炉，两台都在转。", "两台", "前文。“这两台窑炉，两台都在转。", 10, (7, 9)),
        ("“这两台窑炉，两台都在转。", "两台", "", None, (2, 4)),
        ("没有这个数字。", "95万元", "", None, None),
    ],
)
def test_quote_span_in_its_sentence(sentence, quote, article, char_start, expected) -> None:
    assert review.quote_span(sentence, quote, article, char_start) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3478万", 34_780_000.0),
        ("3478万元", 34_780_000.0),
        ("1,200", 1200.0),
        (" 2.5亿 ", 2.5e8),
        ("26.6%", 26.6),
        ("abc", None),
        ("", None),
        ("万元", None),
    ],
)
def test_value_typed_by_a_reviewer(text: str, expected: float | None) -> None:
    assert review.parse_value_text(text) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (34_780_000.0, "元", "3478万元"),
        (2e12, "元", "20000亿元"),
        (120.0, "个", "120个"),
        (26.6, "%", "26.6%"),
        (20_560_000.0, "辆", "2056万辆"),
        (86349.0, "户", "86349户"),
        (150.0, "%", "150%"),
        (float("nan"), "个", "（无数值）"),
    ],
)
def test_format_value(value: float, unit: str, expected: str) -> None:
    assert review.format_value(value, unit) == expected


def test_audit_list_shows_extracted_beside_corrected_and_keeps_orphans() -> None:
    extracted = frame(fact("f1", value=3478.0, quote="3478万元", unit="元", metric="授信金额"))
    corrections = pd.DataFrame(
        [
            dict(
                correction_id="c1",
                fact_id="f1",
                field="value",
                old_value="3478.0",
                new_value="34780000",
                action="edit",
                who="张三",
                why="漏了万",
                at=pd.Timestamp("2024-01-02"),
                quote="3478万元",
                sentence="s",
            ),
            dict(
                correction_id="c2",
                fact_id="gone",
                field="status",
                old_value="",
                new_value="rejected",
                action="reject",
                who="李四",
                why="重复",
                at=pd.Timestamp("2024-01-01"),
                quote="95万元",
                sentence="t",
            ),
        ]
    )
    audit = review.audit_list(corrections, extracted)
    assert list(audit.correction_id) == ["c1", "c2"]
    first, second = audit.iloc[0], audit.iloc[1]
    assert (first.extracted, first.new_value, first.action, first.orphan) == (
        "3478",
        "34780000",
        "修改",
        False,
    )
    assert (second.action, second.orphan, second.quote) == ("判为错误", True, "95万元")


# ---------------------------------------------------------------- the seed store


@pytest.fixture(scope="module")
def seed_facts(seed_db) -> pd.DataFrame:
    con = store.open_reader(seed_db)
    try:
        return con.execute("SELECT * FROM facts_current").df()
    finally:
        con.close()


def test_checks_on_the_seed_store_name_real_figures(seed_facts: pd.DataFrame) -> None:
    assert len(seed_facts) > 0
    found = review.run_checks(seed_facts)
    assert set(found.fact_id) <= set(seed_facts.fact_id)
    assert not found.duplicated(["fact_id", "check"]).any()
    assert found.reason_zh.map(lambda r: r.endswith(("。", "）")) or "：" in r).all()


def test_seed_store_totals_count_each_repeated_figure_once(seed_facts: pd.DataFrame) -> None:
    totals = review.dedupe_for_totals(seed_facts)
    groups = review.duplicate_groups(seed_facts)
    repeated = groups[groups != ""]
    assert len(totals) == len(seed_facts) - len(repeated) + repeated.nunique()
    assert totals.fact_id.is_unique


def test_seed_store_queue_holds_every_unreviewed_figure_once(seed_facts: pd.DataFrame) -> None:
    queue = review.review_queue(seed_facts, review.run_checks(seed_facts))
    assert sorted(queue.fact_id) == sorted(seed_facts.fact_id)
    assert queue.priority.is_monotonic_decreasing


def test_an_empty_store_gives_an_empty_queue_and_no_checks() -> None:
    empty = frame(fact("x")).iloc[0:0]
    checks = review.run_checks(empty)
    assert checks.empty and list(checks.columns) == list(review.CHECK_COLUMNS)
    assert review.review_queue(empty, checks).empty
    assert review.dedupe_for_totals(empty).empty


# ---------------------------------------------------------------- sizes beyond any real report

SIZE_CASES = [
    # (row, flagged?)
    (dict(value=1e24, unit="元", quote="9999999999999999亿元", metric="投资"), True),  # 16 digits, rounded
    (dict(value=1e20, unit="%", quote="99999999999999999999%", metric="增速"), True),
    (dict(value=5e6, unit="%", quote="5000000%", metric="增速"), True),  # beyond a hundred-fold rise
    (dict(value=2e15, unit="元", quote="2000万亿元", metric="投资"), True),
    (dict(value=2.1563e11, unit="元", quote="2156.3亿元", metric="投资"), False),
    (dict(value=150.0, unit="%", quote="150%", metric="增速"), False),
    (dict(value=123456789012345.0, unit="元", quote="123456789012345元", metric="投资"), False),  # 15 digits
]


@pytest.mark.parametrize(("row", "expected"), SIZE_CASES)
def test_a_figure_larger_than_any_report_or_longer_than_a_float_is_flagged(row, expected):
    assert ("f" in flagged(frame(fact("f", **row)), "implausible_size")) is expected


@pytest.mark.parametrize(("quote", "digits"), [("3,478.50万元", 6), ("9999999999999999亿元", 16),
                                               ("1200000人", 2), ("0.05%", 1), ("35-48吨", 2)])
def test_significant_digits(quote, digits):
    assert review.significant_digits(quote) == digits


@pytest.mark.parametrize(("year", "published", "expected"), [
    (None, "", True),  # an undated page: the figure's year stays empty and is queued
    (None, "2020-06-21", False),  # a dated page gives its figures a year; a blank one is someone's edit
    (2019, "", False),  # the sentence said 2019年
])
def test_a_figure_without_a_year_on_an_undated_page_is_queued(year, published, expected) -> None:
    facts = frame(fact("n", period_year=year, published=published))
    assert ("n" in flagged(facts, "year_unknown")) is expected


def test_a_citys_figures_are_judged_the_same_with_only_what_they_are_compared_with(seed_db):
    """Over a large store the queue is worked out per chosen city (``facts_to_check``): every check
    of 聊城市's figures (its counties above it, cumulative falls, duplicates …) is what the whole
    store gives them, and the scope holds no other city's figure."""
    con = store.open_reader(seed_db)
    try:
        everything = review.facts_to_check(con)
        scoped = review.facts_to_check(con, ["聊城市"])
    finally:
        con.close()
    assert 0 < len(scoped) < len(everything)
    assert not set(scoped.city) & {"济南市", "淄博市", "德州市"}
    ours = set(everything.fact_id[everything.city == "聊城市"])
    whole = review.run_checks(everything)
    alone = review.run_checks(scoped)
    expected = whole[whole.fact_id.isin(ours)].sort_values(["fact_id", "check"]).reset_index(drop=True)
    found = alone[alone.fact_id.isin(ours)].sort_values(["fact_id", "check"]).reset_index(drop=True)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(found, expected)
