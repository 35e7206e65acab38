"""etl.scale (province-sized benchmark warehouses) and etl.aggregates (pre-aggregated tables)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from etl import aggregates, derive
from etl.scale import build_scale, scale_units
from etl.warehouse import ensure_schema


@pytest.fixture(scope="module")
def scale_db(tmp_path_factory):
    return build_scale(30_000, db=tmp_path_factory.mktemp("scale") / "scale.duckdb", verbose=False)


def _one(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()[0]


# -- the registry ---------------------------------------------------------------------------------

def test_registry_is_province_sized_with_the_2025_merger(scale_db):
    con = duckdb.connect(str(scale_db), read_only=True)
    kinds = dict(con.execute("SELECT kind, count(*) FROM units GROUP BY kind").fetchall())
    assert kinds == {"commune": 400, "department": 118, "service_unit": 10, "association": 10}
    # 300 old communes until 30/06/2025, each with a successor valid from 01/07/2025
    assert _one(con, "SELECT count(*) FROM units WHERE kind = 'commune' AND valid_to = DATE '2025-06-30' "
                     "AND successor_id IN (SELECT unit_id FROM units WHERE valid_from = DATE '2025-07-01')") == (300,)
    # lineage: every unit rolls up to itself, every old commune also to its successor
    assert _one(con, "SELECT count(*) FROM unit_lineage") == (538 + 300,)
    assert _one(con, "SELECT count(*) FROM unit_lineage WHERE rollup_id = 'x2025-001'") == (4,)
    # names unique except a new commune named after its first member (as in the real mergers)
    dup = con.execute("SELECT name FROM units GROUP BY name HAVING count(*) > 1").fetchall()
    assert len(dup) == 90  # 10 of the 100 first members are a "Thị trấn": the new unit is a "Xã"
    # aliases resolve the official name
    assert _one(con, "SELECT count(*) FROM unit_aliases WHERE unit_id = 'so-04'")[0] >= 1
    con.close()


def test_registry_is_deterministic():
    assert scale_units() == scale_units()
    assert [u["unit_id"] for u in scale_units(seed=1)] == [u["unit_id"] for u in scale_units(seed=2)]


# -- the dossiers ---------------------------------------------------------------------------------

def test_dossiers_are_consistent(scale_db):
    con = duckdb.connect(str(scale_db), read_only=True)
    n, ids, lo, hi = _one(con, "SELECT count(*), count(DISTINCT dossier_id), min(received_at), max(received_at) FROM dossiers")
    assert n == ids == 30_000
    assert lo >= dt.datetime(2019, 1, 1) and hi < dt.datetime(2026, 1, 1)
    # outcome is exactly what the ETL's rule gives
    assert _one(con, f"SELECT count(*) FROM dossiers WHERE outcome IS DISTINCT FROM ({derive.OUTCOME_SQL})") == (0,)
    assert _one(con, "SELECT count(*) FROM dossiers WHERE (finished_at IS NULL) <> (outcome IS NULL)") == (0,)
    # never returned before the receipt day, never due before receipt
    assert _one(con, "SELECT count(*) FROM dossiers WHERE CAST(finished_at AS DATE) < CAST(received_at AS DATE) "
                     "OR due_at < received_at") == (0,)
    # a unit only receives dossiers while it exists
    assert _one(con, """SELECT count(*) FROM dossiers d JOIN units u USING (unit_id)
                        WHERE CAST(d.received_at AS DATE) NOT BETWEEN u.valid_from AND coalesce(u.valid_to, DATE '9999-12-31')""") == (0,)
    # apology letters only for late (or never returned and overdue) dossiers
    assert _one(con, "SELECT count(*) FROM dossiers WHERE apology_issued AND outcome IS DISTINCT FROM 'late' "
                     "AND finished_at IS NOT NULL") == (0,)
    con.close()


def test_distributions_look_like_the_demo(scale_db):
    con = duckdb.connect(str(scale_db), read_only=True)
    rows = con.execute("""
        SELECT year(received_at),
               100.0 * count(*) FILTER (WHERE outcome IN ('early', 'on_time')) / count(outcome),
               100.0 * count(*) FILTER (WHERE channel = 'online') / count(*)
        FROM dossiers GROUP BY 1 ORDER BY 1""").fetchall()
    assert [r[0] for r in rows] == list(range(2019, 2026))
    assert all(95.0 <= r[1] <= 99.7 for r in rows)
    assert rows[0][2] < 15 and rows[-1][2] > 45            # online share rising
    apology, pending, evals, commitments = _one(con, """
        SELECT 100.0 * count(*) FILTER (WHERE apology_issued AND outcome = 'late') / count(*) FILTER (WHERE outcome = 'late'),
               count(*) FILTER (WHERE finished_at IS NULL),
               (SELECT count(*) FROM evaluations), (SELECT count(*) FROM commitments)
        FROM dossiers""")
    assert 70 <= apology <= 95
    assert pending > 0
    assert evals > 30_000 and commitments > 9_000
    assert _one(con, "SELECT value FROM meta WHERE key = 'is_demo'") == ("true",)
    con.close()


def test_same_seed_same_warehouse(tmp_path):
    a = build_scale(3_000, db=tmp_path / "a.duckdb", verbose=False)
    b = build_scale(3_000, db=tmp_path / "b.duckdb", verbose=False)
    digest = "SELECT sum(hash(dossier_id, unit_id, procedure_name, received_at, finished_at, channel, apology_issued)) FROM dossiers"
    ha = _one(duckdb.connect(str(a), read_only=True), digest)
    hb = _one(duckdb.connect(str(b), read_only=True), digest)
    assert ha == hb


def test_build_replaces_an_existing_file(tmp_path):
    path = tmp_path / "w.duckdb"
    build_scale(1_000, db=path, verbose=False)
    build_scale(2_000, db=path, verbose=False)
    con = duckdb.connect(str(path), read_only=True)
    assert _one(con, "SELECT count(*) FROM dossiers") == (2_000,)
    assert list(tmp_path.glob(".*.tmp*")) == []


# -- the aggregates, on a fixture computed by hand ---------------------------------------------------

def _ts(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s)


HAND = [
    # id, unit, channel, received, due, finished, apology
    ("D1", "u1", "online", "2024-01-10 08:00", "2024-01-20 17:00", "2024-01-15 09:00", False),   # early, Jan
    ("D2", "u1", "in_person", "2024-01-25 08:00", "2024-02-05 17:00", "2024-02-10 09:00", True),  # late, Feb
    ("D3", "u2", "online", "2024-02-27 08:00", "2024-03-10 17:00", None, False),                 # pending
    ("D4", "u2", "in_person", "2023-12-30 08:00", "2024-01-02 17:00", "2024-03-01 08:00", True),  # late, Mar
]


@pytest.fixture
def hand_con():
    con = duckdb.connect()
    ensure_schema(con)
    for i, u, ch, rec, due, fin, apol in HAND:
        con.execute("INSERT INTO dossiers VALUES (?, ?, 'F', 'P', ?, ?, ?, ?, ?, 1, TRUE, NULL)",
                    [i, u, ch, _ts(rec), _ts(due), _ts(fin) if fin else None, apol])
    derive.refresh_outcomes(con)
    aggregates.refresh_aggregates(con)
    yield con
    con.close()


def test_aggregate_rows_by_hand(hand_con):
    rows = hand_con.execute("""
        SELECT unit_id, strftime(month, '%Y-%m'), received, received_online, returned, early, on_time, late,
               late_apology, open_at_start, overdue_at_start, overdue_apology_at_start
        FROM agg_dossiers_monthly ORDER BY month, unit_id""").fetchall()
    assert rows == [
        ("u2", "2023-12", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),   # D4 received
        ("u1", "2024-01", 2, 1, 1, 1, 0, 0, 0, 0, 0, 0),   # D1, D2 received; D1 returned early
        ("u2", "2024-01", 0, 0, 0, 0, 0, 0, 0, 1, 0, 0),   # D4 open on 01/01, due 02/01: not overdue
        ("u1", "2024-02", 0, 0, 1, 0, 0, 1, 1, 1, 0, 0),   # D2 open on 01/02 (due 05/02); returned late
        ("u2", "2024-02", 1, 1, 0, 0, 0, 0, 0, 1, 1, 1),   # D3 received; D4 open and overdue
        ("u2", "2024-03", 0, 0, 1, 0, 0, 1, 1, 2, 1, 1),   # D4 open on 01/03 00:00, returned 08:00; D3 open
        ("u2", "2024-04", 0, 0, 0, 0, 0, 0, 0, 1, 1, 0),   # D3 open (due 10/03) up to the horizon
    ]
    # horizon: the month after the last date (D3 due 10/03/2024, D4 returned 01/03/2024)
    assert hand_con.execute("SELECT horizon, dossiers, max_batch, anomalies FROM agg_info").fetchall() == [(dt.date(2024, 4, 1), 4, 1, 0)]
    assert aggregates.usable_until(hand_con) == dt.date(2024, 4, 1)


def test_stale_or_missing_aggregates_are_not_used(hand_con):
    hand_con.execute("INSERT INTO dossiers VALUES ('D5', 'u1', 'F', 'P', 'online', TIMESTAMP '2024-01-02 08:00', "
                     "TIMESTAMP '2024-01-03 17:00', NULL, FALSE, 1, NULL, NULL)")
    assert aggregates.usable_until(hand_con) is None        # one more dossier than counted
    aggregates.refresh_aggregates(hand_con)
    assert aggregates.usable_until(hand_con) == dt.date(2024, 4, 1)
    hand_con.execute("UPDATE dossiers SET batch_id = 2 WHERE dossier_id = 'D5'")
    assert aggregates.usable_until(hand_con) is None        # a later load touched dossiers
    assert aggregates.usable_until(duckdb.connect()) is None  # no aggregate tables at all


def test_returns_in_an_earlier_month_than_received_disable_the_aggregates(hand_con):
    hand_con.execute("UPDATE dossiers SET received_at = TIMESTAMP '2024-02-01 08:00' WHERE dossier_id = 'D1'")
    aggregates.refresh_aggregates(hand_con)
    assert hand_con.execute("SELECT anomalies FROM agg_info").fetchall() == [(1,)]
    assert aggregates.usable_until(hand_con) is None
    # late or never returned: D2, D3, D4
    assert [r[0] for r in hand_con.execute("SELECT dossier_id FROM dossiers_late_or_open ORDER BY 1").fetchall()] == ["D2", "D3", "D4"]


def test_refresh_replaces_previous_rows(hand_con):
    hand_con.execute("DELETE FROM dossiers WHERE dossier_id <> 'D1'")
    aggregates.refresh_aggregates(hand_con)
    assert hand_con.execute("SELECT sum(received), sum(returned), sum(open_at_start) FROM agg_dossiers_monthly").fetchall() == [(1, 1, 0)]
    assert hand_con.execute("SELECT count(*) FROM dossiers_late_or_open").fetchall() == [(0,)]


def test_refresh_on_an_empty_warehouse():
    con = duckdb.connect()
    ensure_schema(con)
    aggregates.refresh_aggregates(con)
    assert con.execute("SELECT count(*) FROM agg_dossiers_monthly").fetchall() == [(0,)]
    assert con.execute("SELECT horizon, dossiers FROM agg_info").fetchall() == [(None, 0)]
    assert aggregates.usable_until(con) is None


# -- the aggregates against the raw facts, on generated data ---------------------------------------

RAW_PERIOD = """
    SELECT count(*) FILTER (WHERE received_at >= $s)                                       AS received,
           count(*) FILTER (WHERE received_at < $s)                                        AS carried,
           count(*) FILTER (WHERE finished_at < $e)                                        AS returned,
           count(*) FILTER (WHERE finished_at < $e AND outcome = 'late')                   AS late,
           count(*) FILTER (WHERE finished_at < $e AND outcome = 'late' AND apology_issued) AS late_apology,
           count(*) FILTER (WHERE finished_at IS NULL OR finished_at >= $e)                AS pending,
           count(*) FILTER (WHERE (finished_at IS NULL OR finished_at >= $e) AND due_at < $e) AS overdue
    FROM dossiers
    WHERE unit_id IN (SELECT unit_id FROM unit_lineage WHERE list_contains($units, rollup_id))
      AND received_at < $e AND (received_at >= $s OR finished_at IS NULL OR finished_at >= $s)
"""
AGG_PERIOD = """
    SELECT coalesce(sum(received) FILTER (WHERE month < $e), 0),
           coalesce(sum(open_at_start) FILTER (WHERE month = $s), 0),
           coalesce(sum(returned) FILTER (WHERE month < $e), 0),
           coalesce(sum(late) FILTER (WHERE month < $e), 0),
           coalesce(sum(late_apology) FILTER (WHERE month < $e), 0),
           coalesce(sum(open_at_start) FILTER (WHERE month = $e), 0),
           coalesce(sum(overdue_at_start) FILTER (WHERE month = $e), 0)
    FROM agg_dossiers_monthly
    WHERE month >= $s AND month <= $e
      AND unit_id IN (SELECT unit_id FROM unit_lineage WHERE list_contains($units, rollup_id))
"""


@pytest.mark.parametrize("start,end", [("2019-01-01", "2019-02-01"), ("2021-07-01", "2021-10-01"),
                                       ("2024-01-01", "2025-01-01"), ("2025-06-01", "2025-08-01"),
                                       ("2025-12-01", "2026-01-01"), ("2019-01-01", "2026-01-01")])
@pytest.mark.parametrize("units", ["all", "x2025-001", "d03-tai-nguyen-moi-truong"])
def test_aggregates_equal_raw_counts(scale_db, start, end, units):
    con = duckdb.connect(str(scale_db), read_only=True)
    ids = ([r[0] for r in con.execute("SELECT unit_id FROM units").fetchall()] if units == "all" else [units])
    p = {"s": _ts(start), "e": _ts(end), "units": ids}
    raw = con.execute(RAW_PERIOD, p).fetchall()[0]
    agg = con.execute(AGG_PERIOD, p).fetchall()[0]
    assert raw[0] + raw[1] > 0 or units != "all"
    assert tuple(int(x) for x in agg) == tuple(int(x) for x in raw)
    con.close()


# -- metrics/ from the aggregates = metrics/ from the raw facts, on the metrics tests' warehouse ------

def test_metrics_from_aggregates_equal_metrics_from_raw_sql_on_the_hand_fixture(tmp_path):
    """metrics/ answered from the pre-aggregated tables (metrics/sql/agg) gives exactly what its
    SQL over `dossiers` gives, on the edge cases of tests/metrics_fixtures.py (date-only returns
    on the due day, returns at the due minute, carried and never-returned dossiers, lineage,
    scope), for whole-month periods; other periods are not answered from the aggregates."""
    from datetime import date

    from bench import queries as Q
    from metrics.filters import Filters
    from tests.metrics_fixtures import HUU_2025, THAI, build_warehouse

    path = build_warehouse(tmp_path / "w.duckdb")
    con = duckdb.connect(path)
    aggregates.refresh_aggregates(con)
    con.close()
    con = duckdb.connect(path, read_only=True)
    periods = [(date(2022, 1, 1), date(2022, 3, 31)), (date(2021, 10, 1), date(2021, 12, 31)),
               (date(2022, 1, 1), date(2022, 1, 31)), (date(2022, 4, 1), date(2022, 4, 30)),
               (date(2022, 1, 1), date(2022, 12, 31)), (date(2025, 7, 1), date(2025, 7, 31))]
    selections = [dict(), dict(units=(HUU_2025,)), dict(units=(THAI,)), dict(kinds=("department",)),
                  dict(scope=(THAI,))]
    dossier_tables = {"overview", "trend", "late_rates", "bieu06", "late_dossiers"}
    for start, end in periods:
        for sel in selections:
            f = Filters(start, end, **sel)
            for name in Q.INTERACTIONS:
                assert Q.uses_aggregates(name, con, f) == (name in dossier_tables), (name, f)
                assert Q.same_result(Q.run_metrics(name, con, f), Q.run_raw(name, con, f)), (name, f)
    # a period that is not whole months: raw SQL (except the late list, any period)
    odd = Filters(date(2022, 1, 15), date(2022, 2, 14))
    assert [n for n in Q.INTERACTIONS if Q.uses_aggregates(n, con, odd)] == ["late_dossiers"]
    assert Q.same_result(Q.run_metrics("late_dossiers", con, odd), Q.run_raw("late_dossiers", con, odd))
    # a period ending after the aggregates' horizon: raw SQL
    late = Filters(date(2026, 1, 1), date(2026, 12, 31))
    assert not Q.uses_aggregates("overview", con, late)
    con.close()
