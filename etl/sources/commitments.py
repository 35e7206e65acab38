"""Commitment sheets (cam kết): officials who signed each commitment of the movement, per unit
and year, into `commitments`.

Two layouts: wide (one row per unit-year, a column per commitment) and long (one row per
commitment, "Nội dung cam kết" and "Số đã ký").
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from ..staging import Reject, data_rows, heading_of, number_of, rejects_to_table, resolve_unit, rows_to_table
from ..text import fold
from .base import SourceKind

if TYPE_CHECKING:
    from ..headers import HeaderMatch
    from ..staging import FileReport

SYNONYMS = {
    "unit": (("don vi", "ten don vi", "co quan don vi", "co quan"), ()),
    "year": (("nam",), ()),
    "headcount": (("tong so cbccvc", "so cbccvc", "tong so can bo cong chuc vien chuc", "tong so cb cc vc",
                   "so luong cbccvc", "bien che", "tong so"), ()),
    "office_culture": ((), ("van hoa cong so",)),
    "smoke_free": ((), ("khong khoi thuoc",)),
    "hcm_study": ((), ("lam theo bac", "lam theo tu tuong", "phong cach ho chi minh", "hoc tap va lam theo")),
    "commitment": (("noi dung cam ket", "loai cam ket", "cam ket"), ()),
    "signed": (("so da ky", "da ky", "so nguoi da ky", "so da dang ky"), ()),
}

REQUIRED = ("unit", "year", "headcount")

COLUMN_LABELS = {
    "unit": "Đơn vị", "year": "Năm", "headcount": "Tổng số CBCCVC",
    "office_culture": "Ký cam kết văn hóa công sở", "smoke_free": "Ký cam kết không khói thuốc lá",
    "hcm_study": "Đăng ký học tập và làm theo Bác", "commitment": "Cam kết", "signed": "Số đã ký",
}


def accepts(columns: dict[str, int]) -> bool:
    return (any(c in columns for c in ("office_culture", "smoke_free", "hcm_study"))
            or ("commitment" in columns and "signed" in columns))


COMMITMENT_WORDS = {"office_culture": ("van hoa cong so",), "smoke_free": ("khong khoi thuoc",),
                    "hcm_study": ("lam theo", "ho chi minh", "hoc tap")}


def stage(con: duckdb.DuckDBPyConnection, hm: HeaderMatch, report: FileReport) -> None:
    idx = {k: hm.columns[k] + 1 for k in hm.columns}
    H = lambda k: heading_of(hm, k, COLUMN_LABELS)  # noqa: E731
    wide = [k for k in ("office_culture", "smoke_free", "hcm_study") if k in idx]
    cache: dict = {}
    good: dict[tuple, tuple] = {}
    rejects: list[Reject] = []
    valid = 0
    row_keys: set[tuple] = set()
    for row in data_rows(con):
        rn = row[0]
        problems: list[Reject] = []
        y = number_of(row[idx["year"]])
        year = int(y) if y is not None and y.is_integer() and 2000 <= y <= 2100 else None
        if year is None:
            problems.append(Reject(rn, H("year"), f"Năm «{row[idx['year']] or ''}» không hợp lệ (cần ví dụ 2023)", row[idx["year"]]))
        what = f"số liệu năm {year}"
        unit_id, err = resolve_unit(con, cache, row[idx["unit"]], dt.date(year, 1, 1) if year else None, what)
        if err and year:
            # A unit created during the year (the 1/7/2025 communes) is valid at the year's end.
            unit_id2, err2 = resolve_unit(con, cache, row[idx["unit"]], dt.date(year, 12, 31), what)
            if not err2:
                unit_id, err = unit_id2, None
        if err:
            problems.append(Reject(rn, H("unit"), err, row[idx["unit"]]))
        hc = number_of(row[idx["headcount"]])
        if hc is None or hc < 0 or not hc.is_integer():
            problems.append(Reject(rn, H("headcount"), f"Tổng số CBCCVC «{row[idx['headcount']] or ''}» phải là số nguyên không âm", row[idx["headcount"]]))
            hc = None
        pairs: list[tuple[str, object, str]] = []
        if wide:
            pairs = [(k, row[idx[k]], H(k)) for k in wide]
        else:
            f = fold(row[idx["commitment"]])
            kind = next((k for k, words in COMMITMENT_WORDS.items() if any(w in f for w in words)), None)
            if kind is None:
                problems.append(Reject(rn, H("commitment"), f"Nội dung cam kết «{row[idx['commitment']] or ''}» không rõ (cần: văn hóa công sở, không khói thuốc lá, học tập và làm theo Bác)", row[idx["commitment"]]))
            else:
                pairs = [(kind, row[idx["signed"]], H("signed"))]
        parsed = []
        for kind, v, heading in pairs:
            if v in (None, ""):
                continue
            s = number_of(v)
            if s is None or s < 0 or not s.is_integer():
                problems.append(Reject(rn, heading, f"Số đã ký «{v}» phải là số nguyên không âm", v))
            elif hc is not None and s > hc:
                problems.append(Reject(rn, heading, f"Số đã ký ({int(s)}) lớn hơn tổng số CBCCVC ({int(hc)})", v))
            else:
                parsed.append((kind, int(s)))
        if problems:
            rejects.extend(problems)
            continue
        valid += 1
        # What one row stands for: a unit-year in the wide form, one commitment of it in the long form.
        row_keys.add((unit_id, year) if wide else (unit_id, year, pairs[0][0]))
        for kind, s in parsed:
            good[(unit_id, year, kind)] = (unit_id, year, kind, int(hc), s)
    report.duplicates = max(0, valid - len(row_keys))
    report.rows_to_load = len(good)
    if good:
        years = [k[1] for k in good]
        report.period_from, report.period_to = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    rows_to_table(con, "stg", ["unit_id", "year", "commitment", "headcount", "signed"], list(good.values()),
                   [pa.string(), pa.int32(), pa.string(), pa.int32(), pa.int32()])
    rejects_to_table(con, rejects)


UPSERT = """
    INSERT OR REPLACE INTO commitments SELECT unit_id, year, commitment, headcount, signed, $batch FROM stg
"""


TEMPLATE = ("STT", "Đơn vị", "Năm", "Tổng số CBCCVC", "Ký cam kết văn hóa công sở",
              "Ký cam kết cơ quan không khói thuốc lá", "Đăng ký học tập và làm theo Bác")
TEMPLATE_HINT = ("Mỗi dòng một đơn vị và một năm; các cột cam kết ghi số người đã ký (không lớn hơn tổng số CBCCVC).")

SOURCE = SourceKind(
    kind="commitments", label="cam kết", table="commitments", synonyms=SYNONYMS, required=REQUIRED,
    column_labels=COLUMN_LABELS, expected="Đơn vị, Năm, Tổng số CBCCVC và các cột ký cam kết",
    stage=stage, accepts=accepts, upsert_sql=UPSERT, demo_module="etl.sources.commitments_demo",
    template=TEMPLATE, template_hint=TEMPLATE_HINT,
)
