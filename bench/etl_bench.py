"""ETL throughput: export-shaped CSV and XLSX files through etl.load.load_files.

The files are cut from a scale warehouse's dossiers but spelled for the unit registry a load
uses (data/reference/units.csv: load_files reloads it on every load), in the column layout of a
one-stop-shop export ("Mã hồ sơ", "Cơ quan tiếp nhận", "Ngày tiếp nhận" dd/mm/yyyy HH:MM:SS, …)
with a title line above the header, as real exports have.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import time
from pathlib import Path

import duckdb

from etl.warehouse import CONFIG, REFERENCE_DIR

HEADERS = ["STT", "Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Cơ quan tiếp nhận", "Kênh tiếp nhận",
           "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả kết quả", "Phiếu xin lỗi"]


def _registry_units() -> tuple[list[str], list[str]]:
    """(names valid before 01/07/2025 that handle dossiers, names of the communes from then)."""
    with open(REFERENCE_DIR / "units.csv", encoding="utf-8-sig", newline="") as f:
        units = list(csv.DictReader(f))
    before = [u["name"] for u in units if u["kind"] in ("commune", "department") and u["valid_to"]]
    after = [u["name"] for u in units if u["kind"] == "commune" and not u["valid_to"]]
    return before, after


def _export_query(n: int | None, month: dt.date | None = None) -> tuple[str, dict]:
    """The first n dossiers by reception, or (month given, n None) those received in that month."""
    before, after = _registry_units()
    params = {"before": before, "after": after}
    where = limit = ""
    if month is not None:
        params["m0"], params["m1"] = month, (month + dt.timedelta(days=32)).replace(day=1)
        where = "WHERE received_at >= $m0 AND received_at < $m1"
    if n is not None:
        limit = f"LIMIT {int(n)}"
    sql = f"""
        SELECT row_number() OVER () AS stt,
               dossier_id, procedure_name, field,
               CASE WHEN received_at < TIMESTAMP '2025-07-01'
                    THEN $before[1 + CAST(hash(unit_id) % {len(before)} AS INTEGER)]
                    ELSE $after[1 + CAST(hash(unit_id) % {len(after)} AS INTEGER)] END AS unit,
               CASE channel WHEN 'online' THEN 'Trực tuyến' WHEN 'postal' THEN 'Bưu chính' ELSE 'Trực tiếp' END AS channel,
               strftime(received_at, '%d/%m/%Y %H:%M:%S') AS received,
               strftime(due_at, '%d/%m/%Y %H:%M:%S') AS due,
               CASE WHEN finished_at IS NULL THEN NULL
                    WHEN finished_has_time THEN strftime(finished_at, '%d/%m/%Y %H:%M:%S')
                    ELSE strftime(finished_at, '%d/%m/%Y') END AS finished,
               CASE WHEN apology_issued THEN 'Có' END AS apology
        FROM (SELECT * FROM dossiers {where} ORDER BY received_at {limit})
    """
    return sql, params


def write_csv(source_db: Path, out: Path, n: int) -> int:
    """A CSV export of the first n dossiers of `source_db` (UTF-8 with BOM, comma separated)."""
    con = duckdb.connect(str(source_db), read_only=True, config=CONFIG)
    try:
        sql, params = _export_query(n)
        body = out.with_suffix(".body.csv")
        con.execute(f"COPY ({sql}) TO '{body}' (HEADER false, DELIMITER ',', QUOTE '\"')", params)
        rows = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchall()[0][0]
    finally:
        con.close()
    with open(out, "wb") as f:
        f.write("\ufeffSỔ THEO DÕI HỒ SƠ THỦ TỤC HÀNH CHÍNH\n".encode())
        f.write((",".join(HEADERS) + "\n").encode())
        with open(body, "rb") as b:
            while chunk := b.read(1 << 24):
                f.write(chunk)
    body.unlink()
    return rows


# How the XLSX export is written. Export software writes one of two layouts, both UTF-8:
# "excel": a table of shared strings, cells pointing into it (Excel, LibreOffice, Apache POI's
# XSSF, NPOI, EPPlus, ClosedXML; here XlsxWriter's default); "streaming": each text in its cell
# ("inlineStr"; POI's SXSSF and other streaming writers, and ../shared/samples/mau_xuat_mot_cua.xlsx;
# here XlsxWriter's constant_memory). "openpyxl": openpyxl's inline strings with every letter
# outside ASCII written as a character reference ("Phước" = "Ph&#432;&#7899;c"), which no export
# software writes and calamine takes ~1.5× as long to parse: the benchmark's file until 03/12/2026,
# kept as the worst case.
XLSX_WRITERS = ("excel", "streaming", "openpyxl")


def xlsx_name(n: int, writer: str) -> str:
    return f"hoso_{n}.xlsx" if writer == "openpyxl" else f"hoso_{n}_{writer}.xlsx"


def write_xlsx(source_db: Path, out: Path, n: int | None, writer: str = "excel", month: dt.date | None = None) -> int:
    """An XLSX export (one sheet) of the first n dossiers, or of a month's, in `writer`'s layout
    (XLSX_WRITERS)."""
    con = duckdb.connect(str(source_db), read_only=True, config=CONFIG)
    try:
        sql, params = _export_query(n, month)
        rows = con.execute(sql, params).fetchall()
    finally:
        con.close()
    title = ["SỔ THEO DÕI HỒ SƠ THỦ TỤC HÀNH CHÍNH"]
    if writer == "openpyxl":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Hồ sơ")
        ws.append(title)
        ws.append(HEADERS)
        for r in rows:
            ws.append(list(r))
        wb.save(out)
        return len(rows)
    if writer not in XLSX_WRITERS:
        raise ValueError(f"unknown XLSX writer {writer!r}")
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(out), {"constant_memory": writer == "streaming"})
    ws = wb.add_worksheet("Hồ sơ")
    ws.write_row(0, 0, title)
    ws.write_row(1, 0, HEADERS)
    for i, r in enumerate(rows, 2):
        for j, v in enumerate(r):
            # (write_string, not write: a text starting with "=" stays text.) A blank is no cell.
            if isinstance(v, str):
                ws.write_string(i, j, v)
            elif v is not None:
                ws.write_number(i, j, v)
    wb.close()
    return len(rows)


def write_year_xlsx(source_db: Path, out_dir: Path, year: int, writer: str = "excel") -> list[Path]:
    """A year of monthly XLSX exports (what a province office loads at once), one file a month."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for m in range(1, 13):
        path = out_dir / f"hoso_{year}_{m:02d}_{writer}.xlsx"
        if not path.exists():
            tmp = path.with_suffix(".part.xlsx")
            write_xlsx(source_db, tmp, None, writer, month=dt.date(year, m, 1))
            tmp.replace(path)
        paths.append(path)
    return paths


def _remove_database(db: Path) -> None:
    for p in (db, Path(str(db) + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def time_load(path: Path | list[Path], db: Path) -> dict:
    """Load one file (or several, in one call, as the Dữ liệu page and `etl load` do) into a fresh
    warehouse at `db` with etl.load.load_files; rows/s. Wall and CPU seconds (this process, all its
    threads) and the load average: other work shares the cores."""
    from etl.load import load_files

    paths = path if isinstance(path, list) else [path]
    _remove_database(db)
    t0, c0 = time.perf_counter(), time.process_time()
    reports = load_files(paths, db=db)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    failed = [r for r in reports if r.status != "loaded"]
    if failed:
        raise RuntimeError(f"load of {failed[0].file_name} failed: {failed[0].message}")
    rows = sum(r.rows_read for r in reports)
    name = paths[0].name if len(paths) == 1 else f"{paths[0].name} … {paths[-1].name} ({len(paths)} files)"
    return {"file": name, "files": len(paths), "rows": rows, "loaded": sum(r.rows_to_load for r in reports),
            "rejected": sum(r.rows_rejected for r in reports), "seconds": seconds, "cpu_seconds": cpu,
            "rows_per_s": rows / seconds, "bytes": sum(p.stat().st_size for p in paths), "load_avg": os.getloadavg()[0]}


def time_floor(path: Path, db: Path | None = None) -> dict:
    """The floor under a CSV load: DuckDB's own read_csv of the same file into a table (types
    detected, the title line skipped), nothing checked. In memory when `db` is None; else into a
    table of a new database file at `db`, checkpointed and closed, as a load leaves its rows (the
    floor the target is judged by: a load's job ends with the rows in a file). Wall and CPU seconds."""
    if db is not None:
        _remove_database(db)
    t0, c0 = time.perf_counter(), time.process_time()
    con = duckdb.connect(str(db) if db is not None else ":memory:", config=CONFIG)
    try:
        con.execute("CREATE TABLE floor AS SELECT * FROM read_csv(?, skip = 1, header = true)", [str(path)])
        if db is not None:
            con.execute("CHECKPOINT")
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        rows = con.execute("SELECT count(*) FROM floor").fetchall()[0][0]
    finally:
        con.close()
    if db is not None:
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0   # the close writes too
        _remove_database(db)
    return {"rows": rows, "seconds": seconds, "cpu_seconds": cpu, "load_avg": os.getloadavg()[0]}
