"""Plausibility checks over the figures, the 校对 queue, and counting repeated figures once.

Rules will sometimes be wrong; an official must still be able to put a chart in a report.
So every figure is checked against the others (a county larger than its city, a cumulative
figure that falls, a money value 10,000× off, a share over 100%, a year after the page's date,
a place only guessed, the same figure in several articles) and each suspicion carries a reason
a person understands. The checks and the loaders' own confidence make one review priority.

Everything here is a pure function over a frame with the columns of the store's
``facts_current`` view (missing optional columns are filled with blanks), e.g.::

    >>> checks = run_checks(facts)
    >>> checks.iloc[0].reason_zh
    '冠县的「技改项目数」为120个，大于聊城市同期（2020年1-5月）的100个：下级地区的数字不应超过其上级'
"""

from __future__ import annotations

import math
import re
import statistics
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

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

_MULTIPLIERS = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6, "十万": 1e5,
                "万": 1e4, "千": 1e3}
_MULT_RE = "|".join(sorted(_MULTIPLIERS, key=len, reverse=True))
_QUOTE_NUMBER = re.compile(
    rf"(\d+(?:\.\d+)?)(?:\s*[-—～~至到]\s*\d+(?:\.\d+)?)?\s*(?:多|余|来|几)?\s*({_MULT_RE})?")
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


def _checks_frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    if not rows:
        return _empty_checks()
    return pd.DataFrame(rows, columns=list(CHECK_COLUMNS))


# ---------------------------------------------------------------- the checks

def _is_shandong_city(name: str) -> bool:
    """A prefecture-level city of the province (杭州市 is a city too, but not a part of 山东省)."""
    place = places.resolve_place(name)
    return place is not None and place.level == "city" and place.province == "山东省"


def check_county_exceeds_city(df: pd.DataFrame, rules: ReviewRules) -> pd.DataFrame:
    """A county's figure above its city's (or a city's above the province's), same metric and period.

    Rates are skipped: a county may grow faster than its city.
    """
    ok = (df.metric != "") & df.value.notna() & ~df.unit.isin(rules.rate_units) & (df.kind != "target")
    base = df[ok].assign(period_key=df.period.str.replace("份", "", regex=False).str.strip())
    is_province = base.city.isin(rules.province_names)
    is_city = (base.county == "") & (base.city != "") & ~is_province & (base.city != "全国")
    shandong = {c for c in base.city[is_city].unique() if _is_shandong_city(c)}
    children = pd.concat([
        base[base.county != ""].assign(parent_key="city:" + base.city),
        base[is_city & base.city.isin(shandong)].assign(parent_key="province:山东省"),
    ])
    parents = pd.concat([
        base[is_city].assign(parent_key="city:" + base.city),
        base[is_province & (base.county == "")].assign(parent_key="province:山东省"),
    ])
    keys = ["parent_key", "metric", "unit", "period_year", "period_key"]
    smallest = parents.sort_values("value").drop_duplicates(keys)[[*keys, "value", "city"]]
    pairs = children.merge(smallest, on=keys, suffixes=("", "_p"))
    pairs = pairs[pairs.value > pairs.value_p]
    rows = []
    for r in pairs.itertuples(index=False):
        parent = r.city_p
        rows.append((r.fact_id, "county_exceeds_city",
                     f"{_place(r)}的「{r.metric}」为{format_value(r.value, r.unit)}，大于{parent}同期"
                     f"（{_period_label(r)}）的{format_value(r.value_p, r.unit)}："
                     "下级地区的数字不应超过其上级",
                     "high"))
    return _checks_frame(rows)


def _as_of(period_year: int, period: str, published: str) -> int | None:
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


def check_cumulative_falls(df: pd.DataFrame, rules: ReviewRules) -> pd.DataFrame:
    """A cumulative figure (累计, 截至…, 今年以来, a stock) lower than one reported for an earlier date.

    Year-to-date figures are compared within their year; stocks (kind "stock") across years too.
    """
    text = df.metric + " " + df.period
    cumulative = (df.kind == "stock") | text.map(lambda t: _has_any(t, rules.cumulative_words)).astype(bool)
    ok = cumulative & (df.metric != "") & df.value.notna() & ~df.unit.isin(rules.rate_units)
    base = df[ok].copy()
    base["as_of"] = [_as_of(y, p, pub) for y, p, pub in zip(base.period_year, base.period, base.published,
                                                           strict=True)]
    base = base[base.as_of.notna()]
    # One walk per place and metric in date order, keeping the largest figure reported so far per
    # year (and, for stocks, over all years): linear in the figures where comparing each with
    # every earlier one took minutes over a million.
    ordered = base.sort_values(["city", "county", "metric", "unit", "as_of"], kind="stable")
    rows = []
    group = None
    for position, later in enumerate(ordered.itertuples(index=False)):
        key = (later.city, later.county, later.metric, later.unit)
        if key != group:
            group, pending, day = key, [], None
            # (value, -position, row): the largest, and of equal ones the first reported.
            by_year: dict[int, tuple] = {}
            stocks: tuple | None = None
        if later.as_of != day:  # the figures of earlier dates become comparable
            for mark in pending:
                year = mark[2].as_of // 10000
                if year not in by_year or mark[:2] > by_year[year][:2]:
                    by_year[year] = mark
                if mark[2].kind == "stock" and (stocks is None or mark[:2] > stocks[:2]):
                    stocks = mark
            pending, day = [], later.as_of
        pending.append((later.value, -position, later))
        candidates = [by_year.get(later.as_of // 10000), stocks if later.kind == "stock" else None]
        found = [c for c in candidates if c is not None and c[0] > later.value * 1.01]
        if not found:
            continue
        top = max(found, key=lambda c: c[:2])[2]
        rows.append((later.fact_id, "cumulative_falls",
                     f"{_place(later)}的「{later.metric}」在{_period_label(later)}为"
                     f"{format_value(later.value, later.unit)}，少于更早的{_period_label(top)}已报的"
                     f"{format_value(top.value, top.unit)}（{top.title or top.doc}）："
                     "累计数不应随时间减少",
                     "high"))
    return _checks_frame(rows)


def quote_value_ratio(quote: str, value: float) -> float | None:
    """How far ``value`` is from what the quote says, as value ÷ quoted value (None if not readable).

    ``quote_value_ratio("3478万元", 3478.0)`` → 0.0001 (the 万 was lost).
    """
    if value is None or math.isnan(value) or value <= 0:
        return None
    m = _QUOTE_NUMBER.search(quote.replace(",", "").replace("，", ""))
    if not m:
        return None
    quoted = float(m.group(1)) * _MULTIPLIERS.get(m.group(2) or "", 1.0)
    return value / quoted if quoted > 0 else None


def _near_power_of_wan(ratio: float, tolerance: float) -> bool:
    k = math.log10(ratio)
    return abs(k) >= 4 - tolerance and abs(k - 4 * round(k / 4)) <= tolerance


def _level(row_city: str, row_county: str, rules: ReviewRules) -> str:
    if row_county:
        return "county"
    return "province" if row_city in rules.province_names or row_city == "全国" else "city"


def check_wan_scale(df: pd.DataFrame, rules: ReviewRules) -> pd.DataFrame:
    """A value 10,000× (or 1/10,000) off: against its own quote, or for money against the same metric.

    ``3478万元`` stored as 3478 disagrees with its quote; a county's 授信金额 of 5000亿元 among
    others of about 5000万元 is 10,000× its peers.
    """
    rows = []
    quoted = df[df.value.notna() & df.quote.str.contains(r"\d", regex=True)]
    pairs = list(zip(quoted.quote, quoted.value, strict=True))
    ratios = {pair: quote_value_ratio(*pair) for pair in set(pairs)}
    off = [r is not None and _near_power_of_wan(r, 0.3) for r in (ratios[p] for p in pairs)]
    for r in quoted[off].itertuples(index=False):
        power = round(math.log10(ratios[(r.quote, r.value)]) / 4)
        how = {1: "是原文的1万倍：可能多乘了“万”", 2: "是原文的1亿倍：可能多乘了“亿”",
               -1: "只有原文的万分之一：可能漏乘了“万”"}.get(power, "只有原文的亿分之一：可能漏乘了“亿”")
        rows.append((r.fact_id, "wan_scale",
                     f"原文写作「{r.quote}」，但数值记为{format_value(r.value, r.unit)}，{how}", "high"))
    money = df[df.unit.isin(rules.money_units) & (df.metric != "") & (df.value > 0)].copy()
    money["level"] = [_level(c, k, rules) for c, k in zip(money.city, money.county, strict=True)]
    money["log"] = money.value.map(math.log10)
    money["peers"] = float("nan")
    money["n_others"] = 0
    for _, at in money.groupby(["metric", "level"], sort=False).indices.items():
        if len(at) < 2:
            continue
        logs = money.log.iloc[at].tolist()
        if len(logs) < 8:
            # Leave the figure itself out where it could sway the median; in a big group it cannot.
            medians = [statistics.median(logs[:i] + logs[i + 1:]) for i in range(len(logs))]
        else:
            medians = [statistics.median(logs)] * len(logs)
        money.iloc[at, money.columns.get_loc("peers")] = medians
        money.iloc[at, money.columns.get_loc("n_others")] = len(logs) - 1
    money["gap"] = money.log - money.peers
    for r in money[((money.gap.abs() - 4).abs() <= 0.7)].itertuples(index=False):
        peers = format_value(10 ** r.peers, r.unit)
        how = "约1万倍：可能把“万元”当成了“元”" if r.gap > 0 else "约万分之一：可能漏了“万”"
        rows.append((r.fact_id, "wan_scale",
                     f"「{r.metric}」{format_value(r.value, r.unit)}是其他{r.n_others}处同级同类数字"
                     f"（中位数约{peers}）的{how}", "medium"))
    return _checks_frame(rows)


def check_percent_over_100(df: pd.DataFrame, rules: ReviewRules) -> pd.DataFrame:
    """A percentage over 100 where it cannot be: a share, a rate of coverage, or any fall.

    ``同比增长150%`` is possible; ``占比120%`` and ``同比下降120%`` are not.
    """
    rows = []
    for r in df[(df.unit == "%") & ((df.value > 100) | (df.range_hi > 100))].itertuples(index=False):
        at = r.sentence.find(r.quote) if r.quote else -1
        before = r.sentence[max(0, at - 10):at] if at >= 0 else ""
        text = f"{r.metric} {before}"
        if _has_any(text, rules.never_over_100):
            why = "下降或减少的幅度不可能超过100%"
        elif _has_any(text, rules.may_exceed_100):
            continue
        else:
            why = "占比、比率类数字不可能超过100%"
        shown = r.range_hi if r.range_hi == r.range_hi and r.range_hi > 100 else r.value
        rows.append((r.fact_id, "percent_over_100",
                     f"「{r.metric or r.quote}」为{plain_number(shown)}%：{why}；请核对数值或指标", "high"))
    return _checks_frame(rows)


def check_period_after_page(df: pd.DataFrame, rules: ReviewRules) -> pd.DataFrame:
    """A figure's year after the page's own date, unless the sentence states a goal (力争, 到2025年)."""
    pub_years = pd.to_numeric(df.published.str.extract(r"^(\d{4})")[0], errors="coerce")
    later = df[(df.period_year != _NO_YEAR) & pub_years.notna() & (df.period_year > pub_years)]
    rows = []
    for r in later.itertuples(index=False):
        if r.kind == "target" or _has_any(r.sentence, rules.target_words):
            continue
        rows.append((r.fact_id, "period_after_page",
                     f"数字所指的年份{r.period_year}年晚于版面日期{r.published}：报纸不会报道未来的实绩，"
                     f"可能是年份识别错了", "medium"))
    return _checks_frame(rows)


def check_year_unknown(df: pd.DataFrame, rules: ReviewRules) -> pd.DataFrame:
    """A figure with no year because neither its sentence nor its page says one: the page has no
    date (no manifest, file name, web metadata or year in the text). Its year is left empty
    rather than guessed; the reviewer gives the year, or the page's date on the 导入 page."""
    unknown = df[(df.period_year == _NO_YEAR) & (df.published.str.strip() == "")]
    rows = [(r.fact_id, "year_unknown",
             "版面没有日期，原文也没写年份，这个数字的年份空着：请填写年份，或在「导入」页填上版面日期后重新导入",
             "low") for r in unknown.itertuples(index=False)]
    return _checks_frame(rows)


def check_place_guessed(df: pd.DataFrame, rules: ReviewRules) -> pd.DataFrame:
    """A figure whose place was only guessed from the page's city, or not found at all."""
    nowhere = (df.city == "") & (df.county == "")
    guessed = ~nowhere & df.place_how.isin(rules.guessed_place)
    place = df.county.where(df.county != "", df.city)
    reasons = pd.concat([
        pd.Series("没有识别出这个数字属于哪个地方：请补上市、县", index=df.index[nowhere]),
        "原句没有写明地点，“" + place[guessed] + "”只是按版面所在城市推定的：请核对市、县",
    ]).sort_index()
    return pd.DataFrame({"fact_id": df.fact_id[reasons.index].to_numpy(), "check": "place_guessed",
                         "reason_zh": reasons.to_numpy(dtype=object), "severity": "low"})


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


def check_duplicates(df: pd.DataFrame, rules: ReviewRules) -> pd.DataFrame:
    """The same figure in several places: a reminder that totals count it once, with its sources."""
    groups = duplicate_groups(df)
    members = df[groups != ""].assign(group=groups[groups != ""])
    if members.empty:
        return _empty_checks()
    members = members.assign(source=members.title.where(members.title != "", members.doc))
    per_group = members.groupby("group", sort=False).agg(
        n=("fact_id", "size"), n_articles=("article_id", "nunique"),
        sources=("source", lambda s: "；".join(dict.fromkeys(s))),
        city=("city", "first"), county=("county", "first"), metric=("metric", "first"),
        quote=("quote", "first"), value=("value", "first"), unit=("unit", "first"))
    reasons = {}
    for g in per_group.itertuples():
        where = f"在{g.n_articles}篇文章中" if g.n_articles > 1 else "在同一篇文章中"
        reasons[g.Index] = (f"同一数字（{_place(g)}「{g.metric or g.quote}」{format_value(g.value, g.unit)}）"
                            f"{where}出现了{g.n}次，合计时只算一次。来源：{g.sources}")
    return pd.DataFrame({"fact_id": members.fact_id.to_numpy(), "check": "duplicate",
                         "reason_zh": members.group.map(reasons).to_numpy(), "severity": "info"})


_WEAKNESS_ZH = {
    "short": "不足两个字",
    "place": "是一个地名",
    "time": "是一个时间词",
    "no_noun": "没有说明统计的是什么（缺少名词）",
    "listed": "不是指标名称",
    "empty": "为空",
}


def check_weak_label(df: pd.DataFrame, rules: ReviewRules) -> pd.DataFrame:
    """A figure whose metric label cannot stand as a name (件, 东阿县, 如今, 扩充至): a person names it.

    The loaders read labels from the sentence (``loaders.labels``); where the sentence gives no
    noun phrase the label is a fragment, and an official would not know what the figure counts.
    """
    rows = []
    reasons: dict[str, str] = {}
    for r in df[["fact_id", "metric", "quote"]].itertuples(index=False):
        if r.metric not in reasons:
            if not r.metric:
                reasons[r.metric] = "empty"
            else:
                reasons[r.metric] = "listed" if r.metric in rules.not_labels else labels.weakness(r.metric)
        why = reasons[r.metric]
        if why:
            rows.append((r.fact_id, "weak_label",
                         f"「{r.quote}」的指标名称「{r.metric}」{_WEAKNESS_ZH[why]}：请按原文写明统计的是什么"
                         "（如“技改项目数”“脱贫人口”）", rules.weak_label_severity))
    return _checks_frame(rows)


_SIGNIFICANT = re.compile(r"\d[\d,]*(?:\.\d+)?")


def significant_digits(quote: str) -> int:
    """The most significant digits of any number written in ``quote`` (``"3,478.50万元"`` → 6)."""
    most = 0
    for m in _SIGNIFICANT.finditer(quote or ""):
        digits = m.group(0).replace(",", "").replace(".", "").lstrip("0")
        most = max(most, len(digits.rstrip("0")) if "." not in m.group(0) else len(digits))
    return most


def check_implausible_size(df: pd.DataFrame, rules: ReviewRules) -> pd.DataFrame:
    """A figure larger than any real report, or written with more digits than a float keeps.

    ``9999999999999999亿元`` (16 digits, 1e24 元) and ``增长99999999999999999999%`` are OCR slips or
    planted numbers, never a county's investment; the limits are in review_checks.toml ``[size]``.
    """
    limits = rules.size_limits
    if not limits:
        return _empty_checks()
    rows = []
    columns = ("fact_id", "quote", "value", "unit", "range_hi", "metric")
    for r in df[list(columns)].itertuples(index=False):  # the columns it reads: 5x faster than all
        value = r.value
        if value is None or value != value:
            continue
        digits = significant_digits(r.quote)
        kept = int(limits.get("max_digits", 15))
        if digits > kept:
            rows.append((r.fact_id, "implausible_size",
                         f"「{r.quote}」有{digits}位有效数字，超过能精确保存的{kept}位：数值已被近似，请核对原文",
                         "high"))
            continue
        if r.unit in rules.money_units:
            limit, what = limits.get("max_money", math.inf), "金额"
        elif r.unit in rules.rate_units:
            limit, what = limits.get("max_rate", math.inf), "比率"
        else:
            limit, what = limits.get("max_other", math.inf), "数量"
        high = r.range_hi if r.range_hi is not None and r.range_hi == r.range_hi else value
        if max(abs(value), abs(high)) > limit:
            rows.append((r.fact_id, "implausible_size",
                         f"「{r.metric or r.quote}」为{format_value(value, r.unit)}：{what}大得不合常理"
                         f"（上限 {format_value(limit, r.unit)}），请核对原文", "high"))
    return _checks_frame(rows)


CHECKS = (check_county_exceeds_city, check_cumulative_falls, check_wan_scale, check_percent_over_100,
          check_period_after_page, check_place_guessed, check_duplicates, check_year_unknown,
          check_weak_label, check_implausible_size)


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
    return cursor.execute("""SELECT * FROM facts_current
        WHERE list_contains(?, city) OR coalesce(city, '') IN ('', '全国', '中国')
           OR city = province OR city LIKE '%省' OR city LIKE '%自治区'
           OR fact_id IN (SELECT fact_id FROM corrections)""" + order, [list(cities)]).df()


def run_checks(facts: pd.DataFrame, rules: ReviewRules | None = None) -> pd.DataFrame:
    """Every suspicion about every figure: (fact_id, check, reason_zh, severity), one row per check.

    Rejected figures are not checked: they no longer count anywhere.
    """
    rules = rules or load_rules()
    df = prepare(facts)
    df = df[df.review_status != "rejected"]
    if df.empty:
        return _empty_checks()
    found = [check(df, rules) for check in CHECKS]
    found = [f for f in found if not f.empty]
    if not found:
        return _empty_checks()
    out = pd.concat(found, ignore_index=True)
    return out.drop_duplicates(["fact_id", "check"]).reset_index(drop=True)


# ---------------------------------------------------------------- queue and totals

def review_queue(facts: pd.DataFrame, checks: pd.DataFrame, include_reviewed: bool = False,
                 rules: ReviewRules | None = None) -> pd.DataFrame:
    """Figures in the order a reviewer should look at them, most doubtful first.

    priority = sum of the checks' severity weights + 2 × (1 − confidence), so a figure the loaders
    were unsure of and that a check flags comes before one that is only unsure. Figures already
    accepted, corrected or rejected leave the queue unless ``include_reviewed``.
    Added columns: priority, n_checks, checks (Chinese labels), reasons, severity (the highest).
    """
    rules = rules or load_rules()
    df = prepare(facts)
    if not include_reviewed:
        df = df[df.review_status == ""]
    order = {s: i for i, s in enumerate(("high", "medium", "low", "info"))}
    c = checks[checks.fact_id.isin(df.fact_id)].copy()
    c["weight"] = c.severity.map(rules.severity_weights).fillna(0.0)
    c["rank"] = c.severity.map(order).fillna(len(order))
    c["label"] = c.check.map(lambda x: CHECK_LABELS.get(x, x))
    c = c.sort_values(["fact_id", "rank"])
    grouped = c.groupby("fact_id", sort=False)
    per_fact = grouped.agg(score=("weight", "sum"), n_checks=("check", "size"),
                           severity=("severity", "first"))
    single = per_fact.n_checks == 1
    firsts = grouped[["label", "reason_zh"]].first()
    # A figure's labels and reasons joined in one walk over plain lists (pandas' per-group join over
    # Arrow text took 6 s for a city of 60,000 figures).
    multi = c[c.fact_id.isin(per_fact.index[~single])]
    labels: dict[str, list[str]] = {}
    reasons: dict[str, list[str]] = {}
    for fact_id, label, reason in zip(multi.fact_id.tolist(), multi.label.tolist(), multi.reason_zh.tolist(),
                                      strict=True):
        labels.setdefault(fact_id, []).append(label)
        reasons.setdefault(fact_id, []).append(reason)
    joined_labels = pd.Series({f: "、".join(v) for f, v in labels.items()}, dtype=object)
    joined_reasons = pd.Series({f: "\n".join(v) for f, v in reasons.items()}, dtype=object)
    per_fact["checks"] = firsts.label.where(single, joined_labels)
    per_fact["reasons"] = firsts.reason_zh.where(single, joined_reasons)
    out = df.merge(per_fact, left_on="fact_id", right_index=True, how="left")
    out["n_checks"] = pd.to_numeric(out.n_checks, errors="coerce").fillna(0).astype(int)
    out["score"] = pd.to_numeric(out.score, errors="coerce").fillna(0.0)
    for col in ("checks", "reasons", "severity"):
        out[col] = out[col].fillna("")
    out["priority"] = (out.score + 2 * (1 - out.confidence)).round(3)
    out["period_year"] = out.period_year.where(out.period_year != _NO_YEAR)
    out = out.drop(columns="score")
    return out.sort_values(["priority", "confidence", "fact_id"], ascending=[False, True, True]).reset_index(
        drop=True)


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
    return float(m.group(1)) * _MULTIPLIERS.get(m.group(2) or "", 1.0)


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
