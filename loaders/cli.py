"""Command line: ``python -m loaders extract|ingest|reextract|export``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from loaders.pipeline import iter_pages
from loaders.records import as_row


def _write_jsonl(handle, rows) -> None:
    for row in rows:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def run_extract(args: argparse.Namespace) -> int:
    """Stream pages to JSON lines; a bad page is reported in Chinese and the rest go on."""
    failed = 0
    with open(args.facts_out, "w", encoding="utf-8") as facts_out, \
            open(args.articles_out, "w", encoding="utf-8") as articles_out:
        for page in iter_pages(args.pages):
            if page.error:
                failed += 1
                print(page.error, file=sys.stderr)
                continue
            _write_jsonl(articles_out, (as_row(a) for a in page.articles))
            _write_jsonl(facts_out, (as_row(f) for f in page.facts))
    return 1 if failed and failed == len(args.pages) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="攻坚看板数据加载工具")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="从版面文件提取文章和数据，写成 JSON Lines")
    p.add_argument("pages", nargs="+", type=Path)
    p.add_argument("--facts-out", required=True, type=Path)
    p.add_argument("--articles-out", required=True, type=Path)
    p.set_defaults(func=run_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
