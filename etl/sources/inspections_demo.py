"""Demo surprise inspections (kiểm tra đột xuất) of working hours and conduct: 2–4 visits a year to
every unit, one record sheet a year kept by the district's inspection team (Phòng Nội vụ).

What the data shows: violations falling as the movement matures — per 100 officials checked about
12 in 2019, about 2 by 2025 (late arrival / early leave / absence the most common, then dress and
badge, office tidiness, conduct), a little more in the three weaker units. Visits fall on working
days; a half year (2019, 2025) has half the visits.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np

from .commitments_demo import new_commune_headcount
from ..demo_common import (issuer_of, ALL_UNITS, HEADCOUNT_2019, HEADCOUNT_RANGE, UNITS, WEAK_UNITS, month_end, save_xlsx, title_block,
                           unit_rng, units_on, working_days, write_csv)

FILE_NAME = re.compile(r"^kiemtra_\d{4}\.(csv|xlsx)$")
STREAM = 7

VIOLATIONS = ("Đi muộn, về sớm, vắng mặt", "Trang phục, thẻ công chức", "Giao tiếp, ứng xử", "Bài trí, vệ sinh công sở")
# Share of officials checked found in breach, by kind, in 2019; it halves about every two years.
RATE_2019 = (0.055, 0.032, 0.012, 0.022)
HALF_LIFE_YEARS = 2.0
# year -> (format, delimiter, BOM); XLSX years have the violations under a merged "Số CBCCVC vi phạm"
FORMATS = {2019: ("xlsx", None, None), 2020: ("csv", ",", True), 2021: ("csv", ";", True),
           2022: ("xlsx", None, None), 2023: ("csv", ",", False), 2024: ("xlsx", None, None)}
DEFAULT_FORMAT = ("csv", ";", True)


def generate_inspections(seed: int, first: tuple[int, int], last: tuple[int, int]) -> list[dict]:
    """One dict per visit in [first, last]: day, unit, officials checked, violations by kind, note."""
    start, end = dt.date(*first, 1), month_end(*last)
    out = []
    for y in range(first[0], last[0] + 1):
        lo, hi = max(start, dt.date(y, 1, 1)), min(end, dt.date(y, 12, 31))
        days = working_days(lo, hi)
        fraction = ((hi - lo).days + 1) / 365.0
        decay = 0.5 ** ((y - 2019) / HALF_LIFE_YEARS)
        for u in ALL_UNITS:
            rng = unit_rng(seed, STREAM, u.unit_id, y)
            visits = int(rng.integers(2, 5))  # 2-4 in a whole year
            visits = max(1, round(visits * fraction)) if fraction < 0.99 else visits
            for day in sorted(rng.choice(len(days), size=visits, replace=False).tolist()):
                d = days[day]
                if u not in units_on(d):
                    continue
                lo_h, hi_h = HEADCOUNT_RANGE[u.kind]
                staff = HEADCOUNT_2019.get(u.unit_id) or new_commune_headcount(u)
                checked = max(1, staff - int(rng.binomial(staff, 0.12)))  # some away on duty
                weak = 1.5 if u.unit_id in WEAK_UNITS else 1.0
                found = [int(rng.binomial(checked, min(0.9, r * decay * weak))) for r in RATE_2019]
                out.append({"day": d, "unit": u, "checked": checked, "found": found, "note": _note(found, rng)})
    out.sort(key=lambda r: (r["day"], r["unit"].unit_id))
    return out


def _note(found: list[int], rng: np.random.Generator) -> str:
    n = sum(found)
    if n == 0:
        return "Chấp hành tốt" if rng.random() < 0.5 else ""
    if n >= 3:
        return "Lập biên bản, đề nghị kiểm điểm"
    return "Nhắc nhở, chấn chỉnh"


def write_demo(out_dir: Path, seed: int, first: tuple[int, int], last: tuple[int, int]) -> list[Path]:
    records = generate_inspections(seed, first, last)
    files = []
    for y in sorted({r["day"].year for r in records}):
        recs = [r for r in records if r["day"].year == y]
        kind, delim, bom = FORMATS.get(y, DEFAULT_FORMAT)
        top = ["STT", "Ngày kiểm tra", "Đơn vị được kiểm tra", "Số CBCCVC được kiểm tra", *VIOLATIONS, "Ghi chú"]
        title = ("BẢNG TỔNG HỢP KẾT QUẢ KIỂM TRA ĐỘT XUẤT VIỆC CHẤP HÀNH THỜI GIAN LÀM VIỆC, "
                 "VĂN HÓA CÔNG SỞ CỦA CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC")
        block = title_block(len(top), title, f"Năm {y}", issuer_of(y))
        rows = []
        for stt, r in enumerate(recs, start=1):
            u = r["unit"]
            name = (u.sheet_spellings or u.spellings)[0] if (stt + y) % 3 else (u.sheet_spellings or u.spellings)[-1]
            day = r["day"] if kind == "xlsx" else r["day"].strftime("%d/%m/%Y")
            rows.append([stt, day, name, r["checked"], *r["found"], r["note"]])
        total = ["", "Cộng", "", sum(r["checked"] for r in recs), *[sum(r["found"][k] for r in recs) for k in range(4)], ""]
        if kind == "csv":
            path = out_dir / f"kiemtra_{y}.csv"
            write_csv(path, block + [top] + rows + [total], delim, bom)
        else:
            path = out_dir / f"kiemtra_{y}.xlsx"
            _write_xlsx(path, block, top, rows, total, y)
        files.append(path)
    return files


def _write_xlsx(path: Path, block: list[list], headings: list[str], rows: list[list], total: list, year: int) -> None:
    """The violations under a merged "Số CBCCVC vi phạm" (a two-row header), days as Excel dates."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"Kiểm tra {year}"
    for r in block:
        ws.append([v if v != "" else None for v in r])
    ws.cell(row=1, column=1).font = Font(bold=True)
    ws.cell(row=4, column=1).font = Font(bold=True)
    top = headings[:4] + ["Số CBCCVC vi phạm", None, None, None] + headings[-1:]
    sub = [None] * 4 + headings[4:8] + [None]
    h = ws.max_row + 1
    ws.append(top)
    ws.append(sub)
    ws.merge_cells(start_row=h, start_column=5, end_row=h, end_column=8)
    for c in (1, 2, 3, 4, 9):
        ws.merge_cells(start_row=h, start_column=c, end_row=h + 1, end_column=c)
    for r in (h, h + 1):
        for c in range(1, 10):
            ws.cell(row=r, column=c).font = Font(bold=True)
            ws.cell(row=r, column=c).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in rows:
        ws.append(r)
        ws.cell(row=ws.max_row, column=2).number_format = "dd/mm/yyyy"
    ws.append([v if v != "" else None for v in total])
    for col, width in zip("ABCDEFGHI", (6, 14, 34, 14, 14, 14, 14, 14, 30)):
        ws.column_dimensions[col].width = width
    save_xlsx(wb, path)
