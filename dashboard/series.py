"""What a metric's figures say, place by place and period by period, at the right level.

Works on the frames ``queries.place_periods`` returns (one row per metric, unit, kind, place and
period: the newest report), no Streamlit. Three rules an official can quote by:

- **Level**: a city's figure is the city's own report. Only where the metric adds up (a flow or a
  stock of people, money, projects — not a rate, a duration or a target) and none exists may it
  be the sum of its counties *for one and the same period*, and then it is labelled so
  (``聊城市（2个县区合计）``). A county's figure never stands for its city; the province and the
  nation never sit among cities.
- **Period**: a figure belongs to the period it covers (``2020年1–5月``), not to the day it was
  printed; charts over time run by period, and the publication date goes in the tooltip.
- **Change**: a card compares the same place, metric, unit and kind in an *earlier* period, from
  *another* article (a flow only with the same months of an earlier year).

Example: 冠县 136.2亿元 (2020) alone gives 聊城市 no bar unless the metric adds up, and then the
bar reads ``聊城市（仅冠县）``: one county's figure, named as such, never the city's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.formatting import format_period

ADDITIVE_KINDS = ("flow", "stock")
NOT_ADDITIVE_UNITS = ("%", "百分点", "倍", "天", "工作日", "小时", "分钟", "个月", "年", "岁", "摄氏度")

_PERIOD = ["period_year", "first_month", "last_month"]


def additive(kind: str, unit: str) -> bool:
    """May figures of this kind and unit be summed over places? ``("flow", "元")`` -> True."""
    return kind in ADDITIVE_KINDS and unit not in NOT_ADDITIVE_UNITS


def _period_label(period: float) -> str:
    """``20200105.0`` (year·10⁴ + first·10² + last month) -> ``"2020年1–5月"``; NaN (no year) -> 时期不详."""
    if period != period:
        return format_period(None)
    year, months = divmod(int(period), 10_000)
    return format_period(year, *divmod(months, 100))


def with_periods(rows: pd.DataFrame) -> pd.DataFrame:
    """Add ``period_label`` (2020年1–5月) and ``period_order`` (sortable: whole years after their months)."""
    out = rows.copy()
    if out.empty:
        out["period_label"] = pd.Series(dtype=object)
        out["period_order"] = pd.Series(dtype=float)
        return out
    first = out["first_month"].fillna(0).astype(int)
    last = out["last_month"].fillna(0).astype(int)
    year = out["period_year"].astype(float)
    # A few periods, many rows (总览's first start: 28,000): each period is labelled once, then
    # its label given to its rows by number. Months are 0–12, so year·10⁴ + first·10² + last is
    # one number per period; every row without a year shares the one label 时期不详.
    codes, periods = pd.factorize(year * 10_000 + first * 100 + last, use_na_sentinel=False)
    out["period_label"] = pd.Series([_period_label(p) for p in periods], dtype=str).array.take(codes)
    out["period_order"] = year * 100 + last.where(last > 0, 13)
    return out


def _empty_places() -> pd.DataFrame:
    return pd.DataFrame(columns=["place", "city", "county", "level", "value", "period_label", "period_order",
                                 "published", "article_id", "fact_id", "source", "label", "counties"])


def city_figures(rows: pd.DataFrame) -> pd.DataFrame:
    """One figure per city and period: the city's own report, else (additive metrics only) its counties' sum.

    ``rows`` hold one metric, unit and kind. Returns place, city, value, period_label, period_order,
    published, article_id, fact_id, source ("市级数据" or "县区合计"), label (the bar's name), counties.
    """
    if rows.empty:
        return _empty_places()
    data = with_periods(rows)
    own = data[data["level"] == "city"].assign(source="市级数据", counties=0)
    own["label"] = own["city"]
    frames = [own]
    adds = data["kind"].isin(ADDITIVE_KINDS) & ~data["unit"].isin(NOT_ADDITIVE_UNITS)
    counties = data[(data["level"] == "county") & (data["city"] != "") & adds]
    if not counties.empty:
        keys = ["metric", "unit", "kind", "city", "period_order"]
        ordered = counties.sort_values("published_date", na_position="first", kind="stable")
        sums = ordered.groupby(keys, sort=False).agg(
            value=("value", "sum"), counties=("county", "nunique"), period_label=("period_label", "last"),
            published=("published", "last"), published_date=("published_date", "last"),
            article_id=("article_id", "last"), fact_id=("fact_id", "last"), only=("county", "first"),
        ).reset_index()
        have = pd.MultiIndex.from_frame(own[keys])
        sums = sums[~pd.MultiIndex.from_frame(sums[keys]).isin(have)]
        if not sums.empty:
            sums = sums.assign(county="", level="city", source="县区合计")
            sums["label"] = sums["city"] + "（" + sums["counties"].astype(str) + "个县区合计）"
            # One county is no sum: the bar names it (聊城市（仅冠县）), so nobody reads it as the city's.
            alone = sums["counties"] == 1
            sums.loc[alone, "label"] = sums["city"] + "（仅" + sums["only"] + "）"
            frames.append(sums.drop(columns="only"))
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else own
    return frame.assign(place=frame["city"]).reset_index(drop=True)


def county_figures(rows: pd.DataFrame, city: str = "") -> pd.DataFrame:
    """One figure per county and period (of ``city`` when given), each the county's own report."""
    if rows.empty:
        return _empty_places()
    data = with_periods(rows)
    data = data[data["level"] == "county"]
    if city:
        data = data[data["city"] == city]
    return data.assign(place=data["county"], source="县区数据", label=data["county"],
                       counties=0).reset_index(drop=True)


def place_figures(rows: pd.DataFrame, level: str, city: str = "") -> pd.DataFrame:
    """``city_figures`` or ``county_figures`` by ``level`` ("city" / "county")."""
    return county_figures(rows, city) if level == "county" else city_figures(rows)


def latest_per_place(figures: pd.DataFrame) -> pd.DataFrame:
    """Each place's figure of its latest period, largest value first."""
    if figures.empty:
        return figures.copy()
    ordered = figures.sort_values(["period_order", "published"], na_position="first", kind="stable")
    latest = ordered.groupby("place", sort=False).tail(1)
    return latest.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)


def in_period(figures: pd.DataFrame, label: str) -> pd.DataFrame:
    """The figures of one period (``"2020年"``), largest first: a ranking compares like with like."""
    chosen = figures[figures["period_label"] == label]
    return chosen.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)


def periods(figures: pd.DataFrame) -> list[str]:
    """The distinct periods, newest first."""
    if figures.empty:
        return []
    ordered = figures.drop_duplicates("period_label").sort_values("period_order", ascending=False)
    return list(ordered["period_label"])


def latest_period(figures: pd.DataFrame) -> str:
    """The newest period among ``figures`` that most places reported ("" when none)."""
    if figures.empty:
        return ""
    return periods(figures)[0]


def completion(results: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """完成率 where a result and a target exist for the same place and period (results + ``rate``)."""
    out = results.copy()
    if targets.empty or results.empty:
        out["target"] = float("nan")
        out["rate"] = float("nan")
        return out
    goals = targets[["place", "period_order", "value"]].rename(columns={"value": "target"})
    goals = goals.drop_duplicates(["place", "period_order"], keep="last")
    out = out.merge(goals, on=["place", "period_order"], how="left")
    out["rate"] = out["value"] / out["target"].where(out["target"] > 0)
    return out


@dataclass(frozen=True)
class Card:
    """A card's figure: whose, for when, and its change since the same place's earlier period."""

    metric: str
    unit: str
    kind: str
    value: float
    place: str
    period: str
    published: str
    source: str
    change: float | None = None
    previous_period: str | None = None
    previous_published: str | None = None
    article_id: str = ""
    previous_article: str | None = None


_GROUP = ["metric", "unit", "kind"]


def _scope_figures(rows: pd.DataFrame, county: str, city: str) -> pd.DataFrame:
    """The figures a card may show: of the chosen county, else the chosen city, else the province's,
    else the cities' (the card then names the one city whose period is newest)."""
    if county:
        return county_figures(rows[rows["county"] == county])
    if city:
        return city_figures(rows[rows["city"] == city])
    data = with_periods(rows)
    province = data[data["level"] == "province"]
    province = province.assign(place=province["city"], source="省级数据", label=province["city"], counties=0)
    cities = city_figures(rows)
    if province.empty or cities.empty:
        return province if cities.empty else cities
    covered = pd.MultiIndex.from_frame(province[_GROUP].drop_duplicates())
    cities = cities[~pd.MultiIndex.from_frame(cities[_GROUP]).isin(covered)]
    return pd.concat([province, cities], ignore_index=True)


def cards(rows: pd.DataFrame, county: str = "", city: str = "") -> dict[tuple[str, str, str], Card]:
    """Per metric, unit and kind among ``rows``: the newest figure for the scope, with its honest change.

    The change compares the same place, metric, unit and kind in an *earlier* period from
    *another* article; for a flow only the same months of an earlier year (1–5月 with 1–5月); a
    city's own total never with a sum of its counties. Two figures of one article (技改服务商
    300家 and 65家 of one passage) are never compared. One pass over all metrics of a page.
    """
    if rows.empty:
        return {}
    figures = _scope_figures(rows, county, city)
    if figures.empty:
        return {}
    ordered = figures.sort_values(["period_order", "published"], na_position="first", kind="stable")
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for record in ordered.to_dict("records"):
        groups.setdefault((record["metric"], record["unit"], record["kind"]), []).append(record)
    out = {}
    for (metric, unit, kind), records in groups.items():
        last = records[-1]
        order = last["period_order"]
        previous = None
        if not pd.isna(order):
            for record in reversed(records[:-1]):
                if (record["place"] == last["place"] and record["period_order"] < order
                        and record["article_id"] != last["article_id"] and record["source"] == last["source"]
                        and record["counties"] == last["counties"]
                        and (kind != "flow" or int(record["period_order"]) % 100 == int(order) % 100)):
                    previous = record
                    break
        out[(metric, unit, kind)] = Card(
            metric=metric, unit=unit, kind=kind, value=float(last["value"]),
            place=str(last.get("label") or last["place"]), period=str(last["period_label"]),
            published=str(last["published"] or ""), source=str(last.get("source") or ""),
            change=None if previous is None else float(last["value"]) - float(previous["value"]),
            previous_period=None if previous is None else str(previous["period_label"]),
            previous_published=None if previous is None else str(previous["published"] or ""),
            article_id=str(last["article_id"]),
            previous_article=None if previous is None else str(previous["article_id"]))
    return out


def card(rows: pd.DataFrame, county: str = "", city: str = "") -> Card | None:
    """The card of ``rows`` holding one metric, unit and kind (see ``cards``), or None."""
    found = cards(rows, county, city)
    return next(iter(found.values()), None)
