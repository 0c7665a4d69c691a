"""Lake benchmark: the same generated pages into a lake (Dask, 1 and 2 local workers) and the store.

Prints, for the same pages: pages/s of ``lake build`` with 1 and 2 local worker processes (the
local cluster's start included) beside the embedded ``ingest`` (1 process), the lake's size
beside the store's, and DuckDB's time for 数据浏览's main query (the filtered count and the
newest 2,000 rows, no filter and one city) on the lake's views and on the store. All figures
of one run come from the same machine under the same load, so read them as ratios.

    .venv/bin/python benchmarks/bench_lake.py --pages 20000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.storage import ingest, lake, store  # noqa: E402 — after the path is set when run as a script
from loaders.synth import write_pages  # noqa: E402

SHOWN = 2_000  # rows 数据浏览 shows (dashboard/app_pages/explore.py)


def explore_query(con, filters) -> None:
    """What 数据浏览 asks on every view: how many rows pass, and the newest ``SHOWN`` of them.

    The dashboard is imported here, not at the top: Dask's worker processes import this script
    again, and they need no Streamlit.
    """
    from dashboard import queries

    queries.fetch_count(con, filters)
    queries.fetch_facts(con, filters, limit=SHOWN)


def time_query(db: Path, filters, repeats: int) -> tuple[float, float]:
    """(first run on a fresh connection, median of the next ``repeats``) in milliseconds."""
    con = store.open_reader(db)
    try:
        started = time.perf_counter()
        explore_query(con, filters)
        first = time.perf_counter() - started
        runs = []
        for _ in range(repeats):
            started = time.perf_counter()
            explore_query(con, filters)
            runs.append(time.perf_counter() - started)
    finally:
        con.close()
    return first * 1000, statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--chunk-pages", type=int, default=lake.CHUNK_PAGES)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder to keep the pages, lakes and store in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        pages = folder / "pages"
        started = time.perf_counter()
        write_pages(pages, args.pages, seed=0)
        print(f"generated {args.pages} pages in {time.perf_counter() - started:.1f}s")

        db = folder / "store.duckdb"
        started = time.perf_counter()
        summary = ingest.ingest_paths([pages], db_path=db, workers=1)
        base = time.perf_counter() - started
        store_size = lake.size_bytes(db)
        print(f"store ingest (1 process): {summary.pages} pages, {summary.facts} figures in {base:.1f}s "
              f"-> {summary.pages / base:.1f} pages/s; store {store_size / 1e6:.1f} MB")

        lakes = {}
        for workers in args.workers:
            path = folder / f"lake_w{workers}"
            started = time.perf_counter()
            built = lake.build([pages], path, local_workers=workers, chunk_pages=args.chunk_pages)
            seconds = time.perf_counter() - started
            lakes[workers] = path
            rate = built.pages / seconds
            size = lake.size_bytes(path)
            print(f"lake build, {workers} local worker(s): {built.pages} pages, {built.facts} figures in "
                  f"{seconds:.1f}s -> {rate:.1f} pages/s ({rate / workers:.1f} per core), "
                  f"{rate / (summary.pages / base):.2f}x the store ingest; "
                  f"lake {size / 1e6:.1f} MB = {size / store_size:.2f}x the store")
            if built.facts != summary.facts:
                print(f"  ✗ figures differ from the store: {built.facts} vs {summary.facts}")

        from dashboard.filters import Filters

        path = lakes[max(lakes)]
        con = store.open_reader(db)
        city = con.execute("SELECT city FROM facts WHERE city <> '' GROUP BY 1 ORDER BY count(*) DESC "
                           "LIMIT 1").fetchone()[0]
        con.close()
        for label, filters in (("no filter", Filters()), (city, Filters(cities=(city,)))):
            s_first, s_warm = time_query(db, filters, args.repeats)
            l_first, l_warm = time_query(path, filters, args.repeats)
            print(f"数据浏览 query ({label}): store first {s_first:.0f} ms, warm {s_warm:.0f} ms; "
                  f"lake first {l_first:.0f} ms, warm {l_warm:.0f} ms "
                  f"-> lake/store {l_warm / s_warm:.2f}x warm")


if __name__ == "__main__":
    main()
