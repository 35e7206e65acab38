"""Satisfaction surveys (khảo sát mức độ hài lòng): answers per unit and month by level, into `surveys`.

A sheet counts the answers of a month in four levels (Rất hài lòng / Hài lòng / Bình thường /
Không hài lòng), usually with the total of answers (Tổng số phiếu). Without the total, responses is
the sum of the four levels; levels summing above the total reject the row. One row per unit and
month: within a file the last row of a unit-month wins.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import TYPE_CHECKING

import pyarrow as pa

from ..staging import Row, Units, period_of, stage_rows
from .base import SourceKind

if TYPE_CHECKING:
    import duckdb

    from ..headers import HeaderMatch
    from ..staging import FileReport

PARTS = ("very_satisfied", "satisfied", "neutral", "dissatisfied")

SYNONYMS = {
    "unit": (("don vi", "ten don vi", "co quan don vi", "co quan", "don vi duoc khao sat", "noi khao sat"), ()),
    "month": (("thang", "thang khao sat", "ky khao sat", "thoi gian khao sat", "thoi gian", "ky bao cao", "ky"), ()),
    "responses": (("tong so phieu", "so phieu", "tong so phieu khao sat", "so phieu khao sat", "tong so y kien",
                   "so luot danh gia", "tong so luot danh gia", "tong so", "tong phieu"), ()),
    # Prefixes only: a "Tỷ lệ rất hài lòng (%)" column beside the counts must not be taken for them.
    "very_satisfied": (("rat hai long", "so phieu rat hai long", "phieu rat hai long", "muc rat hai long",
                        "so y kien rat hai long"), ()),
    "satisfied": (("hai long", "so phieu hai long", "phieu hai long", "muc hai long", "so y kien hai long"), ()),
    "neutral": (("binh thuong", "so phieu binh thuong", "phieu binh thuong", "muc binh thuong", "chap nhan duoc",
                 "tam hai long"), ()),
    "dissatisfied": (("khong hai long", "so phieu khong hai long", "phieu khong hai long", "muc khong hai long",
                      "chua hai long"), ()),
}

REQUIRED = ("unit", "month", *PARTS)

COLUMN_LABELS = {
    "unit": "Đơn vị", "month": "Tháng", "responses": "Tổng số phiếu", "very_satisfied": "Rất hài lòng",
    "satisfied": "Hài lòng", "neutral": "Bình thường", "dissatisfied": "Không hài lòng",
}

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def month_of(text: str | None) -> dt.date | None:
    """The first day of the month a cell means: "05/2022", "Tháng 5/2022", "T5/2022", "2022-05",
    or a day of it ("01/05/2022": Excel turns a typed "05/2022" into a date). None otherwise."""
    if text is None:
        return None
    m = _DAY_MONTH_YEAR.fullmatch(text.strip())
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]:
            return dt.date(y, mo, 1)
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), 1) if 1 <= int(m.group(2)) <= 12 else None
    p = period_of(text)
    return p[1] if p and p[0] == "month" else None


def stage(con: duckdb.DuckDBPyConnection, hm: HeaderMatch, report: FileReport) -> None:
    units = Units(con)

    def check(row: Row) -> tuple | None:
        month = month_of(row.get("month"))
        if row.get("month") is None:
            row.reject("month", "Thiếu tháng khảo sát")
        elif month is None or not 2000 <= month.year <= 2100:
            row.reject("month", f"Tháng «{row.get('month')}» không phải tháng hợp lệ (cần ví dụ: 05/2022 hoặc "
                                "Tháng 5/2022)")
            month = None
        unit_id = units.resolve(row, "unit", month, _month_end(month) if month else None)
        parts = [row.count(p, required=False) for p in PARTS]
        total = row.count("responses", required=False) if row.get("responses") is not None else None
        if row.problems:
            return None
        answered = sum(parts)
        if total is not None and answered > total:
            row.reject("responses", f"Tổng bốn mức ({answered}) lớn hơn tổng số phiếu ({total})")
            return None
        if all(row.get(p) is None for p in PARTS):
            row.reject("very_satisfied", "Thiếu số phiếu của cả bốn mức (Rất hài lòng, Hài lòng, Bình thường, "
                                         "Không hài lòng)")
            return None
        return (unit_id, month, answered if total is None else total, *parts)

    stage_rows(con, hm, report, COLUMN_LABELS, check, key=lambda r: (r[0], r[1]),
               names=["unit_id", "month", "responses", *PARTS],
               types=[pa.string(), pa.date32()] + [pa.int32()] * 5,
               period=lambda recs: (min(r[1] for r in recs), _month_end(max(r[1] for r in recs))))


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


UPSERT = """
    INSERT OR REPLACE INTO surveys (unit_id, month, responses, very_satisfied, satisfied, neutral, dissatisfied,
                                    batch_id)
    SELECT unit_id, month, responses, very_satisfied, satisfied, neutral, dissatisfied, $batch FROM stg
"""


TEMPLATE = ("STT", *COLUMN_LABELS.values())
TEMPLATE_HINT = ("Mỗi dòng một đơn vị và một tháng (05/2022 hoặc Tháng 5/2022); bốn mức cộng lại không lớn hơn tổng số "
                 "phiếu; ô trống được tính là 0.")

SOURCE = SourceKind(
    kind="surveys", label="khảo sát sự hài lòng", table="surveys", synonyms=SYNONYMS, required=REQUIRED,
    column_labels=COLUMN_LABELS,
    expected="Đơn vị, Tháng, Tổng số phiếu, Rất hài lòng, Hài lòng, Bình thường, Không hài lòng",
    stage=stage, upsert_sql=UPSERT, demo_module="etl.sources.surveys_demo",
    template=TEMPLATE, template_hint=TEMPLATE_HINT,
)
