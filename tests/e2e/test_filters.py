"""The sidebar commune filter in a real browser: it narrows the tables, survives a page switch,
lives in the URL so a copied link reproduces the view, and the CSV downloads hold only that
commune's rows.

Expected values are counted by hand from export_files.py. Default period = the latest month with
data, 06/2024. Xã Phước Thái (unit index 2, 7 dossiers a month) in 06/2024: dossier k has outcome
PATTERN[(k + 2 + 2) % 6] =
  k=0 late with apology (received 02/06), k=1 on time, k=2 early, k=3 on time,
  k=4 late without apology (received 10/06), k=5 early, k=6 late with apology (received 14/06);
plus H41.03-2406-9001, due 14/06 and never returned: overdue at 30/06.
So: 8 received, 7 returned, 2 early, 2 on time, 3 late (late rate 3/7 = 42,9 %), and the late list
holds 4 dossiers, 2 of them without an apology letter.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import new_page
from .export_files import UNITS
from .helpers import (
    PAGES, download, exceptions, goto, open_page, open_tab, parse_csv, query_params, selected_units, select_unit,
    switch_page, table_of, table_rows, table_rows_until, title, wait_for_app,
)

pytestmark = pytest.mark.e2e

COMMUNE = "Xã Phước Thái"
COMMUNE_LATE_IDS = {"H41.03-2406-0001", "H41.03-2406-0005", "H41.03-2406-0007", "H41.03-2406-9001"}
ALL_UNIT_NAMES = {u[2] for u in UNITS}


def _unit_column(rows: list[list[str]], header_index: int = 1) -> list[str]:
    return [r[header_index] for r in rows]


def test_picking_a_commune_narrows_the_ranking(desktop_page, app_url):
    page = desktop_page
    open_page(page, app_url, "xep-hang")
    ranking = table_of(page, "ranking")
    before = table_rows(ranking)
    # Five units were evaluated in 06/2024; the ranking names each once (a label may carry the
    # "(đến 30/06/2025)" of a commune merged on 01/07/2025).
    assert len(before) == 5
    assert {u.split(" (")[0] for u in _unit_column(before)} == ALL_UNIT_NAMES

    select_unit(page, COMMUNE)

    assert COMMUNE in selected_units(page)
    after = table_rows_until(page, ranking, lambda rows: rows != before)
    assert after != before
    assert _unit_column(after) == [COMMUNE]
    assert after[0][0] == "1"  # rank 1 of one
    assert exceptions(page) == []


def test_late_dossier_csv_holds_only_the_chosen_commune(desktop_page, app_url, tmp_path):
    page = desktop_page
    open_page(page, app_url, "tthc")
    select_unit(page, COMMUNE)
    open_tab(page, "Hồ sơ trễ hạn")

    name, raw = download(page, "dl-late-dossiers", tmp_path)

    assert name.endswith(".csv")
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM so Excel reads Vietnamese"
    header, rows = parse_csv(raw)
    assert "Đơn vị" in header and "Mã hồ sơ" in header
    assert rows, "the late-dossier CSV is empty"
    assert {r["Đơn vị"] for r in rows} == {COMMUNE}
    assert {r["Mã hồ sơ"] for r in rows} == COMMUNE_LATE_IDS
    assert sorted(r["Phiếu xin lỗi"] for r in rows) == ["Chưa có", "Chưa có", "Đã có", "Đã có"]
    overdue = [r for r in rows if r["Mã hồ sơ"] == "H41.03-2406-9001"][0]
    assert overdue["Ngày tiếp nhận"] == "10/06/2024"  # dd/mm/yyyy in the CSV


def test_late_rate_csv_holds_only_the_chosen_commune(desktop_page, app_url, tmp_path):
    page = desktop_page
    open_page(page, app_url, "tthc")
    select_unit(page, COMMUNE)
    open_tab(page, "Tỷ lệ trễ hạn")

    _name, raw = download(page, "dl-late-rates-unit", tmp_path)

    assert raw.startswith(b"\xef\xbb\xbf")
    header, rows = parse_csv(raw)
    unit_col = header[0]
    assert unit_col == "Đơn vị"
    assert [r[unit_col] for r in rows] == [COMMUNE]
    row = rows[0]
    assert row["Đã giải quyết"] == "7"
    assert row["Quá hạn"] == "3"
    assert row["Tỷ lệ quá hạn (%)"] == "42,9"  # decimal comma, one decimal


def test_switching_page_keeps_the_commune(desktop_page, app_url):
    page = desktop_page
    open_page(page, app_url, "tong-quan")
    select_unit(page, COMMUNE)
    assert query_params(page).get("xa"), f"the commune is not in the URL: {page.url}"

    for slug in ("tthc", "xep-hang", "cam-ket", "tong-quan"):
        switch_page(page, slug)
        params = query_params(page)
        assert params.get("xa"), f"/{PAGES[slug][0]} lost the commune in the URL: {page.url}"
        assert COMMUNE in selected_units(page), f"/{PAGES[slug][0]} lost the commune in the sidebar"
        assert COMMUNE in page.locator('[data-testid="stMain"]').inner_text()  # the page header
        assert exceptions(page) == []


def test_a_copied_link_reproduces_the_view(chromium, desktop_page, app_url):
    page = desktop_page
    open_page(page, app_url, "tthc")
    select_unit(page, COMMUNE)
    open_tab(page, "Tỷ lệ trễ hạn")
    link = page.url
    rates = table_of(page, "late-rates-unit")
    shown = table_rows_until(page, rates, lambda rows: _unit_column(rows, 0) == [COMMUNE])
    assert _unit_column(shown, 0) == [COMMUNE]

    # A fresh browser context: no cookies, no session, only the link (and a sign-in if asked).
    other, copy = new_page(chromium)
    try:
        goto(copy, link)
        assert copy.e2e_link_after_sign_in is None or \
            query_params(copy).get("xa") == parse_qs(urlsplit(link).query).get("xa"), (
            f"signing in dropped the link's view: opened {link}, "
            f"after sign-in the browser was at {copy.e2e_link_after_sign_in}")
        assert title(copy) == "Giải quyết thủ tục hành chính"
        assert COMMUNE in selected_units(copy)
        assert table_rows_until(copy, table_of(copy, "late-rates-unit"), lambda rows: rows == shown) == shown
        assert exceptions(copy) == []
    finally:
        other.close()


@pytest.fixture(scope="module")
def two_rows_server(e2e_warehouse, tmp_path_factory):
    """A server whose lists show 2 rows a page (DASHBOARD_MAX_ROWS): the late list of Xã Phước
    Thái (4 dossiers) needs two pages."""
    from .conftest import run_server

    with run_server(e2e_warehouse, tmp_path_factory.mktemp("e2e_two_rows"), extra_env={"DASHBOARD_MAX_ROWS": "2"},
                    log_name="streamlit-two-rows-server.log") as server:
        yield server


def test_a_paged_late_list_downloads_every_row(chromium, two_rows_server, tmp_path):
    """The page asks only for the rows it shows; the counts above the list and the download are
    of the whole list (and of the whole filtered list when only dossiers without a letter are
    asked for)."""
    context, page = new_page(chromium)
    try:
        open_page(page, two_rows_server.url, "tthc")
        select_unit(page, COMMUNE)
        open_tab(page, "Hồ sơ trễ hạn")
        main = page.locator('[data-testid="stMain"]')
        text = main.inner_text()
        assert "4 hồ sơ quá hạn" in text and "2 hồ sơ chưa có phiếu xin lỗi" in text
        assert "Bảng có 4 dòng: đang xem dòng 1–2 (trang 1/2)" in text
        assert len(table_rows(table_of(page, "late-dossiers"))) == 2
        _name, raw = download(page, "dl-late-dossiers", tmp_path)
        _header, rows = parse_csv(raw)
        assert {r["Mã hồ sơ"] for r in rows} == COMMUNE_LATE_IDS
        assert [int(r["Số ngày quá hạn"]) for r in rows] == sorted((int(r["Số ngày quá hạn"]) for r in rows), reverse=True)

        page.get_by_text("Chỉ hồ sơ chưa có phiếu xin lỗi").click()
        wait_for_app(page)
        assert "Bảng có" not in main.inner_text()   # 2 rows: one page
        (tmp_path / "missing").mkdir()
        _name, raw = download(page, "dl-late-dossiers", tmp_path / "missing")
        _header, rows = parse_csv(raw)
        assert len(rows) == 2 and {r["Phiếu xin lỗi"] for r in rows} == {"Chưa có"}
        assert exceptions(page) == []
    finally:
        context.close()


def test_bieu06_by_unit_is_in_the_link(desktop_page, app_url, screenshots_dir):
    """Giải quyết TTHC › Biểu số 06 › "Cơ quan, đơn vị": a row per unit under its level, in the
    form's layout; the choice is in the URL. 06/2024, Xã Phước Thái by hand (see the module's
    docstring): (7) 7 returned = (8) 2 early + (9) 2 on time + (10) 3 late; (13) 1 overdue."""
    from .helpers import screenshot

    page = desktop_page
    open_page(page, app_url, "tthc")
    open_tab(page, "Biểu số 06")
    page.get_by_role("tabpanel", name="Biểu số 06").get_by_text("Cơ quan, đơn vị", exact=True).click()
    wait_for_app(page)
    assert query_params(page).get("b06") == ["unit"]
    table = page.locator("table.b06")
    assert "Cơ quan, đơn vị giải quyết theo cấp" in table.locator("thead").inner_text()
    rows = [[c.strip() for c in r.locator("td").all_inner_texts()] for r in table.locator("tbody tr").all()]
    assert [r[:2] for r in rows] == [
        ["I", "Cấp huyện"], ["1", "Phòng Tư pháp"],
        ["II", "Cấp xã"], ["1", "Thị trấn Phước Dân"], ["2", "Xã Phước Hậu"], ["3", "Xã Phước Thái"],
        ["4", "Xã Phước Thuận"], ["", "Tổng cộng"],
    ]
    thai = next(r for r in rows if r[1] == COMMUNE)
    assert [thai[c - 1] for c in (7, 8, 9, 10, 13)] == ["7", "2", "2", "3", "1"]   # column (c) is cell c - 1
    # the units' rows add up to their level's row and to the total, column by column
    n = lambda v: int(v.replace(".", ""))  # noqa: E731  (1.234)
    for col in range(2, 13):
        assert n(rows[0][col]) == n(rows[1][col])
        assert n(rows[2][col]) == sum(n(r[col]) for r in rows[3:7])
        assert n(rows[7][col]) == n(rows[0][col]) + n(rows[2][col])
    table.scroll_into_view_if_needed()
    screenshot(page, screenshots_dir / "tthc_bieu-06-theo-don-vi_1440x900.png")
    assert exceptions(page) == [] and page.js_errors == []
