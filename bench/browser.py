"""The dashboard server under a scale warehouse: peak RSS after every page was opened, and in a
real browser (Playwright driving /usr/bin/chromium with the flags of docs/DESIGN.md) the time to
the overview fully drawn and the time for a commune filter change to be drawn.

"Fully drawn" = Streamlit reports the script run finished (stApp data-test-script-state =
notRunning, connected), no skeleton / spinner / stale element is left in the main area, and the
Plotly charts of the page have drawn their SVG.

The server is app.py, as `make run` serves it (devtools.server, shared with tests/e2e). It signs
users in (access/, accounts mode): the server gets a
throw-away accounts file with one data_officer account (a password made up per run, cheap argon2
parameters), as tests/e2e does. A successful sign-in leaves the browser a signed HttpOnly cookie
(access/cookie.py, set by app.py's /api/session route): as in a real browser, later tabs of the
same browser context are signed in by it and never see the sign-in page.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
UNIT_PICKER = '[data-testid="stSidebar"] [data-testid="stMultiSelect"]'


USERNAME = "bench-officer"
SIGN_IN_TITLE = "Đăng nhập"


def write_accounts(work: Path) -> tuple[Path, str]:
    """An accounts file (ui/auth.py format) with one data_officer; returns (path, password)."""
    import secrets

    from argon2 import PasswordHasher

    password = secrets.token_urlsafe(12)
    digest = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(password)
    path = work / "bench_accounts.toml"
    path.write_text(f'[users.{USERNAME}]\nrole = "data_officer"\nname = "Đo hiệu năng"\n'
                    f'password_hash = "{digest}"\n', encoding="utf-8")
    return path, password


@contextmanager
def dashboard_server(db: Path, log_path: Path):
    """The dashboard as `make run` serves it (`streamlit run app.py`, devtools.server) on a free
    port reading `db`; yields (url, Popen, password). The server's log is copied to `log_path`."""
    from devtools.server import run_server

    password: list[str] = []

    def accounts(path: Path) -> None:
        written, pw = write_accounts(path.parent)
        written.replace(path)
        password.append(pw)

    server_dir = log_path.with_suffix("")
    if (server_dir / "accounts.toml").exists():
        (server_dir / "accounts.toml").unlink()  # a new password each run
    try:
        with run_server(db, server_dir, accounts, start_timeout_s=90) as server:
            yield server.url, server.proc, password[0]
    finally:
        if (server_dir / "streamlit.log").exists():
            log_path.write_text((server_dir / "streamlit.log").read_text(errors="replace"))


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


# "Drawn", checked in the page at every animation frame (one predicate: the benchmark's own
# round-trips to the browser do not count in the time): connected, the script not running, no
# skeleton, spinner or stale (greyed) element in the main block, a title, every Plotly chart with
# its SVG and every Vega-Lite chart shown (ui/light_charts.py) with its canvas or SVG; a Vega-Lite
# chart in a tab not opened has no box and is not drawn until the tab is. Each check
# used to be a Playwright call of its own (10+ round-trips, ~10–20 ms each, after the page was
# drawn).
_DRAWN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
      || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stSpinner"]')) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.querySelector('h1') || main.querySelector('[data-stale="true"]')) return false;
  for (const c of main.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (!c.querySelector('.main-svg')) return false;
  for (const c of main.querySelectorAll('[data-testid="stVegaLiteChart"]'))
    // a chart in a tab not shown is drawn only when its tab is opened (Streamlit 1.67)
    if (c.getClientRects().length > 0 && !c.querySelector('canvas, svg.marks')) return false;
  window.__benchDrawnAt = performance.now();
  return true;
}"""


def _wait_drawn(page, timeout: float = 120_000) -> None:
    page.wait_for_function(_DRAWN, timeout=timeout, polling="raf")


# A rerun seen from the page itself: the flag is set when stApp's script state turns "running"
# after _watch_rerun, even if it is already back to "notRunning" when the benchmark looks (waiting
# for the running state with a timeout would add that timeout to a rerun faster than the poll).
# __benchClickAt: when the user's press reached the page (the first pointerdown after
# _watch_rerun), the start of a filter change as the user sees it; Playwright's own checks before
# it presses (element visible, stable over two frames, hit target) are not the dashboard's time.
_WATCH_RERUN = """() => {
  window.__benchRerun = false;
  window.__benchClickAt = null;
  document.addEventListener('pointerdown', () => {
    if (window.__benchClickAt === null) window.__benchClickAt = performance.now();
  }, {capture: true, once: true});
  const app = document.querySelector('[data-testid="stApp"]');
  const seen = (records) => {
    if (app.getAttribute('data-test-script-state') === 'running'
        || records.some(r => r.oldValue === 'running')) window.__benchRerun = true;
  };
  new MutationObserver(seen).observe(app, {attributes: true, attributeOldValue: true,
                                           attributeFilter: ['data-test-script-state']});
}"""


def _watch_rerun(page) -> None:
    page.evaluate(_WATCH_RERUN)


def _wait_rerun_drawn(page, timeout: float = 120_000) -> None:
    """After an action watched by _watch_rerun: until its rerun ran and the page is drawn again."""
    page.wait_for_function(f"() => window.__benchRerun === true && ({_DRAWN})()", timeout=timeout,
                           polling="raf")


def _launch(pw):
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
PHONE_CPU_SLOWDOWN = 4   # Chromium's CPU throttling: roughly a mid-range phone against this machine


def _context(browser, viewport: dict = DESKTOP):
    ctx = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    ctx.set_default_timeout(120_000)
    return ctx


def page_errors(page) -> list[str]:
    """Exception boxes and error alerts on the page (dashboard.py turns a failing page into one)."""
    texts = page.locator('[data-testid="stException"]').all_inner_texts()
    texts += page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    return [t.strip()[:200] for t in texts]


def _title(page) -> str:
    h = page.locator('[data-testid="stMain"] h1').first
    return h.inner_text().strip() if h.count() else ""


def sign_in(page, password: str) -> None:
    """On the sign-in page: fill the form, submit, wait until the page behind it is drawn."""
    page.get_by_label("Tên đăng nhập").fill(USERNAME)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_function(
        "t => { const h = document.querySelector('[data-testid=\"stMain\"] h1');"
        " return h && h.innerText.trim() !== t; }", arg=SIGN_IN_TITLE, timeout=120_000)
    _wait_drawn(page)


def _page_paths() -> list[str]:
    """The URL path of every page (ui.url.PAGE_PATHS; /tong-quan only redirects to the overview)."""
    from ui.url import PAGE_PATHS

    return [p for k, p in PAGE_PATHS.items() if k != "overview_by_name"]


@contextmanager
def _signed_in_browser(url: str, password: str, viewport: dict = DESKTOP):
    """Chromium with one browser context, signed in on its first tab (left open, drawn); yields
    (context, that page). The sign-in cookie then keeps every new tab of the context signed in."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = _launch(pw)
        ctx = _context(browser, viewport)
        page = ctx.new_page()
        page.goto(url)
        _wait_drawn(page)
        if _title(page) == SIGN_IN_TITLE:
            sign_in(page, password)
        try:
            yield ctx, page
        finally:
            ctx.close()
            browser.close()


def open_every_page(url: str, password: str, period: tuple[str, str] | None = None) -> list[dict]:
    """Sign in, then open each page of the dashboard at `period` (months "yyyy-mm", the widest the
    data has: the heaviest view) from a link, as a user opening a shared link would (a new
    session, kept signed in by the cookie), and click every tab of the page. One row per page and
    per tab: seconds from the navigation or the click to the page drawn, and the error boxes shown."""
    query = f"?tu={period[0]}&den={period[1]}" if period else ""
    out = []
    with _signed_in_browser(url, password) as (_ctx, page):
        for path in _page_paths():
            t0 = time.perf_counter()
            page.goto(url.rstrip("/") + "/" + path + query)
            _wait_drawn(page)
            title = _title(page)
            out.append({"page": title, "seconds": time.perf_counter() - t0, "errors": page_errors(page)})
            tabs = page.locator('[data-testid="stMain"] [role="tab"]')
            for i in range(tabs.count()):
                tab = tabs.nth(i)
                name = tab.inner_text().strip()
                t0 = time.perf_counter()
                tab.click()
                page.wait_for_function("t => t.getAttribute('aria-selected') === 'true'", arg=tab.element_handle())
                page.wait_for_timeout(50)  # a tab that reruns the script (lazy content) starts it by then
                _wait_drawn(page)
                out.append({"page": f"{title} › {name}", "seconds": time.perf_counter() - t0,
                            "errors": page_errors(page)})
    return out


def _timed_tab(ctx, url: str, cpu_slowdown: float | None = None) -> tuple[object, float]:
    """A new tab of `ctx` opened at `url` (its CPU throttled `cpu_slowdown`× through CDP when
    given): (the page, left open, and the seconds from navigation to drawn)."""
    page = ctx.new_page()
    if cpu_slowdown:
        ctx.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
    t0 = time.perf_counter()
    page.goto(url)
    _wait_drawn(page)
    return page, time.perf_counter() - t0


def time_pages_returning(url: str, password: str, repeats: int = 4) -> list[dict]:
    """Each page opened from a link in a new tab by a returning user (one browser context, signed
    in once: Streamlit's JavaScript in the HTTP cache, the sign-in cookie kept), at the page's
    default view, `repeats` times in turn; the first round warms the server's caches and the
    browser's, the median is over the later ones. What a leader opening the dashboard's links from
    a group chat waits for on every page, not only Tổng quan (time_overview_and_filter)."""
    import statistics

    paths = _page_paths()
    seconds: dict[str, list[float]] = {p: [] for p in paths}
    titles: dict[str, str] = {}
    with _signed_in_browser(url, password) as (ctx, first):
        first.close()
        for _ in range(repeats):
            for path in paths:
                page, took = _timed_tab(ctx, url.rstrip("/") + "/" + path)
                seconds[path].append(took)
                titles[path] = _title(page)
                page.close()
    return [{"page": titles[p], "median_s": statistics.median(seconds[p][1:] or seconds[p]),
             "first_s": seconds[p][0], "runs_s": seconds[p]} for p in paths]


def time_overview_phone_speed(url: str, password: str, repeats: int = 4,
                              slowdown: float = PHONE_CPU_SLOWDOWN) -> dict:
    """The overview opened from a link in a new tab by a returning user on a phone's screen
    (390 × 844) with the browser's CPU throttled `slowdown`× (CDP Emulation.setCPUThrottlingRate):
    what a leader opening the group chat's link waits for, roughly, where the front end's work
    (Streamlit's React, its CSS-in-JS, Vega) is what costs. The server keeps this machine's speed
    and shares its cores with the browser. `repeats` tabs after a warm-up tab; the median."""
    import statistics

    seconds = []
    with _signed_in_browser(url, password, PHONE) as (ctx, first):
        first.close()
        for _ in range(repeats + 1):
            page, took = _timed_tab(ctx, url, slowdown)
            seconds.append(took)
            page.close()
    return {"slowdown": slowdown, "viewport": PHONE, "median_s": statistics.median(seconds[1:]),
            "runs_s": seconds}


def time_overview_and_filter(url: str, password: str, commune_labels: list[str]) -> dict:
    """One new tab (new Streamlit session) per commune label, all in ONE browser context, as one
    person's browser: run 1 is a first visit (empty HTTP cache, no cookie, fresh server: the
    sign-in page, then the overview); the next runs are a returning user (Streamlit's JavaScript in
    the HTTP cache, the sign-in cookie of run 1 kept by the context, so the overview opens without
    the sign-in page). Each run: navigation -> overview drawn (for a run that meets the sign-in
    page, split into "sign-in page drawn" and "sign-in submitted -> overview drawn"); then the
    commune picked in the sidebar -> overview drawn again. Each run picks another commune, so the
    server's result cache never answers it.

    A returning run that meets the sign-in page anyway (the cookie was lost) is counted in
    `returning_signed_in_again`: then the "returning user" median is not one."""
    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as pw:
        browser = _launch(pw)
        ctx = _context(browser)
        for label in commune_labels:
            page = ctx.new_page()
            t0 = time.perf_counter()
            page.goto(url)
            _wait_drawn(page)
            t_form = time.perf_counter() - t0
            t1 = time.perf_counter()
            shown = _title(page) == SIGN_IN_TITLE
            if shown:
                sign_in(page, password)
            t_after = time.perf_counter() - t1
            total = time.perf_counter() - t0
            box = page.locator(UNIT_PICKER).locator("input")
            box.click()
            base = label.split(" (")[0]
            box.fill(" ".join(base.split()[1:]))  # the name without "Xã": few options match
            # The sidebar may word the validity of a re-used name its own way ("từ 07/2025"):
            # pick the option with the commune's name, the one valid from 2025 if two share it.
            options = page.get_by_role("option").filter(has_text=base)
            options.first.wait_for()
            option = options.filter(has_text="2025").first if options.count() > 1 else options.first
            _watch_rerun(page)
            t2 = time.perf_counter()
            option.click()
            _wait_rerun_drawn(page)
            wall = time.perf_counter() - t2
            clicked, drawn = page.evaluate("[window.__benchClickAt, window.__benchDrawnAt]")
            runs.append({"sign_in_shown": shown,
                         "sign_in_page_s": t_form if shown else None,
                         "after_sign_in_s": t_after if shown else None,
                         "navigation_s": total,
                         # the press reaching the page -> the page drawn again (in-page clock)
                         "filter_change_s": (drawn - clicked) / 1000,
                         # the benchmark's call to click -> its check returned (adds Playwright's
                         # pre-click checks and one round-trip)
                         "filter_change_wall_s": wall, "commune": label})
            page.keyboard.press("Escape")
            page.close()
        ctx.close()
        browser.close()
    import statistics
    warm = runs[1:] or runs
    first = runs[0]
    return {"navigation_s": statistics.median(r["navigation_s"] for r in warm),
            "returning_signed_in_again": sum(1 for r in runs[1:] if r["sign_in_shown"]),
            "filter_change_s": statistics.median(r["filter_change_s"] for r in runs),
            "filter_change_wall_s": statistics.median(r["filter_change_wall_s"] for r in runs),
            "first_visit_navigation_s": first["navigation_s"],
            "first_visit_sign_in_page_s": first["sign_in_page_s"],
            "first_visit_after_sign_in_s": first["after_sign_in_s"],
            "runs": runs}
