"""Shared fixtures: real DuckDB stores built from the seed pages, as the loaders build them.

- ``seed_db``: a store with every page of ``seeds/`` ingested through
  ``loaders.storage.ingest.ingest_paths`` — built once per test session in a temporary folder.
  Read it with ``loaders.storage.store.open_reader(seed_db)``; do not write to it (copy it first:
  ``copy_store(seed_db, tmp_path)``), other tests share it.
- ``empty_db``: a store with its tables and no row (created and published), one per session.
- ``copy_store(path, folder)``: a private writable copy of a store, for tests that ingest or correct.
- ``serve_dashboard(db, log_dir, **env)``: ``streamlit run dashboard/app.py`` on a free port of
  127.0.0.1, reading ``db``; yields its URL and stops it afterwards.
- ``chromium``: Debian's chromium launched headless by Playwright (one per session); the tests
  that use it are skipped only when chromium is not installed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from loaders.storage import store
from loaders.storage.ingest import ingest_paths

# Property tests check what a grammar finds, never how fast: Hypothesis's 200 ms deadline per example
# is a timed test in disguise, and failed on a busy machine (263 ms for the time expressions).
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a store holding the seed pages (built once per session; treat as read-only)."""
    path = tmp_path_factory.mktemp("seed_store") / "tracker.duckdb"
    summary = ingest_paths(sorted(SEEDS.glob("*.txt")), db_path=path)
    assert not summary.errors, summary.report()
    return path


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a store with its tables and no data."""
    path = tmp_path_factory.mktemp("empty_store") / "tracker.duckdb"
    with store.write_session(path):
        pass
    return path


def copy_store(path: Path, folder: Path) -> Path:
    """A writable copy of the store at ``path`` (the main file; readers get a fresh snapshot)."""
    target = folder / path.name
    shutil.copyfile(path, target)
    with store.write_session(target):
        pass
    return target


def move_reject_rename(con) -> None:
    """A reviewer's three kinds of decision on three of 聊城市's figures: one moved to 德州市, one
    rejected, one renamed; stores that must follow ``facts_current`` are tested on them."""
    moved, dropped, renamed = [r[0] for r in con.execute(
        "SELECT fact_id FROM facts WHERE city = '聊城市' AND metric <> '' ORDER BY fact_id LIMIT 3"
    ).fetchall()]
    store.add_correction(con, moved, "city", "德州市", "张三", "原文为德州")
    store.add_correction(con, dropped, "city", "", "张三", "不是数据", action="reject")
    store.add_correction(con, renamed, "metric", "企业数", "张三", "指标名称")


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def serve_dashboard(db: Path, log_dir: Path, **env: str) -> Iterator[str]:
    """The dashboard served by a real ``streamlit run`` on ``db``, without seeding; yields its URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = log_dir / f"streamlit-{port}.log"
    full_env = {**os.environ, "CAMPAIGN_TRACKER_DB": str(db), "GONGJIAN_AUTO_SEED": "0", **env}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
             "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("Streamlit did not start:\n" + log.read_text("utf-8", "replace"))
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium under Playwright, headless, offline-friendly flags."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
