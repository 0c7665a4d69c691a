"""The hand-written reader beside the well-kept libraries: accuracy and MB/s in the same run.

Run on demand:  .venv/bin/python benchmarks/bench_read.py [--repeat 3]

Needs the optional libraries (``pip install trafilatura charset-normalizer``); a missing one is
reported and its rows skipped. Three questions, on the seed pages, the dev set
(``../shared/eval/dev``) and ``tests/fixtures/read``:

1. **Encodings** — every page written as UTF-8, GB18030, UTF-16 and (where it can be) Big5:
   ``loaders.read`` (strict decodes + plausibility score) against ``charset_normalizer.from_bytes``.
   A decode is right when it gives back the page's text exactly.
2. **Saved HTML** — every dev page wrapped in a news site's template (navigation, a sidebar of
   other headlines, a footer, ``<meta>`` publication tags on half of them, the date in the URL
   on the other half): ``loaders.read.html_to_text`` against ``trafilatura.extract``. Right when
   every gold quote of the page is in the text; leaked is the share of pages that keep the
   template's navigation or sidebar.
3. **Dates of saved HTML** — ``loaders.metadata.html_meta`` against ``htmldate.find_date``: the
   share of pages dated to the right day.

Speeds are MB of input per second; ratios are hand-written / library in the same run.
"""

from __future__ import annotations

import argparse
import html
import json
import time
from collections import defaultdict
from pathlib import Path

from loaders import read
from loaders.metadata import html_meta

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev"


def corpus() -> dict[str, str]:
    pages = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))}
    if DEV.is_dir():
        pages.update({p.name: p.read_text(encoding="utf-8") for p in sorted((DEV / "pages").glob("*.txt"))})
    for p in sorted((ROOT / "tests" / "fixtures" / "read").glob("*.txt")):
        if read._refuse_bytes(p.read_bytes(), p.name):
            continue  # a PDF renamed .txt is refused before any decoding
        try:
            text = read._decode(p.read_bytes())
        except Exception:
            continue
        if text and not read.looks_like_html(text):
            pages["fixture:" + p.name] = text
    return pages


def encoded(pages: dict[str, str]) -> list[tuple[str, str, bytes, str]]:
    out = []
    for name, text in pages.items():
        for encoding in ("utf-8", "gb18030", "utf-16", "big5"):
            try:
                out.append((name, encoding, text.encode(encoding), text))
            except UnicodeEncodeError:
                continue
    return out


def timed(fn, items, repeat):
    best = float("inf")
    results = None
    for _ in range(repeat):
        started = time.perf_counter()
        results = [fn(x) for x in items]
        best = min(best, time.perf_counter() - started)
    return results, best


def bench_encodings(pages, repeat):
    cases = encoded(pages)
    megabytes = sum(len(b) for _, _, b, _ in cases) / 1e6
    hand, hand_s = timed(lambda c: read._decode(c[2]), cases, repeat)
    print(f"\n1. Encodings: {len(cases)} files, {megabytes:.1f} MB")
    print(f"   hand-written   right {sum(h == c[3] for h, c in zip(hand, cases, strict=True))}/{len(cases)}"
          f"   {megabytes / hand_s:7.1f} MB/s")
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        print("   charset-normalizer not installed: skipped")
        return

    def library(case):
        best = from_bytes(case[2]).best()
        return str(best) if best is not None else None

    lib, lib_s = timed(library, cases, repeat)
    wrong = defaultdict(int)
    for got, case in zip(lib, cases, strict=True):
        if got != case[3]:
            wrong[case[1]] += 1
    print(f"   charset-norm.  right {sum(g == c[3] for g, c in zip(lib, cases, strict=True))}/{len(cases)}"
          f"   {megabytes / lib_s:7.1f} MB/s   wrong by encoding: {dict(wrong)}")
    print(f"   time ratio hand / library: {hand_s / lib_s:.2f}")


TEMPLATE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_山东新闻_某某网</title>
{meta}<link rel="canonical" href="{url}"></head><body>
<div class="nav"><a href="/">首页</a> | <a href="/sd">山东</a> | <a href="/cj">财经</a></div>
<div class="main"><h1>{title}</h1><div class="info">{info}</div>
<div class="content">{body}</div></div>
<div class="side"><h3>热点推荐</h3><ul>{side}</ul></div>
<div class="footer">版权所有 某某网 鲁ICP备00000000号 违法和不良信息举报电话</div></body></html>"""
SIDE = ["济南新旧动能转换起步区建设提速", "青岛港集装箱吞吐量创新高", "烟台苹果喜获丰收"]


def wrapped(pages: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(name, html, expected ISO date or "", body text) for every dev page."""
    sources = {}
    if (DEV / "sources.jsonl").is_file():
        for line in (DEV / "sources.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            sources[row["doc"]] = row
    out = []
    for i, (name, text) in enumerate(sorted(pages.items())):
        if not name.startswith("d"):
            continue
        lines = [x.strip() for x in text.splitlines() if x.strip()]
        title, body = lines[0], lines[1:]
        published = (sources.get(name, {}).get("published") or "")
        day = published if len(published) == 10 else ""
        compact = day.replace("-", "")
        if day and i % 2 == 0:
            meta = f'<meta name="PubDate" content="{day} 08:00"><meta name="ContentSource" content="某某网">'
            url = f"https://www.example.cn/news/{i}.html"
        elif day:
            meta = ""
            url = f"https://www.example.cn/sd/{compact[:6]}/t{compact}_{i}.html"
        else:
            meta, url = "", f"https://www.example.cn/news/{i}.html"
        markup = TEMPLATE.format(
            title=html.escape(title), meta=meta, url=url, info="来源：某某网",
            body="".join(f"<p>{html.escape(p)}</p>" for p in body),
            side="".join(f'<li><a href="/n/{k}">{s}</a></li>' for k, s in enumerate(SIDE)))
        out.append((name, markup, day, "\n".join(body)))
    return out


def gold_quotes() -> dict[str, list[str]]:
    quotes: dict[str, list[str]] = defaultdict(list)
    if (DEV / "facts.jsonl").is_file():
        for line in (DEV / "facts.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            quotes[row["doc"]].append(row["quote"])
    return quotes


def _squash(text: str) -> str:
    return "".join((text or "").split())


def bench_html(pages, repeat):
    cases = wrapped(pages)
    if not cases:
        print("\n2. Saved HTML: no dev set found, skipped")
        return
    quotes = gold_quotes()
    megabytes = sum(len(c[1].encode()) for c in cases) / 1e6

    def score(texts):
        complete = leaked = 0
        for text, (name, _, _, _) in zip(texts, cases, strict=True):
            flat = _squash(text)
            complete += all(_squash(q) in flat for q in quotes.get(name, []))
            leaked += any(s in flat for s in SIDE) or "首页|山东" in flat
        return complete, leaked

    hand, hand_s = timed(lambda c: read.html_to_text(c[1]), cases, repeat)
    c, leak = score(hand)
    print(f"\n2. Saved HTML: {len(cases)} pages, {megabytes:.2f} MB")
    print(f"   hand-written   all quotes kept {c}/{len(cases)}   template leaked {leak}/{len(cases)}"
          f"   {megabytes / hand_s:7.1f} MB/s")
    try:
        import trafilatura
    except ImportError:
        print("   trafilatura not installed: skipped")
        trafilatura = None
    if trafilatura is not None:
        def main_text(case):  # the headline is metadata to trafilatura: put it back, as a reader sees it
            doc = trafilatura.bare_extraction(case[1], favor_recall=True, include_tables=True,
                                              with_metadata=True)
            return f"{doc.title or ''}\n{doc.text or ''}" if doc else ""

        lib, lib_s = timed(main_text, cases, repeat)
        c, leak = score(lib)
        print(f"   trafilatura    all quotes kept {c}/{len(cases)}   template leaked {leak}/{len(cases)}"
              f"   {megabytes / lib_s:7.1f} MB/s   time ratio hand / library: {hand_s / lib_s:.2f}")

    dated = [c for c in cases if c[2]]
    dated_mb = sum(len(x[1].encode()) for x in dated) / 1e6
    mine, mine_s = timed(lambda x: html_meta(x[1]), dated, repeat)
    right = sum(f"{m.year:04d}-{m.month:02d}-{m.day:02d}" == x[2] if m.year and m.day else False
                for m, x in zip(mine, dated, strict=True))
    print(f"\n3. Dates of saved HTML: {len(dated)} dated pages (meta tags on half, URL on the other half)")
    print(f"   metadata.html_meta  right {right}/{len(dated)}   {dated_mb / mine_s:7.1f} MB/s")
    try:
        from htmldate import find_date
    except ImportError:
        print("   htmldate not installed: skipped")
        return
    lib, lib_s = timed(lambda x: find_date(x[1], original_date=True, extensive_search=False), dated, repeat)
    right = sum(g == x[2] for g, x in zip(lib, dated, strict=True))
    print(f"   htmldate.find_date  right {right}/{len(dated)}   {dated_mb / lib_s:7.1f} MB/s"
          f"   time ratio hand / library: {mine_s / lib_s:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pages = corpus()
    print(f"corpus: {len(pages)} pages (seeds, dev set, fixtures)")
    bench_encodings(pages, args.repeat)
    bench_html(pages, args.repeat)


if __name__ == "__main__":
    main()
