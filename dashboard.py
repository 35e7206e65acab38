"""The dashboard script: page config, sign-in gate, the shared sidebar filters, navigation.

Served by app.py (`make run`, or `streamlit run app.py`), which adds the HTTP routes that keep a
sign-in in a cookie; `streamlit run dashboard.py` still works, with sign-ins lasting for one
browser tab's session only (docs/access.md).

The page scripts live in app_pages/, not pages/: Streamlit treats a folder named pages/ beside
the entry script as an old-style multipage app, and a fresh server asked for a deep link
(/tthc?xa=...) then runs the page WITHOUT this file (no filters, no sign-in); AppTest.switch_page
does the same. Checked on streamlit 1.67.
"""
from __future__ import annotations

import logging

import streamlit as st

from ui.chrome import SHORT_SERVICE  # no Streamlit call: set_page_config stays the first

st.set_page_config(
    page_title=SHORT_SERVICE,   # until the sign-in page or the page shown names the tab (ui.chrome.tab_title)
    # An emoji, drawn by the browser: a ":material/…:" icon is fetched from fonts.gstatic.com, which an
    # office network without the Internet cannot reach (a failed request on every page open).
    page_icon="🏛️",
    layout="wide",
    initial_sidebar_state="auto",
)

from ui import auth, chrome, components, data, heap  # noqa: E402
from ui.filters import render_sidebar, unit_labels  # noqa: E402
from ui.url import PAGE_PATHS  # noqa: E402

heap.freeze_new_modules()   # the collection Streamlit runs after each rerun skips the modules' objects

log = logging.getLogger("dashboard")

OVERVIEW = st.Page("app_pages/tong_quan.py", title="Tổng quan", icon=":material/dashboard:", default=True)


def _overview_by_name() -> None:
    # Streamlit serves the default page at "/" only; /tong-quan (a link people will type or
    # share) would show an English "Page not found". Send it to the overview, filters kept.
    st.switch_page(OVERVIEW, query_params=st.query_params.to_dict())


PAGES = [
    OVERVIEW,
    st.Page("app_pages/xep_hang.py", title="Xếp hạng đơn vị", icon=":material/leaderboard:",
            url_path=PAGE_PATHS["ranking"]),
    st.Page("app_pages/tthc.py", title="Giải quyết TTHC", icon=":material/assignment_turned_in:",
            url_path=PAGE_PATHS["dossiers"]),
    st.Page("app_pages/cam_ket.py", title="Cam kết", icon=":material/handshake:",
            url_path=PAGE_PATHS["commitments"]),
    st.Page("app_pages/van_hoa_cong_so.py", title="Văn hóa công sở", icon=":material/badge:",
            url_path=PAGE_PATHS["evidence"]),
    st.Page("app_pages/bao_cao.py", title="Báo cáo", icon=":material/description:",
            url_path=PAGE_PATHS["report"]),
    st.Page(_overview_by_name, title="Tổng quan", url_path=PAGE_PATHS["overview_by_name"], visibility="hidden"),
]
# Data officers only (docs/access.md); the page checks the role again itself. Anyone else who
# follows a /du-lieu link gets that page's refusal, in Vietnamese, from a hidden copy of it (not
# Streamlit's English "Page not found").
DATA_PAGE = st.Page("app_pages/du_lieu.py", title="Dữ liệu", icon=":material/upload_file:", url_path=PAGE_PATHS["data"])
DATA_PAGE_REFUSED = st.Page("app_pages/du_lieu.py", title="Dữ liệu", url_path=PAGE_PATHS["data"], visibility="hidden")


def _is_demo_data() -> bool | None:
    """For the sign-in page: does the warehouse hold the demo (None: no warehouse yet)?"""
    if data.warehouse_version() is None:
        return None
    return bool(data.freshness().get("is_demo"))


def _data_page_only() -> None:
    """No data to show yet: a data officer still gets the Dữ liệu page, to load the first files."""
    st.navigation([DATA_PAGE], position="sidebar").run()


def main() -> None:
    # Nothing below runs for someone not signed in; every query carries user.scope.
    if auth.signed_in_user() is None:
        # Resolve the page the URL asks for before the sign-in form, so that after signing in a
        # deep link (/tthc?xa=...) opens that page, not the default one.
        st.navigation(PAGES + [DATA_PAGE], position="hidden")
    user = auth.require_user(is_demo_data=_is_demo_data())
    auth.account_box(user)
    officer = user.role == "data_officer"
    if data.warehouse_version() is None:
        if officer:
            return _data_page_only()
        components.no_warehouse(data.warehouse_path())
        st.stop()
    fresh = data.freshness()
    first, last = (fresh.get("months_with_data") or (None, None))
    if last is None:
        if officer:
            return _data_page_only()
        components.empty_warehouse()
        st.stop()
    sel = render_sidebar(first, last, data.unit_options(user.scope), user.scope, data.merger_date(),
                         data.reported_under(user.scope),
                         unit_labels(data.unit_options(None)) if user.scope is not None else None)
    components.set_context(components.Context(user=user, fresh=fresh, sel=sel))
    page = st.navigation(PAGES + [DATA_PAGE if officer else DATA_PAGE_REFUSED], position="sidebar")
    st.set_page_config(page_title=chrome.tab_title(page.title))
    try:
        page.run()
    except Exception:  # script-control exceptions (stop, rerun) are BaseException, not caught
        log.exception("page %s failed", page.title)
        st.error("Không hiển thị được trang này do lỗi khi tính số liệu. Hãy thử lại, hoặc báo "
                 "cán bộ quản trị dữ liệu kèm đường dẫn trang.", icon=":material/error:")


main()
