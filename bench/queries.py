"""The queries one page interaction runs, three ways: as metrics/ ships them (from the
pre-aggregated tables of etl/aggregates.py when they answer, metrics/sql/agg), metrics' SQL over
the raw `dossiers` table (aggregates switched off), and the pandas way.

An *interaction* is what a page computes when it is opened or a filter changes:
  overview      Tổng quan: KPIs of the period and of the previous one (metrics.tables.overview)
  trend         Tổng quan: month-by-month trend
  late_rates    Giải quyết TTHC: late rates by unit
  bieu06        Giải quyết TTHC: Biểu 06
  ranking       Xếp hạng: ranking by average score (evaluations)
  late_dossiers Giải quyết TTHC: the late-dossier list as the page asks for it — its first page
                (LATE_PAGE rows, longest overdue first; the counts above it are the KPIs')
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from metrics import db as mdb
from metrics import tables
from metrics.filters import Filters

INTERACTIONS = ("overview", "trend", "late_rates", "bieu06", "ranking", "late_dossiers")
LATE_PAGE = 1000   # ui.components.MAX_ROWS_SHOWN: the rows of the list's first page
COMMUNE = "x2025-001"  # a commune formed on 01/07/2025 from three old ones (lineage filter)


@dataclass(frozen=True)
class Case:
    label: str        # shown in RESULTS.md
    filters: Filters


def cases() -> list[Case]:
    """The default view (latest month with data), and a whole year; each without and with a
    commune filter."""
    out = []
    for plabel, f, t in (("tháng 12/2025", date(2025, 12, 1), date(2025, 12, 31)),
                         ("năm 2024", date(2024, 1, 1), date(2024, 12, 31))):
        out.append(Case(f"{plabel}, tất cả", Filters(f, t)))
        out.append(Case(f"{plabel}, 1 xã", Filters(f, t, units=(COMMUNE,))))
    return out


# -- metrics as shipped, and forced to its SQL over the raw facts -----------------------------------

def run_metrics(name: str, con: duckdb.DuckDBPyConnection, filters: Filters) -> object:
    """What the page gets: metrics.tables.build as shipped (from the aggregates when they answer)."""
    if name == "late_rates":
        return tables.build("late_rates", con, filters, by="unit")
    if name == "late_dossiers":
        return tables.build("late_dossiers", con, filters, limit=LATE_PAGE)
    return tables.build(name, con, filters)


_FAST_PATHS = ("USE_AGGREGATES", "USE_FROZEN_CACHE")


@contextmanager
def raw_sql():
    """metrics/ with its fast paths switched off (metrics.db.USE_AGGREGATES: the pre-aggregated
    tables; USE_FROZEN_CACHE: the unit list and freshness computed once per read-only file): the
    plain SQL over `dossiers`, with the scoped_units CTE in every query."""
    old = {name: getattr(mdb, name) for name in _FAST_PATHS if hasattr(mdb, name)}
    for name in old:
        setattr(mdb, name, False)
    try:
        yield
    finally:
        for name, value in old.items():
            setattr(mdb, name, value)


def run_raw(name: str, con, filters: Filters) -> object:
    """The same table from metrics' plain SQL over `dossiers` (no fast path)."""
    with raw_sql():
        return run_metrics(name, con, filters)


_SQL_OF = {"overview": "kpis", "trend": "trend", "late_rates": "late_rates_by_unit", "bieu06": "bieu06",
           "ranking": "ranking", "late_dossiers": "late_dossiers"}


def uses_aggregates(name: str, con, filters: Filters) -> bool:
    """Does metrics/ answer this interaction from the pre-aggregated tables?"""
    answer = getattr(mdb, "aggregates_answer", None)
    return bool(answer and getattr(mdb, "USE_AGGREGATES", True) and answer(con, _SQL_OF[name], filters))


def raw_equivalent(name: str, con, filters: Filters) -> object:
    """The raw numbers behind an interaction from metrics' SQL over `dossiers` (for checking the
    pandas way against it)."""
    with raw_sql():
        return _raw_equivalent(name, con, filters)


def _raw_equivalent(name: str, con, filters: Filters) -> object:
    if name == "overview":
        return tables.kpis(con, filters), tables.kpis(con, filters.previous())
    if name == "late_rates":
        return mdb.query(con, "late_rates_by_unit", filters)
    if name == "bieu06":
        from metrics import labels
        return mdb.query(con, "bieu06", filters, total_label="Tổng cộng", level_province=labels.LEVEL_PROVINCE,
                         level_district=labels.LEVEL_DISTRICT, level_commune=labels.LEVEL_COMMUNE)
    if name == "ranking":
        return tables.build("ranking", con, filters)
    if name == "late_dossiers":
        return mdb.query(con, "late_dossiers", filters, limit=LATE_PAGE, only_missing=False)
    return mdb.query(con, name, filters)


def same_result(a, b) -> bool:
    if isinstance(a, tuple):
        return all(same_result(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return False
        for k in a:
            x, y = a[k], b[k]
            if isinstance(x, float) or isinstance(y, float):
                if x is None or y is None:
                    if x is not y:
                        return False
                elif abs(x - y) > 1e-9 * max(1.0, abs(x)):
                    return False
            elif x != y:
                return False
        return True
    a = a.reset_index(drop=True)
    b = b.reset_index(drop=True)
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    try:
        pd.testing.assert_frame_equal(a, b, check_dtype=False, check_exact=False, rtol=1e-9)
        return True
    except AssertionError:
        return False


def trend_filters(filters: Filters, first_month: date = date(2019, 1, 1), months: int = 12) -> Filters:
    """What the pages ask the trend for (ui.filters.trend_window): at least `months` months
    ending with the period's last month, not before the first month with data."""
    from dataclasses import replace
    end = date(filters.date_to.year, filters.date_to.month, 1)
    index = end.year * 12 + end.month - 1 - (months - 1)
    start = max(min(date(index // 12, index % 12 + 1, 1), filters.date_from), first_month)
    return replace(filters, date_from=min(start, filters.date_from))


def pandas_matches(name: str, result, con, filters: Filters) -> bool:
    """Does the pandas way's result carry the same numbers as metrics'? (Key figures per table.)"""
    raw = raw_equivalent(name, con, filters)
    if name == "overview":
        return same_result(result, raw)
    if name == "trend":
        return same_result(result, raw)
    if name == "late_rates":
        cols = ["received", "returned", "early", "on_time", "late"]
        return len(result) == len(raw) and all(int(result[c].sum()) == int(raw[c].sum()) for c in cols)
    if name == "bieu06":
        cols = [f"c{i}" for i in range(3, 14)]
        return len(result) == len(raw) and [int(result.iloc[-1][c]) for c in cols] == [int(raw.iloc[-1][c]) for c in cols]
    if name == "ranking":
        # Same units and scores; a mean rounded to one decimal may fall on the other side of a
        # .x5 in pandas' float summation than in DuckDB's, which can move a tie by one rank.
        a = sorted(result["avg_score"].astype(float))
        b = sorted(raw["Điểm TB"].astype(float))
        return len(a) == len(b) and all(abs(x - y) <= 0.1 + 1e-9 for x, y in zip(a, b))
    if name == "late_dossiers":
        # The first page: the same days overdue row by row (among dossiers equally late, pandas
        # orders unit names by code point, the SQL in Vietnamese: the page's last rows may differ).
        return len(result) == len(raw) and list(result["days_late"]) == list(raw["days_late"])
    return False
