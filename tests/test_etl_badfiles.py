"""Files that cannot be loaded at all: a Vietnamese message naming the file, a non-zero exit from
`python -m etl load`, and a warehouse that is byte-for-byte what it was."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.load import load_files
from etl_helpers import DOSSIER_HEADER, dossier_row, run_etl, scalar, snapshot, write_csv, write_xlsx


def _empty(p: Path) -> Path:
    p.write_bytes(b"")
    return p


def _header_only(p: Path) -> Path:
    return write_csv(p, DOSSIER_HEADER, [], title=True)


def _header_only_xlsx(p: Path) -> Path:
    return write_xlsx(p, DOSSIER_HEADER, [], title=True, totals=[None, "Tổng cộng:", 0])


def _binary(p: Path) -> Path:
    p.write_bytes(bytes(range(256)) * 16)
    return p


def _binary_without_nul(p: Path) -> Path:
    # No NUL byte, not UTF-8, and 0x81 / 0x8D are not Windows-1258 either.
    p.write_bytes(bytes(range(1, 256)) * 16)
    return p


def _no_header(p: Path) -> Path:
    return write_csv(p, ["Họ và tên", "Ngày sinh", "Quê quán"], [["Nguyễn Văn A", "01/01/1990", "Ninh Thuận"]])


def _blank_cells_only(p: Path) -> Path:
    return write_csv(p, [None, None, None], [[None, None, None]])


def _truncated_xlsx(p: Path) -> Path:
    full = write_xlsx(p.with_name("full.xlsx"), DOSSIER_HEADER, [dossier_row(f"T-{i}") for i in range(50)])
    data = full.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def _zip_not_xlsx(p: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "xin chào")
    return p


def _xls_97(p: Path) -> Path:
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    return p


EVIDENCE_HEADERS = {  # the sheets of surveys, inspections, year-end ratings and commendations
    "surveys": ["STT", "Đơn vị", "Tháng", "Tổng số phiếu", "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng"],
    "inspections": ["Ngày kiểm tra", "Đơn vị", "Số CBCCVC được kiểm tra", "Đi muộn, về sớm, vắng mặt"],
    "staff_ratings": ["Đơn vị", "Năm", "Tổng số CBCCVC", "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
                      "Hoàn thành nhiệm vụ"],
    "commendations": ["Số quyết định", "Ngày quyết định", "Cấp khen thưởng", "Hình thức khen thưởng",
                      "Tên tập thể, cá nhân", "Đơn vị"],
}


def _evidence_header_only(kind: str, xlsx: bool):
    def make(p: Path) -> Path:
        header = EVIDENCE_HEADERS[kind]
        totals = [None, "Tổng cộng", *[0] * (len(header) - 2)]
        return (write_xlsx if xlsx else write_csv)(p, header, [], title=True, totals=totals)
    return make


BAD_FILES = {
    # name: (file name, writer, a part of the expected message)
    "empty": ("rong.csv", _empty, "rỗng (0 byte)"),
    "header_only_csv": ("chi_tieu_de.csv", _header_only, "có dòng tiêu đề (hồ sơ TTHC) nhưng không có dòng dữ liệu nào"),
    "header_only_xlsx": ("chi_tieu_de.xlsx", _header_only_xlsx,
                         "có dòng tiêu đề (hồ sơ TTHC) nhưng không có dòng dữ liệu nào"),
    "binary": ("rac.csv", _binary, "không phải CSV hay Excel (.xlsx)"),
    "binary_without_nul": ("rac2.csv", _binary_without_nul, "không phải CSV hay Excel (.xlsx)"),
    "no_header": ("danh_sach.csv", _no_header, "không tìm thấy dòng tiêu đề cột nhận ra được"),
    "blank_cells_only": ("trong.csv", _blank_cells_only, "không có dữ liệu (chỉ có ô trống)"),
    "truncated_xlsx": ("cat_do.xlsx", _truncated_xlsx, "bị hỏng hoặc không đầy đủ"),
    "zip_not_xlsx": ("nen.xlsx", _zip_not_xlsx, "không phải bảng tính Excel"),
    "xls_97": ("cu.xls", _xls_97, "Excel 97-2003 (.xls)"),
    "surveys_header_only": ("khaosat.csv", _evidence_header_only("surveys", False),
                            "có dòng tiêu đề (khảo sát sự hài lòng) nhưng không có dòng dữ liệu nào"),
    "inspections_header_only": ("kiemtra.xlsx", _evidence_header_only("inspections", True),
                                "có dòng tiêu đề (kiểm tra đột xuất) nhưng không có dòng dữ liệu nào"),
    "staff_ratings_header_only": ("xeploai.csv", _evidence_header_only("staff_ratings", False),
                                  "có dòng tiêu đề (xếp loại CBCCVC cuối năm) nhưng không có dòng dữ liệu nào"),
    "commendations_header_only": ("khenthuong.xlsx", _evidence_header_only("commendations", True),
                                  "có dòng tiêu đề (khen thưởng) nhưng không có dòng dữ liệu nào"),
}


@pytest.fixture(scope="module")
def template_db(tmp_path_factory):
    d = tmp_path_factory.mktemp("template")
    db = d / "warehouse.duckdb"
    [r] = load_files([write_csv(d / "tot.csv", DOSSIER_HEADER, [dossier_row("G-1"), dossier_row("G-2")])], db=db)
    assert r.status == "loaded"
    return db


@pytest.fixture
def loaded_db(tmp_path, template_db):
    """A warehouse that already holds one good file (a copy of one built once per module)."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(template_db, db)
    return db


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_report(tmp_path, loaded_db, case):
    name, make, expected = BAD_FILES[case]
    path = make(tmp_path / name)
    before = snapshot(loaded_db)
    [r] = load_files([path], db=loaded_db)
    assert r.status == "failed"
    assert f"«{name}»" in r.message and expected in r.message, r.message
    assert snapshot(loaded_db) == before
    assert scalar(loaded_db, "SELECT count(*) FROM dossiers") == 2


@pytest.mark.parametrize("case", ["empty", "header_only_csv", "binary", "no_header", "truncated_xlsx",
                                  "surveys_header_only", "commendations_header_only"])
def test_bad_file_cli_exits_non_zero_and_leaves_the_warehouse(tmp_path, loaded_db, case):
    name, make, expected = BAD_FILES[case]
    path = make(tmp_path / name)
    before = snapshot(loaded_db)
    res = run_etl("load", str(path), "--db", str(loaded_db))
    assert res.returncode != 0
    assert "Traceback" not in res.stderr, res.stderr
    assert f"✗ Tệp «{name}»" in res.stdout and expected in res.stdout, res.stdout
    assert "1 tệp không nạp được; kho dữ liệu không thay đổi" in res.stderr
    assert snapshot(loaded_db) == before


def test_bad_file_creates_no_warehouse(tmp_path):
    db = tmp_path / "moi.duckdb"
    [r] = load_files([_binary(tmp_path / "rac.csv")], db=db)
    assert r.status == "failed"
    assert not db.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".moi.duckdb")] == []


def test_missing_file(tmp_path, loaded_db):
    before = snapshot(loaded_db)
    [r] = load_files([tmp_path / "khong_co.csv"], db=loaded_db)
    assert r.status == "failed" and "Không tìm thấy tệp" in r.message and "khong_co.csv" in r.message
    assert snapshot(loaded_db) == before


def test_a_bad_file_next_to_a_good_one(tmp_path, loaded_db):
    """The good file loads, the bad one is reported; the exit code says something failed."""
    good = write_csv(tmp_path / "tot2.csv", DOSSIER_HEADER, [dossier_row("G-3")])
    bad = _empty(tmp_path / "rong.csv")
    res = run_etl("load", str(bad), str(good), "--db", str(loaded_db))
    assert res.returncode != 0
    assert "✗ Tệp «rong.csv» rỗng" in res.stdout
    assert "✓ Tệp «tot2.csv» (hồ sơ TTHC): đọc 1 dòng, đã nạp 1, loại 0 dòng lỗi." in res.stdout
    assert scalar(loaded_db, "SELECT count(*) FROM dossiers") == 3
