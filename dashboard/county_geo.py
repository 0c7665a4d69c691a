"""The outlines of Shandong's counties, shipped in the package (``data/shandong_counties.geojson``).

Kept apart from ``geo`` (the city and province maps) so each map file has one reader. Loaded once
and never from the network. Source and licence: ``dashboard/data/MAP_LICENCE.md``.
Example: ``[f["properties"]["name"] for f in city_counties("聊城市")["features"]][:2]``
-> ``["东昌府区", "茌平区"]``.
"""

from __future__ import annotations

import functools
import importlib.resources
import json


@functools.cache
def shandong_counties() -> dict:
    """The FeatureCollection (properties ``adcode``, ``name``, ``city``), or {} when the file is missing."""
    try:
        path = importlib.resources.files("dashboard").joinpath("data/shandong_counties.geojson")
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    return json.loads(text)


@functools.cache
def city_counties(city: str) -> dict:
    """The counties of one city as a FeatureCollection of their own ({} features when unknown)."""
    features = [f for f in shandong_counties().get("features", []) if f["properties"].get("city") == city]
    return {"type": "FeatureCollection", "features": features}
