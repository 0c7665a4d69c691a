"""Loaders: newspaper pages → articles and a tidy table of every figure.

The pipeline is a row of small steps, each a module: ``read`` (bytes → text), ``normalise``
(layout slips), ``split`` (page → articles), ``dates``, ``places``, ``numbers``, ``facts``
and ``store``. ``extract`` runs them over files and returns two pandas frames.

``extract`` and ``extract_text`` are loaded on first use: importing any ``loaders.x`` module
(the dashboard reads the store through ``loaders.storage``) must not load the whole pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loaders import compiled as _compiled

BUILD = _compiled.activate()  # "compiled", "pure" or "stale": see loaders.compiled

__all__ = ["extract", "extract_text"]

if TYPE_CHECKING:
    from loaders.pipeline import extract, extract_text


def __getattr__(name: str):
    if name in __all__:
        from loaders import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'loaders' has no attribute {name!r}")
