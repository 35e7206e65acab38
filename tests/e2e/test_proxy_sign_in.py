"""Single sign-on without OIDC (docs/access.md, "Behind an authenticating proxy"): Debian's nginx
in front of the real server, `auth_request` asking an identity service who the browser is, and
the user name passed to the app in the X-Vhcs-User header (`server.trustedUserHeaders`), mapped
to a role by the accounts file.

The identity service here is a second nginx server block with a fixed test map from its session
cookie (`sso_test`) to a user name: the shape of a real one (oauth2-proxy, Authelia, the
province's SSO gateway) without its login pages. The app listens on loopback only, and nginx
adds a shared secret header (DASHBOARD_PROXY_SECRET) to every request: a request that reaches the
app's port around the proxy, header or not, is nobody.
"""
from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from .conftest import COMMUNE_VIEWER, VIEWER, _free_port, new_page, run_server
from .export_files import UNITS
from .helpers import SIGN_IN_TITLE, screenshot, title, wait_for_app
from .nginx import http_block_paths, require_nginx, running_nginx

pytestmark = pytest.mark.e2e

USER_HEADER = "X-Vhcs-User"
SECRET_HEADER = "X-Vhcs-Proxy-Secret"
PROXY_SECRET = secrets.token_urlsafe(24)
# Identity-service session cookie -> user name (the test map).
IDENTITIES = {"ve-lanhdao": VIEWER[0], "ve-phuocthuan": COMMUNE_VIEWER[0], "ve-nguoila": "nguoi-la"}

NGINX_CONF = """
daemon off;
master_process off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 512; }}
http {{
{paths}

    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}

    # --- the test identity service: who holds which session cookie -------------------------
    map $cookie_sso_test $sso_user {{
        default "";
{identities}
    }}
    server {{
        listen 127.0.0.1:{idp_port};
        location = /check {{
            if ($sso_user = "") {{ return 401; }}
            add_header X-Auth-User $sso_user always;
            return 204;
        }}
    }}

    # --- the dashboard behind auth_request (docs/access.md) --------------------------------
    upstream dashboard {{ server 127.0.0.1:{app_port}; }}
    server {{
        listen 127.0.0.1:{proxy_port};
        location = /_sso_check {{
            internal;
            proxy_pass http://127.0.0.1:{idp_port}/check;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
        }}
        location / {{
            auth_request /_sso_check;
            auth_request_set $auth_user $upstream_http_x_auth_user;
            # Always set, so a {header} sent by the browser itself never reaches the app.
            proxy_set_header {header} $auth_user;
            # Proves to the app that the request came through here (DASHBOARD_PROXY_SECRET).
            proxy_set_header {secret_header} "{secret}";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
            proxy_pass http://dashboard;
        }}
    }}
}}
"""


@pytest.fixture(scope="module")
def proxy(e2e_ready, e2e_warehouse, tmp_path_factory):
    require_nginx("the proxy test")
    work = tmp_path_factory.mktemp("e2e_proxy")
    env = {"STREAMLIT_SERVER_TRUSTED_USER_HEADERS": json.dumps({USER_HEADER: "username", SECRET_HEADER: "proxy_secret"}),
           "DASHBOARD_PROXY_SECRET": PROXY_SECRET}
    with run_server(e2e_warehouse, work / "server", extra_env=env,
                    log_name="streamlit-proxy-server.log") as app:
        app_port = urlsplit(app.url).port
        proxy_port, idp_port = _free_port(), _free_port()
        conf = work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(
            dir=work, paths=http_block_paths(work), app_port=app_port, secret_header=SECRET_HEADER, secret=PROXY_SECRET,
            proxy_port=proxy_port, idp_port=idp_port, header=USER_HEADER,
            identities="\n".join(f'        "{k}" "{v}";' for k, v in IDENTITIES.items())))
        url = f"http://127.0.0.1:{proxy_port}"
        # Ready when nginx answers and asks who we are (no identity cookie: 401).
        with running_nginx(conf, work, url + "/_stcore/health", ready_status=401):
            yield {"url": url, "app_url": app.url}


def _open_as(chromium, url: str, identity: str | None, **context_args):
    context, page = new_page(chromium, **context_args)
    if identity:
        context.add_cookies([{"name": "sso_test", "value": identity, "url": url}])
    page.goto(url + "/tthc")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] h1')
    return context, page


def test_without_the_identity_service_nothing_passes(proxy):
    req = urllib.request.Request(proxy["url"] + "/", headers={USER_HEADER: VIEWER[0]})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=5)
    assert e.value.code == 401


def test_the_proxy_user_is_signed_in_with_the_role_of_the_accounts_file(chromium, proxy, screenshots_dir):
    context, page = _open_as(chromium, proxy["url"], "ve-lanhdao")
    try:
        assert title(page) == "Giải quyết thủ tục hành chính"  # no sign-in page at all
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "Kiểm thử tự động" in sidebar and "tất cả đơn vị" in sidebar
        assert "Đăng xuất" not in sidebar  # signing out is the identity service's business
        screenshot(page, screenshots_dir / "sso_qua-may-chu-uy-quyen.png")
    finally:
        context.close()


def test_a_header_sent_by_the_browser_is_ignored(chromium, proxy):
    """The commune viewer's browser claims to be the all-units viewer: nginx overwrites the claim."""
    context, page = _open_as(chromium, proxy["url"], "ve-phuocthuan", extra_http_headers={USER_HEADER: VIEWER[0]})
    try:
        assert title(page) == "Giải quyết thủ tục hành chính"
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "Kiểm thử xã Phước Thuận" in sidebar
        main = page.locator('[data-testid="stMain"]').inner_text()
        others = {u[2] for u in UNITS} - {"Xã Phước Thuận"}
        assert [n for n in others if n in main or n in sidebar] == []
    finally:
        context.close()


def test_a_user_without_an_account_sees_nothing(chromium, proxy):
    context, page = _open_as(chromium, proxy["url"], "ve-nguoila")
    try:
        assert title(page) == SIGN_IN_TITLE
        assert "«nguoi-la» chưa được cấp quyền" in page.locator('[data-testid="stMain"]').inner_text()
        assert page.locator('[data-testid="stSidebar"] [data-testid="stSidebarNavLink"]').count() == 0
    finally:
        context.close()


def test_around_the_proxy_the_header_is_nobody(chromium, proxy):
    """Straight to the app's own port with the user header but without the proxy's secret."""
    context, page = _open_as(chromium, proxy["app_url"], None, extra_http_headers={USER_HEADER: VIEWER[0]})
    try:
        assert title(page) == SIGN_IN_TITLE
        assert "Không xác định được người dùng" in page.locator('[data-testid="stMain"]').inner_text()
        assert page.locator('[data-testid="stSidebar"] [data-testid="stSidebarNavLink"]').count() == 0
    finally:
        context.close()
