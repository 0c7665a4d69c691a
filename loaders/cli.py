"""Command line: ``python -m loaders extract|ingest|reextract|export|lake``."""

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


def run_lake(args: argparse.Namespace) -> int:
    """``lake build`` (pages → Parquet on a Dask cluster) and ``lake load`` (a lake → the store)."""
    from loaders.storage import lake
    from loaders.storage.ingest import collect_files, tqdm_progress
    from loaders.storage.store import StoreError

    try:
        if args.lake_command == "load":
            counts = lake.load_into_store(args.lake, args.db)
            print(f"已载入数据湖 {args.lake}：数据库现有版面 {counts['pages']} 个，"
                  f"文章 {counts['articles']} 篇，数据 {counts['facts']} 条")
            return 0
        files, _ = collect_files(args.sources)
        progress, close_bar = tqdm_progress(len(files), "数据湖")
        try:
            summary = lake.build(args.sources, args.out, scheduler=args.scheduler,
                                 local_workers=args.local_workers, manifest=args.manifest,
                                 chunk_pages=args.chunk_pages, progress=progress)
        finally:
            close_bar()
    except StoreError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(summary.report())
    return 1 if summary.errors and not (summary.pages or summary.duplicates or summary.unchanged) else 0


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

    p = sub.add_parser("lake", help="数据湖：在 Dask 集群上把整个版面档案提取为 Parquet，或载入数据库")
    lake_sub = p.add_subparsers(dest="lake_command", required=True)
    b = lake_sub.add_parser("build", help="提取版面文件、文件夹或通配符到数据湖（再次运行只提取新版面）")
    b.add_argument("sources", nargs="+")
    b.add_argument("--out", required=True, type=Path, help="数据湖文件夹")
    where = b.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="Dask 调度器地址，如 tcp://10.0.0.5:8786")
    where.add_argument("--local-workers", type=int, default=1, help="不用集群时，本机的工作进程数")
    b.add_argument("--manifest", type=Path,
                   help="版面清单（CSV 或 JSONL：file, date, paper, page, page_name, url）")
    b.add_argument("--chunk-pages", type=int, default=200, help="每个任务处理的版面数")
    b.set_defaults(func=run_lake)
    ld = lake_sub.add_parser("load", help="把数据湖整体载入内置数据库（供单个办公室使用）")
    ld.add_argument("lake", type=Path)
    ld.add_argument("--db", type=Path, default=None, help=db_help)
    ld.set_defaults(func=run_lake)
    return parser


_OS_REASONS = [(PermissionError, "没有权限"), (NotADirectoryError, "路径中有一段是文件而不是文件夹"),
               (IsADirectoryError, "这是一个文件夹"), (FileNotFoundError, "找不到"),
               (FileExistsError, "已有同名文件")]


def os_error_message(exc: OSError, fallback: object = "") -> str:
    """A file-system failure as a Chinese sentence naming the path and what to do.

    ``--db /srv/report.txt/tracker.duckdb`` → ``无法创建或打开 /srv/report.txt/tracker.duckdb
    （路径中有一段是文件而不是文件夹）：请检查路径是否写对…``, not a traceback.
    """
    where = exc.filename or fallback or "所给的文件"
    reason = next((text for kind, text in _OS_REASONS if isinstance(exc, kind)), exc.strerror or str(exc))
    return (f"无法创建或打开 {where}（{reason}）：请检查路径是否写对、所在文件夹能否创建和写入，"
            "或用 --db / -o 换一个位置")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except OSError as exc:
        print(os_error_message(exc, getattr(args, "db", None) or ""), file=sys.stderr)
        return 2
