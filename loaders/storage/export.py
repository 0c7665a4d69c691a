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
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import pandas as pd

from loaders.storage import store
from loaders.taxonomy import load_taxonomy

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
    "metric": "指标名称（有规范指标时为规范指标，如“脱贫人口”）",
    "metric_label": "原文中的指标说法（如“稳定脱贫建档立卡贫困人口”）",
    "canonical_metric": "所属规范指标（攻坚领域分类表中的指标），没有时为空",
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

READABLE_HEADERS: dict[str, str] = {
    "published": "刊发日期", "province": "省份", "city": "城市", "county": "县（市、区）",
    "initiative": "攻坚领域", "metric": "指标", "metric_label": "原文指标",
    "shown": "数值", "value": "原始数值", "unit": "单位",
    "approx": "约数", "range_hi": "区间上限", "kind": "类型", "period_year": "所属年份", "period": "时期",
    "quote": "原文片段", "sentence": "原句", "title": "文章标题", "link": "原文", "url": "网页地址",
    "doc": "版面文件", "paper": "报纸", "page": "版次", "date_source": "日期来源", "source": "来源文件",
    "figures": "数据条数", "confidence": "可信度", "tier": "层级",
    "review_status": "校对状态", "fact_id": "数据编号", "article_id": "文章编号",
}
"""Store column → the Chinese header of a download, in the order the columns are written."""
KIND_LABELS = {"stock": "累计数", "flow": "期间数", "rate": "比率", "target": "目标", "duration": "时长"}
TIER_LABELS = {"core": "汇总数", "detail": "个例"}
STATUS_LABELS = {"accepted": "已确认", "corrected": "已更正", "rejected": "已否决"}
LINK_HEADERS = ("原文", "网页地址")
READABLE_DOC: dict[str, str] = {
    "数值": "按原文写法换算的数值（如 3,478万元、2,000多棵）",
    "原始数值": "换算为基本单位后的数值（如 3478万元 → 34780000），便于计算",
    "类型": "累计数（截至某时的总量）、期间数（一段时间内的量）、比率、目标、时长",
    "层级": "汇总数为可汇总的总量，个例为某个项目、企业或人的数字",
    "校对状态": "已确认、已更正、已否决；空为未校对",
    "原文": "在看板中打开这条数据所在的文章（需登录看板）",
    "网页地址": "文章原来的网页地址（网页来源才有）",
    "攻坚领域": "攻坚领域（如 脱贫攻坚、技术改造、助企纾困、政务服务）",
    "数据条数": "这篇文章中符合筛选条件的数据条数",
    "报纸": "文章所在的报纸或网站",
    "版次": "文章所在的版面（如 A03）",
    "日期来源": "刊发日期从哪里来（用户填写、文件名、网页信息或正文）",
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


def _initiative_label(key: str) -> str:
    return "｜".join(load_taxonomy().label(part) for part in str(key).split("|")) if key else ""


def _plain_value(value: object, unit: str) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):,.6f}".rstrip("0").rstrip(".") + (unit or "")


def readable_frame(df: pd.DataFrame, label: Callable[[str], str] | None = None,
                   shown: Callable[..., str] | None = None,
                   link: Callable[[str], str] | None = None) -> pd.DataFrame:
    """The facts as an official reads them: Chinese headers and words, a formatted value beside the raw.

    ``label`` names an initiative (``"gov_services"`` → ``"政务服务"``, the taxonomy's label by
    default), ``shown(value, unit, approx, range_hi)`` writes the value as the screen does
    (``"3,478万元"``), ``link(article_id)`` gives the 原文 address. Codes become words
    (``stock`` → 累计数, ``core`` → 汇总数, ``corrected`` → 已更正); columns the frame lacks are skipped.
    """
    label = label or _initiative_label
    out = pd.DataFrame(index=df.index)
    for col in READABLE_HEADERS:
        if col == "shown" and "value" in df:
            units = df["unit"] if "unit" in df else pd.Series("", index=df.index)
            if shown is None:
                out[col] = [_plain_value(v, u) for v, u in zip(df["value"], units, strict=True)]
            else:
                approx = df["approx"] if "approx" in df else pd.Series("", index=df.index)
                high = df["range_hi"] if "range_hi" in df else pd.Series(None, index=df.index)
                out[col] = ["" if v is None or pd.isna(v) else shown(v, u or "", a or "", h)
                            for v, u, a, h in zip(df["value"], units, approx, high, strict=True)]
        elif col == "link" and link is not None and "article_id" in df:
            out[col] = [link(a) if a else "" for a in df["article_id"]]
        elif col in df:
            out[col] = df[col]
    words = {"initiative": label, "kind": KIND_LABELS.get, "tier": TIER_LABELS.get,
             "review_status": STATUS_LABELS.get}
    for col, word in words.items():
        if col in out:
            out[col] = [(word(k) or k) if isinstance(k, str) and k else "" for k in out[col]]
    return out.rename(columns=READABLE_HEADERS).reset_index(drop=True)


def readable_doc(columns: Iterable[str]) -> dict[str, str]:
    """The 说明 sheet's meaning of each Chinese header (from COLUMN_DOC, codes replaced by words)."""
    by_header = {header: COLUMN_DOC.get(col, "") for col, header in READABLE_HEADERS.items()}
    by_header.update(READABLE_DOC)
    return {c: by_header.get(c, "") for c in columns}


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
        for name in ("数据", "来源"):
            _table_sheet(writer.book[name])
    return buffer.getvalue()


def _table_sheet(sheet) -> None:
    """Header frozen and filterable (Excel's 筛选 arrows); 原文 / 网页地址 cells are real links.

    A link is set as the cell's hyperlink, not as a =HYPERLINK formula, and only for http(s)
    addresses, so the formula neutraliser still holds for every cell.
    """
    if sheet.max_row < 1 or sheet.max_column < 1:
        return
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    headers = [c.value for c in sheet[1]]
    for header in LINK_HEADERS:
        if header not in headers:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=headers.index(header) + 1,
                                       max_col=headers.index(header) + 1):
            if isinstance(cell.value, str) and cell.value.startswith(("http://", "https://")):
                cell.hyperlink = cell.value
                cell.style = "Hyperlink"


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
