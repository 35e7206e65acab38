"""The sign-in page and the account box: drawing only. Accounts, passwords, the cookie, the
throttle and the audit trail are access/ (docs/access.md).

Four ways a user is known, chosen by the configuration (access.accounts.sign_in_mode):
- "proxy": an authenticating reverse proxy passes the user name in a header
  (`server.trustedUserHeaders`); the accounts file gives the role;
- "oidc": `st.login` when `[auth]` is configured in .streamlit/secrets.toml;
- "accounts": the accounts file's passwords. Served through app.py, a successful sign-in gives the
  browser a signed HttpOnly cookie (access.cookie, set by the route of access.web), so reloads,
  new tabs and shared links stay signed in; under a plain `streamlit run dashboard.py` the
  sign-in lasts for the tab's session only;
- "unconfigured": nothing is shown (fails closed).
Every script run checks again: an expired or tampered cookie, or a changed or removed account,
means signing in again.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import sys
import time
from urllib.parse import urlencode, urlsplit

import streamlit as st

from access import audit, cookie, web
from access.__main__ import main as _access_cli
from access.accounts import (ROLES, Account, Accounts, AccountsError, load_accounts, session_hours,
                             sign_in_mode, unit_names)
from access.passwords import attempt_sign_in
from ui import chrome
from ui.session import User

log = logging.getLogger("dashboard")

SESSION_KEY = "_auth_username"      # st.session_state: the user signed in in this tab only
_SINCE_KEY = "_auth_since"           # ... when (time.time()), for the lifetime
_VERSION_KEY = "_auth_version"       # ... and the account's version then
_OIDC_RECORDED = "_auth_oidc_recorded"
_SIGNED_OUT = "_auth_signed_out"     # the cookie of this session's first request no longer counts
_CLEAR_COOKIE = "_auth_clear_cookie"  # the browser still has to drop the cookie
_COOKIE_AUDITED = "_auth_cookie_audited"
_REFUSED = "_auth_refused"            # why the last cookie was not accepted (for the sign-in page)

REFUSED_MESSAGES = {
    "expired": "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.",
    "revoked": "Tài khoản đã được thay đổi (mật khẩu, vai trò hoặc phạm vi) hoặc không còn. Hãy đăng nhập lại.",
    "tampered": "Phiên đăng nhập không hợp lệ. Hãy đăng nhập lại.",
}


def _mode(accounts: Accounts | None) -> str:
    return sign_in_mode(st.secrets, accounts, st.get_option("server.trustedUserHeaders"))


def _proxy_user_name() -> str:
    """The user name the proxy passed (the header that `server.trustedUserHeaders` maps to
    "username"), or "" when there is none, or when $DASHBOARD_PROXY_SECRET is set and the request
    did not carry it (the header mapped to "proxy_secret"): then it did not come through the proxy."""
    expected = os.environ.get("DASHBOARD_PROXY_SECRET", "")
    if expected and not hmac.compare_digest(str(st.user.get("proxy_secret") or "").encode(), expected.encode()):
        return ""
    return str(st.user.get("username") or "")


def _cookie_user(accounts: Accounts) -> Account | None:
    """The account of this session's cookie, if it is a live sign-in; a rejected cookie goes to
    the audit trail once per session."""
    if st.session_state.get(_SIGNED_OUT) or not web.mounted():
        return None
    value = st.context.cookies.get(cookie.COOKIE_NAME)
    if not value or not isinstance(value, str):
        return None
    try:
        keys = cookie.load_keys()
    except cookie.SessionKeyError as e:
        log.error("%s", e)
        return None
    result = cookie.check(value, accounts, keys, session_hours(accounts) * 3600)
    if result.ok:
        return result.account
    st.session_state[_REFUSED] = result.status
    seen = hashlib.sha256(value.encode()).hexdigest()[:16]
    if st.session_state.get(_COOKIE_AUDITED) != seen:
        st.session_state[_COOKIE_AUDITED] = seen
        event = {"tampered": audit.SESSION_REJECTED, "expired": audit.SESSION_EXPIRED,
                 "revoked": audit.SESSION_REVOKED}[result.status]
        audit.record(event, result.username, "cookie")
    return None


def _tab_user(accounts: Accounts) -> Account | None:
    """The account signed in in this tab's session (no cookie), within its lifetime and version."""
    name = st.session_state.get(SESSION_KEY)
    account = accounts.get(name) if name else None
    if account is None:
        return None
    since, version = st.session_state.get(_SINCE_KEY), st.session_state.get(_VERSION_KEY)
    expired = since is not None and time.time() - since > session_hours(accounts) * 3600
    if expired or (version is not None and version != account.version):
        audit.record(audit.SESSION_EXPIRED if expired else audit.SESSION_REVOKED, account.username, "session")
        st.session_state[_REFUSED] = "expired" if expired else "revoked"
        for k in (SESSION_KEY, _SINCE_KEY, _VERSION_KEY):
            st.session_state.pop(k, None)
        return None
    return account


def signed_in_user() -> User | None:
    """The signed-in user of this browser session, checked again on every run, or None."""
    try:
        accounts = load_accounts()
    except AccountsError:
        return None
    mode = _mode(accounts)
    if accounts is None:
        return None
    if mode == "proxy":
        account = accounts.get(_proxy_user_name())
    elif mode == "oidc":
        if not getattr(st.user, "is_logged_in", False):
            return None
        account = accounts.get(str(st.user.get("email") or ""))
    else:
        account = _tab_user(accounts) or _cookie_user(accounts)
    return account.user() if account else None


def current_account() -> Account | None:
    user = signed_in_user()
    if user is None:
        return None
    accounts = load_accounts()
    return accounts.get(user.username) if accounts else None


def _here() -> str:
    """This page's path and query string, to come back to after signing in or out."""
    path = urlsplit(st.context.url or "/").path or "/"
    query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    return path + (f"?{query}" if query else "")


def _post_and_leave(action: str, fields: dict[str, str]) -> None:
    """Make the browser POST `fields` to a route of this server (a real page load, so the
    response can set or clear the cookie) and follow its redirect."""
    data = json.dumps({"action": action, "fields": fields}).replace("</", "<\\/")
    st.html(f"""<script>(function () {{
  const d = {data};
  const f = document.createElement("form");
  f.method = "post"; f.action = d.action; f.style.display = "none";
  for (const [k, v] of Object.entries(d.fields)) {{
    const i = document.createElement("input"); i.type = "hidden"; i.name = k; i.value = v; f.appendChild(i);
  }}
  document.body.appendChild(f); f.submit();
}})();</script>""", unsafe_allow_javascript=True)


def require_user(is_demo_data: bool | None = None) -> User:
    """The signed-in user; otherwise draw the sign-in page and stop the script.
    `is_demo_data`: the warehouse holds the demo (or nothing yet): the demo accounts and their
    published passwords are then listed on the sign-in page."""
    try:
        accounts = load_accounts()
    except AccountsError as e:
        st.error(f"{e} Quản trị viên hãy sửa tệp này (xem docs/access.md).", icon=":material/error:")
        st.stop()
    mode = _mode(accounts)
    user = signed_in_user()
    if user is not None:
        if mode == "oidc" and not st.session_state.get(_OIDC_RECORDED):
            audit.record(audit.SIGN_IN, user.username, detail={"role": user.role, "method": "oidc"})
            st.session_state[_OIDC_RECORDED] = True
        return user
    # Every screen drawn here (sign-out, sign-in in each mode) before the sidebar's app_style:
    # Streamlit's own words in Vietnamese; Enter in the password form signs in.
    st.html(chrome.words_css(enter="đăng nhập"))
    if st.session_state.pop(_CLEAR_COOKIE, False) and web.mounted():
        st.title("Đăng xuất")
        st.caption("Đang đăng xuất…")
        _post_and_leave(web.SIGN_OUT_PATH, {"next": _here()})
        st.stop()
    if mode == "unconfigured" or accounts is None:
        st.title("Chưa cấu hình đăng nhập")
        st.error("Bảng điều khiển chưa có tài khoản người dùng nên không hiển thị số liệu. Quản trị viên "
                 "hãy tạo tệp .streamlit/accounts.toml hoặc cấu hình đăng nhập một lần theo "
                 "hướng dẫn trong docs/access.md.", icon=":material/lock:")
        st.stop()
    st.set_page_config(page_title=chrome.tab_title("Đăng nhập"))
    if mode == "proxy":
        _proxy_page()
    elif mode == "oidc":
        _oidc_page(accounts)
    else:
        _password_page(accounts, is_demo_data)
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises


def _proxy_page() -> None:
    st.title("Đăng nhập")
    name = _proxy_user_name()
    if name:
        st.warning(f"Tài khoản «{name}» chưa được cấp quyền xem bảng điều khiển. Hãy liên hệ quản trị viên.",
                   icon=":material/block:")
        key = f"_auth_proxy_refused_{name}"
        if not st.session_state.get(key):
            audit.record(audit.SIGN_IN_FAILED, audit.normalise_username(name), detail={"method": "proxy", "reason": "no role"})
            st.session_state[key] = True
    else:
        st.error("Không xác định được người dùng: bảng điều khiển phải được mở qua máy chủ xác thực của cơ "
                 "quan (xem docs/access.md).", icon=":material/lock:")


def _oidc_page(accounts: Accounts) -> None:
    st.title("Đăng nhập")
    st.caption(chrome.service_caption())
    if getattr(st.user, "is_logged_in", False):
        email = str(st.user.get("email") or "")
        st.warning(f"Tài khoản «{email}» chưa được cấp quyền xem bảng điều khiển. Hãy liên hệ quản trị viên.",
                   icon=":material/block:")
        audit.record(audit.SIGN_IN_FAILED, audit.normalise_username(email), detail={"method": "oidc", "reason": "no role"})
        st.button("Đăng xuất", on_click=st.logout)
        return
    provider = accounts.oidc_provider
    if st.button("Đăng nhập bằng tài khoản cơ quan", type="primary", icon=":material/login:"):
        try:
            st.login(provider) if provider else st.login()
        except Exception as e:  # e.g. [auth] incomplete
            st.error(f"Không đăng nhập được: cấu hình OIDC chưa đúng ({type(e).__name__}). Xem docs/access.md.")


def _password_page(accounts: Accounts, is_demo_data: bool | None) -> None:
    st.title("Đăng nhập")
    st.caption(chrome.service_caption())
    refused = st.session_state.get(_REFUSED)
    if refused in REFUSED_MESSAGES:
        st.info(REFUSED_MESSAGES[refused], icon=":material/schedule:")
    with st.form("sign_in", enter_to_submit=True):
        username = st.text_input("Tên đăng nhập", key="_auth_form_username", autocomplete="username")
        password = st.text_input("Mật khẩu", type="password", key="_auth_form_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Đăng nhập", type="primary", icon=":material/login:")
    if submitted:
        result = attempt_sign_in(accounts, username, password)
        if result.account is not None:
            _signed_in(result.account)
        st.error(result.message, icon=":material/error:")
    demo = [a for a in accounts.accounts.values() if a.demo_password]
    if accounts.demo and demo and is_demo_data is not False:
        with st.container(border=True):
            st.markdown("**Tài khoản minh họa** (chỉ dùng với dữ liệu minh họa; đổi hoặc xóa trước khi "
                        "dùng thật — xem docs/access.md)")
            st.table([{"Tên đăng nhập": a.username, "Mật khẩu": a.demo_password, "Vai trò": ROLES[a.role],
                       "Phạm vi": ", ".join(unit_names(a.communes)) or "Tất cả đơn vị"} for a in demo])


def _signed_in(account: Account) -> None:
    """After a correct password: hand the browser a ticket for the cookie (served through app.py),
    or keep the sign-in in this tab's session (plain `streamlit run dashboard.py`)."""
    for k in (_SIGNED_OUT, _REFUSED):
        st.session_state.pop(k, None)
    if web.mounted():
        try:
            ticket = cookie.issue_ticket(account, cookie.load_keys())
        except cookie.SessionKeyError as e:
            log.error("%s", e)
        else:
            st.caption("Đang đăng nhập…")
            _post_and_leave(web.SESSION_PATH, {"ticket": ticket, "next": _here()})
            st.stop()
    st.session_state[SESSION_KEY] = account.username
    st.session_state[_SINCE_KEY] = time.time()
    st.session_state[_VERSION_KEY] = account.version
    st.rerun()


def sign_out() -> None:
    user = signed_in_user()
    if user is not None:
        audit.record(audit.SIGN_OUT, user.username)
    mode = _mode(load_accounts())
    for k in (SESSION_KEY, _SINCE_KEY, _VERSION_KEY, _OIDC_RECORDED, _REFUSED):
        st.session_state.pop(k, None)
    st.session_state[_SIGNED_OUT] = True
    if web.mounted() and st.context.cookies.get(cookie.COOKIE_NAME):
        st.session_state[_CLEAR_COOKIE] = True
    if mode == "oidc":
        st.logout()


ALL_UNITS = "tất cả đơn vị"


def account_box(user: User) -> None:
    """In the sidebar: who is signed in, what they may see, the sign-out button."""
    account = current_account()
    label = account.name if account and account.name else user.username
    role = ROLES.get(user.role, user.role)
    parts = [f":material/person: **{label}**", role]
    if user.scope is not None:
        parts.append(", ".join(unit_names(user.scope)))
    elif ALL_UNITS not in role:   # "Xem số liệu (tất cả đơn vị)" says it already
        parts.append(ALL_UNITS)
    accounts = load_accounts()
    with st.sidebar:
        st.caption(" · ".join(parts))
        if _mode(accounts) == "proxy":
            st.caption("Đăng nhập qua hệ thống xác thực của cơ quan; đăng xuất tại hệ thống đó.")
        else:
            st.button("Đăng xuất", on_click=sign_out, key="_auth_sign_out", icon=":material/logout:")
        if accounts is not None and accounts.demo and account is not None and account.demo_password:
            st.caption(":material/warning: Đang dùng tài khoản minh họa (mật khẩu công khai).")


# `python -m ui.auth hash | check` is kept as a synonym of `python -m access hash | check`.
if __name__ == "__main__":
    raise SystemExit(_access_cli(sys.argv[1:], prog="python -m ui.auth"))
