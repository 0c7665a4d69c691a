"""Where extracted pages go: the embedded DuckDB store, its ingest, exports and review.

The extraction steps (``loaders.read`` … ``loaders.facts``) turn a page into records; this
subpackage keeps them: ``store`` (the DuckDB file), ``ingest`` (pages into the store),
``export`` (CSV/XLSX/Parquet out of it) and ``review`` (plausibility checks and corrections).
"""
