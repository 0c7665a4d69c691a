"""The lake: a national archive extracted on a Dask cluster into Parquet the dashboard reads.

Why: one machine serves a city or a province; ~13 million pages of ~300 prefecture papers are
past one machine's day, and re-extracting them after a rule change must fit in a night. The
officials' IT departments run clusters, so the work is handed to Dask (``distributed``), which
runs on Kubernetes, YARN, HPC queues or plain SSH hosts, instead of a scheduler of our own.

How a build goes (``build``):

1. the driver lists the files (``ingest.collect_files``, the same order as ``ingest``) and skips
   those the lake's ``_manifest`` holds with the same path, size and modification time, unread;
2. the rest are cut into chunks; each chunk is one Dask task that reads and extracts its pages
   with exactly the local ingest's function (``ingest.extract_path``, so the same fact ids) and
   keeps the records in the worker's memory;
3. in chunk order the driver decides what is new, by the store's rules: a page whose normalised
   text is known is a duplicate, an article already kept (printed on two pages) is skipped with
   its figures; only page and article ids travel to the driver, never the records;
4. a second task per chunk writes its new rows: ``articles/year=2020/province=山东省/part-….parquet``,
   ``facts/…`` (partitioned by the article's publication year and the figure's province),
   ``campaigns/part-….parquet``, and last ``_manifest/part-….parquet``. Every file is written
   under a hidden temporary name and renamed when complete, so a reader never sees half a file.

A killed worker loses its tasks and the results it held; Dask runs them again elsewhere (the
extraction is deterministic and a chunk's files have fixed names, so a rerun rewrites the same
files). A build killed as a whole leaves chunks without a manifest part; the next build deletes
their data files first and extracts those pages again. ``_VERSION`` names the last finished build.

Reading: ``open_reader(lake)`` is an in-memory DuckDB with views over
``read_parquet(…, hive_partitioning=true)`` named as the store's tables (articles, facts,
campaigns, pages, ingest_log, corrections, facts_current), so the dashboard and ``export`` run
their SQL unchanged; ``store.open_reader`` sends a folder here. Corrections live in a small
store beside the Parquet (``LAKE/_local.duckdb``), published as snapshots like any store.

Example::

    summary = build(["archive/"], "lake/", local_workers=2)
    print(summary.report())  # 数据湖生成完成：新版面 500 个 …
    open_reader("lake/").execute("SELECT count(*) FROM facts_current")
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from loaders.manifest import ManifestError, ManifestLookup, PageInfo
from loaders.pipeline import PageResult
from loaders.storage import ingest, search, store

TABLES = ("articles", "facts", "campaigns", "article_words")
FLAT_TABLES = ("campaigns", "article_words")  # not partitioned: they key on article_id alone
MANIFEST = "_manifest"
VERSION_FILE = "_VERSION"
LOCAL_STORE = "_local.duckdb"
LOCK_FILE = "_BUILDING"
CHUNK_PAGES = 200
SCHEDULER_TIMEOUT = "20s"  # how long ``--scheduler`` may take to answer before the build gives up
UNKNOWN = "__HIVE_DEFAULT_PARTITION__"  # how Hive (and DuckDB) name a partition with no value

Progress = Callable[[int, int, str], None]

_STR = pa.string()
MANIFEST_SCHEMA = pa.schema([
    ("path", _STR), ("source", _STR), ("doc", _STR), ("size", pa.int64()), ("mtime_ns", pa.int64()),
    ("file_hash", _STR), ("content_hash", _STR), ("status", _STR), ("message", _STR),
    ("articles", pa.int32()), ("facts", pa.int32()), ("run", _STR), ("at", pa.timestamp("us"))])
_SCHEMAS = {"articles": store._ARTICLE_SCHEMA, "facts": store._FACT_SCHEMA,
            "campaigns": store._CAMPAIGN_SCHEMA, "article_words": search.WORD_SCHEMA,
            MANIFEST: MANIFEST_SCHEMA}
_COLUMNS = {"articles": store.ARTICLE_TABLE_COLUMNS, "facts": store.FACT_TABLE_COLUMNS,
            "campaigns": ("article_id", "name", "count"), "article_words": ("article_id", "word", "n")}
_SQL_TYPES = {pa.string(): "VARCHAR", pa.float64(): "DOUBLE", pa.int32(): "INTEGER", pa.int64(): "BIGINT",
              pa.date32(): "DATE", pa.timestamp("us"): "TIMESTAMP"}


# --- what a lake is -------------------------------------------------------------------------

def is_lake(path: str | Path) -> bool:
    """A folder a build has written to (it has ``_manifest/`` or ``_VERSION``)."""
    p = Path(path)
    return p.is_dir() and ((p / MANIFEST).is_dir() or (p / VERSION_FILE).is_file())


def local_store_path(lake: str | Path) -> Path:
    """The small DuckDB store beside the Parquet that holds the reviewers' corrections."""
    return Path(lake) / LOCAL_STORE


def _require_lake(lake: Path) -> None:
    if not is_lake(lake):
        raise store.StoreError(f"文件夹 {lake} 不是数据湖（没有 {MANIFEST}）：请先用 "
                               f"python -m loaders lake build 版面文件夹 --out {lake} 生成，"
                               "或把 CAMPAIGN_TRACKER_DB 指向一个数据库文件")


def refuse_pages(db_path: str | Path | None) -> None:
    """Pages reach a lake only through ``lake build``: an ingest or upload aimed at one is told so."""
    if db_path and Path(db_path).is_dir():
        raise store.StoreError(f"{Path(db_path).name} 是数据湖文件夹，不能在这里导入版面：请用 "
                               f"python -m loaders lake build 版面文件夹 --out {db_path} 加入新版面")


def reader_version(lake: str | Path) -> str:
    """Changes when a build finishes or a correction is published ('' for a folder that is no lake)."""
    lake = Path(lake)
    if not is_lake(lake):
        return ""
    try:
        built = (lake / VERSION_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        built = "unfinished"
    return f"lake:{built}:{store.reader_version(local_store_path(lake))}"


# --- writing files whole ----------------------------------------------------------------------

def _write_whole(table: pa.Table, final: Path) -> None:
    """Write under a hidden temporary name, then rename: a reader sees the whole file or none."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_text_whole(text: str, final: Path) -> None:
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, final)


def _part_name(run: str, chunk_no: int) -> str:
    return f"part-{run}-{chunk_no:06d}.parquet"


def _partition_dir(year: int | None, province: str) -> str:
    return f"year={year if year else UNKNOWN}/province={province or UNKNOWN}"


# --- stage 1: extract a chunk (on a worker) ---------------------------------------------------

@dataclass
class PageEntry:
    """One file of a chunk as a worker saw it; ``page`` holds the records until they are written."""

    path: str
    size: int
    mtime_ns: int
    file_hash: str
    page: PageResult


def manifest_lookup(manifest: str | Path | None) -> ManifestLookup:
    """``--manifest FILE`` as ``ingest`` reads it (``loaders.manifest``; a ``manifest.csv`` beside the
    pages counts too); the driver looks pages up and hands each chunk its lines."""
    try:
        return ManifestLookup(manifest)
    except ManifestError as exc:
        raise store.StoreError(exc.message) from exc


def extract_page(path: str, info: PageInfo | None = None) -> tuple[PageResult, str]:
    """The seam every lake page goes through: exactly the local ingest's extraction of one file.

    ``info`` is the page's manifest line, which goes into extraction itself, so dates, papers and
    fact ids match ``ingest --manifest``.
    """
    return ingest.extract_path(path, info)


def extract_chunk(paths: list[str], infos: dict | None = None) -> list[PageEntry]:
    """Read and extract a chunk of files; a bad file becomes an error entry, never a failed task.

    ``infos`` maps a path to its manifest line (looked up by the driver, which sees the manifest).
    """
    entries = []
    infos = infos or {}
    for path in paths:
        try:
            st = os.stat(path)
            size, mtime_ns = st.st_size, st.st_mtime_ns
            digest = ingest._file_hash(Path(path).read_bytes()) if size <= ingest.MAX_PAGE_BYTES else ""
        except OSError:
            size, mtime_ns, digest = 0, 0, ""
        page, _ = extract_page(path, infos.get(path))
        entries.append(PageEntry(path, size, mtime_ns, digest, page))
    return entries


def chunk_ids(entries: list[PageEntry]) -> list[tuple[str, str, list[str]]]:
    """What the driver needs to decide: (content hash or '' on error, error message, article ids)."""
    return [("" if e.page.error else e.page.content_hash, e.page.error,
             [a.article_id for a in e.page.articles]) for e in entries]


# --- stage 2: write a chunk's new rows (on a worker) -----------------------------------------

@dataclass
class Decision:
    """The driver's verdict on a chunk's pages: status each, and which articles of each are new."""

    statuses: list[str]
    keep: list[list[str]]


def _partitioned(table: pa.Table, years: list[int | None], provinces: list[str]) -> dict[str, pa.Table]:
    groups: dict[str, list[int]] = {}
    for i, (year, province) in enumerate(zip(years, provinces, strict=True)):
        groups.setdefault(_partition_dir(year, province), []).append(i)
    return {folder: table.take(pa.array(rows, type=pa.int64())) for folder, rows in groups.items()}


def publish_chunk(entries: list[PageEntry], decision: Decision, lake: str, run: str, chunk_no: int,
                  now: datetime) -> list[tuple[str, int, int]]:
    """Write the chunk's new articles, facts and campaigns, then its manifest part; (status, a, f) per page.

    File names depend only on the run and chunk, so a retried task rewrites the same files.
    """
    root = Path(lake)
    name = _part_name(run, chunk_no)
    articles, hashes, facts, campaigns, outcomes = [], [], [], [], []
    seen_facts: set[str] = set()
    for entry, status, keep in zip(entries, decision.statuses, decision.keep, strict=True):
        wanted = set(keep)
        kept_articles = []
        for a in entry.page.articles:
            if a.article_id in wanted:
                wanted.discard(a.article_id)
                kept_articles.append(a)
        ids = {a.article_id for a in kept_articles}
        new_facts = [f for f in entry.page.facts if f.article_id in ids and f.fact_id not in seen_facts]
        seen_facts.update(f.fact_id for f in new_facts)
        articles += kept_articles
        hashes += [entry.page.content_hash] * len(kept_articles)
        facts += new_facts
        campaigns += [{"article_id": c.article_id, "name": c.name, "count": c.count}
                      for c in entry.page.campaigns if c.article_id in ids]
        outcomes.append((status, len(kept_articles), len(new_facts)))
    article_rows = store._article_rows(articles, hashes, now)
    year_of = {r["article_id"]: (r["published_date"].year if r["published_date"] else None)
               for r in article_rows}
    if article_rows:
        table = pa.Table.from_pylist(article_rows, schema=store._ARTICLE_SCHEMA)
        parts = _partitioned(table, [year_of[r["article_id"]] for r in article_rows],
                             [r["home_province"] for r in article_rows])
        for folder, part in parts.items():
            _write_whole(part, root / "articles" / folder / name)
    if facts:
        table = pa.Table.from_pylist(store._fact_rows(facts), schema=store._FACT_SCHEMA)
        parts = _partitioned(table, [year_of.get(f.article_id) for f in facts], [f.province for f in facts])
        for folder, part in parts.items():
            _write_whole(part, root / "facts" / folder / name)
    if campaigns:
        table = pa.Table.from_pylist(campaigns, schema=store._CAMPAIGN_SCHEMA)
        _write_whole(table, root / "campaigns" / name)
    words = search.word_table(articles)
    if words.num_rows:
        _write_whole(words, root / "article_words" / name)
    manifest = [{"path": os.path.abspath(e.path), "source": e.page.source or e.path, "doc": e.page.doc,
                 "size": e.size, "mtime_ns": e.mtime_ns, "file_hash": e.file_hash,
                 "content_hash": e.page.content_hash, "status": status, "message": e.page.error,
                 "articles": n_articles, "facts": n_facts, "run": run, "at": now}
                for e, (status, n_articles, n_facts) in zip(entries, outcomes, strict=True)]
    _write_whole(pa.Table.from_pylist(manifest, schema=MANIFEST_SCHEMA), root / MANIFEST / name)
    return outcomes


# --- the driver -------------------------------------------------------------------------------

@dataclass
class BuildSummary:
    files: int = 0
    unchanged: int = 0  # skipped unread: the manifest holds the same path, size and time
    extracted: int = 0  # pages read and extracted in this build
    pages: int = 0
    articles: int = 0
    facts: int = 0
    duplicates: int = 0
    chunks: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def report(self) -> str:
        lines = [f"数据湖生成完成：文件 {self.files} 个，未变跳过 {self.unchanged} 个，"
                 f"本次提取 {self.extracted} 个（{self.chunks} 块）；新版面 {self.pages} 个，"
                 f"新文章 {self.articles} 篇，新数据 {self.facts} 条，重复跳过 {self.duplicates} 个，"
                 f"出错 {len(self.errors)} 个（用时 {self.seconds:.1f} 秒）"]
        lines += [f"  ✗ {message}" for _, message in self.errors]
        return "\n".join(lines)


def _glob(lake: Path, table: str) -> str:
    flat = table in FLAT_TABLES or table == MANIFEST
    pattern = (lake / table).as_posix() + ("/*.parquet" if flat else "/**/*.parquet")
    return pattern.replace("'", "''")


def _has_files(lake: Path, table: str) -> bool:
    folder = lake / table
    return folder.is_dir() and any(folder.rglob("*.parquet"))


def read_manifest(lake: str | Path) -> pa.Table:
    """Every page a build recorded (path, size, hashes, status, counts, run)."""
    lake = Path(lake)
    if not _has_files(lake, MANIFEST):
        return MANIFEST_SCHEMA.empty_table()
    con = duckdb.connect()
    try:
        return con.sql(f"SELECT * FROM read_parquet('{_glob(lake, MANIFEST)}')").to_arrow_table()
    finally:
        con.close()


def _known_files_and_pages(lake: Path) -> tuple[set[tuple[str, int, int]], set[str]]:
    """(path, size, mtime) of files stored or found duplicate before, and the stored pages' text hashes."""
    if not _has_files(lake, MANIFEST):
        return set(), set()
    con = duckdb.connect()
    try:
        source = f"read_parquet('{_glob(lake, MANIFEST)}')"
        files = con.execute(f"SELECT path, size, mtime_ns FROM {source} "
                            "WHERE status IN ('ok', 'duplicate')").fetchall()
        pages = con.execute(f"SELECT DISTINCT content_hash FROM {source} WHERE status = 'ok'").fetchall()
    finally:
        con.close()
    return set(files), {r[0] for r in pages}


def _known_article_ids(lake: Path) -> set[str]:
    if not _has_files(lake, "articles"):
        return set()
    con = duckdb.connect()
    try:
        rows = con.execute(f"SELECT article_id FROM read_parquet('{_glob(lake, 'articles')}', "
                           "hive_partitioning=true)").fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


def _drop_unfinished(lake: Path) -> None:
    """Delete data files of chunks whose manifest part is missing (a build killed midway), and temp files."""
    done = {p.name for p in (lake / MANIFEST).glob("part-*.parquet")}
    for table in TABLES:
        folder = lake / table
        if not folder.is_dir():
            continue
        for p in folder.rglob("*"):
            unfinished = p.name.startswith("part-") and p.name not in done
            if p.is_file() and (unfinished or p.name.endswith(".tmp")):
                p.unlink(missing_ok=True)
    for p in (lake / MANIFEST).glob(".*.tmp"):
        p.unlink(missing_ok=True)


def _take_lock(lake: Path) -> Path:
    """One build at a time per lake (a second would delete the first's unfinished chunks).

    The lock names the host and process; a lock left by a dead process of this host is taken over.
    """
    lock = lake / LOCK_FILE
    me = f"{socket.gethostname()} {os.getpid()}"
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                host, pid = lock.read_text(encoding="utf-8").split()
            except (OSError, ValueError):
                host, pid = "", "0"
            if host == socket.gethostname() and not _alive(int(pid)):
                lock.unlink(missing_ok=True)
                continue
            raise store.StoreError(f"数据湖 {lake} 正由另一个生成在写入（{host} 上的进程 {pid}）："
                                   f"请等它结束；若它已被中断，删除 {lock} 后重试") from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(me)
        return lock
    raise store.StoreError(f"无法锁定数据湖 {lake}：请删除 {lock} 后重试")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return pid > 0


def _decide(ids: list[tuple[str, str, list[str]]], seen_pages: set[str], seen_articles: set[str]) -> Decision:
    """The store's rules, in file order: known page text → duplicate; known article → skipped."""
    statuses, keep = [], []
    for content_hash, error, article_ids in ids:
        if error:
            statuses.append("error")
            keep.append([])
        elif content_hash in seen_pages:
            statuses.append("duplicate")
            keep.append([])
        else:
            seen_pages.add(content_hash)
            statuses.append("ok")
            new = []
            for article_id in article_ids:
                if article_id not in seen_articles:
                    seen_articles.add(article_id)
                    new.append(article_id)
            keep.append(new)
    return Decision(statuses, keep)


def _client(scheduler: str | None, local_workers: int):
    """A client of the cluster at ``scheduler``, else of a local cluster of ``local_workers`` processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout=SCHEDULER_TIMEOUT), None
        except OSError as exc:
            raise store.StoreError(f"无法连接 Dask 调度器 {scheduler}（{exc}）：请确认调度器已启动、"
                                   "地址和端口写对（如 tcp://10.0.0.5:8786）") from exc
    cluster = LocalCluster(n_workers=max(1, local_workers), threads_per_worker=1, processes=True,
                           dashboard_address=":0")
    return Client(cluster), cluster


def build(sources: Iterable[str | Path], lake: str | Path, scheduler: str | None = None,
          local_workers: int = 1, client=None, manifest: str | Path | None = None,
          chunk_pages: int = CHUNK_PAGES, progress: Progress | None = None) -> BuildSummary:
    """Extract the new pages among ``sources`` into ``lake`` on a Dask cluster; see the module doc.

    ``client`` (a ``distributed.Client``) wins over ``scheduler`` (``tcp://host:8786``), which
    wins over a local cluster of ``local_workers`` processes.
    """
    started = time.monotonic()
    root = Path(lake)
    root.mkdir(parents=True, exist_ok=True)
    (root / MANIFEST).mkdir(exist_ok=True)
    lock = _take_lock(root)
    try:
        summary = _build(sources, root, scheduler, local_workers, client, manifest, chunk_pages, progress)
    finally:
        lock.unlink(missing_ok=True)
    summary.seconds = time.monotonic() - started
    return summary


def _build(sources, root: Path, scheduler, local_workers, client, manifest, chunk_pages: int,
           progress: Progress | None) -> BuildSummary:
    summary = BuildSummary()
    lookup = manifest_lookup(manifest)
    files, problems = ingest.collect_files(sources)
    summary.files = len(files)
    summary.errors += problems
    summary.errors += [(str(manifest or "manifest.csv"), message) for message in lookup.problems(files)]
    _drop_unfinished(root)
    unchanged, seen_pages = _known_files_and_pages(root)
    seen_articles = _known_article_ids(root)
    todo = []
    for f in files:
        path = os.path.abspath(f)  # workers on other hosts see the archive at the same absolute path
        try:
            st = f.stat()
            key = (path, st.st_size, st.st_mtime_ns)
        except OSError:
            key = None
        if key in unchanged:
            summary.unchanged += 1
        else:
            todo.append(path)
    chunks = [todo[i:i + chunk_pages] for i in range(0, len(todo), max(1, chunk_pages))]
    summary.chunks = len(chunks)
    run = f"{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    now = datetime.now()
    if progress:
        progress(summary.unchanged, len(files), "")
    owned = client is None and bool(chunks)
    cluster = None
    if owned:
        client, cluster = _client(scheduler, local_workers)
    try:
        if chunks:
            _run_chunks(client, chunks, lookup, root, run, now, seen_pages, seen_articles, summary,
                        progress, len(files))
    finally:
        if owned:
            client.close()
            if cluster is not None:
                cluster.close()
    if chunks or not (root / VERSION_FILE).exists():
        _write_text_whole(run, root / VERSION_FILE)
    return summary


def _run_chunks(client, chunks: list[list[str]], lookup, root: Path, run: str, now: datetime,
                seen_pages: set[str], seen_articles: set[str], summary: BuildSummary,
                progress: Progress | None, total: int) -> None:
    from distributed import as_completed

    # A window of chunks in flight: extraction runs ahead of writing by a few chunks per worker
    # thread, never by the whole archive (the records wait in the workers' memory until written).
    window = max(4, 3 * sum(client.nthreads().values()))
    extracted: dict[int, object] = {}
    ids: dict[int, object] = {}

    def submit(i: int) -> None:
        if i < len(chunks):
            infos = {p: info for p in chunks[i] if (info := lookup(p)) is not None}
            extracted[i] = client.submit(extract_chunk, chunks[i], infos, key=f"lake-extract-{run}-{i:06d}",
                                         retries=2)
            ids[i] = client.submit(chunk_ids, extracted[i], key=f"lake-ids-{run}-{i:06d}", retries=2)

    for i in range(window):
        submit(i)
    published = as_completed()
    done = summary.unchanged
    for i in range(len(chunks)):
        decision = _decide(ids.pop(i).result(), seen_pages, seen_articles)
        # Writing goes before more extracting, so finished records leave memory first.
        published.add(client.submit(publish_chunk, extracted.pop(i), decision, str(root), run, i, now,
                                    key=f"lake-publish-{run}-{i:06d}", retries=2, priority=10))
        submit(i + window)
        summary.extracted += len(chunks[i])
        done += len(chunks[i])
        if progress:
            progress(done, total, chunks[i][-1])
    statuses = {}
    for fut in published:
        statuses[int(fut.key.rsplit("-", 1)[1])] = fut.result()
    for i, paths in enumerate(chunks):
        for _path, (status, n_articles, n_facts) in zip(paths, statuses[i], strict=True):
            if status == "ok":
                summary.pages += 1
                summary.articles += n_articles
                summary.facts += n_facts
            elif status == "duplicate":
                summary.duplicates += 1
    # Error messages come back through the manifest (the records never travel to the driver).
    con = duckdb.connect()
    try:
        summary.errors += con.execute(f"SELECT source, message FROM read_parquet('{_glob(root, MANIFEST)}') "
                                      "WHERE run = ? AND status = 'error' ORDER BY source", [run]).fetchall()
    finally:
        con.close()


# --- reading ----------------------------------------------------------------------------------

def _empty_select(table: str) -> str:
    schema = _SCHEMAS[table]
    cols = ", ".join(f'CAST(NULL AS {_SQL_TYPES[f.type]}) AS "{f.name}"' for f in schema)
    return f"SELECT {cols} WHERE false"


def _select(lake: Path, table: str) -> str:
    """The store table ``table`` as a SELECT over the lake's Parquet (an empty one when no file yet)."""
    if not _has_files(lake, table):
        return _empty_select(table)
    # Every file of a table is written with the store's schema, so DuckDB need not unify them by name
    # (reading every file's footer on every query would cost 1.5x); see also parquet_metadata_cache.
    source = (f"read_parquet('{_glob(lake, table)}', hive_partitioning=true, "
              "hive_types={'year': INTEGER, 'province': VARCHAR})")
    if table in FLAT_TABLES or table == MANIFEST:
        source = f"read_parquet('{_glob(lake, table)}')"
    # facts' province is also the partition's name: the path's value (NULL for none) wins, so '' comes back.
    cols = ", ".join("coalesce(province, '') AS province" if (table, c) == ("facts", "province") else f'"{c}"'
                     for c in _SCHEMAS[table].names)
    return f"SELECT {cols} FROM {source}"


def _create_views(con: duckdb.DuckDBPyConnection, lake: Path, temp: bool) -> None:
    kind = "TEMP VIEW" if temp else "VIEW"
    for table in TABLES:
        con.execute(f"CREATE OR REPLACE {kind} {table} AS {_select(lake, table)}")
    if temp:
        # A reviewer's connection to the side store: its own (empty) tables stay, the lake's views win.
        view = store._facts_current_sql()
        con.execute(view.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW"))
        return
    manifest = _select(lake, MANIFEST)
    con.execute(f"CREATE VIEW pages AS SELECT content_hash, source, doc, '' AS text, \"at\" AS ingested_at "
                f"FROM ({manifest}) WHERE status = 'ok'")
    con.execute(f"CREATE VIEW ingest_log AS SELECT source AS file, content_hash, status, message, articles, "
                f"facts, \"at\", file_hash FROM ({manifest})")
    con.execute(f"CREATE VIEW schema_version AS SELECT {store.SCHEMA_VERSION} AS version")


def _ensure_local_store(lake: Path) -> Path:
    side = local_store_path(lake)
    if not store.reader_version(side):
        with store.write_session(side):
            pass
    return side


def open_reader(lake: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB presenting the store's tables and views over the lake's Parquet files.

    ``open_reader("lake/").execute("SELECT city, count(*) FROM facts_current GROUP BY 1")``.
    Corrections come from the newest snapshot of the side store (``_local.duckdb``).
    """
    lake = Path(lake)
    _require_lake(lake)
    side = _ensure_local_store(lake)
    con = store._quiet(duckdb.connect(":memory:"))
    con.execute("SET parquet_metadata_cache = true")  # footers read once, not on every query (5x)
    try:
        _create_views(con, lake, temp=False)
        snapshot = (store.snapshot_dir(side) / store.reader_version(side)).as_posix().replace("'", "''")
        con.execute(f"ATTACH '{snapshot}' AS lake_local (READ_ONLY)")
        # A person's decisions (corrections, confirmed campaign names) live in the side store.
        for table in ("corrections", "campaign_names"):
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM lake_local.{table}")
        con.execute(store._facts_current_sql())
    except BaseException:
        con.close()
        raise
    return con


def connect_local(lake: str | Path, wait: float = 10.0) -> duckdb.DuckDBPyConnection:
    """A writable connection for corrections on a lake: the side store, the lake's facts as views.

    ``store.add_correction(connect_local("lake/"), fact_id, "city", "聊城市", "张三")`` works as on a
    store; ``publish_snapshot`` then publishes the side store, which readers of the lake attach.
    Pages cannot be imported into a lake this way: they come from ``lake build``.
    """
    lake = Path(lake)
    _require_lake(lake)
    con = store.connect(local_store_path(lake), wait=wait)
    try:
        _create_views(con, lake, temp=True)
    except BaseException:
        con.close()
        raise
    return con


# --- into the embedded store ------------------------------------------------------------------

def load_into_store(lake: str | Path, db_path: str | Path | None = None) -> dict:
    """Bulk-load a lake (and its corrections) into an embedded store; rows already there are kept.

    Returns the store's counts. Page texts are not in the lake, so ``reextract`` on that store
    leaves these pages as they are; re-extract by building the lake again.
    """
    lake = Path(lake)
    _require_lake(lake)
    side = _ensure_local_store(lake)
    with store.write_session(db_path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            art_cols = ", ".join(f'"{c}"' for c in store.ARTICLE_TABLE_COLUMNS)
            fact_cols = ", ".join(f'"{c}"' for c in store.FACT_TABLE_COLUMNS)
            con.execute(f"INSERT INTO campaigns SELECT article_id, name, count "
                        f"FROM ({_select(lake, 'campaigns')}) "
                        "WHERE article_id NOT IN (SELECT article_id FROM articles)")
            con.execute(f"INSERT INTO article_words SELECT article_id, word, n "
                        f"FROM ({_select(lake, 'article_words')}) "
                        "WHERE article_id NOT IN (SELECT article_id FROM articles)")
            con.execute(f"INSERT INTO articles ({art_cols}) SELECT {art_cols} "
                        f"FROM ({_select(lake, 'articles')}) "
                        "WHERE article_id NOT IN (SELECT article_id FROM articles)")
            con.execute(f"INSERT INTO facts ({fact_cols}) SELECT {fact_cols} FROM ({_select(lake, 'facts')}) "
                        "WHERE fact_id NOT IN (SELECT fact_id FROM facts)")
            manifest = _select(lake, MANIFEST)
            con.execute(f"INSERT INTO pages (content_hash, source, doc, text, ingested_at) "
                        f"SELECT content_hash, any_value(source), any_value(doc), '', min(\"at\") "
                        f"FROM ({manifest}) WHERE status = 'ok' AND content_hash NOT IN "
                        "(SELECT content_hash FROM pages) GROUP BY content_hash")
            log_cols = 'content_hash, status, message, articles, facts, "at", file_hash'
            con.execute(f"INSERT INTO ingest_log (file, {log_cols}) "
                        f"SELECT source, {log_cols} FROM ({manifest})")
            snapshot = (store.snapshot_dir(side) / store.reader_version(side)).as_posix().replace("'", "''")
            con.execute(f"ATTACH '{snapshot}' AS lake_local (READ_ONLY)")
            con.execute("INSERT INTO corrections BY NAME SELECT * FROM lake_local.corrections "
                        "WHERE correction_id NOT IN (SELECT correction_id FROM corrections)")
            con.execute("INSERT INTO campaign_names BY NAME SELECT * FROM lake_local.campaign_names "
                        "WHERE name NOT IN (SELECT name FROM campaign_names)")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.execute("DETACH DATABASE IF EXISTS lake_local")
        return store.counts(con)


def size_bytes(path: str | Path) -> int:
    """Bytes on disk of a lake folder (Parquet and manifest) or a store file."""
    p = Path(path)
    if p.is_file():
        return p.stat().st_size
    return sum(f.stat().st_size for f in p.rglob("*.parquet") if f.is_file())

