"""Keep newspaper text, user input and uploaded files inert on their way into the page.

An article may hold ``<script>``, ``<img onerror=…>`` or a Markdown link to ``javascript:``
(copied from a web page, or planted). Streamlit renders strings given to ``st.markdown``,
``st.write``, ``st.caption`` and widget labels as Markdown, and ``unsafe_allow_html=True`` also
as HTML, so every piece of page text passes through one of these helpers first:

- ``escape_markdown(text)`` for Markdown elements and labels (titles, places, captions);
- ``highlight_html(text, spans)`` for the 原文 view: the whole article escaped, figures in <mark>;
- ``escape_plotly(text)`` for chart labels and hover tooltips (plotly reads a few HTML tags), and
  ``@plotly_text`` on every plotly chart builder of ``charts.py``: the builder's frames, strings
  and label functions are escaped on the way in, so a corrected city ``<a href=…>`` is drawn as
  those characters (plotly decodes the entities for display) and never as a link;
- ``safe_filename(name)`` for download and upload names;
- ``check_upload(name, data)`` before an uploaded page reaches the loaders.

``st.dataframe`` and ``st.text`` show strings as plain text already (no LinkColumn for page text).
"""

from __future__ import annotations

import functools
import html
import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd

_PUNCT = frozenset(string.punctuation)
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"COM{i}" for i in range(1, 10)] + [f"LPT{i}" for i in range(1, 10)]
)
UPLOAD_SUFFIXES = (".txt", ".text", ".htm", ".html")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""One uploaded page at most; a newspaper page is tens of kilobytes (the CLI allows larger files)."""


def escape_markdown(text: object) -> str:
    """Backslash-escape every ASCII punctuation mark so Markdown shows the text as written.

    ``escape_markdown("[点我](javascript:alert(1))")`` → ``\\[点我\\]\\(javascript\\:alert\\(1\\)\\)``,
    which renders as the literal characters, not a link; ``<script>`` likewise stays text.
    Line breaks are kept as Markdown hard breaks.
    """
    escaped = "".join("\\" + ch if ch in _PUNCT else ch for ch in str(text))
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def _inert_html(text: str, newline: str = "<br>") -> str:
    """HTML-escape and turn every ASCII punctuation mark into a numeric entity, one line only.

    Entities stop both the HTML parser and the Markdown parser (st.markdown parses Markdown
    even with ``unsafe_allow_html``), so ``[x](javascript:…)`` or ``**`` cannot form syntax.
    """
    out = []
    for ch in text:
        if ch in _PUNCT:
            out.append(f"&#{ord(ch)};")
        elif ch == "\n":
            out.append(newline)
        elif ch == "\r" or (unicodedata.category(ch) == "Cc" and ch != "\t"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def inert_html(text: object) -> str:
    """Stored text for one line of ``st.markdown(..., unsafe_allow_html=True)``: never markup.

    ``inert_html("<b>**技改**</b>")`` -> ``&#60;b&#62;&#42;&#42;技改&#42;&#42;&#60;&#47;b&#62;``.
    """
    return _inert_html(str(text or ""), newline=" ")


def _clean_spans(spans: Iterable[Sequence], length: int) -> list[tuple[int, int, str]]:
    cleaned = []
    for span in spans:
        start, end = max(0, int(span[0])), min(length, int(span[1]))
        tip = str(span[2]) if len(span) > 2 and span[2] is not None else ""
        if start < end:
            cleaned.append((start, end, tip))
    cleaned.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, tip in cleaned:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, tip))
    return merged


def highlight_html(text: str, spans: Iterable[Sequence], css_class: str = "fact") -> str:
    """The article as inert HTML with each figure span ``(start, end[, tooltip])`` in ``<mark>``.

    Every piece of page text is escaped before the marks are put around it; overlapping or
    out-of-range spans are merged or clipped. Safe for ``st.markdown(..., unsafe_allow_html=True)``
    and ``st.html``. ``highlight_html("新增<b>3478万元", [(5, 11, "投资")])`` →
    ``<div class="article-text">新增&#60;b&#62;<mark class="fact" title="投资">3478万元</mark></div>``.
    """
    text = str(text or "")
    parts, pos = [], 0
    for start, end, tip in _clean_spans(spans, len(text)):
        parts.append(_inert_html(text[pos:start]))
        title = f' title="{_inert_html(tip, newline=" ")}"' if tip else ""
        parts.append(f'<mark class="{_inert_html(css_class)}"{title}>{_inert_html(text[start:end])}</mark>')
        pos = end
    parts.append(_inert_html(text[pos:]))
    return f'<div class="article-text">{"".join(parts)}</div>'


def escape_plotly(text: object) -> str:
    """Plotly reads ``<a href>``, ``<b>``, ``<br>`` in labels and hover text; escape them to plain text."""
    return html.escape(str(text), quote=True)


_PLOTLY_MARKUP = re.compile(r"[<>&\"']")
_Builder = TypeVar("_Builder", bound=Callable[..., Any])


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are escaped for plotly; numbers and dates untouched.

    Only columns holding a character plotly could read as markup are rewritten, so the usual
    chart frame (聊城市, 临清市, 万元) passes as is. Column names are labels too and are escaped.
    """
    out = frame.copy()
    for col in out.columns:
        cells = out[col]
        if cells.dtype == object or pd.api.types.is_string_dtype(cells):
            risky = _risky(cells)
            if risky.any():
                out[col] = cells.astype(object)
                out.loc[risky, col] = [escape_plotly(v) if isinstance(v, str) else v for v in cells[risky]]
    return out.rename(columns=lambda c: escape_plotly(c) if isinstance(c, str) else c)


_FEW_CELLS = 2_000


def _risky(cells: pd.Series) -> pd.Series:
    """Which cells hold a character plotly could read as markup (True/False per cell).

    A chart's frame (16 cities, 25 columns) is tested cell by cell, which costs microseconds; a
    vectorised test costs a fixed ~0.5 ms a column, paid at every rerun for every chart. A chart of
    a million rows takes the vectorised test: one pass, not a call per cell.
    """
    if len(cells) <= _FEW_CELLS:
        search = _PLOTLY_MARKUP.search
        return pd.Series([isinstance(v, str) and search(v) is not None for v in cells], index=cells.index,
                         dtype=bool)
    text = cells if cells.dtype != object else cells.astype("string")
    return text.str.contains(_PLOTLY_MARKUP.pattern, regex=True, na=False)


def _inert_argument(value: object) -> object:
    if isinstance(value, pd.DataFrame):
        return inert_frame(value)
    if isinstance(value, pd.Series):
        return inert_frame(value.to_frame()).iloc[:, 0].rename(value.name)
    if isinstance(value, str):
        return escape_plotly(value)
    if callable(value):
        return _inert_label(value)
    return value  # numbers, None, the shipped GeoJSON


def _inert_label(label: Callable[..., object]) -> Callable[..., object]:
    """A label function fed escaped keys: give it the stored key back, escape what it returns."""
    def escaped(*args: object) -> object:
        result = label(*(html.unescape(a) if isinstance(a, str) else a for a in args))
        return escape_plotly(result) if isinstance(result, str) else result
    return escaped


def plotly_text(builder: _Builder) -> _Builder:
    """Mark a plotly chart builder: stored values reach it as text, never as markup.

    Put it on every function of ``charts.py`` that returns a plotly figure; frames, strings
    (unit, title) and label functions among its arguments are escaped before it runs.
    ``plotly_text(by_city)(pd.DataFrame({"city": ["<b>x</b>"], "figures": [1]}))`` draws the
    label ``&lt;b&gt;x&lt;/b&gt;``, which plotly shows as ``<b>x</b>`` in plain type.
    (Vega-Lite/altair draws SVG text and needs no escaping: do not use it there.)
    """
    @functools.wraps(builder)
    def escaped(*args: object, **kwargs: object) -> object:
        return builder(*(_inert_argument(a) for a in args),
                       **{k: _inert_argument(v) for k, v in kwargs.items()})

    escaped.escapes_plotly_text = True  # type: ignore[attr-defined]
    return escaped  # type: ignore[return-value]


def safe_filename(name: object, default: str = "文件", max_bytes: int = 180) -> str:
    """A file name that cannot leave its folder or trouble Windows, Excel or the browser.

    Drops folders (``../../etc/passwd`` → ``passwd``), control and direction-override characters,
    and ``< > : " | ? *``; keeps Chinese. ``safe_filename("聊城/临清:1-5月.csv")`` → ``临清_1-5月.csv``.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return default
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = name, ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    tail = "." + suffix if suffix else ""
    while len((stem + tail).encode("utf-8")) > max_bytes and stem:
        stem = stem[:-1]
    return (stem.strip(" .") or default) + tail


@dataclass(frozen=True)
class UploadCheck:
    """The verdict on one uploaded file: the safe name to store it under, and why it was refused."""

    name: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def check_upload(name: str, data: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> UploadCheck:
    """Refuse an upload that is too big, has the wrong kind of name, or is not text inside.

    The extension alone proves nothing: the content must read as a Chinese page (the loaders'
    own check: ``报纸.txt`` holding a PDF, a program or no Chinese text is refused).
    ``check_upload("../../a.txt", "今年1-5月".encode())`` → ``UploadCheck("a.txt", "")``.
    """
    # Imported here, not with the page: the loaders' readers cost a tenth of a second to load,
    # and every page imports this module while only 导入 checks uploads.
    from loaders.read import looks_like_page

    safe = safe_filename(name, default="上传文件.txt")
    if not data:
        return UploadCheck(safe, f"{safe} 是空文件：请检查后重新导入")
    if len(data) > max_bytes:
        size, limit = len(data) / 1048576, max_bytes / 1048576
        return UploadCheck(safe, f"{safe} 太大（{size:.1f} MB，上限 {limit:.0f} MB）：请拆分后分批导入")
    if not safe.lower().endswith(UPLOAD_SUFFIXES):
        return UploadCheck(safe, f"{safe} 不是版面文件：只能导入 .txt 或 .html 文件，请另存为文本后重新导入")
    problem = looks_like_page(data, safe)
    if problem:
        return UploadCheck(safe, problem)
    return UploadCheck(safe)
