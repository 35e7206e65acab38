"""Demo commitment sheets (cam kết): one sheet a year, every unit; coverage rising to 100 % from 2022.
From 2025 the four new communes too (their officials signed again when the communes were formed in
07/2025); the 2025 sheet names them "Xã … (mới)", since the plain name of Xã Phước Hậu / Phước Hữu
means the old commune in a 2025 row.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..demo_common import (ALL_UNITS, DEFAULT_SEED, HEADCOUNT_2019, HEADCOUNT_RANGE, NEW_COMMUNES, UNIT_INDEX, UNITS,
                           issuer_of, title_block, write_csv, write_simple_xlsx)
from .commitments import TEMPLATE

FILE_NAME = re.compile(r"^camket_\d{4}\.(csv|xlsx)$")

COMMITMENT_HEADERS = TEMPLATE  # the sheets the demo writes are the blank template, filled

# --------------------------------------------------------------------------------------------
# Commitments
# --------------------------------------------------------------------------------------------


def generate_commitments(seed: int = DEFAULT_SEED, years=range(2019, 2026),
                         last: tuple[int, int] = (2025, 12)) -> list[dict]:
    """One dict per (unit, year): headcount and signed counts for the three commitments."""
    rng = np.random.default_rng([seed, 5])
    all_years = list(range(2019, 2026))
    out = []
    head = {u.unit_id: HEADCOUNT_2019[u.unit_id] for u in UNITS}
    for y in all_years:
        for u in UNITS:
            if y > 2019:
                lo, hi = HEADCOUNT_RANGE[u.kind]
                head[u.unit_id] = int(np.clip(head[u.unit_id] + rng.choice([-1, 0, 0, 0, 1]), lo, hi))
            h = head[u.unit_id]
            if y == 2019:
                ranges = ((0.60, 0.90), (0.55, 0.85), (0.70, 0.95))
            elif y == 2020:
                ranges = ((0.85, 1.0), (0.82, 1.0), (0.90, 1.0))
            elif y == 2021:
                ranges = ((0.94, 1.06), (0.93, 1.05), (0.95, 1.08))
            else:
                ranges = ((1.0, 1.0),) * 3
            signed = [min(h, int(round(h * rng.uniform(a, b)))) for a, b in ranges]
            if y in years:
                out.append({"unit": UNIT_INDEX[u.unit_id], "year": y, "headcount": h, "signed": signed})
    return out + _commune_commitments(seed, [y for y in years if (y, 12) >= (2025, 7) and (y, 1) <= last
                                             and last >= (2025, 7)])


def new_commune_headcount(u) -> int:
    """Officials of a new commune: about three quarters of its predecessors' (streamlined), plus,
    for Phước Dinh, those who came from outside this demo (Thuận Nam, Đông Hải)."""
    base = sum(HEADCOUNT_2019[p] for p in u.predecessors)
    return int(round(0.75 * base)) + (18 if u.unit_id == "xa-phuoc-dinh-2025" else 0)


def _commune_commitments(seed: int, years) -> list[dict]:
    """The new communes from 2025, each year from its own stream [seed, 5, year]."""
    out = []
    for y in years:
        if y < 2025:
            continue
        rng = np.random.default_rng([seed, 5, y])
        for u in NEW_COMMUNES:
            h = new_commune_headcount(u) + int(rng.integers(-1, 2)) * (y > 2025)
            # 2025: signed when the commune was formed, one or two officials on leave
            signed = [h - int(rng.integers(0, 3)) if y == 2025 else h for _ in range(3)]
            out.append({"unit": UNIT_INDEX[u.unit_id], "year": y, "headcount": h, "signed": signed})
    return out


def _write_commitment_sheets(out_dir: Path, seed: int, years, last: tuple[int, int]) -> list[Path]:
    records = generate_commitments(seed, years, last)
    formats = {2019: ("csv", ",", True), 2020: ("xlsx", None, None), 2021: ("csv", ";", True),
               2022: ("csv", ",", False), 2023: ("xlsx", None, None), 2024: ("csv", ";", False),
               2025: ("xlsx", None, None)}
    files = []
    for y in sorted({r["year"] for r in records}):
        recs = sorted((r for r in records if r["year"] == y), key=lambda r: r["unit"])
        headers = list(COMMITMENT_HEADERS)
        ncols = len(headers)
        block = title_block(ncols, "BẢNG TỔNG HỢP KẾT QUẢ KÝ CAM KẾT, ĐĂNG KÝ THỰC HIỆN VĂN HÓA CÔNG SỞ",
                             f"Năm {y}", issuer_of(y, 12 if y < last[0] else last[1]))
        rows = []
        for stt, r in enumerate(recs, start=1):
            u = ALL_UNITS[r["unit"]]
            if u.predecessors:
                name = f"{u.sheet_spellings[1]} (mới)" if y == 2025 else u.sheet_spellings[y % 2]
            else:
                name = u.spellings[0] if y % 2 else (u.spellings[1] if u.kind == "commune" else u.spellings[0])
            rows.append([stt, name, y, r["headcount"], *r["signed"]])
        total = ["", "Tổng cộng", "", sum(r["headcount"] for r in recs),
                 *[sum(r["signed"][k] for r in recs) for k in range(3)]]
        kind, delim, bom = formats.get(y, ("csv", ",", True))
        if kind == "csv":
            path = out_dir / f"camket_{y}.csv"
            write_csv(path, block + [headers] + rows + [total], delim, bom)
        else:
            path = out_dir / f"camket_{y}.xlsx"
            write_simple_xlsx(path, block, headers, rows, sheet_title=f"Cam kết {y}",
                               number_format="0", total_row=total)
        files.append(path)
    return files



def write_demo(out_dir: Path, seed: int, first: tuple[int, int], last: tuple[int, int]) -> list[Path]:
    return _write_commitment_sheets(out_dir, seed, range(first[0], last[0] + 1), last)
