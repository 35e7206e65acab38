"""Evaluation sheets (đánh giá, xếp loại): one row per unit and period, into `evaluations`
(and the criteria points beside them into `evaluation_criteria`).

A period is a month, a quarter or a year; a row gives a 100-point score, a classification or
both. The classification the 100-point bands give (data/reference/classification_bands.csv) is
kept beside the one written in the file, so a conflict can be shown.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from ..staging import (Reject, data_rows, heading_of, number_of, period_of, rejects_to_table, resolve_unit,  # noqa: F401
                       rows_to_table)
from ..text import fold
from .base import SourceKind

if TYPE_CHECKING:
    from ..headers import HeaderMatch
    from ..staging import FileReport

SYNONYMS = {
    "unit": (("don vi", "ten don vi", "co quan don vi", "co quan"), ()),
    "period": (("ky danh gia", "ky xep loai", "thoi gian danh gia", "ky", "thang danh gia", "thang"), ()),
    "score": (("tong diem", "diem danh gia", "diem", "tong so diem", "diem tong"), ()),
    "classification": (("xep loai", "muc xep loai", "ket qua xep loai", "muc do hoan thanh"), ()),
}

REQUIRED = ("unit", "period")

COLUMN_LABELS = {"unit": "Đơn vị", "period": "Kỳ đánh giá", "score": "Tổng điểm", "classification": "Xếp loại"}


def accepts(columns: dict[str, int]) -> bool:
    return "score" in columns or "classification" in columns


_CLASS_WORDS = [
    ("khong hoan thanh", "khong_hoan_thanh"), ("khtnv", "khong_hoan_thanh"), ("khong ht", "khong_hoan_thanh"),
    ("xuat sac", "xuat_sac"), ("htxsnv", "xuat_sac"), ("htxs", "xuat_sac"),
    ("tot", "tot"), ("httnv", "tot"), ("htt", "tot"),
    ("hoan thanh", "hoan_thanh"), ("htnv", "hoan_thanh"), ("ht", "hoan_thanh"),
]


def classification_of(text: str | None) -> str | None:
    f = fold(text)
    if not f:
        return None
    for word, cls in _CLASS_WORDS:
        if f == word or f.startswith(word + " ") or f" {word} " in f" {f} ":
            return cls
    return None


CLASS_LABELS = {
    "xuat_sac": "Hoàn thành xuất sắc nhiệm vụ", "tot": "Hoàn thành tốt nhiệm vụ",
    "hoan_thanh": "Hoàn thành nhiệm vụ", "khong_hoan_thanh": "Không hoàn thành nhiệm vụ",
}

def _band(bands: list[tuple], score: float, on: dt.date) -> str | None:
    for vf, vt, cls, min_score in bands:  # ordered by min_score DESC
        if vf <= on and (vt is None or on <= vt) and score >= min_score:
            return cls
    return None


def stage(con: duckdb.DuckDBPyConnection, hm: HeaderMatch, report: FileReport) -> None:
    bands = con.execute(
        "SELECT valid_from, valid_to, classification, min_score FROM classification_bands ORDER BY min_score DESC"
    ).fetchall()
    idx = {k: hm.columns[k] + 1 for k in hm.columns}  # +1: column 0 of a raw row is row_number
    criteria = {i + 1: h for i, h in hm.extra.items()}
    H = lambda k: heading_of(hm, k, COLUMN_LABELS)  # noqa: E731
    cache: dict = {}
    good: dict[tuple, tuple] = {}
    crit_rows: dict[tuple, list] = {}
    rejects: list[Reject] = []
    valid = 0
    for row in data_rows(con):
        rn = row[0]
        problems: list[Reject] = []
        period = period_of(row[idx["period"]])
        if period is None:
            problems.append(Reject(rn, H("period"), f"Kỳ đánh giá «{row[idx['period']] or ''}» không đọc được (cần ví dụ: Tháng 01/2023, Quý I/2023, Năm 2023)", row[idx["period"]]))
        unit_id, err = resolve_unit(con, cache, row[idx["unit"]], period[1] if period else None)
        if err:
            problems.append(Reject(rn, H("unit"), err, row[idx["unit"]]))
        score = None
        if "score" in idx and row[idx["score"]] not in (None, ""):
            score = number_of(row[idx["score"]])
            if score is None:
                problems.append(Reject(rn, H("score"), f"Điểm «{row[idx['score']]}» không phải là số", row[idx["score"]]))
            elif not 0 <= score <= 100:
                problems.append(Reject(rn, H("score"), f"Điểm {row[idx['score']]} nằm ngoài thang 0–100", row[idx["score"]]))
        given = None
        if "classification" in idx and row[idx["classification"]] not in (None, ""):
            given = classification_of(row[idx["classification"]])
            if given is None:
                problems.append(Reject(rn, H("classification"), f"Xếp loại «{row[idx['classification']]}» không rõ (cần một trong: {', '.join(CLASS_LABELS.values())})", row[idx["classification"]]))
        if score is None and given is None and not problems:
            problems.append(Reject(rn, H("score") if "score" in idx else H("classification"), "Thiếu cả điểm lẫn xếp loại", None))
        crit = []
        for ci, heading in criteria.items():
            v = row[ci] if ci < len(row) else None
            if v in (None, ""):
                continue
            num = number_of(v)
            if num is None or num < 0:
                problems.append(Reject(rn, heading, f"Điểm tiêu chí «{v}» không phải số không âm", v))
            else:
                crit.append((heading, num))
        if problems:
            rejects.extend(problems)
            continue
        valid += 1
        band = _band(bands, score, period[1]) if score is not None else None
        cls = given or band
        key = (unit_id, period[0], period[1])
        good[key] = (unit_id, period[0], period[1], score, cls,
                     "given" if given else "bands", band, bool(given and band and given != band))
        crit_rows[key] = crit
    report.duplicates = valid - len(good)
    report.rows_to_load = len(good)
    if good:
        starts = [k[2] for k in good]
        report.period_from, report.period_to = min(starts), max(starts)
    rows_to_table(con, "stg", ["unit_id", "period_type", "period_start", "score", "classification",
                                "classification_source", "band_classification", "band_conflict"],
                   list(good.values()), [pa.string(), pa.string(), pa.date32(), pa.float64(), pa.string(),
                                         pa.string(), pa.string(), pa.bool_()])
    rows_to_table(con, "stg_criteria", ["unit_id", "period_type", "period_start", "criterion", "score"],
                   [(*k, h, s) for k, cs in crit_rows.items() for h, s in cs],
                   [pa.string(), pa.string(), pa.date32(), pa.string(), pa.float64()])
    rejects_to_table(con, rejects)


# ---------------------------------------------------------------------------------------------
# Writing

UPSERT = """
    INSERT OR REPLACE INTO evaluations (unit_id, period_type, period_start, score, classification,
        batch_id, classification_source, band_classification, band_conflict)
    SELECT unit_id, period_type, period_start, score, classification, $batch,
           classification_source, band_classification, band_conflict FROM stg
"""


def write(con: duckdb.DuckDBPyConnection, batch: int) -> None:
    con.execute(UPSERT, {"batch": batch})
    con.execute("DELETE FROM evaluation_criteria WHERE (unit_id, period_type, period_start) IN "
                "(SELECT unit_id, period_type, period_start FROM stg)")
    con.execute("INSERT INTO evaluation_criteria SELECT *, $batch FROM stg_criteria", {"batch": batch})



TEMPLATE = ("STT", "Đơn vị", "Kỳ đánh giá", "Tổng điểm", "Xếp loại")
TEMPLATE_HINT = ("Mỗi dòng một đơn vị và một kỳ (Tháng 01/2023, Quý I/2023, Năm 2023). Có thể thêm cột điểm từng tiêu chí "
                 "(ví dụ «a) Nội quy, quy chế») trước cột Tổng điểm; có Tổng điểm thì Xếp loại có thể để trống.")

SOURCE = SourceKind(
    kind="evaluations", label="đánh giá, xếp loại", table="evaluations", synonyms=SYNONYMS, required=REQUIRED,
    column_labels=COLUMN_LABELS, expected="Đơn vị, Kỳ đánh giá, Tổng điểm hoặc Xếp loại",
    stage=stage, accepts=accepts, write=write, demo_module="etl.sources.evaluations_demo",
    template=TEMPLATE, template_hint=TEMPLATE_HINT,
)
