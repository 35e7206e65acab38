"""A small warehouse across the 2025 merger, for the two maps ("Địa giới", docs/map.md). The real
unit registry (data/reference: units.csv with the successor links, unit_notes.csv) and a handful
of rows, so every expected number in tests/test_map.py is worked out by hand from the rows below.

Period 05/2025-08/2025. Old units end 30/06/2025; the new communes start 01/07/2025.
Dossiers (received -> due (end of day) -> returned (date only) : outcome):
  Xã Phước Vinh   V1 05/05 -> 07/05 -> 06/05 early;  V2 10/06 -> 12/06 -> 15/06 late
  Xã Phước Sơn    S1 02/06 -> 04/06 -> 04/06 on time
  Xã Phước Hậu    H1 20/05 -> 22/05 -> 21/05 early;  H2 30/06 -> 03/07 -> 03/07 on time (across 1/7)
  Phước Hậu 2025  N1 10/07 -> 14/07 -> 16/07 late;   N2 04/08 -> 06/08 -> 05/08 early
  Xã Phước Hữu    U1 12/05 -> 14/05 -> 13/05 early
  Phước Hữu 2025  U2 15/07 -> 17/07 -> 20/07 late
  Phòng Tư pháp   T1 06/05 -> 08/05 -> 09/05 late;   T2 03/06 -> 05/06 -> 05/06 on time
  Xã An Hải       A1 16/06 -> 18/06 -> 17/06 early
  Phước Dinh 2025 D1 11/08 -> 13/08 -> 12/08 early
Monthly scores (classification by the 90/70/50 bands):
  Phước Vinh 05: 80, 06: 90 | Phước Sơn 70, 60 | Phước Hậu (old) 90, 90 | Phước Hậu 2025 07: 85, 08: 75
  Phước Hữu (old) 05: 60, 06: 70 | Phước Thái 80, 90 | Phước Hữu 2025 07: 95, 08: 85
  Phòng Tư pháp 05: 88, 06: 92 | An Hải 05: 50, 06: 70 | Phước Dinh 2025 07: 80, 08: 90
Commitments 2025 (office_culture; the headcount weighs the scores): Phước Vinh 10/10, Phước Sơn
  30 (27 signed), Phước Hậu (old) 20/20, Phước Hữu (old) 15 (12 signed). Phước Thái has none.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from etl import derive, registry
from etl.warehouse import writer

VINH, SON, HAU, HAU_NEW = "xa-phuoc-vinh", "xa-phuoc-son", "xa-phuoc-hau", "xa-phuoc-hau-2025"
HUU, THAI, HUU_NEW = "xa-phuoc-huu", "xa-phuoc-thai", "xa-phuoc-huu-2025"
AN_HAI, DINH_NEW, TU_PHAP = "xa-an-hai", "xa-phuoc-dinh-2025", "p-tu-phap"


def _d(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _dossier(i, unit, received, due, returned):
    """received at 08:00; due at the end of its day; returned as a date only."""
    return (i, unit, "Hộ tịch", "Đăng ký khai sinh", "in_person", _d(f"{received} 08:00"),
            _d(f"{due} 23:59:59"), _d(f"{returned} 00:00") if returned else None, False, 1, False)


DOSSIERS = [
    _dossier("V1", VINH, "2025-05-05", "2025-05-07", "2025-05-06"),
    _dossier("V2", VINH, "2025-06-10", "2025-06-12", "2025-06-15"),
    _dossier("S1", SON, "2025-06-02", "2025-06-04", "2025-06-04"),
    _dossier("H1", HAU, "2025-05-20", "2025-05-22", "2025-05-21"),
    _dossier("H2", HAU, "2025-06-30", "2025-07-03", "2025-07-03"),
    _dossier("N1", HAU_NEW, "2025-07-10", "2025-07-14", "2025-07-16"),
    _dossier("N2", HAU_NEW, "2025-08-04", "2025-08-06", "2025-08-05"),
    _dossier("U1", HUU, "2025-05-12", "2025-05-14", "2025-05-13"),
    _dossier("U2", HUU_NEW, "2025-07-15", "2025-07-17", "2025-07-20"),
    _dossier("T1", TU_PHAP, "2025-05-06", "2025-05-08", "2025-05-09"),
    _dossier("T2", TU_PHAP, "2025-06-03", "2025-06-05", "2025-06-05"),
    _dossier("A1", AN_HAI, "2025-06-16", "2025-06-18", "2025-06-17"),
    _dossier("D1", DINH_NEW, "2025-08-11", "2025-08-13", "2025-08-12"),
]

SCORES = {  # unit -> {month: score}
    VINH: {5: 80, 6: 90}, SON: {5: 70, 6: 60}, HAU: {5: 90, 6: 90}, HAU_NEW: {7: 85, 8: 75},
    HUU: {5: 60, 6: 70}, THAI: {5: 80, 6: 90}, HUU_NEW: {7: 95, 8: 85},
    TU_PHAP: {5: 88, 6: 92}, AN_HAI: {5: 50, 6: 70}, DINH_NEW: {7: 80, 8: 90},
}

COMMITMENTS = [
    (VINH, 2025, "office_culture", 10, 10),
    (SON, 2025, "office_culture", 30, 27),
    (HAU, 2025, "office_culture", 20, 20),
    (HUU, 2025, "office_culture", 15, 12),
]


def _band(score: float) -> str:
    return "xuat_sac" if score >= 90 else "tot" if score >= 70 else "hoan_thanh" if score >= 50 else "khong_hoan_thanh"


def build_warehouse(path: Path) -> Path:
    with writer(path) as con:
        registry.load_reference(con)
        con.execute(
            "INSERT INTO load_batches (batch_id, file_name, sha256, kind, loaded_at, rows_read,"
            " rows_loaded, rows_rejected, status) VALUES (1, 'fixture.csv', 'x', 'dossiers',"
            " TIMESTAMP '2025-09-01 08:00:00', 13, 13, 0, 'ok')"
        )
        con.executemany(
            "INSERT INTO dossiers (dossier_id, unit_id, field, procedure_name, channel, received_at,"
            " due_at, finished_at, apology_issued, batch_id, finished_has_time)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            DOSSIERS,
        )
        rows = [(unit, "month", dt.date(2025, m, 1), float(s), _band(s), 1, "bands", _band(s), False)
                for unit, by_month in SCORES.items() for m, s in by_month.items()]
        con.executemany(
            "INSERT INTO evaluations (unit_id, period_type, period_start, score, classification, batch_id,"
            " classification_source, band_classification, band_conflict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows)
        con.executemany("INSERT INTO commitments VALUES (?, ?, ?, ?, ?, 1)", COMMITMENTS)
        con.execute("INSERT INTO meta VALUES ('is_demo', 'true')")
        derive.refresh_all(con)
    return path
