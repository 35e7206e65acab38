"""Row validation of dossier files: unit resolution, every reject reason with the row number a
person sees in Excel, and the outcome (early / on time / late) of each returned dossier."""
from __future__ import annotations

import datetime as dt

import pytest

from etl.load import load_files
from etl.text import unit_key
from etl_helpers import DOSSIER_HEADER, dossier_row, query, scalar, write_csv, write_xlsx

D = dt.datetime


# ---------------------------------------------------------------------------------------------
# Units

@pytest.mark.parametrize("spelling,key", [
    ("UBND TT Phước Dân", "phuoc dan"), ("Phuoc Hau", "phuoc hau"), ("XÃ PHƯỚC HẬU", "phuoc hau"),
    ("Ủy ban nhân dân thị trấn Phước Dân", "phuoc dan"), ("  ubnd   xã  Phước Hậu ", "phuoc hau"),
    ("Phòng Tư pháp", "phong tu phap"),
])
def test_unit_key(spelling, key):
    assert unit_key(spelling) == key


def test_units_resolved_through_aliases_and_dates(tmp_path):
    rows = [
        dossier_row("U-1", unit="UBND TT Phước Dân", received="02/05/2023 08:00", due="05/05/2023"),
        dossier_row("U-2", unit="Phuoc Hau", received="02/05/2023 08:00", due="05/05/2023"),
        dossier_row("U-3", unit="XÃ PHƯỚC HẬU", received="02/05/2023 08:00", due="05/05/2023"),
        dossier_row("U-4", unit="phòng tư pháp", received="02/05/2023 08:00", due="05/05/2023"),
        # The same name before and after the 01/07/2025 merger: two different units.
        dossier_row("U-5", unit="Xã Phước Hậu", received="15/08/2025 08:00", due="20/08/2025", finished=None),
        dossier_row("U-6", unit="Xã Phước Hậu", received="15/08/2024 08:00", due="20/08/2024", finished=None),
        # Last day of the old commune, first day of the new one.
        dossier_row("U-7", unit="Xã Phước Sơn", received="30/06/2025 16:00", due="03/07/2025", finished=None),
        dossier_row("U-8", unit="Xã Ninh Phước", received="01/07/2025 08:00", due="03/07/2025", finished=None),
        # Rejected: merged away before the date; never in the registry.
        dossier_row("U-9", unit="Xã Phước Sơn", received="15/08/2025 08:00", due="20/08/2025", finished=None),
        dossier_row("U-10", unit="Xã Hòa Bình", received="02/05/2023 08:00", due="05/05/2023"),
        dossier_row("U-11", unit="UBND thị trấn Phước Dân", received="01/07/2025 07:30", due="03/07/2025",
                    finished=None),
    ]
    db = tmp_path / "w.duckdb"
    [r] = load_files([write_csv(tmp_path / "donvi.csv", DOSSIER_HEADER, rows)], db=db)
    assert query(db, "SELECT dossier_id, unit_id FROM dossiers ORDER BY received_at, dossier_id") == [
        ("U-1", "tt-phuoc-dan"), ("U-2", "xa-phuoc-hau"), ("U-3", "xa-phuoc-hau"), ("U-4", "p-tu-phap"),
        ("U-6", "xa-phuoc-hau"), ("U-7", "xa-phuoc-son"), ("U-8", "xa-ninh-phuoc"), ("U-5", "xa-phuoc-hau-2025"),
    ]
    # Header row 1: U-9 is row 10, U-10 row 11, U-11 row 12.
    assert [(x.row_number, x.column_name, x.reason) for x in r.rejects] == [
        (10, "Đơn vị", "Xã Phước Sơn không còn từ 01/07/2025 (đã sáp nhập vào Xã Phước Hậu): hồ sơ tiếp nhận "
                       "ngày 15/08/2025 ghi đơn vị «Xã Phước Sơn», cần ghi Xã Phước Hậu"),
        (11, "Đơn vị", "Đơn vị «Xã Hòa Bình» không có trong danh mục đơn vị (data/reference/units.csv)"),
        (12, "Đơn vị",
         "Thị trấn Phước Dân không còn từ 01/07/2025 (đã sáp nhập vào Xã Ninh Phước): hồ sơ tiếp nhận ngày "
         "01/07/2025 ghi đơn vị «UBND thị trấn Phước Dân», cần ghi Xã Ninh Phước"),
    ]


def test_lineage_rolls_old_units_up_to_new_ones(tmp_path):
    db = tmp_path / "w.duckdb"
    load_files([write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [dossier_row("L-1", unit="Xã Phước Sơn")])], db=db)
    assert query(db, "SELECT rollup_id FROM unit_lineage WHERE unit_id = 'xa-phuoc-son' ORDER BY 1") == [
        ("xa-phuoc-hau-2025",), ("xa-phuoc-son",)]
    assert query(db, "SELECT unit_id FROM unit_lineage WHERE rollup_id = 'xa-phuoc-hau-2025' ORDER BY 1") == [
        ("xa-phuoc-hau",), ("xa-phuoc-hau-2025",), ("xa-phuoc-son",), ("xa-phuoc-vinh",)]


# ---------------------------------------------------------------------------------------------
# Rejects: one row per reason, in a file with a 5-row title block (header on row 6, data from 7),
# a blank row and a totals row. Row numbers are the ones Excel shows.

REJECT_ROWS = [
    dossier_row("R-OK1", stt=1),                                                            # row 7
    dossier_row(None, stt=2),                                                               # row 8
    dossier_row("R-DATE", received="32/01/2023", stt=3),                                    # row 9
    dossier_row("R-UNIT", unit="Xã Hòa Bình", stt=4),                                       # row 10
    dossier_row("R-DUE", received="02/05/2023 08:00", due="01/05/2023", finished=None, stt=5),  # row 11
    dossier_row("R-RET", received="02/05/2023 08:00", finished="01/05/2023 09:00", stt=6),  # row 12
    dossier_row("R-CHAN", channel="Fax", stt=7),                                            # row 13
    dossier_row("R-APOL", apology="chưa rõ", stt=8),                                        # row 14
    [None] * 10,                                                                            # row 15: blank
    dossier_row("R-OK2", stt=9),                                                            # row 16
    dossier_row("R-FIN", finished="ngày mai", stt=10),                                      # row 17
    dossier_row("R-OK3", stt=11),                                                           # row 18
]                                                                                           # row 19: totals
EXPECTED_REJECTS = [
    (8, "Mã hồ sơ", "Thiếu mã hồ sơ", None),
    (9, "Ngày tiếp nhận",
     "Ngày tiếp nhận «32/01/2023» không phải ngày hợp lệ (cần ngày/tháng/năm, ví dụ 02/05/2023)", "32/01/2023"),
    (10, "Đơn vị", "Đơn vị «Xã Hòa Bình» không có trong danh mục đơn vị (data/reference/units.csv)", "Xã Hòa Bình"),
    (11, "Ngày hẹn trả", "Ngày hẹn trả 01/05/2023 trước ngày tiếp nhận 02/05/2023", "01/05/2023"),
    (12, "Ngày trả kết quả", "Ngày trả kết quả 01/05/2023 trước ngày tiếp nhận 02/05/2023", "01/05/2023 09:00"),
    (13, "Hình thức nộp", "Hình thức nộp «Fax» không rõ (cần: trực tuyến, trực tiếp, bưu chính)", "Fax"),
    (14, "Phiếu xin lỗi", "Phiếu xin lỗi «chưa rõ» không rõ (cần: Có/Không, x, ✓, 1/0 hoặc ngày)", "chưa rõ"),
    (17, "Ngày trả kết quả",
     "Ngày trả kết quả «ngày mai» không phải ngày hợp lệ (cần ngày/tháng/năm, ví dụ 02/05/2023)", "ngày mai"),
]


@pytest.mark.parametrize("fmt", ["csv", "csv-bom-semicolon", "xlsx"])
def test_every_reject_reason_with_its_excel_row(tmp_path, fmt):
    path = tmp_path / ("hoso.xlsx" if fmt == "xlsx" else "hoso.csv")
    if fmt == "xlsx":
        write_xlsx(path, DOSSIER_HEADER, REJECT_ROWS, title=True, totals=True)
    else:
        write_csv(path, DOSSIER_HEADER, REJECT_ROWS, title=True, totals=True,
                  **({"bom": True, "delimiter": ";"} if fmt != "csv" else {}))
    db = tmp_path / "w.duckdb"
    [r] = load_files([path], db=db)
    assert r.status == "loaded"
    assert (r.rows_read, r.rows_to_load, r.rows_rejected) == (11, 3, 8)
    assert [(x.row_number, x.column_name, x.reason, x.raw) for x in r.rejects] == EXPECTED_REJECTS
    # The rest of the file loads; the rejects are kept with the batch.
    assert [x[0] for x in query(db, "SELECT dossier_id FROM dossiers ORDER BY 1")] == ["R-OK1", "R-OK2", "R-OK3"]
    assert query(db, "SELECT row_number, column_name, reason, raw FROM load_rejects ORDER BY row_number") == \
        EXPECTED_REJECTS
    assert query(db, "SELECT file_name, rows_read, rows_loaded, rows_rejected FROM load_batches") == [
        (path.name, 11, 3, 8)]
    assert "loại 8 dòng lỗi" in r.message


def test_a_row_with_two_problems_gets_two_reasons_and_counts_once(tmp_path):
    rows = [dossier_row("OK"), dossier_row("TWO", unit="Xã Hòa Bình", channel="Fax")]
    [r] = load_files([write_csv(tmp_path / "a.csv", DOSSIER_HEADER, rows)], db=tmp_path / "w.duckdb")
    assert r.rows_rejected == 1
    assert [(x.row_number, x.column_name) for x in r.rejects] == [(3, "Hình thức nộp"), (3, "Đơn vị")]


def test_row_numbers_when_the_sheet_starts_with_empty_rows(tmp_path):
    """Row 1 empty, title on row 2, row 3 empty, header row 4: the bad row is row 6, as Excel shows."""
    path = write_xlsx(tmp_path / "a.xlsx", DOSSIER_HEADER, [dossier_row("OK"), dossier_row(None)],
                      title=[[], ["SỔ THEO DÕI HỒ SƠ"], []])
    [r] = load_files([path], db=tmp_path / "w.duckdb")
    assert [(x.row_number, x.reason) for x in r.rejects] == [(6, "Thiếu mã hồ sơ")]


def test_row_numbers_with_a_line_break_inside_a_csv_cell(tmp_path):
    """A quoted line break makes one record of two text lines; Excel shows one row."""
    rows = [dossier_row("OK", procedure="Đăng ký khai sinh\n(có yếu tố nước ngoài)"), dossier_row(None)]
    header = [h.replace(" ", "\n", 1) for h in DOSSIER_HEADER]
    db = tmp_path / "w.duckdb"
    [r] = load_files([write_csv(tmp_path / "a.csv", header, rows, title=True)], db=db)
    assert [(x.row_number, x.reason) for x in r.rejects] == [(8, "Thiếu mã hồ sơ")]
    assert query(db, "SELECT procedure_name FROM dossiers") == [("Đăng ký khai sinh (có yếu tố nước ngoài)",)]


# ---------------------------------------------------------------------------------------------
# Outcomes (DOMAIN.md): early = returned on a calendar day before the due day; on time = on the due
# day, not after the due time; late = after the due date-time. A due date without a time is the
# end of that day; a return date without a time is compared by day.

OUTCOME_CASES = [
    # id, due, finished, expected
    ("O-late-after-hour", "10/05/2023 17:00", "10/05/2023 17:30", "late"),
    ("O-early-day-before", "10/05/2023 17:00", "09/05/2023 16:00", "early"),
    ("O-early-day-before-date-only", "10/05/2023", "09/05/2023", "early"),
    ("O-ontime-date-only-return", "10/05/2023 08:00", "10/05/2023", "on_time"),
    ("O-ontime-due-no-time-1700", "10/05/2023", "10/05/2023 17:00", "on_time"),
    ("O-ontime-exactly-due", "10/05/2023 17:00", "10/05/2023 17:00", "on_time"),
    ("O-ontime-early-hour-due-day", "10/05/2023 17:00", "10/05/2023 07:30", "on_time"),
    ("O-late-next-day-date-only", "10/05/2023", "11/05/2023", "late"),
    ("O-late-next-morning", "10/05/2023", "11/05/2023 00:05", "late"),
    ("O-pending", "10/05/2023", None, None),
]


def test_outcomes(tmp_path):
    rows = [dossier_row(i, received="08/05/2023 08:00", due=due, finished=fin) for i, due, fin, _ in OUTCOME_CASES]
    db = tmp_path / "w.duckdb"
    [r] = load_files([write_csv(tmp_path / "hanxuly.csv", DOSSIER_HEADER, rows)], db=db)
    assert not r.rejects
    assert dict(query(db, "SELECT dossier_id, outcome FROM dossiers")) == {i: exp for i, _, _, exp in OUTCOME_CASES}
    assert scalar(db, "SELECT count(*) FROM dossiers WHERE finished_at IS NULL") == 1
