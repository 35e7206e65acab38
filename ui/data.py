"""Cached access to the warehouse for the pages. The only module here that touches metrics/.

One etl.warehouse.Reader per process and warehouse path (st.cache_resource). Every result is
cached under (table, filters, options, Reader version): a load swaps a new file in, its version
changes, the next rerun misses the cache and the Reader reopens on the new file. A load never writes the live
file (etl.warehouse.writer), so a reader sees the old state or the new one, never half of one.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from etl.warehouse import Reader, db_path, file_version
from ui.format import drop_validity_suffix

# Also a short TTL: a warehouse replaced within the same mtime tick still shows up.
_TTL = 300


@st.cache_resource(show_spinner=False)
def _reader(path: str) -> Reader:
    return Reader(path)


def reader() -> Reader:
    """The process's Reader for the current warehouse path (etl.warehouse.Reader reopens the
    file when a load replaces it)."""
    return _reader(str(db_path()))


def warehouse_version() -> tuple[int, int] | None:
    """None when the warehouse file does not exist."""
    return file_version(db_path())


def _filters_key(filters: Any) -> tuple:
    return tuple(sorted(dataclasses.asdict(filters).items()))


def _options_key(options: dict) -> tuple:
    return tuple(sorted(options.items()))


def _run(fn, *args, **kwargs):
    cur = reader().cursor()
    try:
        return fn(cur, *args, **kwargs)
    finally:
        cur.close()


@st.cache_data(ttl=_TTL, max_entries=2000, show_spinner=False)
def _table(name: str, fkey: tuple, okey: tuple, version, path: str, _filters, _options) -> pd.DataFrame:
    from metrics import tables

    df = _run(lambda con: tables.build(name, con, _filters, **_options))
    return plain_unit_names(df, *_window(name, _filters, _options))


# Tables whose rows belong to a calendar year rather than to the period.
_YEAR_TABLES = {"commitments"}


def _window(name: str, filters, options: dict) -> tuple[dt.date, dt.date]:
    """The dates a table's rows come from (for unit names, see plain_unit_names)."""
    if name in _YEAR_TABLES:
        year = int(options.get("year") or filters.date_to.year)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return filters.date_from, filters.date_to


def plain_unit_names(df: pd.DataFrame, date_from: dt.date, date_to: dt.date,
                     column: str = "Đơn vị") -> pd.DataFrame:
    """Drop the "(đến 30/06/2025)" of a unit name when the table's dates cannot hold its
    namesake (ui.format.drop_validity_suffix). The download is built from the same DataFrame."""
    if column not in df.columns or df.empty:
        return df
    out = df.copy()
    out[column] = [drop_validity_suffix(v, date_from, date_to) for v in out[column]]
    return out


def table(name: str, filters, **options) -> pd.DataFrame:
    """metrics.tables.build(name, ...) for the current warehouse version."""
    return _table(
        name, _filters_key(filters), _options_key(options), warehouse_version(), str(db_path()),
        filters, options,
    )


@st.cache_data(ttl=_TTL, max_entries=500, show_spinner=False)
def _kpis(fkey: tuple, version, path: str, _filters) -> dict:
    from metrics import tables

    return _run(tables.kpis, _filters)


def kpis(filters) -> dict:
    return _kpis(_filters_key(filters), warehouse_version(), str(db_path()), filters)


@st.cache_data(ttl=_TTL, max_entries=50, show_spinner=False)
def _freshness(version, path: str) -> dict:
    from metrics import tables

    return _run(tables.freshness)


def freshness() -> dict:
    return _freshness(warehouse_version(), str(db_path()))


@st.cache_data(ttl=_TTL, max_entries=50, show_spinner=False)
def _unit_options(scope, version, path: str) -> pd.DataFrame:
    from metrics import tables

    return _run(tables.unit_options, scope=scope)


def unit_options(scope: tuple[str, ...] | None) -> pd.DataFrame:
    return _unit_options(scope, warehouse_version(), str(db_path()))


def bieu06_title(filters, unit_names: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Title block lines of Biểu số 06 (pure function of the filters, no query)."""
    from metrics import tables

    return list(tables.bieu06_title(filters, tuple(unit_names)))


def csv_bytes(df: pd.DataFrame, title: list[str] | tuple[str, ...] = ()) -> bytes:
    from metrics import export

    return export.to_csv_bytes(df, title=title)


def csv_name(slug: str, filters, unit_names: list[str]) -> str:
    from metrics import export

    return export.csv_file_name(slug, filters, unit_names)


def warehouse_path():
    return db_path()
