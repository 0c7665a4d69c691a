"""dashboard.geo: the home province setting, its map, and the 外省对比 table (no Streamlit needed)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import geo


@pytest.mark.parametrize(
    ("province", "count", "first"),
    [("山东省", 16, "济南市"), ("河北省", 11, "石家庄市"), ("甘肃省", 14, "兰州市"), ("重庆市", 1, "重庆市")],
)
def test_every_province_ships_its_cities(province, count, first):
    names = geo.city_names(province)
    assert len(names) == count and names[0] == first
    assert all(f["properties"]["province"] == province for f in geo.province_geojson(province)["features"])


def test_the_home_province_is_a_setting(monkeypatch):
    monkeypatch.setenv("CAMPAIGN_TRACKER_PROVINCE", "河北省")
    assert geo.home_province() == "河北省"
    monkeypatch.setenv("CAMPAIGN_TRACKER_PROVINCE", "河北")  # not a full name: the default, not an empty map
    assert geo.home_province() == "山东省"
    monkeypatch.delenv("CAMPAIGN_TRACKER_PROVINCE")
    assert geo.home_province() == "山东省"


FIGURES = pd.DataFrame({
    "province": ["山东省", "甘肃省", "河北省", "甘肃省", ""],
    "city": ["聊城市", "兰州市", "河北省", "天水市", "全国"],
    "county": ["冠县", "", "", "秦安县", ""],
    "metric": ["贫困发生率", "贫困发生率", "贫困发生率", "贫困发生率", "贫困发生率"],
    "value": [0.5, 0.32, 0.07, 0.76, 0.6],
    "unit": ["%"] * 5,
    "period_year": [2019, 2019, 2019, 2020, 2019],
})


def test_compare_provinces_puts_other_provinces_beside_the_home_one():
    table = geo.compare_provinces(FIGURES, "山东省", "贫困发生率")
    assert list(table.columns) == ["本省/外省", "省份", "地方", "年份", "数值", "单位"]
    assert table.iloc[0].tolist()[:3] == ["本省", "山东省", "冠县"]
    others = table[table["本省/外省"] == "外省"]
    assert others["地方"].tolist() == ["河北省", "秦安县", "兰州市"]  # by province, newest year first
    assert "全国" not in table["地方"].tolist()


def test_metrics_elsewhere_lists_what_other_provinces_report():
    assert geo.metrics_elsewhere(FIGURES, "山东省") == ["贫困发生率"]
    assert geo.metrics_elsewhere(FIGURES[FIGURES.province == "山东省"], "山东省") == []
    assert geo.compare_provinces(FIGURES.iloc[0:0], "山东省", "贫困发生率").empty


def test_the_stores_province_counts_offer_and_lay_out_what_every_figure_would(tmp_path):
    """外省对比 asks the store for (metric, province) counts and one metric's rows, never every figure:
    on the province pages (甘肃, 河北 … beside Shandong seeds) both give what the whole table gives."""
    from pathlib import Path

    from dashboard import queries
    from dashboard.filters import Filters
    from loaders.storage import ingest, store

    data = Path(__file__).resolve().parent
    db = tmp_path / "provinces.duckdb"
    pages = [*sorted((data / "data" / "provinces" / "pages").glob("*")),
             *sorted((data.parent / "seeds").glob("00[1-3]_*.txt"))]
    ingest.ingest_paths(pages, db_path=db)
    con = store.open_reader(db)
    everything = queries.fetch_facts(con, Filters())
    offered = geo.metrics_elsewhere(queries.fetch_province_metrics(con, Filters()), "山东省")
    assert offered and offered == geo.metrics_elsewhere(everything, "山东省")
    for metric in offered[:5]:
        pd.testing.assert_frame_equal(
            geo.compare_provinces(queries.fetch_province_rows(con, Filters(), metric), "山东省", metric),
            geo.compare_provinces(everything, "山东省", metric), check_dtype=False)
    con.close()
