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
    from tests.app_fixtures import build_warehouse
except ImportError:  # tests/ on sys.path instead of the project root
    from app_fixtures import build_warehouse

from etl.warehouse import writer

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGES = ["app_pages/tong_quan.py", "app_pages/xep_hang.py", "app_pages/tthc.py", "app_pages/cam_ket.py"]
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
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r}: {[m.label for m in at.metric]}"
    return values[0]


def frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first dataframe on the page that has these columns."""
    for df in at.dataframe:
        value = df.value
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
    assert "Dữ liệu đến ngày **16/03/2022**" in text  # last dossier event: HS-0011 returned 16/03
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
    assert [m.help for m in at.metric if m.label == "Tốt"] == ["Hoàn thành tốt nhiệm vụ"]


def test_ranking_commune_filter_changes_the_rows(warehouse):
    at = run("app_pages/xep_hang.py")
    at.multiselect(key="xa").select("tt-phuoc-dan").run()
    assert_clean(at)
    ranking = frame_with(at, "Hạng", "Đơn vị", "Thay đổi hạng")
    assert list(ranking["Đơn vị"]) == ["Thị trấn Phước Dân"]


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


def test_commitments_by_year_chart_is_grouped_bars(warehouse):
    at = run("app_pages/cam_ket.py")
    spec = next(c.proto.spec for c in at.get("plotly_chart") if '"barmode":"group"' in c.proto.spec.replace(" ", ""))
    import json
    fig = json.loads(spec)
    assert [t["type"] for t in fig["data"]] == ["bar"]          # one commitment in the fixture
    assert fig["data"][0]["name"] == "Văn hóa công sở" and fig["data"][0]["x"] == ["2022"]
    assert fig["data"][0]["text"] == ["96,0"]                   # the value on the bar (y is binary-encoded)
    assert fig["layout"]["yaxis"]["range"] == [0, 100.5]         # bars start at zero


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
    card = next(m for m in at.metric if m.label == "Tỷ lệ ký cam kết")
    assert card.value == "96,0 %"
    assert card.proto.delta == "Không đổi"
    from streamlit.proto.Metric_pb2 import Metric as MetricProto
    assert MetricProto.MetricColor.Name(card.proto.color) == "GRAY"
    assert MetricProto.MetricDirection.Name(card.proto.direction) == "NONE"
    # a real change keeps its arrow: received 2 (02/2022) vs 0 (01/2022)
    received = next(m for m in at.metric if m.label == "Hồ sơ tiếp nhận")
    assert received.proto.delta == "+2"
    assert MetricProto.MetricDirection.Name(received.proto.direction) == "UP"


def test_every_chart_has_no_modebar(warehouse):
    import json
    for page_file in PAGES:
        at = run(page_file, {"tu": "2022-01", "den": "2022-03"})
        assert_clean(at)
        charts = at.get("plotly_chart")
        assert charts, f"{page_file} drew no chart"
        for chart in charts:
            assert json.loads(chart.proto.config)["displayModeBar"] is False, page_file


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
    assert "Có phiếu xin lỗi" in [m.label for m in at.metric]


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
