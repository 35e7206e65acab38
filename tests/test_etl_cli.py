"""`python -m etl load` and `python -m etl status`, run as a person runs them."""
from __future__ import annotations

from etl_helpers import SAMPLE_XLSX, run_etl


def test_status_without_a_warehouse(tmp_path):
    db = tmp_path / "chua_co.duckdb"
    res = run_etl("status", "--db", str(db))
    assert res.returncode == 1
    assert f"Chưa có kho dữ liệu tại {db}." in res.stdout
    assert "python -m etl demo" in res.stdout and "python -m etl load" in res.stdout
    assert not db.exists()


def test_status_without_a_warehouse_from_the_environment(tmp_path):
    db = tmp_path / "env.duckdb"
    res = run_etl("status", env={"WAREHOUSE_DB": str(db)})
    assert res.returncode == 1 and f"Chưa có kho dữ liệu tại {db}." in res.stdout


def test_load_then_status(tmp_path):
    db = tmp_path / "kho.duckdb"
    res = run_etl("load", str(SAMPLE_XLSX), "--db", str(db), "--user", "chuyenvien")
    assert res.returncode == 0, res.stderr
    assert "✓ Tệp «mau_xuat_mot_cua.xlsx» (hồ sơ TTHC): đọc 38 dòng, đã nạp 38, loại 0 dòng lỗi." in res.stdout
    assert "Cột nhận ra: Mã hồ sơ ← «Số hồ sơ»;" in res.stdout

    res = run_etl("status", "--db", str(db))
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == f"Kho dữ liệu: {db}"  # not marked as demo data
    assert lines[1].startswith("Phiên bản dữ liệu: 1, nạp lần cuối: ")
    # 38 dossiers received 02/05/2023 - 31/05/2023, 3 without a return date.
    assert lines[2] == "Hồ sơ TTHC: 38 (tiếp nhận 02/05/2023 – 31/05/2023), đang giải quyết 3"
    assert lines[3] == "Đánh giá, xếp loại: 0 kỳ-đơn vị (— – —), 0 xếp loại trái thang điểm"
    assert lines[4] == "Cam kết: 0 dòng (năm — – —)"
    assert lines[5:9] == ["Khảo sát sự hài lòng: 0 dòng (— – —)", "Kiểm tra đột xuất: 0 dòng (— – —)",
                          "Xếp loại CBCCVC cuối năm: 0 dòng (— – —)", "Khen thưởng: 0 dòng (— – —)"]
    assert lines[9] == "Lịch sử nạp: 1 lô, 0 dòng bị loại"

    # Loading the same file again changes nothing and says so.
    res = run_etl("load", str(SAMPLE_XLSX), "--db", str(db))
    assert res.returncode == 0
    assert res.stdout.startswith("= Tệp «mau_xuat_mot_cua.xlsx» đã được nạp trước đó (lô số 1, lúc ")
    assert "Phiên bản dữ liệu: 1," in run_etl("status", "--db", str(db)).stdout
