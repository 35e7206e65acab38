"""A small, realistic set of export files for the browser tests, loaded through the real ETL.

Three months (04/2024-06/2024), four communes and one department, written the way officers'
exports look: a dossier book as CSV with Vietnamese headers and units spelled "UBND xã ...", an
evaluation sheet as .xlsx with a title block above the header, a commitment sheet as CSV.

Every unit has late-returned dossiers in every month, and one overdue unreturned dossier at the
end of 06/2024, so the late-dossier table of any single commune in the default period (the latest
month with data, 06/2024) is never empty.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

MONTHS = [(2024, 4), (2024, 5), (2024, 6)]
LAST_MONTH_KEY = "2024-06"

# (unit as the export spells it, unit_id in data/reference/units.csv, name on screen, dossiers/month)
UNITS = [
    ("UBND xã Phước Hậu", "xa-phuoc-hau", "Xã Phước Hậu", 8),
    ("UBND thị trấn Phước Dân", "tt-phuoc-dan", "Thị trấn Phước Dân", 10),
    ("UBND xã Phước Thái", "xa-phuoc-thai", "Xã Phước Thái", 7),
    ("UBND xã Phước Thuận", "xa-phuoc-thuan", "Xã Phước Thuận", 6),
    ("Phòng Tư pháp", "p-tu-phap", "Phòng Tư pháp", 5),
]
COMMUNES = [u for u in UNITS if u[1] != "p-tu-phap"]

PROCEDURES = [
    ("Hộ tịch", "Đăng ký khai sinh"),
    ("Chứng thực", "Chứng thực bản sao từ bản chính giấy tờ, văn bản"),
    ("Đất đai", "Đăng ký biến động quyền sử dụng đất"),
    ("Bảo trợ xã hội", "Thực hiện trợ cấp xã hội hằng tháng"),
]
# Outcome of dossier k of unit u in month m: PATTERN[(k + u + m) % len(PATTERN)].
PATTERN = ["early", "on_time", "late", "early", "late_apology", "on_time"]

DOSSIER_HEADERS = ["Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Đơn vị tiếp nhận", "Hình thức nộp",
                   "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả kết quả", "Phiếu xin lỗi"]
EVALUATION_HEADERS = ["Đơn vị", "Kỳ đánh giá", "Tổng điểm"]
COMMITMENT_HEADERS = ["Đơn vị", "Năm", "Tổng số CBCCVC", "Ký cam kết văn hóa công sở",
                      "Ký cam kết cơ quan không khói thuốc lá", "Đăng ký học tập và làm theo Bác"]

# Monthly scores per unit_id, April..June (decimal comma as the sheets write it).
SCORES = {
    "xa-phuoc-hau": ["92,5", "90", "88,5"],
    "tt-phuoc-dan": ["78", "81,5", "84"],
    "xa-phuoc-thai": ["69", "72", "75,5"],
    "xa-phuoc-thuan": ["55", "48,5", "62"],
    "p-tu-phap": ["95", "93", "91"],
}
# unit_id -> (headcount, office culture, smoke free, study and follow Uncle Ho), year 2024
COMMITMENTS = {
    "xa-phuoc-hau": (24, 24, 23, 20),
    "tt-phuoc-dan": (31, 29, 31, 25),
    "xa-phuoc-thai": (22, 18, 22, 22),
    "xa-phuoc-thuan": (20, 20, 15, 12),
    "p-tu-phap": (9, 9, 9, 9),
}


def _fmt(ts: dt.datetime | None) -> str:
    return ts.strftime("%d/%m/%Y %H:%M") if ts else ""


def dossier_rows() -> list[list[str]]:
    rows = []
    for u, (spelled, unit_id, _name, per_month) in enumerate(UNITS):
        for m, (year, month) in enumerate(MONTHS):
            for k in range(per_month):
                field, proc = PROCEDURES[(k + u) % len(PROCEDURES)]
                received = dt.datetime(year, month, 2 + 2 * k, 8, 30)
                due = (received + dt.timedelta(days=5)).replace(hour=17, minute=0)
                outcome = PATTERN[(k + u + m) % len(PATTERN)]
                finished = {
                    "early": (received + dt.timedelta(days=2)).replace(hour=10, minute=15),
                    "on_time": due.replace(hour=15, minute=30),
                    "late": (due + dt.timedelta(days=3)).replace(hour=9, minute=0),
                    "late_apology": (due + dt.timedelta(days=2)).replace(hour=14, minute=0),
                }[outcome]
                rows.append([
                    f"H41.{u + 1:02d}-{year % 100:02d}{month:02d}-{k + 1:04d}", proc, field, spelled,
                    "Trực tuyến" if k % 3 == 0 else "Trực tiếp",
                    _fmt(received), _fmt(due), _fmt(finished),
                    "Có" if outcome == "late_apology" else "",
                ])
        # One dossier received in June, due mid-June, still not returned: overdue at 30/06/2024.
        rows.append([f"H41.{u + 1:02d}-2406-9001", "Đăng ký kết hôn", "Hộ tịch", spelled, "Trực tiếp",
                     "10/06/2024 09:00", "14/06/2024 17:00", "", ""])
    return rows


def write_export_files(out: Path) -> list[Path]:
    """Write the dossier book, the evaluation sheet and the commitment sheet into `out`."""
    out.mkdir(parents=True, exist_ok=True)

    dossiers = out / "so_theo_doi_ho_so_T04-T06_2024.csv"
    with open(dossiers, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(DOSSIER_HEADERS)
        w.writerows(dossier_rows())

    evaluations = out / "tong_hop_diem_danh_gia_quy_II_2024.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Điểm đánh giá"
    ws.append(["UBND HUYỆN NINH PHƯỚC"])
    ws.append(["BẢNG TỔNG HỢP ĐIỂM ĐÁNH GIÁ VĂN HÓA CÔNG SỞ QUÝ II/2024"])
    ws.append([])
    ws.append(EVALUATION_HEADERS)
    for spelled, unit_id, _name, _n in UNITS:
        for (year, month), score in zip(MONTHS, SCORES[unit_id]):
            ws.append([spelled, f"Tháng {month:02d}/{year}", score])
    wb.save(evaluations)

    commitments = out / "cam_ket_2024.csv"
    with open(commitments, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(COMMITMENT_HEADERS)
        for spelled, unit_id, _name, _n in UNITS:
            w.writerow([spelled, 2024, *COMMITMENTS[unit_id]])

    return [dossiers, evaluations, commitments]


def build_test_warehouse(work_dir: Path) -> Path:
    """Write the export files under work_dir/exports and load them with the real ETL into
    work_dir/warehouse.duckdb. Fails loudly when the ETL rejects a row: the fixture must be clean."""
    from etl.load import load_files

    db = work_dir / "warehouse.duckdb"
    paths = write_export_files(work_dir / "exports")
    reports = load_files(paths, db=db, user="e2e")
    problems = [f"{r.file_name}: {r.status} {r.message} rejects={r.rejects[:3]}"
                for r in reports if r.status != "loaded" or r.rows_rejected]
    if problems:
        raise RuntimeError("the e2e export files did not load cleanly:\n" + "\n".join(problems))
    return db
