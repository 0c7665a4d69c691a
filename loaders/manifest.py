"""A sidecar manifest: what an archive export or a crawler knows about each page it hands over.

An e-paper archive knows each page's edition date, paper and page number; a crawler knows the
address it fetched. They hand that over as a CSV (or JSON Lines) file beside the pages, one line
per page, with the columns ``file, date, paper, page, page_name, url`` (only ``file`` is
required)::

    file,date,paper,page,page_name,url
    lcrb_0621_01.txt,2020-06-21,聊城日报,01,要闻,
    d008.txt,2021-03-05,大众网,,,https://hb.dzwww.com/p/8209615.html

``python -m loaders ingest|extract --manifest FILE`` reads it; a ``manifest.csv`` lying in an
ingested folder is read without the flag. A bad line (no file name, a date that is not a date,
an unknown column) gets a Chinese sentence naming the manifest and the line, and the rest of
the batch goes on: ``read_manifest`` never gives up on a whole file for one line.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from loaders.dates import parse_given_date

COLUMNS = ("file", "date", "paper", "page", "page_name", "url")
MANIFEST_NAME = "manifest.csv"
_ENCODINGS = ("utf-8-sig", "gb18030", "big5")


@dataclass(frozen=True)
class PageInfo:
    """What a manifest line (or the 导入 page) says about one page; "" where it says nothing."""

    file: str = ""
    date: str = ""  # as given, already checked by ``dates.parse_given_date``
    paper: str = ""
    page: str = ""
    page_name: str = ""
    url: str = ""


class ManifestError(Exception):
    """A manifest that cannot be read at all; ``message`` is a Chinese sentence saying what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Manifest:
    """The lines of a manifest by file, and a Chinese message for every line that was not usable."""

    path: str
    entries: dict[str, PageInfo] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # file as written → its line number

    def lookup(self, page: str | Path) -> PageInfo | None:
        """The line about ``page``: by its path relative to the manifest's folder, else by name."""
        p = Path(page)
        try:
            relative = p.resolve().relative_to(Path(self.path).resolve().parent).as_posix()
        except ValueError:
            relative = ""
        return self.entries.get(relative) or self.entries.get(p.as_posix()) or self.entries.get(p.name)

    def unmatched(self, pages: list[str | Path]) -> list[str]:
        """Messages for lines naming a file that is neither among ``pages`` nor beside the manifest
        (a typo, a file not copied over)."""
        names = {Path(p).name for p in pages}
        found = set()
        for p in pages:
            info = self.lookup(p)
            if info is not None:
                found.add(info.file)
        folder = Path(self.path).parent
        out = []
        for written, line in self.lines.items():
            if written in found or Path(written).name in names or (folder / written).is_file():
                continue
            out.append(f"{Path(self.path).name} 第 {line} 行：找不到文件“{written}”，"
                       "请检查文件名是否写对、文件是否在导入的文件夹里（其他行照常使用）")
        return out


def _decode(data: bytes, path: Path) -> str:
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ManifestError(f"无法识别清单 {path.name} 的编码：请在 Excel 中另存为“CSV UTF-8”后重试")


def read_manifest(path: str | Path) -> Manifest:
    """Read a manifest (CSV, or JSON Lines when the name ends in .jsonl/.json).

    ``read_manifest("pages/manifest.csv").lookup("pages/d008.txt")`` → ``PageInfo(file="d008.txt",
    date="2021-03-05", …)``. Raises ``ManifestError`` only when the file cannot be read at all.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ManifestError(f"找不到清单文件 {p}：请检查 --manifest 后的路径") from None
    except OSError as exc:
        raise ManifestError(f"无法读取清单文件 {p}（{type(exc).__name__}）：请检查读取权限") from None
    text = _decode(data, p)
    manifest = Manifest(path=str(p))
    if p.suffix.lower() in (".jsonl", ".json"):
        rows = _jsonl_rows(text, manifest)
    else:
        rows = _csv_rows(text, manifest)
    for line, row in rows:
        _add(manifest, line, row)
    return manifest


def _csv_rows(text: str, manifest: Manifest) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    name = Path(manifest.path).name
    header = next(reader, None)
    if not header:
        manifest.problems.append(f"清单 {name} 是空的：第 1 行应是列名 {', '.join(COLUMNS)}")
        return []
    columns = [h.strip().lower() for h in header]
    unknown = [c for c in columns if c and c not in COLUMNS]
    if unknown:
        manifest.problems.append(
            f"{name} 第 1 行：不认识的列“{'、'.join(unknown)}”已忽略（可用的列：{', '.join(COLUMNS)}）")
    if "file" not in columns:
        manifest.problems.append(f"{name} 第 1 行：缺少 file 列，清单无法使用：请把文件名所在的列命名为 file")
        return []
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        row = {c: v.strip() for c, v in zip(columns, values, strict=False) if c in COLUMNS}
        if len(values) > len(columns):
            manifest.problems.append(f"{name} 第 {line} 行：多出 {len(values) - len(columns)} 个值"
                                     "（比列名多），多出的部分已忽略：请检查是否有多余的逗号")
        rows.append((line, row))
    return rows


def _jsonl_rows(text: str, manifest: Manifest) -> list[tuple[int, dict[str, str]]]:
    name = Path(manifest.path).name
    rows = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError:
            manifest.problems.append(f"{name} 第 {line} 行不是有效的 JSON：该行已跳过，请检查引号和括号")
            continue
        if not isinstance(obj, dict):
            manifest.problems.append(f"{name} 第 {line} 行不是一个 JSON 对象：该行已跳过")
            continue
        unknown = [k for k in obj if k not in COLUMNS]
        if unknown:
            manifest.problems.append(f"{name} 第 {line} 行：不认识的字段“{'、'.join(unknown)}”已忽略"
                                     f"（可用的字段：{', '.join(COLUMNS)}）")
        rows.append((line, {k: "" if v is None else str(v).strip() for k, v in obj.items() if k in COLUMNS}))
    return rows


def _add(manifest: Manifest, line: int, row: dict[str, str]) -> None:
    name = Path(manifest.path).name
    written = row.get("file", "").replace("\\", "/")
    if not written:
        manifest.problems.append(f"{name} 第 {line} 行没有文件名（file 列为空）：该行已跳过")
        return
    date = row.get("date", "")
    if date and parse_given_date(date) is None:
        manifest.problems.append(f"{name} 第 {line} 行的日期“{date}”看不懂：请写成 2020-06-21 这样的格式"
                                 f"（{written} 的其他信息照常使用，日期改由文件名或正文推断）")
        date = ""
    if written in manifest.lines:
        manifest.problems.append(f"{name} 第 {line} 行：文件“{written}”在第 {manifest.lines[written]} 行"
                                 "已出现过，以后出现的这一行为准")
    info = PageInfo(file=written, date=date, paper=row.get("paper", ""), page=row.get("page", ""),
                    page_name=row.get("page_name", ""), url=row.get("url", ""))
    manifest.lines[written] = line
    manifest.entries[written] = info
    manifest.entries.setdefault(Path(written).name, info)
    if Path(written).name != written:
        manifest.entries[Path(written).name] = info


def manifest_in(folder: str | Path) -> Path | None:
    """The ``manifest.csv`` lying in ``folder``, used without ``--manifest``; else None."""
    candidate = Path(folder) / MANIFEST_NAME
    return candidate if candidate.is_file() else None


class ManifestLookup:
    """Manifest lines for a batch of pages: the ``--manifest`` file first, else a ``manifest.csv``
    in the page's own folder. Picklable data only, so pages can be looked up before a process pool.

    ``lookup = ManifestLookup("archive/manifest.csv"); lookup("archive/d008.txt").date`` → ``"2021-03-05"``.
    """

    def __init__(self, explicit: str | Path | None = None) -> None:
        self.explicit = read_manifest(explicit) if explicit else None
        self._folders: dict[Path, Manifest | None] = {}
        self._broken: list[str] = []

    def _folder_manifest(self, page: Path) -> Manifest | None:
        folder = page.parent.resolve()
        if folder not in self._folders:
            found = manifest_in(folder)
            try:
                self._folders[folder] = read_manifest(found) if found else None
            except ManifestError as exc:
                self._broken.append(exc.message)
                self._folders[folder] = None
        return self._folders[folder]

    def __call__(self, page: str | Path) -> PageInfo | None:
        p = Path(page)
        if self.explicit is not None:
            info = self.explicit.lookup(p)
            if info is not None:
                return info
        folder = self._folder_manifest(p)
        return folder.lookup(p) if folder is not None else None

    def problems(self, pages: list[str | Path]) -> list[str]:
        """Every unusable line of the manifests the batch used, as Chinese sentences naming it."""
        for page in pages:
            self._folder_manifest(Path(page))
        manifests = [m for m in (self.explicit, *self._folders.values()) if m is not None]
        out = list(self._broken)
        seen: set[int] = set()
        for m in manifests:
            if id(m) not in seen:
                seen.add(id(m))
                out += m.problems + m.unmatched(pages)
        return out
