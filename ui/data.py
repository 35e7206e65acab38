"""Cached access to the warehouse for the pages: the only module here that queries through metrics/
(pages may use the pure display helpers of metrics.display).

One etl.warehouse.Reader per process and warehouse path (st.cache_resource). Every result is
cached under (table, filters, options, Reader version): a load swaps a new file in, its version
changes, the next rerun misses the cache and the Reader reopens on the new file. A load never writes the live
file (etl.warehouse.writer), so a reader sees the old state or the new one, never half of one.
"""
from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import streamlit as st

from etl.warehouse import Reader, db_path, file_version

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
def _table(name: str, fkey: tuple, okey: tuple, shaped: bool, version, path: str, _filters, _options) -> pd.DataFrame:
    from metrics import tables

    fn = tables.shown if shaped else tables.build
    return _run(lambda con: fn(name, con, _filters, **_options))


def table(name: str, filters, **options) -> pd.DataFrame:
    """metrics.tables.shown(name, ...) for the current warehouse version: the table as the page
    shows it, and the DataFrame its CSV download is made of (the same as `python -m metrics`)."""
    return _table(
        name, _filters_key(filters), _options_key(options), True, warehouse_version(), str(db_path()),
        filters, options,
    )


@st.cache_data(ttl=_TTL, max_entries=500, show_spinner=False)
def _side_by_side(rkey: tuple, fkey: tuple, version, path: str, _filters, _requests) -> list[pd.DataFrame]:
    from metrics import tables
    from metrics.db import run_parallel

    calls = [(lambda con, n=name, o=options: tables.shown(n, con, _filters, **o),)
             for name, options in _requests]
    return _run(run_parallel, calls)


def tables_side_by_side(filters, *requests: tuple[str, dict]) -> list[pd.DataFrame]:
    """[table(name, filters, **options) for (name, options) in requests], the queries run side by
    side (metrics.db.run_parallel: on the 2 cores of a small server, two ~20 ms queries answer in
    ~20 ms instead of ~40 after a filter change); cached as one entry."""
    rkey = tuple((name, _options_key(options)) for name, options in requests)
    return _side_by_side(rkey, _filters_key(filters), warehouse_version(), str(db_path()), filters, requests)


def source_table(name: str, filters, **options) -> pd.DataFrame:
    """metrics.tables.build(name, ...): the table before its display shape, for what a page
    computes from it (sums, a chart's full names). Never shown or downloaded as such."""
    return _table(
        name, _filters_key(filters), _options_key(options), False, warehouse_version(), str(db_path()),
        filters, options,
    )


@st.cache_data(ttl=_TTL, max_entries=500, show_spinner=False)
def _csv_title(name: str, fkey: tuple, named: tuple, version, path: str, _filters, _df) -> list[str]:
    from metrics import tables

    names = _run(tables.selected_unit_names, _filters) if name in tables.BIEU06_TABLES else []
    notes = _run(tables.table_notes, _filters, _df)
    laws = _run(tables.classification_laws, _filters) if name in tables.CLASSIFICATION_TABLES else []
    return tables.csv_title(name, _filters, names, notes, laws)


@st.cache_data(ttl=_TTL, max_entries=200, show_spinner=False)
def _classification_laws(fkey: tuple, version, path: str, _filters) -> list[str]:
    from metrics import tables

    return _run(tables.classification_laws, _filters)


def classification_laws(filters) -> list[str]:
    """metrics.tables.classification_laws: the law(s) the period's classifications were made under."""
    return list(_classification_laws(_filters_key(filters), warehouse_version(), str(db_path()), filters))


def _unit_column_key(df) -> tuple:
    from metrics.display import UNIT_COLUMN

    if df is None or UNIT_COLUMN not in getattr(df, "columns", ()):
        return ()
    return tuple(sorted({str(v) for v in df[UNIT_COLUMN].dropna().unique()}))


def csv_title(name: str, filters, df: pd.DataFrame | None = None) -> list[str]:
    """Lines above table `name` (its shown DataFrame `df`) in its CSV, as the CLI writes them
    (metrics.tables.csv_title): the Biểu 06 title block naming the selected units; the map line
    under the new map; the notes of the units the table names or the filters select."""
    return list(_csv_title(name, _filters_key(filters), _unit_column_key(df), warehouse_version(),
                           str(db_path()), filters, df))


@st.cache_data(ttl=_TTL, max_entries=50, show_spinner=False)
def _merger_date(version, path: str):
    from metrics import tables

    return _run(tables.merger_date)


def merger_date():
    """metrics.tables.merger_date: the first day of the new communes (01/07/2025) or None."""
    return _merger_date(warehouse_version(), str(db_path()))


@st.cache_data(ttl=_TTL, max_entries=500, show_spinner=False)
def _notes(fkey: tuple, named: tuple, version, path: str, _filters, _df) -> list[str]:
    from metrics import tables

    return _run(tables.table_notes, _filters, _df)


def notes(filters, df: pd.DataFrame | None = None) -> list[str]:
    """metrics.tables.table_notes: the notes (a successor formed partly from units outside the
    warehouse) of the units `df` names or the filters select."""
    return list(_notes(_filters_key(filters), _unit_column_key(df), warehouse_version(), str(db_path()),
                       filters, df))


@st.cache_data(ttl=_TTL, max_entries=500, show_spinner=False)
def _kpis(fkey: tuple, version, path: str, _filters) -> dict:
    from metrics import tables

    return _run(tables.kpis, _filters)


def kpis(filters) -> dict:
    return _kpis(_filters_key(filters), warehouse_version(), str(db_path()), filters)


@st.cache_data(ttl=_TTL, max_entries=500, show_spinner=False)
def _evidence_kpis(fkey: tuple, version, path: str, _filters) -> dict:
    from metrics import tables

    return _run(tables.evidence_kpis, _filters)


def evidence_kpis(filters) -> dict:
    """metrics.tables.evidence_kpis: the very-satisfied share and violations per 100 checked."""
    return _evidence_kpis(_filters_key(filters), warehouse_version(), str(db_path()), filters)


@st.cache_data(ttl=_TTL, max_entries=500, show_spinner=False)
def _overview_numbers(fkey: tuple, version, path: str, _filters) -> tuple[dict, dict]:
    from metrics import tables

    return _run(tables.overview_numbers, _filters)


def overview_numbers(filters) -> tuple[dict, dict]:
    """metrics.tables.overview_numbers: (this period, the previous one), kpis | evidence_kpis each."""
    return _overview_numbers(_filters_key(filters), warehouse_version(), str(db_path()), filters)


def overview_table(filters) -> pd.DataFrame:
    """table("overview", filters) from the numbers overview_numbers already holds (no query)."""
    from metrics import display, tables

    return display.shape("overview", tables.overview_frame(*overview_numbers(filters)), filters)


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


@st.cache_data(ttl=_TTL, max_entries=50, show_spinner=False)
def _reported_under(scope, version, path: str) -> dict:
    from metrics import tables

    return _run(tables.reported_under, scope=scope, map="new")


def reported_under(scope: tuple[str, ...] | None) -> dict[str, str]:
    """metrics.tables.reported_under on the new map: unit_id -> its commune from 01/07/2025."""
    return dict(_reported_under(scope, warehouse_version(), str(db_path())))


def csv_bytes(df: pd.DataFrame, title: list[str] | tuple[str, ...] = ()) -> bytes:
    from metrics import export

    return export.to_csv_bytes(df, title=title)


def csv_name(slug: str, filters, unit_names: list[str]) -> str:
    from metrics import export

    return export.csv_file_name(slug, filters, unit_names)


def warehouse_path():
    return db_path()


def xlsx_bytes(df: pd.DataFrame, title: list[str] | tuple[str, ...] = (), sheet: str = "Bảng") -> bytes:
    """The table as .xlsx (metrics.export.to_xlsx_bytes): the same table as its CSV, numbers typed."""
    from metrics import export

    return export.to_xlsx_bytes(df, title=title, sheet=sheet)


def xlsx_name(slug: str, filters, unit_names: list[str]) -> str:
    from metrics import export

    return export.xlsx_file_name(slug, filters, unit_names)


def report_file(kind: str, filters) -> bytes:
    """The report's .docx / .xlsx / .png (report.build) for the filters; built when asked for
    (a download button's data callable), not when the page is drawn."""
    from report import build

    return _run(lambda con: build.BUILDERS[kind](con, filters))


@st.cache_data(ttl=_TTL, max_entries=200, show_spinner=False)
def _report_preview(fkey: tuple, version, path: str, _filters) -> list[tuple[str, str]]:
    from report.data import collect
    from report.sections import preview_text

    return _run(lambda con: preview_text(collect(con, _filters)))


def report_preview(filters) -> list[tuple[str, str]]:
    """Section III of the report as (kind, text) lines (report.sections.preview_text)."""
    return _report_preview(_filters_key(filters), warehouse_version(), str(db_path()), filters)
