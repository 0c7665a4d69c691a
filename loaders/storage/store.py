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
import os
import shutil
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from loaders.records import Article, Fact, stable_id
from loaders.storage import search

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
ALTER TABLE articles ADD COLUMN IF NOT EXISTS home_province VARCHAR DEFAULT '';
ALTER TABLE articles ADD COLUMN IF NOT EXISTS page VARCHAR DEFAULT '';
ALTER TABLE articles ADD COLUMN IF NOT EXISTS page_name VARCHAR DEFAULT '';
ALTER TABLE articles ADD COLUMN IF NOT EXISTS url VARCHAR DEFAULT '';
ALTER TABLE articles ADD COLUMN IF NOT EXISTS date_source VARCHAR DEFAULT '';
UPDATE facts SET province = '山东省' WHERE province = '' AND city IN (
    '山东省', '济南市', '青岛市', '淄博市', '枣庄市', '东营市', '烟台市', '潍坊市', '济宁市',
    '泰安市', '威海市', '日照市', '临沂市', '德州市', '聊城市', '滨州市', '菏泽市');
UPDATE articles SET home_province = '山东省' WHERE home_province = '';
CREATE TABLE IF NOT EXISTS campaign_names (
    name VARCHAR PRIMARY KEY, status VARCHAR, who VARCHAR, "at" TIMESTAMP);
CREATE TABLE IF NOT EXISTS article_words (article_id VARCHAR, word VARCHAR, n INTEGER);
"""

MIGRATIONS: dict[int, str] = {1: SCHEMA_V1, 2: MIGRATION_V2, 3: MIGRATION_V3}

ARTICLE_TABLE_COLUMNS = ("article_id", "source", "doc", "paper", "title", "subtitle", "byline",
                         "dateline_place", "published", "published_date", "date_precision",
                         "home_city", "place", "body", "text", "ingested_at", "content_hash",
                         "home_province", "page", "page_name", "url", "date_source")
FACT_TABLE_COLUMNS = ("fact_id", "article_id", "doc", "province", "city", "county", "initiative", "metric",
                      "value", "unit", "approx", "range_hi", "period_year", "period", "quote",
                      "sentence", "char_start", "char_end", "confidence", "tier", "kind", "place_how",
                      "parent_fact_id")

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
        if c in _TEXT_FIELDS:
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


def connect(db_path: str | Path | None = None, read_only: bool = False,
            wait: float = 10.0) -> duckdb.DuckDBPyConnection:
    """Open the store; a writable connection creates and migrates it.

    ``wait`` is how long to wait for another writer (an ingest) to let go of the file.
    ``connect("notes.txt")`` → StoreError("notes.txt 不是攻坚看板的数据库文件：…").
    """
    path = _db_path(db_path)
    if _not_duckdb(path):
        raise StoreError(f"{path.name} 不是攻坚看板的数据库文件（DuckDB）：请用 --db 指定正确的文件，"
                         "或换一个新文件名让程序新建")
    if read_only and not path.exists():
        raise StoreError(f"数据库 {path} 不存在：请先用 python -m loaders ingest 导入版面")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only, wait)
    if not read_only:
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


def publish_snapshot(con: duckdb.DuckDBPyConnection) -> Path:
    """Checkpoint and copy the store to a new snapshot file, then point CURRENT at it.

    Call it with the writer's connection after committing; nothing else can write meanwhile
    because this process holds the file.
    """
    path = _connection_path(con)
    folder = snapshot_dir(path)
    folder.mkdir(exist_ok=True)
    con.execute("CHECKPOINT")
    name = f"snap-{time.time_ns():020d}-{os.getpid()}.duckdb"
    tmp = folder / (name + ".tmp")
    shutil.copyfile(path, tmp)
    os.replace(tmp, folder / name)
    pointer_tmp = folder / f"CURRENT.{os.getpid()}.tmp"
    pointer_tmp.write_text(name, encoding="utf-8")
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
_PAGE_SCHEMA = pa.schema([("content_hash", _STR), ("source", _STR), ("doc", _STR), ("text", _STR),
                          ("ingested_at", pa.timestamp("us"))])


def _insert_records(con: duckdb.DuckDBPyConnection, pages: list, content_hashes: list[str],
                    now: datetime) -> list[tuple[int, int]]:
    """Insert the pages' new articles, facts and campaigns; return (articles, facts) added per page.

    An article already stored (or earlier in the batch) is skipped with its facts and campaigns.
    """
    candidates = [a.article_id for page in pages for a in page.articles]
    known = _existing(con, "articles", "article_id", list(dict.fromkeys(candidates)))
    fact_known = _existing(con, "facts", "fact_id", list(dict.fromkeys(f.fact_id for page in pages
                                                                       for f in page.facts)))
    articles: list[Article] = []
    article_hashes: list[str] = []
    facts: list[Fact] = []
    campaigns: list[dict] = []
    added: list[tuple[int, int]] = []
    for page, content_hash in zip(pages, content_hashes, strict=True):
        new_ids = set()
        for a in page.articles:
            if a.article_id not in known:
                known.add(a.article_id)
                new_ids.add(a.article_id)
                articles.append(a)
                article_hashes.append(content_hash)
        n_facts = 0
        for f in page.facts:
            if f.article_id in new_ids and f.fact_id not in fact_known:
                fact_known.add(f.fact_id)
                facts.append(f)
                n_facts += 1
        campaigns += [{"article_id": c.article_id, "name": c.name, "count": c.count}
                      for c in page.campaigns if c.article_id in new_ids]
        added.append((len(new_ids), n_facts))
    _insert(con, "articles", _article_rows(articles, article_hashes, now), _ARTICLE_SCHEMA)
    _insert(con, "facts", _fact_rows(facts), _FACT_SCHEMA)
    _insert(con, "campaigns", campaigns, _CAMPAIGN_SCHEMA)
    _insert(con, "article_words", search.word_rows(articles), search.WORD_SCHEMA)
    return added


def _store_batch(con: duckdb.DuckDBPyConnection, items: list[tuple]) -> list[tuple[str, int, int]]:
    """One transaction for ``items`` of (PageResult, page_text, file_hash); raises on failure."""
    now = datetime.now()
    con.execute("BEGIN TRANSACTION")
    try:
        hashes = [page.content_hash for page, _, _ in items if not page.error]
        seen = _existing(con, "pages", "content_hash", list(dict.fromkeys(hashes)))
        outcomes: list[tuple[str, int, int]] = []
        fresh: list = []
        for page, _, _ in items:
            if page.error:
                outcomes.append(("error", 0, 0))
            elif page.content_hash in seen:
                outcomes.append(("duplicate", 0, 0))
            else:
                seen.add(page.content_hash)
                outcomes.append(("ok", 0, 0))
                fresh.append(page)
        fresh_ids = {id(p) for p in fresh}
        added = iter(_insert_records(con, fresh, [p.content_hash for p in fresh], now))
        _insert(con, "pages", [{"content_hash": p.content_hash, "source": p.source, "doc": p.doc, "text": t,
                                "ingested_at": now} for p, t, _ in items if id(p) in fresh_ids], _PAGE_SCHEMA)
        log = []
        for i, ((page, _, file_hash), (status, _, _)) in enumerate(zip(items, outcomes, strict=True)):
            n_articles, n_facts = next(added) if id(page) in fresh_ids else (0, 0)
            outcomes[i] = (status, n_articles, n_facts)
            log.append({"file": page.source or page.doc, "content_hash": page.content_hash, "status": status,
                        "message": page.error, "articles": n_articles, "facts": n_facts, "at": now,
                        "file_hash": file_hash})
        _insert(con, "ingest_log", log, _LOG_SCHEMA)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return outcomes


def store_pages(con: duckdb.DuckDBPyConnection, items: list[tuple]) -> list[tuple[str, int, int]]:
    """Store (PageResult, page_text, file_hash) items in one transaction; (status, articles, facts) each.

    Every page is whole or absent after a crash either way; one transaction for many pages is
    what makes ingest fast. If the batch fails, each page is tried alone so one bad page cannot
    take the others down.
    """
    try:
        return _store_batch(con, items)
    except Exception:
        return [_store_alone(con, *item) for item in items]


def _store_alone(con: duckdb.DuckDBPyConnection, page, page_text: str,
                 file_hash: str) -> tuple[str, int, int]:
    try:
        return _store_batch(con, [(page, page_text, file_hash)])[0]
    except Exception as exc:
        name = page.source or page.doc
        log_entry(con, name, page.content_hash, "error",
                  f"保存 {page.doc or name} 时出错（{exc}）：数据库未改动，请重新导入该文件",
                  file_hash=file_hash)
        return ("error", 0, 0)


def store_page(con: duckdb.DuckDBPyConnection, page, page_text: str = "", file_hash: str = "") -> str:
    """Store one ``PageResult`` in one transaction; return ok | duplicate | error.

    ``page_text`` (the decoded page) is kept so ``reextract`` can run improved rules later.
    """
    return _store_alone(con, page, page_text, file_hash)[0]


def known_file_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Raw-byte hashes of files already stored or found duplicate (re-ingest skips them unread)."""
    rows = con.execute("SELECT DISTINCT file_hash FROM ingest_log "
                       "WHERE status IN ('ok', 'duplicate') AND file_hash <> ''").fetchall()
    return {r[0] for r in rows}


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
    _insert_records(con, [page], [content_hash], now)
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
    """Headline numbers: pages, articles, facts, cities, latest_published (ISO or '')."""
    pages, = con.execute("SELECT count(*) FROM pages").fetchone()
    articles, latest = con.execute("SELECT count(*), max(published_date) FROM articles").fetchone()
    facts, cities = con.execute("SELECT count(*), count(DISTINCT nullif(city, '')) FROM facts").fetchone()
    return {"pages": pages, "articles": articles, "facts": facts, "cities": cities,
            "latest_published": latest.isoformat() if latest else ""}
