"""Downloads of the facts table: CSV that Excel opens, XLSX with sources and notes, Parquet.

Why: officials open downloads in Excel. Excel reads a CSV as the local code page unless it
starts with a BOM, so Chinese turns to mojibake; and a cell that starts with = + - @ is run
as a formula (CSV/formula injection), so such text cells get a leading apostrophe. The
dashboard's download buttons call the same functions as ``python -m loaders export``.

Example::

    neutralise_cell("=HYPERLINK(\\"http://x\\")")  # → "'=HYPERLINK(\\"http://x\\")"
    to_csv_bytes(df)[:3] == b"\\xef\\xbb\\xbf"
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from loaders.storage import store

_RISKY_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

COLUMN_DOC: dict[str, str] = {
    "fact_id": "数据编号（由文章和原文片段算出，重新提取后不变）",
    "article_id": "文章编号",
    "doc": "版面文件名",
    "province": "省份（全称；全国数据为空）",
    "city": "地市（全称；全省数据为“山东省”，全国数据为“全国”）",
    "county": "县（市、区）或功能区；地市级数据为空",
    "initiative": "攻坚领域（如 poverty 脱贫攻坚、tech_renovation 技术改造、enterprise_support 助企纾困）",
    "metric": "指标名称",
    "value": "数值（已换算为基本单位，如 3478万元 → 34780000）",
    "unit": "单位（元、个、户、人、%、亩 等）",
    "approx": "约数说明（余、多、近、超过、以上、约），精确数为空",
    "range_hi": "区间上限（如 30-50吨 的 50），非区间为空",
    "period_year": "数据所属年份",
    "year": "数据所属年份",
    "period": "原文中的时期（如 1-5月、截至3月20日）",
    "quote": "原文中的数字片段",
    "sentence": "数字所在的原句",
    "char_start": "片段在文章文字中的起始位置",
    "char_end": "片段在文章文字中的结束位置",
    "confidence": "提取可信度（0-1，越高越可靠）",
    "tier": "层级：core 为可汇总的总量，detail 为个例",
    "kind": "类型：stock 存量、flow 流量、rate 比率、target 目标、duration 时长",
    "place_how": ("地点的判定方式：explicit 原文写明、deictic 由“我市/该县”推断、"
                  "article 文章地点、page 版面地点、guess 推测"),
    "parent_fact_id": "所属总数的数据编号（“其中”“包括”等分项数据），总数本身为空",
    "title": "文章标题",
    "published": "刊发日期",
    "published_date": "刊发日期（日期格式，只知年月时取当月1日）",
    "source": "来源文件",
    "review_status": "校对状态：accepted 已确认、corrected 已更正、rejected 已否决，空为未校对",
}

FILTER_LABELS = {"city": "地市", "county": "县区", "initiative": "攻坚领域", "metric": "指标",
                 "since": "起始日期", "until": "截止日期", "search": "文字搜索",
                 "include_rejected": "含已否决数据"}


def neutralise_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; other values pass.

    ``neutralise_cell("-5%")`` → ``"'-5%"``; ``neutralise_cell(-5.0)`` → ``-5.0``.
    """
    if isinstance(value, str) and value.startswith(_RISKY_START):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell).astype(object)
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel then reads Chinese correctly), formulas neutralised, CRLF rows (RFC 4180).

    CRLF also makes the csv writer quote a field holding a lone CR, which would otherwise split the row.
    """
    return neutralise_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _xlsx_safe(df: pd.DataFrame) -> pd.DataFrame:
    out = neutralise_frame(df)
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: _ILLEGAL_XLSX.sub("", v) if isinstance(v, str) else v)
        elif isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
    return out


def to_xlsx_bytes(df: pd.DataFrame, sources_df: pd.DataFrame | None = None,
                  filters: dict | None = None, columns_doc: dict | None = None) -> bytes:
    """A workbook with sheets 数据 (the rows), 来源 (their articles) and 说明 (columns and filters)."""
    columns_doc = COLUMN_DOC if columns_doc is None else columns_doc
    notes = [("导出时间", datetime.now().strftime("%Y-%m-%d %H:%M")), ("数据行数", str(len(df))), ("", "")]
    notes.append(("筛选条件", "" if filters else "无（全部数据）"))
    for key, value in (filters or {}).items():
        notes.append((FILTER_LABELS.get(key, key), str(value)))
    notes += [("", ""), ("列名", "含义")]
    notes += [(col, columns_doc.get(col, "")) for col in df.columns]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _xlsx_safe(df).to_excel(writer, sheet_name="数据", index=False)
        sources = sources_df if sources_df is not None else pd.DataFrame(columns=["doc", "title"])
        _xlsx_safe(sources).to_excel(writer, sheet_name="来源", index=False)
        _xlsx_safe(pd.DataFrame(notes, columns=["项目", "说明"])).to_excel(writer, sheet_name="说明",
                                                                         index=False)
        for sheet in writer.book.worksheets:
            for column in sheet.columns:
                width = min(60, max(8, *(len(str(c.value or "")) * 2 for c in column[:50])))
                sheet.column_dimensions[column[0].column_letter].width = width
    return buffer.getvalue()


# --- from the store -------------------------------------------------------------------------

def query_facts(con, filters: dict) -> pd.DataFrame:
    """Rows of ``facts_current`` that pass ``filters`` (keys as FILTER_LABELS; empty values ignored)."""
    where = [] if filters.get("include_rejected") else ["review_status <> 'rejected'"]
    params: list = []
    for key in ("city", "county", "initiative", "metric"):
        if filters.get(key):
            where.append(f"{key} = ?")
            params.append(filters[key])
    if filters.get("since"):
        where.append("published_date >= CAST(? AS DATE)")
        params.append(str(filters["since"]))
    if filters.get("until"):
        where.append("published_date <= CAST(? AS DATE)")
        params.append(str(filters["until"]))
    if filters.get("search"):
        where.append("(sentence ILIKE ? OR metric ILIKE ? OR title ILIKE ?)")
        params += [f"%{filters['search']}%"] * 3
    sql = "SELECT * FROM facts_current"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return con.execute(sql + " ORDER BY published_date, doc, char_start", params).fetchdf()


def sources_of(con, df: pd.DataFrame) -> pd.DataFrame:
    ids = sorted(set(df["article_id"])) if "article_id" in df else []
    return con.execute("SELECT doc, title, published, date_source, paper, page, url, source, article_id "
                       "FROM articles "
                       "WHERE list_contains(?, article_id) ORDER BY published, doc", [ids]).fetchdf()


def export_store(db_path: str | Path | None, fmt: str, out: str | Path, filters: dict | None = None) -> int:
    """Write the filtered facts to ``out`` as csv, xlsx or parquet; return the number of rows."""
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "", False)}
    con = store.open_reader(db_path)
    try:
        df = query_facts(con, filters)
        out = Path(out)
        if fmt == "csv":
            out.write_bytes(to_csv_bytes(df))
        elif fmt == "xlsx":
            out.write_bytes(to_xlsx_bytes(df, sources_of(con, df), filters, COLUMN_DOC))
        elif fmt == "parquet":
            df.to_parquet(out, index=False)
        else:
            raise store.StoreError(f"不支持的导出格式 {fmt}：请用 csv、xlsx 或 parquet")
    finally:
        con.close()
    return len(df)
