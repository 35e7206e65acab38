"""Filters in the URL, so a copied link reproduces the view.

Streamlit's own binding (bind="query-params") writes a selectbox's *label* into the URL
(tu=04%2F2025 for the month 2025-04), so the links are built here instead:
  ?tu=2022-01&den=2022-03&xa=xa-phuoc-hau,tt-phuoc-dan&loai=commune
The widgets keep their values in st.session_state; the first run of a browser session reads the
URL into it, and every run writes the current values back (Streamlit clears the query string on
a page switch; the entry script runs on every page, so the URL is restored on the new page).
"""
from __future__ import annotations

from typing import Callable, Iterable

import streamlit as st

# The url path of every page (dashboard.py builds its navigation with them; "" is the default
# page). app.py hands them to access.web: after signing in, only these paths are followed.
PAGE_PATHS = {
    "overview": "",
    "overview_by_name": "tong-quan",
    "ranking": "xep-hang",
    "dossiers": "tthc",
    "commitments": "cam-ket",
    "evidence": "van-hoa-cong-so",
    "report": "bao-cao",
    "data": "du-lieu",
}


def read(key: str) -> str | None:
    """The raw value of a query parameter (the last one if repeated), or None."""
    try:
        values = st.query_params.get_all(key)
    except Exception:  # noqa: BLE001 - a malformed URL must not break the page
        return None
    return values[-1] if values else None


def read_list(key: str) -> list[str]:
    """A list parameter, accepting both xa=a,b and xa=a&xa=b."""
    out: list[str] = []
    for value in st.query_params.get_all(key):
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return list(dict.fromkeys(out))


def init_state(key: str, options: list, default, *, parse: Callable[[str], object] = str,
               many: bool = False) -> None:
    """Put a valid value for widget `key` into session state before the widget is drawn: the
    value already there if still valid, else the URL's if valid, else `default`."""
    valid = set(options)
    if key in st.session_state:
        current = st.session_state[key]
        if many:
            kept = [v for v in (current or []) if v in valid]
            if kept != list(current or []):
                st.session_state[key] = kept
            return
        if current in valid:
            return
        st.session_state[key] = default
        return
    if many:
        parsed = []
        for raw in read_list(key):
            try:
                value = parse(raw)
            except (TypeError, ValueError):
                continue
            if value in valid:
                parsed.append(value)
        st.session_state[key] = parsed if parsed else list(default or [])
        return
    raw = read(key)
    value = default
    if raw is not None:
        try:
            candidate = parse(raw)
        except (TypeError, ValueError):
            candidate = None
        if candidate in valid:
            value = candidate
    st.session_state[key] = value


def write(params: dict[str, str | Iterable[str] | None]) -> None:
    """Set these query parameters (None or empty removes one), leaving the others alone.
    Only touches the URL when something changes."""
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value) or None
        current = st.query_params.get_all(key)
        if value is None:
            if current:
                del st.query_params[key]
        elif current != [str(value)]:
            st.query_params[key] = str(value)
