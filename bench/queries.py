"""The queries one page interaction runs, three ways: as metrics/ ships them, from the
pre-aggregated tables (bench/agg_sql, proposed for metrics/), and the pandas way.

An *interaction* is what a page computes when it is opened or a filter changes:
  overview      Tổng quan: KPIs of the period and of the previous one (metrics.tables.overview)
  trend         Tổng quan: month-by-month trend
  late_rates    Giải quyết TTHC: late rates by unit
  bieu06        Giải quyết TTHC: Biểu 06
  ranking       Xếp hạng: ranking by average score (evaluations)
  late_dossiers Giải quyết TTHC: the late-dossier list
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from metrics import db as mdb
from metrics import tables
from metrics.filters import Filters

AGG_SQL_DIR = Path(__file__).with_name("agg_sql")
INTERACTIONS = ("overview", "trend", "late_rates", "bieu06", "ranking", "late_dossiers")
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


# -- metrics as shipped ---------------------------------------------------------------------------

def run_metrics(name: str, con: duckdb.DuckDBPyConnection, filters: Filters) -> object:
    if name == "late_rates":
        return tables.build("late_rates", con, filters, by="unit")
    return tables.build(name, con, filters)


# -- the same from the aggregates -----------------------------------------------------------------

_SNIPPET = re.compile(r"\{\{(\w+)\}\}")
_COUNT_KEYS = {"unit_counts": "unit_id", "field_counts": "unit_id, field",
               "period_counts": "unit_id, field, procedure_name"}


@functools.cache
def agg_sql_text(name: str) -> str:
    """bench/agg_sql/<name>.sql, snippets from bench/agg_sql first, then metrics/sql."""
    path = AGG_SQL_DIR / f"{name}.sql"
    if name == "late_dossiers":
        # metrics' own SQL over the small table of late or unreturned dossiers
        text = mdb.sql_text("late_dossiers")
        return re.sub(r"FROM dossiers d\b", "FROM dossiers_late_or_open d", text)
    if not path.exists():
        path = mdb.SQL_DIR / f"{name}.sql"
    text = path.read_text(encoding="utf-8")

    def expand(m: re.Match) -> str:
        snippet = m.group(1)
        if snippet == "scoped_units":
            return m.group(0)
        if snippet in _COUNT_KEYS:  # one template, grouped as coarsely as the query needs
            return (AGG_SQL_DIR / "_period_counts.sql").read_text(encoding="utf-8").replace(
                "$KEYS", _COUNT_KEYS[snippet])
        return agg_sql_text("_" + snippet)

    return _SNIPPET.sub(expand, text)


def agg_query(con, name: str, filters: Filters, **params) -> pd.DataFrame:
    unit_sql, unit_params = filters.unit_restriction()
    sql = agg_sql_text(name).replace("{{scoped_units}}", unit_sql)
    return mdb.fetch(con, sql, {**filters.period_params(), **unit_params, **params})


def agg_kpis(con, filters: Filters) -> dict:
    row = agg_query(con, "kpis", filters).iloc[0]
    return {k: tables._scalar(v) for k, v in row.items()}


def run_aggregates(name: str, con, filters: Filters) -> object:
    """The interaction computed from the aggregates; returns frames shaped like the raw SQL's."""
    if not filters.whole_months:
        raise ValueError("aggregates answer whole-month periods only")
    if name == "overview":
        return agg_kpis(con, filters), agg_kpis(con, filters.previous())
    if name == "trend":
        return agg_query(con, "trend", filters)
    if name == "late_rates":
        return agg_query(con, "late_rates_by_unit", filters)
    if name == "bieu06":
        from metrics import labels
        return agg_query(con, "bieu06", filters, total_label="Tổng cộng",
                         level_district=labels.LEVEL_DISTRICT, level_commune=labels.LEVEL_COMMUNE)
    if name == "ranking":
        return tables.build("ranking", con, filters)   # evaluations only: no dossier aggregate
    if name == "late_dossiers":
        return agg_query(con, "late_dossiers", filters, limit=2**62)
    raise KeyError(name)


def raw_equivalent(name: str, con, filters: Filters) -> object:
    """What run_aggregates returns, computed by metrics' own SQL (for the equality check)."""
    if name == "overview":
        return tables.kpis(con, filters), tables.kpis(con, filters.previous())
    if name == "late_rates":
        return mdb.query(con, "late_rates_by_unit", filters)
    if name == "bieu06":
        from metrics import labels
        return mdb.query(con, "bieu06", filters, total_label="Tổng cộng",
                         level_district=labels.LEVEL_DISTRICT, level_commune=labels.LEVEL_COMMUNE)
    if name == "ranking":
        return tables.build("ranking", con, filters)
    if name == "late_dossiers":
        return mdb.query(con, "late_dossiers", filters, limit=2**62)
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
        return set(result["dossier_id"]) == set(raw["dossier_id"])
    return False
