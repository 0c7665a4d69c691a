"""The outlines of Shandong's 16 cities, shipped in the package (``data/shandong_cities.geojson``).

Loaded once and never from the network: the users' network reaches no tile or map server.
Where the file comes from and its licence: ``dashboard/data/MAP_LICENCE.md``.
Example: ``len(shandong_geojson()["features"]) == 16``.
"""

from __future__ import annotations

import functools
import importlib.resources
import json


@functools.cache
def shandong_geojson() -> dict:
    """The FeatureCollection (properties ``adcode`` and ``name``), or {} when the file is missing."""
    try:
        path = importlib.resources.files("dashboard").joinpath("data/shandong_cities.geojson")
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    return json.loads(text)


def city_names() -> list[str]:
    return [str(f["properties"]["name"]) for f in shandong_geojson().get("features", [])]
