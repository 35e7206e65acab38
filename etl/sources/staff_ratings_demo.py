"""Demo year-end ratings of officials (xếp loại CBCCVC): every unit, one sheet a year compiled by
Phòng Nội vụ after the December reviews (a year is written once its December is in the demo).

What the data shows: about 10–16 % "Hoàn thành xuất sắc", two thirds or more "Hoàn thành tốt", the
rest "Hoàn thành nhiệm vụ", a rare "Không hoàn thành", now and then an official not rated (on
leave). Units keep "xuất sắc" within 20 % of "tốt" (the cap of Nghị định 335/2025, shown for
reference before 2026) — except the unit-years in OVER_CAP. Headcounts are those of the commitment
sheets of the same year.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..demo_common import (issuer_of, HEADCOUNT_2019, HEADCOUNT_RANGE, UNIT_INDEX, title_block, unit_rng, units_on, write_csv,
                           write_simple_xlsx)
from .commitments_demo import generate_commitments

FILE_NAME = re.compile(r"^xeploai_\d{4}\.(csv|xlsx)$")
STREAM = 8

# (unit, year) rated above the cap: one commune and one department, in different years.
OVER_CAP = (("xa-phuoc-huu", 2021), ("p-kinh-te-ha-tang", 2023))

HEADERS = ("STT", "Đơn vị", "Năm", "Tổng số CBCCVC", "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
           "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ")
RATIO_HEADING = "Tỷ lệ xuất sắc/tốt (%)"  # some years' sheets add it; the ETL ignores it
# year -> (format, delimiter, BOM, with the ratio column)
FORMATS = {2019: ("xlsx", None, None, False), 2020: ("csv", ",", True, False), 2021: ("xlsx", None, None, True),
           2022: ("csv", ";", True, True), 2023: ("xlsx", None, None, True), 2024: ("csv", ",", False, True)}
DEFAULT_FORMAT = ("xlsx", None, None, True)


def generate_staff_ratings(seed: int, first: tuple[int, int], last: tuple[int, int]) -> list[dict]:
    """One dict per unit and rated year: headcount and the four class counts."""
    heads = {(r["unit"], r["year"]): r["headcount"] for r in generate_commitments(seed)}  # r["unit"]: an index
    out = []
    for y in range(first[0], last[0] + 1):
        if (y, 12) > last:
            continue  # rated in December: not yet
        for u in units_on(dt.date(y, 12, 31)):
            rng = unit_rng(seed, STREAM, u.unit_id, y)
            lo, hi = HEADCOUNT_RANGE[u.kind]
            h = heads.get((UNIT_INDEX[u.unit_id], y), HEADCOUNT_2019.get(u.unit_id, (lo + hi) // 2))
            not_rated = int(h > 5 and rng.random() < 0.15)
            rated = h - not_rated
            failed = int(h >= 10 and rng.random() < 0.04)
            done = int(round(rated * rng.uniform(0.06, 0.15)))
            rest = rated - failed - done                      # xuất sắc + tốt
            cap = rest // 6                                   # the most with xuất sắc <= 20 % of tốt
            if (u.unit_id, y) in OVER_CAP:
                excellent = cap + 1 + int(rest >= 18)
            else:
                excellent = min(cap, int(round(rated * rng.uniform(0.10, 0.16))))
            out.append({"unit": u, "year": y, "headcount": h,
                        "classes": (excellent, rest - excellent, done, failed)})
    return out


def write_demo(out_dir: Path, seed: int, first: tuple[int, int], last: tuple[int, int]) -> list[Path]:
    records = generate_staff_ratings(seed, first, last)
    files = []
    for y in sorted({r["year"] for r in records}):
        recs = [r for r in records if r["year"] == y]
        kind, delim, bom, with_ratio = FORMATS.get(y, DEFAULT_FORMAT)
        headers = [*HEADERS, *([RATIO_HEADING] if with_ratio else [])]
        block = title_block(len(headers), "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
                            f"Năm {y}", issuer_of(y))
        rows = []
        for stt, r in enumerate(recs, start=1):
            u = r["unit"]
            name = (u.sheet_spellings or u.spellings)[0] if y % 2 else (u.sheet_spellings or u.spellings)[1 if len(u.spellings) > 1 else 0]
            xs, tot = r["classes"][0], r["classes"][1]
            ratio = f"{100 * xs / tot:.1f}".replace(".", ",") if tot else ""
            rows.append([stt, name, y, r["headcount"], *r["classes"], *([ratio] if with_ratio else [])])
        total = ["", "Tổng cộng", "", sum(r["headcount"] for r in recs),
                 *[sum(r["classes"][k] for r in recs) for k in range(4)], *([""] if with_ratio else [])]
        if kind == "csv":
            path = out_dir / f"xeploai_{y}.csv"
            write_csv(path, block + [headers] + rows + [total], delim, bom)
        else:
            path = out_dir / f"xeploai_{y}.xlsx"
            write_simple_xlsx(path, block, headers, rows, sheet_title=f"Xếp loại {y}", number_format="0",
                              total_row=total)
        files.append(path)
    return files
