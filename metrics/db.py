"""Running the SQL in metrics/sql: snippet expansion, parameter binding, Arrow -> pandas."""
from __future__ import annotations

import functools
import re
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from .filters import Filters, unit_restriction

SQL_DIR = Path(__file__).with_name("sql")
AGG_SQL_DIR = SQL_DIR / "agg"   # the same queries from etl/aggregates.py's tables (README.md there)
USE_AGGREGATES = True           # False: always the SQL over the raw facts (bench compares both)
_SNIPPET = re.compile(r"\{\{(\w+)\}\}")
_PARAM = re.compile(r"\$(\w+)")

# Keep integer columns integers when they contain NULLs (Arrow -> pandas would give float64).
_INT_TYPES = {t: pd.Int64Dtype() for t in (pa.int8(), pa.int16(), pa.int32(), pa.int64(),
                                           pa.uint8(), pa.uint16(), pa.uint32(), pa.uint64())}


@functools.cache
def sql_text(name: str) -> str:
    """metrics/sql/<name>.sql with {{snippet}} markers replaced by metrics/sql/_<snippet>.sql.
    {{scoped_units}} is left for `query` (it comes from filters.unit_restriction)."""
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")

    def expand(m: re.Match) -> str:
        snippet = m.group(1)
        if snippet == "scoped_units":
            return m.group(0)
        return sql_text("_" + snippet)

    return _SNIPPET.sub(expand, text)


_COUNT_KEYS = {"unit_counts": "unit_id", "field_counts": "unit_id, field",
               "period_counts": "unit_id, field, procedure_name"}


@functools.cache
def agg_sql_text(name: str) -> str | None:
    """metrics/sql/agg/<name>.sql expanded (snippets from sql/agg first, then sql/), or None when
    there is no aggregate version. late_dossiers: sql/late_dossiers.sql over dossiers_late_or_open."""
    if name == "late_dossiers":
        return re.sub(r"\bFROM dossiers d\b", "FROM dossiers_late_or_open d", sql_text(name))
    path = AGG_SQL_DIR / f"{name}.sql"
    if not path.exists():
        return None

    def expand(m: re.Match) -> str:
        snippet = m.group(1)
        if snippet == "scoped_units":
            return m.group(0)
        if snippet in _COUNT_KEYS:
            return (AGG_SQL_DIR / "_period_counts.sql").read_text(encoding="utf-8").replace(
                "$KEYS", _COUNT_KEYS[snippet])
        if (AGG_SQL_DIR / f"_{snippet}.sql").exists():
            return _SNIPPET.sub(expand, (AGG_SQL_DIR / f"_{snippet}.sql").read_text(encoding="utf-8"))
        return sql_text("_" + snippet)

    return _SNIPPET.sub(expand, path.read_text(encoding="utf-8"))


@functools.cache
def _usable_sql() -> str:
    return (AGG_SQL_DIR / "_usable.sql").read_text(encoding="utf-8")


def aggregates_answer(con: duckdb.DuckDBPyConnection, name: str, filters: Filters | None) -> bool:
    """Do the pre-aggregated tables answer `name` for these filters exactly (sql/agg/README.md)?"""
    if not USE_AGGREGATES or filters is None or agg_sql_text(name) is None:
        return False
    try:
        rows = (con.execute(_usable_sql()).fetchall() if isinstance(con, duckdb.DuckDBPyConnection)
                else con.rows(_usable_sql()))
    except (duckdb.CatalogException, duckdb.BinderException, LookupError):  # no (or an older layout of) agg tables
        return False
    if len(rows) != 1 or not rows[0][1]:
        return False
    if name == "late_dossiers":       # rows of dossiers_late_or_open: any period
        return True
    horizon = rows[0][0]
    return (filters.whole_months and horizon is not None
            and filters.date_to + timedelta(days=1) <= horizon)


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    """Run `sql` with its $name parameters on `con`: a DuckDB connection (the warehouse file or
    Parquet views, metrics.sources), or another engine's connection with the same tables
    (metrics.spark.SparkSQL: `fetch(sql, params, types_mapper)`)."""
    used = set(_PARAM.findall(sql))
    missing = used - params.keys()
    if missing:
        raise KeyError(f"missing SQL parameters: {sorted(missing)}")
    if not isinstance(con, duckdb.DuckDBPyConnection):
        return con.fetch(sql, {k: v for k, v in params.items() if k in used}, types_mapper=_INT_TYPES.get)
    rel = con.sql(sql, params={k: v for k, v in params.items() if k in used})
    return rel.to_arrow_table().to_pandas(types_mapper=_INT_TYPES.get)


def query(con: duckdb.DuckDBPyConnection, name: str, filters: Filters | None = None,
          *, units=(), kinds=(), scope=None, **params) -> pd.DataFrame:
    """Run metrics/sql/<name>.sql restricted to the filters' units (or to units/kinds/scope when
    no filters are given), with the period parameters of `filters` and any extra parameters."""
    if filters is not None:
        unit_sql, unit_params = filters.unit_restriction()
        period = filters.period_params()
    else:
        unit_sql, unit_params = unit_restriction(units, kinds, scope)
        period = {}
    text = agg_sql_text(name) if aggregates_answer(con, name, filters) else sql_text(name)
    sql = text.replace("{{scoped_units}}", unit_sql)
    return fetch(con, sql, {**period, **unit_params, **params})
