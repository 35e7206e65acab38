"""Staying signed in: the signed HttpOnly cookie set by app.py's route (access/, docs/access.md),
in a real browser against the real server.

Reload, a new tab and a pasted deep link open signed in, on the page and filters the link names;
the cookie's flags as the browser stores them; Đăng xuất clears it; a tampered cookie, an expired
one (a server with a 20-second lifetime) and a changed account ask again and are audited.
"""
from __future__ import annotations

import base64
import json
import sqlite3
import time
from urllib.parse import quote_plus, urlsplit

import pytest

from .conftest import COMMUNE_VIEWER, VIEWER, new_page, run_server
from .export_files import UNITS
from .helpers import SIGN_IN_TITLE, goto, query_params, screenshot, sign_in, title, wait_for_app

pytestmark = pytest.mark.e2e

COOKIE = "vhcs_phien"
DEFAULT_LIFETIME_S = 8 * 3600
SHORT_LIFETIME_S = 20  # DASHBOARD_SESSION_HOURS of the short-lived server below
DEEP_LINK = "/tthc?tu=2024-04&den=2024-05&xa=xa-phuoc-thai"


def _session_cookie(context) -> dict:
    found = [c for c in context.cookies() if c["name"] == COOKIE]
    assert len(found) == 1, f"expected one {COOKIE} cookie, the browser has {[c['name'] for c in context.cookies()]}"
    return found[0]


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] h1')


def _events(audit_db, event: str) -> list[tuple]:
    con = sqlite3.connect(audit_db)
    try:
        return con.execute("SELECT username, event, target FROM audit_events WHERE event = ? ORDER BY id",
                           [event]).fetchall()
    finally:
        con.close()


def _click_to_rerun(page) -> None:
    page.locator('[data-testid="stSidebar"] button', has_text="Đặt lại bộ lọc").click()
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] h1')


@pytest.fixture
def signed_in(request, chromium, app_url):
    """A browser context signed in once as the viewer, through the deep link."""
    context, page = new_page(chromium)
    goto(page, app_url + DEEP_LINK)
    assert page.e2e_signed_in, "the dashboard did not ask for sign-in"
    yield context, page
    context.close()


def test_the_deep_link_survives_signing_in_and_a_reload(signed_in, app_url, screenshots_dir):
    context, page = signed_in
    # Signing in came back to the page and filters the link named.
    assert urlsplit(page.url).path == "/tthc"
    assert query_params(page)["xa"] == ["xa-phuoc-thai"]
    assert query_params(page)["tu"] == ["2024-04"] and query_params(page)["den"] == ["2024-05"]
    assert title(page) == "Giải quyết thủ tục hành chính"

    page.reload()
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] h1')
    assert title(page) == "Giải quyết thủ tục hành chính"  # not the sign-in page
    assert query_params(page)["xa"] == ["xa-phuoc-thai"]
    screenshot(page, screenshots_dir / "phien_tai-lai-trang.png")


def test_a_new_tab_and_a_pasted_link_open_signed_in(signed_in, app_url):
    context, _ = signed_in
    tab = context.new_page()
    _open(tab, f"{app_url}/cam-ket?xa=xa-phuoc-hau")
    assert title(tab) == "Cam kết"
    assert query_params(tab)["xa"] == ["xa-phuoc-hau"]
    assert "Xã Phước Hậu" in tab.locator('[data-testid="stSidebar"]').inner_text()


def test_the_cookie_flags(signed_in, app_url):
    context, page = signed_in
    c = _session_cookie(context)
    assert c["httpOnly"] is True
    assert c["sameSite"] == "Lax"
    assert c["path"] == "/"
    assert c["secure"] is False  # plain http on loopback; Secure over HTTPS (tests/test_access_cookie.py)
    # Max-Age 8 hours: the browser turned it into an expiry time when the route answered.
    assert abs((c["expires"] - time.time()) - DEFAULT_LIFETIME_S) < 120
    # HttpOnly: the page's JavaScript cannot read it.
    assert COOKIE not in page.evaluate("document.cookie")


def test_sign_out_clears_the_cookie_and_the_next_reload_asks_again(signed_in, app_server):
    context, page = signed_in
    before = len(_events(app_server.audit_db, "sign_out"))
    page.locator('[data-testid="stSidebar"] button', has_text="Đăng xuất").click()
    page.wait_for_function(
        "t => { const h = document.querySelector('[data-testid=\"stMain\"] h1'); return h && h.innerText.trim() === t; }",
        arg=SIGN_IN_TITLE)
    wait_for_app(page)
    assert [c for c in context.cookies() if c["name"] == COOKIE] == []
    page.reload()
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] h1')
    assert title(page) == SIGN_IN_TITLE
    assert _events(app_server.audit_db, "sign_out")[before:] == [(VIEWER[0], "sign_out", None)]


def test_a_tampered_cookie_asks_again_and_is_audited(chromium, app_url, app_server):
    """The commune viewer's cookie with the user name inside changed to the all-units viewer,
    the signature left as it was: refused."""
    context, page = new_page(chromium, account=COMMUNE_VIEWER)
    try:
        goto(page, app_url + "/")
        c = _session_cookie(context)
        payload, stamp, signature = c["value"].split(".")
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        assert data["u"] == COMMUNE_VIEWER[0]
        data["u"] = VIEWER[0]
        forged = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
        context.add_cookies([{**c, "value": ".".join([forged, stamp, signature])}])
        before = len(_events(app_server.audit_db, "session_rejected"))

        page.reload()
        wait_for_app(page)
        page.wait_for_selector('[data-testid="stMain"] h1')
        assert title(page) == SIGN_IN_TITLE
        assert "Phiên đăng nhập không hợp lệ" in page.locator('[data-testid="stMain"]').inner_text()
        assert _events(app_server.audit_db, "session_rejected")[before:] == [(None, "session_rejected", "cookie")]
    finally:
        context.close()


def test_a_commune_viewers_deep_link_to_another_commune_shows_nothing_of_it(chromium, app_url):
    context, page = new_page(chromium, account=COMMUNE_VIEWER)
    try:
        goto(page, app_url + "/")  # signs in: the cookie is set
        tab = context.new_page()   # a link pasted into a new tab, opened by the cookie alone
        _open(tab, f"{app_url}/tthc?xa=xa-phuoc-thai&xa=" + quote_plus("Xã Phước Thái"))
        assert title(tab) == "Giải quyết thủ tục hành chính"
        main = tab.locator('[data-testid="stMain"]').inner_text()
        sidebar = tab.locator('[data-testid="stSidebar"]').inner_text()
        others = {u[2] for u in UNITS} - {"Xã Phước Thuận"}
        assert [n for n in others if n in main or n in sidebar] == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def short_server(e2e_warehouse, tmp_path_factory):
    """A second server whose sign-ins last 20 seconds, with its own accounts file (edited below)."""
    with run_server(e2e_warehouse, tmp_path_factory.mktemp("e2e_short_server"),
                    extra_env={"DASHBOARD_SESSION_HOURS": str(SHORT_LIFETIME_S / 3600)},
                    log_name="streamlit-short-server.log") as server:
        yield server


def test_an_open_tab_expires_with_the_cookie(chromium, short_server):
    context, page = new_page(chromium)
    try:
        started = time.time()
        goto(page, short_server.url + "/tthc")
        c = _session_cookie(context)
        # Max-Age = the lifetime: the cookie was set between `started` and now.
        assert started + SHORT_LIFETIME_S - 1 <= c["expires"] <= time.time() + SHORT_LIFETIME_S + 1
        assert title(page) == "Giải quyết thủ tục hành chính"
        time.sleep(max(0.0, c["expires"] - time.time()) + 2)
        _click_to_rerun(page)  # the open tab's next click
        assert title(page) == SIGN_IN_TITLE
        assert "Phiên đăng nhập đã hết hạn" in page.locator('[data-testid="stMain"]').inner_text()
        assert _events(short_server.audit_db, "session_expired") == [(VIEWER[0], "session_expired", "cookie")]
        page.reload()  # and the browser dropped the cookie
        wait_for_app(page)
        page.wait_for_selector('[data-testid="stMain"] h1')
        assert title(page) == SIGN_IN_TITLE
    finally:
        context.close()


def test_a_changed_role_ends_the_session_at_the_next_click(chromium, short_server):
    context, page = new_page(chromium, account=COMMUNE_VIEWER)
    original = short_server.accounts.read_text(encoding="utf-8")
    try:
        goto(page, short_server.url + "/")
        assert title(page) != SIGN_IN_TITLE
        short_server.accounts.write_text(
            original.replace('communes = ["xa-phuoc-thuan"]', 'communes = ["xa-phuoc-thai"]'), encoding="utf-8")
        _click_to_rerun(page)
        assert title(page) == SIGN_IN_TITLE
        assert "Tài khoản đã được thay đổi" in page.locator('[data-testid="stMain"]').inner_text()
        assert _events(short_server.audit_db, "session_revoked") == [(COMMUNE_VIEWER[0], "session_revoked", "cookie")]
        # Signing in again gives the new scope.
        sign_in(page, *COMMUNE_VIEWER)
        assert "Xã Phước Thái" in page.locator('[data-testid="stSidebar"]').inner_text()
    finally:
        short_server.accounts.write_text(original, encoding="utf-8")
        context.close()
