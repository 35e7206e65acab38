"""The Báo cáo page and the Excel download beside every CSV download (AppTest on the small
warehouse of tests/app_fixtures.py; numbers counted by hand in its docstring)."""
from __future__ import annotations

import io

import openpyxl
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test

try:
    from tests.app_fixtures import build_warehouse
except ImportError:
    from app_fixtures import build_warehouse

from test_pages import APP, assert_clean, signed_in


@pytest.fixture
def env(tmp_path, monkeypatch):
    path = build_warehouse(tmp_path / "wh.duckdb")
    monkeypatch.setenv("WAREHOUSE_DB", str(path))
    monkeypatch.setenv("AUDIT_DB", str(tmp_path / "audit.duckdb"))

    class _Recorder(MediaFileManager):
        instances: list = []

        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            _Recorder.instances.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", _Recorder)
    return _Recorder


def open_page(page: str, username: str = "lanhdao", params: dict | None = None) -> AppTest:
    at = signed_in(AppTest.from_file(APP, default_timeout=60), username)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    if page == "app_pages/tong_quan.py":  # its tables are drawn once their expander is opened
        from ui.components import OVERVIEW_TABLE_EXPANDER, OVERVIEW_TREND_EXPANDER
        at.session_state[OVERVIEW_TABLE_EXPANDER] = at.session_state[OVERVIEW_TREND_EXPANDER] = True
    at.run()
    if page != "app_pages/tong_quan.py":
        at.switch_page(page).run()
    assert_clean(at)
    return at


def clicked(at, manager, key: str) -> bytes:
    buttons = [b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}")]
    assert len(buttons) == 1, [b.proto.id for b in at.get("download_button")]
    url = manager.execute_deferred(buttons[0].proto.deferred_file_id)
    return manager._storage.get_file(url.rsplit("/", 1)[1]).content


def test_report_page(env):
    at = open_page("app_pages/bao_cao.py", params={"tu": "2022-03", "den": "2022-03"})
    assert at.title[0].value == "Báo cáo"
    assert any("Dữ liệu đến ngày" in m.value for m in at.markdown)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Tải báo cáo (Word)", "Tải phụ lục số liệu (Excel)", "Tải bản tin (ảnh)"]
    preview = "\n".join(m.value for m in at.markdown)
    # 03/2022 (fixture docstring): Phước Hậu 4 returned, Phước Dân 3, Tư pháp 1 -> received 9
    # (5 + 3 + 1), returned 8: early 2+1+1 = 4, on time 1, late 1+2 = 3
    assert "đã tiếp nhận 9 hồ sơ TTHC" in preview
    assert "trước hạn 4 hồ sơ, đúng hạn 1 hồ sơ, quá hạn 3 hồ sơ" in preview
    xlsx = clicked(at, env.instances[-1], "dl-report-xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))["Biểu 06"]
    total = [[c.value for c in r] for r in ws.iter_rows(min_row=9, max_col=13) if r[1].value == "Tổng cộng"]
    # col 3 = 9 received (online HS-2, HS-8, HS-11) + 0 carried; col 7 = 8; col 11 = 1 (Phước Hậu's postal dossier, overdue)
    assert total == [["", "Tổng cộng", 9, 3, 6, 0, 8, 4, 1, 3, 1, 0, 1]]


def test_report_page_of_a_commune_viewer(env):
    at = open_page("app_pages/bao_cao.py", username="phuochau", params={"tu": "2022-03", "den": "2022-03"})
    preview = "\n".join(m.value for m in at.markdown)
    # Phước Hậu alone: received 5, returned 4 (2 early, 1 on time, 1 late)
    assert "đã tiếp nhận 5 hồ sơ TTHC" in preview
    assert "Phước Dân" not in preview and "Tư pháp" not in preview


def test_excel_beside_every_csv(env):
    at = open_page("app_pages/tong_quan.py", params={"tu": "2022-03", "den": "2022-03"})
    ids = [b.proto.id for b in at.get("download_button")]
    csv = [i for i in ids if "-dl-" in i and "ban-tin" not in i]
    xl = [i for i in ids if "-xl-" in i]
    assert csv and len(xl) == len(csv)
    raw = clicked(at, env.instances[-1], "xl-overview")
    ws = openpyxl.load_workbook(io.BytesIO(raw)).active
    assert [c.value for c in ws[1]] == ["Chỉ tiêu", "Kỳ này", "Kỳ trước", "Thay đổi"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["Hồ sơ tiếp nhận"][0] == 9 and isinstance(rows["Hồ sơ tiếp nhận"][0], int)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Tải bản tin (ảnh)" in labels and "Tải bảng (Excel)" in labels
