"""Every page opens in a real browser, shows its Vietnamese title and no error, on a desktop
screen and on a phone. Screenshots go to tests/e2e/screenshots/ for a person to look at."""
from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

import pytest

from ui import chrome

from .conftest import DESKTOP, new_page
from .helpers import (PAGES, SIGN_IN_TITLE, exceptions, goto, main_overflow, open_page, screenshot, title,
                      wait_for_app)

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]

# Overflow tolerance on a 390 px phone: a scrollbar's rounding, nothing more.
PHONE_TOLERANCE = 2


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


@pytest.mark.parametrize("slug", list(PAGES))
def test_page_opens_with_title_and_no_error(desktop_page, app_url, screenshots_dir, slug):
    page = desktop_page
    open_page(page, app_url, slug)

    assert title(page) == PAGES[slug][1]
    # The browser tab names the page (several tabs open, a phone's tab list).
    page.wait_for_function("t => document.title === t", arg=chrome.tab_title(PAGES[slug][2]), timeout=10_000)
    assert exceptions(page) == []
    assert page.js_errors == []
    # The freshness line every page carries (DESIGN.md: "Dữ liệu đến ngày …").
    assert "Dữ liệu đến ngày" in page.locator('[data-testid="stMain"]').inner_text()

    screenshot(page, screenshots_dir / f"{slug}_1440x900.png", full=True)
    # Pages with tabs: open each one, it must render without an error too.
    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    for i in range(tabs.count()):
        label = tabs.nth(i).inner_text().strip()
        tabs.nth(i).click()
        wait_for_app(page)
        assert exceptions(page) == [], f"tab «{label}» of /{slug}"
        if i:  # tab 0 is already in the page screenshot
            screenshot(page, screenshots_dir / f"{slug}_tab{i}_{_ascii_slug(label)}_1440x900.png", full=True)


def test_no_page_asks_anything_of_another_host(desktop_page, app_url):
    """An office network often reaches no Internet: every page and tab is drawn from the
    dashboard's own server. (A ":material/…:" favicon was fetched from fonts.gstatic.com: a failed
    request on every page open there.)"""
    from urllib.parse import urlsplit
    page = desktop_page
    own = urlsplit(app_url).netloc
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(r.url).netloc != own else None)
    for slug in PAGES:
        open_page(page, app_url, slug)
        tabs = page.locator('[data-testid="stMain"] [role="tab"]')
        for i in range(tabs.count()):
            tabs.nth(i).click()
            wait_for_app(page)
        assert exceptions(page) == [], slug
    page.wait_for_timeout(500)   # the favicon is set after the page is drawn
    assert elsewhere == []


@pytest.mark.parametrize("slug", list(PAGES))
def test_page_fits_a_phone_screen(phone_page, app_url, screenshots_dir, slug):
    page = phone_page
    open_page(page, app_url, slug)

    assert title(page) == PAGES[slug][1]
    assert exceptions(page) == []
    page.wait_for_timeout(500)  # charts settle to the narrow width
    screenshot(page, screenshots_dir / f"{slug}_390x844.png", full=True)

    widths = main_overflow(page)
    limit = widths["viewport"] + PHONE_TOLERANCE
    assert widths["document"] <= limit and (widths["main"] or 0) <= limit, (
        f"/{slug} is wider than the phone screen: {widths}")


# Streamlit serves the default page at "/" only; dashboard.py adds a hidden page so that a typed
# or shared /tong-quan link opens the overview instead of an English "Page not found" dialog.
def test_overview_link_by_its_name_opens_without_a_dialog(desktop_page, app_url):
    page = desktop_page
    goto(page, f"{app_url}/tong-quan")
    assert title(page) == "Tổng quan"
    assert exceptions(page) == []


# A leader following a data officer's /du-lieu link: the page's own refusal, in Vietnamese, not
# Streamlit's English "Page not found" dialog; and no Dữ liệu link in the menu.
def test_data_page_link_refused_in_vietnamese_for_a_viewer(desktop_page, app_url):
    page = desktop_page
    goto(page, f"{app_url}/du-lieu")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Trang này chỉ dành cho cán bộ phụ trách dữ liệu.").wait_for()
    assert not [t for t in page.locator('[role="dialog"]').all_inner_texts() if "not found" in t.lower()]
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Tổng quan" in nav and "Dữ liệu" not in nav


# Streamlit's own English words, read off the page: the text each is drawn as (ui.chrome hides the
# word and draws its ::after) and whether the word itself is hidden (font-size 0).
_DRAWN_AS = """sel => { const el = document.querySelector(sel);
  if (!el) return null;
  return [getComputedStyle(el, '::after').content, getComputedStyle(el).fontSize]; }"""


def test_sign_in_page_speaks_vietnamese(chromium, app_url, screenshots_dir):
    """The first screen of a link from a group chat: the keyboard's skip link and, once a password
    is typed, what Enter does, in Vietnamese."""
    context, page = new_page(chromium, DESKTOP)
    try:
        page.goto(f"{app_url}/")
        wait_for_app(page)
        assert title(page) == SIGN_IN_TITLE
        page.wait_for_function("t => document.title === t", arg=chrome.tab_title(SIGN_IN_TITLE), timeout=10_000)
        page.get_by_label("Mật khẩu", exact=True).fill("sai-mat-khau")
        page.wait_for_selector(chrome.INPUT_ENTER, state="attached")
        assert page.evaluate(_DRAWN_AS, chrome.INPUT_ENTER) == ['"Nhấn Enter để đăng nhập"', "0px"]
        assert page.evaluate(_DRAWN_AS, chrome.SKIP_LINK) == ['"Chuyển đến nội dung chính"', "0px"]
        screenshot(page, screenshots_dir / "dang-nhap_enter_1440x900.png")
    finally:
        context.close()


def test_data_page_uploader_speaks_vietnamese(officer_page, app_url, screenshots_dir, tmp_path):
    """A data officer's uploader: its button and the size limit under it, and the reason a file over
    the limit is refused (the tooltip over the file), in Vietnamese, with the limit of
    .streamlit/config.toml."""
    page = officer_page
    goto(page, f"{app_url}/du-lieu")
    assert title(page) == "Dữ liệu"
    limit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]["maxUploadSize"]
    assert page.evaluate(_DRAWN_AS, chrome.UPLOAD_BUTTON) == ['"Tải tệp lên"', "0px"]
    assert page.evaluate(_DRAWN_AS, chrome.UPLOAD_LIMIT) == [
        f'"Tối đa {limit} MB mỗi tệp · CSV hoặc Excel (.xlsx)"', "0px"]
    screenshot(page, screenshots_dir / "du-lieu_uploader_1440x900.png")
    big = tmp_path / "qua-lon.csv"
    with open(big, "wb") as f:   # sparse: only its size matters, the browser refuses it unread
        f.truncate((limit + 1) * 1024 * 1024)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(big))
    chip = page.locator('[data-testid="stFileChip"]').filter(has_text="qua-lon.csv")
    chip.hover()
    page.wait_for_selector('[data-testid="stTooltipErrorContent"]')
    screenshot(page, screenshots_dir / "du-lieu_uploader_refused_1440x900.png")
    reason = f'"Tệp lớn hơn {limit} MB: không tải lên được. Hãy chia nhỏ theo tháng."'
    assert page.evaluate(_DRAWN_AS, chrome.UPLOAD_REFUSED_TOOLTIP) == [reason, "0px"]
    assert page.evaluate(_DRAWN_AS, chrome.UPLOAD_REFUSED_CHIP) == [reason, "0px"]
    # The file's size in English format ("101.0MB") under its name: not drawn.
    size = chip.locator(chrome.UPLOAD_CHIP_SIZE)
    assert size.count() == 1 and not size.is_visible()


def test_data_page_rejected_row_drawn_with_a_dash(officer_page, app_url, screenshots_dir, tmp_path):
    """A previewed file with a row missing its receiving date: the rejects table under the file's
    report (drawn, with a dash for the empty value: tests/test_auth_pages.py checks the cells);
    cancelled, so nothing is loaded."""
    page = officer_page
    goto(page, f"{app_url}/du-lieu")
    bad = tmp_path / "thieu-ngay.csv"
    bad.write_text("Mã hồ sơ,Tên thủ tục,Lĩnh vực,Đơn vị,Hình thức nộp,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả\n"
                   "HS-E2E-1,Đăng ký khai sinh,Hộ tịch,UBND xã Phước Hậu,Trực tiếp,,05/05/2023,04/05/2023 10:00\n"
                   "HS-E2E-2,Đăng ký khai sinh,Hộ tịch,UBND xã Phước Hậu,Trực tiếp,03/05/2023 08:00,06/05/2023,\n",
                   encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    rejects = page.locator('[data-testid="stExpander"]').filter(has_text="Dòng bị loại và lý do (1 lỗi)")
    rejects.locator('[data-testid="stDataFrame"]').wait_for(timeout=60_000)
    wait_for_app(page)
    rejects.scroll_into_view_if_needed()
    chip = page.locator('[data-testid="stFileChip"]').filter(has_text="thieu-ngay.csv")
    assert chip.inner_text().strip() == "thieu-ngay.csv"   # not "thieu-ngay.csv 352.0B"
    screenshot(page, screenshots_dir / "du-lieu_dong-bi-loai_1440x900.png")
    assert exceptions(page) == [] and page.js_errors == []
    page.locator(".st-key-du-lieu-cancel button").click()
    wait_for_app(page)
    assert page.locator('[data-testid="stExpander"]').filter(has_text="Dòng bị loại").count() == 0


def test_data_page_unit_registry_on_a_phone(request, chromium, app_url, screenshots_dir):
    """A data officer on a phone opens Danh mục đơn vị: the count line, the registry's grid within
    the screen's width, and its download (tests/test_auth_pages.py checks the cells)."""
    from .conftest import OFFICER, PHONE, _close

    context, page = new_page(chromium, PHONE, account=OFFICER, is_mobile=True, has_touch=True,
                             device_scale_factor=2)
    try:
        goto(page, f"{app_url}/du-lieu")
        page.get_by_role("tab", name="Danh mục đơn vị").click()
        wait_for_app(page)
        panel = page.get_by_role("tabpanel", name="Danh mục đơn vị")
        panel.get_by_text("34 đơn vị, 4 đơn vị đang hoạt động.").wait_for()
        grid = panel.locator('[data-testid="stDataFrame"]')
        grid.wait_for()
        box = grid.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + PHONE_TOLERANCE
        assert panel.locator(".st-key-dl-unit-registry button").inner_text().strip().endswith(
            "Tải danh mục đơn vị (CSV)")
        widths = main_overflow(page)
        assert max(widths["document"], widths["main"] or 0) <= widths["viewport"] + PHONE_TOLERANCE, widths
        screenshot(page, screenshots_dir / "du-lieu_danh-muc-don-vi_390x844.png", full=True)
        assert exceptions(page) == [] and page.js_errors == []
    finally:
        _close(request, context, page)


# Tổng quan's two tables under an expander are built only once opened (ui.components.lazy_expander,
# a fragment): a click must draw the table and its downloads, and nothing else of the page reruns.
def test_overview_expander_draws_its_table_when_opened(desktop_page, app_url, screenshots_dir):
    page = desktop_page
    open_page(page, app_url, "tong-quan")
    main = page.locator('[data-testid="stMain"]')
    expanders = main.locator('[data-testid="stExpander"]')
    assert expanders.count() == 2
    first = expanders.filter(has_text="Bảng chỉ tiêu")
    assert first.locator('[data-testid="stDataFrame"]').count() == 0  # collapsed: nothing sent
    downloads_before = main.locator('[data-testid="stDownloadButton"]').count()

    first.locator("summary").click()
    first.locator('[data-testid="stDataFrame"]').wait_for(timeout=30_000)
    wait_for_app(page)
    assert first.get_by_text("Tải bảng (CSV)").count() == 1
    assert first.get_by_text("Tải bảng (Excel)").count() == 1
    assert main.locator('[data-testid="stDownloadButton"]').count() == downloads_before + 2
    assert main.locator('[data-testid="stVegaLiteChart"]').count() == 2  # the charts are still there
    assert exceptions(page) == [] and page.js_errors == []

    trend = expanders.filter(has_text="Bảng số liệu theo tháng")
    trend.locator("summary").click()
    trend.locator('[data-testid="stDataFrame"]').wait_for(timeout=30_000)
    wait_for_app(page)
    assert first.locator('[data-testid="stDataFrame"]').count() == 1  # the first stays open
    screenshot(page, screenshots_dir / "tong-quan_expanders_open_1440x900.png", full=True)
    assert exceptions(page) == [] and page.js_errors == []


# Tổng quan's monthly charts are Vega-Lite (ui/light_charts.py, no Plotly to load): drawn, and a
# bar's tooltip speaks Vietnamese with Vietnamese numbers.
def test_overview_charts_drawn_with_vietnamese_tooltips(desktop_page, app_url):
    page = desktop_page
    open_page(page, app_url, "tong-quan")
    charts = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')
    assert charts.count() == 2
    for i in range(2):
        charts.nth(i).locator("canvas, svg.marks").first.wait_for(state="attached")
    assert page.locator('[data-testid="stMain"] [data-testid="stPlotlyChart"]').count() == 0
    chart = charts.first
    chart.scroll_into_view_if_needed()
    box = chart.locator("canvas, svg.marks").first.bounding_box()
    tip = page.locator("#vg-tooltip-element")
    # over the bars' lower part (the rate lines run near the top and the bottom)
    for fx in (0.3, 0.5, 0.7):
        page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * 0.7)
        page.wait_for_timeout(300)
        if "Tiếp nhận" in (tip.inner_text() if tip.count() else ""):
            break
    text = tip.inner_text()
    assert "Tiếp nhận:" in text and "hồ sơ" in text, text
    assert exceptions(page) == [] and page.js_errors == []


# Xếp hạng's three charts are Vega-Lite too (no Plotly to load): the score bars, the unit × month
# heatmap and the chosen unit's history are drawn, and a bar's tooltip names the unit with its score
# in Vietnamese numbers.
def test_ranking_charts_drawn_without_plotly(desktop_page, app_url):
    page = desktop_page
    open_page(page, app_url, "xep-hang")
    main = page.locator('[data-testid="stMain"]')
    charts = main.locator('[data-testid="stVegaLiteChart"]')
    assert charts.count() >= 3
    for i in range(charts.count()):
        charts.nth(i).locator("canvas, svg.marks").first.wait_for(state="attached")
    assert main.locator('[data-testid="stPlotlyChart"]').count() == 0
    bars = charts.first
    bars.scroll_into_view_if_needed()
    box = bars.locator("canvas, svg.marks").first.bounding_box()
    tip = page.locator("#vg-tooltip-element")
    # over the top bar (the best unit): its left part, right of the unit names
    for fy in (0.12, 0.2, 0.3):
        page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * fy)
        page.wait_for_timeout(300)
        if "Điểm TB:" in (tip.inner_text() if tip.count() else ""):
            break
    text = tip.inner_text()
    assert re.search(r" · Điểm TB: \d+,\d$", text.strip()), text
    assert exceptions(page) == [] and page.js_errors == []


# Giải quyết TTHC and Cam kết draw their charts with Vega-Lite (ui/light_charts.py): no Plotly to
# load in a new tab. TTHC: the late rates and the monthly trend (and, with survey answers, the
# satisfaction by month and by unit; every tab's charts are in the page); Cam kết: the coverage
# per year.
@pytest.mark.parametrize("slug, n_charts", [("tthc", 2), ("cam-ket", 1)])
def test_tthc_and_commitment_charts_are_vega_lite(desktop_page, app_url, slug, n_charts):
    page = desktop_page
    open_page(page, app_url, slug)
    main = page.locator('[data-testid="stMain"]')
    charts = main.locator('[data-testid="stVegaLiteChart"]')
    charts.first.locator("canvas, svg.marks").first.wait_for(state="attached")
    assert charts.count() >= n_charts
    assert main.locator('[data-testid="stPlotlyChart"]').count() == 0
    assert exceptions(page) == [] and page.js_errors == []


def test_overview_cards_two_a_row_on_a_phone_and_explained_on_a_tap(phone_page, app_url, screenshots_dir):
    """Tổng quan's KPI cards (one HTML block, ui/static_html.py) on a 390 px phone: two a row, and a
    tap on a card's help icon shows its explanation (Vietnamese, inside the screen); a tap
    elsewhere hides it again."""
    page = phone_page
    open_page(page, app_url, "tong-quan")
    cards = page.locator(".kpi")
    assert cards.count() == 12
    boxes = [cards.nth(i).bounding_box() for i in range(4)]
    assert boxes[0]["y"] == boxes[1]["y"] < boxes[2]["y"] == boxes[3]["y"]   # two a row
    assert boxes[1]["x"] > boxes[0]["x"] + boxes[0]["width"] - 1
    card = cards.filter(has=page.locator(".kpi-label-text", has_text="Tỷ lệ trễ hạn")).first
    tip = card.locator(".kpi-tip")
    assert not tip.is_visible()
    help_icon = card.locator(".kpi-help")
    assert help_icon.get_attribute("aria-label") == "Giải thích: Tỷ lệ trễ hạn"
    help_icon.tap()
    tip.wait_for(state="visible")
    assert tip.inner_text() == "Hồ sơ trả quá hạn / số hồ sơ đã giải quyết."
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    screenshot(page, screenshots_dir / "tong-quan_the-giai-thich_390x844.png")
    page.locator('[data-testid="stMain"] h1').first.tap()
    tip.wait_for(state="hidden")
