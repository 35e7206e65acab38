"""Where the metrics read from: the DuckDB warehouse file, or a Parquet export of it
(`python -m etl export-parquet`), with DuckDB or with Spark SQL (metrics/spark.py).

Every source gives a connection the same metrics SQL runs on, with the warehouse's table names:
for Parquet, DuckDB views (or Spark temporary views) over the files, with the DuckDB table's
columns and types (the Hive partition columns dropped).
"""
from __future__ import annotations

import os

import duckdb

ENGINES = ("duckdb", "spark")


class SourceError(Exception):
    """A source could not be opened or a query failed on it (message in Vietnamese)."""


def connect_parquet(directory: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table of the export at `directory`."""
    from etl.parquet import _ident, table_sources
    from etl.warehouse import CONFIG

    sources = table_sources(directory)
    con = duckdb.connect(":memory:", config=CONFIG)
    for t in sources:
        con.execute(f"CREATE VIEW {_ident(t.name)} AS {t.duckdb_select()}")
    return con


def connect(*, db: str | os.PathLike | None = None, parquet: str | os.PathLike | None = None,
            engine: str = "duckdb"):
    """A connection for metrics.db.query: the warehouse file `db` (default $WAREHOUSE_DB or
    data/warehouse.duckdb), or the Parquet export `parquet` read by `engine`."""
    if engine not in ENGINES:
        raise ValueError(f"engine phải là một trong: {', '.join(ENGINES)}")
    if parquet is None:
        if engine != "duckdb":
            raise SourceError(f"--engine {engine} đọc Parquet: cần --parquet THƯ_MỤC")
        from etl.warehouse import connect_read
        return connect_read(db)
    try:
        if engine == "spark":
            from .spark import SparkSQL
            return SparkSQL(parquet)
        return connect_parquet(parquet)
    except FileNotFoundError as e:
        raise SourceError(str(e)) from None
