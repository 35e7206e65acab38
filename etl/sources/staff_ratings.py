"""Officials' year-end ratings (xếp loại CBCCVC): per unit and year, how many officials were rated in
each of the four classes, no names; into `staff_ratings`.

The classes may sum below the headcount (officials not yet rated, on leave) but never above it.
A sheet of this kind has "Tổng số CBCCVC" like a commitment sheet: the class columns decide.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pyarrow as pa

from ..staging import Row, Units, stage_rows
from ..text import fold
from .base import SourceKind

if TYPE_CHECKING:
    import duckdb

    from ..headers import HeaderMatch
    from ..staging import FileReport

CLASSES = ("xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh")

# Prefixes only: a "Tỷ lệ xuất sắc (%)" column beside the counts must not be taken for them.
SYNONYMS = {
    "unit": (("don vi", "ten don vi", "co quan don vi", "co quan"), ()),
    "year": (("nam", "nam danh gia", "nam xep loai"), ()),
    "headcount": (("tong so cbccvc", "so cbccvc", "tong so can bo cong chuc vien chuc", "tong so cb cc vc",
                   "so luong cbccvc", "bien che", "tong so"), ()),
    "xuat_sac": (("hoan thanh xuat sac nhiem vu", "hoan thanh xuat sac", "xuat sac", "htxsnv", "htxs",
                 "so hoan thanh xuat sac"), ()),
    "tot": (("hoan thanh tot nhiem vu", "hoan thanh tot", "tot", "httnv", "htt", "so hoan thanh tot"), ()),
    "hoan_thanh": (("hoan thanh nhiem vu", "hoan thanh", "htnv", "so hoan thanh nhiem vu"), ()),
    "khong_hoan_thanh": (("khong hoan thanh nhiem vu", "khong hoan thanh", "khtnv", "so khong hoan thanh"), ()),
}

REQUIRED = ("unit", "year", "headcount", "xuat_sac", "tot", "hoan_thanh")

COLUMN_LABELS = {
    "unit": "Đơn vị", "year": "Năm", "headcount": "Tổng số CBCCVC",
    "xuat_sac": "Hoàn thành xuất sắc nhiệm vụ", "tot": "Hoàn thành tốt nhiệm vụ",
    "hoan_thanh": "Hoàn thành nhiệm vụ", "khong_hoan_thanh": "Không hoàn thành nhiệm vụ",
}


def year_of(text: str | None) -> int | None:
    """"2023", "Năm 2023", "2023,0" -> 2023; None otherwise."""
    m = re.fullmatch(r"(?:nam\s*)?(\d{4})(?:\s+0)?", fold(text))
    year = int(m.group(1)) if m else None
    return year if year is not None and 2000 <= year <= 2100 else None


def stage(con: duckdb.DuckDBPyConnection, hm: HeaderMatch, report: FileReport) -> None:
    units = Units(con)

    def check(row: Row) -> tuple | None:
        year = year_of(row.get("year"))
        if row.get("year") is None:
            row.reject("year", "Thiếu năm")
        elif year is None:
            row.reject("year", f"Năm «{row.get('year')}» không hợp lệ (cần ví dụ 2023)")
        # A unit created during the year (the 1/7/2025 communes) is valid at the year's end.
        unit_id = units.resolve(row, "unit", dt.date(year, 1, 1) if year else None,
                                dt.date(year, 12, 31) if year else None)
        headcount = row.count("headcount", required=True)
        counts = [row.count(c, required=False) for c in CLASSES]
        if row.problems:
            return None
        rated = sum(counts)
        if rated > headcount:
            row.reject("headcount", f"Tổng số được xếp loại ({rated}) lớn hơn tổng số CBCCVC ({headcount})")
            return None
        return (unit_id, year, headcount, *counts)

    stage_rows(con, hm, report, COLUMN_LABELS, check, key=lambda r: (r[0], r[1]),
               names=["unit_id", "year", "headcount", *CLASSES],
               types=[pa.string(), pa.int32()] + [pa.int32()] * 5,
               period=lambda recs: (dt.date(min(r[1] for r in recs), 1, 1), dt.date(max(r[1] for r in recs), 12, 31)))


UPSERT = """
    INSERT OR REPLACE INTO staff_ratings (unit_id, year, headcount, xuat_sac, tot, hoan_thanh, khong_hoan_thanh,
                                          batch_id)
    SELECT unit_id, year, headcount, xuat_sac, tot, hoan_thanh, khong_hoan_thanh, $batch FROM stg
"""


TEMPLATE = ("STT", *COLUMN_LABELS.values())
TEMPLATE_HINT = ("Mỗi dòng một đơn vị và một năm; bốn mức xếp loại ghi số người, cộng lại không lớn hơn tổng số CBCCVC.")

SOURCE = SourceKind(
    kind="staff_ratings", label="xếp loại CBCCVC cuối năm", table="staff_ratings", synonyms=SYNONYMS,
    required=REQUIRED, column_labels=COLUMN_LABELS,
    expected="Đơn vị, Năm, Tổng số CBCCVC, Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, "
             "Hoàn thành nhiệm vụ, Không hoàn thành nhiệm vụ",
    stage=stage, upsert_sql=UPSERT, demo_module="etl.sources.staff_ratings_demo",
    template=TEMPLATE, template_hint=TEMPLATE_HINT,
)
