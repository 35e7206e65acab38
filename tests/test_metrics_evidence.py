"""Satisfaction, inspections, staff ratings and commendations (issue 8), on the hand-built rows
of tests/metrics_fixtures.py. Every expected number is worked out in the comments there."""
from __future__ import annotations

from datetime import date

import duckdb
import pytest

from metrics import tables
from metrics.filters import Filters
from metrics_fixtures import (  # noqa: F401
    BAN_QLDA, HUU, HUU_2025, KHUYEN_HOC, NINH_PHUOC, Q1, THAI, THUAN, TU_PHAP, build_warehouse, con, warehouse,
)

Y2026 = Filters(date(2026, 1, 1), date(2026, 3, 31))


def rows(df, key="Đơn vị"):
    return {r[key]: r for r in df.to_dict("records")}


# -- satisfaction ---------------------------------------------------------------------------------

def test_satisfaction_by_unit(con):
    df = tables.shown("satisfaction", con, Q1)
    assert list(df.columns) == ["Đơn vị", "Tỷ lệ rất hài lòng (%)", "Tỷ lệ hài lòng trở lên (%)", "Số phiếu",
                                "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng"]
    # lowest very-satisfied share first; Xã Phước Hữu (no survey) is not listed
    assert list(df["Đơn vị"]) == ["Ban Quản lý dự án đầu tư xây dựng", "Xã Phước Thuận", "Xã Phước Thái",
                                  "Phòng Tư pháp"]
    r = rows(df)
    thai = r["Xã Phước Thái"]
    assert (thai["Số phiếu"], thai["Rất hài lòng"], thai["Hài lòng"], thai["Bình thường"], thai["Không hài lòng"]) \
        == (200, 177, 19, 3, 1)
    assert thai["Tỷ lệ rất hài lòng (%)"] == pytest.approx(88.5)
    assert thai["Tỷ lệ hài lòng trở lên (%)"] == pytest.approx(98.0)
    # Ban QLDA: 10 answers, 9 of them said something: the share is of the 10
    assert r["Ban Quản lý dự án đầu tư xây dựng"]["Tỷ lệ rất hài lòng (%)"] == pytest.approx(80.0)
    assert r["Ban Quản lý dự án đầu tư xây dựng"]["Tỷ lệ hài lòng trở lên (%)"] == pytest.approx(90.0)
    assert r["Xã Phước Thuận"]["Tỷ lệ rất hài lòng (%)"] == pytest.approx(87.0)
    assert r["Phòng Tư pháp"]["Tỷ lệ hài lòng trở lên (%)"] == pytest.approx(100.0)


def test_satisfaction_rate_is_recomputed_from_sums_not_averaged(con):
    df = tables.build("satisfaction_by_month", con, Filters(date(2022, 1, 1), date(2022, 1, 31)))
    # 01/2022: Thái 92/100, Thuận 30/40, Ban QLDA 8/10 -> 130/150 = 86,67 % (the mean of the
    # three shares would be 82,33 %)
    assert df["Tỷ lệ rất hài lòng (%)"].tolist() == pytest.approx([100 * 130 / 150])


def test_satisfaction_by_month(con):
    df = tables.shown("satisfaction_by_month", con, Q1)
    assert list(df["Tháng"]) == ["01/2022", "02/2022", "03/2022"]
    assert list(df["Số phiếu"]) == [150, 70, 110]
    assert list(df["Rất hài lòng"]) == [130, 59, 102]
    assert df["Tỷ lệ rất hài lòng (%)"].tolist() == pytest.approx([100 * 130 / 150, 100 * 59 / 70, 100 * 102 / 110])


def test_satisfaction_counts_whole_months_inside_the_period(con):
    # 15/01 - 31/03: January is only half inside -> Thái counts February and March only
    df = tables.build("satisfaction", con, Filters(date(2022, 1, 15), date(2022, 3, 31), units=(THAI,)))
    assert df["Số phiếu"].tolist() == [100] and df["Rất hài lòng"].tolist() == [85]
    # 01/04 - 30/04: only April
    df = tables.build("satisfaction", con, Filters(date(2022, 4, 1), date(2022, 4, 30)))
    assert df["Số phiếu"].tolist() == [100] and df["Tỷ lệ rất hài lòng (%)"].tolist() == [50.0]


def test_satisfaction_scope_and_lineage(con):
    only_thuan = tables.build("satisfaction", con, Filters(Q1.date_from, Q1.date_to, scope=(THUAN,)))
    assert only_thuan["Đơn vị"].tolist() == ["Xã Phước Thuận"]
    # units may only narrow the scope: asking for Thái within Thuận's scope gives nothing
    assert tables.build("satisfaction", con, Filters(Q1.date_from, Q1.date_to, units=(THAI,), scope=(THUAN,))).empty
    # Xã Phước Hữu 2025 rolls up Phước Thái and the old Phước Hữu (no survey): only Thái's rows
    merged = tables.build("satisfaction", con, Filters(Q1.date_from, Q1.date_to, units=(HUU_2025,)))
    assert merged["Đơn vị"].tolist() == ["Xã Phước Thái"] and merged["Số phiếu"].tolist() == [200]
    # a unit without surveys: an empty table, not a row of zeros
    assert tables.build("satisfaction", con, Filters(Q1.date_from, Q1.date_to, units=(HUU,))).empty
    communes = tables.build("satisfaction", con, Filters(Q1.date_from, Q1.date_to, kinds=("department",)))
    assert communes["Đơn vị"].tolist() == ["Phòng Tư pháp"]


def test_kpis_satisfaction_and_violations(con):
    k = tables.evidence_kpis(con, Q1)
    assert (k["survey_responses"], k["very_satisfied"]) == (330, 291)
    assert k["very_satisfied_share"] == pytest.approx(100 * 291 / 330)
    assert (k["inspected"], k["violations"]) == (70, 6)
    assert k["violations_per_100"] == pytest.approx(600 / 70)
    prev = tables.evidence_kpis(con, Q1.previous())
    assert prev["very_satisfied_share"] == pytest.approx(95.0)     # Thái 12/2021: 95 of 100
    assert prev["violations_per_100"] == pytest.approx(500 / 30)   # 15/11 and 31/12/2021
    none = tables.evidence_kpis(con, Filters(date(2020, 1, 1), date(2020, 3, 31)))
    assert none["very_satisfied_share"] is None and none["violations_per_100"] is None


def test_overview_rows_for_the_new_evidence(con):
    df = tables.shown("overview", con, Q1)
    r = {row[0]: row[1:] for row in df.itertuples(index=False)}
    assert r["Tỷ lệ rất hài lòng (%)"] == pytest.approx((100 * 291 / 330, 95.0, 100 * 291 / 330 - 95.0))
    assert r["Vi phạm / 100 lượt kiểm tra"] == pytest.approx((600 / 70, 500 / 30, 600 / 70 - 500 / 30))


# -- inspections ----------------------------------------------------------------------------------

def test_inspections_by_unit_with_period_boundaries(con):
    df = tables.shown("inspections", con, Q1)
    assert list(df.columns) == ["Đơn vị", "Vi phạm / 100 lượt kiểm tra", "Tổng vi phạm", "Số lần kiểm tra",
                                "Lượt CBCCVC được kiểm tra", "Đi muộn, về sớm, vắng mặt",
                                "Trang phục, thẻ công chức", "Giao tiếp, ứng xử", "Bố trí, vệ sinh công sở"]
    assert list(df["Đơn vị"]) == ["Xã Phước Thái", "Xã Phước Thuận", "Phòng Tư pháp"]  # highest rate first
    thai = rows(df)["Xã Phước Thái"]
    # the visits of 01/01 and 31/03 count, those of 15/11/2021 and 01/04 do not
    assert (thai["Số lần kiểm tra"], thai["Lượt CBCCVC được kiểm tra"], thai["Tổng vi phạm"]) == (2, 30, 5)
    assert (thai["Đi muộn, về sớm, vắng mặt"], thai["Trang phục, thẻ công chức"], thai["Giao tiếp, ứng xử"],
            thai["Bố trí, vệ sinh công sở"]) == (3, 1, 0, 1)
    assert thai["Vi phạm / 100 lượt kiểm tra"] == pytest.approx(500 / 30)
    assert df["Vi phạm / 100 lượt kiểm tra"].tolist()[1:] == pytest.approx([4.0, 0.0])


def test_inspections_by_kind(con):
    df = tables.shown("inspections_by_kind", con, Q1)
    assert df["Loại vi phạm"].tolist() == ["Đi muộn, về sớm, vắng mặt", "Trang phục, thẻ công chức",
                                           "Giao tiếp, ứng xử", "Bố trí, vệ sinh công sở"]
    assert df["Số vi phạm"].tolist() == [3, 1, 1, 1]
    assert df["Vi phạm / 100 lượt kiểm tra"].tolist() == pytest.approx([300 / 70, 100 / 70, 100 / 70, 100 / 70])
    assert df["Tỷ lệ trong tổng vi phạm (%)"].tolist() == pytest.approx([50.0, 100 / 6, 100 / 6, 100 / 6])
    # no visit in the period: no rows (the page says why)
    assert tables.build("inspections_by_kind", con, Filters(date(2020, 1, 1), date(2020, 12, 31))).empty


def test_inspections_trend_by_year_and_quarter(con):
    years = tables.shown("inspections_trend", con, Filters(date(2021, 1, 1), date(2022, 12, 31)))
    assert years["Năm"].tolist() == ["2021", "2022"]
    assert years["Số lần kiểm tra"].tolist() == [2, 5]
    assert years["Lượt CBCCVC được kiểm tra"].tolist() == [30, 80]
    assert years["Tổng vi phạm"].tolist() == [5, 26]
    assert years["Vi phạm / 100 lượt kiểm tra"].tolist() == pytest.approx([500 / 30, 2600 / 80])
    quarters = tables.shown("inspections_trend", con, Filters(date(2021, 10, 1), date(2022, 6, 30)), by="quarter")
    assert quarters["Quý"].tolist() == ["Quý IV/2021", "Quý I/2022", "Quý II/2022"]
    assert quarters["Tổng vi phạm"].tolist() == [5, 6, 20]
    assert quarters["Vi phạm / 100 lượt kiểm tra"].tolist() == pytest.approx([500 / 30, 600 / 70, 200.0])
    with pytest.raises(ValueError):
        tables.build("inspections_trend", con, Q1, by="month")


def test_inspections_scope(con):
    df = tables.build("inspections", con, Filters(Q1.date_from, Q1.date_to, scope=(THUAN, TU_PHAP)))
    assert df["Đơn vị"].tolist() == ["Xã Phước Thuận", "Phòng Tư pháp"]
    k = tables.evidence_kpis(con, Filters(Q1.date_from, Q1.date_to, scope=(THUAN,)))
    assert k["violations_per_100"] == pytest.approx(4.0)


# -- staff ratings and the 20 % cap ---------------------------------------------------------------

def test_staff_ratings_2022_show_the_ratio_for_reference_only(con):
    df = tables.shown("staff_ratings", con, Q1)
    assert list(df.columns) == ["Năm", "Đơn vị", "Vượt tỷ lệ 20 %", "Xuất sắc / Tốt (%)", "Số CBCCVC", "Xuất sắc",
                                "Tốt", "Hoàn thành", "Không hoàn thành", "Chưa xếp loại", "Căn cứ"]
    assert df["Đơn vị"].tolist() == ["Phòng Tư pháp", "Xã Phước Thái", "Xã Phước Thuận"]
    r = rows(df)
    # Phước Thuận: 5 xuất sắc of 10 tốt = 50 %, but 2022 is under ND 90/2020: not flagged
    assert r["Xã Phước Thuận"]["Xuất sắc / Tốt (%)"] == pytest.approx(50.0)
    assert df["Vượt tỷ lệ 20 %"].tolist() == ["", "", ""]
    assert r["Xã Phước Thái"]["Chưa xếp loại"] == 1                  # 30 - (3 + 15 + 10 + 1)
    assert r["Phòng Tư pháp"]["Xuất sắc / Tốt (%)"] != r["Phòng Tư pháp"]["Xuất sắc / Tốt (%)"]  # NaN: no tốt
    assert set(df["Căn cứ"]) == {"Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP) (tham khảo)"}


def test_staff_ratings_2026_flag_units_over_the_cap(con):
    df = tables.shown("staff_ratings", con, Y2026)
    r = rows(df)
    # the same 50 % as Phước Thuận 2022, now under ND 335/2025: flagged
    assert r["Xã Ninh Phước"]["Xuất sắc / Tốt (%)"] == pytest.approx(50.0)
    assert r["Xã Ninh Phước"]["Vượt tỷ lệ 20 %"] == "Có"
    # 7 of 35 is exactly 20 %: allowed
    assert r["Xã Phước Hữu"]["Vượt tỷ lệ 20 %"] == ""
    # 1 xuất sắc, 0 tốt: over any cap
    assert r["Hội Khuyến học huyện"]["Vượt tỷ lệ 20 %"] == "Có"
    assert set(df["Căn cứ"]) == {"Nghị định 335/2025/NĐ-CP"}
    # Xã Phước Hữu 2025 is named without its validity: the year 2026 cannot hold the old one
    assert "Xã Phước Hữu" in r


def test_staff_ratings_years_the_period_touches(con):
    df = tables.build("staff_ratings", con, Filters(date(2022, 12, 1), date(2026, 1, 31)))
    assert df["Năm"].tolist() == [2026, 2026, 2026, 2022, 2022, 2022]   # latest year first
    assert tables.build("staff_ratings", con, Filters(date(2023, 1, 1), date(2025, 12, 31))).empty
    scoped = tables.build("staff_ratings", con, Filters(Y2026.date_from, Y2026.date_to, scope=(NINH_PHUOC,)))
    assert scoped["Đơn vị"].tolist() == ["Xã Ninh Phước"]


def test_rating_rules_per_year_come_from_the_reference_file(con):
    df = tables.shown("rating_rules", con, Filters(date(2019, 1, 1), date(2026, 12, 31)))
    by_year = {r["Năm"]: r for r in df.to_dict("records")}
    assert sorted(by_year) == [2020, 2021, 2022, 2023, 2024, 2025, 2026]   # 2019: before ND 90/2020
    assert by_year[2026]["Căn cứ"] == "Nghị định 335/2025/NĐ-CP" and by_year[2026]["Áp dụng"] == "Bắt buộc"
    assert by_year[2025]["Áp dụng"] == "Tham khảo" and by_year[2026]["Tỷ lệ tối đa (%)"] == pytest.approx(20.0)


def test_a_changed_rule_file_changes_the_flag_without_code(tmp_path):
    """Enforcing the earlier rule in data: 2022's 50 % becomes flagged."""
    import shutil

    from etl.registry import load_rating_rules
    from etl.warehouse import REFERENCE_DIR

    ref = tmp_path / "ref"
    shutil.copytree(REFERENCE_DIR, ref)
    text = (ref / "rating_rules.csv").read_text(encoding="utf-8").replace(",false,", ",true,")
    (ref / "rating_rules.csv").write_text(text, encoding="utf-8")
    path = build_warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(path) as c:
        load_rating_rules(c, ref)
        df = tables.shown("staff_ratings", c, Q1)
    assert dict(zip(df["Đơn vị"], df["Vượt tỷ lệ 20 %"])) == {
        "Phòng Tư pháp": "Có", "Xã Phước Thái": "", "Xã Phước Thuận": "Có"}


# -- commendations --------------------------------------------------------------------------------

def test_commendations_by_unit_form_and_year(con):
    df = tables.shown("commendations", con, Q1)
    assert list(df.columns) == ["Năm", "Đơn vị", "Hình thức", "Tổng số", "Tập thể", "Cá nhân"]
    # 15/01 and 31/03 count; 31/12/2021 and 01/04 do not
    assert [tuple(r) for r in df.itertuples(index=False)] == [
        (2022, "Xã Phước Thái", "Giấy khen", 2, 1, 1),
        (2022, "Xã Phước Thái", "Lao động tiên tiến", 1, 0, 1),
        (2022, "Xã Phước Thuận", "Giấy khen", 1, 0, 1),
    ]
    by_form = tables.shown("commendations_by_form", con, Q1)
    assert [tuple(r) for r in by_form.itertuples(index=False)] == [
        (2022, "Giấy khen", 3, 1, 2), (2022, "Lao động tiên tiến", 1, 0, 1)]


def test_commendation_decisions(con):
    df = tables.shown("commendation_decisions", con, Q1)
    assert df["Số quyết định"].tolist() == ["30/QĐ-UBND", "12/QĐ-UBND", "12/QĐ-UBND", "12/QĐ-UBND"]
    assert df["Ngày quyết định"].tolist() == [date(2022, 3, 31)] + [date(2022, 1, 15)] * 3
    assert df["Tập thể, cá nhân được khen"].tolist() == ["Lê Văn Cường", "Nguyễn Văn An", "UBND xã Phước Thái",
                                                         "Trần Thị Bình"]
    assert df["Đối tượng"].tolist() == ["Cá nhân", "Cá nhân", "Tập thể", "Cá nhân"]


def test_commendations_scope(con):
    df = tables.build("commendation_decisions", con, Filters(Q1.date_from, Q1.date_to, scope=(THUAN,)))
    assert df["Tập thể, cá nhân được khen"].tolist() == ["Trần Thị Bình"]
    assert tables.build("commendations", con, Filters(Q1.date_from, Q1.date_to, scope=())).empty


def test_an_older_warehouse_without_the_tables_still_gives_the_overview(tmp_path):
    path = build_warehouse(tmp_path / "old.duckdb")
    with duckdb.connect(path) as c:
        c.execute("DROP TABLE surveys")
        c.execute("DROP TABLE inspections")
        df = tables.build("overview", c, Q1)
    r = {row[0]: row[1:] for row in df.itertuples(index=False)}
    assert r["Tỷ lệ rất hài lòng (%)"] == (None, None, None)
    assert r["Hồ sơ tiếp nhận"] == (13, 4, 9)
