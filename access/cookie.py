"""The session cookie: a signed value that keeps a user signed in across reloads, tabs and links.

Value: itsdangerous URLSafeTimedSerializer (HMAC-SHA256 over a JSON payload and the time of
signing), payload {"u": user name, "v": the account's version when signed}. Checked on every
script run (access is decided again at every click):
- a signature that does not hold under any accepted key      -> "tampered"
- older than the lifetime (8 h unless configured)             -> "expired"
- account removed, or its version changed (password, role...) -> "revoked"

Keys (never in code, never in git): $DASHBOARD_SESSION_KEYS, else the key file
($DASHBOARD_SESSION_KEY_FILE, default .streamlit/session_keys, git-ignored), created with a
random key on first start. One key per line (or separated by spaces / commas in the variable):
the FIRST signs new cookies, every key verifies. Rotation: put a new key first, keep the old
one below it for one lifetime, then delete it (docs/access.md).

The browser gets the cookie from an HTTP route of the server (access.web), because a Streamlit
script cannot set cookies: the sign-in form hands the browser a one-time ticket (signed too,
valid 60 s, usable once) that the route exchanges for the cookie.
"""
from __future__ import annotations

import hashlib
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal
from urllib.parse import urlsplit

from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from .accounts import ROOT, Account, Accounts

log = logging.getLogger("access")

COOKIE_NAME = "vhcs_phien"
DEFAULT_KEY_FILE = ROOT / ".streamlit" / "session_keys"
MIN_KEY_LENGTH = 32
TICKET_SECONDS = 60
_SESSION_SALT = "vhcs-session"
_TICKET_SALT = "vhcs-sign-in-ticket"


class SessionKeyError(Exception):
    """No usable signing key. Vietnamese message for the administrator."""


# -- keys ----------------------------------------------------------------------------------------

def _split_keys(text: str) -> list[str]:
    keys = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        keys.extend(k for k in line.replace(",", " ").split() if k)
    return keys


def key_file_path() -> Path:
    env = os.environ.get("DASHBOARD_SESSION_KEY_FILE", "").strip()
    return Path(env) if env else DEFAULT_KEY_FILE


def new_key() -> str:
    return secrets.token_urlsafe(48)


def load_keys() -> list[str]:
    """The signing keys, current first: $DASHBOARD_SESSION_KEYS, else the key file, which is
    created with one random key (mode 0600) when missing."""
    env = os.environ.get("DASHBOARD_SESSION_KEYS", "")
    if env.strip():
        keys, where = _split_keys(env), "biến môi trường DASHBOARD_SESSION_KEYS"
    else:
        path = key_file_path()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write("# Session signing keys (docs/access.md): the first signs, all verify. Never commit.\n")
                f.write(new_key() + "\n")
            log.warning("created a new session signing key in %s (keep it out of git; rotation: docs/access.md)",
                        path)
        keys, where = _split_keys(path.read_text(encoding="utf-8")), f"tệp khóa «{path}»"
    short = [k for k in keys if len(k) < MIN_KEY_LENGTH]
    if not keys or short:
        raise SessionKeyError(f"Khóa ký phiên đăng nhập trong {where} thiếu hoặc quá ngắn "
                        f"(cần ít nhất {MIN_KEY_LENGTH} ký tự): tạo khóa bằng «python -m access key».")
    return keys


# -- signing -------------------------------------------------------------------------------------

def _serializer(keys: list[str], salt: str, now: float | None) -> URLSafeTimedSerializer:
    class Clock(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() if now is None else now)

    # itsdangerous signs with the LAST key and verifies with all: ours are listed current first.
    return URLSafeTimedSerializer(list(reversed(keys)), salt=salt, signer=Clock,
                                  signer_kwargs={"digest_method": hashlib.sha256})


def issue(account: Account, keys: list[str], *, now: float | None = None) -> str:
    """The cookie value for a user who has just signed in."""
    return _serializer(keys, _SESSION_SALT, now).dumps({"u": account.username, "v": account.version})


Status = Literal["ok", "missing", "tampered", "expired", "revoked"]


@dataclass(frozen=True)
class Check:
    status: Status
    account: Account | None = None
    username: str | None = None   # who the value names, when it could be read (for the audit)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _check(value: str | None, salt: str, accounts: Accounts | None, keys: list[str], max_age: float,
           now: float | None) -> tuple[Check, dict | None]:
    if not value:
        return Check("missing"), None
    ser = _serializer(keys, salt, now)
    try:
        payload = ser.loads(value, max_age=max(1, int(max_age)))
    except SignatureExpired as e:
        # The signature held (only the age is wrong): the user name inside can go to the audit.
        try:
            name = ser.load_payload(e.payload).get("u")
        except Exception:  # noqa: BLE001 - only for the audit row
            name = None
        return Check("expired", username=name if isinstance(name, str) else None), None
    except BadData:
        return Check("tampered"), None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), str) or not isinstance(payload.get("v"), str):
        return Check("tampered"), None
    account = accounts.get(payload["u"]) if accounts else None
    if account is None or account.version != payload["v"]:
        return Check("revoked", username=payload["u"]), payload
    return Check("ok", account, account.username), payload


def check(value: str | None, accounts: Accounts | None, keys: list[str], lifetime_s: float,
          *, now: float | None = None) -> Check:
    """Is this cookie value a live sign-in of an account that still exists unchanged?"""
    return _check(value, _SESSION_SALT, accounts, keys, lifetime_s, now)[0]


# -- one-time sign-in tickets -----------------------------------------------------------------------

class _UsedTickets:
    """Nonces of redeemed tickets, forgotten once the ticket would have expired anyway."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, float] = {}

    def first_use(self, nonce: str, now: float) -> bool:
        with self._lock:
            for n, t in list(self._seen.items()):
                if now - t > 2 * TICKET_SECONDS:
                    del self._seen[n]
            if nonce in self._seen:
                return False
            self._seen[nonce] = now
            return True


USED_TICKETS = _UsedTickets()


def issue_ticket(account: Account, keys: list[str], *, now: float | None = None) -> str:
    """A value the sign-in page gives the browser to exchange for the cookie (access.web)."""
    return _serializer(keys, _TICKET_SALT, now).dumps(
        {"u": account.username, "v": account.version, "n": secrets.token_urlsafe(12)})


def redeem_ticket(ticket: str | None, accounts: Accounts | None, keys: list[str], *,
                  now: float | None = None, used: _UsedTickets = USED_TICKETS) -> Check:
    """The account a ticket was issued for, once: a second use is "tampered"."""
    result, payload = _check(ticket, _TICKET_SALT, accounts, keys, TICKET_SECONDS, now)
    if result.ok and not used.first_use(str(payload.get("n")), time.time() if now is None else now):
        return Check("tampered", username=result.username)
    return result


# -- where to go after signing in ------------------------------------------------------------------

def safe_next(raw: str | None, app_paths: Iterable[str]) -> str:
    """`raw` if it is a path of this app (first segment one of `app_paths`, "" being the home
    page), with its query kept; otherwise "/". Never another site: no scheme, no host, no "//",
    no backslash, no control characters."""
    if not raw or len(raw) > 2000 or not raw.startswith("/") or raw.startswith("//"):
        return "/"
    if "\\" in raw or any(ord(c) < 32 or ord(c) == 127 for c in raw):
        return "/"
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        return "/"
    first = parts.path.strip("/").split("/", 1)[0]
    if first not in set(app_paths) or parts.path.count("/") > 2:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def cookie_settings(lifetime_s: float, secure: bool) -> dict:
    """Attributes for Starlette's Response.set_cookie."""
    return {"max_age": int(lifetime_s), "path": "/", "httponly": True, "samesite": "lax", "secure": secure}
