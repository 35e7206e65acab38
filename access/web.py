"""HTTP routes of the server (Starlette, mounted by app.py through st.App): they set and clear the
session cookie, which a Streamlit script cannot do.

POST /api/session   ticket, next -> Set-Cookie vhcs_phien (HttpOnly, SameSite=Lax, Path=/,
                    Max-Age = lifetime, Secure over HTTPS), 303 to `next` (a path of this app)
POST /api/sign-out  next         -> the cookie cleared, 303 to `next`

Both refuse a request whose Origin names another site (a page elsewhere cannot sign a browser
in or out through them).
"""
from __future__ import annotations

import logging
import os
from typing import Iterable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from . import audit, cookie
from .accounts import AccountsError, load_accounts, session_hours

log = logging.getLogger("access")

SESSION_PATH = "/api/session"
SIGN_OUT_PATH = "/api/sign-out"

# Set when app.py mounts the routes: the sign-in page then hands out tickets for the cookie;
# under a plain `streamlit run dashboard.py` it keeps the sign-in in the tab's session only.
_mounted = False


def mounted() -> bool:
    return _mounted


def is_https(request: Request) -> bool:
    """Served over HTTPS: directly, or by a proxy that says so, or forced by the administrator."""
    if os.environ.get("DASHBOARD_COOKIE_SECURE", "").strip().lower() in ("1", "true", "yes"):
        return True
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _foreign_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return False
    return urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()


def routes(app_paths: Iterable[str]) -> list[Route]:
    """The routes for st.App(routes=...). `app_paths`: the url paths of the pages ("" = home),
    the only places a `next` may lead to."""
    global _mounted
    app_paths = tuple(app_paths)
    # At start: creates the key file if there is none (with a log line), and refuses to serve
    # with an unusable key rather than failing at the first sign-in.
    cookie.load_keys()

    async def session(request: Request) -> Response:
        if _foreign_origin(request):
            return PlainTextResponse("Yêu cầu không hợp lệ.", status_code=403)
        form = await request.form()
        target = cookie.safe_next(str(form.get("next") or ""), app_paths)
        try:
            accounts = load_accounts()
            keys = cookie.load_keys()
        except (AccountsError, cookie.SessionKeyError) as e:
            log.error("cannot issue a session cookie: %s", e)
            return RedirectResponse(target, status_code=303)
        result = cookie.redeem_ticket(str(form.get("ticket") or ""), accounts, keys)
        response = RedirectResponse(target, status_code=303)
        if not result.ok:
            audit.record(audit.SESSION_REJECTED, result.username, "ticket", {"reason": result.status})
            return response
        lifetime = session_hours(accounts) * 3600
        response.set_cookie(cookie.COOKIE_NAME, cookie.issue(result.account, keys),
                            **cookie.cookie_settings(lifetime, is_https(request)))
        return response

    async def sign_out(request: Request) -> Response:
        if _foreign_origin(request):
            return PlainTextResponse("Yêu cầu không hợp lệ.", status_code=403)
        form = await request.form()
        response = RedirectResponse(cookie.safe_next(str(form.get("next") or ""), app_paths), status_code=303)
        settings = cookie.cookie_settings(0, is_https(request))
        response.delete_cookie(cookie.COOKIE_NAME, path=settings["path"], secure=settings["secure"],
                               httponly=True, samesite="lax")
        return response

    _mounted = True
    return [Route(SESSION_PATH, session, methods=["POST"]),
            Route(SIGN_OUT_PATH, sign_out, methods=["POST"])]
