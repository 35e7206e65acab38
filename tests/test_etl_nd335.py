"""Evaluation sheets under Nghị định 335/2025/NĐ-CP (from 2026): the score in two parts, and the
bands file naming the law each band was set under. Expected values computed by hand."""
from __future__ import annotations

import datetime as dt

from etl.load import load_files
from etl_helpers import query, write_csv, write_xlsx

ND335_HEADER = ["STT", "Đơn vị", "Kỳ đánh giá", "Tiêu chí chung (tối đa 30 điểm)",
                "Kết quả thực hiện nhiệm vụ (tối đa 70 điểm)", "Tổng điểm", "Xếp loại"]
ND90 = "Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP)"
ND335 = "Nghị định 335/2025/NĐ-CP"


def test_parts_give_the_score_and_the_band(tmp_path):
    db = tmp_path / "w.duckdb"
    rows = [
        [1, "Xã Phước Hậu", "Tháng 01/2026", 28, 63, 91, None],         # row 7: 28 + 63 = 91 -> xuất sắc
        [2, "Xã Ninh Phước", "Tháng 01/2026", "25,5", "44", None, None],  # row 8: no total: 69,5 -> hoàn thành
        [3, "Xã Phước Dinh", "Tháng 01/2026", 30, 70, 100, "Hoàn thành tốt nhiệm vụ"],  # row 9: given, conflict
        [4, "Xã Phước Hữu", "Tháng 01/2026", 31, 50, 81, None],         # row 10: general over 30
        [5, "Xã Phước Hữu", "Tháng 02/2026", 20, 71, 91, None],         # row 11: task over 70
        [6, "Xã Phước Hữu", "Tháng 03/2026", 25, 60, 84, None],         # row 12: 25 + 60 = 85 ≠ 84
        [7, "Xã Phước Hữu", "Tháng 04/2026", -1, 60, 59, None],         # row 13: negative part
        [8, "Xã Phước Hữu", "Tháng 05/2026", 25, None, 25, None],       # row 14: one part missing
        [9, "Xã Phước Hữu", "Tháng 06/2026", None, None, 88, None],     # row 15: total only: loads, parts NULL
    ]
    [r] = load_files([write_xlsx(tmp_path / "danhgia_2026.xlsx", ND335_HEADER, rows, title=True)], db=db)
    assert r.kind == "evaluations" and r.status == "loaded"
    assert (r.rows_read, r.rows_to_load, r.rows_rejected) == (9, 4, 5)
    assert query(db, "SELECT unit_id, period_start, general_points, task_points, score, classification, "
                     "classification_source, band_classification, band_conflict FROM evaluations ORDER BY 1, 2") == [
        ("xa-ninh-phuoc", dt.date(2026, 1, 1), 25.5, 44.0, 69.5, "hoan_thanh", "bands", "hoan_thanh", False),
        ("xa-phuoc-dinh-2025", dt.date(2026, 1, 1), 30.0, 70.0, 100.0, "tot", "given", "xuat_sac", True),
        ("xa-phuoc-hau-2025", dt.date(2026, 1, 1), 28.0, 63.0, 91.0, "xuat_sac", "bands", "xuat_sac", False),
        ("xa-phuoc-huu-2025", dt.date(2026, 6, 1), None, None, 88.0, "tot", "bands", "tot", False),
    ]
    # the two parts are not criteria of their own
    assert query(db, "SELECT count(*) FROM evaluation_criteria") == [(0,)]
    assert [(x.row_number, x.column_name, x.reason) for x in r.rejects] == [
        (10, "Tiêu chí chung (tối đa 30 điểm)", "Điểm tiêu chí chung 31 nằm ngoài thang 0–30"),
        (11, "Kết quả thực hiện nhiệm vụ (tối đa 70 điểm)", "Điểm kết quả thực hiện nhiệm vụ 71 nằm ngoài thang 0–70"),
        (12, "Tổng điểm", "Tổng điểm 84 khác tổng hai phần: tiêu chí chung 25 + kết quả thực hiện nhiệm vụ 60 = 85"),
        (13, "Tiêu chí chung (tối đa 30 điểm)", "Điểm tiêu chí chung -1 nằm ngoài thang 0–30"),
        (14, "Kết quả thực hiện nhiệm vụ (tối đa 70 điểm)",
         "Thiếu điểm kết quả thực hiện nhiệm vụ (đã có điểm tiêu chí chung; điểm theo Nghị định 335/2025/NĐ-CP "
         "là tổng hai phần)"),
    ]


def test_headings_without_diacritics_and_no_total_column(tmp_path):
    db = tmp_path / "w.duckdb"
    header = ["STT", "Don vi", "Ky danh gia", "Diem tieu chi chung", "Ket qua thuc hien nhiem vu"]
    [r] = load_files([write_csv(tmp_path / "a.csv", header, [[1, "Phuoc Hau", "Thang 02/2026", 29, "61,5"]])], db=db)
    assert r.kind == "evaluations" and r.rows_rejected == 0, r.rejects
    assert query(db, "SELECT unit_id, general_points, task_points, score, classification FROM evaluations") == [
        ("xa-phuoc-hau-2025", 29.0, 61.5, 90.5, "xuat_sac")]


def test_scores_before_2026_keep_parts_null(tmp_path):
    db = tmp_path / "w.duckdb"
    header = ["STT", "Đơn vị", "Kỳ đánh giá", "Tổng điểm"]
    load_files([write_csv(tmp_path / "a.csv", header, [[1, "Xã Phước Hậu", "Tháng 12/2025", 90]])], db=db)
    assert query(db, "SELECT unit_id, general_points, task_points, score, classification FROM evaluations") == [
        ("xa-phuoc-hau-2025", None, None, 90.0, "xuat_sac")]


def test_bands_name_the_law_in_force(tmp_path):
    db = tmp_path / "w.duckdb"
    header = ["STT", "Đơn vị", "Kỳ đánh giá", "Tổng điểm"]
    load_files([write_csv(tmp_path / "a.csv", header, [[1, "Xã Phước Hậu", "Tháng 12/2025", 90]])], db=db)
    rows = query(db, "SELECT valid_from, valid_to, classification, min_score, legal_basis FROM classification_bands "
                     "ORDER BY valid_from, min_score DESC")
    assert rows == [
        (dt.date(2000, 1, 1), dt.date(2025, 12, 31), "xuat_sac", 90.0, ND90),
        (dt.date(2000, 1, 1), dt.date(2025, 12, 31), "tot", 70.0, ND90),
        (dt.date(2000, 1, 1), dt.date(2025, 12, 31), "hoan_thanh", 50.0, ND90),
        (dt.date(2000, 1, 1), dt.date(2025, 12, 31), "khong_hoan_thanh", 0.0, ND90),
        (dt.date(2026, 1, 1), None, "xuat_sac", 90.0, ND335),
        (dt.date(2026, 1, 1), None, "tot", 70.0, ND335),
        (dt.date(2026, 1, 1), None, "hoan_thanh", 50.0, ND335),
        (dt.date(2026, 1, 1), None, "khong_hoan_thanh", 0.0, ND335),
    ]
    # the law a period's classifications were made under (the query docs/data-contract.md gives)
    law = ("SELECT DISTINCT legal_basis FROM classification_bands WHERE valid_from <= $to "
           "AND coalesce(valid_to, DATE '9999-12-31') >= $from ORDER BY 1")
    assert query(db, law, {"from": dt.date(2025, 12, 1), "to": dt.date(2025, 12, 31)}) == [(ND90,)]
    assert query(db, law, {"from": dt.date(2026, 1, 1), "to": dt.date(2026, 3, 31)}) == [(ND335,)]
    assert query(db, law, {"from": dt.date(2025, 7, 1), "to": dt.date(2026, 6, 30)}) == [(ND335,), (ND90,)]


def test_a_warehouse_built_before_gains_the_column(tmp_path):
    import duckdb

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE classification_bands (valid_from DATE NOT NULL, valid_to DATE, "
                "classification VARCHAR NOT NULL, label VARCHAR NOT NULL, min_score DOUBLE NOT NULL)")
    con.close()
    header = ["STT", "Đơn vị", "Kỳ đánh giá", "Tổng điểm"]
    load_files([write_csv(tmp_path / "a.csv", header, [[1, "Xã Phước Hậu", "Tháng 01/2026", 95]])], db=db)
    assert query(db, "SELECT DISTINCT legal_basis FROM classification_bands WHERE valid_from = DATE '2026-01-01'") == [
        (ND335,)]


def test_one_part_heading_alone_stays_a_criterion(tmp_path):
    """An older sheet with a criterion called "Kết quả thực hiện nhiệm vụ" but no "Tiêu chí chung":
    not the two-part score, its points are kept as a criterion."""
    db = tmp_path / "w.duckdb"
    header = ["STT", "Đơn vị", "Kỳ đánh giá", "Kết quả thực hiện nhiệm vụ", "Tổng điểm"]
    [r] = load_files([write_csv(tmp_path / "a.csv", header, [[1, "Xã An Hải", "Tháng 03/2024", 45, 88]])], db=db)
    assert r.rows_rejected == 0, r.rejects
    assert query(db, "SELECT general_points, task_points, score FROM evaluations") == [(None, None, 88.0)]
    assert query(db, "SELECT criterion, score FROM evaluation_criteria") == [("Kết quả thực hiện nhiệm vụ", 45.0)]
