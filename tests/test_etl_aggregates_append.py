"""A load that only adds dossiers updates the aggregates by what the new dossiers add (months they
touch, a later horizon for the dossiers still pending) instead of rebuilding them; the result must
be exactly the rebuild's. A load that changes a dossier already loaded rebuilds."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from etl import aggregates, derive
from etl.load import load_files
from etl.warehouse import ensure_schema
from etl_helpers import DOSSIER_HEADER, dossier_row, write_csv

TABLES = {
    "agg_dossiers_monthly": "unit_id, field, procedure_name, month",
    "agg_units_monthly": "unit_id, month",
    "dossiers_late_or_open": "dossier_id",
    "agg_info": "horizon",
}


def _snapshot(con) -> dict:
    return {t: con.execute(f"SELECT * {'EXCLUDE (built_at)' if t == 'agg_info' else ''} FROM {t} ORDER BY {keys}").fetchall()
            for t, keys in TABLES.items()}


def _rebuilt(con) -> dict:
    con.execute("BEGIN")
    con.execute(aggregates.REFRESH)
    snap = _snapshot(con)
    con.execute("ROLLBACK")
    return snap


def _insert(con, batch, rows):
    for i, u, rec, due, fin, apol in rows:
        con.execute("INSERT INTO dossiers VALUES (?, ?, 'F', 'P', 'online', ?, ?, ?, ?, ?, TRUE, NULL)",
                    [i, u, dt.datetime.fromisoformat(rec), dt.datetime.fromisoformat(due),
                     dt.datetime.fromisoformat(fin) if fin else None, apol, batch])
    derive.refresh_outcomes(con)


FIRST = [
    ("D1", "u1", "2024-01-03 08:00", "2024-01-10 17:00", "2024-01-05 09:00", False),  # early, January
    ("D2", "u1", "2024-01-20 08:00", "2024-02-05 17:00", "2024-02-08 10:00", True),   # late, February
    ("D3", "u2", "2024-02-27 08:00", "2024-03-10 17:00", None, True),                 # pending
]
SECOND = [
    ("D4", "u2", "2024-03-02 08:00", "2024-03-05 17:00", "2024-03-04 08:00", False),   # same unit, a known month
    ("D5", "u3", "2024-05-10 08:00", "2024-06-20 17:00", None, False),                # pending: horizon -> July
    ("D6", "u1", "2024-04-01 08:00", "2024-04-02 17:00", "2024-05-02 08:00", True),   # late, open on 01/05
]


@pytest.fixture
def con():
    c = duckdb.connect()
    ensure_schema(c)
    _insert(c, 1, FIRST)
    aggregates.refresh_aggregates(c)
    yield c
    c.close()


def test_new_dossiers_update_the_aggregates_as_a_rebuild_would(con):
    _insert(con, 2, SECOND)
    assert aggregates._append_in_place(con, [2])
    got = _snapshot(con)
    assert got == _rebuilt(con)
    # by hand: D3 (pending since February) is open at every month start up to the new horizon
    assert con.execute("SELECT strftime(month, '%Y-%m'), open_at_start, overdue_at_start FROM agg_dossiers_monthly "
                       "WHERE unit_id = 'u2' ORDER BY month").fetchall() == [
        ("2024-02", 0, 0), ("2024-03", 1, 0), ("2024-04", 1, 1), ("2024-05", 1, 1), ("2024-06", 1, 1),
        ("2024-07", 1, 1)]
    assert con.execute("SELECT horizon, dossiers, max_batch FROM agg_info").fetchall() == [(dt.date(2024, 7, 1), 6, 2)]
    assert aggregates.usable_until(con) == dt.date(2024, 7, 1)


def test_a_batch_that_changed_a_loaded_dossier_is_rebuilt(con):
    _insert(con, 2, SECOND[:1])
    con.execute("UPDATE dossiers SET batch_id = 2, finished_at = TIMESTAMP '2024-03-20 08:00' WHERE dossier_id = 'D3'")
    derive.refresh_outcomes(con)
    assert not aggregates._append_in_place(con, [2])
    aggregates.refresh_aggregates(con, appended=[2])
    assert _snapshot(con) == _rebuilt(con)
    assert aggregates.usable_until(con) == dt.date(2024, 4, 1)


def test_stale_aggregates_are_rebuilt_not_appended_to(con):
    _insert(con, 1, SECOND[:1])   # written without a refresh, in an old batch
    _insert(con, 2, SECOND[1:])
    assert not aggregates._append_in_place(con, [2])


def test_loads_month_after_month_equal_a_rebuild(tmp_path):
    db = tmp_path / "w.duckdb"
    may = [dossier_row("M1"), dossier_row("M2", finished=None, due="20/05/2023"),
           dossier_row("M3", received="30/04/2023 08:00", due="03/05/2023", finished="10/05/2023 08:00", apology="Có")]
    june = [dossier_row("J1", received="02/06/2023 08:00", due="05/06/2023", finished="04/06/2023 10:00"),
            dossier_row("J2", received="20/06/2023 08:00", due="30/07/2023", finished=None)]
    [a] = load_files([write_csv(tmp_path / "t5.csv", DOSSIER_HEADER, may)], db=db)
    [b] = load_files([write_csv(tmp_path / "t6.csv", DOSSIER_HEADER, june)], db=db)
    assert (a.rows_to_load, b.rows_to_load) == (3, 2)
    c = duckdb.connect(str(db))
    try:
        assert _snapshot(c) == _rebuilt(c)
        assert aggregates.usable_until(c) == dt.date(2023, 8, 1)
    finally:
        c.close()
