"""Two dashboard replicas behind nginx (deploy/nginx-replicas.conf, the file docs/deployment.md
points to), reading one warehouse: sticky sessions, WebSockets through the proxy, and a load
while both serve — every session on either replica shows the new data at its next click, with
no error and never a mix of old and new (the shared check of test_load_under_sessions.py).
nginx spreads new browsers at random, so the test first collects route cookies with plain
requests and gives each browser but the first (which gets its own from nginx) one of them: the
same number of sessions on each replica every run.

nginx is Debian's /usr/sbin/nginx, run in the foreground with its files in a temporary folder,
on loopback ports only. Without it the test skips, except under REQUIRE_NGINX=1 (.ci/run)."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, _free_port, new_page, run_server
from .helpers import wait_for_app
from .nginx import http_block_paths, require_nginx, running_nginx
from .test_load_under_sessions import _sign_in_if_asked, load_while_sessions_click

TEMPLATE = ROOT / "deploy" / "nginx-replicas.conf"
PER_REPLICA = 3          # sessions on each replica
ROUTE_TRIES = 200        # cookie-less requests to find PER_REPLICA routes per replica (0.57**200 to miss)
REPLICA_HEADER = "x-test-replica"


def _nginx_config(tmp: Path, port: int, upstreams: list[str]) -> Path:
    site = TEMPLATE.read_text(encoding="utf-8")
    site = site.replace("{{LISTEN}}", f"127.0.0.1:{port}").replace(
        "{{SERVERS}}", "\n    ".join(f"server {u};" for u in upstreams))
    # Test only: say which replica answered, so the test can check stickiness and spread.
    site = site.replace("proxy_pass http://dashboard_replicas;",
                        f"proxy_pass http://dashboard_replicas;\n        add_header {REPLICA_HEADER} $upstream_addr always;")
    (tmp / "site.conf").write_text(site, encoding="utf-8")
    main = f"""{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
{http_block_paths(tmp)}
    include {tmp}/site.conf;
}}
"""
    (tmp / "nginx.conf").write_text(main, encoding="utf-8")
    return tmp / "nginx.conf"


@pytest.fixture
def proxy(e2e_warehouse, tmp_path_factory):
    require_nginx("the replica test")
    # The replicas share one signing key (docs/deployment.md): a sign-in cookie is good on either.
    keys = {"DASHBOARD_SESSION_KEY_FILE": str(tmp_path_factory.mktemp("replica_keys") / "session_keys")}
    with run_server(e2e_warehouse, tmp_path_factory.mktemp("replica_a"), extra_env=keys, log_name="replica-a.log") as a, \
            run_server(e2e_warehouse, tmp_path_factory.mktemp("replica_b"), extra_env=keys, log_name="replica-b.log") as b:
        upstreams = [re.sub(r"^http://localhost", "127.0.0.1", s.url) for s in (a, b)]
        tmp = tmp_path_factory.mktemp("nginx")
        port = _free_port()
        conf = _nginx_config(tmp, port, upstreams)
        url = f"http://127.0.0.1:{port}"
        try:
            with running_nginx(conf, tmp, f"{url}/_stcore/health"):
                yield url, set(upstreams)
        finally:
            if (tmp / "error.log").exists():
                shutil.copyfile(tmp / "error.log", Path(__file__).parent / "screenshots" / "nginx-error.log")


def _routes_per_replica(url: str, upstreams: set[str]) -> dict[str, list[str]]:
    """Route cookies nginx hands out, by the replica each one pins: plain requests with no cookie
    until every replica has PER_REPLICA routes. nginx spreads new browsers at random (about 45/55
    for two replicas with consistent hashing), so a fixed number of browsers would leave one
    replica short now and then; picking the routes first makes the spread certain. Each route is
    asked again with its cookie: the same replica answers, and no second cookie is set."""
    import urllib.request

    def get(cookie: str | None):
        req = urllib.request.Request(f"{url}/_stcore/health", headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.headers[REPLICA_HEADER], r.headers.get_all("Set-Cookie") or []

    routes: dict[str, list[str]] = {u: [] for u in upstreams}
    for _ in range(ROUTE_TRIES):
        if min(len(r) for r in routes.values()) >= PER_REPLICA:
            break
        replica, set_cookies = get(None)
        [cookie] = [c for c in set_cookies if c.startswith("dashboard_route=")]
        assert "HttpOnly" in cookie and "Path=/" in cookie, cookie
        route = cookie.split(";")[0].split("=", 1)[1]
        again, set_again = get(f"dashboard_route={route}")
        assert again == replica and not [c for c in set_again if c.startswith("dashboard_route=")]
        routes[replica].append(route)
    assert min(len(r) for r in routes.values()) >= PER_REPLICA, {u: len(r) for u, r in routes.items()}
    return {u: r[:PER_REPLICA] for u, r in routes.items()}


def test_two_replicas_behind_nginx_see_a_load_at_the_next_click(chromium, proxy, e2e_warehouse, tmp_path):
    url, upstreams = proxy
    host = url.split("//", 1)[1].split(":")[0]
    contexts, pages, replica_of = [], [], []

    def open_session(route: str | None) -> str:
        """A new browser (with `route` as its cookie, or none) on the overview, signed in; the
        replica that answered."""
        ctx, page = new_page(chromium, {"width": 1280, "height": 900})
        ctx.set_default_timeout(90_000)
        if route is not None:
            ctx.add_cookies([{"name": "dashboard_route", "value": route, "domain": host, "path": "/"}])
        answered: set[str] = set()
        page.on("response", lambda r, seen=answered: seen.add(r.headers.get(REPLICA_HEADER, "?")))
        contexts.append(ctx)
        pages.append(page)
        replica_of.append(answered)
        response = page.goto(f"{url}/tong-quan")
        assert response.status == 200
        if route is None:
            assert any(c["name"] == "dashboard_route" for c in ctx.cookies()), ctx.cookies()
        wait_for_app(page, timeout=90_000)       # the WebSocket through nginx works
        _sign_in_if_asked(page)
        page.wait_for_selector(".kpi")  # the KPI cards
        return response.headers[REPLICA_HEADER]

    try:
        routes = _routes_per_replica(url, upstreams)
        # The first browser comes with no cookie, as anyone's does: nginx gives it its route.
        # The others bring a route picked above, up to PER_REPLICA sessions on each replica.
        by_replica: dict[str, int] = {u: 0 for u in upstreams}
        by_replica[open_session(None)] += 1
        for replica, rs in sorted(routes.items()):
            for route in rs[by_replica[replica]:]:
                answered_by = open_session(route)
                assert answered_by == replica, f"route {route} went to {answered_by}, not {replica}"
                by_replica[replica] += 1
        assert by_replica == {u: PER_REPLICA for u in upstreams}, f"sessions per replica: {by_replica}"

        load_while_sessions_click(pages, e2e_warehouse, tmp_path)

        # Sticky: every HTTP response a browser got came from one replica.
        assert all(len(seen) == 1 and seen <= upstreams for seen in replica_of), replica_of
        _javascript_comes_compressed(url)
        pages[0].screenshot(path=str(Path(__file__).parent / "screenshots" / "replicas-behind-nginx.png"))
    finally:
        for ctx in contexts:
            ctx.close()


def _javascript_comes_compressed(url: str) -> None:
    """Streamlit leaves compression to the proxy: through nginx, its JavaScript comes gzipped to
    a browser that asks (the same bytes once unpacked), and as it is to one that does not."""
    import gzip
    import urllib.request

    def get(path: str, encoding: str | None) -> tuple[bytes, str | None]:
        req = urllib.request.Request(url + path, headers={"Accept-Encoding": encoding} if encoding else {})
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.read(), r.headers.get("Content-Encoding")

    html, enc = get("/", "gzip")
    html = gzip.decompress(html) if enc == "gzip" else html
    bundle = re.search(r'src="\.?/?(static/js/index\.[^"]+\.js)"', html.decode()).group(1)
    packed, enc = get("/" + bundle, "gzip")
    plain, plain_enc = get("/" + bundle, None)
    assert enc == "gzip" and plain_enc is None
    assert gzip.decompress(packed) == plain
    assert len(packed) < 0.4 * len(plain), (len(packed), len(plain))
