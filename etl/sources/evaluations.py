"""Evaluation sheets (đánh giá, xếp loại): one row per unit and period, into `evaluations`
(and the criteria points beside them into `evaluation_criteria`).

A period is a month, a quarter or a year; a row gives a 100-point score, a classification or
both. The classification the 100-point bands give (data/reference/classification_bands.csv) is
kept beside the one written in the file, so a conflict can be shown.

Under Nghị định 335/2025/NĐ-CP (from 2026) a sheet gives the score in two parts, "Tiêu chí chung"
(≤ 30) and "Kết quả thực hiện nhiệm vụ" (≤ 70): they are kept (general_points, task_points) and
the score is their sum; a total that disagrees with the sum, or a part outside its range, rejects
the row.
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
    # Nghị định 335/2025/NĐ-CP (from 2026): the score is the sum of these two parts.
    "general_points": (("tieu chi chung", "diem tieu chi chung", "nhom tieu chi chung"), ("tieu chi chung",)),
    "task_points": (("ket qua thuc hien nhiem vu", "diem ket qua thuc hien nhiem vu", "ket qua nhiem vu",
                     "diem thuc hien nhiem vu"), ("ket qua thuc hien nhiem vu",)),
}

REQUIRED = ("unit", "period")

COLUMN_LABELS = {"unit": "Đơn vị", "period": "Kỳ đánh giá", "score": "Tổng điểm", "classification": "Xếp loại",
                 "general_points": "Tiêu chí chung", "task_points": "Kết quả thực hiện nhiệm vụ"}

# The two parts of a score under Nghị định 335/2025/NĐ-CP and their maxima (30 + 70 = 100).
PARTS = (("general_points", "tiêu chí chung", 30.0), ("task_points", "kết quả thực hiện nhiệm vụ", 70.0))


def accepts(columns: dict[str, int]) -> bool:
    return ("score" in columns or "classification" in columns
            or ("general_points" in columns and "task_points" in columns))


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

def _period_end(period_type: str, start: dt.date) -> dt.date:
    months = {"month": 1, "quarter": 3, "year": 12}[period_type]
    y, m = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + y, m + 1, 1) - dt.timedelta(days=1)


def _band(bands: list[tuple], score: float, on: dt.date) -> str | None:
    for vf, vt, cls, min_score in bands:  # ordered by min_score DESC
        if vf <= on and (vt is None or on <= vt) and score >= min_score:
            return cls
    return None


def _pts(v: float) -> str:
    """Points as a Vietnamese sheet writes them: 28, 62,5."""
    return f"{v:g}".replace(".", ",")


def _parts(row: tuple, idx: dict[str, int], H, rn: int) -> tuple[tuple[float, float] | None, list[Reject]]:
    """((general, task) | None, problems): the two ND 335 parts of a row, each within 0..its maximum.
    None when the sheet has no such columns or the row leaves both blank."""
    if not all(k in idx for k, _, _ in PARTS):
        return None, []
    cells = [row[idx[k]] for k, _, _ in PARTS]
    if all(c in (None, "") for c in cells):
        return None, []
    values, problems = [], []
    for (k, name, top), cell in zip(PARTS, cells):
        v = number_of(cell) if cell not in (None, "") else None
        if cell in (None, ""):
            other = next(n for kk, n, _ in PARTS if kk != k)
            problems.append(Reject(rn, H(k), f"Thiếu điểm {name} (đã có điểm {other}; "
                                             "điểm theo Nghị định 335/2025/NĐ-CP là tổng hai phần)", None))
        elif v is None:
            problems.append(Reject(rn, H(k), f"Điểm {name} «{cell}» không phải là số", cell))
        elif not 0 <= v <= top:
            problems.append(Reject(rn, H(k), f"Điểm {name} {_pts(v)} nằm ngoài thang 0–{top:g}", cell))
        values.append(v)
    return (None if problems else (values[0], values[1])), problems


def stage(con: duckdb.DuckDBPyConnection, hm: HeaderMatch, report: FileReport) -> None:
    bands = con.execute(
        "SELECT valid_from, valid_to, classification, min_score FROM classification_bands ORDER BY min_score DESC"
    ).fetchall()
    idx = {k: hm.columns[k] + 1 for k in hm.columns}  # +1: column 0 of a raw row is row_number
    criteria = {i + 1: h for i, h in hm.extra.items()}
    part_columns = [k for k, _, _ in PARTS if k in hm.columns]
    if len(part_columns) == 1:
        # One of the two ND 335 headings alone is not the two-part score: keep it as a criterion.
        criteria[hm.columns[part_columns[0]] + 1] = hm.headings[hm.columns[part_columns[0]]]
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
        what = f"kỳ đánh giá «{' '.join(str(row[idx['period']]).split())}»" if period else None
        unit_id, err = resolve_unit(con, cache, row[idx["unit"]], period[1] if period else None, what)
        if err and period and period[0] != "month":
            # A unit formed during a quarter or year (the 01/07/2025 communes) is valid at its end.
            unit_id2, err2 = resolve_unit(con, cache, row[idx["unit"]], _period_end(*period), what)
            if not err2:
                unit_id, err = unit_id2, None
        if err:
            problems.append(Reject(rn, H("unit"), err, row[idx["unit"]]))
        score = None
        if "score" in idx and row[idx["score"]] not in (None, ""):
            score = number_of(row[idx["score"]])
            if score is None:
                problems.append(Reject(rn, H("score"), f"Điểm «{row[idx['score']]}» không phải là số", row[idx["score"]]))
            elif not 0 <= score <= 100:
                problems.append(Reject(rn, H("score"), f"Điểm {row[idx['score']]} nằm ngoài thang 0–100", row[idx["score"]]))
        parts, part_problems = _parts(row, idx, H, rn)
        problems += part_problems
        if parts is not None and not part_problems:
            total = parts[0] + parts[1]
            if score is not None and abs(score - total) > 0.005:
                problems.append(Reject(
                    rn, H("score"), f"Tổng điểm {_pts(score)} khác tổng hai phần: tiêu chí chung {_pts(parts[0])} + "
                    f"kết quả thực hiện nhiệm vụ {_pts(parts[1])} = {_pts(total)}", row[idx["score"]]))
            score = round(total, 6) if score is None else score
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
                     "given" if given else "bands", band, bool(given and band and given != band),
                     *(parts if parts is not None else (None, None)))
        crit_rows[key] = crit
    report.duplicates = valid - len(good)
    report.rows_to_load = len(good)
    if good:
        starts = [k[2] for k in good]
        report.period_from, report.period_to = min(starts), max(starts)
    rows_to_table(con, "stg", ["unit_id", "period_type", "period_start", "score", "classification",
                                "classification_source", "band_classification", "band_conflict",
                                "general_points", "task_points"],
                   list(good.values()), [pa.string(), pa.string(), pa.date32(), pa.float64(), pa.string(),
                                         pa.string(), pa.string(), pa.bool_(), pa.float64(), pa.float64()])
    rows_to_table(con, "stg_criteria", ["unit_id", "period_type", "period_start", "criterion", "score"],
                   [(*k, h, s) for k, cs in crit_rows.items() for h, s in cs],
                   [pa.string(), pa.string(), pa.date32(), pa.string(), pa.float64()])
    rejects_to_table(con, rejects)


# ---------------------------------------------------------------------------------------------
# Writing

UPSERT = """
    INSERT OR REPLACE INTO evaluations (unit_id, period_type, period_start, score, classification,
        batch_id, classification_source, band_classification, band_conflict, general_points, task_points)
    SELECT unit_id, period_type, period_start, score, classification, $batch,
           classification_source, band_classification, band_conflict, general_points, task_points FROM stg
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
