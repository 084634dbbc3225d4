"""Corpus builder and store: many reports → Parquet + DuckDB; cross-report checks."""
