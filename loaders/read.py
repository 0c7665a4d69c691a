"""Read a page file into clean text. STUB — being written."""

from __future__ import annotations

from pathlib import Path


class PageError(Exception):
    """A page that cannot be read. ``message`` is a Chinese sentence naming the file and what to do."""

    def __init__(self, path: str | Path, message: str) -> None:
        super().__init__(message)
        self.path = str(path)
        self.message = message


def decode_page(data: bytes, name: str) -> str:
    """Bytes of a page → text (any common encoding, HTML stripped, simplified, half-width digits)."""
    return data.decode("utf-8-sig")


def read_page(path: str | Path) -> str:
    """Read one page file; raise PageError with a Chinese message if it is not a readable page."""
    p = Path(path)
    return decode_page(p.read_bytes(), p.name)
