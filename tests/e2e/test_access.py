"""Sign-in and the commune scope, end to end: a commune viewer sees, picks and downloads only
their commune, whatever the URL says. Skips while dashboard.py does not ask for sign-in.

Hand count (export_files.py), Xã Phước Thuận (unit index 3, 6 dossiers a month) in 06/2024:
outcome of dossier k = PATTERN[(k + 3 + 2) % 6] -> k=3 late, k=5 late with apology, the others
early / on time; plus H41.04-2406-9001 overdue and unreturned. Late list: 3 dossiers.
"""
from __future__ import annotations

from urllib.parse import quote_plus

import pytest

from .export_files import UNITS
from .helpers import download, exceptions, open_page, open_tab, parse_csv, unit_options

pytestmark = pytest.mark.e2e

SCOPE_NAME = "Xã Phước Thuận"
SCOPE_LATE_IDS = {"H41.04-2406-0004", "H41.04-2406-0006", "H41.04-2406-9001"}
OTHERS = {u[2] for u in UNITS} - {SCOPE_NAME}


def _require_sign_in(page) -> None:
    if not page.e2e_signed_in:
        pytest.skip("the dashboard did not ask for sign-in (ui/auth.py is not wired into dashboard.py yet)")


def test_commune_viewer_is_offered_and_shown_only_their_commune(commune_viewer_page, app_url, tmp_path):
    page = commune_viewer_page
    open_page(page, app_url, "tthc")
    _require_sign_in(page)
    assert exceptions(page) == []

    options = unit_options(page)
    assert options and all(SCOPE_NAME in o for o in options), options

    open_tab(page, "Hồ sơ trễ hạn")
    _name, raw = download(page, "dl-late-dossiers", tmp_path)
    _header, rows = parse_csv(raw)
    assert {r["Đơn vị"] for r in rows} == {SCOPE_NAME}
    assert {r["Mã hồ sơ"] for r in rows} == SCOPE_LATE_IDS


def test_commune_viewer_cannot_widen_the_scope_through_the_url(commune_viewer_page, app_url):
    page = commune_viewer_page
    open_page(page, app_url, "tthc", query="xa=" + quote_plus("Xã Phước Thái") + "&xa=xa-phuoc-thai")
    _require_sign_in(page)
    assert exceptions(page) == []
    main = page.locator('[data-testid="stMain"]').inner_text()
    leaked = [name for name in OTHERS if name in main]
    assert leaked == [], f"a commune viewer of {SCOPE_NAME} sees {leaked}"


def test_commune_viewers_best_units_are_the_public_ranking(commune_viewer_page, app_url):
    """Tổng quan's best and worst units for the viewer of Xã Phước Thuận, 06/2024: the public
    ranking of the communes as Xếp hạng shows it (export_files.SCORES for June: Phước Hậu 88,5,
    Phước Dân 84, Phước Thái 75,5, Phước Thuận 62; Phòng Tư pháp is not a commune), so its own
    rank is 4, not "1 of 1"; the on-time rate only for its own row: 4 of its 6 dossiers returned
    in June in time (k=3 and k=5 late) = 66,7 %."""
    page = commune_viewer_page
    open_page(page, app_url, "tong-quan")
    _require_sign_in(page)
    assert exceptions(page) == []
    page.get_by_text("Cả 4 đơn vị có điểm, điểm cao nhất trước").wait_for()
    table = page.locator(".plain-table").filter(has_text="Điểm TB").first
    rows = [[c.strip() for c in r.locator("td, th").all_inner_texts()] for r in table.locator("tbody tr").all()]
    assert [r[-4:] for r in rows] == [
        ["1", "Xã Phước Hậu", "88,5", "–"],
        ["2", "Thị trấn Phước Dân", "84,0", "–"],
        ["3", "Xã Phước Thái", "75,5", "–"],
        ["4", SCOPE_NAME, "62,0", "66,7 %"],
    ]
