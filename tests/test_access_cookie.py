"""The session cookie of access/cookie.py, with values built by hand (no Streamlit, no server):
its exact format, the checks (signature, lifetime, account version), key rotation, the key file,
one-time tickets and the `next` paths it may lead to."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import stat

import pytest

from access import cookie
from access.accounts import Account, Accounts, parse_accounts, session_hours

KEY_A = "a" * 40
KEY_B = "b" * 40
T0 = 1_800_000_000  # a fixed signing time (15/01/2027)
HOUR = 3600


def account(name="phuochau", role="commune_viewer", communes=("xa-phuoc-hau",), pw="$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
            session_version=0) -> Account:
    return Account(name, role, "", pw, communes, None, session_version)


def accounts_of(*accs: Account) -> Accounts:
    return Accounts(path=None, accounts={a.username: a for a in accs})  # type: ignore[arg-type]


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def hand_signed(payload: dict, key: str, ts: int, salt: str = "vhcs-session") -> str:
    """itsdangerous' format, computed here without it: base64url(compact JSON) "." base64url(time
    as big-endian bytes) "." base64url(HMAC-SHA256 with the key derived as sha256(salt + "signer" + key))."""
    body = b64(json.dumps(payload, separators=(",", ":")).encode())
    stamp = b64(ts.to_bytes((ts.bit_length() + 7) // 8, "big"))
    derived = hashlib.sha256(salt.encode() + b"signer" + key.encode()).digest()
    signed = f"{body}.{stamp}"
    return f"{signed}.{b64(hmac.new(derived, signed.encode(), hashlib.sha256).digest())}"


# -- format and checks -------------------------------------------------------------------------

def test_the_value_is_exactly_the_documented_format():
    a = account()
    value = cookie.issue(a, [KEY_A], now=T0)
    assert value == hand_signed({"u": "phuochau", "v": a.version}, KEY_A, T0)


def test_a_hand_signed_value_is_accepted_within_its_lifetime_and_not_after():
    a = account()
    value = hand_signed({"u": "phuochau", "v": a.version}, KEY_A, T0)
    acc = accounts_of(a)
    ok = cookie.check(value, acc, [KEY_A], 8 * HOUR, now=T0 + 8 * HOUR)
    assert ok.status == "ok" and ok.account == a
    late = cookie.check(value, acc, [KEY_A], 8 * HOUR, now=T0 + 8 * HOUR + 1)
    assert (late.status, late.username) == ("expired", "phuochau")
    # Signed "in the future" (a clock moved back, or a forged time): refused too.
    assert cookie.check(value, acc, [KEY_A], 8 * HOUR, now=T0 - 5).status == "expired"


@pytest.mark.parametrize("mangle", [
    lambda v: v.replace(v.split(".")[0], b64(json.dumps({"u": "lanhdao", "v": "x"}, separators=(",", ":")).encode())),
    lambda v: v[:-1] + ("A" if v[-1] != "A" else "B"),  # one character of the signature
    lambda v: ".".join(v.split(".")[:2]),                # no signature
    lambda v: "không phải cookie",
])
def test_a_changed_value_is_tampered(mangle):
    a = account()
    value = cookie.issue(a, [KEY_A], now=T0)
    assert cookie.check(mangle(value), accounts_of(a), [KEY_A], 8 * HOUR, now=T0 + 1).status == "tampered"


def test_a_value_signed_with_another_key_or_salt_is_tampered():
    a = account()
    acc = accounts_of(a)
    assert cookie.check(hand_signed({"u": a.username, "v": a.version}, KEY_B, T0), acc, [KEY_A], HOUR, now=T0).status == "tampered"
    # A sign-in ticket is not a session cookie, even with the right key.
    ticket = hand_signed({"u": a.username, "v": a.version, "n": "x"}, KEY_A, T0, salt="vhcs-sign-in-ticket")
    assert cookie.check(ticket, acc, [KEY_A], HOUR, now=T0).status == "tampered"


def test_a_missing_value():
    assert cookie.check(None, accounts_of(account()), [KEY_A], HOUR).status == "missing"
    assert cookie.check("", accounts_of(account()), [KEY_A], HOUR).status == "missing"


# -- versions: a changed account ends its sessions ---------------------------------------------

def test_the_version_changes_with_password_role_communes_and_session_version_only():
    a = account()
    assert account().version == a.version                       # same account, same version
    assert account(pw="$argon2id$v=19$m=8,t=1,p=1$c2FsdA$b3RoZXI").version != a.version
    assert account(role="viewer", communes=()).version != a.version
    assert account(communes=("xa-phuoc-thai",)).version != a.version
    assert account(session_version=1).version != a.version
    assert Account("phuochau", "commune_viewer", "Tên khác", a.password_hash, a.communes).version == a.version


@pytest.mark.parametrize("after", [
    lambda a: accounts_of(account(role="viewer", communes=())),           # role changed
    lambda a: accounts_of(account(pw="$argon2id$v=19$m=8,t=1,p=1$c2FsdA$bmV3")),  # password changed
    lambda a: accounts_of(account(session_version=2)),                    # every session ended on purpose
    lambda a: accounts_of(account(name="lanhdao", role="viewer", communes=())),  # account removed
])
def test_a_changed_or_removed_account_is_revoked(after):
    a = account()
    value = cookie.issue(a, [KEY_A], now=T0)
    result = cookie.check(value, after(a), [KEY_A], HOUR, now=T0 + 10)
    assert (result.status, result.username, result.account) == ("revoked", "phuochau", None)


def test_session_version_is_read_from_the_accounts_file(tmp_path):
    text = '[users.x]\nrole = "viewer"\nsession_version = 3\n'
    acc = parse_accounts(text, tmp_path / "a.toml", units={})
    assert acc.get("x").session_version == 3
    assert acc.get("x").version == Account("x", "viewer", "x", None, (), None, 3).version


# -- keys and rotation -------------------------------------------------------------------------

def test_rotation_new_key_first_old_key_still_accepted():
    a = account()
    acc = accounts_of(a)
    old = cookie.issue(a, [KEY_A], now=T0)
    # Rotation step 1: the new key first, the old one kept.
    assert cookie.check(old, acc, [KEY_B, KEY_A], HOUR, now=T0 + 1).ok
    new = cookie.issue(a, [KEY_B, KEY_A], now=T0)
    assert new == hand_signed({"u": a.username, "v": a.version}, KEY_B, T0)  # signed with the first
    # Step 2, one lifetime later: the old key removed, its cookies no longer hold.
    assert cookie.check(old, acc, [KEY_B], HOUR, now=T0 + 1).status == "tampered"
    assert cookie.check(new, acc, [KEY_B], HOUR, now=T0 + 1).ok


def test_keys_from_the_environment_current_first(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_SESSION_KEYS", f"{KEY_B}, {KEY_A}")
    monkeypatch.setenv("DASHBOARD_SESSION_KEY_FILE", str(tmp_path / "never"))
    assert cookie.load_keys() == [KEY_B, KEY_A]
    assert not (tmp_path / "never").exists()
    monkeypatch.setenv("DASHBOARD_SESSION_KEYS", "ngan-qua")
    with pytest.raises(cookie.SessionKeyError, match="quá ngắn"):
        cookie.load_keys()


def test_the_key_file_is_created_on_first_start_private_and_logged(monkeypatch, tmp_path, caplog):
    path = tmp_path / "secret" / "session_keys"
    monkeypatch.delenv("DASHBOARD_SESSION_KEYS", raising=False)
    monkeypatch.setenv("DASHBOARD_SESSION_KEY_FILE", str(path))
    with caplog.at_level(logging.WARNING, logger="access"):
        keys = cookie.load_keys()
    assert len(keys) == 1 and len(keys[0]) >= cookie.MIN_KEY_LENGTH
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [r.getMessage() for r in caplog.records] == [
        f"created a new session signing key in {path} (keep it out of git; rotation: docs/access.md)"]
    caplog.clear()
    assert cookie.load_keys() == keys  # the second start reads it, and says nothing
    assert caplog.records == []
    # Rotation in the file: a new key on top, comments ignored.
    path.write_text(f"# thay khóa 01/2027\n{KEY_B}\n{keys[0]}  # cũ, xóa sau 8 giờ\n", encoding="utf-8")
    assert cookie.load_keys() == [KEY_B, keys[0]]


def test_the_key_file_is_ignored_by_git():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    assert ".streamlit/session_keys" in open(os.path.join(root, ".gitignore"), encoding="utf-8").read().split()


# -- lifetime ----------------------------------------------------------------------------------

def test_the_lifetime_is_8_hours_unless_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("DASHBOARD_SESSION_HOURS", raising=False)
    assert session_hours(None) == 8
    acc = parse_accounts("[settings]\nsession_hours = 12\n", tmp_path / "a.toml", units={})
    assert session_hours(acc) == 12
    monkeypatch.setenv("DASHBOARD_SESSION_HOURS", "0.5")
    assert session_hours(acc) == 0.5
    monkeypatch.setenv("DASHBOARD_SESSION_HOURS", "tám")
    with pytest.raises(Exception, match="không phải là số giờ"):
        session_hours(acc)


def test_cookie_attributes():
    assert cookie.cookie_settings(8 * HOUR, secure=False) == {
        "max_age": 28800, "path": "/", "httponly": True, "samesite": "lax", "secure": False}
    assert cookie.cookie_settings(8 * HOUR, secure=True)["secure"] is True


# -- tickets -----------------------------------------------------------------------------------

def test_a_ticket_is_good_once_and_for_a_minute():
    a = account()
    acc = accounts_of(a)
    used = cookie._UsedTickets()
    ticket = cookie.issue_ticket(a, [KEY_A], now=T0)
    assert cookie.redeem_ticket(ticket, acc, [KEY_A], now=T0 + 60, used=used).account == a
    assert cookie.redeem_ticket(ticket, acc, [KEY_A], now=T0 + 61, used=used).status in ("tampered", "expired")
    fresh = cookie.issue_ticket(a, [KEY_A], now=T0)
    assert cookie.redeem_ticket(fresh, acc, [KEY_A], now=T0 + 61, used=used).status == "expired"
    # A session cookie is not a ticket.
    assert cookie.redeem_ticket(cookie.issue(a, [KEY_A], now=T0), acc, [KEY_A], now=T0, used=used).status == "tampered"


def test_a_replayed_ticket_within_its_minute_is_refused():
    a = account()
    used = cookie._UsedTickets()
    ticket = cookie.issue_ticket(a, [KEY_A], now=T0)
    assert cookie.redeem_ticket(ticket, accounts_of(a), [KEY_A], now=T0 + 1, used=used).ok
    assert cookie.redeem_ticket(ticket, accounts_of(a), [KEY_A], now=T0 + 2, used=used).status == "tampered"


# -- where to go after signing in --------------------------------------------------------------

PATHS = ("", "tong-quan", "xep-hang", "tthc", "cam-ket", "du-lieu")


@pytest.mark.parametrize("raw, expected", [
    ("/tthc?tu=2024-04&den=2024-06&xa=xa-phuoc-hau", "/tthc?tu=2024-04&den=2024-06&xa=xa-phuoc-hau"),
    ("/", "/"),
    ("/?xa=xa-phuoc-hau", "/?xa=xa-phuoc-hau"),
    ("/cam-ket", "/cam-ket"),
    ("/tthc#bieu-06", "/tthc"),
    ("https://evil.example/tthc", "/"),
    ("//evil.example/tthc", "/"),
    ("/\\evil.example", "/"),
    ("\\\\evil.example", "/"),
    ("tthc", "/"),
    ("/khong-co-trang", "/"),
    ("/tthc/../../etc", "/"),
    ("/tthc\r\nSet-Cookie: x=1", "/"),
    ("javascript:alert(1)", "/"),
    ("", "/"),
    (None, "/"),
    ("/" + "a" * 3000, "/"),
])
def test_next_accepts_only_paths_of_this_app(raw, expected):
    assert cookie.safe_next(raw, PATHS) == expected
