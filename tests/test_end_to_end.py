"""One page, all the way: a newspaper file → the DuckDB store → a query → the chart a user sees."""

from __future__ import annotations

from pathlib import Path

from dashboard import charts, queries, series
from dashboard.filters import Filters
from loaders.storage import store
from loaders.storage.ingest import ingest_paths

PAGE = Path(__file__).resolve().parents[1] / "seeds" / "000_97d967b9aa75d6b6.txt"


def test_a_page_becomes_the_bars_of_the_enterprise_support_chart(tmp_path):
    db = tmp_path / "tracker.duckdb"
    summary = ingest_paths([PAGE], db_path=db)
    assert summary.pages == 1 and not summary.errors

    con = store.open_reader(db)
    try:
        support = Filters(initiatives=("enterprise_support",))
        # 已授信专项抗疫贷16户金额3478万元: the label says what was lent (loaders.labels)
        money = con.execute("SELECT DISTINCT metric FROM facts_current WHERE unit = '元'").fetchall()
        labels = [m for (m,) in money if "授信" in m and m.endswith("金额")]
        assert len(labels) == 1
        rows = queries.fetch_place_periods(con, support, tuple(labels), "元", ("flow",), "enterprise_support")
        assert rows[["city", "county", "value"]].values.tolist() == [["枣庄市", "薛城区", 34_780_000.0]]

        by_city = queries.fetch_by_city(con, Filters(cities=("枣庄市",)))
    finally:
        con.close()

    # 薛城区's figure is a county's: 枣庄市's bar names the one county that reported.
    figure = charts.metric_by_place(series.latest_per_place(series.city_figures(rows)), labels[0], "元")
    bar = figure.data[0]
    assert list(bar.y) == ["枣庄市（仅薛城区）"] and list(bar.customdata) == ["枣庄市"]
    assert "3,478万元" in bar.text[0]
    assert by_city["city"].tolist() == ["枣庄市"]

    city_bar = charts.by_city(by_city).data[0]
    assert list(city_bar.y) == ["枣庄市"]
    assert list(city_bar.x) == by_city["figures"].tolist() and city_bar.x[0] >= 10
