"""The HTTP routes of access/web.py on the real server (app.py), spoken to directly: the
Set-Cookie header they send, Secure behind an HTTPS proxy, `next` limited to this app's paths,
tickets good once, requests from another site refused. Tickets are made here with the server's
own key file and accounts file, as the sign-in page makes them."""
from __future__ import annotations

import os
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest

from access import cookie
from access.accounts import parse_accounts

from .conftest import VIEWER

pytestmark = pytest.mark.e2e


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(url: str, fields: dict, headers: dict | None = None) -> tuple[int, dict, list[str]]:
    req = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=10) as r:
            return r.status, dict(r.headers), r.headers.get_all("set-cookie") or []
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.headers.get_all("set-cookie") or []


@pytest.fixture
def ticket(app_server):
    def make(username: str = VIEWER[0]) -> str:
        accounts = parse_accounts(app_server.accounts.read_text(encoding="utf-8"), app_server.accounts)
        keys = cookie._split_keys((app_server.dir / "session_keys").read_text(encoding="utf-8"))
        return cookie.issue_ticket(accounts.get(username), keys)
    return make


def _attributes(set_cookie: str) -> dict[str, str]:
    parts = [p.strip() for p in set_cookie.split(";")]
    name, value = parts[0].split("=", 1)
    attrs = {"name": name, "value": value}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        attrs[k.lower()] = v
    return attrs


def test_a_ticket_gives_the_cookie_and_leads_to_next(app_server, ticket):
    status, headers, cookies = _post(app_server.url + "/api/session",
                                     {"ticket": ticket(), "next": "/tthc?xa=xa-phuoc-thai"})
    assert status == 303
    assert headers["location"] == "/tthc?xa=xa-phuoc-thai"
    [c] = cookies
    a = _attributes(c)
    assert a["name"] == "vhcs_phien"
    assert (a["max-age"], a["path"], a["samesite"].lower()) == ("28800", "/", "lax")
    assert "httponly" in a and "secure" not in a


def test_the_cookie_is_secure_behind_an_https_proxy(app_server, ticket):
    _, _, [c] = _post(app_server.url + "/api/session", {"ticket": ticket(), "next": "/"},
                      {"X-Forwarded-Proto": "https"})
    assert "secure" in _attributes(c)


def test_next_never_leads_elsewhere(app_server, ticket):
    for target in ("https://evil.example/", "//evil.example/tthc", "/khong-co"):
        _, headers, _ = _post(app_server.url + "/api/session", {"ticket": ticket(), "next": target})
        assert headers["location"] == "/", target


def test_a_ticket_is_good_once_and_a_bad_one_is_audited(app_server, ticket):
    t = ticket()
    assert _post(app_server.url + "/api/session", {"ticket": t, "next": "/"})[2]
    status, headers, cookies = _post(app_server.url + "/api/session", {"ticket": t, "next": "/"})
    assert (status, headers["location"], cookies) == (303, "/", [])
    _, _, cookies = _post(app_server.url + "/api/session", {"ticket": "gia-mao", "next": "/"})
    assert cookies == []
    con = sqlite3.connect(app_server.audit_db)
    rows = con.execute("SELECT username, event, target, detail FROM audit_events WHERE event = 'session_rejected' "
                       "AND target = 'ticket' ORDER BY id DESC LIMIT 2").fetchall()
    con.close()
    assert rows == [(None, "session_rejected", "ticket", '{"reason": "tampered"}'),
                    (VIEWER[0], "session_rejected", "ticket", '{"reason": "tampered"}')]


def test_another_site_cannot_sign_a_browser_in_or_out(app_server, ticket):
    for path, fields in (("/api/session", {"ticket": ticket(), "next": "/"}), ("/api/sign-out", {"next": "/"})):
        status, _, cookies = _post(app_server.url + path, fields, {"Origin": "https://evil.example"})
        assert (status, cookies) == (403, []), path


def test_sign_out_clears_the_cookie(app_server):
    status, headers, [c] = _post(app_server.url + "/api/sign-out", {"next": "/cam-ket"},
                                 {"Origin": app_server.url})  # same site: allowed
    a = _attributes(c)
    assert status == 303 and headers["location"] == "/cam-ket"
    assert (a["name"], a["value"].strip('"'), a["max-age"]) == ("vhcs_phien", "", "0")


def test_the_key_file_was_created_by_the_server_and_is_private(app_server):
    path = app_server.dir / "session_keys"
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert "created a new session signing key in" in (app_server.dir / "streamlit.log").read_text()
