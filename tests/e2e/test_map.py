"""The "Địa giới" switch in a real browser, on the hand-made warehouse across 01/07/2025
(tests/map_fixtures.py, its own server): switching to "Theo xã mới" folds the old communes' rows
into the new communes, the URL carries it (ban_do=moi), the CSV says which map it is on, and the
pages fit a 390 px phone. Expected rows by hand from map_fixtures' docstring."""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

from .conftest import DESKTOP, PHONE, new_page, streamlit_server
from .helpers import (SIDEBAR, download, exceptions, main_overflow, metric_value, open_page, query_params,
                      screenshot, table_of, table_rows, table_rows_until, wait_for_app)

pytestmark = pytest.mark.e2e

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ for map_fixtures
from map_fixtures import build_warehouse  # noqa: E402

PERIOD = "tu=2025-05&den=2025-08"
NEW_LABEL = "Theo xã mới (từ 01/07/2025)"
PHONE_TOLERANCE = 2


@pytest.fixture(scope="module")
def map_url(e2e_ready, tmp_path_factory):
    warehouse = build_warehouse(tmp_path_factory.mktemp("map_warehouse") / "warehouse.duckdb")
    with streamlit_server(warehouse, tmp_path_factory.mktemp("map_server"), "streamlit-map-server.log") as url:
        yield url


def _names(rows: list[list[str]]) -> list[str]:
    return [r[1] for r in rows]


def test_switching_the_map_folds_the_old_communes_into_the_new(chromium, map_url, screenshots_dir, tmp_path):
    context, page = new_page(chromium, DESKTOP)
    try:
        open_page(page, map_url, "xep-hang", PERIOD)
        ranking = table_of(page, "ranking")
        before = table_rows(ranking)
        assert len(before) == 10 and "Xã Phước Vinh" in _names(before)
        assert "ban_do" not in query_params(page)

        page.locator(SIDEBAR).get_by_text(NEW_LABEL, exact=True).click()
        wait_for_app(page)
        after = table_rows_until(page, ranking, lambda rows: len(rows) == 4)
        assert _names(after) == ["Phòng Tư pháp", "Xã Phước Hữu", "Xã Phước Hậu", "Xã Phước Dinh"]
        assert [r[2] for r in after] == ["90", "82.5", "78.3", "72.5"]   # raw values of the grid
        assert query_params(page).get("ban_do") == ["moi"]
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "Địa giới: " + NEW_LABEL in main
        assert "được hợp thành từ Xã An Hải" in main          # Phước Dinh's note under the table
        assert exceptions(page) == [] and page.js_errors == []
        screenshot(page, screenshots_dir / "ban-do-moi_xep-hang_1440x900.png", full=True)

        name, raw = download(page, "dl-ranking", tmp_path)
        assert name.endswith("_xa-moi.csv")
        lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert lines[0][0].startswith("Địa giới: " + NEW_LABEL)
        assert lines[1][0].startswith("Ghi chú: Xã Phước Dinh")

        # the link reproduces the view in a new session
        open_page(page, map_url, "tthc", PERIOD + "&ban_do=moi")
        rates = table_of(page, "late-rates-unit")
        rows = table_rows_until(page, rates, lambda r: len(r) == 4)
        assert sorted(_names_by_first(rows)) == ["Phòng Tư pháp", "Xã Phước Dinh", "Xã Phước Hậu", "Xã Phước Hữu"]
        screenshot(page, screenshots_dir / "ban-do-moi_tthc_1440x900.png", full=True)
    finally:
        context.close()


def _names_by_first(rows: list[list[str]]) -> list[str]:
    return [r[0] for r in rows]


def test_the_new_map_fits_a_phone(chromium, map_url, screenshots_dir):
    context, page = new_page(chromium, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        for slug in ("xep-hang", "tong-quan"):
            open_page(page, map_url, slug, PERIOD + "&ban_do=moi")
            assert exceptions(page) == []
            page.wait_for_timeout(500)
            screenshot(page, screenshots_dir / f"ban-do-moi_{slug}_390x844.png", full=True)
            widths = main_overflow(page)
            limit = widths["viewport"] + PHONE_TOLERANCE
            assert widths["document"] <= limit and (widths["main"] or 0) <= limit, widths
        # the switch in the phone's sidebar, "Theo xã mới" chosen (from the URL)
        page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.click()
        choice = page.locator(SIDEBAR).get_by_role("radio", name=NEW_LABEL)
        choice.wait_for(state="attached")
        assert choice.is_checked()
        page.locator(SIDEBAR).get_by_text("Địa giới", exact=True).scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        screenshot(page, screenshots_dir / "ban-do-moi_sidebar_390x844.png")
    finally:
        context.close()


def test_an_old_communes_link_after_the_merger_offers_its_new_commune(chromium, map_url, screenshots_dir):
    """A link to Xã Phước Sơn (merged into Xã Phước Hậu on 01/07/2025) opened on a phone for
    08/2025: the page says the commune ended and what it became; one tap shows Xã Phước Hậu (from
    01/07/2025), which received N2 (04/08) that month."""
    context, page = new_page(chromium, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        _tap_the_notes_button(page, map_url, "tong-quan", "tu=2025-08&den=2025-08&xa=xa-phuoc-son",
                              "Xã Phước Sơn cũ hoạt động đến 30/06/2025, sau đó sáp nhập vào Xã Phước Hậu mới. "
                              "Kỳ 08/2025 không có số liệu của đơn vị này.",
                              "Xem Xã Phước Hậu (từ 01/07/2025)",
                              screenshots_dir / "xa-cu-sau-sap-nhap_tong-quan_390x844.png")
        assert query_params(page).get("xa") == ["xa-phuoc-hau-2025"]
        assert metric_value(page, "Hồ sơ tiếp nhận") == "1"
        assert exceptions(page) == [] and page.js_errors == []
    finally:
        context.close()


def _tap_the_notes_button(page, url: str, slug: str, query: str, sentence: str, button: str, shot: Path) -> None:
    """Open the link, find the note on the chosen unit (its whole sentence), take the phone's
    screenshot, tap the note's button; the note is gone after it."""
    open_page(page, url, slug, query)
    note = page.get_by_test_id("stAlertContentInfo").filter(has_text="hoạt động")
    assert sentence in note.inner_text()
    tap = page.get_by_role("button", name=button)
    screenshot(page, shot)
    tap.click()
    wait_for_app(page)
    assert page.get_by_text("hoạt động").count() == 0


def test_a_department_after_the_reform_offers_its_last_months(chromium, map_url, screenshots_dir):
    """A link to Phòng Tư pháp (ended 30/06/2025, no successor) opened on a phone for 07–08/2025:
    the page says so and offers its last two months; one tap shows 05–06/2025, where it returned
    T1 (late, 09/05 against 08/05) and T2 (in time): 2 returned, 50,0 % late. The URL follows."""
    context, page = new_page(chromium, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        _tap_the_notes_button(page, map_url, "tthc", "tu=2025-07&den=2025-08&xa=p-tu-phap",
                              "Phòng Tư pháp hoạt động đến 30/06/2025. Kỳ 07/2025 – 08/2025 không có số liệu "
                              "của đơn vị này.", "Xem kỳ 05/2025 – 06/2025",
                              screenshots_dir / "phong-da-giai-the_tthc_390x844.png")
        params = query_params(page)
        assert (params.get("tu"), params.get("den"), params.get("xa")) == (["2025-05"], ["2025-06"], ["p-tu-phap"])
        assert (metric_value(page, "Hồ sơ đã giải quyết"), metric_value(page, "Tỷ lệ trễ hạn")) == ("2", "50,0 %")
        assert exceptions(page) == [] and page.js_errors == []
    finally:
        context.close()
