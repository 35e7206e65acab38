"""The accounts file: who may sign in, with which role and which communes, and how (docs/access.md).

`.streamlit/accounts.toml`, or the file named by $DASHBOARD_ACCOUNTS. Re-read whenever it
changes, so a removed account or a changed role applies at that user's next click. Each account
has a `version`: a fingerprint of what its sessions depend on (password hash, role, communes,
and an optional `session_version` counter). A session cookie carries the version it was issued
for; when the file no longer gives the same version the session ends.
"""
from __future__ import annotations

import csv
import hashlib
import os
import re
import threading
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .audit import normalise_username

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ACCOUNTS = ROOT / ".streamlit" / "accounts.toml"
UNITS_CSV = ROOT / "data" / "reference" / "units.csv"

Role = Literal["viewer", "commune_viewer", "data_officer"]

ROLES: dict[str, str] = {
    "viewer": "Xem số liệu (tất cả đơn vị)",
    "commune_viewer": "Xem số liệu của xã được giao",
    "data_officer": "Cán bộ phụ trách dữ liệu",
}

DEFAULT_SESSION_HOURS = 8.0


class AccountsError(Exception):
    """The accounts file is unreadable or wrong. Vietnamese message for the administrator."""


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    scope: tuple[str, ...] | None  # None = all units; else only these unit_ids


@dataclass(frozen=True)
class Account:
    username: str                    # lower case; an e-mail address for OIDC users
    role: Role
    name: str = ""
    password_hash: str | None = None
    communes: tuple[str, ...] = ()
    demo_password: str | None = None  # only in a demo accounts file: shown on the sign-in page
    session_version: int = 0          # raise it to end every session of this account

    def user(self) -> User:
        return User(username=self.username, role=self.role,
                    scope=self.communes if self.role == "commune_viewer" else None)

    @property
    def version(self) -> str:
        """Changes whenever the password, the role, the communes or session_version change."""
        basis = "\x1f".join([self.role, ",".join(self.communes), self.password_hash or "",
                             str(self.session_version)])
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Accounts:
    path: Path
    accounts: dict[str, Account] = field(default_factory=dict)
    demo: bool = False
    oidc_provider: str | None = None  # [settings] oidc_provider: a named provider of [auth]
    session_hours: float = DEFAULT_SESSION_HOURS  # [settings] session_hours; $DASHBOARD_SESSION_HOURS wins

    def get(self, username: str) -> Account | None:
        return self.accounts.get(normalise_username(username))


def accounts_path() -> Path:
    env = os.environ.get("DASHBOARD_ACCOUNTS")
    return Path(env) if env else DEFAULT_ACCOUNTS


def _registry(units_csv: Path = UNITS_CSV) -> dict[str, dict]:
    with open(units_csv, encoding="utf-8-sig", newline="") as f:
        return {r["unit_id"].strip(): r for r in csv.DictReader(f)}


def known_units(units_csv: Path = UNITS_CSV) -> dict[str, str]:
    return {u: r["name"].strip() for u, r in _registry(units_csv).items()}


def _positive_hours(value: object, where: str) -> float:
    try:
        hours = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise AccountsError(f"{where}: thời hạn phiên đăng nhập «{value}» không phải là số giờ.")
    if not 0 < hours <= 24 * 30:
        raise AccountsError(f"{where}: thời hạn phiên đăng nhập phải lớn hơn 0 và không quá 720 giờ.")
    return hours


def parse_accounts(text: str, path: Path, units: dict[str, str] | None = None) -> Accounts:
    """Read and check an accounts file. Raises AccountsError naming every problem."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise AccountsError(f"Tệp tài khoản «{path}» sai cú pháp TOML: {e}")
    settings = doc.get("settings", {}) or {}
    units = known_units() if units is None else units
    problems: list[str] = []
    accounts: dict[str, Account] = {}
    for raw_name, entry in (doc.get("users") or {}).items():
        username = normalise_username(raw_name)
        if not isinstance(entry, dict):
            problems.append(f"«{raw_name}»: cần một bảng [users.{raw_name}]")
            continue
        role = entry.get("role")
        if role not in ROLES:
            problems.append(f"«{raw_name}»: vai trò «{role}» không hợp lệ (cần một trong: {', '.join(ROLES)})")
            continue
        pw = entry.get("password_hash")
        if pw is not None and not str(pw).startswith("$argon2"):
            problems.append(f"«{raw_name}»: password_hash phải là chuỗi argon2 (tạo bằng: python -m access hash)")
            continue
        communes = tuple(str(c).strip() for c in entry.get("communes", []) or [])
        unknown = [c for c in communes if c not in units]
        if unknown:
            problems.append(f"«{raw_name}»: mã đơn vị không có trong data/reference/units.csv: {', '.join(unknown)}")
            continue
        if role == "commune_viewer" and not communes:
            problems.append(f"«{raw_name}»: vai trò commune_viewer cần danh sách communes (mã xã được giao)")
            continue
        session_version = entry.get("session_version", 0)
        if not isinstance(session_version, int):
            problems.append(f"«{raw_name}»: session_version phải là số nguyên")
            continue
        demo_pw = entry.get("demo_password") if settings.get("demo") else None
        accounts[username] = Account(username, role, str(entry.get("name", "") or raw_name), pw, communes,
                                     str(demo_pw) if demo_pw else None, session_version)
    if problems:
        raise AccountsError(f"Tệp tài khoản «{path.name}» có lỗi: " + "; ".join(problems) + ".")
    hours = _positive_hours(settings.get("session_hours", DEFAULT_SESSION_HOURS), f"Tệp tài khoản «{path.name}»")
    return Accounts(path, accounts, bool(settings.get("demo", False)), settings.get("oidc_provider"), hours)


_cache_lock = threading.Lock()
_cache: dict[str, tuple[tuple, Accounts]] = {}


def load_accounts(path: Path | None = None) -> Accounts | None:
    """The accounts file, re-read when it changes (a removed user is out at their next click).
    None when there is no file."""
    path = Path(path) if path else accounts_path()
    try:
        st_ = path.stat()
    except FileNotFoundError:
        return None
    stamp = (st_.st_ino, st_.st_mtime_ns, st_.st_size)
    with _cache_lock:
        hit = _cache.get(str(path))
        if hit and hit[0] == stamp:
            return hit[1]
    accounts = parse_accounts(path.read_text(encoding="utf-8"), path)
    with _cache_lock:
        _cache[str(path)] = (stamp, accounts)
    return accounts


def session_hours(accounts: Accounts | None) -> float:
    """How long a sign-in lasts: $DASHBOARD_SESSION_HOURS, else the accounts file's
    [settings] session_hours, else 8 hours."""
    env = os.environ.get("DASHBOARD_SESSION_HOURS", "").strip()
    if env:
        return _positive_hours(env, "Biến môi trường DASHBOARD_SESSION_HOURS")
    return accounts.session_hours if accounts else DEFAULT_SESSION_HOURS


def unit_names(unit_ids: tuple[str, ...] | None, units_csv: Path = UNITS_CSV) -> list[str]:
    """Names of an account's units as the sidebar shows them: two units sharing a name (Xã Phước
    Hậu until 30/06/2025 and the one from 01/07/2025) carry their validity, "(đến 30/06/2025)" /
    "(từ 01/07/2025)", so the sign-in page's list of demo accounts and the account box say which."""
    if not unit_ids:
        return []
    rows = _registry(units_csv)
    count = Counter(r["name"].strip() for r in rows.values())

    def name(u: str) -> str:
        r = rows.get(u)
        if r is None:
            return u
        plain = r["name"].strip()
        if count[plain] > 1:
            for column, word in (("valid_to", "đến"), ("valid_from", "từ")):
                day = (r.get(column) or "").strip()
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
                    return f"{plain} ({word} {day[8:10]}/{day[5:7]}/{day[0:4]})"
        return plain

    return [name(u) for u in unit_ids]


def sign_in_mode(secrets: object, accounts: Accounts | None, trusted_headers: object = None) -> str:
    """'proxy' when `server.trustedUserHeaders` names a header (an authenticating reverse proxy
    passes the user); else 'oidc' when [auth] is configured in secrets; else 'accounts' when there
    is an accounts file; else 'unconfigured' (the dashboard then shows no data)."""
    if isinstance(trusted_headers, dict) and trusted_headers:
        return "proxy" if accounts is not None else "unconfigured"
    try:
        has_auth = "auth" in secrets  # type: ignore[operator]
    except Exception:  # no secrets.toml at all: Streamlit raises on access
        has_auth = False
    if has_auth:
        return "oidc"
    return "accounts" if accounts is not None else "unconfigured"
