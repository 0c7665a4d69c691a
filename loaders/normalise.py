"""Mend layout slips of OCR'd pages. STUB — being written."""

from __future__ import annotations


def normalise_text(text: str) -> str:
    """Join sentences broken across blank lines and drop paragraphs printed more than once."""
    return text
