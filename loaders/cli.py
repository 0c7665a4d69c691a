"""Command line: ``python -m loaders extract|ingest|reextract|export``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from loaders.manifest import ManifestError, ManifestLookup
from loaders.pipeline import iter_pages
from loaders.records import as_row


def _write_jsonl(handle, rows) -> None:
    for row in rows:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def run_extract(args: argparse.Namespace) -> int:
    """Stream pages to JSON lines; a bad page or manifest line is reported in Chinese and the rest go on."""
    failed = 0
    try:
        lookup = ManifestLookup(args.manifest)
    except ManifestError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    for problem in lookup.problems(args.pages):
        print(problem, file=sys.stderr)
    with open(args.facts_out, "w", encoding="utf-8") as facts_out, \
            open(args.articles_out, "w", encoding="utf-8") as articles_out:
        for page in iter_pages(args.pages, lookup):
            if page.error:
                failed += 1
                print(page.error, file=sys.stderr)
                continue
            _write_jsonl(articles_out, (as_row(a) for a in page.articles))
            _write_jsonl(facts_out, (as_row(f) for f in page.facts))
    return 1 if failed and failed == len(args.pages) else 0


def run_ingest(args: argparse.Namespace) -> int:
    """Pages into the store with a progress bar on a terminal; the summary always, in Chinese."""
    from loaders.storage.ingest import ingest_paths
    from loaders.storage.store import StoreError

    try:
        summary = ingest_paths(args.paths, db_path=args.db, workers=args.workers, tty_progress=True,
                               manifest=args.manifest)
    except ManifestError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except StoreError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(summary.report())
    return 1 if summary.errors and not (summary.pages or summary.duplicates) else 0


def run_reextract(args: argparse.Namespace) -> int:
    from loaders.storage.ingest import reextract
    from loaders.storage.store import StoreError

    try:
        summary = reextract(db_path=args.db)
    except StoreError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(summary.report())
    return 0


def run_export(args: argparse.Namespace) -> int:
    from loaders.storage.export import export_store
    from loaders.storage.store import StoreError

    filters = {"city": args.city, "county": args.county, "initiative": args.initiative,
               "metric": args.metric, "since": args.since, "until": args.until,
               "search": args.search, "include_rejected": args.include_rejected}
    try:
        rows = export_store(args.db, args.format, args.output, filters)
    except StoreError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(f"已导出 {rows} 行数据到 {args.output}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="攻坚看板数据加载工具")
    sub = parser.add_subparsers(dest="command", required=True)

    manifest_help = ("版面清单（CSV 或 JSONL，列 file, date, paper, page, page_name, url），提供刊发日期、"
                     "报纸、版次和网址；文件夹里的 manifest.csv 不加此参数也会使用")
    p = sub.add_parser("extract", help="从版面文件提取文章和数据，写成 JSON Lines")
    p.add_argument("pages", nargs="+", type=Path)
    p.add_argument("--facts-out", required=True, type=Path)
    p.add_argument("--articles-out", required=True, type=Path)
    p.add_argument("--manifest", type=Path, default=None, help=manifest_help)
    p.set_defaults(func=run_extract)

    db_help = "数据库文件（默认取环境变量 CAMPAIGN_TRACKER_DB，否则为项目的 data/tracker.duckdb）"
    p = sub.add_parser("ingest", help="把版面文件、文件夹或通配符导入数据库（重复导入不会重复计数）")
    p.add_argument("paths", nargs="+")
    p.add_argument("--db", type=Path, default=None, help=db_help)
    p.add_argument("--workers", type=int, default=1, help="并行提取的进程数")
    p.add_argument("--manifest", type=Path, default=None, help=manifest_help)
    p.set_defaults(func=run_ingest)

    p = sub.add_parser("reextract", help="用改进后的规则重新提取已入库版面的数据，保留校对记录")
    p.add_argument("--db", type=Path, default=None, help=db_help)
    p.set_defaults(func=run_reextract)

    p = sub.add_parser("export", help="导出数据为 CSV、XLSX 或 Parquet")
    p.add_argument("--db", type=Path, default=None, help=db_help)
    p.add_argument("--format", required=True, choices=["csv", "xlsx", "parquet"])
    p.add_argument("-o", "--output", required=True, type=Path)
    p.add_argument("--city")
    p.add_argument("--county")
    p.add_argument("--initiative")
    p.add_argument("--metric")
    p.add_argument("--since", help="起始刊发日期，如 2020-01-01")
    p.add_argument("--until", help="截止刊发日期，如 2020-12-31")
    p.add_argument("--search", help="在原句、指标和标题中搜索")
    p.add_argument("--include-rejected", action="store_true", help="包含校对中已否决的数据")
    p.set_defaults(func=run_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
