"""Exports: CSV that Excel reads as Chinese, XLSX with sources and notes, no formula injection."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.cli import main
from loaders.storage import store
from loaders.storage.export import (
    COLUMN_DOC,
    READABLE_HEADERS,
    neutralise_cell,
    readable_doc,
    to_csv_bytes,
    to_xlsx_bytes,
)
from loaders.storage.ingest import ingest_paths

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

NEUTRALISED = [
    ("=HYPERLINK(\"http://evil\",\"点我\")", "'=HYPERLINK(\"http://evil\",\"点我\")"),
    ("+86 635 1234", "'+86 635 1234"),
    ("-13.6%", "'-13.6%"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
]
UNCHANGED = ["全市157641名建档立卡贫困人口稳定脱贫", "3478万元", "", -13.6, 157641.0, None, "a=b"]


@pytest.mark.parametrize("value, expected", NEUTRALISED)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(value, expected):
    assert neutralise_cell(value) == expected


@pytest.mark.parametrize("value", UNCHANGED)
def test_other_values_pass_unchanged(value):
    assert neutralise_cell(value) == value


@given(st.text())
def test_no_text_reaches_a_spreadsheet_starting_like_a_formula(text):
    out = neutralise_cell(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out == text or out == "'" + text


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "city": ["聊城市", "=cmd|' /C calc'!A0"],
        "metric": ["稳定脱贫贫困人口", "@SUM(1+1)"],
        "value": [157641.0, -5.0],
        "sentence": ["全市157641名建档立卡贫困人口稳定脱贫。", "-2+3"],
    })


def test_csv_starts_with_a_bom_and_keeps_chinese_and_numbers():
    data = to_csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["city"].tolist() == ["聊城市", "'=cmd|' /C calc'!A0"]
    assert back["value"].tolist() == [157641.0, -5.0]
    assert back["sentence"].tolist()[1] == "'-2+3"


def test_xlsx_has_data_sources_and_notes_and_no_formula():
    sources = pd.DataFrame({"doc": ["001.txt"], "title": ["=稳定脱贫"]})
    data = to_xlsx_bytes(_frame(), sources, {"city": "聊城市", "since": "2020-01-01"}, COLUMN_DOC)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["数据", "来源", "说明"]
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    rows = list(book["数据"].iter_rows(values_only=True))
    assert rows[0] == ("city", "metric", "value", "sentence") and rows[1][2] == 157641.0
    notes = {r[0]: r[1] for r in book["说明"].iter_rows(values_only=True)}
    assert notes["地市"] == "聊城市" and notes["起始日期"] == "2020-01-01"
    assert notes["value"] == COLUMN_DOC["value"]
    assert book["来源"]["B2"].value == "'=稳定脱贫"


def test_every_facts_current_column_is_explained():
    con = store.connect(":memory:")
    columns = [r[0] for r in con.execute("DESCRIBE facts_current").fetchall()]
    assert [c for c in columns if c not in COLUMN_DOC] == []


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("export") / "tracker.duckdb"
    ingest_paths([SEEDS], db_path=db)
    return db


def _export(db: Path, out: Path, fmt: str, *filters: str) -> int:
    """``python -m loaders export …`` run in this process (same parser and handler, no start-up cost)."""
    return main(["export", "--db", str(db), "--format", fmt, "-o", str(out), *filters])


def test_the_command_exports_the_same_rows_in_every_format(seeded, tmp_path):
    for fmt in ("csv", "xlsx", "parquet"):
        assert _export(seeded, tmp_path / f"all.{fmt}", fmt) == 0
    csv = pd.read_csv(tmp_path / "all.csv", encoding="utf-8-sig")
    xlsx = pd.read_excel(tmp_path / "all.xlsx", sheet_name="数据")
    parquet = pd.read_parquet(tmp_path / "all.parquet")
    con = store.open_reader(seeded)
    total = con.execute("SELECT count(*) FROM facts_current").fetchone()[0]
    assert len(csv) == len(xlsx) == len(parquet) == total > 0
    assert sorted(parquet["fact_id"]) == sorted(csv["fact_id"])


def test_filters_narrow_the_export_and_are_written_into_the_notes(seeded, tmp_path):
    con = store.open_reader(seeded)
    city, n = con.execute("SELECT city, count(*) FROM facts_current WHERE city <> '' "
                          "GROUP BY city ORDER BY 2 DESC, 1 LIMIT 1").fetchone()
    assert _export(seeded, tmp_path / "city.xlsx", "xlsx", "--city", city) == 0
    data = pd.read_excel(tmp_path / "city.xlsx", sheet_name="数据")
    assert len(data) == n and set(data["city"]) == {city}
    notes = pd.read_excel(tmp_path / "city.xlsx", sheet_name="说明")
    assert city in notes["说明"].tolist()
    sources = pd.read_excel(tmp_path / "city.xlsx", sheet_name="来源")
    assert set(sources["doc"]) == set(data["doc"])


def test_rejected_figures_are_left_out_unless_asked_for(seeded, tmp_path):
    db = tmp_path / "review.duckdb"
    db.write_bytes(seeded.read_bytes())
    with store.write_session(db) as con:
        fact_id = con.execute("SELECT fact_id FROM facts LIMIT 1").fetchone()[0]
        total = con.execute("SELECT count(*) FROM facts").fetchone()[0]
        store.add_correction(con, fact_id, "status", "rejected", "王", "不是数据", action="reject")
    assert _export(db, tmp_path / "a.csv", "csv") == 0
    assert _export(db, tmp_path / "b.csv", "csv", "--include-rejected") == 0
    kept = pd.read_csv(tmp_path / "a.csv", encoding="utf-8-sig")
    everything = pd.read_csv(tmp_path / "b.csv", encoding="utf-8-sig")
    assert len(kept) == total - 1 and len(everything) == total and fact_id not in set(kept["fact_id"])


@pytest.mark.parametrize("text", ["第一行\r第二行", "第一行\r\n第二行", "说“好”,再见", "\r=1+1"])
def test_csv_cells_with_line_breaks_quotes_and_commas_stay_one_cell(text):
    data = to_csv_bytes(pd.DataFrame({"sentence": [text, "下一行"]}))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == [neutralise_cell(text), "下一行"]


def test_xlsx_tables_have_a_frozen_header_a_filter_and_real_links_not_formulas():
    frame = pd.DataFrame({"城市": ["聊城市", "临清市"], "原文": ["http://10.0.0.2:8501/article?article=a1",
                                                          "javascript:alert(1)"]})
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame, pd.DataFrame({"文章标题": ["x"]}))))
    for name in ("数据", "来源"):
        assert book[name].freeze_panes == "A2" and book[name].auto_filter.ref == book[name].dimensions
    cells = book["数据"]["B"]
    assert cells[1].hyperlink.target == "http://10.0.0.2:8501/article?article=a1"
    assert cells[2].hyperlink is None, "only http(s) addresses become links"
    assert all(c.data_type != "f" for c in cells)


def test_every_readable_header_is_chinese_and_explained():
    doc = readable_doc(READABLE_HEADERS.values())
    assert all(re.search(r"[\u4e00-\u9fff]", header) for header in READABLE_HEADERS.values())
    assert [h for h, meaning in doc.items() if not meaning] == []
    assert len(set(READABLE_HEADERS.values())) == len(READABLE_HEADERS)


def test_the_command_line_xlsx_is_frozen_and_filterable_too(seeded, tmp_path):
    assert _export(seeded, tmp_path / "all.xlsx", "xlsx") == 0
    sheet = openpyxl.load_workbook(tmp_path / "all.xlsx")["数据"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
