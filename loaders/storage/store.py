"""The DuckDB store: articles, facts, campaigns, corrections and the ingest log in one file.

Why a file and these rules: officials add pages every day and must never lose what is stored
or see a figure twice. So

- every page is written in one transaction (``store_page``): after a crash it is there whole
  or not at all, and re-running the batch completes it;
- a page's identity is the hash of its normalised text (``PageResult.content_hash``), an
  article's is the hash of its text and a figure's is ``stable_id(article_id, quote, n)``:
  the same page in another encoding or file name, or an article printed on two pages, adds
  nothing;
- the schema carries a version and ``migrate`` brings an older store up to date on open.

Readers during writes. DuckDB lets one process hold a file for writing, and while it does no
other process may open that file at all, not even read-only; a read-only connection held by
the dashboard would in turn stop every ingest. So readers never open the main file. A writer
publishes a read snapshot after it commits (``publish_snapshot``): it checkpoints, copies
the file to ``tracker.duckdb.read/snap-<time>.duckdb`` and then atomically replaces the
pointer file ``tracker.duckdb.read/CURRENT`` with that name. ``open_reader`` opens the
snapshot ``CURRENT`` names, read-only; ``reader_version`` is that name, so a dashboard keys
its cache on it and reopens when new data is published. Every snapshot has its own file name
because DuckDB caches open databases by path; a snapshot is removed once two newer ones
exist (a reader still holding one keeps reading it: POSIX keeps an unlinked file alive).
Writers (an ingest, a reviewer's correction) wait for the file with ``connect(wait=...)``;
an ingest lets go of it every few seconds so a correction never waits long.

Example::

    con = connect("data/tracker.duckdb")
    store_page(con, extract_text(page_text, source="000.txt"))   # "ok", then "duplicate"
    publish_snapshot(con)
    open_reader("data/tracker.duckdb").execute("SELECT count(*) FROM facts_current")
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders.records import Article, Fact, stable_id
from loaders.storage import search, summaries

SCHEMA_VERSION = 3
ENV_VAR = "CAMPAIGN_TRACKER_DB"
_SNAPSHOT_SUFFIX = ".read"
_KEEP_SNAPSHOTS = 2
CORRECTABLE_FIELDS = ("province", "city", "county", "initiative", "metric", "value", "unit", "period",
                      "period_year", "status")
ACTIONS = ("edit", "accept", "reject")


class StoreError(Exception):
    """A store that cannot be used; ``message`` is a Chinese sentence naming the file and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def default_db_path() -> Path:
    """``$CAMPAIGN_TRACKER_DB`` if set, else ``<project>/data/tracker.duckdb`` (the dashboard's rule too)."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data" / "tracker.duckdb"


def _db_path(db_path: str | Path | None) -> Path:
    return Path(db_path) if db_path else default_db_path()


# --- schema ---------------------------------------------------------------------------------

# Version 1 is the first release's layout; it stays here so migrations (and their test) can
# build a store as that release left it.
SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER);
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY, source VARCHAR, doc VARCHAR, paper VARCHAR, title VARCHAR,
    subtitle VARCHAR, byline VARCHAR, dateline_place VARCHAR, published VARCHAR,
    date_precision VARCHAR, home_city VARCHAR, body VARCHAR, text VARCHAR,
    ingested_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS facts (
    fact_id VARCHAR PRIMARY KEY, article_id VARCHAR, doc VARCHAR, city VARCHAR, county VARCHAR,
    initiative VARCHAR, metric VARCHAR, value DOUBLE, unit VARCHAR, approx VARCHAR,
    range_hi DOUBLE, period_year INTEGER, period VARCHAR, quote VARCHAR, sentence VARCHAR,
    char_start INTEGER, char_end INTEGER, confidence DOUBLE);
CREATE TABLE IF NOT EXISTS campaigns (article_id VARCHAR, name VARCHAR, count INTEGER);
CREATE TABLE IF NOT EXISTS corrections (
    correction_id VARCHAR PRIMARY KEY, fact_id VARCHAR, field VARCHAR, old_value VARCHAR,
    new_value VARCHAR, who VARCHAR, "at" TIMESTAMP);
CREATE TABLE IF NOT EXISTS ingest_log (
    file VARCHAR, content_hash VARCHAR, status VARCHAR, message VARCHAR, "at" TIMESTAMP);
"""

# Version 2: published_date for date filters, the article's main place, the facts' tier/kind/
# how the place was found, corrections that can find their figure again, the stored page
# text (re-extraction) and per-file counts in the log.
MIGRATION_V2 = """
ALTER TABLE articles ADD COLUMN IF NOT EXISTS published_date DATE;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS place VARCHAR DEFAULT '';
ALTER TABLE articles ADD COLUMN IF NOT EXISTS content_hash VARCHAR DEFAULT '';
ALTER TABLE facts ADD COLUMN IF NOT EXISTS tier VARCHAR DEFAULT 'core';
ALTER TABLE facts ADD COLUMN IF NOT EXISTS kind VARCHAR DEFAULT '';
ALTER TABLE facts ADD COLUMN IF NOT EXISTS place_how VARCHAR DEFAULT '';
ALTER TABLE corrections ADD COLUMN IF NOT EXISTS article_id VARCHAR DEFAULT '';
ALTER TABLE corrections ADD COLUMN IF NOT EXISTS quote VARCHAR DEFAULT '';
ALTER TABLE corrections ADD COLUMN IF NOT EXISTS sentence VARCHAR DEFAULT '';
ALTER TABLE corrections ADD COLUMN IF NOT EXISTS action VARCHAR DEFAULT 'edit';
ALTER TABLE corrections ADD COLUMN IF NOT EXISTS why VARCHAR DEFAULT '';
ALTER TABLE ingest_log ADD COLUMN IF NOT EXISTS articles INTEGER DEFAULT 0;
ALTER TABLE ingest_log ADD COLUMN IF NOT EXISTS facts INTEGER DEFAULT 0;
ALTER TABLE ingest_log ADD COLUMN IF NOT EXISTS file_hash VARCHAR DEFAULT '';
CREATE TABLE IF NOT EXISTS pages (
    content_hash VARCHAR PRIMARY KEY, source VARCHAR, doc VARCHAR, text VARCHAR,
    ingested_at TIMESTAMP);
UPDATE articles SET published_date = CASE
    WHEN regexp_matches(published, '^\\d{4}-\\d{2}-\\d{2}$') THEN TRY_CAST(published AS DATE)
    WHEN regexp_matches(published, '^\\d{4}-\\d{2}$') THEN TRY_CAST(published || '-01' AS DATE)
    WHEN regexp_matches(published, '^\\d{4}$') THEN TRY_CAST(published || '-01-01' AS DATE)
    END WHERE published_date IS NULL;
"""

# Version 3: facts know their province and the whole a part belongs to; articles know their
# paper's province, the edition page and URL, and where their date came from. Stores from
# earlier releases held Shandong's papers only, so their figures are given 山东省 where their
# city is one of its own (other provinces' cities and 全国 keep an empty province).
# campaign_names holds a person's decision on a campaign name the patterns found (confirmed |
# rejected, see loaders/campaigns.py); article_words is the articles' jieba word index (search.py).
MIGRATION_V3 = """
ALTER TABLE facts ADD COLUMN IF NOT EXISTS province VARCHAR DEFAULT '';
ALTER TABLE facts ADD COLUMN IF NOT EXISTS parent_fact_id VARCHAR DEFAULT '';
ALTER TABLE facts ADD COLUMN IF NOT EXISTS canonical_metric VARCHAR DEFAULT '';
ALTER TABLE articles ADD COLUMN IF NOT EXISTS home_province VARCHAR DEFAULT '';
ALTER TABLE articles ADD COLUMN IF NOT EXISTS page VARCHAR DEFAULT '';
ALTER TABLE articles ADD COLUMN IF NOT EXISTS page_name VARCHAR DEFAULT '';
ALTER TABLE articles ADD COLUMN IF NOT EXISTS url VARCHAR DEFAULT '';
ALTER TABLE articles ADD COLUMN IF NOT EXISTS date_source VARCHAR DEFAULT '';
UPDATE facts SET province = '山东省' WHERE province = '' AND city IN (
    '山东省', '济南市', '青岛市', '淄博市', '枣庄市', '东营市', '烟台市', '潍坊市', '济宁市',
    '泰安市', '威海市', '日照市', '临沂市', '德州市', '聊城市', '滨州市', '菏泽市');
UPDATE articles SET home_province = '山东省' WHERE home_province = '';
""" + """
ALTER TABLE pages ADD COLUMN IF NOT EXISTS source_key VARCHAR DEFAULT '';
ALTER TABLE pages ADD COLUMN IF NOT EXISTS superseded_by VARCHAR DEFAULT '';
ALTER TABLE pages ADD COLUMN IF NOT EXISTS superseded_at TIMESTAMP;
UPDATE pages SET source_key = regexp_extract(source, '[^/\\\\]*$') WHERE source_key = '';
CREATE TABLE IF NOT EXISTS articles_history AS
    SELECT *, NULL::TIMESTAMP AS superseded_at FROM articles LIMIT 0;
CREATE TABLE IF NOT EXISTS facts_history AS
    SELECT *, ''::VARCHAR AS content_hash, NULL::TIMESTAMP AS superseded_at FROM facts LIMIT 0;
CREATE TABLE IF NOT EXISTS campaigns_history AS
    SELECT *, ''::VARCHAR AS content_hash, NULL::TIMESTAMP AS superseded_at FROM campaigns LIMIT 0;
CREATE TABLE IF NOT EXISTS campaign_names (
    name VARCHAR PRIMARY KEY, status VARCHAR, who VARCHAR, "at" TIMESTAMP);
CREATE TABLE IF NOT EXISTS article_words (article_id VARCHAR, word VARCHAR, n INTEGER);
"""
# Versions of a source (part of version 3, added before its release; ``migrate`` adds them to a
# store already at version 3): a page knows its source key (the path relative to the ingested
# folder, or an upload's name) and the newer version that superseded it; a superseded version's
# articles, figures and campaigns move to the *_history tables, where they stay readable.
_V3_VERSIONS = MIGRATION_V3[MIGRATION_V3.index("ALTER TABLE pages"):]

MIGRATIONS: dict[int, str] = {1: SCHEMA_V1, 2: MIGRATION_V2, 3: MIGRATION_V3}

ARTICLE_TABLE_COLUMNS = ("article_id", "source", "doc", "paper", "title", "subtitle", "byline",
                         "dateline_place", "published", "published_date", "date_precision",
                         "home_city", "place", "body", "text", "ingested_at", "content_hash",
                         "home_province", "page", "page_name", "url", "date_source")
FACT_TABLE_COLUMNS = ("fact_id", "article_id", "doc", "province", "city", "county", "initiative", "metric",
                      "value", "unit", "approx", "range_hi", "period_year", "period", "quote",
                      "sentence", "char_start", "char_end", "confidence", "tier", "kind", "place_how",
                      "parent_fact_id", "canonical_metric")

_STR = pa.string()
_ARTICLE_SCHEMA = pa.schema([(c, pa.date32() if c == "published_date" else
                              pa.timestamp("us") if c == "ingested_at" else _STR)
                             for c in ARTICLE_TABLE_COLUMNS])
_FACT_TYPES = {"value": pa.float64(), "range_hi": pa.float64(), "confidence": pa.float64(),
               "period_year": pa.int32(), "char_start": pa.int32(), "char_end": pa.int32()}
_FACT_SCHEMA = pa.schema([(c, _FACT_TYPES.get(c, _STR)) for c in FACT_TABLE_COLUMNS])
_CAMPAIGN_SCHEMA = pa.schema([("article_id", _STR), ("name", _STR), ("count", pa.int32())])

_TEXT_FIELDS = ("province", "city", "county", "initiative", "metric", "unit", "period")


def _facts_current_sql() -> str:
    """The view the dashboard reads: facts with the latest edit of each field applied."""
    picks = ",\n".join(
        f"arg_max(new_value, \"at\") FILTER (WHERE action = 'edit' AND field = '{f}') AS c_{f}"
        for f in (*_TEXT_FIELDS, "value", "period_year"))
    fact_cols = []
    for c in FACT_TABLE_COLUMNS:
        if c == "metric":
            # Charts and cards compare by the taxonomy's metric where a figure has one (脱贫人口);
            # metric_label keeps the text's own words (稳定脱贫建档立卡贫困人口). A reviewer's edit wins.
            fact_cols.append("coalesce(e.c_metric, nullif(f.canonical_metric, ''), f.metric) AS metric")
            fact_cols.append("coalesce(e.c_metric, f.metric) AS metric_label")
        elif c in _TEXT_FIELDS:
            fact_cols.append(f"coalesce(e.c_{c}, f.{c}) AS {c}")
        elif c == "value":
            fact_cols.append("coalesce(TRY_CAST(e.c_value AS DOUBLE), f.value) AS value")
        elif c == "period_year":
            fact_cols.append("coalesce(TRY_CAST(e.c_period_year AS INTEGER), f.period_year) AS period_year")
        else:
            fact_cols.append(f"f.{c}")
    return f"""
CREATE OR REPLACE VIEW facts_current AS
WITH e AS (
    SELECT fact_id,
    {picks},
    count(*) FILTER (WHERE action = 'edit') AS n_edits,
    count(*) FILTER (WHERE action = 'accept') AS n_accepts,
    arg_max(action, "at") AS last_action
    FROM corrections GROUP BY fact_id)
SELECT {", ".join(fact_cols)},
    a.title, a.published, a.published_date, a.source,
    CASE WHEN e.last_action = 'reject' THEN 'rejected'
         WHEN coalesce(e.n_edits, 0) > 0 THEN 'corrected'
         WHEN coalesce(e.n_accepts, 0) > 0 THEN 'accepted'
         ELSE '' END AS review_status
FROM facts f
LEFT JOIN e USING (fact_id)
LEFT JOIN articles a USING (article_id)
"""


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    has = con.execute("SELECT count(*) FROM information_schema.tables "
                      "WHERE table_name = 'schema_version' AND table_schema = 'main'").fetchone()[0]
    if not has:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def _column_names(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = ? AND table_schema = 'main'", [table]).fetchall()}


def migrate(con: duckdb.DuckDBPyConnection, upto: int = SCHEMA_VERSION) -> int:
    """Bring the store to version ``upto``, one transaction per step; return the version found."""
    found = schema_version(con)
    if found > SCHEMA_VERSION:
        raise StoreError(f"数据库的版本（{found}）比本程序（{SCHEMA_VERSION}）新：请升级攻坚看板后再打开")
    for version in range(found + 1, upto + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(MIGRATIONS[version])
            con.execute("DELETE FROM schema_version")
            con.execute("INSERT INTO schema_version VALUES (?)", [version])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    if upto == SCHEMA_VERSION:  # the view reads the newest columns; an older layout has none
        if found == SCHEMA_VERSION and "source_key" not in _column_names(con, "pages"):
            con.execute("BEGIN TRANSACTION")
            con.execute(_V3_VERSIONS)
            con.execute("COMMIT")
        con.execute(_facts_current_sql())
    return found


# --- connections ----------------------------------------------------------------------------

def _is_lock_error(exc: Exception) -> bool:
    return "lock" in str(exc).lower()


def _not_duckdb(path: Path) -> bool:
    """A file that exists with content but lacks DuckDB's magic bytes (``DUCK`` at offset 8)."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with path.open("rb") as handle:
        head = handle.read(12)
    return head[8:12] != b"DUCK"


def _quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """No DuckDB progress bar: it would litter the command line's output and the dashboard's log."""
    con.execute("SET enable_progress_bar = false")
    return con


def _open(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return _quiet(duckdb.connect(str(path), read_only=read_only))
        except duckdb.Error as exc:
            if _is_lock_error(exc) and time.monotonic() < deadline:
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            if _is_lock_error(exc):
                raise StoreError(f"数据库 {path.name} 正被另一个程序写入（例如正在导入版面）："
                                 "请稍候再试") from exc
            raise StoreError(f"无法打开数据库 {path}（{exc}）：请检查文件是否完好，"
                             "或用 --db 指定另一个文件") from exc


def owner_only(path: Path) -> None:
    """Make a file of the store (0600) or its folder (0700) private to the account that runs it.

    The store holds internal material; DuckDB and ``shutil.copyfile`` create files with the
    process's umask (often 644, readable by every account on the server).
    """
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, 0o700 if path.is_dir() else 0o600)


def connect(db_path: str | Path | None = None, read_only: bool = False,
            wait: float = 10.0) -> duckdb.DuckDBPyConnection:
    """Open the store; a writable connection creates and migrates it.

    ``wait`` is how long to wait for another writer (an ingest) to let go of the file.
    ``connect("notes.txt")`` → StoreError("notes.txt 不是攻坚看板的数据库文件：…").
    """
    path = _db_path(db_path)
    if path.is_dir():  # a Parquet lake: corrections go to its side store (loaders.storage.lake)
        from loaders.storage import lake

        return lake.connect_local(path, wait=wait)
    if _not_duckdb(path):
        raise StoreError(f"{path.name} 不是攻坚看板的数据库文件（DuckDB）：请用 --db 指定正确的文件，"
                         "或换一个新文件名让程序新建")
    if read_only and not path.exists():
        raise StoreError(f"数据库 {path} 不存在：请先用 python -m loaders ingest 导入版面")
    if not read_only:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    con = _open(path, read_only, wait)
    if not read_only:
        owner_only(path)
        try:
            migrate(con)
        except BaseException:
            con.close()
            raise
    return con


@contextlib.contextmanager
def write_session(db_path: str | Path | None = None, wait: float = 10.0,
                  publish: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection that publishes a read snapshot and lets go of the file on exit."""
    con = connect(db_path, wait=wait)
    try:
        yield con
        if publish:
            publish_snapshot(con)
    finally:
        con.close()


def _connection_path(con: duckdb.DuckDBPyConnection) -> Path:
    row = con.execute("SELECT path FROM duckdb_databases() "
                      "WHERE database_name = current_database()").fetchone()
    return Path(row[0])


def snapshot_dir(db_path: str | Path | None = None) -> Path:
    path = _db_path(db_path)
    return path.with_name(path.name + _SNAPSHOT_SUFFIX)


# What the summaries of a snapshot may hold in memory before DuckDB spills to disk. Why: the review
# checks copy every figure into a temporary table, and unbounded they took the ingest's largest
# process from 450 to 880 MB at 10,000 pages (410,000 figures), for 1.5 s of CPU saved in spilling.
SUMMARY_MEMORY = "384MB"


def publish_snapshot(con: duckdb.DuckDBPyConnection, summarise: bool = True) -> Path:
    """Checkpoint and copy the store to a new snapshot file, then point CURRENT at it.

    Call it with the writer's connection after committing; nothing else can write meanwhile
    because this process holds the file. The copy gets the dashboard's summaries (``summaries``)
    before anyone can open it, unless ``summarise`` is False: an ingest's snapshots along the way
    are read by scanning (3 s of summaries per publish over a million figures would slow it),
    its last one has them.
    """
    path = _connection_path(con)
    folder = snapshot_dir(path)
    folder.mkdir(mode=0o700, exist_ok=True)
    owner_only(folder)
    con.execute("CHECKPOINT")
    name = f"snap-{time.time_ns():020d}-{os.getpid()}.duckdb"
    tmp = folder / (name + ".tmp")
    shutil.copyfile(path, tmp)
    owner_only(tmp)
    # The dashboard's first questions, answered once here rather than by every first visit.
    if summarise:
        bounded = {"memory_limit": SUMMARY_MEMORY}
        with contextlib.closing(duckdb.connect(str(tmp), config=bounded)) as snapshot:
            summaries.write(snapshot)
    os.replace(tmp, folder / name)
    pointer_tmp = folder / f"CURRENT.{os.getpid()}.tmp"
    pointer_tmp.write_text(name, encoding="utf-8")
    owner_only(pointer_tmp)
    os.replace(pointer_tmp, folder / "CURRENT")
    _prune_snapshots(folder, keep=name)
    return folder / name


def _prune_snapshots(folder: Path, keep: str) -> None:
    snaps = sorted(p for p in folder.glob("snap-*.duckdb") if p.name != keep)
    for old in snaps[: max(0, len(snaps) - (_KEEP_SNAPSHOTS - 1))]:
        with contextlib.suppress(OSError):
            old.unlink()
    for stale in folder.glob("*.tmp"):
        if time.time() - stale.stat().st_mtime > 600:
            with contextlib.suppress(OSError):
                stale.unlink()


def reader_version(db_path: str | Path | None = None) -> str:
    """Name of the newest published snapshot ('' if none): changes whenever new data is readable."""
    if _db_path(db_path).is_dir():  # a Parquet lake (loaders.storage.lake)
        from loaders.storage import lake

        return lake.reader_version(_db_path(db_path))
    pointer = snapshot_dir(db_path) / "CURRENT"
    try:
        return pointer.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def open_reader(db_path: str | Path | None = None, wait: float = 10.0) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the newest snapshot; never blocks (nor is blocked by) an ingest.

    With no snapshot yet (a store from an older release, or a fresh one) it publishes one
    first, waiting up to ``wait`` seconds for a running writer.
    """
    path = _db_path(db_path)
    if path.is_dir():  # a Parquet lake: views over its files in an in-memory DuckDB
        from loaders.storage import lake

        return lake.open_reader(path)
    if not reader_version(path):
        if not path.exists():
            raise StoreError(f"数据库 {path} 不存在：请先用 python -m loaders ingest 导入版面")
        with write_session(path, wait=wait):
            pass
    for _ in range(5):
        name = reader_version(path)
        try:
            return _quiet(duckdb.connect(str(snapshot_dir(path) / name), read_only=True))
        except duckdb.Error as exc:
            last = exc
            time.sleep(0.05)
    raise StoreError(f"无法读取数据库 {path.name} 的快照（{last}）：请重新打开看板")


# --- writing pages --------------------------------------------------------------------------

def published_date(published: str) -> date | None:
    """First day of what ``published`` names: "2020-06" → 2020-06-01; "" → None."""
    parts = published.split("-") if published else []
    try:
        nums = [int(p) for p in parts]
    except ValueError:
        return None
    if not nums or len(nums) > 3:
        return None
    nums += [1] * (3 - len(nums))
    try:
        return date(*nums)
    except ValueError:
        return None


def _article_rows(articles: list[Article], hashes: list[str], now: datetime) -> list[dict]:
    """Articles as rows of the articles table (the lake's builder writes these)."""
    rows = []
    for a, content_hash in zip(articles, hashes, strict=True):
        row = {c: getattr(a, c, None) for c in ARTICLE_TABLE_COLUMNS}
        row["published_date"] = published_date(a.published)
        row["ingested_at"] = now
        row["content_hash"] = content_hash
        rows.append(row)
    return rows


def _fact_rows(facts: list[Fact]) -> list[dict]:
    return [{c: getattr(f, c) for c in FACT_TABLE_COLUMNS} for f in facts]


def _page_published(page) -> str:
    return next((a.published for a in page.articles if a.published), "")


_BATCH_PAGE_SCHEMA = pa.schema([("ord", pa.int32()), ("source", _STR), ("source_key", _STR), ("doc", _STR),
                                ("content_hash", _STR), ("file_hash", _STR), ("error", _STR),
                                ("text", _STR), ("published", _STR)])
_ORD = [("ord", pa.int32())]
_BATCH_ARTICLE_SCHEMA = pa.schema([*_ORD, *_ARTICLE_SCHEMA])
_BATCH_FACT_SCHEMA = pa.schema([*_ORD, *_FACT_SCHEMA])
_BATCH_CAMPAIGN_SCHEMA = pa.schema([*_ORD, *_CAMPAIGN_SCHEMA])
# A word row's article id repeats for each of its article's words (180 on average): dictionary-encoded
# it crosses from a worker to the writer as an int32 (a 64-page batch pickles to 3.0 MB, not 3.9 MB).
_BATCH_WORD_SCHEMA = pa.schema([*_ORD, ("article_id", pa.dictionary(pa.int32(), _STR)),
                                *(f for f in search.WORD_SCHEMA if f.name != "article_id")])


@dataclasses.dataclass
class PageBatch:
    """Extracted pages as Arrow columns: what a worker sends the writer, stored with one INSERT per table.

    Why columns: a worker's result crosses a process boundary and then a DuckDB insert; Arrow
    tables pickle as a few buffers and DuckDB reads them without a row-by-row copy. ``ord`` is
    a page's place in the batch, linking its articles, figures and campaigns to it.
    """

    pages: pa.Table
    articles: pa.Table
    facts: pa.Table
    campaigns: pa.Table
    words: pa.Table  # the articles' search words, tokenised by the worker so the writer only inserts

    def __len__(self) -> int:
        return self.pages.num_rows

    def tables(self) -> tuple[pa.Table, ...]:
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self))


def _columns(rows: list[tuple[int, object]], names: tuple[str, ...], schema: pa.Schema,
             extra: dict[str, list] | None = None) -> pa.Table:
    data: dict[str, list] = {"ord": [i for i, _ in rows]}
    for name in names:
        if extra and name in extra:
            data[name] = extra[name]
        else:
            data[name] = [getattr(r, name) for _, r in rows]
    return pa.table({name: pa.array(data[name], type=schema.field(name).type) for name in schema.names},
                    schema=schema)


def page_batch(items: list[tuple]) -> PageBatch:
    """(PageResult, page_text, file_hash[, source_key]) items → a ``PageBatch``.

    ``page_batch([(extract_text(t, source="000.txt"), t, "ab12…", "000.txt")])``; the source
    key defaults to the page's source (an upload's name).
    """
    pages, articles, facts, campaigns = [], [], [], []
    words: dict[str, list] = {"ord": [], "article_id": [], "word": [], "n": []}
    for i, item in enumerate(items):
        page, text, file_hash = item[:3]
        key = item[3] if len(item) > 3 and item[3] else (page.source or page.doc)
        error = page.error
        pages.append((i, page.source, key, page.doc, page.content_hash, file_hash, error,
                      "" if error else text, _page_published(page)))
        if error:
            continue
        articles += [(i, a) for a in page.articles]
        facts += [(i, f) for f in page.facts]
        campaigns += [(i, c) for c in page.campaigns]
        found = search.word_columns((a.article_id, a.text) for a in page.articles)
        words["ord"] += [i] * len(found["word"])
        for name, column in found.items():
            words[name] += column
    page_table = pa.table(list(zip(*pages, strict=True)) if pages else [[] for _ in _BATCH_PAGE_SCHEMA],
                          schema=_BATCH_PAGE_SCHEMA)
    hashes = {i: h for i, _, _, _, h, *_ in pages}
    article_table = _columns(articles, ARTICLE_TABLE_COLUMNS, _BATCH_ARTICLE_SCHEMA, extra={
        "published_date": [published_date(a.published) for _, a in articles],
        "ingested_at": [None] * len(articles),
        "content_hash": [hashes[i] for i, _ in articles]})
    return PageBatch(page_table, article_table,
                     _columns(facts, FACT_TABLE_COLUMNS, _BATCH_FACT_SCHEMA),
                     _columns(campaigns, ("article_id", "name", "count"), _BATCH_CAMPAIGN_SCHEMA),
                     pa.table(words, schema=_BATCH_WORD_SCHEMA))


def _existing(con: duckdb.DuckDBPyConnection, table: str, key: str, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    wanted = pa.table({"id": pa.array(ids, type=pa.string())})  # noqa: F841 — read by DuckDB by name
    found = con.execute(f"SELECT t.{key} FROM {table} t JOIN wanted w ON t.{key} = w.id").fetchall()
    return {r[0] for r in found}


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], schema: pa.Schema) -> None:
    if not rows:
        return
    batch = pa.Table.from_pylist(rows, schema=schema)  # noqa: F841 — read by DuckDB by name
    cols = ", ".join(f'"{c}"' for c in schema.names)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM batch")


def log_entry(con: duckdb.DuckDBPyConnection, file: str, content_hash: str, status: str,
              message: str = "", articles: int = 0, facts: int = 0, file_hash: str = "") -> None:
    con.execute("INSERT INTO ingest_log (file, content_hash, status, message, articles, facts, \"at\", "
                "file_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [file, content_hash, status, message, articles, facts, datetime.now(), file_hash])


_LOG_SCHEMA = pa.schema([("file", _STR), ("content_hash", _STR), ("status", _STR), ("message", _STR),
                         ("articles", pa.int32()), ("facts", pa.int32()), ("at", pa.timestamp("us")),
                         ("file_hash", _STR)])


class Stored(NamedTuple):
    """What became of one page: ok | duplicate | error, what it added, and whether it replaced
    an older version of its source."""

    status: str
    articles: int = 0
    facts: int = 0
    replaced: bool = False


def _supersede(con: duckdb.DuckDBPyConnection, old_hashes: list[str], new_hash: str,
               now: datetime) -> list[str]:
    """Move the old versions' records to the history tables; return their article ids."""
    old_ids = [r[0] for r in con.execute("SELECT article_id FROM articles "
                                         "WHERE list_contains(?, content_hash)", [old_hashes]).fetchall()]
    for table in ("articles", "facts", "campaigns"):
        # the columns both tables have: a column added to a live table later is simply not kept
        kept = sorted((_column_names(con, table) & _column_names(con, f"{table}_history"))
                      - {"content_hash", "superseded_at"})
        cols = ", ".join(f'"{c}"' for c in kept)
        picks = ", ".join(f't."{c}"' for c in kept)
        con.execute(f"INSERT INTO {table}_history ({cols}, content_hash, superseded_at) "
                    f"SELECT {picks}, a.content_hash, ?::TIMESTAMP FROM {table} t "
                    "JOIN articles a ON a.article_id = t.article_id "
                    "WHERE list_contains(?, a.content_hash)", [now, old_hashes])
    for table in ("facts", "campaigns", "article_words"):
        con.execute(f"DELETE FROM {table} WHERE list_contains(?, article_id)", [old_ids])
    con.execute("DELETE FROM articles WHERE list_contains(?, content_hash)", [old_hashes])
    con.execute("UPDATE pages SET superseded_by = ?, superseded_at = ? WHERE list_contains(?, content_hash)",
                [new_hash, now, old_hashes])
    return old_ids


def _insert_run(con: duckdb.DuckDBPyConnection, batch: PageBatch, ords: list[int],
                now: datetime) -> dict[int, tuple[int, int]]:
    """Insert the articles, figures and campaigns of the batch's pages ``ords`` that are not stored yet.

    An article already stored (or earlier in the batch) is skipped with its figures and
    campaigns, as is a figure whose id is stored. Returns {ord: (articles, facts)} added.
    """
    arts, figs, camps, words = batch.articles, batch.facts, batch.campaigns, batch.words  # noqa: F841
    run = pa.table({"ord": pa.array(ords, type=pa.int32())})  # noqa: F841
    # "Not stored yet" asks the store about the batch's ids only (a semi-join built on the batch):
    # ``NOT IN (SELECT fact_id FROM facts)`` hashed every stored id for every batch, a cost that
    # grew with the store (50 ms of a 16-page batch's 130 ms at 200,000 figures).
    con.execute("CREATE OR REPLACE TEMP TABLE new_articles AS SELECT * EXCLUDE (rn) FROM ("
                "SELECT *, row_number() OVER (PARTITION BY article_id ORDER BY ord) AS rn FROM arts "
                "WHERE ord IN (SELECT ord FROM run)) "
                "WHERE rn = 1 AND article_id NOT IN ("
                "SELECT article_id FROM articles WHERE article_id IN (SELECT article_id FROM arts))")
    con.execute("CREATE OR REPLACE TEMP TABLE new_facts AS SELECT * EXCLUDE (rn) FROM ("
                "SELECT f.*, row_number() OVER (PARTITION BY f.fact_id ORDER BY f.ord) AS rn FROM figs f "
                "JOIN new_articles n ON f.article_id = n.article_id AND f.ord = n.ord) "
                "WHERE rn = 1 AND fact_id NOT IN ("
                "SELECT fact_id FROM facts WHERE fact_id IN (SELECT fact_id FROM figs))")
    a_cols = ", ".join(f'"{c}"' for c in ARTICLE_TABLE_COLUMNS)
    a_vals = ", ".join("?::TIMESTAMP" if c == "ingested_at" else f'"{c}"' for c in ARTICLE_TABLE_COLUMNS)
    con.execute(f"INSERT INTO articles ({a_cols}) SELECT {a_vals} FROM new_articles ORDER BY ord", [now])
    f_cols = ", ".join(f'"{c}"' for c in FACT_TABLE_COLUMNS)
    con.execute(f"INSERT INTO facts ({f_cols}) SELECT {f_cols} FROM new_facts ORDER BY ord")
    con.execute("INSERT INTO campaigns (article_id, name, count) SELECT c.article_id, c.name, c.count "
                "FROM camps c JOIN new_articles n ON c.article_id = n.article_id AND c.ord = n.ord")
    added = {i: (0, 0) for i in ords}
    for i, n in con.execute("SELECT ord, count(*) FROM new_articles GROUP BY ord").fetchall():
        added[i] = (n, 0)
    for i, n in con.execute("SELECT ord, count(*) FROM new_facts GROUP BY ord").fetchall():
        added[i] = (added[i][0], n)
    con.execute("INSERT INTO article_words SELECT w.article_id, w.word, w.n "
                "FROM words w JOIN new_articles n ON w.article_id = n.article_id AND w.ord = n.ord")
    con.execute("DROP TABLE new_articles")
    con.execute("DROP TABLE new_facts")
    return added


def _insert_pages(con: duckdb.DuckDBPyConnection, pages: pa.Table, ords: list[int], now: datetime) -> None:
    """Insert the batch's pages ``ords`` (new to the store) in one statement, in batch order."""
    if not ords:
        return
    pages_of_batch = pages  # noqa: F841 — read by DuckDB by name
    wanted = pa.table({"ord": pa.array(ords, type=pa.int32())})  # noqa: F841
    con.execute("INSERT INTO pages (content_hash, source, doc, text, ingested_at, source_key, superseded_by) "
                "SELECT p.content_hash, p.source, p.doc, p.text, ?::TIMESTAMP, p.source_key, '' "
                "FROM pages_of_batch p JOIN wanted w ON p.ord = w.ord ORDER BY p.ord", [now])


def _current_versions(con: duckdb.DuckDBPyConnection, keys: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Source key → [(content_hash, published)] of its pages that still count.

    The keys are joined (``IN (SELECT unnest(?))``), not looked up with ``list_contains``, which
    walks the whole list for every stored page: a cost of store size × batch size.
    """
    rows = con.execute(
        "SELECT p.source_key, p.content_hash, coalesce(max(a.published), '') FROM pages p "
        "LEFT JOIN articles a ON a.content_hash = p.content_hash "
        "WHERE p.superseded_by = '' AND p.source_key IN (SELECT unnest(?::VARCHAR[])) "
        "GROUP BY ALL ORDER BY ALL", [keys]).fetchall()
    found: dict[str, list[tuple[str, str]]] = {}
    for key, content_hash, published in rows:
        found.setdefault(key, []).append((content_hash, published))
    return found


def _same_edition(old: str, new: str) -> bool:
    """Two versions of one source may replace each other unless their dates disagree.

    Why: folders of daily editions reuse file names (2020-06-01/01.txt, 2020-06-02/01.txt);
    ingesting each day's folder on its own gives both the key 01.txt, yet the second is a new
    page, not a corrected one.
    """
    return not old or not new or old == new


_REPLACED = "{key} 的新版本：旧版本的数据不再计数，仍可在历史中查看"


def _store_batch(con: duckdb.DuckDBPyConnection, batch: PageBatch) -> list[Stored]:
    """One transaction for the batch; raises on failure (nothing is then stored)."""
    now = datetime.now()
    pages = batch.pages.to_pylist()
    con.execute("BEGIN TRANSACTION")
    try:
        hashes = list(dict.fromkeys(p["content_hash"] for p in pages if not p["error"]))
        # the hashes joined, not looked up with list_contains per stored page (see _current_versions)
        status = dict(con.execute("SELECT content_hash, superseded_by FROM pages "
                                  "WHERE content_hash IN (SELECT unnest(?::VARCHAR[]))", [hashes]).fetchall())
        versions = _current_versions(con, list({p["source_key"] for p in pages if not p["error"]}))
        outcomes: dict[int, Stored] = {}
        run: list[int] = []
        run_keys: set[str] = set()
        run_hashes: set[str] = set()  # content hashes of the pages in ``pending``
        pending: list[tuple[dict, list[str]]] = []  # fresh page, hashes it supersedes

        def flush() -> None:
            if not run:
                return
            replaced_ids: list[tuple[list[str], int]] = []
            fresh: list[int] = []  # pages never stored: one INSERT for the run, not one per page
            for page, olds in pending:
                if olds:
                    replaced_ids.append((_supersede(con, olds, page["content_hash"], now), page["ord"]))
                if page["content_hash"] in status:  # an older version comes back: it counts again
                    con.execute("UPDATE pages SET superseded_by = '', superseded_at = NULL, source = ?, "
                                "doc = ?, text = ?, source_key = ?, ingested_at = ? WHERE content_hash = ?",
                                [page["source"], page["doc"], page["text"], page["source_key"], now,
                                 page["content_hash"]])
                else:
                    fresh.append(page["ord"])
                status[page["content_hash"]] = ""
            _insert_pages(con, batch.pages, fresh, now)
            added = _insert_run(con, batch, run, now)
            for page, olds in pending:
                n_articles, n_facts = added[page["ord"]]
                outcomes[page["ord"]] = Stored("ok", n_articles, n_facts, bool(olds))
            for old_ids, i in replaced_ids:
                new_ids = batch.articles.filter(pc.equal(batch.articles["ord"], i))["article_id"]
                _rekey_corrections(con, old_ids, sorted(set(new_ids.to_pylist())))
            run.clear()
            run_keys.clear()
            run_hashes.clear()
            pending.clear()

        for page in pages:
            i, content_hash, key = page["ord"], page["content_hash"], page["source_key"]
            if page["error"]:
                outcomes[i] = Stored("error")
                continue
            if status.get(content_hash) == "" or content_hash in run_hashes:
                outcomes[i] = Stored("duplicate")
                continue
            if key in run_keys:
                flush()
                versions = _current_versions(con, [key]) | {k: v for k, v in versions.items() if k != key}
            olds = [h for h, published in versions.get(key, [])
                    if h != content_hash and _same_edition(published, page["published"])]
            versions[key] = [(h, p) for h, p in versions.get(key, []) if h not in olds]
            versions[key].append((content_hash, page["published"]))
            run.append(i)
            run_keys.add(key)
            run_hashes.add(content_hash)
            pending.append((page, olds))
        flush()
        log = []
        for page in pages:
            out = outcomes[page["ord"]]
            message = page["error"] or (_REPLACED.format(key=page["source_key"]) if out.replaced else "")
            log.append({"file": page["source"] or page["doc"], "content_hash": page["content_hash"],
                        "status": out.status, "message": message, "articles": out.articles,
                        "facts": out.facts, "at": now, "file_hash": page["file_hash"]})
        _insert(con, "ingest_log", log, _LOG_SCHEMA)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return [outcomes[p["ord"]] for p in pages]


def store_batch(con: duckdb.DuckDBPyConnection, batch: PageBatch) -> list[Stored]:
    """Store a ``PageBatch`` in one transaction; one ``Stored`` per page.

    Every page is whole or absent after a crash either way; one transaction for many pages is
    what makes ingest fast. If the batch fails, each page is tried alone so one bad page cannot
    take the others down.
    """
    try:
        return _store_batch(con, batch)
    except Exception:
        pages = batch.pages.to_pylist()
        return [_store_alone(con, _one_page(batch, i), p) for i, p in enumerate(pages)]


def _one_page(batch: PageBatch, i: int) -> PageBatch:
    def pick(table: pa.Table) -> pa.Table:
        one = table.filter(pc.equal(table["ord"], i))
        return one.set_column(0, "ord", pa.array([0] * one.num_rows, type=pa.int32()))
    return PageBatch(*(pick(t) for t in batch.tables()))


def _store_alone(con: duckdb.DuckDBPyConnection, batch: PageBatch | None, page: dict) -> Stored:
    try:
        if batch is None:
            raise ValueError(page["error"])
        return _store_batch(con, batch)[0]
    except Exception as exc:
        name = page["source"] or page["doc"]
        log_entry(con, name, page["content_hash"], "error",
                  f"保存 {page['doc'] or name} 时出错（{exc}）：数据库未改动，请重新导入该文件",
                  file_hash=page["file_hash"])
        return Stored("error")


def store_pages(con: duckdb.DuckDBPyConnection, items: list[tuple]) -> list[Stored]:
    """Store (PageResult, page_text, file_hash[, source_key]) items in one transaction."""
    try:
        batch = page_batch(items)
    except Exception:  # a record that does not fit its column: find which page, store the rest
        return [store_page(con, *item) for item in items]
    return store_batch(con, batch)


def store_page(con: duckdb.DuckDBPyConnection, page, page_text: str = "", file_hash: str = "",
               source_key: str = "", *, detail: bool = False) -> str | Stored:
    """Store one ``PageResult`` in one transaction; return ok | duplicate | error.

    ``page_text`` (the decoded page) is kept so ``reextract`` can run improved rules later.
    ``source_key`` names the page's source (default: its source path): new content for a known
    source replaces the old version.
    """
    item = (page, page_text, file_hash, source_key)
    row = {"source": page.source, "doc": page.doc, "content_hash": page.content_hash, "file_hash": file_hash,
           "error": page.error}
    try:
        batch = page_batch([item])
    except Exception as exc:
        batch, row["error"] = None, str(exc)
    stored = _store_alone(con, batch, row)
    return stored if detail else stored.status


def known_file_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Raw-byte hash → content hash of files whose page counts now (re-ingest skips them unread).

    A file whose page was since replaced by a newer version is read again: it may bring the
    older version back.
    """
    rows = con.execute("SELECT DISTINCT l.file_hash, l.content_hash FROM ingest_log l "
                       "JOIN pages p ON p.content_hash = l.content_hash "
                       "WHERE l.status IN ('ok', 'duplicate') AND l.file_hash <> '' "
                       "AND p.superseded_by = ''").fetchall()
    return dict(rows)


def replace_page_records(con: duckdb.DuckDBPyConnection, content_hash: str, page) -> tuple[int, int]:
    """Swap a stored page's articles, facts and campaigns for a new extraction of it.

    Corrections whose figure vanished are re-keyed to the new figure with the same quote in the
    same sentence (else one whose quote contains or lies in the old one). Returns (facts before,
    facts after). The caller wraps it in a transaction.
    """
    old_ids = [r[0] for r in con.execute("SELECT article_id FROM articles WHERE content_hash = ?",
                                         [content_hash]).fetchall()]
    before = con.execute("SELECT count(*) FROM facts WHERE list_contains(?, article_id)",
                         [old_ids]).fetchone()[0]
    stamps = dict(con.execute("SELECT article_id, ingested_at FROM articles WHERE content_hash = ?",
                              [content_hash]).fetchall())
    for table in ("facts", "campaigns", "article_words", "articles"):
        con.execute(f"DELETE FROM {table} WHERE list_contains(?, article_id)", [old_ids])
    now = min(stamps.values()) if stamps else datetime.now()
    _insert_run(con, page_batch([(dataclasses.replace(page, content_hash=content_hash, error=""), "", "")]),
                [0], now)
    new_ids = sorted({a.article_id for a in page.articles} | set(old_ids))
    after = con.execute("SELECT count(*) FROM facts WHERE list_contains(?, article_id)",
                        [new_ids]).fetchone()[0]
    _rekey_corrections(con, old_ids, new_ids)
    return before, after


def _rekey_corrections(con: duckdb.DuckDBPyConnection, old_ids: list[str], new_ids: list[str]) -> None:
    lost = con.execute(
        "SELECT DISTINCT c.fact_id, c.quote, c.sentence FROM corrections c "
        "WHERE list_contains(?, c.article_id) AND c.fact_id NOT IN (SELECT fact_id FROM facts)",
        [old_ids]).fetchall()
    if not lost:
        return
    candidates = con.execute(
        "SELECT fact_id, article_id, quote, sentence FROM facts WHERE list_contains(?, article_id) "
        "ORDER BY article_id, char_start", [new_ids]).fetchall()
    for fact_id, quote, sentence in lost:
        match = _find_again(quote, sentence, candidates)
        if match:
            con.execute("UPDATE corrections SET fact_id = ?, article_id = ? WHERE fact_id = ?",
                        [match[0], match[1], fact_id])


def _find_again(quote: str, sentence: str, candidates: list[tuple]) -> tuple | None:
    """The new figure a correction meant: same quote and sentence, else overlapping quote."""
    for cand in candidates:
        if cand[2] == quote and cand[3] == sentence:
            return cand
    for cand in candidates:
        if cand[3] == sentence and quote and cand[2] and (quote in cand[2] or cand[2] in quote):
            return cand
    for cand in candidates:
        if cand[2] == quote and quote and (sentence in cand[3] or cand[3] in sentence):
            return cand
    return None


# --- corrections and counts -----------------------------------------------------------------

def add_correction(con: duckdb.DuckDBPyConnection, fact_id: str, field: str, new_value: object,
                   who: str, why: str = "", action: str = "edit", publish: bool = True) -> str:
    """Record a reviewer's edit/accept/reject of one figure and publish it to readers.

    ``add_correction(con, "9f2c…", "city", "聊城市", "张三", "原文为我市")`` → correction_id.
    """
    if field not in CORRECTABLE_FIELDS:
        raise StoreError(f"字段 {field} 不能校对：可校对的字段为 {'、'.join(CORRECTABLE_FIELDS)}")
    if action not in ACTIONS:
        raise StoreError(f"校对动作 {action} 无效：应为 edit、accept 或 reject")
    row = con.execute("SELECT * FROM facts_current WHERE fact_id = ?", [fact_id]).fetchdf()
    if row.empty:
        raise StoreError(f"找不到数据 {fact_id}：它可能已在重新提取后消失，请刷新后再试")
    fact = row.iloc[0]
    old = "" if field == "status" else fact[field]
    last = con.execute("SELECT max(\"at\") FROM corrections WHERE fact_id = ?", [fact_id]).fetchone()[0]
    at = datetime.now()
    if last is not None and at <= last:
        at = pd.Timestamp(last).to_pydatetime() + pd.Timedelta(microseconds=1)
    correction_id = stable_id(fact_id, field, new_value, who, at.isoformat())
    con.execute("INSERT INTO corrections (correction_id, fact_id, article_id, quote, sentence, field, "
                "old_value, new_value, action, who, why, \"at\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [correction_id, fact_id, fact["article_id"], fact["quote"], fact["sentence"], field,
                 "" if pd.isna(old) else str(old), "" if new_value is None else str(new_value),
                 action, who, why, at])
    if publish:
        publish_snapshot(con)
    return correction_id


def orphan_corrections(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Corrections whose figure no longer exists (re-extraction could not find it again)."""
    return con.execute("SELECT * FROM corrections WHERE fact_id NOT IN (SELECT fact_id FROM facts) "
                       'ORDER BY "at"').fetchdf()


def counts(con: duckdb.DuckDBPyConnection) -> dict:
    """Headline numbers: pages (current versions), articles, facts, cities, latest_published (ISO or '')."""
    pages, = con.execute("SELECT count(*) FROM pages WHERE superseded_by = ''").fetchone()
    articles, latest = con.execute("SELECT count(*), max(published_date) FROM articles").fetchone()
    facts, cities = con.execute("SELECT count(*), count(DISTINCT nullif(city, '')) FROM facts").fetchone()
    return {"pages": pages, "articles": articles, "facts": facts, "cities": cities,
            "latest_published": latest.isoformat() if latest else ""}
