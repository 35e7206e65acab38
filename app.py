"""The server: the dashboard script (dashboard.py) plus the HTTP routes that set and clear the
sign-in cookie (access.web), which a Streamlit script cannot do itself.

    streamlit run app.py        (what `make run` does; the usual --server.* options apply)

`streamlit run dashboard.py` still serves the dashboard, but without these routes a sign-in
lasts only as long as the browser tab's session (docs/access.md).
"""
import streamlit as st

from access import web
from ui.url import PAGE_PATHS

app = st.App("dashboard.py", routes=web.routes(PAGE_PATHS.values()))
