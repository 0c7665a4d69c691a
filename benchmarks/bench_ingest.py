"""Ingest benchmark: generated pages into a fresh store with 1 and 2 workers.

Prints pages/s, figures/s, store size and peak memory of each run (each run is its own
``python -m loaders ingest`` process, so its peak memory is measured alone, workers included),
and the speed-up of 2 workers over 1 measured in the same run. On a shared machine the load
drifts between runs: ``--rounds N`` alternates the runs (1, 2, 2, 1, …) and prints the ratio
of the summed times, so drift falls on both sides.

    .venv/bin/python benchmarks/bench_ingest.py --pages 10000
    .venv/bin/python benchmarks/bench_ingest.py --pages 1000 --rounds 3
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.storage import store  # noqa: E402 — after the path is set when run as a script
from loaders.synth import write_pages  # noqa: E402


def _tree_size(path: Path) -> int:
    files = [path, path.with_name(path.name + ".wal")]
    return sum(f.stat().st_size for f in files if f.exists())


def run_once(pages: Path, db: Path, workers: int) -> dict:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--measure", "ingest", str(pages), "--db", str(db),
                           "--workers", str(workers)], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    *output, cpu_line, peak_line = proc.stdout.strip().splitlines()
    peak_kb = int(peak_line.split("=")[1])
    cpu = float(cpu_line.split("=")[1])
    con = store.open_reader(db)
    counts = store.counts(con)
    con.close()
    return {"workers": workers, "seconds": seconds, "cpu": cpu, **counts, "size": _tree_size(db),
            "peak_mb": peak_kb / 1024, "summary": output[0]}


def measure(argv: list[str]) -> None:
    """Run ``python -m loaders ARGV`` and print the largest RSS of it and its workers (KB)."""
    proc = subprocess.run([sys.executable, "-m", "loaders", *argv], cwd=ROOT)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"cpu_s={usage.ru_utime + usage.ru_stime}", flush=True)
    print(f"peak_kb={usage.ru_maxrss}", flush=True)
    sys.exit(proc.returncode)


def main() -> None:
    if sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=1, help="alternate the runs this many times")
    parser.add_argument("--keep", type=Path, help="folder to keep pages and stores in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        pages = folder / "pages"
        started = time.perf_counter()
        write_pages(pages, args.pages, seed=0)
        print(f"generated {args.pages} pages in {time.perf_counter() - started:.1f}s")
        seconds: dict[int, float] = {w: 0.0 for w in args.workers}
        cpu: dict[int, float] = {w: 0.0 for w in args.workers}
        for round_no in range(args.rounds):
            order = args.workers if round_no % 2 == 0 else list(reversed(args.workers))
            for workers in order:
                db = folder / f"bench_w{workers}_r{round_no}.duckdb"
                result = run_once(pages, db, workers)
                s = result["seconds"]
                seconds[workers] += s
                cpu[workers] += result["cpu"]
                print(f"workers={workers}: {result['pages']} pages, {result['articles']} articles, "
                      f"{result['facts']} figures in {s:.1f}s -> {result['pages'] / s:.1f} pages/s, "
                      f"{result['facts'] / s:.0f} figures/s; store {result['size'] / 1e6:.1f} MB; "
                      f"peak RSS {result['peak_mb']:.0f} MB (largest process); "
                      f"CPU {result['cpu']:.1f}s (all processes), "
                      f"{1000 * result['cpu'] / max(1, result['pages']):.1f} ms per page", flush=True)
                print("  " + result["summary"], flush=True)
                for leftover in folder.glob(db.name + "*"):
                    if leftover.is_dir():
                        shutil.rmtree(leftover)
                    else:
                        leftover.unlink()
        if 1 in seconds and 2 in seconds and seconds[2]:
            print(f"speed-up of 2 workers over 1: {seconds[1] / seconds[2]:.2f}x "
                  f"(summed over {args.rounds} round(s); goal >= 1.7x on a quiet machine)")
            # what two idle cores would give: the 1-worker run is serial, the 2-worker run's CPU
            # spread over two cores (a loaded machine, or a CPU quota, hides this from wall time)
            print(f"CPU per page, 2 workers / 1 worker: {cpu[2] / cpu[1]:.2f}; "
                  f"bound on two idle cores: {2 * cpu[1] / cpu[2]:.2f}x")


if __name__ == "__main__":
    main()
