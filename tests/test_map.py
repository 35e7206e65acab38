"""The two maps ("Địa giới", docs/map.md) on the hand-made warehouse of tests/map_fixtures.py.

Every expected number is worked out by hand from the fixture's docstring. Under "new" a row of a
unit that ended on 30/06/2025 counts under its successor: the rows of the new map are the asis
rows summed, and rates are recomputed from the summed counts.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from metrics import db, tables
from metrics.__main__ import CLI_TABLES
from metrics.export import csv_file_name, table_csv_bytes
from metrics.filters import Filters
from map_fixtures import AN_HAI, DINH_NEW, HAU, HAU_NEW, HUU, HUU_NEW, SON, TU_PHAP, VINH, build_warehouse

ROOT = Path(__file__).resolve().parent.parent
MAY_AUG = (dt.date(2025, 5, 1), dt.date(2025, 8, 31))
JUL_AUG = (dt.date(2025, 7, 1), dt.date(2025, 8, 31))
DINH_NOTE_START = "Xã Phước Dinh (từ 01/07/2025) được hợp thành từ Xã An Hải"

# asis display name (for the period 05-08/2025) -> the name it is reported under on the new map
SUCCESSOR_NAME = {
    "Xã Phước Vinh": "Xã Phước Hậu", "Xã Phước Sơn": "Xã Phước Hậu",
    "Xã Phước Hậu (đến 30/06/2025)": "Xã Phước Hậu", "Xã Phước Hậu (từ 01/07/2025)": "Xã Phước Hậu",
    "Xã Phước Hữu (đến 30/06/2025)": "Xã Phước Hữu", "Xã Phước Thái": "Xã Phước Hữu",
    "Xã Phước Hữu (từ 01/07/2025)": "Xã Phước Hữu",
    "Xã An Hải": "Xã Phước Dinh", "Xã Phước Dinh": "Xã Phước Dinh", "Phòng Tư pháp": "Phòng Tư pháp",
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> str:
    return str(build_warehouse(tmp_path_factory.mktemp("map") / "warehouse.duckdb"))


@pytest.fixture()
def con(warehouse):
    c = duckdb.connect(warehouse, read_only=True)
    yield c
    c.close()


def on(map_: str, period=MAY_AUG, **kw) -> Filters:
    return Filters(*period, map=map_, **kw)


def summed_into_successors(asis: pd.DataFrame, counts: list[str]) -> pd.DataFrame:
    """The asis rows of a by-unit table added up under each unit's successor."""
    grouped = asis.assign(**{"Đơn vị": asis["Đơn vị"].map(SUCCESSOR_NAME)})
    assert grouped["Đơn vị"].notna().all(), asis["Đơn vị"].tolist()
    return grouped.groupby("Đơn vị")[counts].sum().sort_index()


# -- late_rates ------------------------------------------------------------------------------------

LATE_COUNTS = ["Hồ sơ tiếp nhận", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn"]


def test_late_rates_by_unit_new_map_by_hand(con):
    df = tables.shown("late_rates", con, on("new"), by="unit")
    # Phước Hậu = V1 V2 S1 H1 H2 N1 N2: 3 early (V1 H1 N2), 2 on time (S1 H2), 2 late (V2 N1)
    # Phước Hữu = U1 early + U2 late; Phước Dinh = A1 + D1 early; Tư pháp = T1 late + T2 on time.
    # Worst late rate first; 50 % ties in Vietnamese order (Phòng before Xã).
    assert df.to_dict("list") == {
        "Đơn vị": ["Phòng Tư pháp", "Xã Phước Hữu", "Xã Phước Hậu", "Xã Phước Dinh"],
        "Hồ sơ tiếp nhận": [2, 2, 7, 2],
        "Đã giải quyết": [2, 2, 7, 2],
        "Trước hạn": [0, 1, 3, 2],
        "Đúng hạn": [1, 0, 2, 0],
        "Quá hạn": [1, 1, 2, 0],
        "Tỷ lệ quá hạn (%)": [50.0, 50.0, pytest.approx(200 / 7), 0.0],
        "Tỷ lệ đúng hạn (%)": [50.0, 50.0, pytest.approx(500 / 7), 100.0],
    }


def test_late_rates_new_rows_are_the_asis_rows_summed_with_rates_from_the_sums(con):
    asis = tables.shown("late_rates", con, on("asis"), by="unit")
    new = tables.shown("late_rates", con, on("new"), by="unit").set_index("Đơn vị").sort_index()
    assert len(asis) == 9 and len(new) == 4
    pd.testing.assert_frame_equal(new[LATE_COUNTS], summed_into_successors(asis, LATE_COUNTS), check_names=False)
    # Rates from the summed counts, not the mean of the rates: Phước Hậu's four asis rows have
    # late rates 50 (Vinh), 0 (Sơn), 0 (Hậu old), 50 (Hậu new): mean 25, but 2 / 7 = 28,6 %.
    assert new.loc["Xã Phước Hậu", "Tỷ lệ quá hạn (%)"] == pytest.approx(100 * 2 / 7)


def test_selecting_the_new_commune_on_the_new_map_gives_one_row(con):
    df = tables.shown("late_rates", con, on("new", units=(HAU_NEW,)), by="unit")
    assert list(df["Đơn vị"]) == ["Xã Phước Hậu"] and list(df["Hồ sơ tiếp nhận"]) == [7]
    # asis, the same selection lists the predecessors beside it (today's behaviour)
    asis = tables.shown("late_rates", con, on("asis", units=(HAU_NEW,)), by="unit")
    assert len(asis) == 4


# -- tables that are not by unit: the same on both maps ------------------------------------------

@pytest.mark.parametrize("name, options", [("bieu06", {}), ("overview", {}), ("trend", {}),
                                           ("late_rates", {"by": "field"}),
                                           ("late_rates", {"by": "procedure"}), ("commitments_by_year", {})])
def test_tables_without_units_are_the_same_on_both_maps(con, name, options):
    pd.testing.assert_frame_equal(tables.shown(name, con, on("new"), **options),
                                  tables.shown(name, con, on("asis"), **options))


def test_overview_counts_by_hand(con):
    df = tables.shown("overview", con, on("new")).set_index("Chỉ tiêu")
    # 13 dossiers received in 05-08/2025, all returned; late: V2 N1 U2 T1 = 4
    assert df.loc["Hồ sơ tiếp nhận", "Kỳ này"] == 13
    assert df.loc["Giải quyết quá hạn", "Kỳ này"] == 4
    assert df.loc["Tỷ lệ giải quyết quá hạn (%)", "Kỳ này"] == pytest.approx(400 / 13)


# -- ranking and scores ----------------------------------------------------------------------------

RANK_COUNTS = ["Số kỳ đánh giá", "Xuất sắc", "Tốt", "Hoàn thành", "Không hoàn thành"]


def test_ranking_new_map_combines_scores_by_headcount_else_plain_mean(con):
    df = tables.shown("ranking", con, on("new"))
    # Phước Hậu 05: (80*10 + 70*30 + 90*20) / 60 = 78,33; 06: (90*10 + 60*30 + 90*20) / 60 = 75;
    #   07: 85; 08: 75 -> (78,33 + 75 + 85 + 75) / 4 = 78,3
    # Phước Hữu: Phước Thái has no headcount -> plain mean: 05 (60+80)/2 = 70, 06 (70+90)/2 = 80;
    #   07: 95, 08: 85 -> 82,5
    # Phước Dinh (An Hải before 07/2025): 50, 70, 80, 90 -> 72,5. Tư pháp: (88 + 92) / 2 = 90
    assert list(df["Đơn vị"]) == ["Phòng Tư pháp", "Xã Phước Hữu", "Xã Phước Hậu", "Xã Phước Dinh"]
    assert list(df["Điểm TB"]) == [90.0, 82.5, 78.3, 72.5]
    assert list(df["Hạng"]) == [1, 2, 3, 4]
    # Sheets: Phước Hậu 2 + 2 + 2 + 2 = 8; classifications of its eight scores 80 90 | 70 60 |
    # 90 90 | 85 75: 3 xuất sắc, 4 tốt, 1 hoàn thành
    hau = df[df["Đơn vị"] == "Xã Phước Hậu"].iloc[0]
    assert (hau["Số kỳ đánh giá"], hau["Xuất sắc"], hau["Tốt"], hau["Hoàn thành"]) == (8, 3, 4, 1)


def test_ranking_new_counts_are_the_asis_counts_summed(con):
    asis = tables.shown("ranking", con, on("asis"))
    new = tables.shown("ranking", con, on("new")).set_index("Đơn vị").sort_index()
    summed = summed_into_successors(asis, RANK_COUNTS)
    pd.testing.assert_frame_equal(new[RANK_COUNTS].astype("int64"), summed.astype("int64"), check_names=False)
    # the index of a ranking row is the unit it is reported under (the page's unit history)
    assert set(tables.build("ranking", con, on("new")).index) == {TU_PHAP, HUU_NEW, HAU_NEW, DINH_NEW}


def test_previous_period_across_the_merger_compares_like_with_like_on_the_new_map(con):
    df = tables.shown("ranking", con, on("new", JUL_AUG)).set_index("Đơn vị")
    # 07-08/2025: Hữu (95+85)/2 = 90, Dinh (80+90)/2 = 85, Hậu (85+75)/2 = 80 -> 1, 2, 3.
    # Previous period 05-06/2025, on the same map: Tư pháp 90 (1), Hậu (78,33+75)/2 = 76,7 (2),
    # Hữu (70+80)/2 = 75 (3), Dinh (50+70)/2 = 60 (4).
    assert df["Hạng"].to_dict() == {"Xã Phước Hữu": 1, "Xã Phước Dinh": 2, "Xã Phước Hậu": 3}
    assert df["Hạng kỳ trước"].to_dict() == {"Xã Phước Hữu": 3, "Xã Phước Dinh": 4, "Xã Phước Hậu": 2}
    assert df["Thay đổi hạng"].to_dict() == {"Xã Phước Hữu": 2, "Xã Phước Dinh": 2, "Xã Phước Hậu": -1}
    # asis, the new communes have no previous period: nothing to compare
    asis = tables.shown("ranking", con, on("asis", JUL_AUG))
    assert asis["Hạng kỳ trước"].isna().all()
    # the overview's previous period is on the same map too (its totals do not depend on it)
    f = on("new", JUL_AUG)
    assert f.previous().map == "new"
    prev = tables.shown("overview", con, f).set_index("Chỉ tiêu").loc["Hồ sơ tiếp nhận"]
    assert (prev["Kỳ này"], prev["Kỳ trước"]) == (4, 9)   # N1 N2 U2 D1 | V1 V2 S1 H1 H2 U1 T1 T2 A1


def test_top_units_heatmap_and_unit_history_on_the_new_map(con):
    top = tables.shown("top_units", con, on("new"), n=2)
    assert list(top["Đơn vị"]) == ["Phòng Tư pháp", "Xã Phước Hữu"]
    # Phước Hữu returned U1 (early) and U2 (late) in the period: 50 % on time
    assert list(top["Tỷ lệ đúng hạn (%)"]) == [50.0, 50.0]
    heat = tables.shown("heatmap", con, on("new"))
    hau = heat[heat["Đơn vị"] == "Xã Phước Hậu"]
    assert list(hau["Tháng"]) == ["05/2025", "06/2025", "07/2025", "08/2025"]
    assert list(hau["Điểm"]) == pytest.approx([4700 / 60, 75.0, 85.0, 75.0])
    history = tables.shown("unit_history", con, on("new"), unit_id=HAU_NEW)
    # 05/2025 among Tư pháp 88, Hữu 70, Hậu 78,3, Dinh 50 -> 2nd of 4; combined 78,3 -> "tốt" (bands)
    first = history.iloc[0]
    assert (first["Tháng"], first["Hạng trong tháng"], first["Số đơn vị xếp hạng"]) == ("05/2025", 2, 4)
    assert first["Xếp loại"] == "Hoàn thành tốt nhiệm vụ"
    # 06: Tư pháp 92, Hữu 80, Hậu 75, Dinh 70 -> 3rd of 4; 07: Hữu 95, Hậu 85, Dinh 80 -> 2nd of 3;
    # 08: Dinh 90, Hữu 85, Hậu 75 -> 3rd of 3
    assert list(history["Hạng trong tháng"]) == [2, 3, 2, 3]
    assert list(history["Số đơn vị xếp hạng"]) == [4, 4, 3, 3]


def test_commitments_new_map_sums_headcount_and_signatures(con):
    long = tables.build("commitments", con, on("new"), year=2025)
    # Phước Hậu = Vinh 10/10 + Sơn 30/27 + Hậu 20/20 = 60 / 57 -> 95 %, 3 missing; Phước Hữu 15 / 12
    assert long[["Đơn vị", "Số CBCCVC", "Đã ký", "Còn thiếu"]].values.tolist() == [
        ["Xã Phước Hậu", 60, 57, 3], ["Xã Phước Hữu", 15, 12, 3]]
    assert list(long["Tỷ lệ (%)"]) == [95.0, 80.0]
    asis = tables.build("commitments", con, on("asis"), year=2025)
    summed = summed_into_successors(asis, ["Số CBCCVC", "Đã ký", "Còn thiếu"])
    pd.testing.assert_frame_equal(long.set_index("Đơn vị")[["Số CBCCVC", "Đã ký", "Còn thiếu"]].astype("int64"),
                                  summed.astype("int64"), check_names=False)


# -- the aggregates answer the same on both maps -----------------------------------------------------

@pytest.mark.parametrize("map_", ["asis", "new"])
@pytest.mark.parametrize("name, options", [("late_rates", {"by": "unit"}), ("late_rates", {"by": "field"}),
                                           ("bieu06", {}), ("overview", {}), ("trend", {})])
def test_aggregate_path_equals_raw_path(con, monkeypatch, map_, name, options):
    f = on(map_)
    assert db.aggregates_answer(con, "late_rates_by_unit", f), "the fixture must exercise the aggregates"
    fast = tables.shown(name, con, f, **options)
    monkeypatch.setattr(db, "USE_AGGREGATES", False)
    pd.testing.assert_frame_equal(fast, tables.shown(name, con, f, **options))


# -- a commune viewer ---------------------------------------------------------------------------------

def test_a_viewer_sees_the_ranking_of_all_communes_and_only_its_own_elsewhere(con):
    viewer = on("new", scope=(HAU_NEW,))
    ranking = tables.shown("ranking", con, viewer).set_index("Đơn vị")
    # Every commune (the viewer's kind), with its score and rank among the communes: Hữu 82,5,
    # Hậu 78,3, Dinh 72,5; not Phòng Tư pháp (another kind)
    assert ranking["Hạng"].to_dict() == {"Xã Phước Hữu": 1, "Xã Phước Hậu": 2, "Xã Phước Dinh": 3}
    assert ranking.loc["Xã Phước Hữu", "Điểm TB"] == 82.5
    # counts only for its own
    assert ranking.loc["Xã Phước Hậu", "Số kỳ đánh giá"] == 8
    assert ranking.drop(index="Xã Phước Hậu")[RANK_COUNTS].isna().all().all()
    # every other table stays within the scope
    for name, options in [("late_rates", {"by": "unit"}), ("late_dossiers", {}), ("heatmap", {}),
                          ("commitments", {"year": 2025})]:
        df = tables.shown(name, con, viewer, **options)
        assert set(df["Đơn vị"]) <= {"Xã Phước Hậu"}, (name, set(df["Đơn vị"]))
    # Tổng quan's best units: the same public ranking; the on-time rate only for its own, the new
    # Phước Hậu with its predecessors: V1 early, V2 late, S1 on time, H1 early, H2 on time, N1 late,
    # N2 early = 5 of 7 returned in time
    top = tables.shown("top_units", con, viewer)
    assert list(top["Đơn vị"]) == ["Xã Phước Hữu", "Xã Phước Hậu", "Xã Phước Dinh"] and list(top["Hạng"]) == [1, 2, 3]
    rates = dict(zip(top["Đơn vị"], top["Tỷ lệ đúng hạn (%)"]))
    assert rates["Xã Phước Hậu"] == pytest.approx(100 * 5 / 7)
    assert pd.isna(rates["Xã Phước Hữu"]) and pd.isna(rates["Xã Phước Dinh"])
    assert tables.kpis(con, viewer)["received"] == 7
    # the download of the ranking holds the ranking only: no other commune's counts
    rows = list(csv.reader(io.StringIO(table_csv_bytes("ranking", con, viewer).decode("utf-8-sig"))))
    assert rows[0][0] == "Địa giới: Theo xã mới (từ 01/07/2025) – số liệu của các đơn vị đã sáp nhập được tính vào xã mới"
    assert rows[2] == ["Xếp loại theo: Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP)"]
    header = rows[3]   # after the map line, Phước Dinh's note and the law of the classification
    assert header[:3] == ["Hạng", "Đơn vị", "Điểm TB"]
    huu = dict(zip(header, rows[4]))
    assert huu["Đơn vị"] == "Xã Phước Hữu" and huu["Điểm TB"] == "82,5"
    assert [huu[c] for c in RANK_COUNTS] == ["", "", "", "", ""]
    # a viewer's history of another commune is empty, its own ranks among the communes
    assert tables.build("unit_history", con, viewer, unit_id=HUU_NEW).empty
    own = tables.build("unit_history", con, viewer, unit_id=HAU_NEW)
    assert list(own["Số đơn vị xếp hạng"]) == [3, 3, 3, 3]


# -- Phước Dinh's note -------------------------------------------------------------------------------

def test_phuoc_dinh_says_it_is_partly_outside_this_warehouse(con):
    new = [r[0] for r in csv.reader(io.StringIO(
        table_csv_bytes("late_rates", con, on("new"), by="unit").decode("utf-8-sig")))]
    assert new[0].startswith("Địa giới: Theo xã mới (từ 01/07/2025)")
    assert new[1].startswith("Ghi chú: " + DINH_NOTE_START)
    assert new[2] == "Đơn vị"
    # Biểu 06 of An Hải on the new map (it is reported under Phước Dinh): the note too
    b06 = table_csv_bytes("bieu06", con, on("new", units=(AN_HAI,))).decode("utf-8-sig")
    assert DINH_NOTE_START in b06
    # a table without Phước Dinh has no note; asis, no map line
    plain = table_csv_bytes("late_rates", con, on("asis", units=(VINH, SON)), by="unit").decode("utf-8-sig")
    assert plain.startswith("Đơn vị,")
    assert tables.table_notes(con, on("new", units=(HAU_NEW,)),
                              tables.shown("late_rates", con, on("new", units=(HAU_NEW,)))) == []


def test_csv_file_name_says_the_new_map():
    assert csv_file_name("xep-hang", on("asis")) == "xep-hang_tat-ca_2025-05_2025-08.csv"
    assert csv_file_name("xep-hang", on("new")) == "xep-hang_tat-ca_2025-05_2025-08_xa-moi.csv"


def test_the_sql_text_does_not_depend_on_the_map():
    assert on("asis").unit_restriction()[0] == on("new").unit_restriction()[0]
    assert on("asis").unit_restriction()[1]["map_new"] is False
    with pytest.raises(ValueError, match="Địa giới"):
        on("moi")


# -- the CLI --------------------------------------------------------------------------------------------

def run_cli(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("WAREHOUSE_DB", None)
    return subprocess.run([sys.executable, "-m", "metrics", *args], cwd=ROOT, env=env,
                          capture_output=True, timeout=120)


def _cli_args(name: str) -> list[str]:
    extra = {"unit_history": ["--unit", HAU_NEW], "commitments": ["--year", "2025"]}.get(name, [])
    return [name, "--from", "2025-05-01", "--to", "2025-08-31", *extra]


@pytest.mark.parametrize("name", CLI_TABLES)
def test_cli_map_for_every_table(warehouse, tmp_path, name):
    outs = {}
    for label, flag in [("none", []), ("asis", ["--map", "asis"]), ("new", ["--map", "new"])]:
        out = tmp_path / f"{label}.csv"
        r = run_cli(*_cli_args(name), "--db", warehouse, "--out", str(out), *flag)
        assert r.returncode == 0, r.stderr.decode()
        outs[label] = out.read_bytes()
    assert outs["asis"] == outs["none"]                      # asis is the default, byte for byte
    options = {"unit_history": {"unit_id": HAU_NEW}, "commitments": {"year": 2025}}.get(name, {})
    with duckdb.connect(warehouse, read_only=True) as c:
        assert outs["new"] == table_csv_bytes(name, c, Filters(*MAY_AUG, map="new"), **options)
        assert outs["none"] == table_csv_bytes(name, c, Filters(*MAY_AUG), **options)
    new_text = outs["new"].decode("utf-8-sig")
    first_line = new_text.split("\r\n")[4 if name == "bieu06" else 0]
    assert first_line.startswith("Địa giới: Theo xã mới (từ 01/07/2025)"), new_text[:300]
    if name in ("late_rates", "ranking", "heatmap", "commitments"):
        assert "Xã Phước Vinh" in outs["none"].decode("utf-8-sig")
    assert "Xã Phước Vinh" not in new_text          # its rows are Phước Hậu's on the new map


def test_cli_rejects_an_unknown_map(warehouse):
    r = run_cli(*_cli_args("ranking"), "--db", warehouse, "--map", "moi")
    assert r.returncode == 2 and "lựa chọn không hợp lệ" in r.stderr.decode()
