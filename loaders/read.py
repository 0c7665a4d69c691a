"""Read a page file into clean text: decode, strip HTML, fold characters, simplify.

Pages arrive as whatever the newsroom's system exported: UTF-8 with or without BOM, UTF-16,
GBK/GB18030, Big5 with traditional characters, sometimes an HTML page saved from a browser.
The encoding is decided by strict decodes plus a plausibility score (share of common hanzi,
ASCII and punctuation), because legacy codecs accept each other's bytes: Big5 bytes decode as
GBK without error, only into rare characters. A file that is not a page (a PDF renamed .txt,
an empty export) raises ``PageError`` with a Chinese sentence naming the file and what to do.

>>> decode_page("臨清市公共資源交易中心".encode("big5"), "p.txt")
'临清市公共资源交易中心'
"""

from __future__ import annotations

import codecs
import errno
import functools
import importlib.resources
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import opencc

from loaders.metadata import HtmlMeta, html_meta
from loaders.normalise import VANISHING, fold_characters

MAX_PAGE_BYTES = 50 * 1024 * 1024
"""Pages above this size are refused: a newspaper page is tens of kilobytes."""

_MIN_SCORE = 0.85
_SAMPLE_CHARS = 20_000
_TRUNCATED_TAIL = 4
_MAX_UTF8_SLIPS = 2
_TRUNCATION_REASONS = frozenset({"unexpected end of data", "incomplete multibyte sequence", "truncated data"})

_MAGIC = (
    (b"%PDF", "PDF 文件"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文档"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)
_CONTROL_BYTES = bytes((*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F))
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)
_PLAIN = frozenset(
    "\t\n\r \u00a0\u3000。，、；：？！“”‘’「」『』《》〈〉（）【】〔〕…—–·．％＋－～●■□◆◇▲△★☆→"
)


class PageError(Exception):
    """A page that cannot be read. ``message`` is a Chinese sentence naming the file and what to do."""

    def __init__(self, path: str | Path, message: str) -> None:
        super().__init__(message)
        self.path = str(path)
        self.message = message


def read_page(path: str | Path, fold: bool = True) -> str:
    """Read one page file; raise PageError with a Chinese message if it is not a readable page.

    ``read_page("seeds/002_1b9743f1e9e56b57.txt")`` → the page as simplified text with
    half-width digits and commas; ``read_page("nope.txt")`` → PageError('找不到文件 nope.txt：请检查路径').
    """
    p = path if isinstance(path, Path) else Path(path)
    data = _read_bytes(p)
    try:
        return decode_page(data, p.name, fold)
    except PageError as exc:
        raise PageError(p, exc.message) from None


def read_page_and_meta(path: str | Path) -> tuple[str, HtmlMeta | None]:
    """The page as printed (characters unfolded, traditional kept) and, for a saved HTML page,
    what its head declares (publication date, paper, address): the pipeline folds and simplifies
    for its rules but shows headlines as printed."""
    p = path if isinstance(path, Path) else Path(path)
    data = _read_bytes(p)
    try:
        return decode_page_and_meta(data, p.name)
    except PageError as exc:
        raise PageError(p, exc.message) from None


def _read_bytes(path: str | Path) -> bytes:
    """The file's bytes: opened once and measured on the open file (a readable page costs one
    open, no separate exists/is_dir/stat calls); anything unusual takes ``_checked_read``'s
    path, whose checks say what is wrong."""
    p = path if isinstance(path, Path) else Path(path)
    try:
        with open(p, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size <= MAX_PAGE_BYTES:
                return f.read()
    except (OSError, ValueError):
        pass
    return _checked_read(p)


def _checked_read(p: Path) -> bytes:
    try:
        if not p.exists():
            raise PageError(p, _missing_message(p))
        if p.is_dir():
            raise PageError(p, f"{p} 是一个文件夹，不是版面文件：请选择其中的 .txt 或 .html 文件")
        size = p.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise PageError(p, _too_large(p.name, size))
        return p.read_bytes()
    except PageError:
        raise
    except (OSError, ValueError) as exc:
        reason = type(exc).__name__
        raise PageError(p, f"无法读取 {p}（{reason}）：请检查文件是否存在、是否有读取权限") from exc


def _missing_message(p: Path) -> str:
    """Why ``p`` cannot be found: a symlink loop, a link to nothing, or simply no such file."""
    try:
        p.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{p} 是循环的符号链接（链接绕回了自己）：请把它改为指向真实的版面文件"
    if p.is_symlink():
        return f"{p} 是失效的符号链接（指向的 {os.readlink(p)} 不存在）：请修正链接或选择真实的文件"
    return f"找不到文件 {p}：请检查路径"


def _encoding_message(data: bytes, name: str) -> str:
    """No encoding fits: say where UTF-8 first fails (line and byte), so the bad spot can be found.

    ``无法识别 a.txt 的编码：第 3 行（第 57 个字节）起的字节 B5 C4 不是 UTF-8，也不像 GBK 或 Big5 …``
    """
    try:
        data.decode("utf-8")
        where = ""
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        shown = " ".join(f"{b:02X}" for b in data[exc.start:exc.start + 4])
        where = (f"：第 {line} 行（第 {exc.start + 1} 个字节）起的字节 {shown} 不是 UTF-8，"
                 "也不像 GBK 或 Big5 中文")
    return f"无法识别 {name} 的编码{where}：请用记事本或 WPS 另存为 UTF-8 后重新导入"


def decode_page(data: bytes, name: str, fold: bool = True) -> str:
    """Bytes of a page → text (any common encoding, HTML stripped, simplified, half-width digits).

    ``decode_page("共２万亿元，".encode("gbk"), "a.txt")`` → ``'共2万亿元,'``.
    """
    text, _ = decode_page_and_meta(data, name)
    if fold:
        text = fold_characters(text)
    return to_simplified(text)


def decode_page_and_meta(data: bytes, name: str) -> tuple[str, HtmlMeta | None]:
    """Bytes of a page → (text as printed, HTML head metadata or None); PageError if unreadable.

    ``decode_page_and_meta('<meta name="PubDate" content="2020-10-15"><p>共2万亿元</p>'.encode(), "a.html")``
    → ``('共2万亿元', HtmlMeta(2020, 10, 15, how="pubdate", …))``.
    """
    problem = _refuse_bytes(data, name)
    if problem:
        raise PageError(name, problem)
    text = _decode(data)
    if text is None:
        raise PageError(name, _encoding_message(data, name))
    meta = None
    if looks_like_html(text):
        meta = html_meta(text)
        text = html_to_text(text)
    if _is_blank(text):
        raise PageError(name, f"{name} 是空文件：请检查导出是否完整后重新导入")
    if not _HAN.search(text):
        raise PageError(name, f"{name} 中没有中文正文：请确认选对了文件（需要中文报纸版面的 .txt 或 .html）")
    return text, meta


def _is_blank(text: str) -> bool:
    """Whether ``text`` folds to nothing but white space, without folding the whole page.

    Folding maps no character that is not white space to white space (full-width ！ → !) and
    deletes only ``VANISHING`` ones (zero-width spaces, BOM): a page whose first character
    after white space is none of those is not blank. ``_is_blank("\u3000\ufeff\n")`` → True.
    """
    stripped = text.strip()
    if not stripped:
        return True
    if stripped[0] not in VANISHING:
        return False
    return not fold_characters(text).strip()


def looks_like_page(data: bytes, name: str) -> str | None:
    """The Chinese reason ``data`` is not a readable page, or None when it is.

    The upload page checks content, not the extension: ``looks_like_page(b"%PDF-1.7...", "a.txt")``
    → ``'a.txt 不是文本版面（看起来是 PDF 文件）：请先转成 .txt 或 .html 再导入'``.
    """
    try:
        decode_page(data, name)
    except PageError as exc:
        return exc.message
    return None


def to_simplified(text: str) -> str:
    """Traditional → simplified, only when the text is detectably traditional (t2s runs ~1.5 MB/s).

    Detectably traditional: at least 5% of the distinct hanzi in the first 20,000 characters are
    ones simplified text never uses, so a stray 臨 in a simplified page leaves the page alone.

    ``to_simplified("臨清市公共資源交易中心")`` → ``'临清市公共资源交易中心'``; simplified text is kept.
    """
    if _plainly_simplified(text):
        return text
    distinct = set(text[:_SAMPLE_CHARS])
    traditional = len(distinct & _traditional_only())
    if traditional == 0 or traditional < 0.05 * len(_HAN.findall("".join(distinct))):
        return text
    return _t2s().convert(text)


_PREFIX_CHARS = 500


def _plainly_simplified(text: str) -> bool:
    """``to_simplified``'s test passed cheaply: no traditional-only character in the sample, or
    so few that the distinct hanzi of its first 500 characters already outnumber them twenty to
    one (a lower bound of the sample's own count). Regex scans instead of the set of the
    sample's distinct characters (~50 ns a character); a page with a character beyond U+FFFF
    takes the exact count's path.

    ``_plainly_simplified("…一个浹字…")`` → True on a page of a thousand distinct hanzi.
    """
    sample = text[:_SAMPLE_CHARS]
    if len(sample.encode("utf-16-le", "surrogatepass")) != 2 * len(sample):
        return False  # a character beyond U+FFFF takes two UTF-16 units
    traditional = len(set(_traditional_search().findall(sample)))
    if traditional == 0:
        return True
    prefix_hanzi = len(_HAN.findall("".join(set(text[:_PREFIX_CHARS]))))
    return traditional < 0.05 * prefix_hanzi


@functools.cache
def _traditional_search() -> re.Pattern[str]:
    """A class of the traditional-only characters up to U+FFFF. ``re`` looks such a class up in
    a bitmap; one with characters beyond it becomes a list tried item by item (200x slower)."""
    return re.compile(f"[{_character_class([ord(c) for c in _traditional_only() if ord(c) <= 0xFFFF])}]")


def _character_class(codes: list[int]) -> str:
    """The body of a ``[…]`` class matching exactly these code points, runs written as ranges."""
    parts: list[str] = []
    codes = sorted(set(codes))
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        first, last = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        parts.append(first if i == j else f"{first}-{last}")
        i = j + 1
    return "".join(parts)


def _too_large(name: str, size: int) -> str:
    limit = MAX_PAGE_BYTES / 1024 / 1024
    return f"{name} 超过 {limit:g} MB（实际 {size / 1024 / 1024:.1f} MB），不像一张报纸版面：请拆分后导入"


def _refuse_bytes(data: bytes, name: str) -> str | None:
    if len(data) > MAX_PAGE_BYTES:
        return _too_large(name, len(data))
    if not data.strip():
        return f"{name} 是空文件：请检查导出是否完整后重新导入"
    kind = _binary_kind(data)
    if kind:
        spaced = f" {kind}" if kind[0].isascii() else kind
        return f"{name} 不是文本版面（看起来是{spaced}）：请先转成 .txt 或 .html 再导入"
    return None


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        head = data[:4096]
        if b"word/" in head:
            return "Word 文档"
        if b"xl/" in head:
            return "Excel 表格"
        return "ZIP 压缩包"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _bomless_utf16(data) is not None:
        return None
    head = data[:65536]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # bytes.translate deletes them
    if b"\x00" in head or controls > 0.01 * len(head):
        return "二进制文件"
    return None


def _utf16_order(data: bytes) -> str | None:
    """'le'/'be' when NULs sit mostly on one byte parity, as ASCII does in BOM-less UTF-16.

    Hanzi such as 开 (U+5F00) put a few NULs on the other parity, hence "mostly"; the
    plausibility score of the decoded text then tells UTF-16 from binary.
    """
    head = data[:65536]
    if b"\x00" not in head:
        return None  # most pages: not one NUL, so neither order (one C scan, no strided copies)
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    pairs = len(head) // 2 or 1
    if odd >= 0.02 * pairs and even * 2 <= odd:
        return "le"
    if even >= 0.02 * pairs and odd * 2 <= even:
        return "be"
    return None


def _bomless_utf16(data: bytes) -> str | None:
    order = _utf16_order(data)
    text = _strict(data, f"utf-16-{order}") if order else None
    return text if text is not None and _score(text) >= _MIN_SCORE else None


def _decode(data: bytes) -> str | None:
    """Strict decodes in order of how self-evident the encoding is; legacy codecs by score.

    Valid UTF-8 wins unless its non-ASCII characters read as rare ones and a legacy codec reads
    as common hanzi: the two bytes of GBK 元 (D4 AA) are also valid UTF-8 for Ԫ. Only the
    non-ASCII characters are judged there, so digits around it (GBK "111111元") do not vouch for Ԫ.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding)
    text = _bomless_utf16(data)
    if text is not None:
        return text
    utf8 = _strict(data, "utf-8")
    if utf8 is not None and (utf8.isascii() or _score_beyond_ascii(utf8) >= _MIN_SCORE):
        return utf8
    candidates = [_declared_charset(data), "gb18030", "big5", "cp950", "big5hkscs"]
    best, best_score = None, 0.0
    for encoding in dict.fromkeys(c for c in candidates if c):
        text = _strict(data, encoding)
        if text is None:
            continue
        score = _score(text)
        if score > best_score:
            best, best_score = text, score
    if best_score >= _MIN_SCORE:
        return best
    return utf8 if utf8 is not None else _utf8_with_few_slips(data)


def _score_beyond_ascii(text: str) -> float:
    """``_score`` of the sample's non-ASCII characters alone: where two encodings' readings of
    the same bytes differ. Counted, not cut out: the ASCII ones by an ``ignore`` encode, which
    skips the others in C (25x faster than a regex deleting the ASCII runs)."""
    sample = text[:_SAMPLE_CHARS]
    beyond = len(sample) - len(sample.encode("ascii", "ignore"))
    if not beyond:
        return 0.0
    return (beyond - len(_bad_character(beyond_ascii=True).findall(sample))) / beyond


def _utf8_with_few_slips(data: bytes) -> str | None:
    """UTF-8 with a stray bad byte or two (a copy-paste slip) is still UTF-8; many is not."""
    text = data.decode("utf-8", errors="replace")
    slips = text.count("\ufffd") - data.count("\ufffd".encode())
    if slips > _MAX_UTF8_SLIPS:
        return None
    return data.decode("utf-8", errors="ignore")


def _strict(data: bytes, encoding: str) -> str | None:
    """Decode strictly; a multi-byte sequence cut at the very end is dropped, not an error."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        cut_at_end = exc.end == len(data) and exc.reason in _TRUNCATION_REASONS
        if not cut_at_end or exc.start == 0 or exc.start < len(data) - _TRUNCATED_TAIL:
            return None
        try:
            return data[: exc.start].decode(encoding)
        except UnicodeDecodeError:
            return None
    except LookupError:
        return None


def _declared_charset(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:4096])
    if not found:
        return None
    try:
        return codecs.lookup(found.group(1).decode("ascii")).name
    except LookupError:
        return None


def _score(text: str) -> float:
    """Share of characters a Chinese page is made of: ASCII, common hanzi, CJK punctuation."""
    sample = text[:_SAMPLE_CHARS]
    if not sample:
        return 0.0
    bad = len(_bad_character().findall(sample))
    return (len(sample) - bad) / len(sample)


@functools.cache
def _bad_character(beyond_ascii: bool = False) -> re.Pattern[str]:
    """A character ``_score`` does not count as good (only a non-ASCII one with ``beyond_ascii``).
    Every good one is below U+FFFF, so ``re`` looks the class up in a bitmap: 7x faster than
    ``str.translate`` deleting the good ones."""
    good = set(_common_hanzi()) | set(_PLAIN)
    good.update(chr(c) for c in range(0 if beyond_ascii else ord(" "), 0x80 if beyond_ascii else 0x7f))
    good.update(chr(c) for c in range(0xff01, 0xff5f))
    return re.compile(f"[^{_character_class([ord(c) for c in good])}]")


@functools.cache
def _common_hanzi() -> frozenset[str]:
    """GB2312 level 1 (3755 most used simplified) ∪ Big5 常用字 (5401 most used traditional)."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


@functools.cache
def _traditional_only() -> frozenset[str]:
    """Characters OpenCC simplifies that GB2312 lacks, so they never occur in simplified text.

    Kept as data (``data/traditional_only.txt``, made once from OpenCC's TSCharacters table)
    because the compiled OpenCC ships its tables in a binary form.
    """
    table = importlib.resources.files("loaders").joinpath("data/traditional_only.txt")
    return frozenset(char for line in table.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("#") for char in line.strip())


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|p|div|br|table|span|article|section|h[1-6]|meta)\b",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl", "dt",
    "figcaption", "figure", "form", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p",
    "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_HEADLINE_TAGS = frozenset({"h1", "h2", "h3"})
_SKIPPED_TAGS = frozenset(
    {"script", "style", "nav", "footer", "noscript", "template", "title", "svg", "iframe", "select"}
)
_BOILERPLATE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|footer|foot|side|sidebar|sidenav|aside|breadcrumbs?|crumbs?|copyright"
    r"|share|related|recommend|hot|hotnews|comments?|toolbar|topbar|ads?|advert|banner|friendlinks?|links)"
    r"(?:$|[-_\s\d])",
    re.IGNORECASE,
)
_WRAP_BETWEEN_HAN = re.compile(r"(?<=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])\s*\n\s*(?=[\u3400-\u9fff])")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def looks_like_html(text: str) -> bool:
    """Decided by content, not by extension: a saved web page often ends in .txt."""
    return bool(_HTML_START.search(text[:65536]))


def html_to_text(markup: str) -> str:
    """HTML → page text: blocks become paragraphs, h1-h3 become ``## `` lines, scripts vanish.

    ``html_to_text("<h1>标题</h1><p>共2万亿&amp;元</p>")`` → ``'## 标题\\n\\n共2万亿&元'``.
    """
    parser = _PageParser()
    parser.feed(markup)
    parser.close()
    return parser.text()


def _is_chrome(attrs: list[tuple[str, str | None]]) -> bool:
    """A block a site prints around every article (``<div class="nav">``, ``id="sidebar"``,
    ``class="footer"``, ``class="hot-news"``): its headlines and figures are not the page's."""
    return any(name in ("class", "id") and value and _BOILERPLATE.search(value) for name, value in attrs)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._blocks: list[str] = []
        self._current: list[str] = []
        self._skipping: list[str] = []
        self._headline = False
        self._chrome = ""  # the tag of a navigation/sidebar/footer block being skipped
        self._chrome_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._chrome:
            self._chrome_depth += tag == self._chrome
            return
        if tag in ("div", "ul", "section", "aside", "table", "span", "p") and _is_chrome(attrs):
            self._chrome, self._chrome_depth = tag, 1
            self._end_block()
            return
        if tag in _SKIPPED_TAGS:
            self._skipping.append(tag)
        elif self._skipping:
            return
        elif tag == "br":
            self._current.append("\n")
        elif tag in _HEADLINE_TAGS:
            self._end_block()
            self._headline = True
        elif tag in _BLOCK_TAGS:
            self._end_block()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIPPED_TAGS and not self._chrome:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._chrome:
            if tag == self._chrome:
                self._chrome_depth -= 1
                if self._chrome_depth <= 0:
                    self._chrome = ""
            return
        if tag in _SKIPPED_TAGS:
            if tag in self._skipping:
                while self._skipping.pop() != tag:
                    pass
        elif self._skipping:
            return
        elif tag in _HEADLINE_TAGS or tag in _BLOCK_TAGS:
            self._end_block()

    def handle_data(self, data: str) -> None:
        if not self._skipping and not self._chrome:
            self._current.append(_SPACES.sub(" ", _WRAP_BETWEEN_HAN.sub("", data)))

    def text(self) -> str:
        self._end_block()
        return "\n\n".join(self._blocks)

    def _end_block(self) -> None:
        lines = (line.strip() for line in "".join(self._current).split("\n"))
        self._current = []
        headline, self._headline = self._headline, False
        block = "\n".join(line for line in lines if line)
        if block and headline:
            block = "## " + block.replace("\n", "")
        if block:
            self._blocks.append(block)
