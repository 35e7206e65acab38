"""Surprise inspections (kiểm tra đột xuất) of working hours and conduct: one row per visit (day and
unit), into `inspections`.

Per visit: officials checked and, by kind, the officials found in breach (late / early leave /
absent; dress and name badge; communication and conduct; office layout and hygiene). A blank
violation cell means none; no count may exceed the officials checked.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from ..staging import Row, Units, col, dates_of, distinct, stage_rows
from .base import SourceKind

if TYPE_CHECKING:
    import duckdb

    from ..headers import HeaderMatch
    from ..staging import FileReport

VIOLATIONS = ("late_or_absent", "dress", "conduct", "workplace")

SYNONYMS = {
    "inspected_on": (("ngay kiem tra", "thoi gian kiem tra", "ngay", "ngay thang kiem tra"), ()),
    "unit": (("don vi", "don vi duoc kiem tra", "co quan don vi", "co quan duoc kiem tra", "ten don vi",
              "co quan"), ()),
    "checked": (("so cbccvc duoc kiem tra", "so nguoi duoc kiem tra", "so cbccvc kiem tra",
                 "so can bo duoc kiem tra", "so luong kiem tra", "tong so duoc kiem tra", "so duoc kiem tra",
                 "so cbccvc", "so nguoi"), ()),
    "late_or_absent": (("di muon", "di tre", "ve som", "vang mat", "gio giac", "thoi gian lam viec",
                        "chap hanh thoi gian"), ("di muon", "ve som", "vang mat")),
    "dress": (("trang phuc", "deo the", "the cong chuc", "dong phuc"), ("trang phuc", "deo the")),
    "conduct": (("giao tiep", "ung xu", "thai do", "tac phong"), ("giao tiep", "ung xu")),
    "workplace": (("bai tri", "ve sinh", "ve sinh cong so", "sap xep noi lam viec", "noi lam viec"),
                  ("bai tri", "ve sinh")),
    "note": (("ghi chu", "nhan xet", "ket luan"), ()),
}

REQUIRED = ("inspected_on", "unit", "checked")

COLUMN_LABELS = {
    "inspected_on": "Ngày kiểm tra", "unit": "Đơn vị", "checked": "Số CBCCVC được kiểm tra",
    "late_or_absent": "Đi muộn, về sớm, vắng mặt", "dress": "Trang phục, thẻ công chức",
    "conduct": "Giao tiếp, ứng xử", "workplace": "Bài trí, vệ sinh công sở", "note": "Ghi chú",
}


def accepts(columns: dict[str, int]) -> bool:
    return any(v in columns for v in VIOLATIONS)


def stage(con: duckdb.DuckDBPyConnection, hm: HeaderMatch, report: FileReport) -> None:
    units = Units(con)
    days = dates_of(con, distinct(con, col(hm, "inspected_on")))

    def check(row: Row) -> tuple | None:
        raw_day = row.get("inspected_on")
        day = days.get(raw_day) if raw_day is not None else None
        if raw_day is None:
            row.reject("inspected_on", "Thiếu ngày kiểm tra")
        elif day is None:
            row.reject("inspected_on", f"Ngày kiểm tra «{raw_day}» không phải ngày hợp lệ (cần ngày/tháng/năm, "
                                       "ví dụ 02/05/2023)")
        unit_id = units.resolve(row, "unit", day)
        checked = row.count("checked", required=True)
        found = [row.count(v, required=False) for v in VIOLATIONS]
        for v, n in zip(VIOLATIONS, found):
            if checked is not None and n is not None and n > checked:
                row.reject(v, f"Số vi phạm ({n}) lớn hơn số CBCCVC được kiểm tra ({checked})")
        if row.problems:
            return None
        return (day, unit_id, checked, *found, row.get("note"))

    stage_rows(con, hm, report, COLUMN_LABELS, check, key=lambda r: (r[0], r[1]),
               names=["inspected_on", "unit_id", "checked", *VIOLATIONS, "note"],
               types=[pa.date32(), pa.string()] + [pa.int32()] * 5 + [pa.string()],
               period=lambda recs: (min(r[0] for r in recs), max(r[0] for r in recs)))


UPSERT = """
    INSERT OR REPLACE INTO inspections (inspected_on, unit_id, checked, late_or_absent, dress, conduct, workplace,
                                        note, batch_id)
    SELECT inspected_on, unit_id, checked, late_or_absent, dress, conduct, workplace, note, $batch FROM stg
"""


TEMPLATE = ("STT", *COLUMN_LABELS.values())
TEMPLATE_HINT = ("Mỗi dòng một lần kiểm tra một đơn vị (ngày/tháng/năm); các cột vi phạm ghi số người vi phạm, không lớn "
                 "hơn số CBCCVC được kiểm tra; ô trống được tính là 0.")

SOURCE = SourceKind(
    kind="inspections", label="kiểm tra đột xuất", table="inspections", synonyms=SYNONYMS, required=REQUIRED,
    column_labels=COLUMN_LABELS,
    expected="Ngày kiểm tra, Đơn vị, Số CBCCVC được kiểm tra và các cột số vi phạm như Đi muộn, về sớm, vắng mặt",
    stage=stage, accepts=accepts, upsert_sql=UPSERT, demo_module="etl.sources.inspections_demo",
    template=TEMPLATE, template_hint=TEMPLATE_HINT,
)
