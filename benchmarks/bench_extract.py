"""Extraction speed beside jieba, and memory as the input grows.

Run on demand:  .venv/bin/python benchmarks/bench_extract.py [--mb 10]

It writes copies of the seed pages (each with its own first line, so no two pages are the same)
into a temporary folder until the folder holds ``--mb`` megabytes, then in the same run:

1. streams every page through ``loaders.pipeline.iter_pages`` (read → normalise → split → dates
   → facts, whose metric labels run jieba-rs part-of-speech tagging on each figure's clause)
   and reports MB/s;
2. segments the same decoded text with ``jieba.lcut`` and reports MB/s;
   the two take turns over the pages a tenth at a time (extraction first, then jieba, then
   jieba first …): on a shared machine the load drifts within a run, and so it falls on both;
3. prints the ratio extraction time / jieba time (the goal is ≤ 0.33); when the loaders run
   compiled (``scripts/compile_loaders.py``), the same pages are also extracted as plain Python
   in a child process, so the gain of compiling is printed from the same run;
4. measures peak memory (ru_maxrss of a fresh child process) extracting a tenth, half and all of
   the pages — a flat figure shows pages are streamed, not gathered.

Both for the printed seed pages and for the 30 web articles of the development set.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders import compiled  # noqa: E402

SETS = {"seed pages": "[0-9]*.txt", "dev pages": "d*.txt"}  # the printed pages; the 30 web articles
GOAL = 0.33  # issue 15: extraction at least 3x faster than merely segmenting the text


def make_pages(folder: Path, megabytes: float, pattern: str = SETS["seed pages"]) -> list[Path]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob(pattern))]
    target = int(megabytes * 1_000_000)
    pages, size, i = [], 0, 0
    while size < target:
        text = f"第{i}期\n\n" + seeds[i % len(seeds)]
        path = folder / f"page_{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        pages.append(path)
        size += len(text.encode("utf-8"))
        i += 1
    return pages


def time_extraction(pages: list[Path]) -> tuple[float, int]:
    """Seconds to extract every page, after one untimed page: loading dictionaries and compiling
    grammars happens once per process (jieba's dictionary, which the metric labels use, as well),
    just as ``jieba.initialize()`` is left out of jieba's time."""
    _warm_up(pages)
    return _extract(pages)


def _warm_up(pages: list[Path]) -> None:
    from loaders.pipeline import iter_pages

    for _ in iter_pages(pages[:1]):
        pass


def _extract(pages: list[Path]) -> tuple[float, int]:
    from loaders.pipeline import iter_pages

    figures = 0
    start = time.perf_counter()
    for page in iter_pages(pages):
        figures += len(page.facts)
    return time.perf_counter() - start, figures


def time_jieba(pages: list[Path]) -> float:
    import jieba

    jieba.initialize()
    texts = [p.read_text(encoding="utf-8") for p in pages]
    start = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - start


def time_both(pages: list[Path], turns: int = 10) -> tuple[float, int, float]:
    """``time_extraction`` and ``time_jieba`` of the same pages, taking turns a ``turns``-th of
    the pages at a time, each side going first every other turn: (extraction seconds, figures,
    jieba seconds), each summed over the turns."""
    import jieba

    _warm_up(pages)  # the untimed warm-up of each
    jieba.initialize()
    extract_s = jieba_s = 0.0
    figures = 0
    size = -(-len(pages) // turns)
    for turn, at in enumerate(range(0, len(pages), size)):
        chunk = pages[at:at + size]
        for side in (("extract", "jieba") if turn % 2 == 0 else ("jieba", "extract")):
            if side == "extract":
                seconds, found = _extract(chunk)
                extract_s, figures = extract_s + seconds, figures + found
            else:
                jieba_s += time_jieba(chunk)
    return extract_s, figures, jieba_s


def time_pure_extraction(folder: Path) -> float:
    """``time_extraction`` in a child process that runs the loaders from their Python sources."""
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
        "from pathlib import Path\n"
        "from bench_extract import time_extraction\n"
        "print(time_extraction(sorted(Path(sys.argv[1]).glob('page_*.txt')))[0])\n"
    )
    env = {**os.environ, compiled.PURE_ENV: "1"}
    out = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True,
                         check=True, cwd=ROOT, env=env)
    return float(out.stdout.strip().splitlines()[-1])


def peak_rss_mb(pages: list[Path]) -> float:
    """Peak resident memory of a child process that extracts ``pages`` and keeps nothing."""
    code = (
        "import sys, resource\n"
        "from loaders.pipeline import iter_pages\n"
        "n = sum(len(p.facts) for p in iter_pages(sys.argv[1:]))\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *map(str, pages)], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="megabytes of pages (default 10)")
    args = parser.parse_args()
    import loaders

    print(f"loaders: {loaders.BUILD} ({len(compiled.built_modules())} modules built by mypyc)")
    for name, pattern in SETS.items():
        with tempfile.TemporaryDirectory() as tmp:
            pages = make_pages(Path(tmp), args.mb, pattern)
            megabytes = sum(p.stat().st_size for p in pages) / 1_000_000
            print(f"{name}: {len(pages)} pages, {megabytes:.1f} MB of UTF-8 text")
            extract_s, figures, jieba_s = time_both(pages)
            print(f"  extract: {extract_s:.2f} s, {megabytes / extract_s:.2f} MB/s, {figures} figures")
            print(f"  jieba.lcut: {jieba_s:.2f} s, {megabytes / jieba_s:.2f} MB/s (the two taking turns)")
            print(f"  ratio extract/jieba: {extract_s / jieba_s:.2f} (goal ≤ {GOAL})")
            if loaders.BUILD == "compiled":
                pure_s = time_pure_extraction(Path(tmp))
                print(f"  pure Python extract: {pure_s:.2f} s, {megabytes / pure_s:.2f} MB/s, ratio "
                      f"{pure_s / jieba_s:.2f}; compiled is {pure_s / extract_s:.2f}× as fast")
            if name == "seed pages":
                peaks = [(megabytes * f, peak_rss_mb(pages[: max(1, round(len(pages) * f))]))
                         for f in (0.1, 0.5, 1.0)]  # 1, 5 and 10 MB at the default size
                print("  peak memory: " + ", ".join(f"{mb:.1f} MB → {rss:.0f} MB" for mb, rss in peaks))
    print(f"(this process peak: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
