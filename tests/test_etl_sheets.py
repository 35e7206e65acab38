"""Evaluation and commitment sheets."""
from __future__ import annotations

import datetime as dt

import pytest

from etl.load import load_files, number_of
from etl.sources.evaluations import classification_of, period_of
from etl_helpers import query, write_csv, write_xlsx

EVAL_HEADER = ["STT", "Đơn vị", "Kỳ đánh giá", "Tiêu chí a: Nội quy, quy chế", "Tiêu chí b: Cải cách hành chính",
               "Tổng điểm", "Xếp loại"]


@pytest.fixture
def db(tmp_path):
    return tmp_path / "warehouse.duckdb"


def test_evaluations(tmp_path, db):
    rows = [
        [1, "Xã Phước Hậu", "Tháng 01/2023", 20, 69.9, 89.9, None],            # row 7: bands -> tot
        [2, "Xã Phước Hậu", "Quý II/2023", 30, 60, 90, None],                   # row 8: bands -> xuat_sac
        [3, "Xã Phước Hậu", "Năm 2023", 10, 39.99, 49.99, None],                # row 9: bands -> khong_hoan_thanh
        [4, "Xã An Hải", "Tháng 01/2023", 10, 70, 80, "Hoàn thành xuất sắc nhiệm vụ"],  # row 10: given, conflict
        [5, "Xã An Hải", "Tháng 02/2023", 10, 60, "70,5", "Hoàn thành tốt nhiệm vụ"],   # row 11: given, agrees
        [6, "Xã An Hải", "Tháng 03/2023", None, None, None, "Hoàn thành nhiệm vụ"],     # row 12: no score
        [7, "Xã An Hải", "Tháng 04/2023", -1, 70, 69, None],                    # row 13: negative criterion
        [8, "Xã An Hải", "Tháng 05/2023", 10, 10, -5, None],                    # row 14: negative score
        [9, "Xã An Hải", "Tháng 13/2023", 10, 10, 20, None],                    # row 15: no such period
    ]
    [r] = load_files([write_xlsx(tmp_path / "danhgia.xlsx", EVAL_HEADER, rows, title=True)], db=db)
    assert r.kind == "evaluations" and r.status == "loaded"
    assert (r.rows_read, r.rows_to_load, r.rows_rejected) == (9, 6, 3)
    assert query(db, "SELECT unit_id, period_type, period_start, score, classification, classification_source, "
                     "band_classification, band_conflict FROM evaluations ORDER BY unit_id, period_start, period_type") == [
        ("xa-an-hai", "month", dt.date(2023, 1, 1), 80.0, "xuat_sac", "given", "tot", True),
        ("xa-an-hai", "month", dt.date(2023, 2, 1), 70.5, "tot", "given", "tot", False),
        ("xa-an-hai", "month", dt.date(2023, 3, 1), None, "hoan_thanh", "given", None, False),
        ("xa-phuoc-hau", "month", dt.date(2023, 1, 1), 89.9, "tot", "bands", "tot", False),
        ("xa-phuoc-hau", "year", dt.date(2023, 1, 1), 49.99, "khong_hoan_thanh", "bands", "khong_hoan_thanh", False),
        ("xa-phuoc-hau", "quarter", dt.date(2023, 4, 1), 90.0, "xuat_sac", "bands", "xuat_sac", False),
    ]
    assert query(db, "SELECT criterion, score FROM evaluation_criteria WHERE unit_id = 'xa-phuoc-hau' "
                     "AND period_type = 'month' ORDER BY 1") == [
        ("Tiêu chí a: Nội quy, quy chế", 20.0), ("Tiêu chí b: Cải cách hành chính", 69.9)]
    assert query(db, "SELECT count(*) FROM evaluation_criteria") == [(10,)]  # 5 scored rows x 2 criteria
    assert [(x.row_number, x.column_name, x.reason) for x in r.rejects] == [
        (13, "Tiêu chí a: Nội quy, quy chế", "Điểm tiêu chí «-1» không phải số không âm"),
        (14, "Tổng điểm", "Điểm -5 nằm ngoài thang 0–100"),
        (15, "Kỳ đánh giá",
         "Kỳ đánh giá «Tháng 13/2023» không đọc được (cần ví dụ: Tháng 01/2023, Quý I/2023, Năm 2023)"),
    ]


def test_evaluation_reload_replaces_criteria(tmp_path, db):
    load_files([write_csv(tmp_path / "a.csv", EVAL_HEADER, [[1, "Xã An Hải", "Tháng 01/2023", 20, 60, 80, None]])],
               db=db)
    load_files([write_csv(tmp_path / "b.csv", EVAL_HEADER, [[1, "Xã An Hải", "Tháng 01/2023", 25, 70, 95, None]])],
               db=db)
    assert query(db, "SELECT score, classification FROM evaluations") == [(95.0, "xuat_sac")]
    assert query(db, "SELECT criterion, score FROM evaluation_criteria ORDER BY 1") == [
        ("Tiêu chí a: Nội quy, quy chế", 25.0), ("Tiêu chí b: Cải cách hành chính", 70.0)]


@pytest.mark.parametrize("text,expected", [
    ("Tháng 01/2023", ("month", dt.date(2023, 1, 1))), ("01/2023", ("month", dt.date(2023, 1, 1))),
    ("T12/2023", ("month", dt.date(2023, 12, 1))), ("Quý II/2023", ("quarter", dt.date(2023, 4, 1))),
    ("Quý IV năm 2023", ("quarter", dt.date(2023, 10, 1))), ("Quý 3/2023", ("quarter", dt.date(2023, 7, 1))),
    ("Năm 2023", ("year", dt.date(2023, 1, 1))), ("2023", ("year", dt.date(2023, 1, 1))),
    (dt.date(2023, 5, 17), ("month", dt.date(2023, 5, 1))), ("Tháng 13/2023", None), ("", None),
])
def test_period_of(text, expected):
    assert period_of(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Hoàn thành xuất sắc nhiệm vụ", "xuat_sac"), ("Hoàn thành tốt nhiệm vụ", "tot"),
    ("Hoàn thành nhiệm vụ", "hoan_thanh"), ("Không hoàn thành nhiệm vụ", "khong_hoan_thanh"),
    ("HTXSNV", "xuat_sac"), ("httnv", "tot"), ("Tốt", "tot"), ("abc", None),
])
def test_classification_of(text, expected):
    assert classification_of(text) == expected


@pytest.mark.parametrize("text,expected", [("92,5", 92.5), ("92.5", 92.5), ("1.234", 1234.0), ("1 234", 1234.0),
                                           (7, 7.0), ("", None), ("abc", None)])
def test_number_of(text, expected):
    assert number_of(text) == expected


# ---------------------------------------------------------------------------------------------
# Commitments

WIDE = ["STT", "Đơn vị", "Năm", "Tổng số CBCCVC", "Ký cam kết văn hóa công sở",
        "Ký cam kết cơ quan không khói thuốc lá", "Đăng ký học tập và làm theo Bác"]
LONG = ["Đơn vị", "Năm", "Tổng số CBCCVC", "Nội dung cam kết", "Số đã ký"]


def test_commitments_wide(tmp_path, db):
    rows = [
        [1, "Xã Phước Hậu", 2023, 20, 20, 19, 18],     # row 7
        [2, "Xã An Hải", 2023, 10, 11, 10, 10],        # row 8: 11 signed of 10
        [3, "Phòng Tư pháp", 2023, 8, 8, None, 8],     # row 9: smoke-free not reported
    ]
    [r] = load_files([write_csv(tmp_path / "camket.csv", WIDE, rows, title=True, totals=True)], db=db)
    assert r.kind == "commitments" and (r.rows_read, r.rows_rejected, r.duplicates) == (3, 1, 0)
    assert [(x.row_number, x.column_name, x.reason) for x in r.rejects] == [
        (8, "Ký cam kết văn hóa công sở", "Số đã ký (11) lớn hơn tổng số CBCCVC (10)")]
    # One row per commitment; coverage = signed / headcount.
    assert query(db, "SELECT unit_id, year, commitment, headcount, signed FROM commitments ORDER BY ALL") == [
        ("p-tu-phap", 2023, "hcm_study", 8, 8), ("p-tu-phap", 2023, "office_culture", 8, 8),
        ("xa-phuoc-hau", 2023, "hcm_study", 20, 18), ("xa-phuoc-hau", 2023, "office_culture", 20, 20),
        ("xa-phuoc-hau", 2023, "smoke_free", 20, 19),
    ]
    assert query(db, "SELECT round(sum(signed) / sum(headcount), 4) FROM commitments "
                     "WHERE unit_id = 'xa-phuoc-hau'") == [(0.95,)]  # 57 / 60


def test_commitments_long_form(tmp_path, db):
    rows = [
        ["Xã Phước Sơn", 2022, 15, "Văn hóa công sở", 15],
        ["Xã Phước Sơn", 2022, 15, "Cơ quan không khói thuốc lá", 14],
        ["Xã Phước Sơn", 2022, 15, "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", 13],
        ["Xã Phước Sơn", 2022, 15, "Cơ quan không khói thuốc lá", 16],   # row 5: more than the headcount
        ["Xã Phước Sơn", 2022, 15, "Phong trào khác", 3],                # row 6: not a known commitment
    ]
    [r] = load_files([write_csv(tmp_path / "camket_dai.csv", LONG, rows, delimiter=";", bom=True)], db=db)
    assert (r.rows_read, r.rows_to_load, r.rows_rejected, r.duplicates) == (5, 3, 2, 0)
    assert query(db, "SELECT commitment, headcount, signed FROM commitments ORDER BY 1") == [
        ("hcm_study", 15, 13), ("office_culture", 15, 15), ("smoke_free", 15, 14)]
    assert [(x.row_number, x.column_name, x.reason) for x in r.rejects] == [
        (5, "Số đã ký", "Số đã ký (16) lớn hơn tổng số CBCCVC (15)"),
        (6, "Nội dung cam kết", "Nội dung cam kết «Phong trào khác» không rõ (cần: văn hóa công sở, "
                                "không khói thuốc lá, học tập và làm theo Bác)"),
    ]


def test_commitments_duplicate_rows(tmp_path, db):
    rows = [[1, "Xã An Hải", 2023, 10, 5, 5, 5], [2, "Xã An Hải", 2023, 10, 9, 8, 7]]
    [r] = load_files([write_csv(tmp_path / "a.csv", WIDE, rows)], db=db)
    assert r.duplicates == 1
    assert query(db, "SELECT commitment, signed FROM commitments ORDER BY 1") == [
        ("hcm_study", 7), ("office_culture", 9), ("smoke_free", 8)]


def test_criteria_headed_like_score_and_period_columns(tmp_path, db):
    header = ["STT", "Đơn vị", "Kỷ luật, kỷ cương", "Điểm tiêu chí (b)", "Kỳ đánh giá", "Tổng điểm", "Xếp loại"]
    [r] = load_files([write_csv(tmp_path / "a.csv", header, [[1, "Xã An Hải", 15, 60, "Tháng 06/2023", 75, None]])],
                     db=db)
    assert r.rows_to_load == 1 and not r.rejects, r.rejects
    assert query(db, "SELECT period_start, score, classification FROM evaluations") == [
        (dt.date(2023, 6, 1), 75.0, "tot")]
    assert query(db, "SELECT criterion, score FROM evaluation_criteria ORDER BY 1") == [
        ("Kỷ luật, kỷ cương", 15.0), ("Điểm tiêu chí (b)", 60.0)]
