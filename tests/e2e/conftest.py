"""Fixtures for the browser tests: a test warehouse built through the real ETL, a real
`streamlit run app.py` server (what `make run` serves) on a free port, and Debian's Chromium driven by Playwright.

Without /usr/bin/chromium the tests skip and say why, except under CI=true, where they fail:
a CI run that silently skipped the browser tests would prove nothing.

Playwright's own browser download (`playwright install`) is not used: it needs the network.
The fixture names differ from pytest-playwright's (`browser`, `page`) on purpose, so that
plugin's fixtures and options never launch a second, downloaded browser.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pytest` run without `python -m`: etl/ must still import
    sys.path.insert(0, str(ROOT))

from devtools import server  # noqa: E402

from .export_files import build_test_warehouse  # noqa: E402

# Debian's Chromium; E2E_CHROMIUM overrides the path (also how the skip / CI-fail rule is checked).
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SERVER_START_TIMEOUT = 60


def pytest_collection_modifyitems(config, items):
    # Every test in this folder is a browser test, marked or not.
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def e2e_ready() -> None:
    """Chromium and the Playwright package are here, or skip (fail under CI=true) with the reason."""
    problem = None
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        problem = (f"{CHROMIUM} not found: the browser tests need Debian's Chromium "
                   "(apt-get install -y chromium)")
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError as e:  # pragma: no cover - requirements.txt pins it
            problem = f"the playwright package is not importable ({e}): pip install -r requirements.txt"
    if problem:
        if _in_ci():
            pytest.fail(f"CI=true but {problem}. Browser tests must run in CI, not skip.", pytrace=False)
        pytest.skip(f"browser tests skipped: {problem}")


@pytest.fixture(scope="session")
def e2e_warehouse(e2e_ready, tmp_path_factory) -> Path:
    """The small export set of export_files.py, loaded once per session with etl.load.load_files."""
    return build_test_warehouse(tmp_path_factory.mktemp("e2e_warehouse"))


# Test accounts for the sign-in page (access/ accounts mode); the password is made up per run.
PASSWORD = secrets.token_urlsafe(12)
VIEWER = ("e2e-viewer", PASSWORD)              # role viewer: every unit
COMMUNE_VIEWER = ("e2e-phuoc-thuan", PASSWORD)  # role commune_viewer: only Xã Phước Thuận
OFFICER = ("e2e-du-lieu", PASSWORD)             # role data_officer: the Dữ liệu page
COMMUNE_VIEWER_SCOPE = "xa-phuoc-thuan"
DOCS_DEMO_VIEWER = ("lanhdao", "LanhDao@2025")


def _write_accounts(path: Path) -> Path:
    from argon2 import PasswordHasher

    digest = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    path.write_text(
        f"""[users.{VIEWER[0]}]
role = "viewer"
name = "Kiểm thử tự động"
password_hash = "{digest}"

[users.{COMMUNE_VIEWER[0]}]
role = "commune_viewer"
name = "Kiểm thử xã Phước Thuận"
communes = ["{COMMUNE_VIEWER_SCOPE}"]
password_hash = "{digest}"

[users.{OFFICER[0]}]
role = "data_officer"
name = "Kiểm thử cán bộ dữ liệu"
password_hash = "{digest}"

# The viewer demo account of docs/access.md (public password), which other browser tests sign in
# with; kept so they work against this server too.
[users.{DOCS_DEMO_VIEWER[0]}]
role = "viewer"
password_hash = "{PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(DOCS_DEMO_VIEWER[1])}"
""",
        encoding="utf-8",
    )
    return path


def _free_port() -> int:
    return server.free_port()


Server = server.Server


@contextlib.contextmanager
def run_server(warehouse: Path, server_dir: Path, *, script: str = "app.py", extra_env: dict | None = None,
               extra_args: tuple[str, ...] = (), log_name: str = "streamlit-server.log"):
    """A real Streamlit server (`streamlit run app.py`: the dashboard plus the cookie routes) on a
    free loopback port, reading `warehouse`, with the test accounts and
    its own audit trail and session key file in `server_dir` (devtools.server)."""
    try:
        with server.run_server(warehouse, server_dir, _write_accounts, script=script, extra_env=extra_env,
                               extra_args=extra_args, start_timeout_s=SERVER_START_TIMEOUT) as running:
            yield running
    except server.ServerDidNotStart as e:
        pytest.fail(str(e), pytrace=False)
    finally:
        # Keep the server's log where a failing run can be read.
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        log_path = server_dir / "streamlit.log"
        if log_path.exists():
            (SCREENSHOTS / log_name).write_text(log_path.read_text(errors="replace"))


@pytest.fixture(scope="session")
def app_server(e2e_warehouse, tmp_path_factory) -> Server:
    """The dashboard as `make run` serves it (app.py), reading the test warehouse."""
    with run_server(e2e_warehouse, tmp_path_factory.mktemp("e2e_server")) as server:
        yield server


@pytest.fixture(scope="session")
def app_url(app_server) -> str:
    return app_server.url


@contextlib.contextmanager
def streamlit_server(warehouse: Path, server_dir: Path, log_name: str = "streamlit-server.log"):
    """run_server for a test that needs only the URL of a server on another warehouse."""
    with run_server(warehouse, server_dir, log_name=log_name) as server:
        yield server.url


@pytest.fixture(scope="session")
def chromium(e2e_ready):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser, viewport: dict = DESKTOP, account: tuple[str, str] = VIEWER, **kwargs):
    """A fresh browser context (no cookies, no session) and a page in it. `account` is the
    sign-in the helpers use when the dashboard shows its sign-in page."""
    context = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  accept_downloads=True, **kwargs)
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.js_errors = errors  # type: ignore[attr-defined]
    page.e2e_account = account  # type: ignore[attr-defined]
    return context, page


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.e2e_failed = report.failed


def _close(request, context, page) -> None:
    """Close the context; after a failed test keep a screenshot of what the browser showed."""
    if getattr(request.node, "e2e_failed", False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = "FAILED_" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in request.node.name)
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        except Exception:  # the page may be gone; the failure itself is what matters
            pass
    context.close()


@pytest.fixture
def desktop_page(request, chromium, app_url):
    context, page = new_page(chromium, DESKTOP)
    yield page
    _close(request, context, page)


@pytest.fixture
def phone_page(request, chromium, app_url):
    context, page = new_page(chromium, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield page
    _close(request, context, page)


@pytest.fixture
def officer_page(request, chromium, app_url):
    context, page = new_page(chromium, DESKTOP, account=OFFICER)
    yield page
    _close(request, context, page)


@pytest.fixture
def commune_viewer_page(request, chromium, app_url):
    context, page = new_page(chromium, DESKTOP, account=COMMUNE_VIEWER)
    yield page
    _close(request, context, page)


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
