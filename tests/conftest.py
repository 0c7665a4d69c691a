"""Shared fixtures: real DuckDB stores built from the seed pages, as the loaders build them.

- ``seed_db``: a store with every page of ``seeds/`` ingested through
  ``loaders.ingest.ingest_paths`` — built once per test session in a temporary folder.
  Read it with ``loaders.store.open_reader(seed_db)``; do not write to it (copy it first:
  ``copy_store(seed_db, tmp_path)``), other tests share it.
- ``empty_db``: a store with its tables and no row (created and published), one per session.
- ``copy_store(path, folder)``: a private writable copy of a store, for tests that ingest or correct.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders import store
from loaders.ingest import ingest_paths

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
