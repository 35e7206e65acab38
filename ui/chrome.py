"""Streamlit's own words on screen are English; every word our users see must be Vietnamese.

Each English text of Streamlit's front end that our pages show is drawn in Vietnamese by CSS: the
English text gets font-size 0 and a ::after with the Vietnamese (which a screen reader reads
too). One place for all of them, with the test ids and markup checked on Streamlit 1.67 (a newer
Streamlit: check them again; tests/e2e/test_pages.py reads the drawn words off the page).
No streamlit import: the pages and the sign-in page put `words_css(...)` in an st.html.
"""
from __future__ import annotations

_HIDE = "font-size: 0 !important;"


def _say(selector: str, text: str, size: str = "0.875rem") -> str:
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return (f"{selector} {{ {_HIDE} }}\n"
            f"{selector}::after {{ content: \"{quoted}\"; font-size: {size}; }}\n")


# Under a text or number input once it is typed in: "Press Enter to apply" (outside a form: the
# table pager's "Trang"), "Press Enter to submit form" (the sign-in form). A counter of characters
# would be a second span (no input here has one).
INPUT_ENTER = '[data-testid="InputInstructions"] > span:first-child'
# The link a keyboard's first Tab shows (and a screen reader reads first): "Skip to main content".
SKIP_LINK = '[data-testid="stSkipToContent"]'
# A select box's search that matches nothing: "No results".
NO_RESULTS = '[role="listbox"] [role="option"]:not([data-key]) > span'
# The file uploader (Dữ liệu): its button ("Upload"), the limit under it ("100MB per file"), and on
# a file it refuses, "File must be 100.0MB or smaller." (the only refusal here: it accepts every
# type and several files) in the tooltip over the file and, for screen readers, in the file's chip.
UPLOAD_BUTTON = '[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p'
UPLOAD_LIMIT = '[data-testid="stFileUploaderDropzoneInstructions"] span'
UPLOAD_REFUSED_CHIP = '[data-testid="stFileChip"] [role="alert"]'
UPLOAD_REFUSED_TOOLTIP = '[data-testid="stTooltipErrorContent"]'
# Under a chosen file's name, its size in the front end's English format ("352.0B", "105.9MB"): one
# text per file, which a ::after cannot rewrite, so it is not drawn (the file's preview says how
# many rows it holds; a refused file's reason says the limit).
UPLOAD_CHIP_SIZE = '[data-testid="stFileChipName"] + *'
# The dialog the front end opens a few seconds after it loses the server (a phone out of signal,
# the server restarted): "Connection error" over "Streamlit server is not responding. Are you
# connected to the internet?" (on localhost: "Is Streamlit still running? ... streamlit run
# yourscript.py" in a code block). The app opens no dialog of its own (no st.dialog), and the
# front end's only other message dialogs ("Bad message format", "Page not found": the pages
# answer an unknown path themselves) are also cured by reloading: every such dialog says so.
LOST_DIALOG_TITLE = '[data-testid="stDialog"] [role="dialog"] > h2[slot="title"]'
LOST_DIALOG_BODY = '[data-testid="stDialog"] [role="dialog"] > h2[slot="title"] + div'
LOST_TITLE = "Mất kết nối với máy chủ"
LOST_BODY = ("Trang không nhận được trả lời từ máy chủ bảng điều khiển. "
             "Hãy kiểm tra kết nối mạng rồi tải lại trang.")


def words_css(enter: str = "áp dụng") -> str:
    """The words every page shows (`enter`: what Enter does in an input, "đăng nhập" on the
    sign-in form), as a <style> block."""
    return ("<style>\n" + _say(SKIP_LINK, "Chuyển đến nội dung chính")
            + _say(NO_RESULTS, "Không tìm thấy")
            + _say(INPUT_ENTER, f"Nhấn Enter để {enter}", "0.75rem")
            + _say(LOST_DIALOG_TITLE, LOST_TITLE, "1.5rem")
            + _say(LOST_DIALOG_BODY, LOST_BODY, "1rem")
            + f"{LOST_DIALOG_BODY} > * {{ display: none !important; }}\n" + "</style>")


def uploader_css(max_mb: int) -> str:
    """The file uploader's words, with the upload limit (MB per file), as a <style> block."""
    refused = f"Tệp lớn hơn {max_mb} MB: không tải lên được. Hãy chia nhỏ theo tháng."
    return ("<style>\n" + _say(UPLOAD_BUTTON, "Tải tệp lên")
            + _say(UPLOAD_LIMIT, f"Tối đa {max_mb} MB mỗi tệp · CSV hoặc Excel (.xlsx)")
            + _say(UPLOAD_REFUSED_CHIP, refused) + _say(UPLOAD_REFUSED_TOOLTIP, refused)
            + f"{UPLOAD_CHIP_SIZE} {{ display: none !important; }}\n" + "</style>")


SERVICE = "Bảng điều khiển thi đua văn hóa công sở"
SHORT_SERVICE = "Văn hóa công sở"


def tab_title(page_title: str) -> str:
    """The browser tab of a page, so a leader with several tabs (or a phone's tab list) tells
    them apart: "Xếp hạng đơn vị – Văn hóa công sở" (the page named like the service: its name)."""
    return page_title if page_title == SHORT_SERVICE else f"{page_title} – {SHORT_SERVICE}"


def issuer_today() -> str:
    """Who the dashboard serves today, as the report's settings name it (data/reference/report.toml:
    the district until 30/06/2025, the province since), e.g. "UBND tỉnh Khánh Hòa"; "" when the
    settings cannot be read (the sign-in page must still open). Reads the file: for the sign-in
    page only, not for every rerun."""
    from datetime import date

    from report.data import issuer_on, settings
    try:
        return str(issuer_on(settings(), date.today()).get("short_name") or "")
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def service_caption() -> str:
    """The sign-in page's line under its title: "Bảng điều khiển … – UBND tỉnh Khánh Hòa"."""
    who = issuer_today()
    return f"{SERVICE} – {who}" if who else SERVICE
