"""Running the SQL in metrics/sql: snippet expansion, parameter binding, Arrow -> pandas."""
from __future__ import annotations

import functools
import hashlib
import math
import os
import re
import threading
import warnings
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from .filters import Filters, unit_restriction

SQL_DIR = Path(__file__).with_name("sql")
AGG_SQL_DIR = SQL_DIR / "agg"   # the same queries from etl/aggregates.py's tables (README.md there)
USE_AGGREGATES = True           # False: always the SQL over the raw facts (bench compares both)
USE_FROZEN_CACHE = True         # False: always the scoped_units CTE and the freshness check per query
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)
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
            text = (AGG_SQL_DIR / "_period_counts.sql").read_text(encoding="utf-8").replace(
                "$KEYS", _COUNT_KEYS[snippet])
            if snippet == "unit_counts":   # the same sums per unit: the ~10x smaller table
                text = text.replace("FROM agg_dossiers_monthly", "FROM agg_units_monthly")
            return text
        if (AGG_SQL_DIR / f"_{snippet}.sql").exists():
            return _SNIPPET.sub(expand, (AGG_SQL_DIR / f"_{snippet}.sql").read_text(encoding="utf-8"))
        return sql_text("_" + snippet)

    return _SNIPPET.sub(expand, path.read_text(encoding="utf-8"))


@functools.cache
def _usable_sql() -> str:
    return (AGG_SQL_DIR / "_usable.sql").read_text(encoding="utf-8")


# -- what a read-only warehouse file cannot change ---------------------------------------------------
# Every query used to rebuild the allowed units (the scoped_units CTE: a window over `units` and two
# lineage sub-queries) and to check the aggregates' freshness: 2–5 ms of planning and work per query,
# a page runs 5–10. A warehouse file opened read-only (the dashboard's etl.warehouse.Reader, the
# bench) cannot change while it is open (a load swaps in a new file: new inode), so both answers are
# computed once per file and unit selection, and each query gets the unit list as list parameters
# (a relation planned in microseconds). Writable connections (tests, the CLI's writer) and other
# engines keep the CTE: the same SQL text, the same answers.
# One scan of duckdb_databases(): the row of the database `con` reads (is_current) and, if any, the
# writable in-memory catalog's (a sub-query for the latter doubled the cost, ~1 ms per query).
_FROZEN_SQL = ("SELECT path, readonly, database_name = current_database() AS is_current "
               "FROM duckdb_databases() "
               "WHERE database_name = current_database() OR (database_name = 'memory' AND NOT readonly)")
_SCOPED_FROM_LISTS = (
    "SELECT unnest($su_unit_id::VARCHAR[]) AS unit_id, unnest($su_name::VARCHAR[]) AS name, "
    "unnest($su_kind::VARCHAR[]) AS kind, unnest($su_report_id::VARCHAR[]) AS report_id")
_frozen_lock = threading.Lock()
_frozen: dict[tuple, dict] = {}   # file key -> {"usable": rows | exception, ("units", ...): lists}
_FROZEN_FILES = 4                 # files remembered (the live one and the ones a load just replaced)
_FROZEN_SELECTIONS = 512          # unit selections remembered per file


# What a connection's databases are does not change while it is open (this project never
# DETACHes): per connection (weakly held) and database name, (path, readonly, memory) from
# duckdb_databases() (0.7 ms a query); a later call asks only which database the connection now
# reads (current_database(): 0.2 ms, and right after a `USE`) and stats the path.
_databases: "weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict]" = weakref.WeakKeyDictionary()
_databases_lock = threading.Lock()


def _database_of(con) -> tuple | None:
    current = con.execute("SELECT current_database()").fetchall()[0][0]
    with _databases_lock:
        known = _databases.get(con)
        if known is not None and current in known:
            return known[current]
    rows = con.execute(_FROZEN_SQL).fetchall()
    row = next((r for r in rows if r[2]), None)
    value = (row[0], bool(row[1]), any(not r[2] for r in rows)) if row else None
    with _databases_lock:
        _databases.setdefault(con, {})[current] = value
    return value


def frozen_key(con) -> tuple | None:
    """(path, inode, mtime, size, memory) of the read-only warehouse file `con` reads, else None.
    memory: the connection also has DuckDB's writable in-memory catalog `memory` (the dashboard's
    etl.warehouse.connect_read: the file is ATTACHed to it), where the unit lists are kept as tables."""
    if not USE_FROZEN_CACHE or not isinstance(con, duckdb.DuckDBPyConnection):
        return None
    try:
        database = _database_of(con)
    except duckdb.Error:
        return None
    if database is None or not database[1] or not database[0]:
        return None
    path, _, memory = database
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (path, st.st_ino, st.st_mtime_ns, st.st_size, memory)


def _frozen_get(key: tuple, item, compute):
    with _frozen_lock:
        entry = _frozen.get(key)
        if entry is not None and item in entry:
            return entry[item]
    value = compute()
    with _frozen_lock:
        entry = _frozen.setdefault(key, {})
        if len(_frozen) > _FROZEN_FILES:
            for old in list(_frozen)[:-_FROZEN_FILES]:
                if old != key:
                    del _frozen[old]
        if len(entry) > _FROZEN_SELECTIONS:
            entry.clear()
        entry[item] = value
    return value


def _scoped_lists(con, key: tuple, unit_sql: str, unit_params: dict) -> dict:
    """The allowed units of a selection as four parallel lists (parameters of _SCOPED_FROM_LISTS)."""
    item = ("units",) + tuple(tuple(v) if isinstance(v, list) else v for _, v in sorted(unit_params.items()))

    def compute() -> dict:
        rows = con.execute(unit_sql, unit_params).fetchall()
        return {"su_unit_id": [r[0] for r in rows], "su_name": [r[1] for r in rows],
                "su_kind": [r[2] for r in rows], "su_report_id": [r[3] for r in rows]}

    return _frozen_get(key, item, compute)


def _scoped_relation(con, key: tuple, unit_sql: str, unit_params: dict) -> tuple[str, dict, str | None]:
    """The allowed units of a selection as (SQL, parameters, table name or None). With the
    in-memory catalog (frozen_key's last item) a small table there, named after the file and the
    selection, made by `_make_scoped_table` on first use in this database instance: a query then
    plans a table scan instead of four constant lists copied into every use of scoped_units
    (−1.5 to −5 ms per query for all 538 units at province scale). Otherwise the lists."""
    lists = _scoped_lists(con, key, unit_sql, unit_params)
    if not key[-1]:
        return _SCOPED_FROM_LISTS, lists, None
    item = ("units",) + tuple(tuple(v) if isinstance(v, list) else v for _, v in sorted(unit_params.items()))
    digest = hashlib.sha1(repr((key[:4], item)).encode("utf-8")).hexdigest()[:20]
    table = f"scoped_units_{digest}"
    return f"SELECT unit_id, name, kind, report_id FROM memory.main.{table}", lists, table


_make_lock = threading.Lock()


def _make_scoped_table(con, table: str, lists: dict) -> None:
    # One at a time: two cursors creating the same table at once conflict (write-write), and
    # the second then finds it made.
    with _make_lock:
        con.execute(f"CREATE TABLE IF NOT EXISTS memory.main.{table} AS {_SCOPED_FROM_LISTS}", lists)


def _usable_rows(con, key: tuple | None):
    if not isinstance(con, duckdb.DuckDBPyConnection):
        return con.rows(_usable_sql())
    if key is None:
        return con.execute(_usable_sql()).fetchall()

    def compute():
        try:
            return con.execute(_usable_sql()).fetchall()
        except duckdb.Error as e:
            return e

    rows = _frozen_get(key, "usable", compute)
    if isinstance(rows, Exception):
        raise rows
    return rows


def aggregates_answer(con: duckdb.DuckDBPyConnection, name: str, filters: Filters | None,
                      key: tuple | None = None) -> bool:
    """Do the pre-aggregated tables answer `name` for these filters exactly (sql/agg/README.md)?
    `key`: frozen_key(con) when the caller has it (saves asking again)."""
    if not USE_AGGREGATES or filters is None or agg_sql_text(name) is None:
        return False
    if key is None:
        key = frozen_key(con)
    try:
        rows = _usable_rows(con, key)
    except (duckdb.CatalogException, duckdb.BinderException, LookupError):  # no (or an older layout of) agg tables
        return False
    if len(rows) != 1 or not rows[0][1]:
        return False
    if name == "late_dossiers":       # rows of dossiers_late_or_open: any period
        return True
    horizon = rows[0][0]
    return (filters.whole_months and horizon is not None
            and filters.date_to + timedelta(days=1) <= horizon)


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def run_parallel(con, calls: list[tuple]) -> list:
    """[(fn, *args), ...] -> [fn(con, *args), ...]. On a read-only warehouse file (frozen_key) the
    calls after the first run on threads, each on its own cursor of `con` (DuckDB releases the GIL
    while it plans and runs a query): a page's independent small queries cost the slowest one,
    not their sum, on an idle machine. Otherwise (writable connections, other engines) in order."""
    global _pool
    if len(calls) < 2 or frozen_key(con) is None:
        return [fn(con, *args) for fn, *args in calls]
    database = con.execute("SELECT current_database()").fetchone()[0]
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2)),
                                       thread_name_prefix="metrics")

    def on_own_cursor(fn, args):
        cur = con.cursor()   # a cursor starts in the default catalog: use the one `con` reads
        try:
            cur.execute('USE "' + database.replace('"', '""') + '"')
            return fn(cur, *args)
        finally:
            cur.close()

    futures = [_pool.submit(on_own_cursor, fn, args) for fn, *args in calls[1:]]
    first = calls[0][0](con, *calls[0][1:])
    return [first] + [f.result() for f in futures]


def _used_params(sql: str, params: dict) -> dict:
    used = set(_PARAM.findall(sql))
    missing = used - params.keys()
    if missing:
        raise KeyError(f"missing SQL parameters: {sorted(missing)}")
    return {k: v for k, v in params.items() if k in used}


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    """Run `sql` with its $name parameters on `con`: a DuckDB connection (the warehouse file or
    Parquet views, metrics.sources), or another engine's connection with the same tables
    (metrics.spark.SparkSQL: `fetch(sql, params, types_mapper)`)."""
    used = _used_params(sql, params)
    if not isinstance(con, duckdb.DuckDBPyConnection):
        return con.fetch(sql, used, types_mapper=_INT_TYPES.get)
    # execute(): con.sql() binds the query once more before running it (2–3 ms per query); the
    # "extra copy" it warns about (filter below) is of a page-sized result.
    table = con.execute(sql, used).to_arrow_table()
    return table.to_pandas(types_mapper=_INT_TYPES.get)


def plain(value):
    """numpy / pandas scalars -> plain Python; NaN / NA -> None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def fetch_records(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> list[dict]:
    """`fetch` as a list of {column: plain Python value} (None for NULL), without building a
    DataFrame: for the few-row KPI queries, whose caller wants plain numbers (~3–5 ms less than
    a 45-column frame read cell by cell)."""
    if not isinstance(con, duckdb.DuckDBPyConnection):
        df = fetch(con, sql, params)
        return [{c: plain(v) for c, v in zip(df.columns, row)}
                for row in df.itertuples(index=False, name=None)]
    rows = con.execute(sql, _used_params(sql, params)).to_arrow_table().to_pylist()
    return [{c: plain(v) for c, v in row.items()} for row in rows]   # a computed NaN -> None


def query(con: duckdb.DuckDBPyConnection, name: str, filters: Filters | None = None,
          *, units=(), kinds=(), scope=None, **params) -> pd.DataFrame:
    """Run metrics/sql/<name>.sql restricted to the filters' units (or to units/kinds/scope when
    no filters are given), with the period parameters of `filters` and any extra parameters."""
    return _run(fetch, con, name, filters, units, kinds, scope, params)


def query_records(con: duckdb.DuckDBPyConnection, name: str, filters: Filters | None = None,
                  *, units=(), kinds=(), scope=None, **params) -> list[dict]:
    """`query` as a list of {column: plain Python value} rows (fetch_records)."""
    return _run(fetch_records, con, name, filters, units, kinds, scope, params)


def _run(fetcher, con, name: str, filters: Filters | None, units, kinds, scope, params: dict):
    if filters is not None:
        unit_sql, unit_params = filters.unit_restriction()
        period = filters.period_params()
    else:
        unit_sql, unit_params = unit_restriction(units, kinds, scope)
        period = {}
    key = frozen_key(con)
    text = agg_sql_text(name) if aggregates_answer(con, name, filters, key) else sql_text(name)
    table = None
    if key is not None and "{{scoped_units}}" in text:
        unit_sql, lists, table = _scoped_relation(con, key, unit_sql, unit_params)
        unit_params = {} if table else lists
    sql = text.replace("{{scoped_units}}", unit_sql)
    try:
        return _fetch_scoped(fetcher, con, sql, {**period, **params}, unit_params, table, lists if table else None)
    except duckdb.BinderException as e:
        legacy = without_later_columns(sql, e)
        if legacy is None:
            raise
        return _fetch_scoped(fetcher, con, legacy, {**period, **params}, unit_params, table, lists if table else None)


def _fetch_scoped(fetcher, con, sql: str, params: dict, unit_params: dict, table: str | None, lists: dict | None):
    try:
        return fetcher(con, sql, {**params, **unit_params})
    except duckdb.CatalogException as e:
        if table is None or table not in str(e):
            raise
    _make_scoped_table(con, table, lists)   # first use in this database instance
    return fetcher(con, sql, params)


# Columns added to the warehouse after its first release that a query reads, with what they hold
# in a warehouse built before them (its next load adds them): units.level NULL, which
# sql/_unit_level.sql reads as the level by kind (etl.registry's rule for a registry without it).
_LATER_COLUMNS = {"level": "NULL"}


def without_later_columns(sql: str, error: Exception) -> str | None:
    """`sql` with the later columns the binder did not find (`alias.column`) replaced by their
    value for an older warehouse; None when the error is about something else."""
    for column, value in _LATER_COLUMNS.items():
        if f'"{column}"' in str(error):
            pattern = re.compile(rf"\b\w+\.{column}\b")
            if pattern.search(sql):
                return pattern.sub(value, sql)
    return None
