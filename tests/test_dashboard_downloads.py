"""Downloads hold exactly the filtered rows: CSV with a BOM, XLSX with its three sheets, no formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from dashboard import downloads, queries
from dashboard.filters import Filters
from dashboard.initiatives import label_of
from loaders.storage import store


@pytest.fixture(scope="module")
def con(seed_db):
    connection = store.open_reader(seed_db)
    yield connection
    connection.close()


def read_csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_starts_with_a_bom_and_holds_only_the_filtered_rows(con):
    wanted = Filters(cities=("聊城市",))
    rows = read_csv(downloads.csv_bytes(con, wanted))
    assert len(rows) == queries.fetch_count(con, wanted) > 0
    assert {r["city"] for r in rows} == {"聊城市"}
    assert len(rows) < queries.fetch_count(con, Filters())


def test_xlsx_has_data_sources_and_notes(con):
    wanted = Filters(initiatives=("poverty",))
    book = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(con, wanted, label_of)))
    assert book.sheetnames == ["数据", "来源", "说明"]
    assert book["数据"].max_row - 1 == queries.fetch_count(con, wanted)
    notes = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert notes["攻坚领域"] == "脱贫攻坚"
    assert notes["city"]  # the column dictionary


def test_formula_like_text_is_neutralised(con, monkeypatch):
    frame = queries.fetch_facts(con, Filters()).head(1).copy()
    frame["sentence"] = '=HYPERLINK("http://example.com","点我")'
    monkeypatch.setattr(queries, "fetch_facts", lambda *_args, **_kw: frame)
    rows = read_csv(downloads.csv_bytes(con, Filters()))
    assert rows[0]["sentence"].startswith("'=")
    sheet = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(con, Filters())))["数据"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("sentence") + 1).value.startswith("'=")


def test_file_name_says_what_was_filtered():
    name = downloads.file_name(Filters(cities=("聊城市",)), ".csv", today=dt.date(2026, 11, 24))
    assert name == "攻坚看板数据_聊城市_20261124.csv"
