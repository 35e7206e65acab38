"""A small warehouse for the page tests (AppTest): three units, a quarter of dossiers, monthly
evaluations and one year of commitments. Small enough to count by hand:

Period 01/2022-03/2022 (previous equal period 10/2021-12/2021).
- Xã Phước Hậu (xa-phuoc-hau), 03/2022: 4 returned (2 early, 1 on time, 1 late with apology),
  1 pending overdue (no apology). Scores 01-03/2022: 92, 88, 80.
- Thị trấn Phước Dân (tt-phuoc-dan), 03/2022: 3 returned (1 early, 2 late, one apology).
  Scores 01-03/2022: 75, 70, 65.
- Phòng Tư pháp (p-tu-phap), 02/2022: 2 returned on time; 03/2022: 1 online returned early.
  Scores 01-03/2022: 95, 95, 60. 12/2021: Phòng Tư pháp 1 returned early.
Commitments 2022 (office_culture): Phước Hậu 20/20, Phước Dân 18/20, Tư pháp 10/10.

The rest of the evidence (insert_evidence; `year`, `month` = the default month, 03/2022):
- Surveys: Phước Hậu 02: 100 answers, 95 very satisfied; 03: 80, 70 (87,5 %). Phước Dân 03:
  120, 100 (83,3 %). Tư pháp: none. 03/2022: 170 of 200 = 85,0 % (02/2022: 95,0 %: -10,0).
- Inspections: Phước Hậu 10/03: 20 checked, 1 late + 1 dress; Phước Dân 15/03: 10 checked,
  2 late + 1 conduct; Tư pháp 20/02: 12 checked, 1 workplace. 03/2022: 5 per 30 = 16,7 per 100
  (02/2022: 1 per 12 = 8,3: +8,3).
- Staff ratings 2022: Phước Hậu 20 = 5 xuất sắc, 10 tốt, 5 hoàn thành (50 %: over 20 %, but 2022
  is under ND 90/2020, shown for reference only); Phước Dân 20 = 2, 12, 6 (16,7 %); Tư pháp 10 =
  1, 6, 3 (16,7 %).
- Commendations: 15/QĐ-UBND 05/03 (UBND huyện, Giấy khen): Phước Hậu collective + Nguyễn Thị Hoa;
  16/QĐ-UBND 20/03 (UBND tỉnh, Bằng khen): Trần Văn Nam of Phòng Tư pháp.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from etl import derive, registry
from etl.warehouse import writer

D = dt.datetime


def _dossier(i, unit, field, proc, channel, received, due, finished, apology):
    return (f"HS-{i:04d}", unit, field, proc, channel, received, due, finished, apology, 1, True)


DOSSIERS = [
    # Xã Phước Hậu, 03/2022
    _dossier(1, "xa-phuoc-hau", "Hộ tịch", "Đăng ký khai sinh", "in_person",
             D(2022, 3, 1, 8), D(2022, 3, 3, 17), D(2022, 3, 2, 10), False),          # early
    _dossier(2, "xa-phuoc-hau", "Hộ tịch", "Đăng ký kết hôn", "online",
             D(2022, 3, 2, 8), D(2022, 3, 7, 17), D(2022, 3, 4, 9), False),           # early
    _dossier(3, "xa-phuoc-hau", "Chứng thực", "Chứng thực bản sao", "in_person",
             D(2022, 3, 8, 8), D(2022, 3, 8, 17), D(2022, 3, 8, 15), False),          # on time
    _dossier(4, "xa-phuoc-hau", "Chứng thực", "Chứng thực chữ ký", "in_person",
             D(2022, 3, 9, 8), D(2022, 3, 10, 17), D(2022, 3, 14, 9), True),          # late, apology
    _dossier(5, "xa-phuoc-hau", "Đất đai", "Đăng ký biến động đất đai", "postal",
             D(2022, 3, 10, 8), D(2022, 3, 20, 17), None, False),                     # pending overdue
    # Thị trấn Phước Dân, 03/2022
    _dossier(6, "tt-phuoc-dan", "Hộ tịch", "Đăng ký khai sinh", "in_person",
             D(2022, 3, 1, 8), D(2022, 3, 4, 17), D(2022, 3, 3, 8), False),           # early
    _dossier(7, "tt-phuoc-dan", "Hộ tịch", "Đăng ký khai tử", "in_person",
             D(2022, 3, 2, 8), D(2022, 3, 3, 17), D(2022, 3, 7, 8), True),            # late, apology
    _dossier(8, "tt-phuoc-dan", "Chứng thực", "Chứng thực bản sao", "online",
             D(2022, 3, 3, 8), D(2022, 3, 4, 17), D(2022, 3, 9, 8), False),           # late, no apology
    # Phòng Tư pháp
    _dossier(9, "p-tu-phap", "Hộ tịch", "Cải chính hộ tịch", "in_person",
             D(2022, 2, 7, 8), D(2022, 2, 14, 17), D(2022, 2, 14, 10), False),        # on time
    _dossier(10, "p-tu-phap", "Hộ tịch", "Cải chính hộ tịch", "in_person",
             D(2022, 2, 8, 8), D(2022, 2, 15, 17), D(2022, 2, 15, 16), False),        # on time
    _dossier(11, "p-tu-phap", "Chứng thực", "Chứng thực hợp đồng", "online",
             D(2022, 3, 14, 8), D(2022, 3, 18, 17), D(2022, 3, 16, 8), False),        # early
    _dossier(12, "p-tu-phap", "Hộ tịch", "Cải chính hộ tịch", "in_person",
             D(2021, 12, 6, 8), D(2021, 12, 10, 17), D(2021, 12, 8, 8), False),       # early (prev.)
]

SCORES = {
    "xa-phuoc-hau": [92, 88, 80],
    "tt-phuoc-dan": [75, 70, 65],
    "p-tu-phap": [95, 95, 60],
}
BANDS = [(90, "xuat_sac"), (70, "tot"), (50, "hoan_thanh"), (0, "khong_hoan_thanh")]

COMMITMENTS = [
    ("xa-phuoc-hau", 2022, "office_culture", 20, 20),
    ("tt-phuoc-dan", 2022, "office_culture", 20, 18),
    ("p-tu-phap", 2022, "office_culture", 10, 10),
]


def insert_evidence(con, year: int = 2022, month: int = 3) -> None:
    """Surveys, inspections, staff ratings (of `year`) and commendations for `month` of `year`
    and the month before (see the module docstring), straight into the warehouse."""
    prev = month - 1
    d = dt.date
    con.executemany("INSERT INTO surveys VALUES (?, ?, ?, ?, ?, ?, ?, 1)", [
        ("xa-phuoc-hau", d(year, prev, 1), 100, 95, 5, 0, 0),
        ("xa-phuoc-hau", d(year, month, 1), 80, 70, 8, 2, 0),
        ("tt-phuoc-dan", d(year, month, 1), 120, 100, 15, 5, 0),
    ])
    con.executemany("INSERT INTO inspections VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)", [
        (d(year, month, 10), "xa-phuoc-hau", 20, 1, 1, 0, 0, None),
        (d(year, month, 15), "tt-phuoc-dan", 10, 2, 0, 1, 0, "Hai người đến muộn"),
        (d(year, prev, 20), "p-tu-phap", 12, 0, 0, 0, 1, None),
    ])
    con.executemany("INSERT INTO staff_ratings VALUES (?, ?, ?, ?, ?, ?, ?, 1)", [
        ("xa-phuoc-hau", year, 20, 5, 10, 5, 0),
        ("tt-phuoc-dan", year, 20, 2, 12, 6, 0),
        ("p-tu-phap", year, 10, 1, 6, 3, 0),
    ])
    con.executemany("INSERT INTO commendations VALUES (?, ?, ?, ?, ?, ?, ?, 1)", [
        ("15/QĐ-UBND", d(year, month, 5), "UBND huyện", "Giấy khen", "collective", "UBND xã Phước Hậu", "xa-phuoc-hau"),
        ("15/QĐ-UBND", d(year, month, 5), "UBND huyện", "Giấy khen", "individual", "Nguyễn Thị Hoa", "xa-phuoc-hau"),
        ("16/QĐ-UBND", d(year, month, 20), "UBND tỉnh", "Bằng khen", "individual", "Trần Văn Nam", "p-tu-phap"),
    ])


def _band(score: float) -> str:
    return next(c for m, c in BANDS if score >= m)


def build_warehouse(path: Path, *, demo: bool = True) -> Path:
    """Create the fixture warehouse at `path` (through the real copy-swap writer)."""
    with writer(path) as con:
        registry.load_reference(con)
        con.execute(
            "INSERT INTO load_batches (batch_id, file_name, sha256, kind, loaded_at, rows_read,"
            " rows_loaded, rows_rejected, status) VALUES (1, 'fixture.csv', 'x', 'dossiers',"
            " TIMESTAMP '2022-04-01 08:00:00', 12, 12, 0, 'ok')"
        )
        con.executemany(
            "INSERT INTO dossiers (dossier_id, unit_id, field, procedure_name, channel, received_at,"
            " due_at, finished_at, apology_issued, batch_id, finished_has_time)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            DOSSIERS,
        )
        rows = []
        for unit, scores in SCORES.items():
            for month, score in zip((1, 2, 3), scores):
                c = _band(score)
                rows.append((unit, "month", dt.date(2022, month, 1), float(score), c, 1, "bands", c, False))
        con.executemany("INSERT INTO evaluations (unit_id, period_type, period_start, score, classification, batch_id, "
            "classification_source, band_classification, band_conflict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.executemany(
            "INSERT INTO commitments VALUES (?, ?, ?, ?, ?, 1)", COMMITMENTS
        )
        insert_evidence(con)
        con.execute("INSERT INTO meta VALUES ('is_demo', ?)", ["true" if demo else "false"])
        derive.refresh_all(con)
    return path
