"""tables.build as a whole: overview, headers, freshness."""
from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest

from metrics import tables
from metrics.filters import Filters
from metrics_fixtures import BAN_QLDA, KHUYEN_HOC, Q1, THAI, THUAN, TU_PHAP, build_warehouse, con, warehouse  # noqa: F401

OPTIONS = {"unit_history": {"unit_id": THAI}}


def test_overview(con):
    df = tables.build("overview", con, Q1)
    assert list(df.columns) == ["Chỉ tiêu", "Kỳ này", "Kỳ trước", "Thay đổi"]
    rows = {r[0]: r[1:] for r in df.itertuples(index=False)}
    # Q1 2022 vs Q4 2021 (see test_metrics_dossiers.test_kpis_*)
    assert rows["Hồ sơ tiếp nhận"] == (13, 4, 9)
    assert rows["Hồ sơ đã giải quyết"] == (11, 1, 10)
    assert rows["Hồ sơ đang giải quyết quá hạn"] == (3, 1, 2)
    cur, prev, change = rows["Tỷ lệ giải quyết đúng hạn (%)"]
    assert (cur, prev, change) == pytest.approx((700 / 11, 100.0, 700 / 11 - 100))
    assert rows["Điểm đánh giá trung bình"] == pytest.approx((996 / 13, 78.75, 996 / 13 - 78.75))
    assert isinstance(rows["Hồ sơ tiếp nhận"][0], int)  # counts stay integers


def test_overview_change_is_none_without_previous_data(con):
    df = tables.build("overview", con, Filters(date(2021, 10, 1), date(2021, 12, 31)))
    rows = {r[0]: r[1:] for r in df.itertuples(index=False)}
    # Q3 2021 has no dossier: on-time rate None there, so no change
    assert rows["Tỷ lệ giải quyết đúng hạn (%)"] == (100.0, None, None)


@pytest.mark.parametrize("name", list(tables.TABLES))
def test_headers_are_vietnamese(con, name):
    df = tables.build(name, con, Q1, **OPTIONS.get(name, {}))
    for col in df.columns:
        # no snake_case / raw English identifiers
        assert not re.fullmatch(r"[a-z_0-9]+", col), (name, col)
        assert "_" not in col, (name, col)


def test_unknown_table(con):
    with pytest.raises(ValueError, match="Không có bảng"):
        tables.build("nope", con, Q1)


def test_freshness(con):
    f = tables.freshness(con)
    # last dossier date: N1 returned 14/07/2025; first month with data: evaluations 10/2021;
    # last month: 07/2025 (N1)
    assert f == {"data_until": date(2025, 7, 14), "is_demo": True,
                 "months_with_data": (date(2021, 10, 1), date(2025, 7, 1))}


def test_freshness_empty_and_not_demo(tmp_path):
    path = build_warehouse(tmp_path / "w.duckdb", dossiers=[], evaluations=[], commitments=[], evidence=False,
                           is_demo=False)
    with duckdb.connect(path, read_only=True) as c:
        assert tables.freshness(c) == {"data_until": None, "is_demo": False, "months_with_data": (None, None)}


def test_freshness_evaluations_only(tmp_path):
    ev = [(THAI, "month", date(2022, 5, 1), 80.0, "tot")]
    path = build_warehouse(tmp_path / "w.duckdb", dossiers=[], evaluations=ev, commitments=[], evidence=False)
    with duckdb.connect(path, read_only=True) as c:
        f = tables.freshness(c)
    # the end of the last evaluated month
    assert f["data_until"] == date(2022, 5, 31)
    assert f["months_with_data"] == (date(2022, 5, 1), date(2022, 5, 1))


def test_freshness_evidence_only(tmp_path):
    # surveys 12/2021–04/2022 (last day 30/04/2022), inspections 15/11/2021–01/04/2022,
    # commendations 31/12/2021–01/04/2022; the staff ratings (2022, 2026) do not count beside them
    path = build_warehouse(tmp_path / "w.duckdb", dossiers=[], evaluations=[], commitments=[])
    with duckdb.connect(path, read_only=True) as c:
        f = tables.freshness(c)
    assert f["data_until"] == date(2022, 4, 30)
    assert f["months_with_data"] == (date(2021, 11, 1), date(2022, 4, 1))


def _ratings_warehouse(tmp_path, evaluations=()):
    from metrics_fixtures import STAFF_RATINGS, insert_evidence
    path = build_warehouse(tmp_path / "w.duckdb", dossiers=[], evaluations=list(evaluations), commitments=[],
                           evidence=False)
    with duckdb.connect(path) as c:
        insert_evidence(c, surveys=[], inspections=[], staff_ratings=STAFF_RATINGS, commendations=[])
    return path


def test_freshness_staff_ratings_only(tmp_path):
    # ratings of 2022 and 2026 and nothing else: the warehouse is not empty, data until 31/12/2026
    with duckdb.connect(_ratings_warehouse(tmp_path), read_only=True) as c:
        f = tables.freshness(c)
    assert f["data_until"] == date(2026, 12, 31)
    assert f["months_with_data"] == (date(2022, 1, 1), date(2026, 12, 1))


def test_freshness_year_end_ratings_do_not_move_the_latest_month(tmp_path):
    ev = [(THAI, "month", date(2022, 5, 1), 80.0, "tot")]
    with duckdb.connect(_ratings_warehouse(tmp_path, ev), read_only=True) as c:
        f = tables.freshness(c)
    assert f["data_until"] == date(2022, 5, 31)
    assert f["months_with_data"] == (date(2022, 5, 1), date(2022, 5, 1))


def test_works_on_a_read_only_versioned_cursor(warehouse):
    from etl.warehouse import Reader
    cur = Reader(warehouse).cursor()
    assert tables.kpis(cur, Q1)["received"] == 13


# -- shown(): the table as the page shows it, its CSV and `python -m metrics` ---------------------

def test_shown_drops_a_validity_the_period_cannot_need(con):
    # Xã Phước Hữu (old, until 30/06/2025) and Xã Phước Hữu (new, from 01/07/2025) share a name;
    # Q1 2022 can only hold the old one, so the page names it plainly.
    built = tables.build("late_rates", con, Q1, by="unit")
    shown = tables.shown("late_rates", con, Q1, by="unit")
    assert "Xã Phước Hữu (đến 30/06/2025)" in list(built["Đơn vị"])
    assert "Xã Phước Hữu" in list(shown["Đơn vị"]) and not any("(đến" in n for n in shown["Đơn vị"])
    # a period that reaches past 01/07/2025 keeps the validity
    year_2025 = Filters(date(2025, 1, 1), date(2025, 12, 31))
    assert list(tables.shown("late_rates", con, year_2025, by="unit")["Đơn vị"]) == ["Xã Phước Hữu (từ 01/07/2025)"]


def test_shown_ranking_puts_rank_change_next_to_the_score_and_the_kind_last(con):
    df = tables.shown("ranking", con, Q1)
    assert list(df.columns) == ["Hạng", "Đơn vị", "Điểm TB", "Thay đổi hạng", "Hạng kỳ trước", "Số kỳ đánh giá",
                                "Xuất sắc", "Tốt", "Hoàn thành", "Không hoàn thành", "Loại đơn vị"]
    # the index stays the unit_id: Tư pháp 92, Thái and Thuận 85 (tie), Ban QLDA 60, Khuyến học 50
    assert list(df.index) == [TU_PHAP, THAI, THUAN, BAN_QLDA, KHUYEN_HOC]
    assert list(df["Hạng"]) == [1, 2, 2, 4, 5]
    # one kind: the column would say "Xã, thị trấn" on every row, so it is left out
    communes = tables.shown("ranking", con, Filters(Q1.date_from, Q1.date_to, kinds=("commune",)))
    assert "Loại đơn vị" not in communes.columns and list(communes.index) == [THAI, THUAN]


def test_shown_late_dossiers_leads_with_unit_procedure_status(con):
    df = tables.shown("late_dossiers", con, Q1)
    assert list(df.columns) == ["Đơn vị", "Thủ tục", "Trạng thái", "Số ngày quá hạn", "Phiếu xin lỗi",
                                "Ngày tiếp nhận", "Hạn trả", "Ngày trả", "Mã hồ sơ", "Lĩnh vực"]
    # A10: received 28/12/2021, due 03/01/2022, not returned by 31/03/2022: 87 days late
    assert list(df.iloc[0]) == ["Xã Phước Thái", "Chứng thực bản sao", "Quá hạn chưa trả", 87, "Đã có",
                                date(2021, 12, 28), date(2022, 1, 3), None, "A10", "Chứng thực"]


def test_shown_commitments_is_one_row_per_unit(con):
    df = tables.shown("commitments", con, Q1)
    # 2022: Tư pháp office 15/15; Thái office 20/20, smoke-free 20/18; Thuận office 10/9
    assert list(df.columns) == ["Đơn vị", "Còn thiếu", "Văn hóa công sở (%)", "Không khói thuốc lá (%)", "Số CBCCVC"]
    rows = [[None if isinstance(v, float) and v != v else v for v in r] for r in df.itertuples(index=False)]
    assert rows == [["Phòng Tư pháp", 0, 100.0, None, 15],
                    ["Xã Phước Thái", 2, 100.0, 90.0, 20],
                    ["Xã Phước Thuận", 1, 90.0, None, 10]]


def test_shown_commitments_by_year_leads_with_the_rate_and_short_names(con):
    df = tables.shown("commitments_by_year", con, Q1)
    assert list(df.columns) == ["Năm", "Cam kết", "Tỷ lệ (%)", "Đã ký", "Số CBCCVC", "Số đơn vị"]
    assert list(df["Cam kết"]) == ["Văn hóa công sở", "Văn hóa công sở", "Không khói thuốc lá"]


def test_shown_overview_counts_are_integers(con):
    df = tables.shown("overview", con, Q1)
    rows = {r[0]: r[1:] for r in df.itertuples(index=False)}
    assert rows["Hồ sơ tiếp nhận"] == (13, 4, 9) and all(isinstance(v, int) for v in rows["Hồ sơ tiếp nhận"])


def test_integral_counts_turns_whole_float_counts_into_ints():
    import pandas as pd

    from metrics.display import integral_counts
    df = pd.DataFrame([("Hồ sơ tiếp nhận", 11.0, 4.0, 7.0), ("Tỷ lệ quá hạn (%)", 50.0, 25.0, 25.0),
                       ("Điểm đánh giá trung bình", 80.0, None, None)],
                      columns=["Chỉ tiêu", "Kỳ này", "Kỳ trước", "Thay đổi"], dtype=object)
    out = integral_counts(df)
    assert [type(v) for v in out.iloc[0, 1:]] == [int, int, int]
    assert [type(v) for v in out.iloc[1, 1:]] == [float, float, float]   # rates stay floats
    assert type(out.iat[2, 1]) is float                                   # so do scores
