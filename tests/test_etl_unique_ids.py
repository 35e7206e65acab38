"""dossier_id stays unique without a PRIMARY KEY index (docs/data-contract.md), and a warehouse
written with the index loses it at its next load, its rows kept."""
from __future__ import annotations

import duckdb

from etl.load import load_files
from etl.warehouse import SCHEMA_SQL
from tests.etl_helpers import DOSSIER_HEADER, dossier_row, query, write_csv


def _primary_keys(db) -> int:
    return query(db, "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'dossiers' "
                     "AND constraint_type = 'PRIMARY KEY'")[0][0]


def test_an_old_keyed_warehouse_migrates_and_ids_stay_unique_across_loads(tmp_path):
    db = tmp_path / "w.duckdb"
    # A warehouse as the loads before wrote it: dossier_id the table's PRIMARY KEY, one dossier in it.
    old_ddl = SCHEMA_SQL.read_text(encoding="utf-8").replace("dossier_id        VARCHAR NOT NULL,",
                                                                "dossier_id        VARCHAR PRIMARY KEY,")
    assert old_ddl != SCHEMA_SQL.read_text(encoding="utf-8")
    con = duckdb.connect(str(db))
    con.execute(old_ddl)
    con.execute("INSERT INTO dossiers VALUES ('HS-0', 'xa-phuoc-hau', 'Hộ tịch', 'Đăng ký khai sinh', 'in_person', "
                "TIMESTAMP '2023-05-01 08:00', TIMESTAMP '2023-05-04 23:59:59', NULL, FALSE, 0, NULL, NULL)")
    con.close()
    assert _primary_keys(db) == 1

    # a.csv: HS-0 (now returned), HS-1, HS-2; b.csv: HS-2 again (returned), HS-3.
    a = write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [
        dossier_row("HS-0", received="01/05/2023 08:00", due="04/05/2023", finished="03/05/2023 10:00"),
        dossier_row("HS-1"), dossier_row("HS-2", finished=None)])
    b = write_csv(tmp_path / "b.csv", DOSSIER_HEADER, [
        dossier_row("HS-2", finished="04/05/2023 09:00"), dossier_row("HS-3")])
    assert [r.status for r in load_files([a], db=db)] == ["loaded"]
    assert _primary_keys(db) == 0
    assert [r.status for r in load_files([b], db=db)] == ["loaded"]
    assert query(db, "SELECT dossier_id, count(*) FROM dossiers GROUP BY 1 ORDER BY 1") == [
        ("HS-0", 1), ("HS-1", 1), ("HS-2", 1), ("HS-3", 1)]
    # HS-0 kept and updated by a.csv (batch 1), HS-2 updated by b.csv (batch 2): returned early (due 05/05).
    assert query(db, "SELECT dossier_id, batch_id, strftime(finished_at, '%d/%m/%Y %H:%M'), outcome FROM dossiers "
                     "WHERE dossier_id IN ('HS-0', 'HS-2') ORDER BY 1") == [
        ("HS-0", 1, "03/05/2023 10:00", "early"), ("HS-2", 2, "04/05/2023 09:00", "early")]
    # the same file again changes nothing
    assert [r.status for r in load_files([b], db=db)] == ["unchanged"]
    assert query(db, "SELECT count(*), count(DISTINCT dossier_id) FROM dossiers") == [(4, 4)]
