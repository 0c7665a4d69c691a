"""The home province and its cities' outlines, shipped in the package (``data/china_cities.geojson``).

The dashboard serves one province's officials: its **home province** is a setting
(``CAMPAIGN_TRACKER_PROVINCE`` in ``.streamlit/secrets.toml`` or the environment, default 山东省).
The 总览 map draws that province's cities; figures from other provinces stay in tables, filters
and the 外省对比 page, never on the home map. All provinces' outlines ship in one file, loaded
once and never from the network: the users' network reaches no tile or map server.
Where the file comes from and its licence: ``dashboard/data/MAP_LICENCE.md``.
Example: ``len(province_geojson("河北省")["features"]) == 11``.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import os

import pandas as pd

from loaders import places

SETTING = places.PROVINCE_SETTING


def home_province() -> str:
    """The province whose papers this dashboard reads: the secrets' or environment's setting.

    An unknown name (a typo) falls back to 山东省 rather than an empty map.
    """
    value = os.environ.get(SETTING, "").strip()
    if not value:
        try:
            import streamlit as st

            value = str(st.secrets.get(SETTING, "")).strip()
        except Exception:  # no secrets.toml, or outside a Streamlit run
            value = ""
    return value if value in places.provinces() else places.PROVINCE


@functools.cache
def china_geojson() -> dict:
    """Every province's cities as one FeatureCollection (properties ``adcode``, ``name``, ``province``),
    or {} when the file is missing."""
    try:
        path = importlib.resources.files("dashboard").joinpath("data/china_cities.geojson")
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    return json.loads(text)


@functools.cache
def province_geojson(province: str) -> dict:
    """The cities of ``province`` (山东省's 16, 河北省's 11 …), or {} when none are shipped."""
    features = [f for f in china_geojson().get("features", []) if f["properties"].get("province") == province]
    return {"type": "FeatureCollection", "features": features} if features else {}


def shandong_geojson() -> dict:
    """Shandong's 16 cities (the map before the home province became a setting)."""
    return province_geojson(places.PROVINCE)


def city_names(province: str = places.PROVINCE) -> list[str]:
    return [str(f["properties"]["name"]) for f in province_geojson(province).get("features", [])]


def compare_provinces(frame: pd.DataFrame, home: str, metric: str) -> pd.DataFrame:
    """Figures of one metric, the home province's places beside other provinces', newest first.

    ``frame`` holds fact rows (province, city, county, metric, value, unit, period_year, …);
    the result has one row per place and year with 本省/外省, 省份, 地方, 年份, 数值, 单位, so a
    Shandong county reads how 甘肃's and 河北's counties did on the same measure. Example: the
    metric 贫困发生率 gives 甘肃省 0.32% (兰州市, 2019) beside 山东省's own rows.
    """
    columns = ["本省/外省", "省份", "地方", "年份", "数值", "单位"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    rows = frame[(frame["metric"] == metric) & (frame["province"] != "")]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame({
        "本省/外省": ["本省" if p == home else "外省" for p in rows["province"]],
        "省份": rows["province"].to_numpy(),
        "地方": [county or city for city, county in zip(rows["city"], rows["county"], strict=True)],
        "年份": rows["period_year"].to_numpy(),
        "数值": rows["value"].to_numpy(),
        "单位": rows["unit"].to_numpy(),
    })
    out["_other"] = out["本省/外省"] == "外省"
    # Every column a key, so the table reads the same whatever order the rows came in.
    out = out.sort_values(["_other", "省份", "年份", "地方", "单位", "数值"],
                          ascending=[True, True, False, True, True, True], na_position="last", kind="stable")
    return out.drop(columns="_other").reset_index(drop=True)


def metrics_elsewhere(frame: pd.DataFrame, home: str) -> list[str]:
    """Metrics with figures from another province, those the home province also has first.

    ``frame`` needs the columns province and metric: figures, or ``queries.province_metrics``.
    """
    if frame.empty:
        return []
    other = set(frame.loc[(frame["province"] != home) & (frame["province"] != ""), "metric"]) - {""}
    mine = set(frame.loc[frame["province"] == home, "metric"])
    return sorted(other, key=lambda m: (m not in mine, m))
