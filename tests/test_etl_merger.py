"""Loading across the 01/07/2025 reorganisation (issue 13, point 5): the boundary day, one name
meaning two units, and rows under a unit that no longer exists (rejected, naming its successor).
Expected values by hand from data/reference/units.csv."""
from __future__ import annotations

import datetime as dt

import duckdb

from etl.load import load_files
from etl_helpers import DOSSIER_HEADER, dossier_row, query, write_csv, write_xlsx
from metrics.filters import Filters
from metrics.tables import bieu06

EVAL_HEADER = ["STT", "Đơn vị", "Kỳ đánh giá", "Tổng điểm"]
COMMIT_HEADER = ["STT", "Đơn vị", "Năm", "Tổng số CBCCVC", "Ký cam kết văn hóa công sở"]


def test_dossier_received_30_06_returned_03_07_counts_under_the_old_commune(tmp_path):
    db = tmp_path / "w.duckdb"
    # June's book: received on the old commune's last day, pending; July's book: returned 03/07/2025.
    june = dossier_row("B-1", unit="UBND xã Phước Vinh", received="30/06/2025 16:00", due="03/07/2025",
                       finished=None)
    july = dossier_row("B-1", unit="UBND xã Phước Vinh", received="30/06/2025 16:00", due="03/07/2025",
                       finished="03/07/2025 10:00")
    new = dossier_row("B-2", unit="Trung tâm Phục vụ hành chính công xã Phước Hậu", received="01/07/2025 08:00",
                      due="03/07/2025", finished="02/07/2025 09:00")
    r1, r2 = load_files([write_csv(tmp_path / "hoso_2025-06.csv", DOSSIER_HEADER, [june]),
                         write_csv(tmp_path / "hoso_2025-07.csv", DOSSIER_HEADER, [july, new])], db=db)
    assert (r1.rows_rejected, r2.rows_rejected) == (0, 0), (r1.rejects, r2.rejects)
    assert query(db, "SELECT dossier_id, unit_id, finished_at, outcome FROM dossiers ORDER BY 1") == [
        ("B-1", "xa-phuoc-vinh", dt.datetime(2025, 7, 3, 10, 0), "on_time"),
        ("B-2", "xa-phuoc-hau-2025", dt.datetime(2025, 7, 2, 9, 0), "early"),
    ]
    # Biểu 06 for 07/2025, by commune: B-1 is "từ kỳ trước" and "đúng hạn" under Xã Phước Vinh,
    # B-2 received and returned early under the new Xã Phước Hậu; the old Phước Hậu has nothing.
    con = duckdb.connect(str(db), read_only=True)
    try:
        july_vinh = bieu06(con, Filters(dt.date(2025, 7, 1), dt.date(2025, 7, 31), units=("xa-phuoc-vinh",)))
        july_hau = bieu06(con, Filters(dt.date(2025, 7, 1), dt.date(2025, 7, 31), units=("xa-phuoc-hau-2025",)))
        june_vinh = bieu06(con, Filters(dt.date(2025, 6, 1), dt.date(2025, 6, 30), units=("xa-phuoc-vinh",)))
    finally:
        con.close()
    total = lambda df: df.iloc[-1][["(3) Tổng số hồ sơ nhận giải quyết", "(6) Từ kỳ trước",  # noqa: E731
                                    "(7) Tổng số đã giải quyết", "(8) Trước hạn", "(9) Đúng hạn",
                                    "(11) Tổng số đang giải quyết"]].astype(int).tolist()
    assert total(june_vinh) == [1, 0, 0, 0, 0, 1]
    assert total(july_vinh) == [1, 1, 1, 0, 1, 0]
    # the new commune's filter includes its predecessors' history (Phước Vinh's carried-over dossier)
    assert total(july_hau) == [2, 1, 2, 1, 1, 0]


def test_one_name_two_units_resolved_by_date(tmp_path):
    db = tmp_path / "w.duckdb"
    rows = [
        dossier_row("N-1", unit="UBND xã Phước Hậu", received="30/06/2025 15:00", due="02/07/2025", finished=None),
        dossier_row("N-2", unit="UBND xã Phước Hậu", received="01/07/2025 07:30", due="03/07/2025", finished=None),
    ]
    evals = [[1, "UBND xã Phước Hậu", "Tháng 06/2025", 88], [2, "UBND xã Phước Hậu", "Tháng 07/2025", 91],
             [3, "Xã Phước Hậu", "Quý III/2025", 90], [4, "Xã Phước Hậu", "Quý II/2025", 87]]
    # In a 2025 sheet the name alone means the unit of 01/01/2025 (the old one): the new commune is
    # written "(mới)" or "(từ 01/07/2025)"; a new commune whose name is new needs nothing.
    commits = [[1, "UBND xã Phước Hậu", 2025, 22, 22], [2, "Xã Phước Hậu (mới)", 2025, 48, 47],
               [3, "Xã Ninh Phước", 2025, 55, 55], [4, "UBND xã Phước Hậu", 2026, 47, 47]]
    reports = load_files([write_csv(tmp_path / "a.csv", DOSSIER_HEADER, rows),
                          write_csv(tmp_path / "b.csv", EVAL_HEADER, evals),
                          write_xlsx(tmp_path / "c.xlsx", COMMIT_HEADER, commits)], db=db)
    assert [r.rows_rejected for r in reports] == [0, 0, 0], [r.rejects for r in reports]
    assert query(db, "SELECT dossier_id, unit_id FROM dossiers ORDER BY 1") == [
        ("N-1", "xa-phuoc-hau"), ("N-2", "xa-phuoc-hau-2025")]
    assert query(db, "SELECT unit_id, period_type, period_start, score FROM evaluations ORDER BY period_start, 2") == [
        ("xa-phuoc-hau", "quarter", dt.date(2025, 4, 1), 87.0),
        ("xa-phuoc-hau", "month", dt.date(2025, 6, 1), 88.0),
        ("xa-phuoc-hau-2025", "month", dt.date(2025, 7, 1), 91.0),
        ("xa-phuoc-hau-2025", "quarter", dt.date(2025, 7, 1), 90.0),
    ]
    assert query(db, "SELECT unit_id, year, headcount, signed FROM commitments ORDER BY 2, 1") == [
        ("xa-ninh-phuoc", 2025, 55, 55), ("xa-phuoc-hau", 2025, 22, 22), ("xa-phuoc-hau-2025", 2025, 48, 47),
        ("xa-phuoc-hau-2025", 2026, 47, 47)]


def test_rows_under_a_unit_that_no_longer_exists_name_the_successor(tmp_path):
    db = tmp_path / "w.duckdb"
    rows = [
        dossier_row("G-1", unit="UBND xã Phước Vinh", received="02/07/2025 08:00", due="04/07/2025", finished=None),
        dossier_row("G-2", unit="Phòng Tư pháp", received="02/07/2025 08:00", due="04/07/2025", finished=None),
        dossier_row("G-3", unit="Xã Ninh Phước", received="15/06/2025 08:00", due="17/06/2025", finished=None),
        dossier_row("G-4", unit="Thị trấn Phước Dân", received="01/07/2025 07:30", due="03/07/2025", finished=None),
        dossier_row("G-5", unit="Xã Phước Hậu (cũ)", received="10/07/2025 07:30", due="14/07/2025", finished=None),
    ]
    evals = [[1, "Xã Phước Vinh", "Tháng 08/2025", 90], [2, "Phòng Nội vụ", "Quý III/2025", 85]]
    commits = [[1, "Xã An Hải", 2026, 21, 21], [2, "Hội Khuyến học huyện", 2026, 3, 3]]
    r_d, r_e, r_c = load_files([write_csv(tmp_path / "a.csv", DOSSIER_HEADER, rows),
                                write_csv(tmp_path / "b.csv", EVAL_HEADER, evals),
                                write_csv(tmp_path / "c.csv", COMMIT_HEADER, commits)], db=db)
    assert query(db, "SELECT count(*) FROM dossiers") == [(0,)]
    # header on row 1: data from row 2
    assert [(x.row_number, x.column_name, x.reason) for x in r_d.rejects] == [
        (2, "Đơn vị", "Xã Phước Vinh không còn từ 01/07/2025 (đã sáp nhập vào Xã Phước Hậu): hồ sơ tiếp nhận "
                      "ngày 02/07/2025 ghi đơn vị «UBND xã Phước Vinh», cần ghi Xã Phước Hậu"),
        (3, "Đơn vị", "Phòng Tư pháp đã kết thúc hoạt động ngày 30/06/2025 (không có đơn vị kế thừa trong danh "
                      "mục): hồ sơ tiếp nhận ngày 02/07/2025 không thể ghi cho đơn vị «Phòng Tư pháp»"),
        (4, "Đơn vị", "Xã Ninh Phước chỉ có từ ngày 01/07/2025: hồ sơ tiếp nhận ngày 15/06/2025 không thể ghi "
                      "cho đơn vị «Xã Ninh Phước»"),
        (5, "Đơn vị", "Thị trấn Phước Dân không còn từ 01/07/2025 (đã sáp nhập vào Xã Ninh Phước): hồ sơ tiếp "
                      "nhận ngày 01/07/2025 ghi đơn vị «Thị trấn Phước Dân», cần ghi Xã Ninh Phước"),
        # the new commune kept the old one's name: the reason says which one is meant
        (6, "Đơn vị", "Xã Phước Hậu không còn từ 01/07/2025 (đã sáp nhập vào Xã Phước Hậu (từ 01/07/2025)): hồ sơ "
                      "tiếp nhận ngày 10/07/2025 ghi đơn vị «Xã Phước Hậu (cũ)», cần ghi Xã Phước Hậu (từ 01/07/2025)"),
    ]
    assert [(x.row_number, x.reason) for x in r_e.rejects] == [
        (2, "Xã Phước Vinh không còn từ 01/07/2025 (đã sáp nhập vào Xã Phước Hậu): kỳ đánh giá «Tháng 08/2025» "
            "ghi đơn vị «Xã Phước Vinh», cần ghi Xã Phước Hậu"),
        (3, "Phòng Nội vụ đã kết thúc hoạt động ngày 30/06/2025 (không có đơn vị kế thừa trong danh mục): kỳ đánh "
            "giá «Quý III/2025» không thể ghi cho đơn vị «Phòng Nội vụ»"),
    ]
    assert [(x.row_number, x.reason) for x in r_c.rejects] == [
        (2, "Xã An Hải không còn từ 01/07/2025 (đã sáp nhập vào Xã Phước Dinh): số liệu năm 2026 ghi đơn vị "
            "«Xã An Hải», cần ghi Xã Phước Dinh"),
        (3, "Hội Khuyến học huyện đã kết thúc hoạt động ngày 30/06/2025 (không có đơn vị kế thừa trong danh mục): "
            "số liệu năm 2026 không thể ghi cho đơn vị «Hội Khuyến học huyện»"),
    ]


def test_dossier_codes_of_thong_tu_04_2025_load(tmp_path):
    db = tmp_path / "w.duckdb"
    rows = [dossier_row("X56.247.10-260126-010001", unit="Trung tâm Phục vụ hành chính công xã Phước Hậu",
                        received="26/01/2026 08:00", due="28/01/2026", finished="27/01/2026 10:00"),
            dossier_row("H43.26-250630-0001", unit="Xã Phước Sơn", received="30/06/2025 08:00", due="02/07/2025",
                        finished="01/07/2025 10:00")]
    [r] = load_files([write_xlsx(tmp_path / "a.xlsx", DOSSIER_HEADER, rows, title=True, totals=True)], db=db)
    assert r.kind == "dossiers" and r.rows_rejected == 0, r.rejects
    assert query(db, "SELECT dossier_id, unit_id FROM dossiers ORDER BY 1") == [
        ("H43.26-250630-0001", "xa-phuoc-son"), ("X56.247.10-260126-010001", "xa-phuoc-hau-2025")]
