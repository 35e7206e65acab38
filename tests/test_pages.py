"""AppTest for every page of the dashboard, on the small warehouse of tests/app_fixtures.py.

Expected numbers are counted by hand from the fixture (see its docstring). The default period is
the latest month with data: 03/2022.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

try:
    from tests.page_blocks import card, cards, plain_tables
except ImportError:  # tests/ on sys.path instead of the project root
    from page_blocks import card, cards, plain_tables

try:
    from tests.app_fixtures import build_warehouse
except ImportError:  # tests/ on sys.path instead of the project root
    from app_fixtures import build_warehouse

from etl.warehouse import writer
from ui.components import HEATMAP_TABLE_EXPANDER, OVERVIEW_TABLE_EXPANDER, OVERVIEW_TREND_EXPANDER

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGES = ["app_pages/tong_quan.py", "app_pages/xep_hang.py", "app_pages/tthc.py", "app_pages/cam_ket.py",
         "app_pages/van_hoa_cong_so.py"]
TIMEOUT = 60


@pytest.fixture
def warehouse(tmp_path, monkeypatch) -> Path:
    path = build_warehouse(tmp_path / "wh.duckdb")
    monkeypatch.setenv("WAREHOUSE_DB", str(path))
    return path


def signed_in(at: AppTest, username: str = "lanhdao") -> AppTest:
    """A session already signed in (ui/auth.py) as a demo viewer of .streamlit/accounts.toml."""
    at.session_state["_auth_username"] = username
    return at


def run(page_file: str | None = None, params: dict | None = None) -> AppTest:
    at = signed_in(AppTest.from_file(APP, default_timeout=TIMEOUT))
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page_file and page_file != PAGES[0]:
        at.switch_page(page_file).run()
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def metric(at: AppTest, label: str) -> str:
    return card(at, label).value


def frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page (interactive grid or plain table) that has these columns."""
    for value in [*(d.value for d in at.dataframe), *plain_tables(at)]:
        if all(c in value.columns for c in columns):
            return value
    raise AssertionError(f"no dataframe with {columns}: {[list(d.value.columns) for d in at.dataframe]}")


def header_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


# -- every page renders ---------------------------------------------------------------------------

def demo_badge_shown(at: AppTest) -> bool:
    return any("Dữ liệu minh họa" in m.value for m in at.markdown)


@pytest.mark.parametrize("page_file", PAGES)
def test_page_renders_without_exception(warehouse, page_file):
    at = run(page_file)
    assert_clean(at)
    assert at.title, "page has no title"
    text = header_text(at)
    # the last dossier event is HS-0011 returned 16/03, but the surveys of 03/2022 cover the whole month
    assert "Dữ liệu đến ngày **31/03/2022**" in text
    if page_file.endswith("cam_ket.py"):             # follows its own year selector
        assert "Năm: **2022**" in text and "Kỳ:" not in text
    else:
        assert "Kỳ: **03/2022**" in text             # default: latest month with data
    assert demo_badge_shown(at)


@pytest.mark.parametrize("page_file", PAGES)
def test_page_with_no_data_for_the_filters_says_so(warehouse, page_file):
    # The fixture has no association: every page must explain, not fail.
    at = run(page_file, {"loai": "association", "tu": "2022-01", "den": "2022-03"})
    assert_clean(at)
    assert at.info, "expected an explanation (st.info) when nothing matches"


def test_missing_warehouse_explains_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DB", str(tmp_path / "none.duckdb"))
    at = signed_in(AppTest.from_file(APP, default_timeout=TIMEOUT)).run()
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "make run" in text and "python -m etl load" in text


# -- Tổng quan ------------------------------------------------------------------------------------

def test_overview_kpis_for_the_default_month(warehouse):
    at = run()
    assert_clean(at)
    # 03/2022: received HS-0001..0008 + HS-0011 = 9; returned 8 (early 4, on time 1, late 3).
    assert metric(at, "Hồ sơ tiếp nhận") == "9"
    assert metric(at, "Hồ sơ đã giải quyết") == "8"
    assert metric(at, "Tỷ lệ đúng hạn") == "62,5 %"
    assert metric(at, "Tỷ lệ trễ hạn") == "37,5 %"
    assert metric(at, "Quá hạn chưa trả") == "1"
    # Scores in 03/2022: 80, 65, 60 -> 68,3.
    assert metric(at, "Điểm đánh giá TB") == "68,3"


def test_overview_lists_every_unit_once_when_all_fit(warehouse):
    """3 units with a score in 03/2022 (fewer than the best 5 + the worst 5): one list, best first,
    not the same units in a "best" and a "worst" list."""
    at = run()
    assert_clean(at)
    shown = [t for t in plain_tables(at) if {"Hạng", "Đơn vị", "Điểm TB"} <= set(t.columns)]
    assert len(shown) == 1
    assert list(shown[0]["Điểm TB"]) == sorted(shown[0]["Điểm TB"], reverse=True) and len(shown[0]) == 3
    labels = [m.value for m in at.markdown]
    assert "**Cả 3 đơn vị có điểm, điểm cao nhất trước**" in labels
    assert not any("đơn vị thấp nhất" in v for v in labels)


def test_overview_commune_filter_changes_the_rows(warehouse):
    at = run()
    top = frame_with(at, "Hạng", "Đơn vị", "Điểm TB")
    assert len(top) == 3
    at.multiselect(key="xa").select("xa-phuoc-hau").run()
    assert_clean(at)
    top = frame_with(at, "Hạng", "Đơn vị", "Điểm TB")
    assert len(top) == 1 and top["Đơn vị"].iloc[0].startswith("Xã Phước Hậu")
    assert metric(at, "Hồ sơ tiếp nhận") == "5"  # HS-0001..0005
    assert at.query_params["xa"] == "xa-phuoc-hau"


def test_overview_expander_tables_are_drawn_when_opened(warehouse):
    """Bảng chỉ tiêu and Bảng số liệu theo tháng: nothing built while collapsed (the page's first
    draw), the table and its downloads once opened; an opened one stays open across a filter
    change and shows the new selection."""
    at = run()
    assert_clean(at)
    assert [e.label for e in at.expander] == ["Bảng chỉ tiêu (kỳ này, kỳ trước, thay đổi)",
                                             "Bảng số liệu theo tháng"]
    shown = [list(d.value.columns) for d in at.dataframe]
    assert not any("Chỉ tiêu" in cols or "Tháng" in cols for cols in shown), shown
    keys = [b.proto.id for b in at.get("download_button")]
    assert not any(k.endswith(("-dl-overview", "-dl-trend")) for k in keys), keys

    at.session_state[OVERVIEW_TABLE_EXPANDER] = True  # the user opens "Bảng chỉ tiêu"
    at.run()
    assert_clean(at)
    overview = frame_with(at, "Chỉ tiêu", "Kỳ này", "Kỳ trước")
    row = overview[overview["Chỉ tiêu"] == "Hồ sơ tiếp nhận"].iloc[0]
    assert row["Kỳ này"] == 9  # 03/2022, as the card
    keys = [b.proto.id for b in at.get("download_button")]
    assert any(k.endswith("-dl-overview") for k in keys) and any(k.endswith("-xl-overview") for k in keys)
    assert not any(k.endswith("-dl-trend") for k in keys)  # the other one still closed

    at.multiselect(key="xa").select("xa-phuoc-hau").run()
    assert_clean(at)
    overview = frame_with(at, "Chỉ tiêu", "Kỳ này", "Kỳ trước")
    assert overview[overview["Chỉ tiêu"] == "Hồ sơ tiếp nhận"].iloc[0]["Kỳ này"] == 5  # HS-0001..0005

    at.session_state[OVERVIEW_TREND_EXPANDER] = True
    at.run()
    trend = frame_with(at, "Tháng", "Hồ sơ tiếp nhận")
    assert trend["Hồ sơ tiếp nhận"].iloc[-1] == 5  # 03/2022 for Phước Hậu


def test_overview_query_params_reproduce_the_view(warehouse):
    at = run(params={"tu": "2022-01", "den": "2022-03", "xa": "tt-phuoc-dan", "loai": "commune"})
    assert_clean(at)
    assert at.selectbox(key="tu").value == "2022-01"
    assert at.selectbox(key="den").value == "2022-03"
    assert at.multiselect(key="xa").value == ["tt-phuoc-dan"]
    assert at.selectbox(key="loai").value == "commune"
    text = header_text(at)
    assert "Kỳ: **01/2022 – 03/2022**" in text and "Thị trấn Phước Dân" in text
    assert metric(at, "Hồ sơ tiếp nhận") == "3"      # HS-0006..0008
    assert metric(at, "Tỷ lệ trễ hạn") == "66,7 %"    # 2 late of 3
    # the URL keeps describing the view
    assert at.query_params["tu"] == "2022-01" and at.query_params["xa"] == "tt-phuoc-dan"


def test_a_link_with_months_outside_the_data_opens_at_the_nearest_months(warehouse):
    # The fixture's months with data: 12/2021 (one dossier received) – 03/2022. A month before
    # the first is the first,
    # after the latest the latest (not the default latest month, which the sidebar then swapped).
    at = run(params={"tu": "2015-01", "den": "2022-02"})
    assert_clean(at)
    assert at.selectbox(key="tu").value == "2021-12"
    assert at.selectbox(key="den").value == "2022-02"
    at = run(params={"tu": "2022-02", "den": "2031-12"})
    assert at.selectbox(key="tu").value == "2022-02"
    assert at.selectbox(key="den").value == "2022-03"
    at = run(params={"tu": "2022-13", "den": "nam-ngoai"})   # not months: the default view
    assert at.selectbox(key="tu").value == "2022-03" and at.selectbox(key="den").value == "2022-03"


def test_comma_separated_communes_in_the_url(warehouse):
    at = run(params={"xa": "xa-phuoc-hau,tt-phuoc-dan"})
    assert_clean(at)
    assert at.multiselect(key="xa").value == ["xa-phuoc-hau", "tt-phuoc-dan"]
    assert metric(at, "Hồ sơ tiếp nhận") == "8"


def test_invalid_query_params_fall_back_to_defaults(warehouse):
    at = run(params={"tu": "2099-13", "xa": "khong-co", "loai": "x"})
    assert_clean(at)
    assert at.selectbox(key="tu").value == "2022-03"
    assert at.multiselect(key="xa").value == []
    assert at.selectbox(key="loai").value == "all"


def test_quick_pick_sets_the_period_relative_to_the_latest_data(warehouse):
    at = run()
    at.get("button_group")[0].set_value("quy").run()  # "Quý này": 01/2022 – 03/2022
    assert_clean(at)
    assert at.selectbox(key="tu").value == "2022-01"
    assert at.selectbox(key="den").value == "2022-03"
    assert metric(at, "Hồ sơ tiếp nhận") == "11"


def test_filters_survive_a_page_switch(warehouse):
    at = run(params={"tu": "2022-02", "den": "2022-03", "xa": "tt-phuoc-dan"})
    at.switch_page("app_pages/cam_ket.py").run()
    assert_clean(at)
    assert at.multiselect(key="xa").value == ["tt-phuoc-dan"]
    assert at.selectbox(key="tu").value == "2022-02"
    assert len(frame_with(at, "Đơn vị", "Còn thiếu")) == 1


def test_new_load_shows_up_without_restart(warehouse):
    at = run()
    assert metric(at, "Hồ sơ tiếp nhận") == "9"
    with writer(warehouse) as con:  # the ETL swaps a new file in while the app runs
        con.execute(
            "INSERT INTO dossiers (dossier_id, unit_id, field, procedure_name, channel, received_at,"
            " due_at, finished_at, apology_issued, batch_id, finished_has_time, outcome)"
            " VALUES ('HS-9999', 'xa-phuoc-hau', 'Hộ tịch', 'Đăng ký khai sinh', 'online',"
            " TIMESTAMP '2022-03-20 08:00:00', TIMESTAMP '2022-03-25 17:00:00', NULL, FALSE, 1, TRUE, NULL)"
        )
    at.run()
    assert_clean(at)
    assert metric(at, "Hồ sơ tiếp nhận") == "10"


# -- Xếp hạng đơn vị ------------------------------------------------------------------------------

def test_ranking_default_month_with_rank_changes(warehouse):
    at = run("app_pages/xep_hang.py")
    assert_clean(at)
    ranking = frame_with(at, "Hạng", "Đơn vị", "Thay đổi hạng")
    # 03/2022: Phước Hậu 80, Phước Dân 65, Tư pháp 60. 02/2022: Tư pháp 95, Phước Hậu 88, Phước Dân 70.
    assert [n.split(" (")[0] for n in ranking["Đơn vị"]] == ["Xã Phước Hậu", "Thị trấn Phước Dân", "Phòng Tư pháp"]
    assert list(ranking["Hạng"]) == [1, 2, 3]
    assert list(ranking["Thay đổi hạng"]) == [1, 1, -2]
    assert metric(at, "Tốt") == "1"              # 80
    assert metric(at, "Hoàn thành") == "2"       # 65, 60
    assert [m.help for m in cards(at) if m.label == "Tốt"] == ["Hoàn thành tốt nhiệm vụ"]


def _says_rank_among_chosen(at: AppTest) -> bool:
    return any("Thứ hạng chỉ tính trong các đơn vị đã chọn" in c.value for c in at.caption)


def test_ranking_commune_filter_changes_the_rows(warehouse):
    at = run("app_pages/xep_hang.py")
    assert not _says_rank_among_chosen(at)
    at.multiselect(key="xa").select("tt-phuoc-dan").run()
    assert_clean(at)
    ranking = frame_with(at, "Hạng", "Đơn vị", "Thay đổi hạng")
    assert list(ranking["Đơn vị"]) == ["Thị trấn Phước Dân"]
    # 'Hạng 1' of the one chosen unit (third of three in 03/2022) is said to be among the chosen
    assert list(ranking["Hạng"]) == [1] and _says_rank_among_chosen(at)
    overview = run(params={"xa": "tt-phuoc-dan"})
    assert _says_rank_among_chosen(overview) and not _says_rank_among_chosen(run())


def test_ranking_query_params_reproduce_the_view(warehouse):
    at = run("app_pages/xep_hang.py", {"tu": "2022-01", "den": "2022-03", "dv": "tt-phuoc-dan"})
    assert_clean(at)
    ranking = frame_with(at, "Hạng", "Đơn vị", "Điểm TB")
    # averages over the quarter: Phước Hậu 86,7; Tư pháp 83,3; Phước Dân 70,0
    assert [n.split(" (")[0] for n in ranking["Đơn vị"]] == ["Xã Phước Hậu", "Phòng Tư pháp", "Thị trấn Phước Dân"]
    assert at.selectbox(key="dv").value == "tt-phuoc-dan"
    history = frame_with(at, "Tháng", "Điểm", "Xếp loại")
    assert list(history["Tháng"]) == ["01/2022", "02/2022", "03/2022"]
    assert list(history["Điểm"]) == [75.0, 70.0, 65.0]


def test_ranking_charts_are_drawn_with_their_numbers(warehouse):
    """Xếp hạng's three charts (Vega-Lite, ui/light_charts.py): the quarter's averages as bars,
    best first; the unit × month scores in rank order; the chosen unit's months with its rank."""
    import json

    import pyarrow as pa
    at = run("app_pages/xep_hang.py", {"tu": "2022-01", "den": "2022-03", "dv": "tt-phuoc-dan"})
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 0
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3
    bars, heat, history = [pa.ipc.open_stream(ch.proto.data.data).read_all().to_pylist() for ch in charts]
    assert [json.loads(ch.proto.spec)["layer"][0]["mark"].get("type") for ch in charts[:2]] == ["bar", "rect"]
    # the quarter: Phước Hậu (92 + 88 + 80) / 3 = 86,7; Tư pháp (95 + 95 + 60) / 3 = 83,3; Phước Dân 70,0
    assert [r["tip"] for r in bars] == ["Xã Phước Hậu · Điểm TB: 86,7", "Phòng Tư pháp · Điểm TB: 83,3",
                                        "Thị trấn Phước Dân · Điểm TB: 70,0"]
    assert {r["band"] for r in bars} == {"70 – dưới 90: tốt"}
    # rank order, months in order; 03/2022: 80, 60, 65
    assert [(r["unit"], r["month"]) for r in heat][:4] == [
        ("Xã Phước Hậu", "01/2022"), ("Xã Phước Hậu", "02/2022"), ("Xã Phước Hậu", "03/2022"), ("Phòng Tư pháp", "01/2022")]
    assert [r["text"] for r in heat if r["month"] == "03/2022"] == ["80,0", "60,0", "65,0"]
    # Phước Dân: 75 (3rd of 95, 92, 75), 70 (3rd of 95, 88, 70), 65 (2nd of 80, 65, 60)
    assert [r["tip"] for r in history] == ["01/2022 · Điểm: 75,0 · Hạng: 3", "02/2022 · Điểm: 70,0 · Hạng: 3",
                                           "03/2022 · Điểm: 65,0 · Hạng: 2"]


def test_ranking_heatmap_table_is_built_once_its_expander_is_opened(warehouse):
    def heat_table(at):
        return [d.value for d in at.dataframe if list(d.value.columns)[:3] == ["Đơn vị", "Tháng", "Điểm"]]

    params = {"tu": "2022-01", "den": "2022-03"}
    at = run("app_pages/xep_hang.py", params)
    assert_clean(at)
    assert heat_table(at) == []                       # collapsed: not sent
    assert not [b for b in at.get("download_button") if b.proto.id.endswith("-heatmap-table")]
    at.session_state[HEATMAP_TABLE_EXPANDER] = True   # the user opens "Bảng điểm theo đơn vị và tháng"
    at.run()
    assert_clean(at)
    (heat,) = heat_table(at)
    # rank order (Phước Hậu, Tư pháp, Phước Dân), each unit's months in order
    dan = heat[heat["Đơn vị"].str.startswith("Thị trấn Phước Dân")]
    assert list(dan["Tháng"]) == ["01/2022", "02/2022", "03/2022"] and list(dan["Điểm"]) == [75.0, 70.0, 65.0]
    assert [u.split(" (")[0] for u in dict.fromkeys(heat["Đơn vị"])] == [
        "Xã Phước Hậu", "Phòng Tư pháp", "Thị trấn Phước Dân"]
    assert len(heat) == 9


# -- Giải quyết TTHC ------------------------------------------------------------------------------

def test_tthc_late_list_and_bieu06(warehouse):
    at = run("app_pages/tthc.py")
    assert_clean(at)
    late = frame_with(at, "Mã hồ sơ", "Phiếu xin lỗi")
    assert sorted(late["Mã hồ sơ"]) == ["HS-0004", "HS-0005", "HS-0007", "HS-0008"]
    assert dict(zip(late["Mã hồ sơ"], late["Phiếu xin lỗi"])) == {
        "HS-0004": "Đã có", "HS-0005": "Chưa có", "HS-0007": "Đã có", "HS-0008": "Chưa có"}
    assert dict(zip(late["Mã hồ sơ"], late["Trạng thái"]))["HS-0005"] == "Quá hạn chưa trả"
    html = next(h.proto.body for h in at.get("html") if "b06" in h.proto.body)
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC" in html
    assert "(Từ ngày 01/03/2022 đến ngày 31/03/2022)" in html
    assert "Đơn vị tính: Số hồ sơ TTHC" in html
    assert all(f"<th>({i})</th>" in html for i in range(1, 14))
    assert "Tổng cộng" in html


def _b06_rows(html: str) -> list[list[str]]:
    import re
    body = html.split("<tbody>", 1)[1]
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in body.split("</tr>") if "<td" in row]


def test_tthc_bieu06_by_unit(warehouse):
    """Biểu 06 theo cơ quan, đơn vị (?b06=unit), 03/2022 by hand from the fixture: Phòng Tư pháp
    HS-0011 (online, early); Phước Dân HS-0006 (in person, early), HS-0007 (in person, late),
    HS-0008 (online, late); Phước Hậu HS-0001 (in person, early), HS-0002 (online, early), HS-0003
    (in person, on time), HS-0004 (in person, late), HS-0005 (postal, pending overdue)."""
    at = run("app_pages/tthc.py", {"b06": "unit"})
    assert_clean(at)
    html = next(h.proto.body for h in at.get("html") if "b06" in h.proto.body)
    assert "Cơ quan, đơn vị giải quyết theo cấp" in html and "Lĩnh vực, công việc" not in html
    assert _b06_rows(html) == [
        ["I", "Cấp huyện", "1", "1", "0", "0", "1", "1", "0", "0", "0", "0", "0"],
        ["1", "Phòng Tư pháp", "1", "1", "0", "0", "1", "1", "0", "0", "0", "0", "0"],
        ["II", "Cấp xã", "8", "2", "6", "0", "7", "3", "1", "3", "1", "0", "1"],
        ["1", "Thị trấn Phước Dân", "3", "1", "2", "0", "3", "1", "0", "2", "0", "0", "0"],
        ["2", "Xã Phước Hậu", "5", "1", "4", "0", "4", "2", "1", "1", "1", "0", "1"],
        ["", "Tổng cộng", "9", "3", "6", "0", "8", "4", "1", "3", "1", "0", "1"],
    ]
    # back to the form's rows per field: the URL forgets the choice
    at.segmented_control(key="b06").set_value("field").run()
    html = next(h.proto.body for h in at.get("html") if "b06" in h.proto.body)
    assert "Lĩnh vực, công việc giải quyết theo cấp" in html
    assert "b06" not in at.query_params


def test_tthc_commune_filter_changes_the_rows(warehouse):
    at = run("app_pages/tthc.py")
    at.multiselect(key="xa").select("tt-phuoc-dan").run()
    assert_clean(at)
    late = frame_with(at, "Mã hồ sơ", "Phiếu xin lỗi")
    assert sorted(late["Mã hồ sơ"]) == ["HS-0007", "HS-0008"]
    rates = frame_with(at, "Đơn vị", "Tỷ lệ quá hạn (%)")
    assert list(rates["Đơn vị"]) == ["Thị trấn Phước Dân"]


def test_tthc_query_params_reproduce_the_view(warehouse):
    at = run("app_pages/tthc.py", {"tu": "2022-02", "den": "2022-02", "theo": "field"})
    assert_clean(at)
    rates = frame_with(at, "Lĩnh vực", "Tỷ lệ quá hạn (%)")
    assert list(rates["Lĩnh vực"]) == ["Hộ tịch"]   # 02/2022: HS-0009, HS-0010 on time
    assert list(rates["Đã giải quyết"]) == [2]
    assert at.success, "no late dossier in 02/2022 should be said plainly"


def test_tthc_charts_are_vega_lite_with_the_late_rates(warehouse):
    at = run("app_pages/tthc.py")
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 0                      # no Plotly to load on this page
    charts = vega_charts(at)
    assert len(charts) == 4   # late rates, the monthly trend, satisfaction by month and by unit
    # 03/2022, late among returned, only units with a late one, highest first: Phước Dân 2 of 3,
    # Phước Hậu 1 of 4 (Tư pháp: none late, left out)
    rates, rows = next((s, r) for s, r in charts if r and r[0]["tip"].endswith("hồ sơ"))
    assert [(r["label"], r["text"], r["tip"]) for r in rows] == [
        ("Thị trấn Phước Dân", "66,7 %", "Thị trấn Phước Dân · 66,7 % của 3 hồ sơ"),
        ("Xã Phước Hậu", "25,0 %", "Xã Phước Hậu · 25,0 % của 4 hồ sơ")]
    # the monthly trend (Tổng quan's chart): 03/2022 received 9, 3 of 8 late
    trend = next(r for s, r in charts if r and "tip_n" in r[0])
    assert trend[-1]["tip_n"] == "03/2022 · Tiếp nhận: 9 hồ sơ" and trend[-1]["tip_late"] == "03/2022 · Quá hạn: 37,5 %"


def test_tthc_only_missing_apology_toggle(warehouse):
    at = run("app_pages/tthc.py")
    at.toggle(key="_only_missing_apology").set_value(True).run()
    late = frame_with(at, "Mã hồ sơ", "Phiếu xin lỗi")
    assert sorted(late["Mã hồ sơ"]) == ["HS-0005", "HS-0008"]


# -- Cam kết --------------------------------------------------------------------------------------

def test_commitments_year_and_highlight(warehouse):
    at = run("app_pages/cam_ket.py")
    assert_clean(at)
    # One row per unit, one rate column per commitment (the fixture: office culture only).
    table = frame_with(at, "Đơn vị", "Còn thiếu", "Văn hóa công sở (%)")
    assert list(table.columns) == ["Đơn vị", "Còn thiếu", "Văn hóa công sở (%)", "Số CBCCVC"]
    rows = {r["Đơn vị"]: (r["Còn thiếu"], r["Văn hóa công sở (%)"], r["Số CBCCVC"])
            for r in table.to_dict("records")}
    assert rows == {"Phòng Tư pháp": (0, 100.0, 10), "Thị trấn Phước Dân": (2, 90.0, 20),
                    "Xã Phước Hậu": (0, 100.0, 20)}
    assert metric(at, "Tỷ lệ đã ký") == "96,0 %"      # 48 / 50
    assert metric(at, "Lượt ký còn thiếu") == "2"
    assert metric(at, "Đơn vị chưa đủ") == "1"         # Phước Dân


def vega_charts(at: AppTest) -> list[tuple[dict, list[dict]]]:
    """The page's Vega-Lite charts (ui/light_charts.py): (spec, rows); Streamlit sends the spec's
    data.values beside the spec, as Arrow."""
    import json

    import pyarrow as pa
    return [(json.loads(ch.proto.spec), pa.ipc.open_stream(ch.proto.data.data).read_all().to_pylist())
            for ch in at.get("vega_lite_chart")]


def test_commitments_by_year_chart_is_grouped_bars(warehouse):
    at = run("app_pages/cam_ket.py")
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 0                     # Vega-Lite: no Plotly to load
    ((spec, rows),) = vega_charts(at)
    # one commitment in the fixture: 2022, (20 + 18 + 10) / 50 signed
    assert [(r["x"], r["s"], r["text"]) for r in rows] == [("2022", "Văn hóa công sở", "96,0")]
    assert rows[0]["tip"] == "2022 · Văn hóa công sở · 96,0 % đã ký"
    assert spec["encoding"]["xOffset"]["field"] == "s"           # grouped, side by side
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 100.5]  # bars start at zero


def test_commitments_commune_filter_changes_the_rows(warehouse):
    at = run("app_pages/cam_ket.py")
    at.multiselect(key="xa").select("xa-phuoc-hau").run()
    assert_clean(at)
    table = frame_with(at, "Đơn vị", "Còn thiếu")
    assert len(table) == 1 and int(table["Còn thiếu"].iloc[0]) == 0


def test_commitments_query_params_reproduce_the_view(warehouse):
    at = run("app_pages/cam_ket.py", {"xa": "tt-phuoc-dan", "nam": "2022"})
    assert_clean(at)
    table = frame_with(at, "Đơn vị", "Còn thiếu")
    assert list(table["Đơn vị"]) == ["Thị trấn Phước Dân"]
    assert int(table["Còn thiếu"].iloc[0]) == 2
    at2 = run("app_pages/cam_ket.py", {"nam": "2021"})
    assert_clean(at2)
    assert any("năm 2021" in i.value for i in at2.info)


# -- review fixes: what the browser review found -------------------------------------------------

def test_zero_change_is_neutral(warehouse):
    # 02/2022 against 01/2022: commitment coverage 96,0 % in both (the 2022 commitments).
    at = run(params={"tu": "2022-02", "den": "2022-02"})
    assert_clean(at)
    same = card(at, "Tỷ lệ ký cam kết")
    assert (same.value, same.delta, same.tone, same.arrow) == ("96,0 %", "Không đổi", "neutral", None)
    # a real change keeps its arrow: received 2 (02/2022) vs 0 (01/2022), a volume (grey)
    received = card(at, "Hồ sơ tiếp nhận")
    assert (received.delta, received.tone, received.arrow) == ("+2", "neutral", "up")


def marks_without_tooltip(spec: dict, covered: bool = False) -> list[dict]:
    """The marks of a Vega-Lite spec that would take Streamlit's default tooltip (every encoded
    field by its name): no tooltip encoding on them or a layer above, none set on the mark."""
    covered = covered or "tooltip" in spec.get("encoding", {})
    found = []
    if "mark" in spec:
        mark = spec["mark"] if isinstance(spec["mark"], dict) else {"type": spec["mark"]}
        if not covered and mark.get("tooltip", True) not in (None, False):
            found.append(mark)
    for child in spec.get("layer", []):
        found += marks_without_tooltip(child, covered)
    return found


def test_every_chart_is_vega_lite_v6_with_no_english_tooltip(warehouse):
    """No page draws Plotly (4.7 MB of JavaScript per new tab); every Vega-Lite spec names the
    v6 schema Streamlit bundles (a v5 one makes the browser warn), and no mark that is not data
    (an invisible axis-end point, a band or target line, the merger line) shows a tooltip of
    English field names."""
    for page_file in PAGES:
        at = run(page_file, {"tu": "2022-01", "den": "2022-03"})
        assert_clean(at)
        assert not at.get("plotly_chart"), page_file
        charts = vega_charts(at)
        assert charts, f"{page_file} drew no chart"
        for spec, _rows in charts:
            assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v6.json", page_file
            assert marks_without_tooltip(spec) == [], page_file


def test_marks_without_their_own_tooltip_are_quieted():
    from ui.light_charts import quiet_tooltips
    spec = {"encoding": {"x": {"field": "month"}},
            "layer": [
                {"mark": {"type": "line"}, "encoding": {"tooltip": {"field": "tip"}}},
                {"mark": {"type": "point", "opacity": 0}},                          # axis end
                {"mark": "rule"},                                                 # shorthand
                {"encoding": {"tooltip": {"field": "tip"}},
                 "layer": [{"mark": "bar"}, {"mark": {"type": "text", "tooltip": None}}]},
            ]}
    quiet = quiet_tooltips(spec)
    assert quiet["layer"][0]["mark"] == {"type": "line"}                  # has its tooltip
    assert quiet["layer"][1]["mark"] == {"type": "point", "opacity": 0, "tooltip": None}
    assert quiet["layer"][2]["mark"] == {"type": "rule", "tooltip": None}
    assert quiet["layer"][3]["layer"][0]["mark"] == {"type": "bar"}       # the layer above has one
    assert marks_without_tooltip(quiet) == [] and len(marks_without_tooltip(spec)) == 2
    assert spec["layer"][1]["mark"] == {"type": "point", "opacity": 0}    # the input is unchanged


def test_overview_monthly_charts_are_drawn_with_their_numbers(warehouse):
    """Tổng quan's two monthly charts (Vega-Lite, ui/light_charts.py): the months of the trend
    window in order, received per month and the rates, Vietnamese tooltips, the score line."""
    import json
    at = run(params={"tu": "2022-01", "den": "2022-03"})
    assert_clean(at)
    assert at.get("plotly_chart") == [] or len(at.get("plotly_chart")) == 0
    import pyarrow as pa
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2
    trend, score = [json.loads(ch.proto.spec) for ch in charts]
    # Streamlit sends the spec's data.values beside the spec, as Arrow
    trend_rows, score_rows = [pa.ipc.open_stream(ch.proto.data.data).read_all().to_pylist() for ch in charts]
    rows = trend_rows
    # the trend window: 12 months to the period's end, from the first month with data (12/2021)
    months = ["12/2021", "01/2022", "02/2022", "03/2022"]
    assert [r["month"] for r in rows] == months
    assert trend["encoding"]["x"]["scale"]["domain"] == months
    # 03/2022: 9 received (as the card), 8 returned of which 3 late -> 37,5 % late, 62,5 % on time
    assert rows[-1]["n"] == 9 and rows[-1]["tip_n"] == "03/2022 · Tiếp nhận: 9 hồ sơ"
    assert rows[-1]["late"] == pytest.approx(37.5) and rows[-1]["tip_late"] == "03/2022 · Quá hạn: 37,5 %"
    assert rows[-1]["on"] == pytest.approx(62.5)
    assert trend["config"]["locale"]["number"]["decimal"] == ","
    # Scores in 03/2022: 80, 65, 60 -> 68,3 (as the card)
    assert score_rows[-1]["tip"] == "03/2022 · Điểm TB: 68,3"
    assert score["encoding"]["x"]["scale"]["domain"][-1] == "03/2022"


def test_streamlit_toolbar_and_column_menu_are_hidden(warehouse):
    at = run()
    css = " ".join(h.proto.body for h in at.get("html"))
    assert '[data-testid="stElementToolbar"] { display: none !important; }' in css
    assert '[data-testid="stDataFrameColumnMenu"] { display: none !important; }' in css
    assert 'content: "Không tìm thấy"' in css            # a search that finds nothing
    # "Select all" (English) in the unit picker: off, an empty selection already means all units
    assert not at.multiselect(key="xa").proto.select_all


def test_config_hides_the_english_main_menu():
    import tomllib
    config = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "minimal"


def test_ranking_kind_column_only_when_kinds_are_mixed(warehouse):
    mixed = frame_with(run("app_pages/xep_hang.py"), "Hạng", "Đơn vị")
    assert "Loại đơn vị" in mixed.columns and list(mixed.columns)[-1] == "Loại đơn vị"
    communes = frame_with(run("app_pages/xep_hang.py", {"loai": "commune"}), "Hạng", "Đơn vị")
    assert "Loại đơn vị" not in communes.columns
    assert list(communes["Đơn vị"]) == ["Xã Phước Hậu", "Thị trấn Phước Dân"]


def test_ranking_names_drop_the_validity_before_the_merger_and_pick_units_by_id(warehouse):
    at = run("app_pages/xep_hang.py")
    ranking = frame_with(at, "Hạng", "Đơn vị", "Thay đổi hạng")
    # 03/2022 ends before 01/07/2025: the old Xã Phước Hậu is the only one there can be.
    assert list(ranking["Đơn vị"]) == ["Xã Phước Hậu", "Thị trấn Phước Dân", "Phòng Tư pháp"]
    assert "unit_id" not in ranking.columns
    picker = at.selectbox(key="dv")
    assert picker.options == ["Xã Phước Hậu", "Thị trấn Phước Dân", "Phòng Tư pháp"]
    assert picker.value == "xa-phuoc-hau"


def test_late_list_puts_status_and_dates_before_the_long_columns(warehouse):
    at = run("app_pages/tthc.py")
    late = frame_with(at, "Mã hồ sơ", "Phiếu xin lỗi")
    assert list(late.columns) == ["Đơn vị", "Thủ tục", "Trạng thái", "Số ngày quá hạn", "Phiếu xin lỗi",
                                  "Ngày tiếp nhận", "Hạn trả", "Ngày trả", "Mã hồ sơ", "Lĩnh vực"]
    assert "Có phiếu xin lỗi" in [m.label for m in cards(at)]


# -- the rest of the evidence (issue 8; app_fixtures.insert_evidence) -----------------------------

CULTURE = "app_pages/van_hoa_cong_so.py"


def test_overview_cards_for_satisfaction_and_violations(warehouse):
    at = signed_in(AppTest.from_file(APP, default_timeout=TIMEOUT))
    at.session_state[OVERVIEW_TABLE_EXPANDER] = True  # "Bảng chỉ tiêu" opened
    at.run()
    assert_clean(at)
    # 03/2022: 170 very satisfied of 200 = 85,0 % (02/2022: 95 of 100 -> -10,0 points)
    assert metric(at, "Rất hài lòng") == "85,0 %"
    assert [m.delta for m in cards(at) if m.label == "Rất hài lòng"] == ["-10,0 điểm %"]
    # 03/2022: 5 violations per 30 checked = 16,7 per 100 (02/2022: 1 per 12 = 8,3 -> +8,3)
    assert metric(at, "Vi phạm / 100 lượt") == "16,7"
    assert [m.delta for m in cards(at) if m.label == "Vi phạm / 100 lượt"] == ["+8,3"]
    assert "90,0 %" in " ".join(m.help or "" for m in cards(at) if m.label == "Rất hài lòng")
    # below the target: said under the cards
    assert any("dưới mục tiêu 90,0 %" in cap.value for cap in at.caption)
    overview = frame_with(at, "Chỉ tiêu", "Kỳ này")
    row = overview[overview["Chỉ tiêu"] == "Vi phạm / 100 lượt kiểm tra"].iloc[0]
    assert row["Kỳ này"] == pytest.approx(500 / 30)


def test_tthc_satisfaction_tab_by_month_and_unit_with_the_target_line(warehouse):
    import json

    at = run("app_pages/tthc.py")
    assert_clean(at)
    months = frame_with(at, "Tháng", "Tỷ lệ rất hài lòng (%)")
    assert list(months["Tháng"]) == ["02/2022", "03/2022"]      # the 12-month window from the data's start
    assert list(months["Số phiếu"]) == [100, 200]
    assert list(months["Tỷ lệ rất hài lòng (%)"]) == pytest.approx([95.0, 85.0])
    units = frame_with(at, "Đơn vị", "Tỷ lệ rất hài lòng (%)")
    assert list(units["Đơn vị"]) == ["Thị trấn Phước Dân", "Xã Phước Hậu"]   # lowest share first
    assert list(units["Tỷ lệ rất hài lòng (%)"]) == pytest.approx([100 * 100 / 120, 87.5])
    assert len(at.get("plotly_chart")) == 0
    charts = vega_charts(at)
    # by month: 02/2022 95,0 % (at or above the target: green), 03/2022 170 / 200 = 85,0 % (red)
    trend, rows = next((s, r) for s, r in charts if r and "tip_very" in r[0])
    assert [(r["month"], r["tip_very"], r["dot"]) for r in rows] == [
        ("02/2022", "02/2022 · Rất hài lòng: 95,0 %", "#2e7d32"), ("03/2022", "03/2022 · Rất hài lòng: 85,0 %", "#c62828")]
    rules = [layer for layer in trend["layer"] if layer["mark"]["type"] == "rule"]
    assert [r["encoding"]["y"]["datum"] for r in rules] == [90.0], "the 90 % target line is drawn"
    assert any(layer["encoding"].get("text") == {"value": "Mục tiêu 90 %"} for layer in trend["layer"])
    # by unit in 03/2022, lowest first: Phước Dân 100 / 120 = 83,3 %, Phước Hậu 70 / 80 = 87,5 %;
    # both under 90 %: red, the line at 90
    bars, rows = next((s, r) for s, r in charts if r and "color" in r[0])
    assert [(r["label"], r["text"], r["color"]) for r in rows] == [
        ("Thị trấn Phước Dân", "83,3 %", "#c62828"), ("Xã Phước Hậu", "87,5 %", "#c62828")]
    assert [layer["encoding"]["x"]["datum"] for layer in bars["layer"] if layer["mark"]["type"] == "rule"] == [90.0]
    # every table has its download (ui.components.table: key "dl-<table key>")
    ids = [b.proto.id for b in at.get("download_button")]
    for key in ("dl-satisfaction-months", "dl-satisfaction-units-table"):
        assert any(i.endswith("-" + key) for i in ids), (key, ids)


def test_culture_page_ratio_chart_is_vega_lite_for_reference(warehouse):
    """Văn hóa công sở's Xuất sắc / Tốt bars (ui.light_charts.target_bar_spec): 2022 is under
    ND 90/2020, so the 20 % line is for reference: every bar blue, the line "Tham khảo 20 %"."""
    at = run(CULTURE)
    assert_clean(at)
    bars, rows = next((s, r) for s, r in vega_charts(at) if r and "color" in r[0])
    # Tư pháp 1 / 6, Phước Dân 2 / 12, Phước Hậu 5 / 10, in the table's order
    assert [(r["label"], r["text"], r["color"]) for r in rows] == [
        ("Phòng Tư pháp", "16,7 %", "#1f5f99"), ("Thị trấn Phước Dân", "16,7 %", "#1f5f99"),
        ("Xã Phước Hậu", "50,0 %", "#1f5f99")]
    assert any(layer["encoding"].get("text") == {"value": "Tham khảo 20 %"} for layer in bars["layer"])


def test_tthc_satisfaction_tab_commune_filter(warehouse):
    at = run("app_pages/tthc.py", {"xa": "xa-phuoc-hau"})
    assert_clean(at)
    units = frame_with(at, "Đơn vị", "Tỷ lệ rất hài lòng (%)")
    assert list(units["Đơn vị"]) == ["Xã Phước Hậu"] and list(units["Số phiếu"]) == [80]


def test_tthc_without_dossiers_still_shows_satisfaction(warehouse):
    # 02/2022, Xã Phước Hậu: no dossier (all its dossiers are of 03/2022), 100 survey answers
    at = run("app_pages/tthc.py", {"tu": "2022-02", "den": "2022-02", "xa": "xa-phuoc-hau"})
    assert_clean(at)
    assert any("Không có hồ sơ TTHC nào trong kỳ 02/2022" in i.value for i in at.info)
    units = frame_with(at, "Đơn vị", "Tỷ lệ rất hài lòng (%)")
    assert list(units["Đơn vị"]) == ["Xã Phước Hậu"] and list(units["Tỷ lệ rất hài lòng (%)"]) == [95.0]


def test_culture_page_inspections(warehouse):
    at = run(CULTURE)
    assert_clean(at)
    assert [t.label for t in at.tabs] == ["Kiểm tra đột xuất", "Xếp loại CBCCVC", "Khen thưởng"]
    by_unit = frame_with(at, "Đơn vị", "Vi phạm / 100 lượt kiểm tra")
    # 03/2022: Phước Dân 3 per 10 = 30,0; Phước Hậu 2 per 20 = 10,0 (Tư pháp's visit is in 02/2022)
    assert list(by_unit["Đơn vị"]) == ["Thị trấn Phước Dân", "Xã Phước Hậu"]
    assert list(by_unit["Vi phạm / 100 lượt kiểm tra"]) == pytest.approx([30.0, 10.0])
    kinds = frame_with(at, "Loại vi phạm", "Số vi phạm")
    assert list(kinds["Số vi phạm"]) == [3, 1, 1, 0]
    assert metric(at, "Vi phạm / 100 lượt") == "16,7"
    trend = frame_with(at, "Năm", "Số lần kiểm tra")
    assert list(trend["Năm"]) == ["2022"] and list(trend["Số lần kiểm tra"]) == [3]   # 01/2022 to 03/2022


def test_culture_page_staff_ratings_for_reference_before_2026(warehouse):
    at = run(CULTURE)
    ratings = frame_with(at, "Năm", "Đơn vị", "Vượt tỷ lệ 20 %")
    assert list(ratings["Đơn vị"]) == ["Phòng Tư pháp", "Thị trấn Phước Dân", "Xã Phước Hậu"]
    assert list(ratings["Xuất sắc / Tốt (%)"]) == pytest.approx([100 / 6, 100 * 2 / 12, 50.0])
    # Phước Hậu has 50 %, but 2022 is under ND 90/2020: not flagged, and the page says why
    assert list(ratings["Vượt tỷ lệ 20 %"]) == ["", "", ""]
    assert any("Nghị định 90/2020/NĐ-CP" in i.value and "tham khảo" in i.value for i in at.info)
    assert metric(at, "Xuất sắc / Tốt") == "28,6 %"   # 8 of 28


def test_culture_page_flags_a_unit_over_the_cap_in_2026(warehouse):
    """A 2026 rating (ND 335/2025 in force): the same 50 % is flagged "Có"."""
    with writer(warehouse) as con:
        con.execute("INSERT INTO staff_ratings VALUES ('xa-phuoc-hau', 2026, 20, 5, 10, 5, 0, 1)")
        # a 2026 evaluation so that the sidebar offers 2026
        con.execute("INSERT INTO evaluations (unit_id, period_type, period_start, score, classification, batch_id,"
                    " classification_source, band_classification, band_conflict)"
                    " VALUES ('xa-phuoc-hau', 'month', DATE '2026-01-01', 91, 'xuat_sac', 1, 'bands', 'xuat_sac', FALSE)")
    at = run(CULTURE, {"tu": "2026-01", "den": "2026-01"})
    assert_clean(at)
    ratings = frame_with(at, "Năm", "Đơn vị", "Vượt tỷ lệ 20 %")
    assert list(ratings["Vượt tỷ lệ 20 %"]) == ["Có"]
    text = header_text(at)
    assert "Nghị định 335/2025/NĐ-CP" in text and "Vượt tỷ lệ 20 %" in text
    assert metric(at, "Đơn vị vượt tỷ lệ") == "1"


def test_culture_page_commendations(warehouse):
    at = run(CULTURE)
    by_form = frame_with(at, "Năm", "Hình thức", "Tổng số")
    # most recipients first within the year
    assert [tuple(r) for r in by_form.itertuples(index=False)] == [(2022, "Giấy khen", 2, 1, 1),
                                                                   (2022, "Bằng khen", 1, 0, 1)]
    decisions = frame_with(at, "Số quyết định", "Tập thể, cá nhân được khen")
    assert list(decisions["Số quyết định"]) == ["16/QĐ-UBND", "15/QĐ-UBND", "15/QĐ-UBND"]
    assert metric(at, "Quyết định") == "2" and metric(at, "Tập thể") == "1" and metric(at, "Cá nhân") == "2"


def test_culture_page_charts_are_vega_lite(warehouse):
    """The page's charts are Vega-Lite (ui/light_charts.py, no Plotly to load), in page order: by
    unit, by kind, the trend, the Xuất sắc / Tốt bars (target_bar_spec, tested with the TTHC
    charts), the classes, the commendations. Numbers as test_culture_page_inspections and the fixture."""
    import json

    import pyarrow as pa

    from ui.charts import BLUE, GREEN, ORANGE, RED
    at = run(CULTURE)
    assert_clean(at)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 6
    specs = [json.loads(ch.proto.spec) for ch in charts]
    del specs[3]
    charts = charts[:3] + charts[4:]
    # Streamlit sends the spec's data.values beside the spec, as Arrow
    rows = [pa.ipc.open_stream(ch.proto.data.data).read_all().to_pylist() for ch in charts]
    units, kinds, trend, classes, forms = rows
    # 03/2022: Phước Dân 3 per 10 checked, Phước Hậu 2 per 20; highest first, red
    assert [r["tip"] for r in units] == ["Thị trấn Phước Dân · 30,0 vi phạm / 100 lượt",
                                         "Xã Phước Hậu · 10,0 vi phạm / 100 lượt"]
    assert specs[0]["layer"][0]["mark"]["color"] == RED
    # by kind over the 30 checked: 3 late (10,0), 1 dress (3,3), 1 conduct (3,3), 0 workplace; orange
    assert [r["text"] for r in kinds] == ["10,0", "3,3", "3,3", "0,0"]
    assert kinds[0]["tip"] == "Đi muộn, về sớm, vắng mặt · 10,0 vi phạm / 100 lượt"
    assert specs[1]["layer"][0]["mark"]["color"] == ORANGE
    # 2022 (01–03): 42 checked (20 + 10 + 12), 6 violations -> 14,3 per 100
    assert [(r["period"], r["n"], r["tip_rate"]) for r in trend] == [("2022", 42, "2022 · 14,3 vi phạm / 100 lượt")]
    # 2022 classes in the table's order (no one "không hoàn thành" or unrated: no such colour)
    assert specs[3]["encoding"]["y"]["scale"]["domain"] == ["Phòng Tư pháp", "Thị trấn Phước Dân", "Xã Phước Hậu"]
    assert specs[3]["encoding"]["color"]["scale"]["range"] == [GREEN, BLUE, ORANGE]
    assert {r["tip"] for r in classes} >= {"Xã Phước Hậu · Xuất sắc: 5 người", "Thị trấn Phước Dân · Tốt: 12 người"}
    # 2022: Giấy khen 2, Bằng khen 1
    assert [r["tip"] for r in forms] == ["2022 · Giấy khen: 2 lượt", "2022 · Bằng khen: 1 lượt"]


def test_culture_page_empty_tabs_say_why(warehouse):
    at = run(CULTURE, {"tu": "2022-01", "den": "2022-01"})
    assert_clean(at)
    infos = " ".join(i.value for i in at.info)
    assert "Không có cuộc kiểm tra đột xuất nào trong kỳ 01/2022" in infos
    assert "Không có quyết định khen thưởng nào trong kỳ 01/2022" in infos
    assert "hãy chọn kỳ dài hơn" in infos


def test_culture_page_scope_of_a_commune_viewer(warehouse):
    at = signed_in(AppTest.from_file(APP, default_timeout=TIMEOUT), "phuochau")
    at.run()
    at.switch_page(CULTURE).run()
    assert_clean(at)
    text = " ".join(d.value.to_csv() for d in at.dataframe)
    assert "Phòng Tư pháp" not in text and "Trần Văn Nam" not in text and "Thị trấn Phước Dân" not in text
    assert "Xã Phước Hậu" in text
def test_long_list_is_paged_and_the_counts_stay(warehouse, monkeypatch):
    """A list longer than the page limit is drawn a page at a time (Streamlit cannot style more
    than 262.144 cells); the counts above it still speak of the whole list."""
    import ui.components
    monkeypatch.setattr(ui.components, "MAX_ROWS_SHOWN", 3)
    at = run("app_pages/tthc.py")
    assert_clean(at)
    late = frame_with(at, "Mã hồ sơ", "Phiếu xin lỗi")
    assert len(late) == 3                                   # 4 late dossiers, 3 a page
    page = at.number_input(key="page-late-dossiers")
    assert page.value == 1 and page.max == 2
    captions = " ".join(c.value for c in at.caption)
    assert "4 hồ sơ quá hạn" in captions                    # the count above is of the whole list
    assert "Bảng có 4 dòng: đang xem dòng 1–3 (trang 1/2)" in captions
    page.set_value(2).run()
    rest = frame_with(at, "Mã hồ sơ", "Phiếu xin lỗi")
    assert len(rest) == 1
    assert sorted([*late["Mã hồ sơ"], *rest["Mã hồ sơ"]]) == ["HS-0004", "HS-0005", "HS-0007", "HS-0008"]
