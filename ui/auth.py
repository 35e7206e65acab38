"""Who may look at what: sign-in, roles, the commune scope.

Two ways to sign in (docs/access.md):
- OIDC through `st.login` when `[auth]` is configured in .streamlit/secrets.toml; the accounts
  file then only says which role (and which communes) each e-mail address gets;
- otherwise the accounts file (.streamlit/accounts.toml, or $DASHBOARD_ACCOUNTS) with argon2id
  password hashes.
With neither, the dashboard refuses to show data (fails closed) and says how to configure it.

Roles: viewer (every unit), commune_viewer (only its communes: `scope`, enforced in every
metrics query through Filters.scope), data_officer (every unit + the Dữ liệu page).

Repeated wrong passwords for a user name slow the next attempts down (etl.audit: 3 free, then 2,
4, 8 ... s up to 5 min, counted across browser sessions). Sign-ins, sign-outs and failures go to
the audit trail.

The pure functions (accounts file, password check, throttle) do not need Streamlit; only
`require_user` / `signed_in_user` / `account_box` draw.
"""
from __future__ import annotations

import csv
import os
import sys
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from etl import audit
from ui.session import Role, User

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ACCOUNTS = ROOT / ".streamlit" / "accounts.toml"
UNITS_CSV = ROOT / "data" / "reference" / "units.csv"

ROLES: dict[str, str] = {
    "viewer": "Xem số liệu (tất cả đơn vị)",
    "commune_viewer": "Xem số liệu của xã được giao",
    "data_officer": "Cán bộ phụ trách dữ liệu",
}

# OWASP Password Storage Cheat Sheet minimum for argon2id (19 MiB, 2 passes, 1 lane): about 0.1 s
# to check here, so 20 people signing in at once do not stall the server.
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Checked when the user name does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = HASHER.hash("không dùng – chỉ để cân bằng thời gian")

SESSION_KEY = "_auth_username"      # st.session_state: the signed-in user name (accounts mode)
_OIDC_RECORDED = "_auth_oidc_recorded"


class AccountsError(Exception):
    """The accounts file is unreadable or wrong. Vietnamese message for the administrator."""


@dataclass(frozen=True)
class Account:
    username: str                    # lower case; an e-mail address for OIDC users
    role: Role
    name: str = ""
    password_hash: str | None = None
    communes: tuple[str, ...] = ()
    demo_password: str | None = None  # only in a demo accounts file: shown on the sign-in page

    def user(self) -> User:
        return User(username=self.username, role=self.role,
                    scope=self.communes if self.role == "commune_viewer" else None)


@dataclass(frozen=True)
class Accounts:
    path: Path
    accounts: dict[str, Account] = field(default_factory=dict)
    demo: bool = False
    oidc_provider: str | None = None  # [settings] oidc_provider: a named provider of [auth]

    def get(self, username: str) -> Account | None:
        return self.accounts.get(audit.normalise_username(username))


def accounts_path() -> Path:
    env = os.environ.get("DASHBOARD_ACCOUNTS")
    return Path(env) if env else DEFAULT_ACCOUNTS


def known_units(units_csv: Path = UNITS_CSV) -> dict[str, str]:
    with open(units_csv, encoding="utf-8-sig", newline="") as f:
        return {r["unit_id"].strip(): r["name"].strip() for r in csv.DictReader(f)}


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
        username = audit.normalise_username(raw_name)
        if not isinstance(entry, dict):
            problems.append(f"«{raw_name}»: cần một bảng [users.{raw_name}]")
            continue
        role = entry.get("role")
        if role not in ROLES:
            problems.append(f"«{raw_name}»: vai trò «{role}» không hợp lệ (cần một trong: {', '.join(ROLES)})")
            continue
        pw = entry.get("password_hash")
        if pw is not None and not str(pw).startswith("$argon2"):
            problems.append(f"«{raw_name}»: password_hash phải là chuỗi argon2 (tạo bằng: python -m ui.auth hash)")
            continue
        communes = tuple(str(c).strip() for c in entry.get("communes", []) or [])
        unknown = [c for c in communes if c not in units]
        if unknown:
            problems.append(f"«{raw_name}»: mã đơn vị không có trong data/reference/units.csv: {', '.join(unknown)}")
            continue
        if role == "commune_viewer" and not communes:
            problems.append(f"«{raw_name}»: vai trò commune_viewer cần danh sách communes (mã xã được giao)")
            continue
        demo_pw = entry.get("demo_password") if settings.get("demo") else None
        accounts[username] = Account(username, role, str(entry.get("name", "") or raw_name), pw, communes,
                                     str(demo_pw) if demo_pw else None)
    if problems:
        raise AccountsError(f"Tệp tài khoản «{path.name}» có lỗi: " + "; ".join(problems) + ".")
    return Accounts(path, accounts, bool(settings.get("demo", False)), settings.get("oidc_provider"))


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


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def password_matches(account: Account | None, password: str) -> bool:
    """argon2 check; an unknown user or an account without a password costs the same time."""
    target = account.password_hash if account and account.password_hash else _DUMMY_HASH
    try:
        ok = HASHER.verify(target, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return bool(ok and account and account.password_hash)


@dataclass(frozen=True)
class SignInResult:
    account: Account | None
    message: str          # Vietnamese, for the form; "" on success
    retry_after: int = 0  # seconds


def attempt_sign_in(accounts: Accounts, username: str, password: str, *,
                    audit_db: str | os.PathLike | None = None) -> SignInResult:
    """Check a user name and password, with the throttle, and record the outcome."""
    name = audit.normalise_username(username)
    if not name or not password:
        return SignInResult(None, "Hãy nhập tên đăng nhập và mật khẩu.")
    wait = audit.retry_after(name, path=audit_db)
    if wait:
        audit.record(audit.SIGN_IN_REFUSED, name, detail={"retry_after": wait}, path=audit_db)
        return SignInResult(None, f"Đăng nhập sai nhiều lần: hãy thử lại sau {wait} giây.", wait)
    account = accounts.get(name)
    if not password_matches(account, password):
        audit.record(audit.SIGN_IN_FAILED, name, path=audit_db)
        n, _ = audit.failures_since_success(name, path=audit_db)
        wait = audit.delay_after(n)
        msg = "Tên đăng nhập hoặc mật khẩu không đúng."
        if wait:
            msg += f" Đã sai {n} lần liên tiếp: lần thử tiếp theo sau {wait} giây."
        return SignInResult(None, msg, wait)
    audit.record(audit.SIGN_IN, name, detail={"role": account.role, "method": "password"}, path=audit_db)
    return SignInResult(account, "")


def sign_in_mode(secrets: object, accounts: Accounts | None) -> str:
    """'oidc' when [auth] is configured in secrets, else 'accounts' when there is an accounts
    file, else 'unconfigured' (the dashboard then shows no data)."""
    try:
        has_auth = "auth" in secrets  # type: ignore[operator]
    except Exception:  # no secrets.toml at all: Streamlit raises on access
        has_auth = False
    if has_auth:
        return "oidc"
    return "accounts" if accounts is not None else "unconfigured"


def unit_names(unit_ids: tuple[str, ...] | None) -> list[str]:
    if not unit_ids:
        return []
    units = known_units()
    return [units.get(u, u) for u in unit_ids]


# -- Streamlit ----------------------------------------------------------------------------------

def _secrets():
    import streamlit as st

    return st.secrets


def signed_in_user() -> User | None:
    """The signed-in user of this browser session, re-checked against the accounts file on every
    run (a removed or changed account takes effect at the next click), or None."""
    import streamlit as st

    try:
        accounts = load_accounts()
    except AccountsError:
        return None
    mode = sign_in_mode(_secrets(), accounts)
    if mode == "oidc":
        if not getattr(st.user, "is_logged_in", False) or accounts is None:
            return None
        account = accounts.get(str(st.user.get("email") or ""))
        return account.user() if account else None
    if mode == "accounts":
        name = st.session_state.get(SESSION_KEY)
        account = accounts.get(name) if name else None
        return account.user() if account else None
    return None


def current_account() -> Account | None:
    user = signed_in_user()
    if user is None:
        return None
    accounts = load_accounts()
    return accounts.get(user.username) if accounts else None


def require_user(is_demo_data: bool | None = None) -> User:
    """The signed-in user; otherwise draw the sign-in page and stop the script.
    `is_demo_data`: the warehouse holds the demo (or nothing yet): the demo accounts and their
    published passwords are then listed on the sign-in page."""
    import streamlit as st

    try:
        accounts = load_accounts()
    except AccountsError as e:
        st.error(f"{e} Quản trị viên hãy sửa tệp này (xem docs/access.md).", icon=":material/error:")
        st.stop()
    mode = sign_in_mode(_secrets(), accounts)
    user = signed_in_user()
    if user is not None:
        if mode == "oidc" and not st.session_state.get(_OIDC_RECORDED):
            audit.record(audit.SIGN_IN, user.username, detail={"role": user.role, "method": "oidc"})
            st.session_state[_OIDC_RECORDED] = True
        return user
    if mode == "unconfigured":
        st.title("Chưa cấu hình đăng nhập")
        st.error("Bảng điều khiển chưa có tài khoản người dùng nên không hiển thị số liệu. Quản trị viên "
                 "hãy tạo tệp .streamlit/accounts.toml hoặc cấu hình đăng nhập một lần (OIDC) theo "
                 "hướng dẫn trong docs/access.md.", icon=":material/lock:")
        st.stop()
    if mode == "oidc":
        _oidc_page(accounts)
    else:
        _password_page(accounts, is_demo_data)
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises


def _oidc_page(accounts: Accounts | None) -> None:
    import streamlit as st

    st.title("Đăng nhập")
    st.caption("Bảng điều khiển thi đua văn hóa công sở – UBND huyện Ninh Phước")
    if getattr(st.user, "is_logged_in", False):
        email = str(st.user.get("email") or "")
        st.warning(f"Tài khoản «{email}» chưa được cấp quyền xem bảng điều khiển. Hãy liên hệ quản trị viên.",
                   icon=":material/block:")
        audit.record(audit.SIGN_IN_FAILED, audit.normalise_username(email), detail={"method": "oidc", "reason": "no role"})
        st.button("Đăng xuất", on_click=st.logout)
        return
    provider = accounts.oidc_provider if accounts else None
    if st.button("Đăng nhập bằng tài khoản cơ quan", type="primary", icon=":material/login:"):
        try:
            st.login(provider) if provider else st.login()
        except Exception as e:  # e.g. Authlib not installed, [auth] incomplete
            st.error(f"Không đăng nhập được: cấu hình OIDC chưa đúng ({type(e).__name__}). Xem docs/access.md.")


def _password_page(accounts: Accounts, is_demo_data: bool | None) -> None:
    import streamlit as st

    st.title("Đăng nhập")
    st.caption("Bảng điều khiển thi đua văn hóa công sở – UBND huyện Ninh Phước")
    with st.form("sign_in", enter_to_submit=True):
        username = st.text_input("Tên đăng nhập", key="_auth_form_username", autocomplete="username")
        password = st.text_input("Mật khẩu", type="password", key="_auth_form_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Đăng nhập", type="primary", icon=":material/login:")
    if submitted:
        result = attempt_sign_in(accounts, username, password)
        if result.account is not None:
            st.session_state[SESSION_KEY] = result.account.username
            st.rerun()
        st.error(result.message, icon=":material/error:")
    demo = [a for a in accounts.accounts.values() if a.demo_password]
    if accounts.demo and demo and is_demo_data is not False:
        with st.container(border=True):
            st.markdown("**Tài khoản minh họa** (chỉ dùng với dữ liệu minh họa; đổi hoặc xóa trước khi "
                        "dùng thật — xem docs/access.md)")
            st.table([{"Tên đăng nhập": a.username, "Mật khẩu": a.demo_password, "Vai trò": ROLES[a.role],
                       "Phạm vi": ", ".join(unit_names(a.communes)) or "Tất cả đơn vị"} for a in demo])


def sign_out() -> None:
    import streamlit as st

    user = signed_in_user()
    if user is not None:
        audit.record(audit.SIGN_OUT, user.username)
    st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(_OIDC_RECORDED, None)
    if sign_in_mode(_secrets(), load_accounts()) == "oidc":
        st.logout()


def account_box(user: User) -> None:
    """In the sidebar: who is signed in, what they may see, the sign-out button."""
    import streamlit as st

    account = current_account()
    label = account.name if account and account.name else user.username
    scope = ", ".join(unit_names(user.scope)) if user.scope is not None else "tất cả đơn vị"
    with st.sidebar:
        st.caption(f":material/person: **{label}** · {ROLES.get(user.role, user.role)} · {scope}")
        st.button("Đăng xuất", on_click=sign_out, key="_auth_sign_out", icon=":material/logout:")
        accounts = load_accounts()
        if accounts is not None and accounts.demo and account is not None and account.demo_password:
            st.caption(":material/warning: Đang dùng tài khoản minh họa (mật khẩu công khai).")


# -- command line: python -m ui.auth hash | check ----------------------------------------------

def main(argv: list[str] | None = None) -> int:
    import argparse
    import getpass

    ap = argparse.ArgumentParser(prog="python -m ui.auth", description="Tài khoản của bảng điều khiển.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("hash", help="tạo chuỗi băm argon2 cho một mật khẩu (nhập từ bàn phím)")
    p_check = sub.add_parser("check", help="kiểm tra tệp tài khoản")
    p_check.add_argument("path", nargs="?", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.cmd == "hash":
        pw = getpass.getpass("Mật khẩu: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
        if sys.stdin.isatty() and getpass.getpass("Nhập lại: ") != pw:
            print("Hai lần nhập không khớp.", file=sys.stderr)
            return 1
        if len(pw) < 10:
            print("Mật khẩu cần ít nhất 10 ký tự.", file=sys.stderr)
            return 1
        print(hash_password(pw))
        return 0
    path = args.path or accounts_path()
    try:
        accounts = load_accounts(path)
    except AccountsError as e:
        print(e, file=sys.stderr)
        return 1
    if accounts is None:
        print(f"Không có tệp tài khoản «{path}».", file=sys.stderr)
        return 1
    for a in sorted(accounts.accounts.values(), key=lambda a: a.username):
        print(f"{a.username:24} {a.role:15} {', '.join(a.communes) or 'tất cả'}"
              + ("  (không có mật khẩu: chỉ đăng nhập OIDC)" if not a.password_hash else ""))
    if accounts.demo:
        print("CẢNH BÁO: đây là tệp tài khoản minh họa, mật khẩu đã công khai. Thay trước khi dùng thật.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
