"""metrics.db's fast path on a read-only warehouse file (the unit list and the aggregates'
freshness computed once per file and unit selection, the overview's queries on parallel cursors)
gives exactly what the plain SQL gives, and never answers from a file that has been replaced."""
from __future__ import annotations

import os
import shutil
from datetime import date

import duckdb
import pytest

from bench import queries as Q
from etl import aggregates
from etl.warehouse import Reader
from metrics import db as mdb
from metrics import tables
from metrics.filters import Filters
from tests.metrics_fixtures import HUU_2025, THAI, build_warehouse

OPTIONS = {"unit_history": {"unit_id": THAI}, "top_units": {"n": 2}, "bottom_units": {"n": 2}}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = build_warehouse(tmp_path_factory.mktemp("fast") / "w.duckdb")
    con = duckdb.connect(path)
    aggregates.refresh_aggregates(con)
    con.close()
    return path


def test_read_only_file_takes_the_fast_path_writable_does_not(warehouse, tmp_path):
    con = duckdb.connect(warehouse, read_only=True)
    assert mdb.frozen_key(con) is not None
    with Q.raw_sql():
        assert mdb.frozen_key(con) is None
    con.close()
    writable = duckdb.connect(shutil.copy(warehouse, tmp_path / "copy.duckdb"))
    assert mdb.frozen_key(writable) is None
    writable.close()


def test_file_key_follows_the_database_the_connection_reads(warehouse):
    """frozen_key remembers per connection what each of its databases is, but asks every time
    which one the connection reads: after a `USE` of the writable in-memory catalog there is no
    key (the fast path would be wrong there), and back on the file the file's key again."""
    cur = Reader(warehouse).cursor()
    key = mdb.frozen_key(cur)
    assert key is not None and key[0] == str(warehouse) and key[-1] is True
    cur.execute("USE memory")
    assert mdb.frozen_key(cur) is None
    cur.execute("USE wh")
    assert mdb.frozen_key(cur) == key
    cur.close()


@pytest.mark.parametrize("selection", [dict(), dict(units=(HUU_2025,)), dict(units=(THAI,)),
                                       dict(kinds=("department",)), dict(scope=(THAI,)), dict(scope=()),
                                       dict(map="new"), dict(units=(HUU_2025,), map="new")])
@pytest.mark.parametrize("connection", ["read_only", "reader"])
def test_every_table_equals_the_plain_sql(warehouse, selection, connection):
    """Every table of metrics.tables, for whole-month and other periods, through the unit list
    (list parameters on a plain read-only connection; a table in the in-memory catalog on the
    dashboard's Reader) = through the scoped_units CTE of every query."""
    con = duckdb.connect(warehouse, read_only=True) if connection == "read_only" else Reader(warehouse).cursor()
    assert mdb.frozen_key(con)[-1] == (connection == "reader")
    for start, end in [(date(2022, 1, 1), date(2022, 3, 31)), (date(2021, 10, 1), date(2021, 12, 31)),
                       (date(2022, 1, 15), date(2022, 2, 14)), (date(2025, 7, 1), date(2025, 7, 31))]:
        f = Filters(start, end, **selection)
        for name in tables.TABLES:
            fast = tables.build(name, con, f, **OPTIONS.get(name, {}))
            with Q.raw_sql():
                plain = tables.build(name, con, f, **OPTIONS.get(name, {}))
            assert Q.same_result(fast, plain), (name, f)
    con.close()


def test_a_replaced_file_is_not_answered_from_the_old_one(warehouse, tmp_path):
    """A load swaps a new file in (etl.warehouse.writer: os.replace): the next cursor reads the new
    file, and the unit list and freshness cached for the old one are not used for it."""
    live = tmp_path / "live.duckdb"
    shutil.copy(warehouse, live)
    reader = Reader(live)
    f = Filters(date(2022, 1, 1), date(2022, 3, 31))
    cur = reader.cursor()
    before = tables.build("late_rates", cur, f, by="unit")
    assert mdb.frozen_key(cur) is not None
    cur.close()
    # The new file: Xã Phước Thái renamed, and one more dossier (the old aggregates' counts no
    # longer match, so they must not be used either).
    new = tmp_path / ".live.new"
    shutil.copy(warehouse, new)
    con = duckdb.connect(str(new))
    con.execute("UPDATE units SET name = 'Xã Phước Thái Mới' WHERE unit_id = ?", [THAI])
    con.execute("INSERT INTO dossiers SELECT 'HS-NEW', unit_id, field, procedure_name, channel, received_at, "
                "due_at, finished_at, apology_issued, batch_id, finished_has_time, outcome FROM dossiers "
                "WHERE unit_id = ? LIMIT 1", [THAI])
    con.close()
    os.replace(new, live)
    cur = reader.cursor()
    after = tables.build("late_rates", cur, f, by="unit")
    assert "Xã Phước Thái Mới" in set(after["Đơn vị"]) and "Xã Phước Thái Mới" not in set(before["Đơn vị"])
    assert not mdb.aggregates_answer(cur, "late_rates_by_unit", f)
    with Q.raw_sql():
        assert Q.same_result(after, tables.build("late_rates", cur, f, by="unit"))
    cur.close()


def test_overview_on_parallel_cursors_of_the_dashboard_reader(warehouse):
    """The dashboard's Reader attaches the file as `wh`: the overview's parallel cursors (a period
    not made of whole months: its queries run side by side) must read that catalog, not the
    in-memory default one, and may both make the unit list's table at once; a whole-month period
    is one query from the aggregates. Each on a new Reader, so the table is made by these calls."""
    for f in (Filters(date(2022, 1, 15), date(2022, 3, 14)), Filters(date(2022, 1, 1), date(2022, 3, 31))):
        cur = Reader(warehouse).cursor()
        fast = tables.overview(cur, f)
        with Q.raw_sql():
            plain = tables.overview(cur, f)
        assert Q.same_result(fast, plain)
        # by hand (tests/metrics_fixtures.py): the period has dossiers, so "received" is not 0
        assert fast.iloc[0]["Kỳ này"] > 0
        cur.close()


def test_unit_list_table_is_made_in_each_database_instance(warehouse):
    """Two Readers of the same file are two DuckDB instances with the same file key: the unit
    list's table made in the first does not exist in the second, which makes its own."""
    f = Filters(date(2022, 1, 1), date(2022, 3, 31), units=(THAI,))
    first, second = Reader(warehouse).cursor(), Reader(warehouse).cursor()
    assert mdb.frozen_key(first) == mdb.frozen_key(second)
    a = tables.build("late_rates", first, f, by="unit")
    b = tables.build("late_rates", second, f, by="unit")
    assert Q.same_result(a, b) and list(a["Đơn vị"]) == ["Xã Phước Thái"]
    made = "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'memory' AND table_name LIKE 'scoped_units_%'"
    assert first.execute(made).fetchone()[0] == 1 and second.execute(made).fetchone()[0] == 1
    first.close()
    second.close()
