"""A small hand-built warehouse for the metrics tests. Every expected number in the tests is
worked out by hand from the rows below (see the comments), never copied from the code's output.

Main period: Q1 2022 = 01/01/2022 .. 31/03/2022 (end of `to` = 01/04/2022 00:00 exclusive).
Previous equal period: Q4 2021 = 01/10/2021 .. 31/12/2021.
"""
from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from etl.derive import refresh_all
from etl.registry import load_rating_rules
from etl.warehouse import ensure_schema
from metrics.filters import Filters

THAI, THUAN, HUU = "xa-phuoc-thai", "xa-phuoc-thuan", "xa-phuoc-huu"
HUU_2025, NINH_PHUOC = "xa-phuoc-huu-2025", "xa-ninh-phuoc"
TU_PHAP, BAN_QLDA, KHUYEN_HOC = "p-tu-phap", "sn-ban-qlda", "h-khuyen-hoc"

Q1 = Filters(date(2022, 1, 1), date(2022, 3, 31))

UNITS = [
    # unit_id, name, kind, valid_from, valid_to, successor_id
    (THAI, "Xã Phước Thái", "commune", "2000-01-01", "2025-06-30", HUU_2025),
    (THUAN, "Xã Phước Thuận", "commune", "2000-01-01", "2025-06-30", NINH_PHUOC),
    (HUU, "Xã Phước Hữu", "commune", "2000-01-01", "2025-06-30", HUU_2025),
    (HUU_2025, "Xã Phước Hữu", "commune", "2025-07-01", None, None),
    (NINH_PHUOC, "Xã Ninh Phước", "commune", "2025-07-01", None, None),
    (TU_PHAP, "Phòng Tư pháp", "department", "2000-01-01", "2025-06-30", None),
    (BAN_QLDA, "Ban Quản lý dự án đầu tư xây dựng", "service_unit", "2000-01-01", "2025-06-30", None),
    (KHUYEN_HOC, "Hội Khuyến học huyện", "association", "2000-01-01", "2025-06-30", None),
]

HT, CT, DD = "Hộ tịch", "Chứng thực", "Đất đai"
KHAI_SINH, KET_HON = "Đăng ký khai sinh", "Đăng ký kết hôn"
BAN_SAO, GCN = "Chứng thực bản sao", "Cấp giấy chứng nhận quyền sử dụng đất"


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def day_end(text: str) -> datetime:
    """A due date given without a time: stored as 23:59:59 of that day."""
    return datetime.fromisoformat(text + " 23:59:59")


def day_only(text: str) -> datetime:
    """A return date given without a time: midnight, finished_has_time = FALSE."""
    return datetime.fromisoformat(text + " 00:00:00")


# id, unit, field, procedure, channel, received_at, due_at, finished_at, finished_has_time, apology
DOSSIERS = [
    # --- Xã Phước Thái (commune) ---
    # A1 returned the day before the due day (with a time) -> early
    ("A1", THAI, HT, KHAI_SINH, "online", ts("2022-01-10 08:00"), day_end("2022-01-12"), ts("2022-01-11 09:00"), True, False),
    # A2 returned ON the due day, date only -> on time
    ("A2", THAI, HT, KHAI_SINH, "in_person", ts("2022-01-10 08:30"), day_end("2022-01-12"), day_only("2022-01-12"), False, False),
    # A3 due 12/01 10:00, returned 12/01 15:00 (after the due hour on the due day) -> late
    ("A3", THAI, HT, KET_HON, "in_person", ts("2022-01-10 09:00"), ts("2022-01-12 10:00"), ts("2022-01-12 15:00"), True, True),
    # A4 returned exactly at the due time -> on time ("not after the due time")
    ("A4", THAI, CT, BAN_SAO, "postal", ts("2022-02-01 08:00"), ts("2022-02-03 10:00"), ts("2022-02-03 10:00"), True, False),
    # A5 pending, due 31/03/2022 23:59:59 = the period's last day -> overdue at the end (col 13)
    ("A5", THAI, CT, BAN_SAO, "online", ts("2022-03-30 08:00"), day_end("2022-03-31"), None, None, False),
    # A6 pending, due 01/04/2022 -> in time at the end (col 12)
    ("A6", THAI, CT, BAN_SAO, "online", ts("2022-03-30 09:00"), day_end("2022-04-01"), None, None, False),
    # A7 received in the previous period, returned late in Q1 (col 6 and col 10)
    ("A7", THAI, HT, KHAI_SINH, "in_person", ts("2021-12-20 08:00"), day_end("2022-01-05"), day_only("2022-01-07"), False, True),
    # A8 received and returned (early) before Q1 -> not in Q1's Biểu 06 at all
    ("A8", THAI, HT, KHAI_SINH, "in_person", ts("2021-12-01 08:00"), day_end("2021-12-10"), day_only("2021-12-09"), False, False),
    # A9 received on the last day, returned after the period -> col 4 and col 12 (due 05/04)
    ("A9", THAI, HT, KHAI_SINH, "online", ts("2022-03-31 16:00"), day_end("2022-04-05"), day_only("2022-04-02"), False, False),
    # A10 received in the previous period, never returned, due 03/01/2022 -> col 6 and col 13
    ("A10", THAI, CT, BAN_SAO, "in_person", ts("2021-12-28 08:00"), day_end("2022-01-03"), None, None, True),
    # A11 received after the period -> nowhere in Q1
    ("A11", THAI, HT, KHAI_SINH, "in_person", ts("2022-04-02 08:00"), day_end("2022-04-06"), None, None, False),
    # --- Xã Phước Thuận (commune) ---
    ("B1", THUAN, HT, KHAI_SINH, "online", ts("2022-01-05 08:00"), day_end("2022-01-07"), ts("2022-01-08 09:00"), True, False),  # late
    ("B2", THUAN, DD, GCN, "in_person", ts("2022-02-10 08:00"), day_end("2022-03-10"), day_only("2022-03-01"), False, False),    # early
    # --- Xã Phước Hữu (old commune, merged into Xã Phước Hữu 2025) ---
    ("C1", HUU, HT, KHAI_SINH, "online", ts("2022-02-20 08:00"), day_end("2022-02-22"), day_only("2022-02-22"), False, False),   # on time
    # --- Phòng Tư pháp (department) ---
    ("D1", TU_PHAP, CT, BAN_SAO, "in_person", ts("2022-01-04 08:00"), day_end("2022-01-06"), ts("2022-01-06 14:00"), True, False),  # on time
    ("D2", TU_PHAP, CT, BAN_SAO, "online", ts("2022-03-15 08:00"), day_end("2022-03-20"), day_only("2022-03-18"), False, False),     # early
    ("D3", TU_PHAP, DD, GCN, "postal", ts("2022-03-25 08:00"), ts("2022-03-28 17:00"), None, None, True),                           # pending overdue
    # --- Ban QLDA (service unit) ---
    # S1 received 01/11/2021, due 30/11/2021, returned 15/02/2022 -> col 6, late, 77 days late
    ("S1", BAN_QLDA, DD, GCN, "in_person", ts("2021-11-01 08:00"), day_end("2021-11-30"), day_only("2022-02-15"), False, False),
    # --- Xã Phước Hữu 2025 ---
    ("N1", HUU_2025, HT, KHAI_SINH, "online", ts("2025-07-10 08:00"), day_end("2025-07-15"), day_only("2025-07-14"), False, False),
]


def month_rows(unit, year, months_scores, classes):
    return [(unit, "month", date(year, m, 1), s, c) for (m, s), c in zip(months_scores, classes)]


# unit_id, period_type, period_start, score, classification
EVALUATIONS = [
    # Q1 2022 monthly
    *month_rows(THAI, 2022, [(1, 90), (2, 80), (3, 85)], ["xuat_sac", "tot", "tot"]),            # avg 85.0
    *month_rows(THUAN, 2022, [(1, 85), (2, 85), (3, 85)], ["tot", "tot", "tot"]),                # avg 85.0 (tie)
    *month_rows(TU_PHAP, 2022, [(1, 95), (2, 92), (3, 89)], ["xuat_sac", "xuat_sac", "tot"]),    # avg 92.0
    *month_rows(KHUYEN_HOC, 2022, [(1, 40), (2, 50), (3, 60)],
                ["khong_hoan_thanh", "hoan_thanh", "hoan_thanh"]),                               # avg 50.0
    (KHUYEN_HOC, "quarter", date(2022, 1, 1), 100.0, "xuat_sac"),  # ignored: monthly ones exist
    (BAN_QLDA, "quarter", date(2022, 1, 1), 60.0, "hoan_thanh"),   # only grain for Ban QLDA in Q1
    (BAN_QLDA, "year", date(2022, 1, 1), 99.0, "xuat_sac"),        # the year is not inside Q1
    # Q4 2021 monthly (previous period)
    *month_rows(THAI, 2021, [(10, 70), (11, 70), (12, 70)], ["tot"] * 3),                        # 70 -> rank 4
    *month_rows(THUAN, 2021, [(10, 80), (11, 80), (12, 80)], ["tot"] * 3),                       # 80 -> rank 2
    *month_rows(TU_PHAP, 2021, [(10, 90), (11, 90), (12, 90)], ["xuat_sac"] * 3),                # 90 -> rank 1
    *month_rows(KHUYEN_HOC, 2021, [(10, 75), (11, 75), (12, 75)], ["tot"] * 3),                  # 75 -> rank 3
]

# unit_id, year, commitment, headcount, signed
COMMITMENTS = [
    (THAI, 2022, "office_culture", 20, 20),
    (THAI, 2022, "smoke_free", 20, 18),
    (THUAN, 2022, "office_culture", 10, 9),
    (TU_PHAP, 2022, "office_culture", 15, 15),
    (THAI, 2021, "office_culture", 20, 10),
]


# -- the rest of the evidence (issue 8) ------------------------------------------------------------
# Satisfaction: a month counts when it lies wholly inside the period. Q1 2022 per unit:
#   Phước Thái 01-03: 200 answers, 177 very satisfied (88,5 %), 196 satisfied or better (98,0 %);
#     12/2021 (Q4: 95 of 100) and 04/2022 (out) do not count.
#   Phước Thuận 01+03: 100, 87 (87,0 %), 96 (96,0 %). Tư pháp 02: 20, 19 (95,0 %), 20 (100,0 %).
#   Ban QLDA 01: 10 answers of which only 9 say something: 8 (80,0 %), 9 (90,0 %).
#   Xã Phước Hữu (old): no surveys at all.
#   Q1 total: 330 answers, 291 very satisfied (88,18 %). By month: 01: 150/130, 02: 70/59, 03: 110/102.
# unit_id, month, responses, very_satisfied, satisfied, neutral, dissatisfied
SURVEYS = [
    (THAI, date(2021, 12, 1), 100, 95, 5, 0, 0),
    (THAI, date(2022, 1, 1), 100, 92, 6, 2, 0),
    (THAI, date(2022, 2, 1), 50, 40, 8, 1, 1),
    (THAI, date(2022, 3, 1), 50, 45, 5, 0, 0),
    (THAI, date(2022, 4, 1), 100, 50, 50, 0, 0),
    (THUAN, date(2022, 1, 1), 40, 30, 6, 2, 2),
    (THUAN, date(2022, 3, 1), 60, 57, 3, 0, 0),
    (TU_PHAP, date(2022, 2, 1), 20, 19, 1, 0, 0),
    (BAN_QLDA, date(2022, 1, 1), 10, 8, 1, 0, 0),
]

# Inspections: a visit counts when its day is inside the period. Q1 2022:
#   Phước Thái: 01/01 (first day) and 31/03 (last day) -> 2 visits, 30 checked, late 3, dress 1,
#     workplace 1 = 5 violations, 16,67 per 100; 01/04 and 15/11/2021 do not count.
#   Phước Thuận: 1 visit, 25 checked, 1 conduct -> 4,0 per 100. Tư pháp: 15 checked, 0 -> 0,0.
#   Q1: 70 checked, 6 violations (8,57 per 100); Q4 2021: 30 checked, 5 violations (16,67).
# inspected_on, unit_id, checked, late_or_absent, dress, conduct, workplace, note
INSPECTIONS = [
    (date(2021, 11, 15), THAI, 20, 3, 1, 0, 0, None),
    (date(2021, 12, 31), TU_PHAP, 10, 1, 0, 0, 0, None),
    (date(2022, 1, 1), THAI, 20, 2, 1, 0, 1, "Kiểm tra đầu năm"),
    (date(2022, 3, 31), THAI, 10, 1, 0, 0, 0, None),
    (date(2022, 4, 1), THAI, 10, 5, 5, 5, 5, None),
    (date(2022, 2, 10), THUAN, 25, 0, 0, 1, 0, None),
    (date(2022, 2, 15), TU_PHAP, 15, 0, 0, 0, 0, None),
]

# Staff ratings. The rule in force on 31/12 of the year (data/reference/rating_rules.csv):
# 2022 -> ND 90/2020 (for reference, never flagged); 2026 -> ND 335/2025 (enforced, 20 %).
#   Phước Thuận 2022 and Ninh Phước 2026: 5 xuất sắc of 10 tốt (50 %): flagged only in 2026.
#   Phước Thái 2022: 3 of 15 (20 %, at the cap); Phước Hữu 2026: 7 of 35 (20 %, at the cap, and
#   0.2 * 35 is 7.000000000000001 in floating point): never flagged. Tư pháp 2022: no tốt (ratio
#   empty). Khuyến học 2026: 1 xuất sắc, 0 tốt: over the cap.
# unit_id, year, headcount, xuat_sac, tot, hoan_thanh, khong_hoan_thanh
STAFF_RATINGS = [
    (THAI, 2022, 30, 3, 15, 10, 1),        # 1 not rated
    (THUAN, 2022, 20, 5, 10, 5, 0),
    (TU_PHAP, 2022, 10, 2, 0, 8, 0),
    (NINH_PHUOC, 2026, 20, 5, 10, 5, 0),
    (HUU_2025, 2026, 50, 7, 35, 8, 0),
    (KHUYEN_HOC, 2026, 5, 1, 0, 4, 0),
]

# Commendations decided within Q1 2022: decision 12 (15/01: Phước Thái one collective and one
# individual, Phước Thuận one individual) and decision 30 (31/03, last day); 31/12/2021 and
# 01/04/2022 are outside.
# decision_no, decided_on, level, form, recipient_kind, recipient_name, unit_id
COMMENDATIONS = [
    ("12/QĐ-UBND", date(2022, 1, 15), "UBND huyện", "Giấy khen", "collective", "UBND xã Phước Thái", THAI),
    ("12/QĐ-UBND", date(2022, 1, 15), "UBND huyện", "Giấy khen", "individual", "Nguyễn Văn An", THAI),
    ("12/QĐ-UBND", date(2022, 1, 15), "UBND huyện", "Giấy khen", "individual", "Trần Thị Bình", THUAN),
    ("30/QĐ-UBND", date(2022, 3, 31), "UBND huyện", "Lao động tiên tiến", "individual", "Lê Văn Cường", THAI),
    ("45/QĐ-UBND", date(2021, 12, 31), "UBND tỉnh", "Bằng khen", "collective", "Phòng Tư pháp", TU_PHAP),
    ("50/QĐ-UBND", date(2022, 4, 1), "UBND huyện", "Giấy khen", "individual", "Phạm Thị Dung", TU_PHAP),
]


def insert_evidence(con, *, surveys=SURVEYS, inspections=INSPECTIONS, staff_ratings=STAFF_RATINGS,
                    commendations=COMMENDATIONS, batch_id: int = 4) -> None:
    """Rows of the four evidence tables, straight into the warehouse (batch_id as given)."""
    if surveys:
        con.executemany("INSERT INTO surveys VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [(*r, batch_id) for r in surveys])
    if inspections:
        con.executemany("INSERT INTO inspections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [(*r, batch_id) for r in inspections])
    if staff_ratings:
        con.executemany("INSERT INTO staff_ratings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [(*r, batch_id) for r in staff_ratings])
    if commendations:
        con.executemany("INSERT INTO commendations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [(*r, batch_id) for r in commendations])


def build_warehouse(path, *, dossiers=DOSSIERS, evaluations=EVALUATIONS, commitments=COMMITMENTS,
                    evidence=True, is_demo=True) -> str:
    con = duckdb.connect(str(path))
    try:
        ensure_schema(con)
        con.executemany("INSERT INTO units (unit_id, name, kind, valid_from, valid_to, successor_id) VALUES (?, ?, ?, ?, ?, ?)", UNITS)
        if dossiers:
            con.executemany(
                "INSERT INTO dossiers (dossier_id, unit_id, field, procedure_name, channel, received_at,"
                " due_at, finished_at, finished_has_time, apology_issued, batch_id) VALUES (?,?,?,?,?,?,?,?,?,?,1)",
                dossiers,
            )
        if evaluations:
            con.executemany(
                "INSERT INTO evaluations (unit_id, period_type, period_start, score, classification, batch_id,"
                " classification_source, band_conflict) VALUES (?,?,?,?,?,2,'given',FALSE)",
                evaluations,
            )
        if commitments:
            con.executemany("INSERT INTO commitments VALUES (?,?,?,?,?,3)", commitments)
        if evidence:
            insert_evidence(con)
        load_rating_rules(con)   # the real data/reference/rating_rules.csv
        con.execute("INSERT INTO meta VALUES ('is_demo', ?)", ["true" if is_demo else "false"])
        refresh_all(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return str(path)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> str:
    return build_warehouse(tmp_path_factory.mktemp("metrics") / "warehouse.duckdb")


@pytest.fixture()
def con(warehouse):
    c = duckdb.connect(warehouse, read_only=True)
    yield c
    c.close()
