"""tables.build as a whole: overview, headers, freshness."""
from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest

from metrics import tables
from metrics.filters import Filters
from metrics_fixtures import Q1, THAI, build_warehouse, con, warehouse  # noqa: F401

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
    path = build_warehouse(tmp_path / "w.duckdb", dossiers=[], evaluations=[], commitments=[], is_demo=False)
    with duckdb.connect(path, read_only=True) as c:
        assert tables.freshness(c) == {"data_until": None, "is_demo": False, "months_with_data": (None, None)}


def test_freshness_evaluations_only(tmp_path):
    ev = [(THAI, "month", date(2022, 5, 1), 80.0, "tot")]
    path = build_warehouse(tmp_path / "w.duckdb", dossiers=[], evaluations=ev, commitments=[])
    with duckdb.connect(path, read_only=True) as c:
        f = tables.freshness(c)
    # the end of the last evaluated month
    assert f["data_until"] == date(2022, 5, 31)
    assert f["months_with_data"] == (date(2022, 5, 1), date(2022, 5, 1))


def test_works_on_a_read_only_versioned_cursor(warehouse):
    from etl.warehouse import Reader
    cur = Reader(warehouse).cursor()
    assert tables.kpis(cur, Q1)["received"] == 13
