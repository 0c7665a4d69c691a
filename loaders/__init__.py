"""Loaders: newspaper pages → articles and a tidy table of every figure.

The pipeline is a row of small steps, each a module: ``read`` (bytes → text), ``normalise``
(layout slips), ``split`` (page → articles), ``dates``, ``places``, ``numbers``, ``facts``
and ``store``. ``extract`` runs them over files and returns two pandas frames.
"""

from loaders.pipeline import extract, extract_text

__all__ = ["extract", "extract_text"]
