"""Plausibility checks over the figures, the 校对 queue, and counting repeated figures once.

Rules will sometimes be wrong; an official must still be able to put a chart in a report.
So every figure is checked against the others (a county larger than its city, a cumulative
figure that falls, a money value 10,000× off, a share over 100%, a year after the page's date,
a place only guessed, the same figure in several articles) and each suspicion carries a reason
a person understands. The checks and the loaders' own confidence make one review priority.

This module holds the rules (``review_checks.toml``), what of a figure's text only Python reads
well, and the wording of each reason; ``flags`` runs the checks as queries, over the store when a
snapshot is published and over a frame here. Everything public is a pure function over a frame
with the columns of the store's ``facts_current`` view (missing optional columns are blank), e.g.::

    >>> checks = run_checks(facts)
    >>> checks.iloc[0].reason_zh
    '冠县的「技改项目数」为120个，大于聊城市同期（2020年1-5月）的100个：下级地区的数字不应超过其上级'
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import duckdb
import pandas as pd

from loaders import labels, places
from loaders.records import stable_id

CHECK_COLUMNS: tuple[str, ...] = ("fact_id", "check", "reason_zh", "severity")

CHECK_LABELS: dict[str, str] = {
    "county_exceeds_city": "下级大于上级",
    "cumulative_falls": "累计数下降",
    "wan_scale": "疑似差一万倍",
    "percent_over_100": "百分比超过100",
    "period_after_page": "年份晚于版面日期",
    "place_guessed": "地点系推定",
    "duplicate": "多处报道同一数字",
    "year_unknown": "年份不明",
    "weak_label": "指标名称待定",
    "implausible_size": "数值大得不合常理",
}

SEVERITY_LABELS: dict[str, str] = {"high": "高", "medium": "中", "low": "低", "info": "提示"}

EDITABLE_FIELDS: tuple[str, ...] = ("city", "county", "initiative", "metric", "value", "unit", "period",
                                    "period_year")

FIELD_LABELS: dict[str, str] = {
    "city": "市", "county": "县（区）", "initiative": "攻坚方向", "metric": "指标", "value": "数值",
    "unit": "单位", "period": "时期", "period_year": "年份", "status": "状态",
}

_TEXT_COLUMNS = ("fact_id", "article_id", "doc", "city", "county", "initiative", "metric", "unit", "approx",
                 "period", "quote", "sentence", "tier", "kind", "place_how", "title", "published", "source",
                 "review_status")

MULTIPLIERS = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6, "十万": 1e5,
                "万": 1e4, "千": 1e3}
_MULT_RE = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
QUOTE_NUMBER = re.compile(
    rf"(\d+(?:\.\d+)?)(?:\s*[-—～~至到]\s*\d+(?:\.\d+)?)?\s*(?:多|余|来|几)?\s*({_MULT_RE})?")
# How near a power of 10,000 (in log10) a value must sit to its quote (3478 for 3478万: -4.0), and a
# money value to its peers' median (a county's 5000亿元 among 5000万元s: +4.0), to be flagged.
WAN_QUOTE_TOLERANCE = 0.3
WAN_PEER_TOLERANCE = 0.7
_VALUE_TEXT = re.compile(rf"^([+-]?\d+(?:\.\d+)?)\s*({_MULT_RE})?\s*\S*$")
_NO_YEAR = -1


@dataclass(frozen=True)
class ReviewRules:
    """The words and weights of ``loaders/data/review_checks.toml``."""

    severity_weights: dict[str, float]
    rate_units: frozenset[str]
    money_units: frozenset[str]
    may_exceed_100: tuple[str, ...]
    never_over_100: tuple[str, ...]
    cumulative_words: tuple[str, ...]
    target_words: tuple[str, ...]
    guessed_place: frozenset[str]
    province_names: frozenset[str]
    weak_label_severity: str = "medium"
    not_labels: frozenset[str] = frozenset()
    size_limits: dict[str, float] = field(default_factory=dict)


def parse_rules(text: str) -> ReviewRules:
    """Rules from TOML text (separate from loading so tests can feed an edited copy)."""
    data = tomllib.loads(text)
    return ReviewRules(
        severity_weights={k: float(v) for k, v in data["severity_weights"].items()},
        rate_units=frozenset(data["units"]["rates"]),
        money_units=frozenset(data["units"]["money"]),
        may_exceed_100=tuple(data["percent"]["may_exceed_100"]),
        never_over_100=tuple(data["percent"]["never_over_100"]),
        cumulative_words=tuple(data["cumulative"]["words"]),
        target_words=tuple(data["target"]["words"]),
        guessed_place=frozenset(data["place"]["guessed"]),
        province_names=frozenset(data["province"]["names"]),
        weak_label_severity=data.get("weak_label", {}).get("severity", "medium"),
        not_labels=frozenset(data.get("weak_label", {}).get("not_labels", ())),
        size_limits={k: float(v) for k, v in data.get("size", {}).items()},
    )


@cache
def load_rules() -> ReviewRules:
    """The shipped rules, read once."""
    text = resources.files("loaders").joinpath("data/review_checks.toml").read_text(encoding="utf-8")
    return parse_rules(text)


# ---------------------------------------------------------------- formatting for the reasons

def format_value(value: float | None, unit: str) -> str:
    """A value as an official would write it: money in 万元/亿元, millions in 万, no ``.0``.

    ``format_value(34_780_000.0, "元")`` → ``"3478万元"``; ``format_value(120.0, "个")`` → ``"120个"``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "（无数值）"
    if unit == "元" and abs(value) >= 1e8:
        return f"{plain_number(value / 1e8)}亿元"
    if unit == "元" and abs(value) >= 1e4:
        return f"{plain_number(value / 1e4)}万元"
    if unit not in ("%", "百分点", "倍") and abs(value) >= 1e6:
        return f"{plain_number(value / 1e4)}万{unit}"
    return f"{plain_number(value)}{unit}"


def plain_number(x: float) -> str:
    """``3478.0`` → ``"3478"``, ``123456.789`` → ``"123456.789"``: no ``.0``, no exponent for figures."""
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.12g}"


def _place(row) -> str:
    return row.county or row.city or "（地点不明）"


def _period_label(row) -> str:
    year = row.period_year
    period = row.period
    if year == _NO_YEAR:
        return period or "时期不明"
    if re.search(r"\d{4}", period):
        return period
    return f"{year}年{period}"


def _published_year(published: str) -> int:
    m = re.match(r"(\d{4})", published or "")
    return int(m.group(1)) if m else _NO_YEAR


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


# ---------------------------------------------------------------- preparing the frame

def prepare(facts: pd.DataFrame) -> pd.DataFrame:
    """A copy with every column the checks read, blanks instead of nulls, ``period_year`` as int.

    A missing ``period_year`` becomes -1 so that it can be grouped on; ``confidence`` defaults to 0.5.
    """
    df = facts.reset_index(drop=True)
    for col in _TEXT_COLUMNS:
        if col not in df.columns:
            df[col] = ""
        # Plain Python strings: the checks walk rows, and walking Arrow-backed text (DuckDB's .df())
        # cost 30 of 84 s over 200,000 figures, element by element.
        df[col] = df[col].fillna("").astype(str).astype(object)
    df["value"] = pd.to_numeric(df.get("value", pd.Series(float("nan"), index=df.index)), errors="coerce")
    df["range_hi"] = pd.to_numeric(df.get("range_hi", pd.Series(float("nan"), index=df.index)),
                                   errors="coerce")
    years = pd.to_numeric(df.get("period_year", pd.Series(float("nan"), index=df.index)), errors="coerce")
    df["period_year"] = years.fillna(_NO_YEAR).astype(int)
    conf = pd.to_numeric(df.get("confidence", pd.Series(float("nan"), index=df.index)), errors="coerce")
    df["confidence"] = conf.fillna(0.5).clip(0.0, 1.0)
    return df


def _empty_checks() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=str) for c in CHECK_COLUMNS})


# ---------------------------------------------------------------- what the checks read in Python

def is_shandong_city(name: str) -> bool:
    """A prefecture-level city of the province (杭州市 is a city too, but not a part of 山东省)."""
    place = places.resolve_place(name)
    return place is not None and place.level == "city" and place.province == "山东省"


def as_of_date(period_year: int, period: str, published: str) -> int | None:
    """The date a cumulative figure stands at, as yyyymmdd, or None when it cannot be told.

    ``(2020, "截至3月20日", "2020-03-25")`` → 20200320; ``(2020, "1-5月", "")`` → 20200531.
    """
    pub_year = _published_year(published)
    year = period_year if period_year != _NO_YEAR else pub_year
    if year == _NO_YEAR:
        return None
    m = re.search(r"截至(\d{1,2})月(?:(\d{1,2})日)?", period)
    if m:
        return year * 10000 + int(m.group(1)) * 100 + int(m.group(2) or 31)
    m = re.search(r"(\d{1,2})\s*[-—～~至到]\s*(\d{1,2})月", period) or re.search(r"前(\d{1,2})个?月", period)
    if m:
        return year * 10000 + int(m.groups()[-1]) * 100 + 31
    for words, month in ((("一季度", "第一季度"), 3), (("上半年", "二季度", "第二季度"), 6),
                         (("前三季度", "三季度", "第三季度"), 9), (("全年", "年底", "年末", "四季度"), 12)):
        if _has_any(period, words):
            return year * 10000 + month * 100 + 31
    m = re.search(r"(\d{1,2})月", period)
    if m:
        return year * 10000 + int(m.group(1)) * 100 + 31
    m = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?", published or "")
    if m and int(m.group(1)) == year:
        return year * 10000 + int(m.group(2)) * 100 + int(m.group(3) or 31)
    if year < pub_year:
        return year * 10000 + 1231
    return None


def quote_value_ratio(quote: str, value: float) -> float | None:
    """How far ``value`` is from what the quote says, as value ÷ quoted value (None if not readable).

    ``quote_value_ratio("3478万元", 3478.0)`` → 0.0001 (the 万 was lost). The check asks the same
    of every figure in SQL (``flags.wan_scale``); this is the rule in words, and the reason's source.
    """
    if value is None or math.isnan(value) or value <= 0:
        return None
    m = QUOTE_NUMBER.search(quote.replace(",", "").replace("，", ""))
    if not m:
        return None
    quoted = float(m.group(1)) * MULTIPLIERS.get(m.group(2) or "", 1.0)
    return value / quoted if quoted > 0 else None


def label_weakness(metric: str, rules: ReviewRules) -> str:
    """Why a metric label cannot stand as a name (a key of ``_WEAKNESS_ZH``), or "" when it can."""
    if not metric:
        return "empty"
    return "listed" if metric in rules.not_labels else (labels.weakness(metric) or "")


_WEAKNESS_ZH = {
    "short": "不足两个字",
    "place": "是一个地名",
    "time": "是一个时间词",
    "no_noun": "没有说明统计的是什么（缺少名词）",
    "listed": "不是指标名称",
    "empty": "为空",
}

_SIZE_KIND_ZH = {"money": "金额", "rate": "比率", "other": "数量"}

_SIGNIFICANT = re.compile(r"\d[\d,]*(?:\.\d+)?")


def significant_digits(quote: str) -> int:
    """The most significant digits of any number written in ``quote`` (``"3,478.50万元"`` → 6)."""
    most = 0
    for m in _SIGNIFICANT.finditer(quote or ""):
        digits = m.group(0).replace(",", "").replace(".", "").lstrip("0")
        most = max(most, len(digits.rstrip("0")) if "." not in m.group(0) else len(digits))
    return most


def duplicate_groups(facts: pd.DataFrame) -> pd.Series:
    """For each row, the id of the group of rows reporting the same figure ("" when it stands alone).

    Same figure = same city, county, metric (or quote when no metric), unit, value and year:
    聊城 reporting its 技改投资 on page one and again in a county's article is one figure.
    """
    df = prepare(facts)
    if df.empty:
        return pd.Series("", index=facts.index, dtype=object, name="duplicate_group")
    label = df.metric.where(df.metric != "", df.quote)
    sep = "\x1f"
    key = (df.city + sep + df.county + sep + label + sep + df.unit + sep + df.value.round(6).astype(str)
           + sep + df.period_year.astype(str))
    sizes = key.map(key.value_counts())
    repeated = df.value.notna() & (label != "") & (sizes > 1)
    names = {k: "dup-" + stable_id(k, length=12) for k in key[repeated].unique()}
    ids = key.map(names).where(repeated, "")
    return ids.set_axis(facts.index).rename("duplicate_group")


# ---------------------------------------------------------------- each suspicion's reason

_WAN_POWER_ZH = {1: "是原文的1万倍：可能多乘了“万”", 2: "是原文的1亿倍：可能多乘了“亿”",
                 -1: "只有原文的万分之一：可能漏乘了“万”"}


def reason(flag, fact, other=None) -> str:
    """The reason an official reads for one flag (``flags.FLAG_COLUMNS``) of ``fact`` (a prepared
    row); ``other`` is the figure it names (``flag.other_id``: an earlier figure, a duplicate's first).

    Written only for the figures on screen: a million figures' reasons are never all read.
    """
    check = flag.check
    if check == "county_exceeds_city":
        return (f"{_place(fact)}的「{fact.metric}」为{format_value(fact.value, fact.unit)}，"
                f"大于{flag.note}同期（{_period_label(fact)}）的{format_value(flag.number, fact.unit)}："
                "下级地区的数字不应超过其上级")
    if check == "cumulative_falls":
        return (f"{_place(fact)}的「{fact.metric}」在{_period_label(fact)}为"
                f"{format_value(fact.value, fact.unit)}，少于更早的{_period_label(other)}已报的"
                f"{format_value(other.value, other.unit)}（{other.title or other.doc}）："
                "累计数不应随时间减少")
    if check == "wan_scale" and flag.note == "quote":
        how = _WAN_POWER_ZH.get(int(flag.count), "只有原文的亿分之一：可能漏乘了“亿”")
        return f"原文写作「{fact.quote}」，但数值记为{format_value(fact.value, fact.unit)}，{how}"
    if check == "wan_scale":
        above = math.log10(fact.value) > flag.number
        how = "约1万倍：可能把“万元”当成了“元”" if above else "约万分之一：可能漏了“万”"
        return (f"「{fact.metric}」{format_value(fact.value, fact.unit)}是其他{int(flag.count)}处同级同类数字"
                f"（中位数约{format_value(10 ** flag.number, fact.unit)}）的{how}")
    if check == "percent_over_100":
        why = "下降或减少的幅度不可能超过100%" if flag.note == "fall" else "占比、比率类数字不可能超过100%"
        return f"「{fact.metric or fact.quote}」为{plain_number(flag.number)}%：{why}；请核对数值或指标"
    if check == "period_after_page":
        return (f"数字所指的年份{fact.period_year}年晚于版面日期{fact.published}：报纸不会报道未来的实绩，"
                f"可能是年份识别错了")
    if check == "place_guessed":
        if flag.note == "nowhere":
            return "没有识别出这个数字属于哪个地方：请补上市、县"
        return f"原句没有写明地点，“{fact.county or fact.city}”只是按版面所在城市推定的：请核对市、县"
    if check == "duplicate":
        first = other if other is not None else fact
        where = f"在{int(flag.number)}篇文章中" if flag.number > 1 else "在同一篇文章中"
        figure = f"{_place(first)}「{first.metric or first.quote}」{format_value(first.value, first.unit)}"
        return (f"同一数字（{figure}）"
                f"{where}出现了{int(flag.count)}次，合计时只算一次。来源：{flag.note}")
    if check == "year_unknown":
        return ("版面没有日期，原文也没写年份，这个数字的年份空着：请填写年份，"
                "或在「导入」页填上版面日期后重新导入")
    if check == "weak_label":
        return (f"「{fact.quote}」的指标名称「{fact.metric}」{_WEAKNESS_ZH[flag.note]}："
                "请按原文写明统计的是什么"
                "（如“技改项目数”“脱贫人口”）")
    if check == "implausible_size":
        if flag.note == "digits":
            return (f"「{fact.quote}」有{int(flag.count)}位有效数字，超过能精确保存的{int(flag.number)}位："
                    "数值已被近似，请核对原文")
        return (f"「{fact.metric or fact.quote}」为{format_value(fact.value, fact.unit)}："
                f"{_SIZE_KIND_ZH[flag.note]}大得不合常理（上限 {format_value(flag.number, fact.unit)}），"
                "请核对原文")
    return CHECK_LABELS.get(check, check)


def reasons(found: pd.DataFrame, facts: pd.DataFrame) -> list[str]:
    """``reason`` of every flag in ``found``, the figures (and those they name) read from ``facts``
    (``prepare``'d, one row per fact_id)."""
    rows = {r.fact_id: r for r in facts.itertuples(index=False)}
    return [reason(flag, rows[flag.fact_id], rows.get(flag.other_id) if isinstance(flag.other_id, str)
                   else None) for flag in found.itertuples(index=False)]


# ---------------------------------------------------------------- running the checks

# The figures a city's checks need (see ``facts_to_check``), as a condition with the cities bound.
SCOPE_SQL = """list_contains(?, city) OR coalesce(city, '') IN ('', '全国', '中国')
           OR city = province OR city LIKE '%省' OR city LIKE '%自治区'
           OR fact_id IN (SELECT fact_id FROM corrections)"""


def facts_to_check(con, cities: Sequence[str] | None = None) -> pd.DataFrame:
    """The figures (``facts_current``) the checks need to judge those of ``cities``; all when None.

    A figure is compared with others of its place (a cumulative fall, a duplicate) and with its
    parent level (a county above its city, a city above the province), so a city's figures come
    with its counties', the province's and the nation's; and every figure a reviewer touched, as
    the audit lists them. ``facts_to_check(con, ["聊城市"])`` -> 聊城市's, its counties', 山东省's ….
    """
    cursor = con.cursor() if hasattr(con, "cursor") else con
    # Oldest first, so a duplicate's sources read in the order they were printed, every time.
    order = " ORDER BY published_date NULLS FIRST, fact_id"
    if cities is None:
        return cursor.execute("SELECT * FROM facts_current" + order).df()
    return cursor.execute(f"SELECT * FROM facts_current WHERE {SCOPE_SQL}" + order, [list(cities)]).df()


def run_checks(facts: pd.DataFrame, rules: ReviewRules | None = None) -> pd.DataFrame:
    """Every suspicion about every figure: (fact_id, check, reason_zh, severity), one row per check.

    Rejected figures are not checked: they no longer count anywhere. The checks are the store's
    (``flags``), run over this frame; every reason is written.
    """
    from loaders.storage import flags  # the queries import this module's rules and wording

    df = prepare(facts)
    df = df[df.review_status != "rejected"].reset_index(drop=True)
    if df.empty:
        return _empty_checks()
    found = flags.for_frame(df, rules)
    if found.empty:
        return _empty_checks()
    return pd.DataFrame({"fact_id": found.fact_id.to_numpy(), "check": found.check.to_numpy(),
                         "reason_zh": reasons(found, df), "severity": found.severity.to_numpy()})


# ---------------------------------------------------------------- queue and totals

def review_queue(facts: pd.DataFrame, checks: pd.DataFrame, include_reviewed: bool = False,
                 rules: ReviewRules | None = None) -> pd.DataFrame:
    """Figures in the order a reviewer should look at them, most doubtful first.

    priority = sum of the checks' severity weights + 2 × (1 − confidence), so a figure the loaders
    were unsure of and that a check flags comes before one that is only unsure. Figures already
    accepted, corrected or rejected leave the queue unless ``include_reviewed``.
    Added columns: priority, n_checks, checks (Chinese labels), reasons, severity (the highest).
    The order is the store's (``flags.queue_sql``), asked of these frames.
    """
    from loaders.storage import flags

    df = prepare(facts)
    con = duckdb.connect()
    try:
        con.register("queue_facts", df)
        con.register("queue_flags", checks)
        where = "" if include_reviewed else "f.review_status = ''"
        per_fact = f"({flags.per_fact_sql('queue_flags', rules, with_reasons=True)})"
        out = con.execute(flags.queue_sql("queue_facts", per_fact, where=where, with_reasons=True)).df()
    finally:
        con.close()
    out["period_year"] = out.period_year.where(out.period_year != _NO_YEAR)
    return out


def dedupe_for_totals(facts: pd.DataFrame) -> pd.DataFrame:
    """The figures to sum: rejected ones dropped, each repeated figure kept once with all its sources.

    The kept row is the most confident one (then the earliest published). Added columns:
    ``duplicate_group`` ("" for a figure reported once), ``n_sources`` (articles reporting it) and
    ``sources`` (their titles, ；-separated) so a total can still show where each figure came from.
    """
    df = facts.reset_index(drop=True)
    if "review_status" in df.columns:
        df = df[df.review_status.fillna("") != "rejected"].reset_index(drop=True)
    df["duplicate_group"] = duplicate_groups(df)
    key = df.duplicate_group.where(df.duplicate_group != "", df.fact_id.astype(str))
    titles = (df.get("title", pd.Series("", index=df.index)).fillna("").astype(str))
    docs = df.get("doc", pd.Series("", index=df.index)).fillna("").astype(str)
    label = titles.where(titles != "", docs)
    articles = df.get("article_id", df.fact_id).fillna("").astype(str)
    df["n_sources"] = key.map(articles.groupby(key).nunique())
    df["sources"] = key.map(label.groupby(key).agg(lambda s: "；".join(dict.fromkeys(x for x in s if x))))
    sort_cols = [c for c in ("confidence", "published", "fact_id") if c in df.columns]
    ascending = [c != "confidence" for c in sort_cols]
    df = df.assign(_key=key).sort_values(sort_cols, ascending=ascending, na_position="last")
    return df.drop_duplicates("_key").drop(columns="_key").sort_index()


# ---------------------------------------------------------------- helpers for the 校对 page

def quote_span(sentence: str, quote: str, article_text: str = "",
               char_start: int | None = None) -> tuple[int, int] | None:
    """Where the figure sits in its sentence, so a page can highlight it; None if it is not there.

    When the quote occurs twice, the figure's offset in the article (``char_start`` into
    ``article_text``) picks the right one. ``quote_span("完成技改投资3478万元。", "3478万元")`` → (6, 12).
    """
    if not quote or quote not in sentence:
        return None
    starts = [m.start() for m in re.finditer(re.escape(quote), sentence)]
    at = starts[0]
    if len(starts) > 1 and article_text and char_start is not None:
        lo = max(0, char_start - len(sentence))
        offset = article_text.find(sentence, lo)
        if 0 <= offset <= char_start:
            at = min(starts, key=lambda s: abs(s - (char_start - offset)))
    return at, at + len(quote)


def parse_value_text(text: str) -> float | None:
    """A value typed by a reviewer: ``"3478万"`` or ``"3478万元"`` → 34_780_000.0; ``"1,200"`` → 1200.0.

    None when the text is not a number (the page then says so in Chinese).
    """
    cleaned = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    m = _VALUE_TEXT.match(cleaned)
    if not m:
        return None
    return float(m.group(1)) * MULTIPLIERS.get(m.group(2) or "", 1.0)


AUDIT_HEADERS: dict[str, str] = {
    "at": "时间", "who": "校对人", "action": "动作", "field": "字段", "extracted": "提取值",
    "old_value": "改前", "new_value": "改后", "why": "原因", "city": "市（提取）", "county": "县（提取）",
    "metric": "指标（提取）",
    "quote": "原文数字", "sentence": "原句", "title": "文章", "doc": "版面文件", "fact_id": "数字编号",
    "orphan": "数字已不存在", "correction_id": "校对编号",
}

ACTION_LABELS: dict[str, str] = {"edit": "修改", "accept": "确认无误", "reject": "判为错误"}


def audit_list(corrections: pd.DataFrame, extracted: pd.DataFrame) -> pd.DataFrame:
    """Every correction beside what the loaders extracted for that field (newest first).

    ``extracted`` is the raw ``facts`` table (no corrections applied); a correction whose figure is
    no longer there after re-extraction is kept and marked ``orphan``.
    """
    cols = ["correction_id", "at", "who", "action", "field", "old_value", "new_value", "why", "fact_id",
            "quote", "sentence"]
    c = corrections.reindex(columns=cols).copy()
    context = ["fact_id", "city", "county", "metric", "doc", "title", *EDITABLE_FIELDS]
    e = extracted.reindex(columns=list(dict.fromkeys(context))).drop_duplicates("fact_id")
    merged = c.merge(e, on="fact_id", how="left", suffixes=("", "_x"), indicator=True)
    merged["orphan"] = merged.pop("_merge") == "left_only"

    def _extracted(row) -> str:
        if row.orphan or row.field not in EDITABLE_FIELDS:
            return "" if pd.isna(row.old_value) else str(row.old_value)
        v = row[row.field]
        if pd.isna(v):
            return ""
        return plain_number(float(v)) if row.field in ("value", "period_year") else str(v)

    merged["extracted"] = [_extracted(r) for _, r in merged.iterrows()] if len(merged) else []
    merged["action"] = merged.action.map(lambda a: ACTION_LABELS.get(a, a))
    merged["field"] = merged.field.map(lambda f: FIELD_LABELS.get(f, f))
    keep = [k for k in AUDIT_HEADERS if k in merged.columns]
    return merged[keep].sort_values("at", ascending=False, na_position="last").reset_index(drop=True)
