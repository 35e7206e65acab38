"""The one sidebar filter set shared by every page.

URL state (ui/url.py): the widgets are drawn by dashboard.py before st.navigation, so they exist
on every page and keep their values across page switches; their values are written to the URL on
every run, so a copied link reproduces the view:
  ?tu=2022-01&den=2022-03&xa=xa-phuoc-hau,tt-phuoc-dan&loai=commune
Without tu/den the period is the latest month that has data (not the calendar month).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ui import url
from ui.format import month_end, month_key, month_range, parse_month_key, period_label, vn_month

KIND_LABELS = {
    "all": "Tất cả",
    "commune": "Xã, thị trấn",
    "department": "Phòng ban chuyên môn",
    "service_unit": "Đơn vị sự nghiệp",
    "association": "Hội, đoàn thể",
}
KIND_ORDER = {"commune": 0, "department": 1, "service_unit": 2, "association": 3}

QUICK_MONTH, QUICK_QUARTER, QUICK_YEAR, QUICK_ALL = "thang", "quy", "nam", "tat-ca"

# Query-parameter names (short, readable, stable: they are in links people share).
P_FROM, P_TO, P_UNITS, P_KIND = "tu", "den", "xa", "loai"


@dataclass(frozen=True)
class Selection:
    """What the sidebar chose, ready for the pages."""

    filters: object                 # metrics.filters.Filters
    unit_names: list[str]           # display names of the chosen units ([] = all)
    kind_label: str
    period_label: str
    first_month: dt.date
    last_month: dt.date


def quick_range(pick: str, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """Month range of a quick pick, relative to the latest month with data (not today)."""
    last = dt.date(last.year, last.month, 1)
    if pick == QUICK_MONTH:
        start = last
    elif pick == QUICK_QUARTER:
        start = dt.date(last.year, 3 * ((last.month - 1) // 3) + 1, 1)
    elif pick == QUICK_YEAR:
        start = dt.date(last.year, 1, 1)
    else:
        start = first
    return max(start, dt.date(first.year, first.month, 1)), last


def unit_labels(units: pd.DataFrame) -> dict[str, str]:
    """unit_id -> name as people know it; two units sharing a name get their validity."""
    counts = units["name"].value_counts()
    labels = {}
    for row in units.itertuples(index=False):
        label = row.name
        if counts.get(row.name, 0) > 1:
            if pd.notna(row.valid_to):
                label = f"{row.name} (đến {vn_month(row.valid_to)})"
            elif pd.notna(row.valid_from):
                label = f"{row.name} (từ {vn_month(row.valid_from)})"
        labels[row.unit_id] = label
    return labels


def ordered_units(units: pd.DataFrame) -> list[str]:
    """Communes first, then departments, service units, associations; Vietnamese order within
    each kind (unit_options already returns Vietnamese order; the sort is stable)."""
    ranked = units.assign(_k=units["kind"].map(KIND_ORDER).fillna(9))
    return list(ranked.sort_values("_k", kind="stable")["unit_id"])


def _apply_quick(first: dt.date, last: dt.date) -> None:
    pick = st.session_state.get("_quick")
    if not pick:
        return
    start, end = quick_range(pick, first, last)
    st.session_state[P_FROM] = month_key(start)
    st.session_state[P_TO] = month_key(end)
    st.session_state["_quick"] = None


def _reset(last: dt.date) -> None:
    st.session_state[P_FROM] = month_key(last)
    st.session_state[P_TO] = month_key(last)
    st.session_state[P_UNITS] = []
    st.session_state[P_KIND] = "all"


def render_sidebar(first: dt.date, last: dt.date, units: pd.DataFrame, scope) -> Selection:
    """Draw the filters in the sidebar and return the selection. `first`/`last`: the first and
    latest months with data; `units`: metrics unit_options (already restricted to the scope)."""
    from metrics.filters import Filters
    from ui.components import app_style

    app_style()  # every page (Dữ liệu too) runs this sidebar: the one place for page-wide CSS
    months = [month_key(m) for m in month_range(first, last)]
    default = month_key(last)
    labels = unit_labels(units)
    unit_ids = ordered_units(units)

    # Session state first (from the URL on a session's first run), then widgets without defaults.
    url.init_state(P_FROM, months, default)
    url.init_state(P_TO, months, default)
    url.init_state(P_UNITS, unit_ids, [], many=True)
    url.init_state(P_KIND, list(KIND_LABELS), "all")

    with st.sidebar:
        st.markdown("**Bộ lọc**")
        quick = {
            QUICK_MONTH: "Tháng này",
            QUICK_QUARTER: "Quý này",
            QUICK_YEAR: "Năm nay",
            QUICK_ALL: f"Cả giai đoạn {first.year}–{last.year}",
        }
        st.pills(
            "Chọn nhanh kỳ báo cáo",
            list(quick),
            format_func=quick.get,
            key="_quick",
            on_change=_apply_quick,
            args=(first, last),
            help=f"Tính từ tháng có dữ liệu mới nhất ({vn_month(last)}).",
        )
        c1, c2 = st.columns(2)
        with c1:
            tu = st.selectbox("Từ tháng", months, format_func=vn_month, key=P_FROM, placeholder="Chọn tháng")
        with c2:
            den = st.selectbox("Đến tháng", months, format_func=vn_month, key=P_TO, placeholder="Chọn tháng")
        xa = st.multiselect(
            "Xã, thị trấn / đơn vị",
            unit_ids,
            format_func=lambda u: labels.get(u, u),
            key=P_UNITS,
            placeholder="Tất cả",
            select_all=False,  # "Select all" (English) would mean the same as leaving it empty
            help="Để trống để xem tất cả. Chọn xã mới (từ 07/2025) gồm cả số liệu của các xã cũ sáp nhập vào.",
        )
        loai = st.selectbox("Loại đơn vị", list(KIND_LABELS), format_func=KIND_LABELS.get, key=P_KIND,
                            placeholder="Chọn loại đơn vị")
        st.button("Đặt lại bộ lọc", on_click=_reset, args=(last,), width="stretch")

    url.write({P_FROM: tu, P_TO: den, P_UNITS: list(xa or ()),
               P_KIND: None if loai in (None, "all") else loai})

    start, end = parse_month_key(tu or default), parse_month_key(den or default)
    if start > end:
        start, end = end, start
        st.sidebar.caption("“Từ tháng” sau “Đến tháng”: đã đổi chỗ hai tháng.")
    kinds = () if loai in (None, "all") else (loai,)
    filters = Filters(
        date_from=start,
        date_to=month_end(end),
        units=tuple(xa or ()),
        kinds=kinds,
        scope=scope,
    )
    return Selection(
        filters=filters,
        unit_names=[labels.get(u, u) for u in (xa or ())],
        kind_label=KIND_LABELS.get(loai or "all", "Tất cả"),
        period_label=period_label(start, end),
        first_month=first,
        last_month=last,
    )


def trend_window(filters, first_month: dt.date, months: int = 12):
    """The filters for a monthly trend: the selected period, widened to at least `months` months
    ending with its last month (a one-month period has no trend), not before the first data."""
    from dataclasses import replace

    end = dt.date(filters.date_to.year, filters.date_to.month, 1)
    index = end.year * 12 + end.month - 1 - (months - 1)
    start = dt.date(index // 12, index % 12 + 1, 1)
    start = max(min(start, filters.date_from), dt.date(first_month.year, first_month.month, 1))
    return replace(filters, date_from=min(start, filters.date_from))
