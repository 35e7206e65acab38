"""Filters: the previous period, and the one unit restriction (lineage, kinds, scope)."""
from __future__ import annotations

from datetime import date

import pytest

from metrics import tables
from metrics.filters import Filters, unit_restriction
from metrics_fixtures import (BAN_QLDA, HUU, HUU_2025, KHUYEN_HOC, NINH_PHUOC, Q1, THAI, THUAN, TU_PHAP,
                              con, warehouse)  # noqa: F401 (fixtures)


def dossier_units(con, filters: Filters) -> set[str]:
    """unit names having a row in the late-rate table (any received/returned dossier in Q1)."""
    return set(tables.build("late_rates", con, filters)["Đơn vị"])


# -- previous() ------------------------------------------------------------------------------------

@pytest.mark.parametrize("cur, prev", [
    ((date(2022, 1, 1), date(2022, 3, 31)), (date(2021, 10, 1), date(2021, 12, 31))),   # quarter
    ((date(2022, 3, 1), date(2022, 3, 31)), (date(2022, 2, 1), date(2022, 2, 28))),     # one month
    ((date(2022, 1, 1), date(2022, 1, 31)), (date(2021, 12, 1), date(2021, 12, 31))),   # across the year
    ((date(2024, 3, 1), date(2024, 4, 30)), (date(2024, 1, 1), date(2024, 2, 29))),     # leap February
    ((date(2022, 1, 1), date(2022, 12, 31)), (date(2021, 1, 1), date(2021, 12, 31))),   # a year
    # not whole months: the same number of days (10 days -> the 10 days before)
    ((date(2022, 1, 11), date(2022, 1, 20)), (date(2022, 1, 1), date(2022, 1, 10))),
])
def test_previous_is_the_equal_period_just_before(cur, prev):
    p = Filters(*cur, units=("x",), scope=("y",)).previous()
    assert (p.date_from, p.date_to) == prev
    assert p.units == ("x",) and p.scope == ("y",)


def test_filters_validate_and_normalise():
    with pytest.raises(ValueError):
        Filters(date(2022, 2, 1), date(2022, 1, 31))
    with pytest.raises(ValueError):
        Filters(date(2022, 1, 1), date(2022, 1, 31), kinds=("province",))
    f = Filters(date(2022, 1, 1), date(2022, 1, 31), units=["a"], kinds=["commune"], scope=["a"])
    assert f.units == ("a",) and f.kinds == ("commune",) and f.scope == ("a",)
    hash(f)  # usable as a cache key


def test_unit_restriction_sql_never_contains_the_values():
    sql, params = unit_restriction(units=("x'; DROP TABLE units; --",), kinds=(), scope=None)
    assert "DROP" not in sql
    assert params["units"] == ["x'; DROP TABLE units; --"] and params["scope_all"] is True
    assert unit_restriction(scope=())[1]["scope_all"] is False


# -- lineage, kinds, scope ------------------------------------------------------------------------

def test_selecting_a_2025_commune_includes_its_predecessors(con):
    # Xã Phước Hữu (2025) <- Xã Phước Thái + Xã Phước Hữu (old): their Q1 2022 dossiers count.
    f = Filters(Q1.date_from, Q1.date_to, units=(HUU_2025,))
    assert dossier_units(con, f) == {"Xã Phước Thái", "Xã Phước Hữu (đến 30/06/2025)"}
    # Biểu 06 total = Phước Thái (col 3 = 9) + old Phước Hữu (col 3 = 1) = 10
    total = tables.build("bieu06", con, f).iloc[-1]
    assert total["(3) Tổng số hồ sơ nhận giải quyết"] == 10


def test_selecting_an_old_commune_does_not_include_its_successor_siblings(con):
    f = Filters(Q1.date_from, Q1.date_to, units=(THAI,))
    assert dossier_units(con, f) == {"Xã Phước Thái"}


def test_kinds_filter(con):
    f = Filters(Q1.date_from, Q1.date_to, kinds=("department",))
    assert dossier_units(con, f) == {"Phòng Tư pháp"}
    f = Filters(Q1.date_from, Q1.date_to, kinds=("department", "service_unit"))
    assert dossier_units(con, f) == {"Phòng Tư pháp", "Ban Quản lý dự án đầu tư xây dựng"}


def test_scope_restricts_and_cannot_be_widened_by_units(con):
    scoped = Filters(Q1.date_from, Q1.date_to, scope=(THUAN,))
    assert dossier_units(con, scoped) == {"Xã Phước Thuận"}
    # asking for another commune inside a scope gives nothing, not that commune
    widened = Filters(Q1.date_from, Q1.date_to, units=(THAI, TU_PHAP), scope=(THUAN,))
    assert dossier_units(con, widened) == set()
    assert tables.kpis(con, widened)["received"] == 0
    # the ranking is the public one (docs/access.md): every commune's score and rank, but the
    # counts of evaluation sheets only for the scope's own units
    public = tables.build("ranking", con, widened)
    assert list(public["Đơn vị"]) == ["Xã Phước Thái", "Xã Phước Thuận"]   # both 85.0 (Q1)
    assert public["Số kỳ đánh giá"].isna().tolist() == [True, False]
    assert tables.build("late_dossiers", con, widened).empty
    assert tables.build("commitments", con, widened).empty
    # scope through lineage: Xã Ninh Phước (2025) covers old Xã Phước Thuận
    assert dossier_units(con, Filters(Q1.date_from, Q1.date_to, scope=(NINH_PHUOC,))) == {"Xã Phước Thuận"}


def test_empty_scope_allows_nothing(con):
    f = Filters(Q1.date_from, Q1.date_to, scope=())
    assert tables.kpis(con, f)["received"] == 0
    assert tables.unit_options(con, scope=()).empty


def test_scope_applies_to_every_table(con):
    f = Filters(Q1.date_from, Q1.date_to, scope=(THUAN,))
    # (not top_units / bottom_units: the public ranking, as `ranking`; tests/test_auth_scope.py)
    for name, options in [("overview", {}), ("trend", {}),
                          ("heatmap", {}), ("late_rates", {"by": "field"}),
                          ("bieu06", {}), ("late_dossiers", {}), ("commitments", {}),
                          ("commitments_by_year", {})]:
        df = tables.build(name, con, f, **options)
        text = df.astype(str).to_string()
        for other in ("Phước Thái", "Tư pháp", "Khuyến học", "Ban Quản lý"):
            assert other not in text, (name, other)
    # Phước Thuận's own numbers: 2 received (B1 online, B2 in person), 2 returned, 1 late
    k = tables.kpis(con, f)
    assert (k["received"], k["returned"], k["late"], k["online_share"]) == (2, 2, 1, 50.0)
    # unit_history of a unit outside the scope is empty
    assert tables.build("unit_history", con, f, unit_id=THAI).empty
    # the ranking names other communes (public scores) but none of their counts, and no unit of
    # another kind than the viewer's
    ranking = tables.build("ranking", con, f)
    others = ranking[ranking["Đơn vị"] != "Xã Phước Thuận"]
    assert set(others["Đơn vị"]) == {"Xã Phước Thái"}
    assert others.drop(columns=["Hạng", "Đơn vị", "Loại đơn vị", "Điểm TB", "Hạng kỳ trước",
                                "Thay đổi hạng"]).isna().all().all()


def test_unit_options_vietnamese_order_and_scope(con):
    opts = tables.unit_options(con)
    assert list(opts.columns) == ["unit_id", "name", "kind", "valid_from", "valid_to", "level"]
    names = list(opts["name"])
    # Vietnamese order: Phước Thái before Phước Thuận (byte order would put Thuận first)
    assert names.index("Xã Phước Thái") < names.index("Xã Phước Thuận")
    assert names == [
        "Ban Quản lý dự án đầu tư xây dựng", "Hội Khuyến học huyện", "Phòng Tư pháp", "Xã Ninh Phước",
        "Xã Phước Hữu (đến 30/06/2025)", "Xã Phước Hữu (từ 01/07/2025)", "Xã Phước Thái", "Xã Phước Thuận",
    ]
    assert opts.loc[opts.unit_id == HUU_2025, "valid_from"].iloc[0] == date(2025, 7, 1)
    # a commune viewer of Xã Phước Hữu (2025) sees it and the two communes merged into it
    scoped = tables.unit_options(con, scope=(HUU_2025,))
    assert set(scoped["unit_id"]) == {HUU_2025, HUU, THAI}
    assert BAN_QLDA not in set(scoped["unit_id"]) and KHUYEN_HOC not in set(scoped["unit_id"])
