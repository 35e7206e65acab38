"""Biểu 06's levels come from the unit registry (units.level), not from the unit's kind: a
province's Sở is "Cấp tỉnh", a district's phòng "Cấp huyện", a commune and a commune's own
division "Cấp xã". Expected rows are worked out by hand from the registry and dossiers below.

Registry (a province after 01/07/2025, with a district department until 30/06/2025):
  so-tu-phap   Sở Tư pháp                      department  level province
  p-tu-phap    Phòng Tư pháp                   department  level district  (until 30/06/2025)
  xa-a         Xã A                            commune     level commune
  xa-a-vhxh    Phòng Văn hóa - Xã hội xã A     department  level commune   (from 01/07/2025)
Dossiers (received -> due (end of day) -> returned (date only)):
  S1 Sở Tư pháp    Chứng thực online     02/07 -> 04/07 -> 03/07  early
  S2 Sở Tư pháp    Hộ tịch    in person  10/07 -> 12/07 -> 15/07  late
  P1 Phòng Tư pháp Chứng thực in person  20/06 -> 22/06 -> 21/06  early
  X1 Xã A          Hộ tịch    online     05/07 -> 07/07 -> not returned by 31/07: pending, overdue
  V1 Phòng VH-XH   Đất đai    in person  20/07 -> 25/07 -> 24/07  early
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import derive, registry
from etl.registry import RegistryError
from etl.warehouse import REFERENCE_DIR, writer
from metrics import db as mdb
from metrics import tables
from metrics.filters import Filters

HEADER = "unit_id,name,kind,valid_from,valid_to,successor_id,level,aliases\n"
UNITS = HEADER + (
    "so-tu-phap,Sở Tư pháp,department,2000-01-01,,,province,\n"
    "p-tu-phap,Phòng Tư pháp,department,2000-01-01,2025-06-30,,district,\n"
    "xa-a,Xã A,commune,2000-01-01,,,commune,\n"
    "xa-a-vhxh,Phòng Văn hóa - Xã hội xã A,department,2025-07-01,,,commune,\n"
)


def _d(day: str, time: str = "08:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"2025-{day} {time}")


def _dossier(i, unit, field, channel, received, due, returned):
    return (i, unit, field, "Thủ tục", channel, _d(received), _d(due, "23:59:59"),
            _d(returned, "00:00") if returned else None, False, 1, False)


DOSSIERS = [
    _dossier("S1", "so-tu-phap", "Chứng thực", "online", "07-02", "07-04", "07-03"),
    _dossier("S2", "so-tu-phap", "Hộ tịch", "in_person", "07-10", "07-12", "07-15"),
    _dossier("P1", "p-tu-phap", "Chứng thực", "in_person", "06-20", "06-22", "06-21"),
    _dossier("X1", "xa-a", "Hộ tịch", "online", "07-05", "07-07", None),
    _dossier("V1", "xa-a-vhxh", "Đất đai", "in_person", "07-20", "07-25", "07-24"),
]

# 01/06/2025–31/07/2025, columns (3)…(13)
BIEU06 = [
    ["I", "Cấp tỉnh", 2, 1, 1, 0, 2, 1, 0, 1, 0, 0, 0],
    ["1", "Chứng thực", 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0],    # S1
    ["2", "Hộ tịch", 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0],       # S2
    ["II", "Cấp huyện", 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0],
    ["1", "Chứng thực", 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0],    # P1
    ["III", "Cấp xã", 2, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1],
    ["1", "Đất đai", 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0],       # V1
    ["2", "Hộ tịch", 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1],       # X1
    [None, "Tổng cộng", 5, 2, 3, 0, 4, 3, 0, 1, 1, 0, 1],
]
PERIOD = Filters(dt.date(2025, 6, 1), dt.date(2025, 7, 31))


def _reference(tmp: Path, units_csv: str) -> Path:
    ref = tmp / "reference"
    shutil.copytree(REFERENCE_DIR, ref)
    (ref / "units.csv").write_text(units_csv, encoding="utf-8")
    (ref / "unit_notes.csv").unlink(missing_ok=True)
    return ref


def _build(path: Path, units_csv: str = UNITS) -> Path:
    with writer(path) as con:
        registry.load_reference(con, _reference(path.parent, units_csv))
        con.execute("INSERT INTO load_batches (batch_id, file_name, sha256, kind, loaded_at, rows_read,"
                    " rows_loaded, rows_rejected, status) VALUES (1, 'f.csv', 'x', 'dossiers',"
                    " TIMESTAMP '2025-08-01 08:00:00', 5, 5, 0, 'ok')")
        con.executemany(
            "INSERT INTO dossiers (dossier_id, unit_id, field, procedure_name, channel, received_at,"
            " due_at, finished_at, apology_issued, batch_id, finished_has_time)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", DOSSIERS)
        derive.refresh_all(con)
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("levels") / "warehouse.duckdb")


def _rows(df) -> list[list]:
    return [[None if v != v else v for v in r] for r in df.itertuples(index=False)]


@pytest.mark.parametrize("aggregates", [True, False], ids=["pre-aggregated", "raw"])
def test_bieu06_rows_by_the_units_level(warehouse, aggregates, monkeypatch):
    monkeypatch.setattr(mdb, "USE_AGGREGATES", aggregates)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert mdb.aggregates_answer(con, "bieu06", PERIOD) is aggregates
        assert _rows(tables.build("bieu06", con, PERIOD)) == BIEU06
    finally:
        con.close()


def test_report_bieu06_by_unit_by_level(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = _rows(tables.build("bieu06_by_unit", con, PERIOD))
    finally:
        con.close()
    # Each level's subtotal as above; its units numbered within it, in Vietnamese order.
    assert [r[:3] for r in rows] == [
        ["I", "Cấp tỉnh", 2], ["1", "Sở Tư pháp", 2],
        ["II", "Cấp huyện", 1], ["1", "Phòng Tư pháp", 1],
        ["III", "Cấp xã", 2], ["1", "Phòng Văn hóa - Xã hội xã A", 1], ["2", "Xã A", 1],
        [None, "Tổng cộng", 5],
    ]
    assert rows[4] == BIEU06[5]


def test_registry_without_levels_reads_them_from_the_kind(tmp_path):
    """A registry written before the column (or a blank level): communes at commune level, every
    other unit at district level, as Biểu 06 was before."""
    old = "unit_id,name,kind,valid_from,valid_to,successor_id,aliases\n" + "".join(
        ",".join(line.split(",")[:6] + [""]) + "\n" for line in UNITS.splitlines()[1:])
    path = _build(tmp_path / "old.duckdb", old)
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert dict(con.execute("SELECT unit_id, level FROM units").fetchall()) == {
            "so-tu-phap": "district", "p-tu-phap": "district", "xa-a": "commune", "xa-a-vhxh": "district"}
        rows = _rows(tables.build("bieu06", con, PERIOD))
    finally:
        con.close()
    # Cấp huyện: S1, P1 (Chứng thực), V1 (Đất đai), S2 (Hộ tịch); Cấp xã: X1.
    assert [r[:3] for r in rows] == [
        ["I", "Cấp huyện", 4], ["1", "Chứng thực", 2], ["2", "Đất đai", 1], ["3", "Hộ tịch", 1],
        ["II", "Cấp xã", 1], ["1", "Hộ tịch", 1], [None, "Tổng cộng", 5],
    ]


def test_warehouse_built_before_the_level_column(tmp_path):
    """A warehouse from before units.level (its next load adds it) still gives Biểu 06 and the
    unit list, with the levels by kind."""
    path = _build(tmp_path / "w.duckdb")
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE units DROP COLUMN level")
    con.close()
    con = duckdb.connect(str(path), read_only=True)
    try:
        labels = [r[1] for r in _rows(tables.build("bieu06", con, PERIOD)) if r[0] in ("I", "II", "III")]
        assert labels == ["Cấp huyện", "Cấp xã"]
        assert dict(zip(*[tables.unit_options(con)[c] for c in ("unit_id", "level")]))["so-tu-phap"] == "district"
    finally:
        con.close()


@pytest.mark.parametrize("line, value, column", [
    ("so-tu-phap,Sở Tư pháp,department,2000-01-01,,,tinh,", "tinh", "level"),
    ("so-tu-phap,Sở Tư pháp,so,2000-01-01,,,province,", "so", "kind"),
])
def test_bad_level_or_kind_names_file_and_row(tmp_path, line, value, column):
    ref = _reference(tmp_path, HEADER + "xa-a,Xã A,commune,2000-01-01,,,commune,\n" + line + "\n")
    con = duckdb.connect()
    try:
        from etl.warehouse import ensure_schema
        ensure_schema(con)
        with pytest.raises(RegistryError) as e:
            registry.load_reference(con, ref)
        assert str(e.value).startswith(f"units.csv, dòng 3: ")
        assert f"«{value}» không hợp lệ (cột {column} chỉ nhận:" in str(e.value)
        assert con.execute("SELECT count(*) FROM units").fetchone()[0] == 0   # nothing half-written
    finally:
        con.close()
