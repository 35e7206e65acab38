"""Demo satisfaction surveys (khảo sát mức độ hài lòng): every commune every month, one summary sheet a
year as the district office compiles them.

What the data shows (seed report: "mức độ rất hài lòng … luôn đạt trên 90 %"): the very-satisfied
share mostly 91–97 %, rising a little over the years; a few unit-months below 90 % — in the COVID-19
wave of Jul–Sep 2021, around Tết, and in the two weaker communes. About a third of the month's
dossiers answer the survey. One year's sheet has no total column (the ETL then sums the levels).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np

from ..demo_common import (issuer_of, WEAK_UNITS, month_list, tet_months, title_block, unit_rng, units_on,
                           write_csv, write_simple_xlsx)

FILE_NAME = re.compile(r"^khaosat_\d{4}\.(csv|xlsx)$")
STREAM = 6

HEADERS = ("STT", "Đơn vị", "Tháng", "Tổng số phiếu", "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng")
# year -> (format, delimiter, BOM, with the total column, month written "Tháng 05/2022" or "05/2022")
FORMATS = {2019: ("csv", ",", True, True, True), 2020: ("xlsx", None, None, False, False),
           2021: ("csv", ";", True, True, True), 2022: ("xlsx", None, None, True, True),
           2023: ("csv", ",", False, True, False), 2024: ("xlsx", None, None, True, True)}
DEFAULT_FORMAT = ("csv", ";", True, True, True)


def generate_surveys(seed: int, first: tuple[int, int], last: tuple[int, int]) -> list[dict]:
    """One dict per commune and month in [first, last]: unit, year, month and the four levels."""
    tet = tet_months()
    out = []
    for y, m in month_list(first, last):
        for u in units_on(dt.date(y, m, 1)):
            if u.kind != "commune":
                continue
            base = unit_rng(seed, STREAM, u.unit_id).normal(0.0, 0.008)  # the commune's own level
            rng = unit_rng(seed, STREAM, u.unit_id, y, m)
            t = (y - 2019) + (m - 7) / 12.0
            share = 0.952 + base + 0.003 * t + rng.normal(0.0, 0.006)
            share -= 0.02 if u.unit_id in WEAK_UNITS else 0.0
            share -= 0.012 if (y, m) in tet else 0.0
            share -= 0.03 if (y, m) in ((2021, 7), (2021, 8), (2021, 9)) else 0.0
            share = float(np.clip(share, 0.80, 0.995))
            covid = 0.5 if (y, m) in ((2021, 8), (2021, 9)) else 1.0
            n = int(rng.poisson(u.size * 110 * covid)) + 5
            very = int(rng.binomial(n, share))
            satisfied, neutral, dissatisfied = (int(x) for x in rng.multinomial(n - very, [0.78, 0.18, 0.04]))
            out.append({"unit": u, "year": y, "month": m, "responses": n,
                        "parts": (very, satisfied, neutral, dissatisfied)})
    return out


def write_demo(out_dir: Path, seed: int, first: tuple[int, int], last: tuple[int, int]) -> list[Path]:
    records = generate_surveys(seed, first, last)
    files = []
    for y in sorted({r["year"] for r in records}):
        recs = [r for r in records if r["year"] == y]
        kind, delim, bom, with_total, long_month = FORMATS.get(y, DEFAULT_FORMAT)
        headers = [h for h in HEADERS if with_total or h != "Tổng số phiếu"]
        months = sorted({r["month"] for r in recs})
        block = title_block(len(headers), "BẢNG TỔNG HỢP KẾT QUẢ KHẢO SÁT MỨC ĐỘ HÀI LÒNG CỦA NGƯỜI DÂN, "
                                          "TỔ CHỨC ĐỐI VỚI VIỆC GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
                            f"Năm {y} (từ tháng {months[0]:02d}/{y} đến tháng {months[-1]:02d}/{y})",
                            issuer_of(y, months[-1]))
        rows = []
        for stt, r in enumerate(recs, start=1):
            u = r["unit"]
            name = (u.sheet_spellings or u.spellings)[0] if y % 2 else (u.sheet_spellings or u.spellings)[1]
            month = f"Tháng {r['month']:02d}/{y}" if long_month else f"{r['month']:02d}/{y}"
            rows.append([stt, name, month, *([r["responses"]] if with_total else []), *r["parts"]])
        total = ["", "Tổng cộng", "", *([sum(r["responses"] for r in recs)] if with_total else []),
                 *[sum(r["parts"][k] for r in recs) for k in range(4)]]
        if kind == "csv":
            path = out_dir / f"khaosat_{y}.csv"
            write_csv(path, block + [headers] + rows + [total], delim, bom)
        else:
            path = out_dir / f"khaosat_{y}.xlsx"
            write_simple_xlsx(path, block, headers, rows, sheet_title=f"Khảo sát {y}", number_format="0",
                              total_row=total)
        files.append(path)
    return files
