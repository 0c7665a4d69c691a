"""Load page files into the store: many files, one writer, every page whole or not at all.

Why this shape: extraction is CPU-bound and DuckDB has one writer, so ``--workers N`` runs
extraction in a process pool, each task a chunk of files returned as Arrow columns
(``store.PageBatch``), while this process alone writes, one transaction per batch. A file
whose bytes were stored before is skipped unread; a page whose normalised text was stored
before (another encoding, another name) is a duplicate; new text for a known source (the
file's path relative to the folder ingested, or an upload's name) replaces the old version.
A bad file, or one that takes longer than the per-file time budget, is logged with a Chinese
message naming it and the batch goes on. The writer holds the store only to write a batch and
lets go of it when idle for a moment or after a few seconds, publishing a read snapshot, so the
dashboard keeps reading and a reviewer's correction gets in. Workers die with their parent.

Example::

    summary = ingest_paths(["seeds/"], db_path="data/tracker.duckdb", workers=2)
    print(summary.report())   # 导入完成：新版面 5 个，新文章 9 篇，新数据 120 条，重复跳过 0 个，出错 0 个
"""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import math
import os
import signal
import sys
import threading
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
WINDOW_SECONDS = 3.0  # longest hold of the store at a time; env CAMPAIGN_TRACKER_WINDOW_SECONDS
IDLE_SECONDS = 1.5  # the writer lets go when it has had nothing to write this long
FILE_SECONDS = 120.0  # per-file extraction budget; env CAMPAIGN_TRACKER_FILE_SECONDS
CHUNK_FILES = 16  # files per worker task
# Pages are stored when a snapshot is due (every WINDOW_SECONDS, or ten times the last publish's
# cost), or at the latest every BATCH_PAGES pages. Each store ends in one checkpoint (the publish's,
# or DuckDB's own on letting go): a checkpoint rewrites every table's growing last row group, so
# its cost is mostly fixed: 10,000 pages stored 512 at a time spent 0.5 s of CPU a batch on them.
# Nothing checkpoints between (``_LOG_BOUND``), and nothing is left in the write-ahead log on
# letting go: reading 65 MB of it back on reopening took 3 s.
BATCH_PAGES = 2048
# Once every file is handed out, pages are stored as they come, this many at a time, on the store
# held open: what is left to store when the last worker finishes (when one core already idles) is
# then a few chunks, not up to BATCH_PAGES.
TAIL_PAGES = 256
_LOG_BOUND = "1GB"
# Chunks handed out ahead per worker: enough that the workers keep extracting while this process
# stores a batch and publishes (a few seconds), without holding more than a batch in memory.
_IN_FLIGHT = 32

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
    replaced: bool = False  # new text for a known source: the old version stopped counting


@dataclass
class IngestSummary:
    pages: int = 0
    articles: int = 0
    facts: int = 0
    duplicates: int = 0
    replaced: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, outcome: FileOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.status == "ok":
            self.pages += 1
            self.articles += outcome.articles
            self.facts += outcome.facts
            self.replaced += outcome.replaced
        elif outcome.status == "duplicate":
            self.duplicates += 1
        else:
            self.errors.append((outcome.file, outcome.message))

    def report(self) -> str:
        replaced = f"（其中 {self.replaced} 个取代了同名版面的旧版本）" if self.replaced else ""
        lines = [f"导入完成：新版面 {self.pages} 个{replaced}，新文章 {self.articles} 篇，"
                 f"新数据 {self.facts} 条，重复跳过 {self.duplicates} 个，出错 {len(self.errors)} 个"
                 f"（用时 {self.seconds:.1f} 秒）"]
        lines += [f"  ✗ {message}" for _, message in self.errors]
        return "\n".join(lines)


# --- which files ----------------------------------------------------------------------------

def _has_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _glob_root(text: str) -> Path:
    """The folder a glob starts from (``archive/2020/**/*.txt`` → ``archive/2020``)."""
    parts = Path(text).parts
    fixed = [p for p in parts[:next((i for i, p in enumerate(parts) if _has_glob(p)), len(parts))]]
    return Path(*fixed) if fixed else Path(".")


def _key(path: Path, root: Path | None) -> str:
    if root is not None:
        with contextlib.suppress(ValueError):
            return path.relative_to(root).as_posix()
    return path.name


def _is_link_loop(path: Path) -> bool:
    if not path.is_symlink():
        return False
    try:
        path.stat()
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def collect_sources(paths: Iterable[str | Path]) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Files, folders (recursively) and globs → (page file, source key) in a stable order, plus path errors.

    The source key is the file's path relative to the folder (or glob's folder) given, or a
    file's own name: ``collect_sources(["seeds"])`` → ([(seeds/000_….txt, "000_….txt"), …], []).
    """
    found: list[tuple[Path, str]] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        text = str(raw)
        if _has_glob(text):
            root = _glob_root(text)
            hits = sorted(Path(p) for p in glob.glob(text, recursive=True))
            files = [(p, _key(p, root)) for p in hits if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES]
            files += [(f, _key(f, root)) for p in hits if p.is_dir() for f in _pages_in(p, problems)]
            if not files:
                problems.append((text, f"没有与 {text} 匹配的版面文件（.txt/.htm/.html）：请检查通配符"))
            found.extend(files)
            continue
        path = Path(text)
        if _is_link_loop(path):
            problems.append((text, f"{text} 是指向自身的循环链接，读不到内容："
                                   "请改为指向真实的版面文件或文件夹"))
        elif path.is_dir():
            files = [(f, _key(f, path)) for f in _pages_in(path, problems)]
            if not files:
                problems.append((text, f"文件夹 {text} 里没有版面文件（.txt/.htm/.html）："
                                       "请确认文件夹是否选对"))
            found.extend(files)
        elif path.is_file():
            found.append((path, path.name))
        else:
            problems.append((text, f"找不到 {text}：请检查路径是否写对、文件是否已移走"))
    seen: set[object] = set()
    unique = []
    for f, key in found:
        same = _identity(f)
        if same not in seen:
            seen.add(same)
            unique.append((f, key))
    return unique, problems


def _identity(path: Path) -> object:
    """What makes two names one file (a folder given twice, a link to a page also given): its device
    and inode, one ``stat``; ``Path.resolve`` took half a second over 10,000 files."""
    try:
        st = path.stat()
    except OSError:
        return path.absolute()
    return st.st_dev, st.st_ino


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """``collect_sources`` without the keys: ``collect_files(["seeds", "missing.txt"])`` →
    ([seeds/000_….txt, …], [("missing.txt", "找不到 …")])."""
    sources, problems = collect_sources(paths)
    return [f for f, _ in sources], problems


def _pages_in(folder: Path, problems: list[tuple[str, str]] | None = None) -> list[Path]:
    pages = []
    for p in sorted(folder.rglob("*")):
        if p.suffix.lower() not in PAGE_SUFFIXES:
            continue
        if p.is_file():
            pages.append(p)
        elif problems is not None and p.is_symlink():
            problems.append((str(p), f"{p} 是失效或循环的链接，读不到内容：已跳过，请改为指向真实的版面文件"))
    return pages


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


class _OverBudget(BaseException):
    """Raised in the middle of a page's extraction when its time budget is spent (not an Exception,
    so no ``except Exception`` on the way swallows it)."""


_AGAIN_SECONDS = 0.05  # an overrun raised where Python drops exceptions is raised again this soon


def _on_alarm(_signum, _frame) -> None:
    raise _OverBudget


def _dropping_overruns(hook: Callable) -> Callable:
    """``sys.unraisablehook`` that ignores an overrun landing in a gc callback or a ``__del__``.

    Such an overrun cannot stop the page, and the repeating alarm raises it again where it can;
    passed on, it would be reported as an error (pytest fails the test that showed it) and the
    report itself, formatting a traceback, could be interrupted by that repeat.
    """
    def hook_without_overruns(unraisable) -> None:
        if unraisable.exc_type is not _OverBudget:
            hook(unraisable)
    return hook_without_overruns


@contextlib.contextmanager
def _time_budget(seconds: float | None) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (main thread only; elsewhere it runs unbounded).

    The alarm repeats until the block ends: a signal can land in a gc callback or a ``__del__``,
    where Python reports the exception and carries on, and one alarm would then be lost.
    """
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _dropping_overruns(previous_hook)
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, _AGAIN_SECONDS)
    try:
        yield
    finally:
        while True:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except _OverBudget:  # a repeat that fired while disarming: the block is over already
                continue
        sys.unraisablehook = previous_hook


def file_seconds() -> float:
    """The per-file time budget: ``$CAMPAIGN_TRACKER_FILE_SECONDS`` or ``FILE_SECONDS``."""
    try:
        return float(os.environ.get("CAMPAIGN_TRACKER_FILE_SECONDS", FILE_SECONDS))
    except ValueError:
        return FILE_SECONDS


def _over_budget(name: str, seconds: float) -> PageResult:
    return PageResult(source=name, doc=Path(name).name,
                      error=f"{Path(name).name} 处理了 {seconds:g} 秒仍未完成，已停止：该文件未导入，"
                            "其余文件照常导入；请检查它是否是正常的版面文字，或拆分成几个文件后重新导入")


def extract_path(path: str, info: PageInfo | None = None,
                 budget: float | None = None) -> tuple[PageResult, str]:
    """Read and extract one file; every failure becomes a Chinese message naming it.

    ``info`` is its manifest line; ``budget`` seconds at most (``file_seconds()`` by default):
    a file that takes longer gives an error result instead.
    """
    p = Path(path)
    budget = file_seconds() if budget is None else budget
    try:
        with _time_budget(budget):
            try:
                text, html = read_page_and_meta(p)  # headlines keep the page's own punctuation
            except PageError as exc:
                return PageResult(source=str(p), doc=p.name, error=exc.message), ""
            except Exception as exc:
                return PageResult(source=str(p), doc=p.name,
                                  error=f"无法读取 {p.name}（{type(exc).__name__}）：请确认它是 "
                                        ".txt 或 .html 文字版面，另存为 UTF-8 后重新导入"), ""
            return page_from_text(text, str(p), info, html)
    except _OverBudget:
        return _over_budget(str(p), budget), ""


FileTask = tuple[str, str, str, "PageInfo | None"]  # path, source key, file hash, manifest line


def extract_chunk(files: list[FileTask], budget: float | None = None) -> store.PageBatch:
    """Extract (path, source key, file hash, manifest line) files into one ``PageBatch`` (a worker's task)."""
    items = []
    for path, key, digest, info in files:
        page, text = extract_path(path, info, budget)
        items.append((page, text, digest, key))
    try:
        return store.page_batch(items)
    except Exception:  # a record that does not fit its column: that file alone becomes an error
        checked = []
        for page, text, digest, key in items:
            try:
                store.page_batch([(page, text, digest, key)])
            except Exception as exc:
                page = PageResult(source=page.source, doc=page.doc, content_hash=page.content_hash,
                                  error=f"保存 {page.doc} 时出错（{type(exc).__name__}）：该文件未导入，"
                                        "请把它报告给维护人员")
            checked.append((page, text, digest, key))
        return store.page_batch(checked)


# --- workers --------------------------------------------------------------------------------

def _die_with_parent(parent: int) -> None:
    """Worker start-up: end when the ingest that started us ends, even by ``kill -9``.

    On Linux the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG); elsewhere, and
    as a second line, a thread notices that the parent's id changed. Ctrl-C is the parent's.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="die-with-parent").start()


# A short page that takes reading and extraction through their dictionaries, gazetteer, automata and jieba's
# word index, each loaded on first use.
_WARM_UP_PAGE = ("## 全省新增城镇就业52.3万人\n\n本报济南6月1日讯（记者 张三）今年1-5月，全省新增城镇就业"
                 "52.3万人，同比增长3.5%。济南市完成技术改造投资120亿元，冠县新建高标准农田5万亩。\n")


def _warm_up() -> None:
    """Load what extraction loads on first use here, before the pool forks its workers.

    Why: each worker then starts with it (shared copy-on-write) instead of loading it again, half
    a second of CPU per worker on a machine whose cores the workers need; and the writer needs the
    gazetteer itself for the last snapshot's review flags (``review.is_shandong_city``).
    """
    with contextlib.suppress(Exception):  # only a head start: a worker loads what is missing
        text, html = decode_page_and_meta(_WARM_UP_PAGE.encode("utf-8"), "warm-up.txt")
        page, text = page_from_text(text, "warm-up.txt", html=html)
        store.page_batch([(page, text, "", "warm-up.txt")])


def _chunked(files: Iterable[FileTask], total: int, workers: int) -> Iterator[list[FileTask]]:
    """Chunks of at most ``CHUNK_FILES`` files, smaller for a short batch (``total`` files at most)
    so every worker gets some; taken from ``files`` only as they are handed out."""
    size = max(1, min(CHUNK_FILES, math.ceil(total / max(1, workers * 4))))
    chunk: list[FileTask] = []
    for task in files:
        chunk.append(task)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _extracted(files: Iterable[FileTask], total: int, workers: int,
               budget: float) -> Iterator[tuple[store.PageBatch, bool]]:
    """Extracted chunks in order, each with whether every file is handed out already (the tail,
    in which workers only finish what they hold); with several workers a bounded number are in
    flight. One worker is this process: it never has work in flight.

    ``files`` is read as chunks are handed out, so the workers start extracting while the
    rest of the files are still being read and hashed (``_new_files``).
    """
    if workers <= 1:
        for chunk in _chunked(files, total, 1):
            yield extract_chunk(chunk, budget), False
        return
    _warm_up()
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),))
    try:
        pending: deque = deque()
        chunks = _chunked(files, total, workers)
        for chunk in chunks:
            pending.append(pool.submit(extract_chunk, chunk, budget))
            if len(pending) >= _IN_FLIGHT * workers:
                break
        while pending:
            future = pending.popleft()
            nxt = next(chunks, None)
            if nxt is not None:
                pending.append(pool.submit(extract_chunk, nxt, budget))
            yield future.result(), nxt is None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _Writer:
    """Holds the store only while it writes: lets go after ``IDLE_SECONDS`` without a batch to
    store, and at the latest every ``window`` seconds, so a reviewer's correction gets in.

    A read snapshot is published when it lets go, but no more often than ten times the last
    copy took, so publishing a large store costs at most a tenth of the ingest's time; those
    along the way carry no summaries (the dashboard scans them), the last one does. A timer
    thread lets go while this process extracts a long page itself.
    """

    def __init__(self, db_path: str | Path | None, cores: int = 1) -> None:
        from loaders.storage import lake  # a lake gets pages from ``lake build`` only

        lake.refuse_pages(db_path)
        self.db_path = db_path
        self.cores = max(1, cores)  # the workers' cores: the last publish has them to itself
        self.window = float(os.environ.get("CAMPAIGN_TRACKER_WINDOW_SECONDS", WINDOW_SECONDS))
        self.idle = min(IDLE_SECONDS, self.window)
        self.con = None
        self.opened = 0.0
        self.used = 0.0
        self.published = time.monotonic()
        self.publish_cost = 0.0
        self.dirty = False
        self.summarised = True  # the newest snapshot carries the summaries
        self.lock = threading.RLock()
        self.stop = threading.Event()
        self.timer = threading.Thread(target=self._watch, daemon=True, name="ingest-writer-release")
        self.timer.start()

    def _watch(self) -> None:
        while not self.stop.wait(0.1):
            with self.lock:
                if self.con is not None and self.busy == 0 and time.monotonic() - self.used > self.idle:
                    self.release(publish=self._publish_due())

    busy = 0

    @contextlib.contextmanager
    def session(self):
        """The connection, held for one batch; the store is not let go of meanwhile."""
        with self.lock:
            if self.con is None:
                self.con = store.connect(self.db_path, wait=60.0)
                # one thread: a batch is a few thousand rows, and the cores belong to the workers
                self.con.execute("SET threads = 1")
                self.con.execute(f"SET checkpoint_threshold = '{_LOG_BOUND}'")
                self.opened = time.monotonic()
            self.busy += 1
            try:
                yield self.con
            finally:
                self.busy -= 1
                self.used = time.monotonic()
                self.dirty = True

    def snapshot_due(self) -> bool:
        """Time for readers to see what was extracted: the ingest stores its pending pages now."""
        return time.monotonic() - self.published > max(self.window, 10 * self.publish_cost)

    def _publish_due(self) -> bool:
        return self.dirty and self.snapshot_due()

    def maybe_release(self) -> None:
        with self.lock:
            if self.con is not None and time.monotonic() - self.opened > self.window:
                self.release(publish=self._publish_due())

    def let_go(self) -> None:
        """About to wait for extraction: free the store now if a snapshot is not due (else soon)."""
        with self.lock:
            if self.con is not None:
                self.release(publish=self._publish_due())

    def release(self, publish: bool = True, last: bool = False) -> None:
        with self.lock:
            if self.con is None:
                return
            try:
                if publish:
                    if last:
                        self.con.execute(f"SET threads = {self.cores}")
                    started = time.monotonic()
                    store.publish_snapshot(self.con, summarise=last)
                    self.published = time.monotonic()
                    self.publish_cost = self.published - started
                    self.dirty = False
                    self.summarised = last
            finally:
                self.con.close()
                self.con = None

    def close(self, publish: bool = True) -> None:
        self.stop.set()
        self.timer.join(timeout=5)
        with self.lock:
            if publish and (self.dirty or not self.summarised) and self.con is None:
                with self.session():
                    pass
            self.release(publish=publish, last=True)


def tqdm_progress(total: int, desc: str = "导入") -> tuple[Progress | None, Callable[[], None]]:
    """A progress bar over ``total`` pages on a terminal (导入, 数据湖), nothing otherwise."""
    if not sys.stderr.isatty() or total == 0:
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="页", file=sys.stderr, desc=desc)

    def update(done: int, _total: int, name: str) -> None:
        bar.n = done
        bar.set_postfix_str(Path(name).name[-30:], refresh=False)
        bar.refresh()

    return update, bar.close


def _new_files(files: list[tuple[Path, str]], known: dict[str, str], lookup: ManifestLookup,
               duplicates: list[tuple[str, str, str]]) -> Iterator[FileTask]:
    """Files to extract → (path, source key, file hash, manifest line), read and hashed one by one.

    A file whose exact bytes are a page that counts now (``known``: file hash → content hash)
    is not extracted: (file, content hash, file hash) goes to ``duplicates``, for the writer to
    log. A manifest line's file name is the page's source key.
    """
    for f, key in files:
        try:
            digest = _file_hash(f.read_bytes()) if f.stat().st_size <= MAX_PAGE_BYTES else ""
        except OSError:
            digest = ""
        if digest and digest in known:
            duplicates.append((str(f), known[digest], digest))
        else:
            info = lookup(f)
            yield str(f), info.file if info is not None and info.file else key, digest, info


def _log_duplicates(con, duplicates: list[tuple[str, str, str]], summary: IngestSummary) -> None:
    """Log the files found to be duplicates so far (and forget them), in one transaction."""
    if not duplicates:
        return
    con.execute("BEGIN TRANSACTION")
    for file, content_hash, digest in duplicates:
        store.log_entry(con, file, content_hash, "duplicate", "", file_hash=digest)
        summary.add(FileOutcome(file, "duplicate", content_hash=content_hash))
    con.execute("COMMIT")
    duplicates.clear()


def ingest_paths(paths: Iterable[str | Path], db_path: str | Path | None = None, workers: int = 1,
                 progress: Progress | None = None, tty_progress: bool = False,
                 manifest: str | Path | None = None, budget: float | None = None) -> IngestSummary:
    """Ingest files, folders and globs; bad files are logged and the batch goes on.

    ``manifest`` names a page manifest (``loaders.manifest``); a ``manifest.csv`` in a page's
    folder is used without it. Its bad lines are logged like bad files and the batch goes on.
    ``budget`` is the per-file time budget in seconds (``file_seconds()`` by default).
    """
    started = time.monotonic()
    summary = IngestSummary()
    files, problems = collect_sources(paths)
    lookup = ManifestLookup(manifest)
    problems += [(str(manifest or "manifest.csv"), message)
                 for message in lookup.problems([f for f, _ in files])]
    budget = file_seconds() if budget is None else budget
    writer = _Writer(db_path, cores=workers)
    close_bar: Callable[[], None] = lambda: None  # noqa: E731
    if progress is None and tty_progress:
        progress, close_bar = tqdm_progress(len(files))
    try:
        with writer.session() as con:
            for name, message in problems:
                store.log_entry(con, name, "", "error", message)
                summary.add(FileOutcome(name, "error", message))
            known = store.known_file_hashes(con)
        writer.let_go()  # workers start without the store open in this process
        duplicates: list[tuple[str, str, str]] = []
        pending: list[store.PageBatch] = []
        extracted = 0
        for chunk, tail in _extracted(_new_files(files, known, lookup, duplicates), len(files), workers,
                                      budget):
            pending.append(chunk)
            extracted += len(chunk)
            if progress:
                progress(extracted + summary.duplicates + len(duplicates), len(files),
                         chunk.pages["source"][-1].as_py())
            waiting = sum(len(c) for c in pending)
            if waiting >= BATCH_PAGES or writer.snapshot_due():
                _flush(writer, pending, duplicates, summary)
                pending = []
            elif tail and waiting >= TAIL_PAGES:
                _flush(writer, pending, duplicates, summary, keep=True)
                writer.maybe_release()  # held no longer than a window: a reviewer's correction gets in
                pending = []
        if pending or duplicates:
            _flush(writer, pending, duplicates, summary, keep=True)
        if progress:
            progress(len(files), len(files), "")
    finally:
        writer.close()
        close_bar()
    summary.seconds = time.monotonic() - started
    return summary


def _concat(chunks: list[store.PageBatch]) -> store.PageBatch:
    if len(chunks) == 1:
        return chunks[0]
    import pyarrow as pa
    import pyarrow.compute as pc

    tables: list[list] = [[] for _ in chunks[0].tables()]
    offset = 0
    for chunk in chunks:
        for i, table in enumerate(chunk.tables()):
            tables[i].append(table.set_column(0, "ord", pc.add(table["ord"], pa.scalar(offset, pa.int32()))))
        offset += len(chunk)
    return store.PageBatch(*(pa.concat_tables(t) for t in tables))


def _store(con, batch: store.PageBatch) -> list[FileOutcome]:
    """Store a batch of extracted files in one transaction; one outcome per file."""
    results = store.store_batch(con, batch)
    outcomes = []
    for page, stored in zip(batch.pages.to_pylist(), results, strict=True):
        message = page["error"]
        name = page["source"] or page["doc"]
        if stored.status == "error" and not message:
            message = con.execute("SELECT message FROM ingest_log WHERE file = ? ORDER BY \"at\" DESC "
                                  "LIMIT 1", [name]).fetchone()[0]
        outcomes.append(FileOutcome(name, stored.status, message, stored.articles, stored.facts,
                                    page["content_hash"], stored.replaced))
    return outcomes


def _flush(writer: _Writer, chunks: list[store.PageBatch], duplicates: list[tuple[str, str, str]],
           summary: IngestSummary, keep: bool = False) -> None:
    """Log the duplicates found and store the pages extracted since the last flush (one transaction),
    then let go of the store (publishing a snapshot when one is due), so it is free while the
    next ones are extracted. A flush near the end ``keep``s it: the writer's ``close`` publishes the
    final snapshot on the same connection, instead of an interim one (a checkpoint and a copy of
    the whole store) and a reopening just before it."""
    with writer.session() as con:
        _log_duplicates(con, duplicates, summary)
        outcomes = _store(con, _concat(chunks)) if chunks else []
    for outcome in outcomes:
        summary.add(outcome)
    if not keep:
        writer.let_go()


def ingest_bytes(name: str, data: bytes, db_path: str | Path | None = None,
                 info: PageInfo | None = None, source_key: str = "") -> FileOutcome:
    """Ingest one uploaded file (the dashboard's 导入 page); same rules as a file on disk.

    ``info`` holds what the user typed on the 导入 page (edition date, paper); its date is
    recorded with date source ``upload``. The source key is ``source_key`` or the file's name:
    a corrected page uploaded under the same name replaces the old version.
    """
    html = None
    try:
        text, html = decode_page_and_meta(data, name)
    except PageError as exc:
        return _log_error(name, exc.message, db_path)
    except Exception as exc:
        message = f"无法读取 {name}（{type(exc).__name__}）：请另存为 UTF-8 后重新上传"
        return _log_error(name, message, db_path)
    page, text = page_from_text(text, name, info, html, given_by="upload")
    batch = extract_batch_of(page, text, _file_hash(data), source_key or name)
    with store.write_session(db_path) as con:
        from loaders.storage import lake  # a lake gets pages from ``lake build`` only

        lake.refuse_pages(db_path)
        return _store(con, batch)[0]


def extract_batch_of(page: PageResult, text: str, file_hash: str, source_key: str) -> store.PageBatch:
    try:
        return store.page_batch([(page, text, file_hash, source_key)])
    except Exception as exc:
        failed = PageResult(source=page.source, doc=page.doc, content_hash=page.content_hash,
                            error=f"保存 {page.doc} 时出错（{type(exc).__name__}）：该文件未导入，"
                                  "请把它报告给维护人员")
        return store.page_batch([(failed, "", file_hash, source_key)])


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
        with writer.session() as con:
            pages = con.execute("SELECT content_hash, source, text FROM pages WHERE text <> '' "
                                "AND superseded_by = '' ORDER BY ingested_at, content_hash").fetchall()
            # The store's own totals: per-page counts overlap when pages share an article (a reprint,
            # 上接第一版), which made the summary say "263 → 325" of a store holding 263 figures.
            summary.facts_before = con.execute("SELECT count(*) FROM facts").fetchone()[0]
        for i, (content_hash, source, text) in enumerate(pages, 1):
            try:
                with writer.session() as con:
                    kept = _given_info(con, content_hash) if extract is extract_text else {}
                page = extract(text, source=source, **kept)
            except Exception as exc:
                message = f"重新提取 {Path(source).name} 时出错（{exc}）：原数据保留不变"
                summary.errors.append((source, message))
                continue
            with writer.session() as con:
                con.execute("BEGIN TRANSACTION")
                try:
                    store.replace_page_records(con, content_hash, page)
                    con.execute("COMMIT")
                except Exception:
                    con.execute("ROLLBACK")
                    raise
            summary.pages += 1
            if progress:
                progress(i, len(pages), source)
            writer.maybe_release()
        with writer.session() as con:
            summary.facts_after = con.execute("SELECT count(*) FROM facts").fetchone()[0]
            summary.corrections = con.execute("SELECT count(*) FROM corrections").fetchone()[0]
            summary.orphans = len(store.orphan_corrections(con))
    finally:
        writer.close()
    return summary
