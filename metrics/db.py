"""Running the SQL in metrics/sql: snippet expansion, parameter binding, Arrow -> pandas."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from .filters import Filters, unit_restriction

SQL_DIR = Path(__file__).with_name("sql")
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


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    used = set(_PARAM.findall(sql))
    missing = used - params.keys()
    if missing:
        raise KeyError(f"missing SQL parameters: {sorted(missing)}")
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
    sql = sql_text(name).replace("{{scoped_units}}", unit_sql)
    return fetch(con, sql, {**period, **unit_params, **params})
