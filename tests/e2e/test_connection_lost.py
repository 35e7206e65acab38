"""A phone out of signal, or the server restarted: a few seconds after the browser loses the
server, Streamlit's front end opens its own dialog ("Connection error", then English advice to run
`streamlit run yourscript.py`). Our users read it in Vietnamese (ui/chrome.py), with nothing of
the English left on screen."""
from __future__ import annotations

import pytest

from ui import chrome

from .conftest import new_page, run_server
from .helpers import screenshot, wait_for_app
from .test_load_under_sessions import _sign_in_if_asked
from .test_pages import _DRAWN_AS

pytestmark = pytest.mark.e2e

_VISIBLE_TEXT = """sel => [...document.querySelectorAll(sel + ' *')]
  .filter(e => e.offsetParent !== null && e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .filter(e => parseFloat(getComputedStyle(e).fontSize) > 0)
  .map(e => e.textContent.trim())"""


def test_lost_server_dialog_speaks_vietnamese(chromium, e2e_warehouse, tmp_path_factory, screenshots_dir):
    with run_server(e2e_warehouse, tmp_path_factory.mktemp("lost_server"), log_name="lost-server.log") as server:
        context, page = new_page(chromium, {"width": 390, "height": 844})   # a phone
        try:
            page.goto(f"{server.url}/tong-quan")
            wait_for_app(page)
            _sign_in_if_asked(page)
            page.wait_for_selector(".kpi")  # the KPI cards
            server.proc.terminate()
            server.proc.wait(timeout=10)
            page.wait_for_selector(chrome.LOST_DIALOG_TITLE, timeout=60_000)
            page.wait_for_timeout(300)   # the dialog's opening animation
            for sel, words in ((chrome.LOST_DIALOG_TITLE, chrome.LOST_TITLE), (chrome.LOST_DIALOG_BODY, chrome.LOST_BODY)):
                assert page.locator(sel).is_visible()
                assert page.evaluate(_DRAWN_AS, sel) == [f'"{words}"', "0px"]
            # Streamlit's English (its advice and the `streamlit run` code block) is not drawn.
            assert page.evaluate(_VISIBLE_TEXT, '[data-testid="stDialog"] [role="dialog"]') == []
            screenshot(page, screenshots_dir / "mat-ket-noi_390x844.png")
        finally:
            context.close()
