"""Load page files into the store: many files, one writer, every page whole or not at all.

Why this shape: extraction is CPU-bound and DuckDB has one writer, so ``--workers N`` runs
extraction in a process pool while this process alone writes, one transaction per page
(``store.store_page``). A file whose bytes were stored before is skipped unread; a page whose
normalised text was stored before (another encoding, another name) is a duplicate. A bad file
is logged with a Chinese message naming it and the batch goes on. The writer lets go of the
file every few seconds and publishes a read snapshot, so the dashboard keeps reading and a
reviewer's correction gets in between.

Example::

    summary = ingest_paths(["seeds/"], db_path="data/tracker.duckdb", workers=2)
    print(summary.report())   # 导入完成：版面 5 个，文章 9 篇，数据 120 条，重复跳过 0 个，出错 0 个
"""

from __future__ import annotations

import glob
import hashlib
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from loaders.manifest import ManifestLookup, PageInfo
from loaders.metadata import HtmlMeta
from loaders.pipeline import PageResult, extract_text
from loaders.read import MAX_PAGE_BYTES, PageError, decode_page_and_meta, read_page_and_meta
from loaders.storage import store

PAGE_SUFFIXES = (".txt", ".htm", ".html")
WINDOW_SECONDS = 3.0  # how long an ingest holds the store at a time; env CAMPAIGN_TRACKER_WINDOW_SECONDS
BATCH_PAGES = 50
BATCH_SECONDS = 0.5

Progress = Callable[[int, int, str], None]


@dataclass
class FileOutcome:
    """What became of one file: status ok | duplicate | error, with a Chinese message on error."""

    file: str
    status: str
    message: str = ""
    articles: int = 0
    facts: int = 0
    content_hash: str = ""


@dataclass
class IngestSummary:
    pages: int = 0
    articles: int = 0
    facts: int = 0
    duplicates: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, outcome: FileOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.status == "ok":
            self.pages += 1
            self.articles += outcome.articles
            self.facts += outcome.facts
        elif outcome.status == "duplicate":
            self.duplicates += 1
        else:
            self.errors.append((outcome.file, outcome.message))

    def report(self) -> str:
        lines = [f"导入完成：新版面 {self.pages} 个，新文章 {self.articles} 篇，新数据 {self.facts} 条，"
                 f"重复跳过 {self.duplicates} 个，出错 {len(self.errors)} 个（用时 {self.seconds:.1f} 秒）"]
        lines += [f"  ✗ {message}" for _, message in self.errors]
        return "\n".join(lines)


# --- which files ----------------------------------------------------------------------------

def _has_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files, folders (recursively) and globs → page files in a stable order, plus path errors.

    ``collect_files(["seeds", "missing.txt"])`` → ([seeds/000_….txt, …], [("missing.txt", "找不到 …")]).
    """
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        text = str(raw)
        if _has_glob(text):
            hits = sorted(Path(p) for p in glob.glob(text, recursive=True))
            found = [p for p in hits if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES]
            found += [f for p in hits if p.is_dir() for f in _pages_in(p)]
            if not found:
                problems.append((text, f"没有与 {text} 匹配的版面文件（.txt/.htm/.html）：请检查通配符"))
            files.extend(found)
            continue
        path = Path(text)
        if path.is_dir():
            found = _pages_in(path)
            if not found:
                problems.append((text, f"文件夹 {text} 里没有版面文件（.txt/.htm/.html）："
                                       "请确认文件夹是否选对"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append((text, f"找不到 {text}：请检查路径是否写对、文件是否已移走"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems


def _pages_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES)


# --- one file -------------------------------------------------------------------------------

def _file_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _has_text(page: PageResult) -> bool:
    return any(a.text.strip() for a in page.articles)


def page_from_text(text: str, name: str, info: PageInfo | None = None, html: HtmlMeta | None = None,
                   given_by: str = "manifest") -> tuple[PageResult, str]:
    """Decoded text → (PageResult, text); a page with no readable words becomes an error.

    ``info`` is the page's manifest line (or what the 导入 page was told), ``html`` its HTML head."""
    try:
        page = extract_text(text, source=name, info=info, html=html, given_by=given_by)
    except Exception as exc:  # a rule that trips on a page must not stop the batch
        return PageResult(source=name, doc=Path(name).name,
                          error=f"提取 {Path(name).name} 时出错（{type(exc).__name__}: {exc}）："
                                "该文件未导入，请把它报告给维护人员"), ""
    if not _has_text(page):
        return PageResult(source=name, doc=page.doc,
                          error=f"{page.doc} 里没有可读的文字：请确认它是报纸版面的文字稿后重新导入"), ""
    return page, text


def extract_path(path: str, info: PageInfo | None = None) -> tuple[PageResult, str]:
    """Read and extract one file in a worker; every failure becomes a Chinese message naming it."""
    p = Path(path)
    html = None
    try:
        text, html = read_page_and_meta(p)  # headlines keep the page's own punctuation and characters
    except PageError as exc:
        return PageResult(source=str(p), doc=p.name, error=exc.message), ""
    except Exception as exc:
        return PageResult(source=str(p), doc=p.name,
                          error=f"无法读取 {p.name}（{type(exc).__name__}）：请确认它是 .txt 或 .html "
                                "文字版面，另存为 UTF-8 后重新导入"), ""
    return page_from_text(text, str(p), info, html)


def _store(con, items: list[tuple[Path, PageResult, str, str]]) -> list[FileOutcome]:
    """Store a batch of extracted files in one transaction; one outcome per file."""
    results = store.store_pages(con, [(page, text, digest) for _, page, text, digest in items])
    outcomes = []
    for (path, page, _, _), (status, n_articles, n_facts) in zip(items, results, strict=True):
        message = page.error
        if status == "error" and not message:
            message = con.execute("SELECT message FROM ingest_log WHERE file = ? ORDER BY \"at\" DESC "
                                  "LIMIT 1", [page.source or page.doc]).fetchone()[0]
        outcomes.append(FileOutcome(str(path), status, message, n_articles, n_facts, page.content_hash))
    return outcomes


# --- many files -----------------------------------------------------------------------------

def _extracted(files: list[Path], workers: int,
               lookup: ManifestLookup | None = None) -> Iterator[tuple[Path, PageResult, str]]:
    """Extract in order; with several workers a bounded number of pages are in flight."""
    info = lookup or (lambda _: None)
    if workers <= 1:
        for f in files:
            yield (f, *extract_path(str(f), info(f)))
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque = deque()
        queue = iter(files)
        for f in queue:
            pending.append((f, pool.submit(extract_path, str(f), info(f))))
            if len(pending) >= workers * 8:
                break
        while pending:
            f, future = pending.popleft()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(extract_path, str(nxt), info(nxt))))
            yield (f, *future.result())


class _Writer:
    """Holds the store for a few seconds at a time, then lets go so a correction can get in.

    A read snapshot is published when it lets go, but no more often than ten times the last
    copy took, so publishing a large store costs at most a tenth of the ingest's time.
    """

    def __init__(self, db_path: str | Path | None) -> None:
        self.db_path = db_path
        self.window = float(os.environ.get("CAMPAIGN_TRACKER_WINDOW_SECONDS", WINDOW_SECONDS))
        self.con = None
        self.opened = 0.0
        self.published = time.monotonic()
        self.publish_cost = 0.0

    def get(self):
        if self.con is None:
            self.con = store.connect(self.db_path, wait=60.0)
            self.opened = time.monotonic()
        return self.con

    def maybe_release(self) -> None:
        if self.con is not None and time.monotonic() - self.opened > self.window:
            due = time.monotonic() - self.published > max(self.window, 10 * self.publish_cost)
            self.release(publish=due)

    def release(self, publish: bool = True) -> None:
        if self.con is None:
            return
        try:
            if publish:
                started = time.monotonic()
                store.publish_snapshot(self.con)
                self.published = time.monotonic()
                self.publish_cost = self.published - started
        finally:
            self.con.close()
            self.con = None


def _tqdm_progress(total: int) -> tuple[Progress | None, Callable[[], None]]:
    if not sys.stderr.isatty() or total == 0:
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="页", file=sys.stderr, desc="导入")

    def update(done: int, _total: int, name: str) -> None:
        bar.n = done
        bar.set_postfix_str(Path(name).name[-30:], refresh=False)
        bar.refresh()

    return update, bar.close


def _skip_known_files(con, files: list[Path], summary: IngestSummary) -> dict[Path, str]:
    """Files whose exact bytes were stored before are logged as duplicates unread; the rest → their hash."""
    known = store.known_file_hashes(con)
    todo: dict[Path, str] = {}
    con.execute("BEGIN TRANSACTION")
    for f in files:
        try:
            digest = _file_hash(f.read_bytes()) if f.stat().st_size <= MAX_PAGE_BYTES else ""
        except OSError:
            digest = ""
        if digest and digest in known:
            store.log_entry(con, str(f), "", "duplicate", "", file_hash=digest)
            summary.add(FileOutcome(str(f), "duplicate"))
        else:
            todo[f] = digest
    con.execute("COMMIT")
    return todo


def ingest_paths(paths: Iterable[str | Path], db_path: str | Path | None = None, workers: int = 1,
                 progress: Progress | None = None, tty_progress: bool = False,
                 manifest: str | Path | None = None) -> IngestSummary:
    """Ingest files, folders and globs; bad files are logged and the batch goes on.

    ``manifest`` names a page manifest (``loaders.manifest``); a ``manifest.csv`` in a page's
    folder is used without it. Its bad lines are logged like bad files and the batch goes on.
    """
    started = time.monotonic()
    summary = IngestSummary()
    files, problems = collect_files(paths)
    lookup = ManifestLookup(manifest)
    problems += [(str(manifest or "manifest.csv"), message) for message in lookup.problems(files)]
    writer = _Writer(db_path)
    close_bar: Callable[[], None] = lambda: None  # noqa: E731
    if progress is None and tty_progress:
        progress, close_bar = _tqdm_progress(len(files))
    try:
        con = writer.get()
        for name, message in problems:
            store.log_entry(con, name, "", "error", message)
            summary.add(FileOutcome(name, "error", message))
        hashes = _skip_known_files(con, files, summary)
        todo = list(hashes)
        done = len(files) - len(todo)
        if progress:
            progress(done, len(files), "")
        batch: list[tuple[Path, PageResult, str, str]] = []
        batch_started = time.monotonic()
        for f, page, text in _extracted(todo, workers, lookup):
            if not batch:
                batch_started = time.monotonic()
            batch.append((f, page, text, hashes[f]))
            if len(batch) >= BATCH_PAGES or time.monotonic() - batch_started > BATCH_SECONDS:
                done = _flush(writer, batch, summary, progress, done, len(files))
                batch = []
        if batch:
            _flush(writer, batch, summary, progress, done, len(files))
    finally:
        writer.release()
        close_bar()
    summary.seconds = time.monotonic() - started
    return summary


def _flush(writer: _Writer, batch: list, summary: IngestSummary, progress: Progress | None,
           done: int, total: int) -> int:
    for outcome in _store(writer.get(), batch):
        summary.add(outcome)
        done += 1
        if progress:
            progress(done, total, outcome.file)
    writer.maybe_release()
    return done


def ingest_bytes(name: str, data: bytes, db_path: str | Path | None = None,
                 info: PageInfo | None = None) -> FileOutcome:
    """Ingest one uploaded file (the dashboard's 导入 page); same rules as a file on disk.

    ``info`` holds what the user typed on the 导入 page (edition date, paper); its date is
    recorded with date source ``upload``."""
    html = None
    try:
        text, html = decode_page_and_meta(data, name)
    except PageError as exc:
        return _log_error(name, exc.message, db_path)
    except Exception as exc:
        message = f"无法读取 {name}（{type(exc).__name__}）：请另存为 UTF-8 后重新上传"
        return _log_error(name, message, db_path)
    page, text = page_from_text(text, name, info, html, given_by="upload")
    with store.write_session(db_path) as con:
        return _store(con, [(Path(name), page, text, _file_hash(data))])[0]


def _log_error(name: str, message: str, db_path: str | Path | None) -> FileOutcome:
    with store.write_session(db_path, publish=False) as con:
        store.log_entry(con, name, "", "error", message)
    return FileOutcome(name, "error", message)


# --- re-extraction --------------------------------------------------------------------------

def _given_info(con, content_hash: str) -> dict:
    """What a manifest or the 导入 page said about a stored page, so re-extraction keeps it."""
    row = con.execute("SELECT any_value(paper), any_value(page), any_value(page_name), any_value(url), "
                      "any_value(published), any_value(date_source) FROM articles WHERE content_hash = ?",
                      [content_hash]).fetchone()
    if row is None or row[5] not in ("manifest", "upload"):
        return {}
    paper, page, page_name, url, published, source = (v or "" for v in row)
    return {"info": PageInfo(date=published, paper=paper, page=page, page_name=page_name, url=url),
            "given_by": source}


@dataclass
class ReextractSummary:
    pages: int = 0
    facts_before: int = 0
    facts_after: int = 0
    corrections: int = 0
    orphans: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"重新提取完成：版面 {self.pages} 个，数据 {self.facts_before} → {self.facts_after} 条，"
                 f"校对记录 {self.corrections} 条（其中 {self.orphans} 条找不到原数据，请在校对页查看）"]
        lines += [f"  ✗ {message}" for _, message in self.errors]
        return "\n".join(lines)


def reextract(db_path: str | Path | None = None,
              extract: Callable[..., PageResult] = extract_text,
              progress: Progress | None = None) -> ReextractSummary:
    """Run the (improved) rules again over every stored page, one transaction per page.

    Corrections are kept; one whose figure changed its id finds it again by quote and sentence.
    ``extract`` is the page → PageResult function (the pipeline's by default).
    """
    summary = ReextractSummary()
    writer = _Writer(db_path)
    try:
        pages = writer.get().execute("SELECT content_hash, source, text FROM pages WHERE text <> '' "
                                     "ORDER BY ingested_at, "
                                     "content_hash").fetchall()
        for i, (content_hash, source, text) in enumerate(pages, 1):
            try:
                kept = _given_info(writer.get(), content_hash) if extract is extract_text else {}
                page = extract(text, source=source, **kept)
            except Exception as exc:
                message = f"重新提取 {Path(source).name} 时出错（{exc}）：原数据保留不变"
                summary.errors.append((source, message))
                continue
            con = writer.get()
            con.execute("BEGIN TRANSACTION")
            try:
                before, after = store.replace_page_records(con, content_hash, page)
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            summary.pages += 1
            summary.facts_before += before
            summary.facts_after += after
            if progress:
                progress(i, len(pages), source)
            writer.maybe_release()
        con = writer.get()
        summary.corrections = con.execute("SELECT count(*) FROM corrections").fetchone()[0]
        summary.orphans = len(store.orphan_corrections(con))
    finally:
        writer.release()
    return summary
