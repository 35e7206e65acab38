"""Demo evaluation sheets (đánh giá, xếp loại): one sheet a year, every unit every month.

Scores mostly 75–98, a little lower in the three weaker units, around Tết and in the COVID-19 wave;
three given classifications contradict the 100-point bands. From 07/2025 the four new communes
(a dip in their first months); from 2026 the sheet follows Nghị định 335/2025/NĐ-CP: "Tiêu chí
chung" (≤ 30) and "Kết quả thực hiện nhiệm vụ" (≤ 70), the score their sum, scored more strictly.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..demo_common import (ALL_UNITS, DEFAULT_SEED, DISTRICT_LAST_MONTH, FIRST_MONTH, NEW_COMMUNES, UNIT_INDEX, UNITS,
                           WEAK_UNITS, issuer_of, last_full_month, month_list, tet_months, title_block, write_csv,
                           write_simple_xlsx)

FILE_NAME = re.compile(r"^danhgia_\d{4}\.(csv|xlsx)$")

EVAL_CRITERIA = (
    ("a) Nội quy, quy chế", 15),
    ("b) Cải cách hành chính", 20),
    ("c) Ứng dụng CNTT", 15),
    ("d) Công sở văn minh", 15),
    ("đ) Phong trào thi đua", 15),
    ("e) Kỷ cương, thái độ", 20),
)
CLASS_LABELS = (  # (min score, label) — the 100-point bands
    (90.0, "Hoàn thành xuất sắc nhiệm vụ"),
    (70.0, "Hoàn thành tốt nhiệm vụ"),
    (50.0, "Hoàn thành nhiệm vụ"),
    (0.0, "Không hoàn thành nhiệm vụ"),
)
EVAL_YEARS_WITH_CLASSIFICATION = (2019, 2020, 2023, 2025, 2026)
ND335_FROM_YEAR = 2026
ND335_PARTS = (("Tiêu chí chung (tối đa 30 điểm)", 30), ("Kết quả thực hiện nhiệm vụ (tối đa 70 điểm)", 70))
# The new communes' first months: a dip while the merged offices settle.
MERGER_DIP = {(2025, 7): -3.0, (2025, 8): -2.0, (2025, 9): -1.0}
ND335_STRICTER = -4.0  # the 2026 scoring is stricter than the movement's monthly scoring was

def _classify(score: float) -> str:
    for lo, label in CLASS_LABELS:
        if score >= lo:
            return label
    return CLASS_LABELS[-1][1]


# --------------------------------------------------------------------------------------------
# Evaluations
# --------------------------------------------------------------------------------------------


def generate_evaluations(seed: int = DEFAULT_SEED, first: tuple[int, int] = FIRST_MONTH,
                         last: tuple[int, int] | None = None) -> list[dict]:
    """One dict per (unit, month): unit index, year, month, criteria points (or, from 2026, the two
    parts `general` and `task`), total, label shown."""
    last = last or last_full_month()
    return _district_evaluations(seed, first, last) + _commune_evaluations(seed, first, last)


def _district_evaluations(seed: int, first, last) -> list[dict]:
    """The district's 30 units, 07/2019–06/2025."""
    rng = np.random.default_rng([seed, 3])
    tet = tet_months()
    months = month_list(FIRST_MONTH, DISTRICT_LAST_MONTH)  # draw the whole period, then cut (stable streams)
    nu, nm = len(UNITS), len(months)
    unit_level = 87.0 + rng.normal(0.0, 2.2, nu)
    for w in WEAK_UNITS:
        unit_level[UNIT_INDEX[w]] -= 5.0
    t = np.arange(nm) / 12.0
    month_adj = np.array([(-1.5 if (y, m) in tet else 0.0) + (-1.5 if (y == 2021 and m in (7, 8, 9)) else 0.0)
                          for y, m in months])
    score = unit_level[:, None] + 0.7 * t[None, :] + month_adj[None, :] + rng.normal(0.0, 2.0, (nu, nm))
    # a few bad months (discipline incidents found by surprise inspections)
    for _ in range(3):
        ui = UNIT_INDEX[WEAK_UNITS[int(rng.integers(len(WEAK_UNITS)))]]
        score[ui, int(rng.integers(nm))] = rng.uniform(62.0, 69.0)
    score = np.clip(score, 55.0, 99.0)

    maxes = np.array([m for _, m in EVAL_CRITERIA], dtype=float)
    crit = maxes[None, None, :] * score[:, :, None] / 100.0 + rng.normal(0.0, 0.45, (nu, nm, len(maxes)))
    crit = np.clip(np.round(crit * 2.0) / 2.0, 0.0, maxes[None, None, :])
    total = crit.sum(axis=2)

    records = []
    for mi, (y, m) in enumerate(months):
        if not (first <= (y, m) <= last):
            continue
        for ui in range(nu):
            records.append({"unit": ui, "year": y, "month": m, "criteria": crit[ui, mi].tolist(),
                            "total": float(total[ui, mi]), "label": _classify(float(total[ui, mi]))})

    # Three given classifications that contradict the bands (lenient or strict heads of units).
    conflicts = ((2020, lambda r: 85.0 <= r["total"] < 90.0, "Hoàn thành xuất sắc nhiệm vụ"),
                 (2023, lambda r: r["total"] >= 91.0, "Hoàn thành tốt nhiệm vụ"),
                 (2025, lambda r: 66.0 <= r["total"] < 70.0 or 80.0 <= r["total"] < 84.0, "Hoàn thành nhiệm vụ"))
    for year, pred, label in conflicts:
        cands = [r for r in records if r["year"] == year and pred(r)]
        if cands:
            cands[int(rng.integers(len(cands)))]["label"] = label
    return records


def _unit_levels(seed: int) -> np.ndarray:
    """The district units' levels (the first draw of their stream), weak units lowered."""
    level = 87.0 + np.random.default_rng([seed, 3]).normal(0.0, 2.2, len(UNITS))
    for w in WEAK_UNITS:
        level[UNIT_INDEX[w]] -= 5.0
    return level


def _commune_evaluations(seed: int, first, last) -> list[dict]:
    """The four communes from 07/2025, each month from its own stream [seed, 3, year, month]; a
    commune's level is its predecessors' mean."""
    old = _unit_levels(seed)
    level = np.array([np.mean([old[UNIT_INDEX[p]] for p in u.predecessors]) for u in NEW_COMMUNES])
    tet = tet_months()
    records = []
    for y, m in month_list(max(first, (2025, 7)), last):
        rng = np.random.default_rng([seed, 3, y, m])
        t = ((y - 2019) * 12 + m - 7) / 12.0
        adj = MERGER_DIP.get((y, m), 0.0) + (-1.5 if (y, m) in tet else 0.0) + (ND335_STRICTER if y >= ND335_FROM_YEAR else 0.0)
        score = np.clip(level + 0.7 * t + adj + rng.normal(0.0, 2.2, len(level)), 55.0, 99.0)
        for k, u in enumerate(NEW_COMMUNES):
            rec = {"unit": UNIT_INDEX[u.unit_id], "year": y, "month": m}
            if y >= ND335_FROM_YEAR:
                general = float(np.clip(np.round((30.0 * score[k] / 100.0 + rng.normal(0.0, 0.8)) * 2) / 2, 0, 30))
                task = float(np.clip(np.round((70.0 * score[k] / 100.0 + rng.normal(0.0, 1.2)) * 2) / 2, 0, 70))
                rec.update(criteria=None, general=general, task=task, total=general + task)
            else:
                maxes = np.array([mx for _, mx in EVAL_CRITERIA], dtype=float)
                crit = np.clip(np.round((maxes * score[k] / 100.0 + rng.normal(0.0, 0.45, len(maxes))) * 2) / 2, 0, maxes)
                rec.update(criteria=crit.tolist(), total=float(crit.sum()))
            rec["label"] = _classify(rec["total"])
            records.append(rec)
    return records


def _fmt_points(v: float, decimal_comma: bool) -> str:
    s = f"{v:g}" if float(v).is_integer() else f"{v:.1f}"
    return s.replace(".", ",") if decimal_comma else s


def _write_evaluation_sheets(out_dir: Path, seed: int, first, last) -> list[Path]:
    rng = np.random.default_rng([seed, 4])
    records = generate_evaluations(seed, first, last)
    years = sorted({r["year"] for r in records})
    csv_years = {2020: (";", True, True), 2023: (",", False, False)}  # delimiter, decimal comma, BOM
    files = []
    for y in years:
        recs = [r for r in records if r["year"] == y]
        recs.sort(key=lambda r: (r["month"], r["unit"]))
        with_class = y in EVAL_YEARS_WITH_CLASSIFICATION
        parts = y >= ND335_FROM_YEAR
        headers = ["STT", "Đơn vị", "Kỳ đánh giá", *[c for c, _ in (ND335_PARTS if parts else EVAL_CRITERIA)],
                   "Tổng điểm"]
        if with_class:
            headers.append("Xếp loại")
        ncols = len(headers)
        formal = y <= 2021
        alt = rng.random(len(recs))
        months_in = sorted({r["month"] for r in recs})
        subtitle = (f"Năm {y} (từ tháng {months_in[0]:02d}/{y} đến tháng {months_in[-1]:02d}/{y})")
        title = ("BẢNG TỔNG HỢP KẾT QUẢ THEO DÕI, ĐÁNH GIÁ HÀNG THÁNG (NGHỊ ĐỊNH 335/2025/NĐ-CP)" if parts else
                 "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI HÀNG THÁNG THỰC HIỆN PHONG TRÀO THI ĐUA VĂN HÓA CÔNG SỞ")
        block = title_block(ncols, title, subtitle, issuer_of(y, months_in[-1]))
        as_csv = y in csv_years
        dec_comma = csv_years.get(y, (",", False, False))[1]
        rows = []
        for stt, (r, a) in enumerate(zip(recs, alt.tolist()), start=1):
            u = ALL_UNITS[r["unit"]]
            sp = u.sheet_spellings or u.spellings
            name = sp[0] if formal or a < 0.15 else sp[1 if len(sp) > 1 else 0]
            if u.kind == "commune" and not formal and a >= 0.15:
                name = sp[1]  # "Xã Phước Hậu" / "Thị trấn Phước Dân"
            row = [stt, name, f"Tháng {r['month']:02d}/{y}"]
            points = [r["general"], r["task"]] if parts else r["criteria"]
            if as_csv:
                row += [_fmt_points(v, dec_comma) for v in points] + [_fmt_points(r["total"], dec_comma)]
            else:
                row += [float(v) for v in points] + [float(r["total"])]
            if with_class:
                row.append(r["label"])
            rows.append(row)
        if as_csv:
            delim, _, bom = csv_years[y]
            path = out_dir / f"danhgia_{y}.csv"
            write_csv(path, block + [headers] + rows, delim, bom)
        else:
            path = out_dir / f"danhgia_{y}.xlsx"
            write_simple_xlsx(path, block, headers, rows, sheet_title=f"Đánh giá {y}",
                               number_format="0.0", total_row=None)
        files.append(path)
    return files



def write_demo(out_dir: Path, seed: int, first: tuple[int, int], last: tuple[int, int]) -> list[Path]:
    return _write_evaluation_sheets(out_dir, seed, first, last)
