"""Helpers for the ETL tests: write small export files (CSV / XLSX) from lists of rows, read the
warehouse back, run the command line. No code of ours is mocked: files go through the real loader
into real DuckDB files under tmp_path.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
SAMPLE_XLSX = Path("/work/shared/samples/mau_xuat_mot_cua.xlsx")

# A title block like the one-stop-shop systems print above the table: 5 rows, the last one blank.
TITLE_BLOCK: list[list[object]] = [
    ["UBND HUYỆN NINH PHƯỚC", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    [None, None, None, "Độc lập - Tự do - Hạnh phúc"],
    ["SỔ THEO DÕI HỒ SƠ"],
    ["(Từ ngày 01/05/2023 đến ngày 31/05/2023)"],
    [],
]

DOSSIER_HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Đơn vị", "Hình thức nộp",
                  "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả kết quả", "Phiếu xin lỗi"]


def dossier_row(dossier_id: str | None, unit: str = "Xã Phước Hậu", received: object = "02/05/2023 08:00",
                due: object = "05/05/2023", finished: object = "04/05/2023 10:00", channel: object = "Trực tiếp",
                apology: object = None, procedure: str = "Đăng ký khai sinh", field: str = "Hộ tịch",
                stt: int | None = None) -> list[object]:
    """One row in DOSSIER_HEADER order."""
    return [stt, dossier_id, procedure, field, unit, channel, received, due, finished, apology]


def totals_row(n: int) -> list[object]:
    return [None, "Tổng cộng:", n]


def _all_rows(header_rows: list[list[object]], rows: list[list[object]], title: bool | list[list[object]],
              totals: bool | list[object]) -> list[list[object]]:
    out: list[list[object]] = []
    if title:
        out.extend(TITLE_BLOCK if title is True else title)
    out.extend(header_rows)
    out.extend(rows)
    if totals:
        out.append(totals_row(len(rows)) if totals is True else totals)
    return out


def _as_header_rows(header: list[object] | list[list[object]]) -> list[list[object]]:
    """A header is one row (list of headings) or several rows (list of lists)."""
    if header and isinstance(header[0], list):
        return header  # type: ignore[return-value]
    return [header]  # type: ignore[list-item]


def _csv_cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    return str(v)


def write_csv(path: Path, header: list, rows: list[list[object]], *, title: bool | list = False,
              totals: bool | list = False, delimiter: str = ",", bom: bool = False,
              encoding: str = "utf-8") -> Path:
    """A CSV export. `bom`: UTF-8 with a byte order mark (what Excel writes as "CSV UTF-8")."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for r in _all_rows(_as_header_rows(header), rows, title, totals):
        w.writerow([_csv_cell(v) for v in r])
    data = buf.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    Path(path).write_bytes(data)
    return Path(path)


def write_xlsx(path: Path, header: list, rows: list[list[object]], *, title: bool | list = False,
               totals: bool | list = False, merges: list[str] = (), number_formats: dict[int, str] | None = None,
               ) -> Path:
    """An XLSX export written with openpyxl. datetime / date values become real Excel date cells.
    `merges`: ranges like "G6:I6" (a merged "Thời gian" over three sub-headings).
    `number_formats`: 0-based column -> Excel number format for the data rows."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    all_rows = _all_rows(_as_header_rows(header), rows, title, totals)
    first_data = len(all_rows) - len(rows) - (1 if totals else 0)
    for i, r in enumerate(all_rows, start=1):
        for j, v in enumerate(r, start=1):
            if v is None:
                continue
            cell = ws.cell(row=i, column=j, value=v)
            if isinstance(v, dt.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm:ss" if (v.hour, v.minute, v.second) != (0, 0, 0) else "dd/mm/yyyy"
            elif isinstance(v, dt.date):
                cell.number_format = "dd/mm/yyyy"
            if number_formats and first_data < i <= first_data + len(rows) and (j - 1) in number_formats:
                cell.number_format = number_formats[j - 1]
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return Path(path)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def snapshot(path: Path) -> tuple[str, tuple[int, int] | None]:
    """(sha256, file_version) of the warehouse file: both must stay equal when nothing may change."""
    from etl.warehouse import file_version

    return sha256(path), file_version(Path(path))


def query(db: Path, sql: str, params: list | dict | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def scalar(db: Path, sql: str, params: list | dict | None = None):
    return query(db, sql, params)[0][0]


def run_etl(*args: str, env: dict | None = None, timeout: int = 60) -> subprocess.CompletedProcess:
    """`python -m etl ARGS` with the venv python, from the project root."""
    e = dict(os.environ)
    e.pop("WAREHOUSE_DB", None)
    e.update(env or {})
    return subprocess.run([PYTHON, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=e)


def run_python(code: str, *args: str, timeout: int = 60) -> subprocess.CompletedProcess:
    """`python -c CODE ARGS` with the venv python, from the project root (sys.argv[1:] == args)."""
    return subprocess.run([PYTHON, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


# ---------------------------------------------------------------------------------------------
# Staging without a warehouse: the same validation a load runs (etl.load.stage_file), into TEMP
# tables of an in-memory connection holding the reference tables. Much faster than a load, so the
# many small parametrised cases use it; every behaviour is also covered through load_files.

import pytest  # noqa: E402


@pytest.fixture(scope="module")
def ref_con():
    from etl.load import reference_connection

    con = reference_connection()
    yield con
    con.close()


STG_DOSSIER_COLUMNS = ("dossier_id, unit_id, field, procedure_name, channel, received_at, due_at, "
                       "finished_at, apology_issued")


def stage(con, path: Path):
    """(report, staged dossier rows ordered by id) for one file, nothing written."""
    from etl.load import stage_file

    report = stage_file(con, Path(path))
    rows = con.execute(f"SELECT {STG_DOSSIER_COLUMNS} FROM stg ORDER BY dossier_id").fetchall() \
        if report.kind == "dossiers" else con.execute("SELECT * FROM stg ORDER BY ALL").fetchall()
    return report, rows
