"""Downloads hold exactly the filtered rows, in the screen's Chinese: CSV with a BOM, XLSX with its
three sheets (header frozen and filterable, 原文 a real link), no formulas, the period in the name."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest

from dashboard import downloads, queries
from dashboard.filters import Filters
from dashboard.initiatives import label_of
from loaders.storage import export, store

DATABASE_HEADERS = {"fact_id", "article_id", "city", "county", "initiative", "metric", "value", "unit",
                    "kind", "tier", "review_status", "period_year", "published", "sentence", "doc"}
CODES = {"gov_services", "poverty", "tech_renovation", "enterprise_support", "stock", "flow", "rate",
         "core", "detail", "accepted", "corrected", "rejected"}
BASE = "http://10.0.0.2:8501/"  # st.context.url: the app root


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
    assert {r["城市"] for r in rows} == {"聊城市"}
    assert len(rows) < queries.fetch_count(con, Filters())


def test_csv_headers_and_words_are_chinese(con):
    rows = read_csv(downloads.csv_bytes(con, Filters(), base_url=BASE))
    headers = set(rows[0])
    assert not headers & DATABASE_HEADERS, f"database headers in the CSV: {headers & DATABASE_HEADERS}"
    assert {"城市", "攻坚领域", "指标", "数值", "原始数值", "单位", "类型", "原句", "原文",
            "数据编号"} <= headers
    cells = {v for r in rows for k, v in r.items() if k in ("攻坚领域", "类型", "层级", "校对状态")}
    assert not cells & CODES, f"codes in the CSV: {cells & CODES}"
    assert "政务服务" in {r["攻坚领域"] for r in rows}
    assert {r["类型"] for r in rows} <= {"累计数", "期间数", "比率", "目标", "时长", ""}


def test_the_formatted_value_stands_beside_the_raw_one(con):
    rows = read_csv(downloads.csv_bytes(con, Filters()))
    assert list(rows[0]).index("原始数值") == list(rows[0]).index("数值") + 1
    yuan = [r for r in rows if r["单位"] == "元" and float(r["原始数值"] or 0) >= 1e8]
    assert yuan and all("亿" in r["数值"] and r["数值"] != r["原始数值"] for r in yuan)
    assert all(re.fullmatch(r"-?[\d.]+(e[+-]?\d+)?", r["原始数值"]) for r in rows if r["原始数值"])


def test_xlsx_has_data_sources_and_notes(con):
    wanted = Filters(initiatives=("poverty",))
    book = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(con, wanted, label_of)))
    assert book.sheetnames == ["数据", "来源", "说明"]
    assert book["数据"].max_row - 1 == queries.fetch_count(con, wanted)
    rows = list(book["说明"].iter_rows(values_only=True))
    split = rows.index(("列名", "含义"))
    wanted_as_written = {row[0]: row[1] for row in rows[:split]}
    columns = {row[0]: row[1] for row in rows[split + 1:]}
    assert wanted_as_written["攻坚领域"] == "脱贫攻坚"
    assert "累计数" in columns["类型"] and columns["原始数值"] and columns["数值"]  # the column dictionary
    assert set(columns) == {c.value for c in book["数据"][1]} and not set(columns) & DATABASE_HEADERS


def test_xlsx_headers_are_chinese_frozen_and_filterable(con):
    book = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(con, Filters(), base_url=BASE)))
    for name in ("数据", "来源"):
        sheet = book[name]
        headers = [c.value for c in sheet[1]]
        assert not set(headers) & DATABASE_HEADERS, f"{name}: {headers}"
        assert all(re.search(r"[\u4e00-\u9fff]", h) for h in headers), headers
        assert sheet.freeze_panes == "A2", f"{name}: header not frozen"
        assert sheet.auto_filter.ref == sheet.dimensions, f"{name}: no autofilter over the table"
    assert "文章标题" in [c.value for c in book["来源"][1]]


def test_xlsx_links_each_figure_to_its_article(con):
    sheet = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(con, Filters(), base_url=BASE)))["数据"]
    headers = [c.value for c in sheet[1]]
    link = sheet.cell(row=2, column=headers.index("原文") + 1)
    article = sheet.cell(row=2, column=headers.index("文章编号") + 1).value
    assert link.value == f"http://10.0.0.2:8501/article?article={article}"
    assert link.hyperlink is not None and link.hyperlink.target == link.value
    assert link.data_type != "f"


@pytest.mark.parametrize(("base", "expected"), [
    ("http://10.0.0.2:8501/", "http://10.0.0.2:8501/article?article=a1"),
    ("http://10.0.0.2:8501/explore", "http://10.0.0.2:8501/article?article=a1"),
    ("https://example.gov.cn/kanban/", "https://example.gov.cn/kanban/article?article=a1"),
    ("https://example.gov.cn/kanban/explore", "https://example.gov.cn/kanban/article?article=a1"),
    ("", "article?article=a1"),
])
def test_article_address(base, expected):
    assert downloads.article_address(base, "a1") == expected


def test_formula_like_text_is_neutralised(con, monkeypatch):
    frame = queries.fetch_facts(con, Filters()).head(1).copy()
    frame["sentence"] = '=HYPERLINK("http://example.com","点我")'
    frame["city"] = "=cmd|' /C calc'!A0"
    monkeypatch.setattr(queries, "fetch_facts", lambda *_args, **_kw: frame)
    rows = read_csv(downloads.csv_bytes(con, Filters()))
    assert rows[0]["原句"].startswith("'=") and rows[0]["城市"].startswith("'=")
    sheet = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(con, Filters())))["数据"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("原句") + 1).value.startswith("'=")
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize(("filters", "span", "expected"), [
    (Filters(cities=("聊城市",)), (dt.date(2020, 1, 3), dt.date(2020, 6, 21)),
     "攻坚看板数据_聊城市_20200103-20200621.csv"),
    (Filters(start=dt.date(2020, 3, 1), end=dt.date(2020, 5, 31)),
     (dt.date(2019, 1, 1), dt.date(2020, 6, 21)), "攻坚看板数据_20200301-20200531.csv"),
    (Filters(start=dt.date(2020, 3, 1)), (None, None), "攻坚看板数据_20200301-.csv"),
    (Filters(), (None, None), "攻坚看板数据.csv"),
])
def test_file_name_says_what_was_filtered_and_the_period(filters, span, expected):
    assert downloads.file_name(filters, ".csv", *span) == expected


def test_the_readable_frame_names_codes_in_words():
    import pandas as pd
    frame = pd.DataFrame({"initiative": ["gov_services", "poverty|tech_renovation", ""],
                          "kind": ["stock", "flow", None], "tier": ["core", "detail", ""],
                          "review_status": ["corrected", None, "accepted"],
                          "value": [3.0, 34_780_000.0, None],
                          "unit": ["工作日", "元", ""], "article_id": ["a", "b", "c"]})
    out = export.readable_frame(frame, link=lambda a: f"x/{a}")
    assert list(out["攻坚领域"]) == ["政务服务", "脱贫攻坚｜技术改造", ""]
    assert list(out["类型"]) == ["累计数", "期间数", ""]
    assert list(out["层级"]) == ["汇总数", "个例", ""]
    assert list(out["校对状态"]) == ["已更正", "", "已确认"]
    assert list(out["数值"]) == ["3工作日", "34,780,000元", ""]
    assert list(out["原文"]) == ["x/a", "x/b", "x/c"]
