"""Commitment coverage (fixtures: 2022 Thái office 20/20, smoke-free 20/18; Thuận office 10/9;
Tư pháp office 15/15; 2021 Thái office 20/10)."""
from __future__ import annotations

from metrics import tables
from metrics.filters import Filters
from metrics_fixtures import Q1, THAI, con, warehouse  # noqa: F401


def test_commitments_for_the_year_of_the_period(con):
    df = tables.build("commitments", con, Q1)
    assert list(df.columns) == ["Đơn vị", "Cam kết", "Số CBCCVC", "Đã ký", "Tỷ lệ (%)", "Còn thiếu"]
    assert [list(r) for r in df.itertuples(index=False)] == [
        ["Phòng Tư pháp", "Văn hóa công sở", 15, 15, 100.0, 0],
        ["Xã Phước Thái", "Văn hóa công sở", 20, 20, 100.0, 0],
        ["Xã Phước Thái", "Cơ quan không khói thuốc lá", 20, 18, 90.0, 2],
        ["Xã Phước Thuận", "Văn hóa công sở", 10, 9, 90.0, 1],
    ]


def test_commitments_other_year_and_units(con):
    df = tables.build("commitments", con, Filters(Q1.date_from, Q1.date_to, units=(THAI,)), year=2021)
    assert [list(r) for r in df.itertuples(index=False)] == [["Xã Phước Thái", "Văn hóa công sở", 20, 10, 50.0, 10]]
    assert tables.build("commitments", con, Q1, year=2030).empty


def test_commitments_by_year(con):
    df = tables.build("commitments_by_year", con, Q1)
    assert list(df.columns) == ["Năm", "Cam kết", "Số đơn vị", "Số CBCCVC", "Đã ký", "Tỷ lệ (%)"]
    rows = [list(r) for r in df.itertuples(index=False)]
    # 2022 office culture: Thái 20/20 + Thuận 10/9 + Tư pháp 15/15 = 44 / 45
    assert rows[0] == [2021, "Văn hóa công sở", 1, 20, 10, 50.0]
    assert rows[1][:5] == [2022, "Văn hóa công sở", 3, 45, 44] and abs(rows[1][5] - 4400 / 45) < 1e-9
    assert rows[2] == [2022, "Cơ quan không khói thuốc lá", 1, 20, 18, 90.0]
