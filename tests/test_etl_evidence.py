"""The four kinds of evidence sheet of issue 8: satisfaction surveys, surprise inspections, officials'
year-end ratings, commendations. Each through the real loader into a real DuckDB file, in the
shapes exports take (title block, totals row, headings with or without diacritics, `;` CSV with a
BOM, XLSX with a two-row header). Expected values are worked out by hand from the rows written here.
Malformed variants of these sheets are in the corpus (tests/test_bad_files.py, files 33-41).
"""
from __future__ import annotations

import datetime as dt

import pytest

from etl.headers import detect_header
from etl.load import load_files
from etl_helpers import TITLE_BLOCK, query, write_csv, write_xlsx

D = dt.date


@pytest.fixture
def db(tmp_path):
    return tmp_path / "warehouse.duckdb"


def _no_diacritics(header: list) -> list:
    from etl.text import fold
    return [fold(h).capitalize() if isinstance(h, str) else h for h in header]


# ---------------------------------------------------------------------------------------------
# Surveys

SURVEY_HEADER = ["STT", "Đơn vị", "Tháng", "Tổng số phiếu", "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng"]
SURVEY_ROWS = [
    [1, "UBND xã Phước Hậu", "05/2022", 120, 110, 6, 3, 1],
    [2, "Xã An Hải", "Tháng 5/2022", None, 40, 8, 2, 0],      # no total: responses = 40 + 8 + 2 + 0
    [3, "TT Phước Dân", "T6/2022", 30, 20, 5, None, 0],       # parts below the total: allowed; blank = 0
    [4, "Xã Phước Hậu", "05/2022", 60, 55, 5, 0, 0],          # the same unit-month again: this row wins
]
SURVEY_TOTALS = [None, "Tổng cộng", None, 210, 225, 24, 5, 1]
SURVEYS_LOADED = [
    ("tt-phuoc-dan", D(2022, 6, 1), 30, 20, 5, 0, 0),
    ("xa-an-hai", D(2022, 5, 1), 50, 40, 8, 2, 0),
    ("xa-phuoc-hau", D(2022, 5, 1), 60, 55, 5, 0, 0),
]


def _survey_file(tmp_path, shape: str):
    if shape == "csv":
        return write_csv(tmp_path / "khaosat.csv", SURVEY_HEADER, SURVEY_ROWS, title=True, totals=SURVEY_TOTALS)
    if shape == "csv_semicolon_bom_no_diacritics":
        return write_csv(tmp_path / "khaosat.csv", _no_diacritics(SURVEY_HEADER), SURVEY_ROWS, title=True,
                         totals=SURVEY_TOTALS, delimiter=";", bom=True)
    top = ["STT", "Đơn vị", "Tháng", "Tổng số phiếu", "Mức độ hài lòng", None, None, None]
    bottom = [None, None, None, None, "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng"]
    # title block rows 1-5, header rows 6-7: "Mức độ hài lòng" merged over E6:H6
    return write_xlsx(tmp_path / "khaosat.xlsx", [top, bottom], SURVEY_ROWS, title=True, totals=SURVEY_TOTALS,
                      merges=["E6:H6", "A6:A7", "B6:B7", "C6:C7", "D6:D7"])


@pytest.mark.parametrize("shape", ["csv", "csv_semicolon_bom_no_diacritics", "xlsx_two_row_header"])
def test_surveys(tmp_path, db, shape):
    [r] = load_files([_survey_file(tmp_path, shape)], db=db)
    assert (r.status, r.kind) == ("loaded", "surveys"), r.message
    assert (r.rows_read, r.rows_to_load, r.rows_rejected, r.duplicates) == (4, 3, 0, 1)
    assert (r.period_from, r.period_to) == (D(2022, 5, 1), D(2022, 6, 30))
    assert query(db, "SELECT unit_id, month, responses, very_satisfied, satisfied, neutral, dissatisfied "
                     "FROM surveys ORDER BY ALL") == SURVEYS_LOADED
    assert query(db, "SELECT kind, rows_loaded FROM load_batches") == [("surveys", 3)]


def test_surveys_reload_and_update(tmp_path, db):
    f = _survey_file(tmp_path, "csv")
    load_files([f], db=db)
    [again] = load_files([f], db=db)
    assert again.status == "unchanged"
    # A corrected sheet for May: the unit-month is replaced, not duplicated.
    fixed = write_csv(tmp_path / "khaosat_sua.csv", SURVEY_HEADER, [[1, "Xã An Hải", "05/2022", 52, 45, 5, 2, 0]])
    [r] = load_files([fixed], db=db)
    assert r.rows_to_load == 1
    assert query(db, "SELECT unit_id, month, responses, very_satisfied FROM surveys ORDER BY ALL") == [
        ("tt-phuoc-dan", D(2022, 6, 1), 30, 20), ("xa-an-hai", D(2022, 5, 1), 52, 45),
        ("xa-phuoc-hau", D(2022, 5, 1), 60, 55)]


def test_survey_months_as_excel_writes_them(tmp_path, db):
    """A month typed as 05/2022 in Excel becomes the date 01/05/2022; a day of the month also names it."""
    rows = [[1, "Xã Phước Hậu", D(2022, 5, 1), 10, 9, 1, 0, 0],
            [2, "Xã An Hải", "15/06/2022", 10, 8, 2, 0, 0],
            [3, "Xã Phước Sơn", "2022-07", 10, 10, 0, 0, 0]]
    [r] = load_files([write_xlsx(tmp_path / "ks.xlsx", SURVEY_HEADER, rows)], db=db)
    assert (r.rows_to_load, r.rows_rejected) == (3, 0), r.rejects
    assert query(db, "SELECT unit_id, month FROM surveys ORDER BY month") == [
        ("xa-phuoc-hau", D(2022, 5, 1)), ("xa-an-hai", D(2022, 6, 1)), ("xa-phuoc-son", D(2022, 7, 1))]


# ---------------------------------------------------------------------------------------------
# Inspections

INSPECTION_HEADER = ["STT", "Ngày kiểm tra", "Đơn vị được kiểm tra", "Số CBCCVC được kiểm tra",
                     "Đi muộn, về sớm, vắng mặt", "Trang phục, thẻ công chức", "Giao tiếp, ứng xử",
                     "Bài trí, vệ sinh công sở", "Ghi chú"]
INSPECTION_ROWS = [
    [1, D(2022, 3, 15), "Phòng Tư pháp", 5, 1, 0, None, 0, "Nhắc nhở đồng chí đi muộn"],
    [2, "16/03/2022", "UBND xã Phước Hậu", 20, 2, 1, 0, 1, None],
    [3, "16/03/2022", "Xã Phước Hậu", 18, 1, 1, 0, 0, "Kiểm tra lại"],   # the same visit again: this row wins
    [4, "2022-04-05", "Xã An Hải", 15, 0, 0, 0, 0, "  Không   vi phạm "],
]
INSPECTIONS_LOADED = [
    (D(2022, 3, 15), "p-tu-phap", 5, 1, 0, 0, 0, "Nhắc nhở đồng chí đi muộn"),
    (D(2022, 3, 16), "xa-phuoc-hau", 18, 1, 1, 0, 0, "Kiểm tra lại"),
    (D(2022, 4, 5), "xa-an-hai", 15, 0, 0, 0, 0, "Không vi phạm"),
]


def _inspection_file(tmp_path, shape: str):
    if shape == "csv_semicolon_no_diacritics":
        return write_csv(tmp_path / "kiemtra.csv", _no_diacritics(INSPECTION_HEADER), INSPECTION_ROWS, title=True,
                         totals=[None, "Cộng", None, 58, 4, 2, 0, 1], delimiter=";")
    top = ["STT", "Ngày kiểm tra", "Đơn vị được kiểm tra", "Số CBCCVC được kiểm tra", "Số CBCCVC vi phạm",
           None, None, None, "Ghi chú"]
    bottom = [None] * 4 + INSPECTION_HEADER[4:8] + [None]
    return write_xlsx(tmp_path / "kiemtra.xlsx", [top, bottom], INSPECTION_ROWS, title=True, merges=["E6:H6"])


@pytest.mark.parametrize("shape", ["csv_semicolon_no_diacritics", "xlsx_two_row_header"])
def test_inspections(tmp_path, db, shape):
    [r] = load_files([_inspection_file(tmp_path, shape)], db=db)
    assert (r.status, r.kind) == ("loaded", "inspections"), r.message
    assert (r.rows_read, r.rows_to_load, r.rows_rejected, r.duplicates) == (4, 3, 0, 1)
    assert (r.period_from, r.period_to) == (D(2022, 3, 15), D(2022, 4, 5))
    assert query(db, "SELECT inspected_on, unit_id, checked, late_or_absent, dress, conduct, workplace, note "
                     "FROM inspections ORDER BY ALL") == INSPECTIONS_LOADED


# ---------------------------------------------------------------------------------------------
# Staff ratings

RATING_HEADER = ["STT", "Đơn vị", "Năm", "Tổng số CBCCVC", "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
                 "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ", "Tỷ lệ xuất sắc/tốt (%)"]
RATING_ROWS = [
    [1, "Xã Phước Hậu", 2023, 22, 4, 15, 2, 0, "26,7"],     # 21 rated of 22: allowed
    [2, "Phòng Tư pháp", "Năm 2023", 5, 1, 4, 0, None, "25"],
    [3, "Xã Ninh Phước", 2025, 40, 6, 30, 4, 0, "20"],       # a commune from 1/7/2025: valid at the year's end
    [4, "Xã Phước Hậu", 2024, 22, 5, 15, 2, 1, ""],          # 23 rated of 22: rejected
]


@pytest.mark.parametrize("shape", ["xlsx", "csv_no_diacritics"])
def test_staff_ratings(tmp_path, db, shape):
    if shape == "xlsx":
        f = write_xlsx(tmp_path / "xeploai.xlsx", RATING_HEADER, RATING_ROWS, title=True)
    else:
        f = write_csv(tmp_path / "xeploai.csv", _no_diacritics(RATING_HEADER), RATING_ROWS, title=True)
    [r] = load_files([f], db=db)
    assert (r.status, r.kind) == ("loaded", "staff_ratings"), r.message
    assert (r.rows_read, r.rows_to_load, r.rows_rejected) == (4, 3, 1)
    assert [(x.row_number, x.reason) for x in r.rejects] == [
        (10, "Tổng số được xếp loại (23) lớn hơn tổng số CBCCVC (22)")]  # title 1-5, header 6, data 7-10
    assert query(db, "SELECT unit_id, year, headcount, xuat_sac, tot, hoan_thanh, khong_hoan_thanh "
                     "FROM staff_ratings ORDER BY ALL") == [
        ("p-tu-phap", 2023, 5, 1, 4, 0, 0), ("xa-ninh-phuoc", 2025, 40, 6, 30, 4, 0),
        ("xa-phuoc-hau", 2023, 22, 4, 15, 2, 0)]
    assert (r.period_from, r.period_to) == (D(2023, 1, 1), D(2025, 12, 31))


def test_share_columns_beside_the_counts_are_not_taken_for_them():
    hm = detect_header([["STT", "Đơn vị", "Tháng", "Tỷ lệ rất hài lòng (%)", "Số phiếu rất hài lòng", "Số phiếu hài lòng",
                         "Số phiếu bình thường", "Số phiếu không hài lòng", "Tổng số phiếu"]])
    assert hm.kind == "surveys"
    assert [hm.columns[c] for c in ("very_satisfied", "satisfied", "neutral", "dissatisfied", "responses")] == [
        4, 5, 6, 7, 8]
    assert hm.extra == {3: "Tỷ lệ rất hài lòng (%)"}


def test_staff_ratings_and_commitments_both_have_a_headcount_the_other_columns_decide():
    ratings = detect_header([list(TITLE_BLOCK[0]), RATING_HEADER])
    assert ratings.kind == "staff_ratings"
    assert ratings.columns["xuat_sac"] == 4 and "Tỷ lệ xuất sắc/tốt (%)" in ratings.extra.values()
    commitments = detect_header([["STT", "Đơn vị", "Năm", "Tổng số CBCCVC", "Ký cam kết văn hóa công sở",
                                  "Hoàn thành nhiệm vụ"]])
    assert commitments.kind == "commitments"


def test_each_sheet_is_told_from_the_others():
    """The headings of every kind, with their usual neighbours, give that kind and no other."""
    sheets = {
        "surveys": SURVEY_HEADER, "inspections": INSPECTION_HEADER, "staff_ratings": RATING_HEADER,
        "commendations": COMMENDATION_HEADER,
        "evaluations": ["STT", "Đơn vị", "Kỳ đánh giá", "a) Nội quy, quy chế", "Tổng điểm", "Xếp loại"],
        "commitments": ["STT", "Đơn vị", "Năm", "Tổng số CBCCVC", "Ký cam kết văn hóa công sở",
                        "Ký cam kết cơ quan không khói thuốc lá", "Đăng ký học tập và làm theo Bác"],
        "dossiers": ["STT", "Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Đơn vị", "Hình thức nộp", "Ngày tiếp nhận",
                     "Ngày hẹn trả", "Ngày trả kết quả"],
    }
    for kind, header in sheets.items():
        for spelled in (header, _no_diacritics(header)):
            hm = detect_header([["UBND HUYỆN NINH PHƯỚC"], [], spelled, ["1"] * len(header)])
            assert hm is not None and (hm.kind, hm.header_row) == (kind, 2), (kind, spelled)


# ---------------------------------------------------------------------------------------------
# Commendations

COMMENDATION_HEADER = ["STT", "Số quyết định", "Ngày quyết định", "Cấp khen thưởng", "Hình thức khen thưởng",
                       "Tập thể/Cá nhân", "Tên tập thể, cá nhân", "Đơn vị"]
COMMENDATION_ROWS = [
    [1, "125/QĐ-UBND", "20/12/2022", "UBND huyện", "Giấy khen", "Tập thể", "Phòng Tư pháp", "Phòng Tư pháp"],
    [2, "125/QĐ-UBND", "20/12/2022", "UBND huyện", "Giấy khen", "Cá nhân", "Nguyễn Văn An", "Xã Phước Hậu"],
    # no kind, a form both may receive, no unit: the name is a unit, so a collective of that unit
    [3, "126/QĐ-UBND", "05/01/2023", " UBND  tỉnh ", "Bằng khen", None, "Tập thể UBND xã An Hải", None],
    [4, "127/QĐ-UBND", "20/12/2022", "UBND huyện", "Lao động tiên tiến", None, "Trần Thị Bình", "UBND TT Phước Dân"],
    [5, "127/QĐ-UBND", "20/12/2022", "UBND huyện", "Tập thể lao động tiên tiến", None, "Phòng Nội vụ", "Phòng Nội vụ"],
    [6, "128/QĐ-UBND", "20/12/2022", "UBND huyện", "Chiến sĩ thi đua cơ sở", "Tập thể", "Lê Văn Cường", "Xã Phước Hậu"],
    [7, "129/QĐ-UBND", "20/12/2022", "UBND huyện", "Giấy khen", "Hộ gia đình", "Nguyễn Văn Dũng", "Xã Phước Hậu"],
    [8, "125/QĐ-UBND", "20/12/2022", "UBND huyện", "Giấy khen", "Cá nhân", "Nguyễn Văn An", "Xã Phước Hậu"],  # again
]


@pytest.mark.parametrize("shape", ["csv_bom", "xlsx"])
def test_commendations(tmp_path, db, shape):
    if shape == "xlsx":
        f = write_xlsx(tmp_path / "khenthuong.xlsx", COMMENDATION_HEADER, COMMENDATION_ROWS, title=True)
    else:
        f = write_csv(tmp_path / "khenthuong.csv", COMMENDATION_HEADER, COMMENDATION_ROWS, title=True, bom=True)
    [r] = load_files([f], db=db)
    assert (r.status, r.kind) == ("loaded", "commendations"), r.message
    assert (r.rows_read, r.rows_to_load, r.rows_rejected, r.duplicates) == (8, 5, 2, 1)
    assert [(x.row_number, x.column_name, x.reason) for x in r.rejects] == [
        (12, "Tập thể/Cá nhân", "Hình thức «Chiến sĩ thi đua cơ sở» dành cho cá nhân, nhưng dòng ghi «Tập thể»"),
        (13, "Tập thể/Cá nhân", "«Hộ gia đình» không rõ là tập thể hay cá nhân (cần: Tập thể hoặc Cá nhân)"),
    ]
    assert query(db, "SELECT decision_no, decided_on, level, form, recipient_kind, recipient_name, unit_id "
                     "FROM commendations ORDER BY ALL") == [
        ("125/QĐ-UBND", D(2022, 12, 20), "UBND huyện", "Giấy khen", "collective", "Phòng Tư pháp", "p-tu-phap"),
        ("125/QĐ-UBND", D(2022, 12, 20), "UBND huyện", "Giấy khen", "individual", "Nguyễn Văn An", "xa-phuoc-hau"),
        ("126/QĐ-UBND", D(2023, 1, 5), "UBND tỉnh", "Bằng khen", "collective", "Tập thể UBND xã An Hải", "xa-an-hai"),
        ("127/QĐ-UBND", D(2022, 12, 20), "UBND huyện", "Lao động tiên tiến", "individual", "Trần Thị Bình",
         "tt-phuoc-dan"),
        ("127/QĐ-UBND", D(2022, 12, 20), "UBND huyện", "Tập thể lao động tiên tiến", "collective", "Phòng Nội vụ",
         "p-noi-vu"),
    ]
    assert (r.period_from, r.period_to) == (D(2022, 12, 20), D(2023, 1, 5))


def test_commendations_without_a_kind_column(tmp_path, db):
    header = [h for h in COMMENDATION_HEADER if h != "Tập thể/Cá nhân"]
    rows = [[1, "130/QĐ-UBND", "22/12/2023", "UBND huyện", "Giấy khen", "Tổ một cửa UBND xã Phước Hậu", "Xã Phước Hậu"],
            [2, "130/QĐ-UBND", "22/12/2023", "UBND huyện", "Giấy khen", "Phạm Thị Hoa", "Xã Phước Hậu"],
            [3, "131/QĐ-UBND", "22/12/2023", "UBND huyện", "Tập thể lao động tiên tiến", "Phòng Tư pháp", None],
            # "Trương" folds like "Trường" (a school), "Tô" like "Tổ": still people
            [4, "130/QĐ-UBND", "22/12/2023", "UBND huyện", "Giấy khen", "Trương Văn Sỹ", "Xã An Hải"],
            [5, "130/QĐ-UBND", "22/12/2023", "UBND huyện", "Giấy khen", "Tô Thị Hạnh", "Xã An Hải"]]
    [r] = load_files([write_csv(tmp_path / "kt.csv", header, rows)], db=db)
    assert (r.kind, r.rows_to_load, r.rows_rejected) == ("commendations", 5, 0), r.rejects
    assert query(db, "SELECT recipient_name, recipient_kind, unit_id FROM commendations ORDER BY decision_no, 1") == [
        ("Phạm Thị Hoa", "individual", "xa-phuoc-hau"),
        ("Trương Văn Sỹ", "individual", "xa-an-hai"),
        ("Tô Thị Hạnh", "individual", "xa-an-hai"),
        ("Tổ một cửa UBND xã Phước Hậu", "collective", "xa-phuoc-hau"),
        ("Phòng Tư pháp", "collective", "p-tu-phap"),
    ]


def test_a_failed_evidence_load_changes_nothing(tmp_path, db):
    """The four kinds write in the same transaction as the others: an error rolls the file back."""
    load_files([_survey_file(tmp_path, "csv")], db=db)
    before = query(db, "SELECT * FROM surveys ORDER BY ALL")

    def boom(con):
        raise RuntimeError("injected")

    f = write_csv(tmp_path / "ks2.csv", SURVEY_HEADER, [[1, "Xã Phước Sơn", "07/2022", 10, 9, 1, 0, 0]])
    with pytest.raises(RuntimeError):
        load_files([f], db=db, after_insert=boom)
    assert query(db, "SELECT * FROM surveys ORDER BY ALL") == before
    assert query(db, "SELECT count(*) FROM load_batches") == [(1,)]
