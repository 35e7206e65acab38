"""The dashboard server under a scale warehouse: peak RSS after every page was opened, and in a
real browser (Playwright driving /usr/bin/chromium with the flags of docs/DESIGN.md) the time to
the overview fully drawn and the time for a commune filter change to be drawn.

"Fully drawn" = Streamlit reports the script run finished (stApp data-test-script-state =
notRunning, connected), no skeleton / spinner / stale element is left in the main area, and the
Plotly charts of the page have drawn their SVG.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
APP_RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
UNIT_PICKER = '[data-testid="stSidebar"] [data-testid="stMultiSelect"]'
PAGE_PATHS = ("", "xep-hang", "tthc", "cam-ket")  # every page in dashboard.PAGES


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard_server(db: Path, log_path: Path):
    """`streamlit run dashboard.py` on a free port reading `db`; yields (url, Popen)."""
    port = _free_port()
    streamlit = ROOT / ".venv" / "bin" / "streamlit"
    cmd = [str(streamlit)] if streamlit.exists() else [sys.executable, "-m", "streamlit"]
    cmd += ["run", "dashboard.py", "--server.headless", "true", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    env = {**os.environ, "WAREHOUSE_DB": str(db), "PYTHONUNBUFFERED": "1"}
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited ({proc.returncode}); see {log_path}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit not healthy after 90 s; see {log_path}")
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


def rss_bytes(pid: int) -> int:
    """Resident memory of the server process and its children."""
    import psutil

    p = psutil.Process(pid)
    total = p.memory_info().rss
    for c in p.children(recursive=True):
        try:
            total += c.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def _wait_drawn(page, timeout: float = 120_000) -> None:
    from playwright.sync_api import expect

    page.wait_for_selector(CONNECTED, timeout=timeout)
    page.wait_for_selector(APP_IDLE, timeout=timeout)
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=timeout)
    page.wait_for_selector(APP_IDLE, timeout=timeout)
    expect(page.locator('[data-testid="stSpinner"]')).to_have_count(0, timeout=timeout)
    expect(page.locator('[data-testid="stMain"] [data-stale="true"]')).to_have_count(0, timeout=timeout)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
    charts = page.locator('[data-testid="stMain"] [data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for(state="attached", timeout=timeout)


def _launch(pw):
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def _context(browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN",
                              timezone_id="Asia/Ho_Chi_Minh")
    ctx.set_default_timeout(120_000)
    return ctx


def open_every_page(url: str) -> list[dict]:
    """Open each page once (fresh server caches), as a user would; seconds to drawn per page."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as pw:
        browser = _launch(pw)
        ctx = _context(browser)
        page = ctx.new_page()
        for path in PAGE_PATHS:
            t0 = time.perf_counter()
            page.goto(f"{url}/{path}")
            _wait_drawn(page)
            out.append({"page": path or "tong-quan", "seconds": time.perf_counter() - t0,
                        "errors": page.locator('[data-testid="stException"]').count()})
        ctx.close()
        browser.close()
    return out


def time_overview_and_filter(url: str, commune_label: str, runs: int = 3) -> dict:
    """Median over `runs` fresh browser contexts of: navigation -> overview drawn; commune picked in
    the sidebar -> overview drawn again. Each run picks a different month so the server's result
    cache does not answer the filter change (the first navigation is the default month)."""
    from playwright.sync_api import sync_playwright

    nav, change = [], []
    with sync_playwright() as pw:
        browser = _launch(pw)
        for r in range(runs):
            ctx = _context(browser)
            page = ctx.new_page()
            t0 = time.perf_counter()
            page.goto(f"{url}/?tu={_month(r)}&den={_month(r)}")
            _wait_drawn(page)
            nav.append(time.perf_counter() - t0)
            box = page.locator(UNIT_PICKER).locator("input")
            box.click()
            box.fill(commune_label.split(" (")[0].split()[-1])
            option = page.get_by_role("option", name=commune_label, exact=True)
            option.wait_for()
            t0 = time.perf_counter()
            option.click()
            try:  # the rerun may already be over when we look
                page.wait_for_selector(APP_RUNNING, timeout=1500)
            except Exception:
                pass
            _wait_drawn(page)
            change.append(time.perf_counter() - t0)
            page.keyboard.press("Escape")
            ctx.close()
        browser.close()
    import statistics
    return {"navigation_s": statistics.median(nav), "filter_change_s": statistics.median(change),
            "navigation_all": nav, "filter_change_all": change}


def _month(r: int) -> str:
    # 2025-11, 2025-10, ...: months the page-opening pass (default month 12/2025) did not compute
    return f"2025-{11 - r:02d}"
