"""A commune_viewer's scope restricts every table on the server (metrics), whatever the filters ask.

For every table the dashboard shows and the CLI writes: the CSV a commune_viewer of Xã Phước Thái
gets is byte-for-byte the CSV of "only Xã Phước Thái" — and when the request (a URL, a crafted
filter) asks for another commune, the CSV is the one of an empty selection, never the other
commune's rows.
"""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from metrics import tables
from metrics.export import table_csv_bytes, to_csv_bytes
from metrics.filters import Filters
from metrics_fixtures import THAI, THUAN, build_warehouse

PERIOD = (date(2021, 10, 1), date(2022, 3, 31))
MINE, OTHER = THAI, THUAN
MY_NAME = "Xã Phước Thái"

# Not `ranking`, `top_units`, `bottom_units`: a viewer sees the public ranking (scores and ranks of
# every commune, issue 13; docs/access.md), tested below.
TABLES = [
    ("overview", {}), ("trend", {}), ("heatmap", {}),
    ("late_rates", {"by": "unit"}), ("late_rates", {"by": "field"}), ("late_rates", {"by": "procedure"}),
    ("bieu06", {}), ("late_dossiers", {}), ("commitments", {"year": 2022}), ("commitments", {"year": 2021}),
    ("commitments_by_year", {}),
]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = build_warehouse(tmp_path_factory.mktemp("scope") / "warehouse.duckdb")
    c = duckdb.connect(path, read_only=True)
    yield c
    c.close()


def csv_of(con, name: str, options: dict, **filters) -> bytes:
    """The table part of the CSV download (and of `python -m metrics`): the table as the page
    shows it. (Biểu 06's title block names the selection: see the test below.)"""
    return to_csv_bytes(tables.shown(name, con, Filters(*PERIOD, **filters), **options))


@pytest.mark.parametrize("name, options", TABLES, ids=[f"{n}-{'-'.join(map(str, o.values()))}" for n, o in TABLES])
def test_a_commune_viewer_gets_only_its_commune(con, name, options):
    scoped = csv_of(con, name, options, scope=(MINE,))
    assert scoped == csv_of(con, name, options, units=(MINE,))
    # The URL (or a crafted request) asks for another commune: nothing of it comes back.
    assert csv_of(con, name, options, scope=(MINE,), units=(OTHER,)) == csv_of(con, name, options, scope=())
    # Asking for both gives just its own.
    assert csv_of(con, name, options, scope=(MINE,), units=(MINE, OTHER)) == scoped
    # Unit kinds cannot widen it either.
    assert csv_of(con, name, options, scope=(MINE,), kinds=("commune", "department")) == scoped


@pytest.mark.parametrize("name, options", TABLES, ids=[f"{n}-{'-'.join(map(str, o.values()))}" for n, o in TABLES])
def test_unit_columns_hold_only_the_allowed_units(con, name, options):
    df = tables.shown(name, con, Filters(*PERIOD, scope=(MINE,)), **options)
    for col in ("Đơn vị", "Tên đơn vị"):
        if col in df.columns:
            assert set(df[col].dropna()) <= {MY_NAME}, (name, set(df[col].dropna()))


def test_bieu06_title_names_only_allowed_units(con):
    def title(**filters) -> list[str]:
        data = table_csv_bytes("bieu06", con, Filters(*PERIOD, **filters)).decode("utf-8-sig")
        return data.split("\r\n")[:5]
    assert "Đơn vị: Xã Phước Thái" in title(scope=(MINE,), units=(MINE,))
    assert title(scope=(MINE,), units=(MINE, OTHER)) == title(scope=(MINE,), units=(MINE,))
    asked_other = "\n".join(title(scope=(MINE,), units=(OTHER,)))
    assert "Phước Thuận" not in asked_other and OTHER not in asked_other


def test_unit_history_of_another_commune_is_empty_and_ranks_among_public_peers(con):
    """unit_history of the viewer's own unit ranks it among the communes (the public ranking,
    docs/access.md); another commune's history stays hidden."""
    other = tables.build("unit_history", con, Filters(*PERIOD, scope=(MINE,)), unit_id=OTHER)
    assert other.empty
    mine = tables.build("unit_history", con, Filters(*PERIOD, scope=(MINE,)), unit_id=MINE)
    # Phước Thái against Phước Thuận, the only other commune with monthly scores:
    # 10-12/2021 70 < 80 -> 2; 01/2022 90 > 85 -> 1; 02/2022 80 < 85 -> 2; 03/2022 85 = 85 -> 1
    assert list(mine["Hạng trong tháng"]) == [2, 2, 2, 1, 2, 1]
    assert set(mine["Số đơn vị xếp hạng"]) == {2}
    everyone = tables.build("unit_history", con, Filters(*PERIOD), unit_id=MINE)
    assert list(everyone["Điểm"]) == list(mine["Điểm"]) and set(everyone["Số đơn vị xếp hạng"]) == {4}


def test_a_viewers_ranking_is_the_public_one_with_counts_only_for_its_own_units(con):
    """Scores and ranks of every commune (announced publicly); the numbers of evaluation sheets
    and classifications only for the viewer's own commune; no other kind of unit."""
    public = tables.build("ranking", con, Filters(*PERIOD, scope=(MINE,)))
    # Q4 2021 + Q1 2022 monthly: Thái (70*3 + 90 + 80 + 85) / 6 = 77.5; Thuận (80*3 + 85*3) / 6 = 82.5
    assert list(public["Đơn vị"]) == ["Xã Phước Thuận", MY_NAME]
    assert list(public["Điểm TB"]) == [82.5, 77.5] and list(public["Hạng"]) == [1, 2]
    assert public["Số kỳ đánh giá"].isna().tolist() == [True, False]
    assert public.loc[MINE, "Số kỳ đánh giá"] == 6 and public.loc[MINE, "Xuất sắc"] == 1
    # what the URL asks for does not change it (the selection is ignored for the ranking)
    for units in ((OTHER,), (MINE, OTHER)):
        again = tables.build("ranking", con, Filters(*PERIOD, scope=(MINE,), units=units))
        pd.testing.assert_frame_equal(again, public)


def test_a_viewers_best_and_worst_units_are_the_public_ranking_with_its_own_rate_only(con):
    """Tổng quan's best and worst lists rank as Xếp hạng does (public scores of every commune);
    the on-time rate, not announced, only for the viewer's own commune."""
    best = tables.build("top_units", con, Filters(*PERIOD, scope=(MINE,)))
    # scores as in the ranking test below: Thuận 82.5 (rank 1), Thái 77.5 (rank 2); no other kind
    assert list(best["Đơn vị"]) == ["Xã Phước Thuận", MY_NAME] and list(best["Hạng"]) == [1, 2]
    assert list(best["Điểm TB"]) == [82.5, 77.5]
    # Thái returned A1, A2, A3, A4, A7 and A8 between 01/10/2021 and 31/03/2022, in time A1, A2, A4, A8
    assert pd.isna(best["Tỷ lệ đúng hạn (%)"].iloc[0])
    assert best["Tỷ lệ đúng hạn (%)"].iloc[1] == pytest.approx(100 * 4 / 6)
    worst = tables.build("bottom_units", con, Filters(*PERIOD, scope=(MINE,), units=(OTHER,)), n=1)
    assert list(worst["Đơn vị"]) == [MY_NAME] and list(worst["Hạng"]) == [2]   # the URL's choice is ignored
    assert list(best.columns) == list(tables.build("top_units", con, Filters(*PERIOD)).columns)


def test_the_fixture_has_other_units_so_the_checks_mean_something(con):
    everything = tables.build("late_rates", con, Filters(*PERIOD), by="unit")
    assert {MY_NAME, "Xã Phước Thuận"} <= set(everything["Đơn vị"])
    assert csv_of(con, "ranking", {}) != csv_of(con, "ranking", {}, scope=(MINE,))


def test_kpis_and_unit_options_are_scoped(con):
    assert tables.kpis(con, Filters(*PERIOD, scope=(MINE,))) == tables.kpis(con, Filters(*PERIOD, units=(MINE,)))
    assert tables.kpis(con, Filters(*PERIOD, scope=(MINE,), units=(OTHER,))) == tables.kpis(
        con, Filters(*PERIOD, scope=()))
    options = tables.unit_options(con, scope=(MINE,))
    assert list(options["unit_id"]) == [MINE]


def test_an_empty_scope_allows_nothing(con):
    df = tables.build("late_rates", con, Filters(*PERIOD, scope=()), by="unit")
    assert df.empty or set(df["Đơn vị"]) <= {"Tổng cộng"}
    assert isinstance(tables.unit_options(con, scope=()), pd.DataFrame) and tables.unit_options(con, scope=()).empty
