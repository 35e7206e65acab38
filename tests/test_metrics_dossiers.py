"""Dossier metrics: outcomes at the boundaries, Biểu 06, KPIs, trend, late rates, late dossiers.
Expected numbers are worked out by hand from tests/metrics_fixtures.py (Q1 2022)."""
from __future__ import annotations

from datetime import date

import pytest

from metrics import tables
from metrics.filters import Filters
from metrics_fixtures import Q1, THAI, TU_PHAP, con, warehouse  # noqa: F401 (fixtures)

COLS = [
    "(1) STT", "(2) Lĩnh vực, công việc giải quyết theo cấp", "(3) Tổng số hồ sơ nhận giải quyết",
    "(4) Trong kỳ: Trực tuyến", "(5) Trong kỳ: Trực tiếp, dịch vụ bưu chính", "(6) Từ kỳ trước",
    "(7) Tổng số đã giải quyết", "(8) Trước hạn", "(9) Đúng hạn", "(10) Quá hạn",
    "(11) Tổng số đang giải quyết", "(12) Trong hạn", "(13) Quá hạn",
]


def test_outcome_boundaries(con):
    outcome = dict(con.execute("SELECT dossier_id, outcome FROM dossiers").fetchall())
    assert outcome["A1"] == "early"    # returned 11/01, due 12/01 -> the day before
    assert outcome["A2"] == "on_time"  # returned on the due day, date only -> on time
    assert outcome["A3"] == "late"     # due 12/01 10:00, returned 12/01 15:00 -> late
    assert outcome["A4"] == "on_time"  # returned exactly at the due time -> not after it
    assert outcome["A5"] is None       # pending


def test_bieu06_exact_numbers(con):
    df = tables.build("bieu06", con, Q1)
    assert list(df.columns) == COLS
    rows = [[None if v != v else v for v in r] for r in df.itertuples(index=False)]  # NaN -> None
    # Worked out by hand (fixtures):
    #  Cấp huyện: Phòng Tư pháp D1 (in person, on time), D2 (online, early), D3 (postal, pending,
    #    due 28/03 17:00 -> overdue); Ban QLDA S1 (from 11/2021, returned late 15/02).
    #    Chứng thực: D1, D2 -> 3=2, 4=1, 5=1, 6=0, 7=2 (8=1, 9=1, 10=0), 11=0
    #    Đất đai: D3, S1    -> 3=2, 4=0, 5=1, 6=1, 7=1 (10=1), 11=1 (13=1)
    #  Cấp xã: Phước Thái A1..A7, A9, A10 (A8 returned before Q1, A11 received after), Phước Thuận
    #    B1, B2, old Phước Hữu C1.
    #    Chứng thực: A4 (postal, on time), A5 (online, pending, due 31/03 23:59:59 -> overdue),
    #      A6 (online, pending, due 01/04 -> in time), A10 (from 12/2021, pending, overdue)
    #      -> 3=4, 4=2, 5=1, 6=1, 7=1 (9=1), 11=3 (12=1, 13=2)
    #    Đất đai: B2 (in person, early) -> 3=1, 5=1, 7=1 (8=1)
    #    Hộ tịch: A1 (online, early), A2 (in person, on time), A3 (in person, late), A7 (from
    #      12/2021, late), A9 (online, not returned by 31/03, due 05/04 -> in time), B1 (online,
    #      late), C1 (online, on time) -> 3=7, 4=4, 5=2, 6=1, 7=6 (8=1, 9=2, 10=3), 11=1 (12=1)
    # Fields in Vietnamese order: Chứng thực, Đất đai (Đ after D), Hộ tịch.
    assert rows == [
        ["I", "Cấp huyện", 4, 1, 2, 1, 3, 1, 1, 1, 1, 0, 1],
        ["1", "Chứng thực", 2, 1, 1, 0, 2, 1, 1, 0, 0, 0, 0],
        ["2", "Đất đai", 2, 0, 1, 1, 1, 0, 0, 1, 1, 0, 1],
        ["II", "Cấp xã", 12, 6, 4, 2, 8, 2, 3, 3, 4, 2, 2],
        ["1", "Chứng thực", 4, 2, 1, 1, 1, 0, 1, 0, 3, 1, 2],
        ["2", "Đất đai", 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0],
        ["3", "Hộ tịch", 7, 4, 2, 1, 6, 1, 2, 3, 1, 1, 0],
        [None, "Tổng cộng", 16, 7, 6, 3, 11, 3, 4, 4, 5, 2, 3],
    ]


def _check_identities(df):
    c = {i: df[COLS[i - 1]].astype(int) for i in range(3, 14)}
    assert (c[3] == c[4] + c[5] + c[6]).all()
    assert (c[3] == c[7] + c[11]).all()
    assert (c[7] == c[8] + c[9] + c[10]).all()
    assert (c[11] == c[12] + c[13]).all()
    # subtotals and total add up
    field_rows = df[COLS[0]].str.isdigit().fillna(False).astype(bool)
    level_rows = df[COLS[0]].isin(["I", "II"])
    total = df.iloc[-1]
    for col in COLS[2:]:
        assert df.loc[field_rows, col].sum() == df.loc[level_rows, col].sum() == total[col]


@pytest.mark.parametrize("period", [
    (date(2022, 1, 1), date(2022, 3, 31)),
    (date(2022, 1, 1), date(2022, 1, 31)),
    (date(2022, 2, 1), date(2022, 2, 28)),
    (date(2021, 10, 1), date(2021, 12, 31)),
    (date(2022, 1, 12), date(2022, 1, 12)),   # one day
    (date(2021, 1, 1), date(2025, 12, 31)),
])
def test_bieu06_identities(con, period):
    _check_identities(tables.build("bieu06", con, Filters(*period)))


def test_bieu06_without_data_is_a_total_row_of_zeros(con):
    df = tables.build("bieu06", con, Filters(date(2010, 1, 1), date(2010, 1, 31)))
    assert len(df) == 1 and df.iloc[0, 1] == "Tổng cộng"
    assert df.iloc[0, 2:].tolist() == [0] * 11


def test_bieu06_commune_viewer_sees_only_cap_xa_numbered_I(con):
    df = tables.build("bieu06", con, Filters(Q1.date_from, Q1.date_to, scope=(THAI,)))
    # Phước Thái: Chứng thực A4, A5, A6, A10 (3=4); Hộ tịch A1, A2, A3, A7, A9 (3=5); total 9
    assert df[COLS[0]].tolist()[:1] == ["I"]
    assert df[COLS[1]].tolist() == ["Cấp xã", "Chứng thực", "Hộ tịch", "Tổng cộng"]
    assert df[COLS[2]].tolist() == [9, 4, 5, 9]


def test_bieu06_title():
    assert tables.bieu06_title(Q1) == [
        "Biểu số 06/VPCP/KSTT",
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
        "(Từ ngày 01/01/2022 đến ngày 31/03/2022)",
        "Đơn vị tính: Số hồ sơ TTHC",
    ]
    assert "Đơn vị: Xã Phước Thái" in tables.bieu06_title(Q1, ["Xã Phước Thái"])


def test_pending_due_on_the_last_day_is_overdue_at_the_end(con):
    # DOMAIN.md: col 11 "in time = due after the end of `to`; late otherwise". A due date without a
    # time is 23:59:59 of that day, which is NOT after the end of that day (the end of `to` is the
    # midnight that closes it), so A5 (due 31/03/2022, not returned by 31/03) is OVERDUE at the end
    # of Q1: at that moment its deadline has passed without a return. A6 (due 01/04) is in time.
    month = Filters(date(2022, 3, 1), date(2022, 3, 31), units=(THAI,))
    df = tables.build("bieu06", con, month)
    chung_thuc = df[df[COLS[1]] == "Chứng thực"].iloc[0]
    # March, Phước Thái, Chứng thực: A5, A6 received in March; A10 carried (from 12/2021)
    assert (chung_thuc[COLS[10]], chung_thuc[COLS[11]], chung_thuc[COLS[12]]) == (3, 1, 2)
    # ... and one day later, at the end of 01/04, A6 (due 01/04 23:59:59) is overdue too
    april1 = Filters(date(2022, 4, 1), date(2022, 4, 1), units=(THAI,))
    ids = set(tables.build("late_dossiers", con, april1)["Mã hồ sơ"])
    assert {"A5", "A6", "A10"} <= ids


def test_kpis_q1(con):
    k = tables.kpis(con, Q1)
    # received in Q1: A1-A6, A9, B1, B2, C1, D1-D3 = 13, of which online A1, A5, A6, A9, B1, C1, D2 = 7
    # returned in Q1 (col 7): A1 e, A2 o, A3 l, A4 o, A7 l, B1 l, B2 e, C1 o, D1 o, D2 e, S1 l = 11
    # pending at 31/03 (col 11): A5, A6, A9, A10, D3 = 5; overdue (col 13): A5, A10, D3 = 3
    # late dossiers: returned late A3 (apology), A7 (apology), B1, S1 + pending overdue A5,
    #   A10 (apology), D3 (apology) = 7, with apology 4 -> 4/7
    # scores (finest grain inside Q1): Thái 90+80+85, Thuận 85*3, Tư pháp 95+92+89, Khuyến học
    #   40+50+60 (its quarterly 100 ignored), Ban QLDA quarterly 60 (yearly 99 not inside Q1)
    #   = 996 / 13 evaluations
    # commitments 2022: signed 20+18+9+15 = 62 of headcount 20+20+10+15 = 65
    expected = {
        "received": 13, "returned": 11, "early": 3, "on_time": 4, "late": 4,
        "on_time_rate": 700 / 11, "late_rate": 400 / 11,
        "pending": 5, "pending_overdue": 3,
        "apology_coverage": 400 / 7, "online_share": 700 / 13,
        "avg_score": 996 / 13, "commitment_coverage": 6200 / 65,
    }
    for key, value in expected.items():
        assert k[key] == pytest.approx(value), key


def test_kpis_previous_period(con):
    k = tables.kpis(con, Q1.previous())
    # Q4 2021: received A7, A8, A10, S1 (all in person) = 4 -> online share 0
    # returned: A8 (early) = 1 -> on-time 100 %, late 0 %
    # pending at 31/12/2021: A7 (due 05/01/2022, in time), A10 (due 03/01/2022, in time),
    #   S1 (due 30/11/2021, overdue) -> 3, overdue 1; late dossiers: S1 only, no apology -> 0 %
    # scores: Thái 70*3, Thuận 80*3, Tư pháp 90*3, Khuyến học 75*3 = 945 / 12 = 78.75
    # commitments 2021: 10 / 20 = 50 %
    assert (k["received"], k["returned"], k["early"], k["late"]) == (4, 1, 1, 0)
    assert (k["on_time_rate"], k["late_rate"], k["online_share"]) == (100.0, 0.0, 0.0)
    assert (k["pending"], k["pending_overdue"], k["apology_coverage"]) == (3, 1, 0.0)
    assert k["avg_score"] == pytest.approx(78.75)
    assert k["commitment_coverage"] == pytest.approx(50.0)


def test_kpis_none_without_data(con):
    k = tables.kpis(con, Filters(date(2010, 1, 1), date(2010, 3, 31)))
    assert k["received"] == 0 and k["returned"] == 0
    for key in ("on_time_rate", "late_rate", "apology_coverage", "online_share", "avg_score",
                "commitment_coverage"):
        assert k[key] is None, key


def test_kpis_agree_with_bieu06_total(con):
    for f in (Q1, Q1.previous(), Filters(date(2022, 2, 1), date(2022, 2, 28))):
        k = tables.kpis(con, f)
        total = tables.build("bieu06", con, f).iloc[-1]
        assert k["received"] == total[COLS[3]] + total[COLS[4]]
        assert (k["returned"], k["early"], k["on_time"], k["late"]) == tuple(total[COLS[6:10]])
        assert (k["pending"], k["pending_overdue"]) == (total[COLS[10]], total[COLS[12]])


def test_trend_month_by_month(con):
    df = tables.build("trend", con, Q1)
    assert list(df.columns) == ["Tháng", "Hồ sơ tiếp nhận", "Đã giải quyết", "Tỷ lệ đúng hạn (%)",
                                "Tỷ lệ quá hạn (%)", "Tỷ lệ trực tuyến (%)", "Điểm đánh giá TB"]
    assert df["Tháng"].tolist() == ["01/2022", "02/2022", "03/2022"]
    # Jan: received A1 A2 A3 B1 D1 = 5 (online A1, B1); returned A1 e, A2 o, A3 l, A7 l, B1 l, D1 o = 6
    #      scores 90, 85, 95, 40 -> 77.5
    # Feb: received A4 B2 C1 = 3 (online C1); returned A4 o, C1 o, S1 l = 3; scores 80 85 92 50 -> 76.75
    # Mar: received A5 A6 A9 D2 D3 = 5 (online A5 A6 A9 D2); returned B2 e, D2 e = 2;
    #      scores 85 85 89 60 -> 79.75
    assert df["Hồ sơ tiếp nhận"].tolist() == [5, 3, 5]
    assert df["Đã giải quyết"].tolist() == [6, 3, 2]
    assert df["Tỷ lệ đúng hạn (%)"].tolist() == pytest.approx([50.0, 200 / 3, 100.0])
    assert df["Tỷ lệ quá hạn (%)"].tolist() == pytest.approx([50.0, 100 / 3, 0.0])
    assert df["Tỷ lệ trực tuyến (%)"].tolist() == pytest.approx([40.0, 100 / 3, 80.0])
    assert df["Điểm đánh giá TB"].tolist() == pytest.approx([77.5, 76.75, 79.75])


def test_trend_months_without_data_are_listed(con):
    df = tables.build("trend", con, Filters(date(2010, 1, 1), date(2010, 2, 28)))
    assert df["Tháng"].tolist() == ["01/2010", "02/2010"]
    assert df["Hồ sơ tiếp nhận"].tolist() == [0, 0]
    assert df["Tỷ lệ đúng hạn (%)"].isna().all()


def test_late_rates_by_unit(con):
    df = tables.build("late_rates", con, Q1)
    assert list(df.columns) == ["Đơn vị", "Hồ sơ tiếp nhận", "Đã giải quyết", "Trước hạn", "Đúng hạn",
                                "Quá hạn", "Tỷ lệ quá hạn (%)", "Tỷ lệ đúng hạn (%)"]
    # Ban QLDA: S1 returned late -> 0 received, 1 returned, late 100 %
    # Phước Thuận: B1 late, B2 early -> 50 %; Phước Thái: received 7, returned A1 e, A2 o, A3 l,
    #   A4 o, A7 l -> 40 %; Tư pháp and old Phước Hữu 0 % (Phòng before Xã in Vietnamese order)
    assert [list(r) for r in df.itertuples(index=False)] == [
        ["Ban Quản lý dự án đầu tư xây dựng", 0, 1, 0, 0, 1, 100.0, 0.0],
        ["Xã Phước Thuận", 2, 2, 1, 0, 1, 50.0, 50.0],
        ["Xã Phước Thái", 7, 5, 1, 2, 2, 40.0, 60.0],
        ["Phòng Tư pháp", 3, 2, 1, 1, 0, 0.0, 100.0],
        ["Xã Phước Hữu (đến 30/06/2025)", 1, 1, 0, 1, 0, 0.0, 100.0],
    ]


def test_late_rates_by_field_vietnamese_order_on_ties(con):
    df = tables.build("late_rates", con, Q1, by="field")
    # Hộ tịch: received A1 A2 A3 A9 B1 C1 = 6, returned A1 e, A2 o, A3 l, A7 l, B1 l, C1 o -> 50 %
    # Đất đai: received B2 D3 = 2, returned B2 e, S1 l -> 50 %  (tie: Đất đai before Hộ tịch)
    # Chứng thực: received A4 A5 A6 D1 D2 = 5, returned A4 o, D1 o, D2 e -> 0 %
    assert [list(r) for r in df.itertuples(index=False)] == [
        ["Đất đai", 2, 2, 1, 0, 1, 50.0, 50.0],
        ["Hộ tịch", 6, 6, 1, 2, 3, 50.0, 50.0],
        ["Chứng thực", 5, 3, 1, 2, 0, 0.0, 100.0],
    ]


def test_late_rates_by_procedure(con):
    df = tables.build("late_rates", con, Q1, by="procedure")
    assert list(df.columns[:2]) == ["Lĩnh vực", "Thủ tục"]
    # Kết hôn: A3 late -> 100 %; GCN: B2 e, S1 l -> 50 %; Khai sinh: received A1 A2 A9 B1 C1,
    # returned A1 e, A2 o, A7 l, B1 l, C1 o -> 40 %; Bản sao -> 0 %
    assert df["Thủ tục"].tolist() == ["Đăng ký kết hôn", "Cấp giấy chứng nhận quyền sử dụng đất",
                                      "Đăng ký khai sinh", "Chứng thực bản sao"]
    assert df["Tỷ lệ quá hạn (%)"].tolist() == [100.0, 50.0, 40.0, 0.0]
    assert df["Hồ sơ tiếp nhận"].tolist() == [1, 2, 5, 5]
    with pytest.raises(ValueError):
        tables.build("late_rates", con, Q1, by="nonsense")


def test_late_dossiers(con):
    df = tables.build("late_dossiers", con, Q1)
    assert list(df.columns) == ["Mã hồ sơ", "Đơn vị", "Lĩnh vực", "Thủ tục", "Ngày tiếp nhận", "Hạn trả",
                                "Ngày trả", "Trạng thái", "Số ngày quá hạn", "Phiếu xin lỗi"]
    # days late: calendar days due day -> return day (pending: -> 31/03/2022), at least 1
    #   A10 due 03/01, pending: 28 (rest of Jan) + 28 (Feb) + 31 (Mar) = 87
    #   S1 due 30/11/2021, returned 15/02/2022: 31 + 31 + 15 = 77
    #   D3 due 28/03, pending -> 3;  A7 due 05/01 returned 07/01 -> 2
    #   A3 late by hours on the due day -> 1; A5 due 31/03, pending -> 0 -> 1; B1 due 07/01 -> 08/01 = 1
    # ties (1 day): by unit name (Phước Thái before Phước Thuận), then id
    assert df["Mã hồ sơ"].tolist() == ["A10", "S1", "D3", "A7", "A3", "A5", "B1"]
    assert df["Số ngày quá hạn"].tolist() == [87, 77, 3, 2, 1, 1, 1]
    assert df["Trạng thái"].tolist() == ["Quá hạn chưa trả", "Trả quá hạn", "Quá hạn chưa trả", "Trả quá hạn",
                                         "Trả quá hạn", "Quá hạn chưa trả", "Trả quá hạn"]
    assert df["Phiếu xin lỗi"].tolist() == ["Đã có", "Chưa có", "Đã có", "Đã có", "Đã có", "Chưa có", "Chưa có"]
    s1 = df[df["Mã hồ sơ"] == "S1"].iloc[0]
    assert (s1["Ngày tiếp nhận"], s1["Hạn trả"], s1["Ngày trả"]) == (date(2021, 11, 1), date(2021, 11, 30), date(2022, 2, 15))
    assert df[df["Mã hồ sơ"] == "A10"].iloc[0]["Ngày trả"] is None
    assert tables.build("late_dossiers", con, Q1, limit=2)["Mã hồ sơ"].tolist() == ["A10", "S1"]


def test_late_dossiers_count_matches_apology_denominator(con):
    for f in (Q1, Q1.previous(), Filters(Q1.date_from, Q1.date_to, units=(TU_PHAP,))):
        k = tables.kpis(con, f)
        df = tables.build("late_dossiers", con, f)
        assert len(df) == k["late_dossiers"]
        assert (df["Phiếu xin lỗi"] == "Đã có").sum() == k["late_with_apology"]


# -- property: the identities hold for any data and any period -----------------------------------

from datetime import datetime, timedelta  # noqa: E402

import duckdb  # noqa: E402
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from etl.derive import refresh_all  # noqa: E402
from etl.warehouse import ensure_schema  # noqa: E402
from metrics_fixtures import UNITS  # noqa: E402

_BASE = datetime(2022, 1, 1)
_dossier = st.tuples(
    st.sampled_from([u[0] for u in UNITS]),
    st.sampled_from(["Hộ tịch", "Chứng thực", "Đất đai"]),
    st.sampled_from(["online", "in_person", "postal"]),
    st.integers(0, 120 * 24),          # received: hours after 01/01/2022
    st.integers(0, 30 * 24),           # due: hours after received
    st.one_of(st.none(), st.integers(0, 60 * 24)),  # finished: hours after received, or pending
    st.booleans(),                     # due has a time
    st.booleans(),                     # finished has a time
    st.booleans(),                     # apology
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_dossier, max_size=40), start=st.integers(0, 120), length=st.integers(0, 60))
def test_bieu06_identities_hold_for_any_data(rows, start, length):
    con = duckdb.connect()
    ensure_schema(con)
    con.executemany("INSERT INTO units (unit_id, name, kind, valid_from, valid_to, successor_id) VALUES (?, ?, ?, ?, ?, ?)", UNITS)
    data = []
    for i, (unit, field, channel, rec_h, due_h, fin_h, due_time, fin_time, apology) in enumerate(rows):
        received = _BASE + timedelta(hours=rec_h)
        due = received + timedelta(hours=due_h)
        if not due_time:
            due = datetime.combine(due.date(), datetime.max.time()).replace(microsecond=0)
        finished = None if fin_h is None else received + timedelta(hours=fin_h)
        if finished is not None and not fin_time:
            finished = datetime.combine(finished.date(), datetime.min.time())
        data.append((f"X{i}", unit, field, "P", channel, received, due, finished,
                     None if finished is None else fin_time, apology))
    if data:
        con.executemany(
            "INSERT INTO dossiers (dossier_id, unit_id, field, procedure_name, channel, received_at, due_at,"
            " finished_at, finished_has_time, apology_issued, batch_id) VALUES (?,?,?,?,?,?,?,?,?,?,1)", data)
    refresh_all(con)
    f = Filters(date(2022, 1, 1) + timedelta(days=start), date(2022, 1, 1) + timedelta(days=start + length))
    df = tables.build("bieu06", con, f)
    _check_identities(df)
    k = tables.kpis(con, f)
    total = df.iloc[-1]
    assert k["returned"] == total[COLS[6]] and k["pending_overdue"] == total[COLS[12]]
    assert len(tables.build("late_dossiers", con, f)) == total[COLS[9]] + total[COLS[12]]
    con.close()
