"""The lake: generated pages extracted on a two-worker Dask cluster (in-process) into Parquet.

Each test compares the lake with what the embedded store holds after ``ingest`` of the same
pages: same fact ids, same values. The cluster's workers are threads of this process
(``processes=False``), so a test can fail a task or close a worker while a build runs.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from distributed import Client, LocalCluster
from streamlit.testing.v1 import AppTest

from loaders.cli import main
from loaders.storage import export, ingest, lake, store
from loaders.synth import write_pages

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FACT_COLUMNS = ", ".join(store.FACT_TABLE_COLUMNS)
ARTICLE_COLUMNS = ", ".join(c for c in store.ARTICLE_TABLE_COLUMNS if c != "ingested_at")


def frame(db, sql: str, params: list | None = None) -> pd.DataFrame:
    con = store.open_reader(db)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def facts_of(db, docs: list[str] | None = None) -> pd.DataFrame:
    where = "WHERE list_contains(?, doc)" if docs is not None else ""
    return frame(db, f"SELECT {FACT_COLUMNS} FROM facts {where} ORDER BY fact_id",
                 [docs] if docs is not None else None)


def assert_same_facts(lake_path: Path, db: Path, docs: list[str] | None = None) -> None:
    got, want = facts_of(lake_path, docs), facts_of(db, docs)
    assert len(want) > 0
    pd.testing.assert_frame_equal(got, want)


@pytest.fixture(scope="module")
def client():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0")
    with Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory, client):
    """500 generated pages, the store ``ingest`` makes of them, and the lake ``build`` makes."""
    root = tmp_path_factory.mktemp("archive")
    pages = root / "pages"
    write_pages(pages, 500, seed=16)
    db = root / "store.duckdb"
    assert not ingest.ingest_paths([pages], db_path=db).errors
    lake_path = root / "lake"
    summary = lake.build([pages], lake_path, client=client, chunk_pages=50)
    return {"pages": pages, "db": db, "lake": lake_path, "summary": summary}


# --- the build ------------------------------------------------------------------------------

def test_five_hundred_pages_give_exactly_the_facts_of_ingest(archive):
    assert archive["summary"].extracted == 500
    assert archive["summary"].pages == 500 and not archive["summary"].errors
    assert_same_facts(archive["lake"], archive["db"])
    got = frame(archive["lake"], f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY article_id")
    want = frame(archive["db"], f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY article_id")
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("table", ["facts_current", "campaigns", "pages", "ingest_log"])
def test_the_lake_offers_the_stores_tables(archive, table):
    count = f"SELECT count(*) AS n FROM {table}"
    assert frame(archive["lake"], count)["n"][0] == frame(archive["db"], count)["n"][0] > 0


def test_files_are_partitioned_by_publication_year_and_province(archive):
    folders = {p.parent.relative_to(archive["lake"] / "facts").as_posix()
               for p in (archive["lake"] / "facts").rglob("*.parquet")}
    assert "year=2020/province=山东省" in folders
    years = frame(archive["lake"], "SELECT DISTINCT year(published_date) AS y FROM articles")["y"]
    assert {f"year={int(y)}" for y in years.dropna()} <= {f.split("/")[0] for f in folders}
    assert not list(archive["lake"].rglob("*.tmp"))


def test_a_rerun_over_a_grown_archive_extracts_only_the_new_pages(archive, client, tmp_path):
    grown = tmp_path / "lake"
    shutil.copytree(archive["lake"], grown)
    new_pages = tmp_path / "new_pages"
    write_pages(new_pages, 100, seed=17)
    db = tmp_path / "store.duckdb"
    shutil.copyfile(archive["db"], db)
    ingest.ingest_paths([new_pages], db_path=db)

    summary = lake.build([archive["pages"], new_pages], grown, client=client, chunk_pages=50)

    assert (summary.unchanged, summary.extracted, summary.pages) == (500, 100, 100)
    assert_same_facts(grown, db)


def test_the_same_page_twice_is_kept_once_as_in_the_store(archive, client, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    first = sorted(archive["pages"].iterdir())[:3]
    for p in first:
        shutil.copy(p, pages / p.name)
    shutil.copy(first[0], pages / "zz_same_text_another_name.txt")
    summary = lake.build([pages], tmp_path / "lake", client=client)
    assert (summary.pages, summary.duplicates) == (3, 1)
    assert_same_facts(tmp_path / "lake", archive["db"], [p.name for p in first])


def test_a_bad_file_is_named_in_chinese_and_the_others_go_on(client, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(SEEDS[0], pages / SEEDS[0].name)
    (pages / "empty.txt").write_bytes(b"")
    summary = lake.build([pages], tmp_path / "lake", client=client)
    assert summary.pages == 1
    assert [Path(f).name for f, _ in summary.errors] == ["empty.txt"]
    assert "empty.txt" in summary.errors[0][1]
    again = lake.build([pages], tmp_path / "lake", client=client)
    assert (again.unchanged, again.extracted) == (1, 1)  # a file that failed is tried again


def test_a_worker_closed_mid_run_still_yields_the_complete_lake(archive, tmp_path):
    files = sorted(archive["pages"].iterdir())[:120]
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0")
    closed = []
    with Client(cluster) as c:
        def close_one_worker(done: int, total: int, name: str) -> None:
            if done and not closed:
                worker = next(iter(cluster.workers.values()))
                closed.append(worker.address)
                c.sync(worker.close)

        summary = lake.build(files, tmp_path / "lake", client=c, chunk_pages=10, progress=close_one_worker)
        assert len(c.scheduler_info()["workers"]) == 1
    cluster.close()
    assert closed and summary.pages == 120
    assert_same_facts(tmp_path / "lake", archive["db"], [f.name for f in files])


def test_a_chunk_that_fails_once_is_retried(archive, client, tmp_path, monkeypatch):
    files = sorted(archive["pages"].iterdir())[:20]
    real = lake.extract_page
    failed = []

    def flaky(path, meta=None):
        if path.endswith(files[7].name) and not failed:
            failed.append(path)
            raise MemoryError("worker ran out of memory")
        return real(path, meta)

    monkeypatch.setattr(lake, "extract_page", flaky)
    summary = lake.build(files, tmp_path / "lake", client=client, chunk_pages=5)
    assert failed and summary.pages == 20
    assert_same_facts(tmp_path / "lake", archive["db"], [f.name for f in files])


def test_a_build_killed_before_its_manifest_is_redone_without_doubling(archive, client, tmp_path):
    files = sorted(archive["pages"].iterdir())[:20]
    built = tmp_path / "lake"
    lake.build(files, built, client=client, chunk_pages=10)
    parts = sorted((built / lake.MANIFEST).glob("part-*.parquet"))
    parts[-1].unlink()  # as if the build died after writing that chunk's data, before its manifest
    summary = lake.build(files, built, client=client, chunk_pages=10)
    assert (summary.unchanged, summary.extracted) == (10, 10)
    assert_same_facts(built, archive["db"], [f.name for f in files])


def test_a_second_build_of_the_same_lake_waits_its_turn(tmp_path):
    lake_path = tmp_path / "lake"
    lake_path.mkdir()
    (lake_path / lake.LOCK_FILE).write_text(f"{socket.gethostname()} {os.getpid()}", encoding="utf-8")
    with pytest.raises(store.StoreError, match="正由另一个生成在写入"):
        lake.build(SEEDS[:1], lake_path)


def test_the_lock_of_a_build_that_died_is_taken_over(client, tmp_path):
    lake_path = tmp_path / "lake"
    lake_path.mkdir()
    (lake_path / lake.LOCK_FILE).write_text(f"{socket.gethostname()} 999999999", encoding="utf-8")
    assert lake.build(SEEDS[:1], lake_path, client=client).pages == 1
    assert not (lake_path / lake.LOCK_FILE).exists()


def test_a_half_written_file_never_becomes_visible(tmp_path, monkeypatch):
    final = tmp_path / "facts" / "year=2020" / "province=山东省" / "part-x-000000.parquet"

    def dies_midway(table, where, **kwargs):
        Path(where).write_bytes(b"PAR1 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(lake.pq, "write_table", dies_midway)
    with pytest.raises(OSError):
        lake._write_whole(pa.table({"fact_id": ["a"]}), final)
    assert not final.exists()
    assert not list(final.parent.iterdir())


def test_a_scheduler_that_does_not_answer_is_a_chinese_message(tmp_path, monkeypatch):
    monkeypatch.setattr(lake, "SCHEDULER_TIMEOUT", "1s")
    with pytest.raises(store.StoreError, match="无法连接 Dask 调度器 tcp://127.0.0.1:9"):
        lake.build(SEEDS[:1], tmp_path / "lake", scheduler="tcp://127.0.0.1:9")


# --- the manifest seam ----------------------------------------------------------------------

def test_a_manifest_gives_the_pages_their_paper_page_and_url(client, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(SEEDS[0], pages / SEEDS[0].name)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,date,paper,page,page_name,url\n"
                        f"{SEEDS[0].name},2020-06-21,聊城日报,A3,要闻,https://example.org/a3.html\n",
                        encoding="utf-8")
    lake.build([pages], tmp_path / "lake", client=client, manifest=manifest)
    rows = frame(tmp_path / "lake", "SELECT DISTINCT paper, page, page_name, url, published, date_source "
                                    "FROM articles")
    assert rows.values.tolist() == [["聊城日报", "A3", "要闻", "https://example.org/a3.html", "2020-06-21",
                                     "manifest"]]


def test_a_manifest_line_naming_a_missing_file_is_reported_and_the_rest_goes_on(client, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(SEEDS[0], pages / SEEDS[0].name)
    manifest = tmp_path / "manifest.csv"
    lines = f"file,paper\n{SEEDS[0].name},聊城日报\nno_such_page.txt,聊城日报\n"
    manifest.write_text(lines, encoding="utf-8")
    summary = lake.build([pages], tmp_path / "lake", client=client, manifest=manifest)
    assert summary.pages == 1
    assert any("no_such_page.txt" in message for _, message in summary.errors)


# --- reading a lake -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_lake(tmp_path_factory, client):
    path = tmp_path_factory.mktemp("seed_lake") / "lake"
    summary = lake.build(SEEDS, path, client=client)
    assert summary.pages == len(SEEDS)
    return path


def test_a_folder_that_is_no_lake_is_a_chinese_message(tmp_path):
    with pytest.raises(store.StoreError, match="不是数据湖"):
        store.open_reader(tmp_path)


def test_export_reads_a_lake(seed_lake, seed_db, tmp_path):
    rows = export.export_store(seed_lake, "csv", tmp_path / "out.csv")
    assert rows == frame(seed_db, "SELECT count(*) AS n FROM facts_current")["n"][0]


def test_a_correction_on_a_lake_reaches_its_readers(seed_lake, tmp_path):
    copy = tmp_path / "lake"
    shutil.copytree(seed_lake, copy)
    first = "SELECT fact_id FROM facts WHERE city = '聊城市' ORDER BY fact_id LIMIT 1"
    fact_id = frame(copy, first)["fact_id"][0]
    before = store.reader_version(copy)
    with store.write_session(copy) as con:
        store.add_correction(con, fact_id, "city", "德州市", "张三", "原文为德州", publish=False)
    assert store.reader_version(copy) != before
    row = frame(copy, "SELECT city, review_status FROM facts_current WHERE fact_id = ?", [fact_id])
    assert row.values.tolist() == [["德州市", "corrected"]]


def test_an_upload_aimed_at_a_lake_is_told_to_use_lake_build(seed_lake):
    with pytest.raises(store.StoreError, match="是数据湖文件夹，不能在这里导入版面"):
        ingest.ingest_bytes(SEEDS[0].name, SEEDS[0].read_bytes(), seed_lake)


def test_lake_load_fills_a_store_with_the_same_facts(seed_lake, seed_db, tmp_path):
    db = tmp_path / "loaded.duckdb"
    assert main(["lake", "load", str(seed_lake), "--db", str(db)]) == 0
    assert_same_facts(db, seed_db)
    assert main(["lake", "load", str(seed_lake), "--db", str(db)]) == 0  # twice adds nothing
    assert_same_facts(db, seed_db)


def test_lake_build_on_the_command_line_skips_unchanged_pages(seed_lake, tmp_path, capsys):
    copy = tmp_path / "lake"
    shutil.copytree(seed_lake, copy)
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,paper\n", encoding="utf-8")
    code = main(["lake", "build", *map(str, SEEDS), "--out", str(copy), "--manifest", str(manifest)])
    assert code == 0
    assert f"未变跳过 {len(SEEDS)} 个，本次提取 0 个" in capsys.readouterr().out


def open_app(db, monkeypatch, page: str) -> AppTest:
    monkeypatch.setenv("CAMPAIGN_TRACKER_DB", str(db))
    monkeypatch.setenv("GONGJIAN_AUTO_SEED", "1")  # a lake is never seeded, even when seeding is on
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page != "overview":
        at._page_hash = next(h for h, info in at._registered_pages.items()
                             if info.get("url_pathname") == page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def test_the_overview_counts_a_lake_as_the_store(seed_lake, seed_db, monkeypatch):
    on_lake = {m.label: m.value for m in open_app(seed_lake, monkeypatch, "overview").metric}
    on_store = {m.label: m.value for m in open_app(seed_db, monkeypatch, "overview").metric}
    assert on_lake == on_store
    assert on_lake["数据"] != "0条"


def test_explore_on_a_lake_lists_the_stores_rows(seed_lake, seed_db, monkeypatch):
    on_lake = open_app(seed_lake, monkeypatch, "explore").dataframe[0].value
    on_store = open_app(seed_db, monkeypatch, "explore").dataframe[0].value
    assert len(on_lake) > 0
    pd.testing.assert_frame_equal(on_lake.reset_index(drop=True), on_store.reset_index(drop=True))
