"""Small Playwright helpers for a Streamlit app, after streamlit/streamlit's e2e_playwright."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:  # imported lazily: without Playwright the suite must skip, not fail to import
    from playwright.sync_api import Locator, Page

APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SIDEBAR = '[data-testid="stSidebar"]'
UNIT_PICKER = f'{SIDEBAR} [data-testid="stMultiSelect"]'

# Page slug -> (URL path, the page title (h1) it must show, its sidebar navigation label).
# The default page (Tổng quan) lives at "/": Streamlit ignores url_path for the default page.
PAGES = {
    "tong-quan": ("", "Tổng quan", "Tổng quan"),
    "xep-hang": ("xep-hang", "Xếp hạng đơn vị", "Xếp hạng đơn vị"),
    "tthc": ("tthc", "Giải quyết thủ tục hành chính", "Giải quyết TTHC"),
    "cam-ket": ("cam-ket", "Cam kết", "Cam kết"),
    "van-hoa-cong-so": ("van-hoa-cong-so", "Văn hóa công sở", "Văn hóa công sở"),
    "bao-cao": ("bao-cao", "Báo cáo", "Báo cáo"),
}


def wait_for_app(page: Page, timeout: float = 30_000) -> None:
    """Until the script run is over: connected, script state notRunning, no spinner, no stale
    elements. The short pause first lets a just-triggered rerun flip the state to running."""
    from playwright.sync_api import expect

    page.wait_for_timeout(200)
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]',
                           timeout=timeout)
    page.wait_for_selector(APP_IDLE, timeout=timeout)
    # Before the first run the state is also notRunning: wait until the placeholders are replaced.
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=timeout)
    page.wait_for_selector(APP_IDLE, timeout=timeout)
    expect(page.locator('[data-testid="stSpinner"]')).to_have_count(0, timeout=timeout)
    expect(page.locator('[data-testid="stMain"] [data-stale="true"]')).to_have_count(0, timeout=timeout)


SIGN_IN_TITLE = "Đăng nhập"


def goto(page: Page, url: str) -> None:
    """Open a URL as a new browser session and, if the dashboard asks, sign in with the page's
    test account (conftest.new_page). Every page.goto is a new Streamlit session."""
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] h1')
    page.e2e_signed_in = False  # type: ignore[attr-defined]
    page.e2e_link_after_sign_in = None  # type: ignore[attr-defined]
    if title(page) == SIGN_IN_TITLE:
        sign_in(page, *page.e2e_account)  # type: ignore[attr-defined]
        page.e2e_signed_in = True  # type: ignore[attr-defined]
        page.e2e_link_after_sign_in = page.url  # type: ignore[attr-defined]
        # If signing in lost the page the link named, go there within this session (a new
        # page.goto would be a new session and ask again). Filters a lost link carried stay lost:
        # tests that need them check the URL and say so.
        wanted = urlsplit(url).path.strip("/")
        if urlsplit(page.url).path.strip("/") != wanted:
            slug = next((k for k, v in PAGES.items() if v[0] == wanted), None)
            if slug is not None:
                switch_page(page, slug)


def sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    wait_for_app(page)
    page.wait_for_function(
        "t => { const h = document.querySelector('[data-testid=\"stMain\"] h1');"
        " return h && h.innerText.trim() !== t; }", arg=SIGN_IN_TITLE)
    wait_for_app(page)


def open_page(page: Page, base_url: str, slug: str = "tong-quan", query: str = "") -> None:
    goto(page, f"{base_url}/{PAGES[slug][0]}" + (f"?{query}" if query else ""))


def title(page: Page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text().strip()


KPI_CARD = ".kpi"   # a KPI card of the pages (ui/static_html.py)


def metric_value(page: Page, label: str) -> str:
    """The shown value of the first KPI card (ui/static_html.py) whose label holds `label`."""
    box = page.locator(KPI_CARD).filter(has=page.locator(".kpi-label-text", has_text=label)).first
    return box.locator(".kpi-value").inner_text().strip()


def exceptions(page: Page) -> list[str]:
    """Texts of Streamlit exception boxes and of error alerts on the page."""
    boxes = page.locator('[data-testid="stException"]').all_inner_texts()
    alerts = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    dialogs = [t for t in page.locator('[role="dialog"]').all_inner_texts() if "not found" in t.lower()]
    return boxes + alerts + dialogs


def select_unit(page: Page, label: str) -> None:
    """Pick one option (by its exact label) in the sidebar unit multi-select."""
    box = page.locator(UNIT_PICKER).locator("input")
    box.click()
    box.fill(label.split()[-1])  # type part of the name, as a user would
    page.get_by_role("option", name=label, exact=True).click()
    page.keyboard.press("Escape")
    wait_for_app(page)


def unit_options(page: Page) -> list[str]:
    """Every option the sidebar unit multi-select offers."""
    box = page.locator(UNIT_PICKER).locator("input")
    box.click()
    page.get_by_role("option").first.wait_for()
    options = [t.strip() for t in page.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    return options


def selected_units(page: Page) -> str:
    """The chips of the unit multi-select, as text (empty when nothing is chosen)."""
    return page.locator(UNIT_PICKER).locator('[data-testid="stMultiSelectTagsContainer"]').inner_text()


def switch_page(page: Page, slug: str) -> None:
    """Click the page's link in the sidebar navigation, as a user does."""
    path, _title, nav = PAGES[slug]
    link = page.locator(f'{SIDEBAR} [data-testid="stSidebarNavLink"]').filter(has_text=nav).first
    if not link.is_visible():  # phone: the sidebar starts collapsed
        page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.click()
        link.wait_for(state="visible")
    link.click()
    page.wait_for_url(lambda u: urlsplit(u).path.strip("/") == path)
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] h1')


def query_params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def open_tab(page: Page, label: str) -> None:
    page.get_by_role("tab", name=label, exact=True).click()
    wait_for_app(page)


def table_of(page: Page, key: str) -> Locator:
    """The st.dataframe that ui.components.table drew with `key`. Streamlit puts no st-key-* class
    on a dataframe, but its CSV button (key "dl-<key>") sits right below it."""
    return page.locator(f".st-key-dl-{key}").locator(
        'xpath=preceding-sibling::div[.//*[@data-testid="stDataFrame"]][1]').locator(
        '[data-testid="stDataFrame"]')


def table_rows(frame: Locator) -> list[list[str]]:
    """Body rows of an st.dataframe, from glide-data-grid's accessible table (raw values, not the
    formatted text drawn on the canvas; only the rows rendered, which is all of a small table)."""
    frame.locator('[role="row"]').first.wait_for(state="attached")
    rows = frame.locator('[role="row"]')
    out = []
    for i in range(1, rows.count()):  # row 0 is the header
        out.append([c.strip() for c in rows.nth(i).locator('[role="gridcell"]').all_inner_texts()])
    return out


def table_rows_until(page: Page, frame: Locator, done, timeout: float = 10.0) -> list[list[str]]:
    """table_rows once `done(rows)` holds, or the last rows read after `timeout` seconds: the
    grid's accessible table catches up with a rerun a moment after the script has finished. A read
    caught while the grid replaces its rows (a row without cells, rows of unequal width) is not
    a state `done` is asked about."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        rows = table_rows(frame)
        whole = all(r and len(r) == len(rows[0]) for r in rows)
        if (whole and done(rows)) or time.monotonic() > deadline:
            return rows
        page.wait_for_timeout(200)


def table_header(frame: Locator) -> list[str]:
    return [c.strip() for c in frame.locator('[role="row"]').first.locator(
        '[role="columnheader"]').all_inner_texts()]


def download(page: Page, button_key: str, save_dir: Path) -> tuple[str, bytes]:
    """Click the download button with Streamlit key `button_key`; return (file name, bytes)."""
    button = page.locator(f".st-key-{button_key} button")
    button.scroll_into_view_if_needed()
    with page.expect_download() as info:
        button.click()
    d = info.value
    target = save_dir / d.suggested_filename
    d.save_as(target)
    return d.suggested_filename, target.read_bytes()


def parse_csv(raw: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """(header, rows) of a CSV the dashboard wrote: UTF-8 with BOM."""
    text = raw.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    lines = [r for r in reader]
    header = lines[0]
    return header, [dict(zip(header, r)) for r in lines[1:] if any(c.strip() for c in r)]


def main_overflow(page: Page) -> dict:
    """Widths that tell whether anything sticks out sideways on a narrow screen: the document,
    the main scroll container, and the widest elements inside the main block."""
    return page.evaluate(
        """() => {
            const vw = window.innerWidth;
            const main = document.querySelector('[data-testid="stMain"]');
            const wide = [];
            for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
                const r = el.getBoundingClientRect();
                if (!(r.width > 0 && r.right > vw + 2)) continue;
                // Content clipped by a scrolling ancestor that itself fits (a wide table inside
                // its own scroller) is not an overflow of the page.
                let clipped = false;
                for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
                    const ox = getComputedStyle(a).overflowX;
                    if (ox !== 'visible' && a.getBoundingClientRect().right <= vw + 2) { clipped = true; break; }
                }
                if (clipped) continue;
                const t = el.getAttribute('data-testid') || el.tagName.toLowerCase();
                wide.push(t + ' right=' + Math.round(r.right));
            }
            return {
                viewport: vw,
                document: document.scrollingElement.scrollWidth,
                main: main ? main.scrollWidth : null,
                overflowing: [...new Set(wide)].slice(0, 15),
            };
        }"""
    )


def screenshot(page: Page, path: Path, full: bool = False) -> None:
    """A viewport screenshot; with full=True also the whole main block (it scrolls inside stMain,
    so Playwright's full_page would stop at the viewport): the viewport is grown to fit."""
    page.screenshot(path=str(path))
    if full:
        height = page.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return m ? m.scrollHeight : document.body.scrollHeight; }")
        size = page.viewport_size
        page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 8000)})
        page.wait_for_timeout(600)  # charts re-layout to the new size
        page.screenshot(path=str(path.with_name(path.stem + "_full.png")))
        page.set_viewport_size(size)
