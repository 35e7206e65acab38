"""Evaluation metrics: ranking (ties, previous period), top/bottom, heatmap, unit history.
Q1 2022 averages (fixtures): Phòng Tư pháp 92.0; Phước Thái 85.0 and Phước Thuận 85.0 (tie);
Ban QLDA 60.0 (quarterly only); Hội Khuyến học 50.0 (its quarterly 100 ignored: monthly exists).
Q4 2021: Tư pháp 90 (1), Thuận 80 (2), Khuyến học 75 (3), Thái 70 (4); Ban QLDA none."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from metrics import tables
from metrics.filters import Filters
from metrics_fixtures import (BAN_QLDA, EVALUATIONS, Q1, THAI, THUAN, build_warehouse, con,  # noqa: F401
                              warehouse)

RANKING_COLUMNS = ["Hạng", "Đơn vị", "Loại đơn vị", "Điểm TB", "Số kỳ đánh giá", "Xuất sắc", "Tốt",
                   "Hoàn thành", "Không hoàn thành", "Hạng kỳ trước", "Thay đổi hạng"]


def _rows(df):
    return [[None if v is pd.NA or v != v else v for v in r] for r in df.itertuples(index=False)]


def test_ranking(con):
    df = tables.build("ranking", con, Q1)
    assert list(df.columns) == RANKING_COLUMNS
    # competition ranking: 1, 2, 2, 4, 5; tie in Vietnamese order (Thái before Thuận);
    # change = previous rank - rank: Tư pháp 1-1 = 0, Thái 4-2 = +2 (moved up), Thuận 2-2 = 0,
    # Ban QLDA no previous evaluation, Khuyến học 3-5 = -2.
    assert _rows(df) == [
        [1, "Phòng Tư pháp", "Phòng ban chuyên môn", 92.0, 3, 2, 1, 0, 0, 1, 0],
        [2, "Xã Phước Thái", "Xã, thị trấn", 85.0, 3, 1, 2, 0, 0, 4, 2],
        [2, "Xã Phước Thuận", "Xã, thị trấn", 85.0, 3, 0, 3, 0, 0, 2, 0],
        [4, "Ban Quản lý dự án đầu tư xây dựng", "Đơn vị sự nghiệp", 60.0, 1, 0, 0, 1, 0, None, None],
        [5, "Hội Khuyến học huyện", "Hội, đoàn thể", 50.0, 3, 0, 0, 2, 1, 3, -2],
    ]


def test_ranking_previous_rank_is_among_the_same_units(con):
    # communes only: Q1 Thái 85 / Thuận 85 -> 1, 1; Q4 2021 Thuận 80 (1), Thái 70 (2)
    df = tables.build("ranking", con, Filters(Q1.date_from, Q1.date_to, kinds=("commune",)))
    assert _rows(df[["Hạng", "Đơn vị", "Hạng kỳ trước", "Thay đổi hạng"]]) == [
        [1, "Xã Phước Thái", 2, 1],
        [1, "Xã Phước Thuận", 1, 0],
    ]


def test_yearly_evaluation_counts_when_the_period_covers_the_year(con):
    # 2022: Ban QLDA has quarter Q1 (60) and year 2022 (99); its finest grain inside 2022 is the
    # quarter -> 60. Over 01/2022 only: no evaluation period of Ban QLDA fits -> not ranked.
    year = tables.build("ranking", con, Filters(date(2022, 1, 1), date(2022, 12, 31), units=(BAN_QLDA,)))
    assert _rows(year[["Điểm TB", "Số kỳ đánh giá"]]) == [[60.0, 1]]
    jan = tables.build("ranking", con, Filters(date(2022, 1, 1), date(2022, 1, 31), units=(BAN_QLDA,)))
    assert jan.empty


def test_only_yearly_evaluations(tmp_path):
    path = build_warehouse(tmp_path / "w.duckdb", dossiers=[], commitments=[],
                           evaluations=[(BAN_QLDA, "year", date(2022, 1, 1), 99.0, "xuat_sac")])
    with duckdb.connect(path, read_only=True) as c:
        assert tables.kpis(c, Filters(date(2022, 1, 1), date(2022, 12, 31)))["avg_score"] == 99.0
        assert tables.kpis(c, Filters(date(2022, 1, 1), date(2022, 6, 30)))["avg_score"] is None


def test_ties_share_a_rank_at_the_shown_precision(tmp_path):
    # averages 80.04 and 80.01 are both shown as 80.0 -> same rank; 79.96 -> 80.0 too; 79.9 -> 4th
    ev = [(THAI, "month", date(2022, 1, 1), 80.04, "tot"), (THUAN, "month", date(2022, 1, 1), 80.01, "tot"),
          ("p-tu-phap", "month", date(2022, 1, 1), 79.96, "tot"),
          ("h-khuyen-hoc", "month", date(2022, 1, 1), 79.9, "tot")]
    path = build_warehouse(tmp_path / "w.duckdb", dossiers=[], commitments=[], evaluations=ev)
    with duckdb.connect(path, read_only=True) as c:
        df = tables.build("ranking", c, Filters(date(2022, 1, 1), date(2022, 1, 31)))
    assert df["Hạng"].tolist() == [1, 1, 1, 4]
    assert df["Đơn vị"].tolist() == ["Phòng Tư pháp", "Xã Phước Thái", "Xã Phước Thuận", "Hội Khuyến học huyện"]


def test_unit_with_unscored_evaluations_is_listed_last_without_rank(tmp_path):
    ev = [(THAI, "month", date(2022, 1, 1), None, "tot"), (THUAN, "month", date(2022, 1, 1), 70.0, "tot")]
    path = build_warehouse(tmp_path / "w.duckdb", dossiers=[], commitments=[], evaluations=ev)
    with duckdb.connect(path, read_only=True) as c:
        df = tables.build("ranking", c, Filters(date(2022, 1, 1), date(2022, 1, 31)))
    assert _rows(df[["Hạng", "Đơn vị", "Điểm TB", "Tốt"]]) == [[1, "Xã Phước Thuận", 70.0, 1],
                                                              [None, "Xã Phước Thái", None, 1]]


def test_top_and_bottom_units(con):
    top = tables.build("top_units", con, Q1)
    assert list(top.columns) == ["Hạng", "Đơn vị", "Điểm TB", "Tỷ lệ đúng hạn (%)"]
    # on-time rates in Q1: Tư pháp D1 o, D2 e -> 100; Thái 3 of 5 -> 60; Thuận 1 of 2 -> 50;
    # Ban QLDA S1 late -> 0; Khuyến học no dossiers -> NaN
    assert _rows(top) == [
        [1, "Phòng Tư pháp", 92.0, 100.0],
        [2, "Xã Phước Thái", 85.0, 60.0],
        [2, "Xã Phước Thuận", 85.0, 50.0],
        [4, "Ban Quản lý dự án đầu tư xây dựng", 60.0, 0.0],
        [5, "Hội Khuyến học huyện", 50.0, None],
    ]
    assert tables.build("top_units", con, Q1, n=2)["Đơn vị"].tolist() == ["Phòng Tư pháp", "Xã Phước Thái"]
    bottom = tables.build("bottom_units", con, Q1, n=2)
    assert _rows(bottom) == [[5, "Hội Khuyến học huyện", 50.0, None],
                             [4, "Ban Quản lý dự án đầu tư xây dựng", 60.0, 0.0]]


def test_heatmap(con):
    df = tables.build("heatmap", con, Q1)
    assert list(df.columns) == ["Đơn vị", "Tháng", "Điểm"]
    # monthly evaluations only: 4 units x 3 months (Ban QLDA is quarterly), Vietnamese order
    assert len(df) == 12
    assert df["Đơn vị"].drop_duplicates().tolist() == ["Hội Khuyến học huyện", "Phòng Tư pháp",
                                                       "Xã Phước Thái", "Xã Phước Thuận"]
    thai = df[df["Đơn vị"] == "Xã Phước Thái"]
    assert thai["Tháng"].tolist() == ["01/2022", "02/2022", "03/2022"]
    assert thai["Điểm"].tolist() == [90.0, 80.0, 85.0]


def test_unit_history(con):
    df = tables.build("unit_history", con, Q1, unit_id=THAI)
    assert list(df.columns) == ["Tháng", "Điểm", "Xếp loại", "Hạng trong tháng", "Số đơn vị xếp hạng"]
    # Jan: Tư pháp 95, Thái 90, Thuận 85, Khuyến học 40 -> 2 of 4
    # Feb: Tư pháp 92, Thuận 85, Thái 80, Khuyến học 50 -> 3 of 4
    # Mar: Tư pháp 89, Thái 85 = Thuận 85, Khuyến học 60 -> 2 (tie) of 4
    assert _rows(df) == [
        ["01/2022", 90.0, "Hoàn thành xuất sắc nhiệm vụ", 2, 4],
        ["02/2022", 80.0, "Hoàn thành tốt nhiệm vụ", 3, 4],
        ["03/2022", 85.0, "Hoàn thành tốt nhiệm vụ", 2, 4],
    ]
    # the commune selection does not shrink the field it is ranked in
    same = tables.build("unit_history", con, Filters(Q1.date_from, Q1.date_to, units=(THAI,)), unit_id=THAI)
    assert same["Hạng trong tháng"].tolist() == [2, 3, 2]
    # kinds does: among communes only (Thái, Thuận) -> 1, 2, 1
    communes = tables.build("unit_history", con, Filters(Q1.date_from, Q1.date_to, kinds=("commune",)),
                            unit_id=THAI)
    assert communes["Hạng trong tháng"].tolist() == [1, 2, 1]


def test_fixture_evaluations_are_what_the_docstring_says():
    q1_month = [e for e in EVALUATIONS if e[1] == "month" and e[2] >= date(2022, 1, 1)]
    assert len(q1_month) == 12


# -- the law a classification was made under (classification_bands.legal_basis) --------------------

ND90 = "Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP)"
ND335 = "Nghị định 335/2025/NĐ-CP"


def _bands_warehouse(tmp_path):
    """The fixture warehouse with the real data/reference/classification_bands.csv loaded."""
    from etl.registry import load_bands
    path = build_warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(path) as c:
        load_bands(c)
    return path


def test_classification_laws_by_period(tmp_path):
    from metrics.filters import Filters
    with duckdb.connect(_bands_warehouse(tmp_path), read_only=True) as c:
        law = lambda a, b: tables.classification_laws(c, Filters(a, b))  # noqa: E731
        assert law(date(2025, 1, 1), date(2025, 12, 31)) == [ND90]
        assert law(date(2026, 1, 1), date(2026, 3, 31)) == [ND335]
        assert law(date(2025, 12, 31), date(2026, 1, 1)) == [ND90, ND335]   # across 01/01/2026: both


def test_csv_title_names_the_law_of_classification_tables(tmp_path):
    from metrics.export import table_csv_bytes
    from metrics.filters import Filters
    f = Filters(date(2025, 7, 1), date(2026, 6, 30))
    with duckdb.connect(_bands_warehouse(tmp_path), read_only=True) as c:
        ranking = table_csv_bytes("ranking", c, f).decode("utf-8-sig").splitlines()
        trend = table_csv_bytes("trend", c, f).decode("utf-8-sig").splitlines()
    assert ranking[0] == f"Xếp loại theo: {ND90}; {ND335}"   # asis: no map line before it
    assert not trend[0].startswith("Xếp loại theo")


def test_unit_history_shows_the_two_parts_of_nd335(tmp_path):
    """Phước Thái 12/2025 (score 80, no parts) and 01/2026 under ND 335: 26 + 62 = 88. The two
    parts appear beside the score, empty for 12/2025; a period without ND 335 rows has no such
    columns."""
    path = build_warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(path) as c:
        c.execute("INSERT INTO evaluations (unit_id, period_type, period_start, score, classification, batch_id,"
                  " classification_source, band_conflict, general_points, task_points) VALUES"
                  " (?, 'month', DATE '2025-12-01', 80, 'tot', 2, 'given', FALSE, NULL, NULL),"
                  " (?, 'month', DATE '2026-01-01', 88, 'tot', 2, 'given', FALSE, 26, 62)", [THAI, THAI])
    with duckdb.connect(path, read_only=True) as c:
        df = tables.build("unit_history", c, Filters(date(2025, 12, 1), date(2026, 1, 31)), unit_id=THAI)
        assert list(df.columns[:5]) == ["Tháng", "Điểm", tables.GENERAL_POINTS, tables.TASK_POINTS, "Xếp loại"]
        rows = [(r[0], r[1], r[2], r[3]) for r in df.itertuples(index=False)]
        assert rows[0][:2] == ("12/2025", 80.0) and pd.isna(rows[0][2]) and pd.isna(rows[0][3])
        assert rows[1] == ("01/2026", 88.0, 26.0, 62.0)
        old = tables.build("unit_history", c, Q1, unit_id=THAI)
        assert tables.GENERAL_POINTS not in old.columns
