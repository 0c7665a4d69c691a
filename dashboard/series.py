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
bar reads ``聊城市（1个县区合计）``.
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


def with_periods(rows: pd.DataFrame) -> pd.DataFrame:
    """Add ``period_label`` (2020年1–5月) and ``period_order`` (sortable: whole years after their months)."""
    out = rows.copy()
    if out.empty:
        out["period_label"] = pd.Series(dtype=object)
        out["period_order"] = pd.Series(dtype=float)
        return out
    last = out["last_month"].fillna(0).astype(int)
    out["period_label"] = [format_period(y, f, m) for y, f, m in
                           zip(out["period_year"], out["first_month"], out["last_month"], strict=True)]
    out["period_order"] = out["period_year"].astype(float) * 100 + last.where(last > 0, 13)
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
    own = data[data["level"] == "city"].copy()
    own["source"] = "市级数据"
    own["counties"] = 0
    own["label"] = own["city"]
    parts = []
    kind, unit = str(data["kind"].iloc[0]), str(data["unit"].iloc[0])
    if additive(kind, unit):
        counties = data[data["level"] == "county"]
        have = set(zip(own["city"], own["period_order"], strict=True))
        for (city, order), group in counties.groupby(["city", "period_order"], sort=False):
            if (city, order) in have or not city:
                continue
            newest = group.sort_values("published_date", na_position="first").iloc[-1]
            n = group["county"].nunique()
            parts.append({
                "city": city, "county": "", "level": "city", "value": float(group["value"].sum()),
                "period_label": newest["period_label"], "period_order": order,
                "published": newest["published"], "published_date": newest["published_date"],
                "article_id": newest["article_id"], "fact_id": newest["fact_id"],
                "source": "县区合计", "counties": n, "label": f"{city}（{n}个县区合计）",
            })
    frame = pd.concat([own, pd.DataFrame(parts)], ignore_index=True) if parts else own
    frame = frame.assign(place=frame["city"])
    return frame.reset_index(drop=True)


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


def _scope_figures(rows: pd.DataFrame, county: str, city: str) -> pd.DataFrame:
    """The figures a card may show: of the chosen county, else the chosen city, else the province's,
    else the cities' (the card then names the one city whose period is newest)."""
    if county:
        return county_figures(rows[rows["county"] == county])
    if city:
        return city_figures(rows[rows["city"] == city])
    data = with_periods(rows)
    province = data[data["level"] == "province"]
    if not province.empty:
        return province.assign(place=province["city"], source="省级数据", label=province["city"], counties=0)
    return city_figures(rows)


def card(rows: pd.DataFrame, county: str = "", city: str = "") -> Card | None:
    """The newest figure of one metric, unit and kind for the scope, with its honest change.

    The change compares the same place, metric, unit and kind in an *earlier* period from
    *another* article; for a flow only the same months of an earlier year (1–5月 with 1–5月).
    Two figures of one article (技改服务商 300家 and 65家 of one passage) are never compared.
    """
    if rows.empty:
        return None
    figures = _scope_figures(rows, county, city)
    if figures.empty:
        return None
    ordered = figures.sort_values(["period_order", "published"], na_position="first", kind="stable")
    last = ordered.iloc[-1]
    # Same place *as the same kind of figure*: a city's own total is never set against a sum of
    # some of its counties, nor two figures of one article against each other.
    same = ordered[(ordered["place"] == last["place"]) & (ordered["period_order"] < last["period_order"])
                   & (ordered["article_id"] != last["article_id"]) & (ordered["source"] == last["source"])
                   & (ordered["counties"] == last["counties"])]
    kind = str(rows["kind"].iloc[0])
    if pd.isna(last["period_order"]):  # a figure of no known period has no "earlier"
        same = same.iloc[0:0]
    elif kind == "flow":
        months = int(last["period_order"]) % 100
        same = same[(same["period_order"] % 100).astype(int) == months]
    change = previous = previous_published = previous_article = None
    if not same.empty:
        prev = same.iloc[-1]
        change = float(last["value"]) - float(prev["value"])
        previous, previous_published = str(prev["period_label"]), str(prev["published"] or "")
        previous_article = str(prev["article_id"])
    return Card(metric=str(rows["metric"].iloc[0]), unit=str(rows["unit"].iloc[0]), kind=kind,
                value=float(last["value"]), place=str(last.get("label") or last["place"]),
                period=str(last["period_label"]), published=str(last["published"] or ""),
                source=str(last.get("source") or ""), change=change, previous_period=previous,
                previous_published=previous_published, article_id=str(last["article_id"]),
                previous_article=previous_article)
