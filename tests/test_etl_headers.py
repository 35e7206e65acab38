"""Header detection: where the header is, which kind of file it is, which column is what.

Expected values are read off the fixtures by hand (the sample export is listed row by row in the
comments of test_sample_export_*)."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from etl.headers import SYNONYMS, detect_header
from etl.load import load_files
from etl_helpers import (DOSSIER_HEADER, SAMPLE_XLSX, dossier_row, query, ref_con, scalar, stage,  # noqa: F401
                         write_csv, write_xlsx)

D = dt.datetime


@pytest.fixture
def db(tmp_path):
    return tmp_path / "warehouse.duckdb"


# ---------------------------------------------------------------------------------------------
# The sample export: title block (rows 1-6), header on rows 7-8 with a merged "Thời gian" over
# "Tiếp nhận / Hẹn trả / Trả kết quả", 38 dossiers on rows 9-46, "Tổng cộng:" on row 47.

def test_sample_export_loads_38_rows_with_the_right_columns(db):
    [r] = load_files([SAMPLE_XLSX], db=db)
    assert r.status == "loaded", r.message
    assert r.kind == "dossiers"
    assert (r.rows_read, r.rows_to_load, r.rows_rejected, r.duplicates) == (38, 38, 0, 0)
    assert r.mapping == {
        "Mã hồ sơ": "Số hồ sơ", "Tên thủ tục": "Thủ tục hành chính", "Lĩnh vực": "Lĩnh vực",
        "Đơn vị": "Đơn vị", "Hình thức nộp": "Hình thức tiếp nhận", "Ngày tiếp nhận": "Tiếp nhận",
        "Ngày hẹn trả": "Hẹn trả", "Ngày trả kết quả": "Trả kết quả", "Phiếu xin lỗi": "Xin lỗi",
    }
    assert (r.period_from, r.period_to) == (dt.date(2023, 5, 2), dt.date(2023, 5, 31))
    assert scalar(db, "SELECT count(*) FROM dossiers") == 38
    assert scalar(db, "SELECT count(*) FROM load_rejects") == 0


def test_sample_export_values(db):
    load_files([SAMPLE_XLSX], db=db)
    # First data row (Excel row 9).
    assert query(db, "SELECT * EXCLUDE (batch_id) FROM dossiers WHERE dossier_id = 'H43.26-230502-0001'") == [(
        "H43.26-230502-0001", "xa-an-hai", "Hộ tịch", "Đăng ký khai tử", "postal",
        D(2023, 5, 2, 10, 52), D(2023, 5, 3, 23, 59, 59), D(2023, 5, 2, 11, 52), False, True, "early")]
    # Counted by hand on the sheet: 12 "Trực tuyến", 15 "BCCI", 11 "Trực tiếp".
    assert query(db, "SELECT channel, count(*) FROM dossiers GROUP BY ALL ORDER BY ALL") == [
        ("in_person", 11), ("online", 12), ("postal", 15)]
    # Units: An Hải 5, "UBND xã Phước Sơn" 8, Phòng Tư pháp 8, "UBND Xã Phước Hữu" 11, "UBND TT Phước Dân" 6.
    assert query(db, "SELECT unit_id, count(*) FROM dossiers GROUP BY ALL ORDER BY ALL") == [
        ("p-tu-phap", 8), ("tt-phuoc-dan", 6), ("xa-an-hai", 5), ("xa-phuoc-huu", 11), ("xa-phuoc-son", 8)]
    # 3 pending (rows 14, 29, 30); late = returned after the due day: 0008, 0012, 0013, 0019, 0030, 0033;
    # on time = returned on the due day: 0007, 0009, 0010, 0011, 0015, 0031, 0037; the other 22 early.
    assert query(db, "SELECT coalesce(outcome, 'pending'), count(*) FROM dossiers GROUP BY ALL ORDER BY ALL") == [
        ("early", 22), ("late", 6), ("on_time", 7), ("pending", 3)]
    assert [r[0] for r in query(db, "SELECT dossier_id FROM dossiers WHERE outcome = 'late' ORDER BY 1")] == [
        "H43.26-230508-0008", "H43.26-230510-0012", "H43.26-230510-0013", "H43.26-230516-0019",
        "H43.26-230524-0030", "H43.26-230526-0033"]
    # ✓ on 5 rows: every late dossier except 0033.
    assert scalar(db, "SELECT count(*) FROM dossiers WHERE apology_issued") == 5
    assert scalar(db, "SELECT count(*) FROM dossiers WHERE outcome = 'late' AND NOT apology_issued") == 1


def test_two_row_header_in_csv_and_xlsx(tmp_path):
    header = [["STT", "Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Đơn vị", "Hình thức nộp", "Thời gian", None, None,
               "Xin lỗi"],
              [None, None, None, None, None, None, "Tiếp nhận", "Hẹn trả", "Trả kết quả", None]]
    rows = [dossier_row("T-1", stt=1), dossier_row("T-2", finished=None, stt=2)]
    for name, write, kw in (("two.csv", write_csv, {}), ("two.xlsx", write_xlsx, {"merges": ["G6:I6"]})):
        db = tmp_path / f"{name}.duckdb"
        [r] = load_files([write(tmp_path / name, header, rows, title=True, totals=True, **kw)], db=db)
        assert r.status == "loaded" and r.rows_to_load == 2 and r.rows_rejected == 0, (name, r.message, r.rejects)
        assert query(db, "SELECT dossier_id, received_at, due_at, finished_at FROM dossiers ORDER BY 1") == [
            ("T-1", D(2023, 5, 2, 8), D(2023, 5, 5, 23, 59, 59), D(2023, 5, 4, 10)),
            ("T-2", D(2023, 5, 2, 8), D(2023, 5, 5, 23, 59, 59), None)]


# ---------------------------------------------------------------------------------------------
# Every synonym of the issue's list, one at a time, through a real load.

# The one row every synonym file holds, and what it must become.
_ROW = dossier_row("SYN-1", unit="Xã Phước Hậu", received="02/05/2023 08:00", due="05/05/2023",
                   finished="04/05/2023 10:00", channel="Trực tuyến", apology="Có",
                   procedure="Đăng ký khai sinh", field="Hộ tịch")
_EXPECTED = ("SYN-1", "xa-phuoc-hau", "Hộ tịch", "Đăng ký khai sinh", "online", D(2023, 5, 2, 8),
             D(2023, 5, 5, 23, 59, 59), D(2023, 5, 4, 10), True)
_COLUMN_OF = {"dossier_id": 1, "procedure_name": 2, "field": 3, "unit": 4, "channel": 5, "received_at": 6,
              "due_at": 7, "finished_at": 8, "apology": 9}
ISSUE_SYNONYMS = [
    ("dossier_id", "Mã hồ sơ"), ("dossier_id", "Số hồ sơ"), ("dossier_id", "Mã HS"),
    ("procedure_name", "Tên thủ tục"), ("procedure_name", "Tên TTHC"), ("procedure_name", "Thủ tục hành chính"),
    ("field", "Lĩnh vực"),
    ("unit", "Đơn vị tiếp nhận"), ("unit", "Cơ quan tiếp nhận"), ("unit", "Cơ quan giải quyết"), ("unit", "Đơn vị"),
    ("channel", "Hình thức nộp"), ("channel", "Hình thức tiếp nhận"), ("channel", "Kênh tiếp nhận"),
    ("received_at", "Ngày tiếp nhận"), ("received_at", "Ngày nhận"),
    ("due_at", "Ngày hẹn trả"), ("due_at", "Hạn giải quyết"), ("due_at", "Hạn xử lý"),
    ("finished_at", "Ngày trả kết quả"), ("finished_at", "Ngày hoàn thành"), ("finished_at", "Ngày trả"),
    ("apology", "Phiếu xin lỗi"), ("apology", "Xin lỗi"),
]


@pytest.mark.parametrize("canonical,heading", ISSUE_SYNONYMS, ids=[h for _, h in ISSUE_SYNONYMS])
def test_dossier_synonym(tmp_path, ref_con, canonical, heading):
    header = list(DOSSIER_HEADER)
    header[_COLUMN_OF[canonical]] = heading
    r, rows = stage(ref_con, write_csv(tmp_path / "syn.csv", header, [_ROW]))
    assert r.kind == "dossiers"
    assert r.rows_to_load == 1 and not r.rejects
    assert rows == [_EXPECTED]


def test_issue_synonyms_are_in_the_synonym_table():
    for canonical, heading in ISSUE_SYNONYMS:
        from etl.headers import match_heading
        assert match_heading(heading, "dossiers") == canonical, heading
    assert set(c for c, _ in ISSUE_SYNONYMS) == set(SYNONYMS["dossiers"])


def _no_diacritics(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))


HEADING_VARIANTS = {
    "upper": str.upper,
    "no_diacritics": _no_diacritics,
    "line_break": lambda h: h.replace(" ", "\n", 1),
    "double_spaces": lambda h: h.replace(" ", "  "),
    "all_at_once": lambda h: "  " + _no_diacritics(h).upper().replace(" ", " \n ", 1) + " ",
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("variant", list(HEADING_VARIANTS))
def test_heading_spelling_variants(tmp_path, ref_con, fmt, variant):
    header = [HEADING_VARIANTS[variant](h) for h in DOSSIER_HEADER]
    path = tmp_path / f"variant.{fmt}"
    (write_csv if fmt == "csv" else write_xlsx)(path, header, [_ROW], title=True, totals=True)
    if variant != "all_at_once":
        r, rows = stage(ref_con, path)
    else:  # once per format through a whole load
        db = tmp_path / "w.duckdb"
        [r] = load_files([path], db=db)
        assert r.status == "loaded", r.message
        rows = query(db, "SELECT dossier_id, unit_id, field, procedure_name, channel, received_at, due_at, "
                         "finished_at, apology_issued FROM dossiers")
    assert r.kind == "dossiers" and len(r.mapping) == 9
    assert rows == [_EXPECTED]


# ---------------------------------------------------------------------------------------------
# The kind of file, from its headings alone.

EVAL_HEADER = ["STT", "Đơn vị", "Kỳ đánh giá", "Tiêu chí a: Nội quy, quy chế", "Tiêu chí b: Cải cách hành chính",
               "Tổng điểm", "Xếp loại", "Ghi chú"]
COMMIT_WIDE_HEADER = ["STT", "Đơn vị", "Năm", "Tổng số CBCCVC", "Ký cam kết văn hóa công sở",
                      "Ký cam kết cơ quan không khói thuốc lá", "Đăng ký học tập và làm theo Bác"]
COMMIT_LONG_HEADER = ["STT", "Đơn vị", "Năm", "Tổng số CBCCVC", "Nội dung cam kết", "Số đã ký"]


def test_kind_evaluations():
    hm = detect_header([["BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM"], [], EVAL_HEADER, [1, "Xã An Hải", "Tháng 01/2023"]])
    assert hm.kind == "evaluations"
    assert (hm.header_row, hm.header_rows, hm.data_start) == (2, 1, 3)
    assert hm.columns == {"unit": 1, "period": 2, "score": 5, "classification": 6}
    # The criteria columns are kept as extra headings (they go to evaluation_criteria); STT and Ghi chú are not.
    assert hm.extra == {3: "Tiêu chí a: Nội quy, quy chế", 4: "Tiêu chí b: Cải cách hành chính"}


def test_kind_commitments_wide():
    hm = detect_header([["TỔNG HỢP KÝ CAM KẾT NĂM 2023"], COMMIT_WIDE_HEADER])
    assert hm.kind == "commitments"
    assert hm.columns == {"unit": 1, "year": 2, "headcount": 3, "office_culture": 4, "smoke_free": 5, "hcm_study": 6}


def test_kind_commitments_long():
    hm = detect_header([COMMIT_LONG_HEADER])
    assert hm.kind == "commitments"
    assert hm.columns == {"unit": 1, "year": 2, "headcount": 3, "commitment": 4, "signed": 5}


def test_kind_dossiers_and_no_header():
    assert detect_header([DOSSIER_HEADER]).kind == "dossiers"
    assert detect_header([["Họ và tên", "Ngày sinh", "Địa chỉ"], ["A", "01/01/1990", "B"]]) is None
    # A dossier header without its required columns (no due date) is not a dossier header.
    assert detect_header([["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"]]) is None


def test_kind_loaded_for_all_three(tmp_path):
    db = tmp_path / "w.duckdb"
    ev = write_xlsx(tmp_path / "ev.xlsx", EVAL_HEADER, [[1, "Xã An Hải", "Tháng 01/2023", 20, 60, 80, None, None]],
                    title=True)
    cw = write_csv(tmp_path / "cw.csv", COMMIT_WIDE_HEADER, [[1, "Xã An Hải", 2023, 10, 10, 9, 8]], title=True)
    cl = write_csv(tmp_path / "cl.csv", COMMIT_LONG_HEADER, [[1, "Xã An Hải", 2022, 10, "Văn hóa công sở", 7]],
                   delimiter=";", bom=True)
    reports = load_files([ev, cw, cl], db=db)
    assert [(r.kind, r.status, r.rows_to_load) for r in reports] == [
        ("evaluations", "loaded", 1), ("commitments", "loaded", 3), ("commitments", "loaded", 1)]
    assert query(db, "SELECT kind, file_name FROM load_batches ORDER BY batch_id") == [
        ("evaluations", "ev.xlsx"), ("commitments", "cw.csv"), ("commitments", "cl.csv")]


def test_best_matching_heading_wins_over_the_first_matching_one():
    """Criteria headed "Điểm …" or "Kỷ luật …" before "Tổng điểm" / "Kỳ đánh giá" stay criteria."""
    hm = detect_header([["STT", "Đơn vị", "Kỷ luật, kỷ cương", "Điểm tiêu chí b", "Kỳ đánh giá", "Tổng điểm",
                         "Xếp loại"]])
    assert hm.kind == "evaluations"
    assert hm.columns == {"unit": 1, "period": 4, "score": 5, "classification": 6}
    assert hm.extra == {2: "Kỷ luật, kỷ cương", 3: "Điểm tiêu chí b"}
    # Two unit headings: the more specific one is the unit.
    hm = detect_header([["Mã hồ sơ", "Đơn vị", "Đơn vị tiếp nhận", "Ngày tiếp nhận", "Ngày hẹn trả"]])
    assert hm.columns["unit"] == 2
