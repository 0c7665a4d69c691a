"""Where extracted pages go: the embedded DuckDB store, its ingest, exports and review.

The extraction steps (``loaders.read`` … ``loaders.facts``) turn a page into records; this
subpackage keeps them: ``store`` (the DuckDB file), ``ingest`` (pages into the store),
``export`` (CSV/XLSX/Parquet out of it), ``review`` (plausibility checks and corrections) and
``lake`` (a national archive extracted on a Dask cluster into Parquet; ``store.open_reader`` of
the lake's folder gives the same tables, so the dashboard and ``export`` read either).
"""
