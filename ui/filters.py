"""The one sidebar filter set shared by every page.

URL state (ui/url.py): the widgets are drawn by dashboard.py before st.navigation, so they exist
on every page and keep their values across page switches; their values are written to the URL on
every run, so a copied link reproduces the view:
  ?tu=2022-01&den=2022-03&xa=xa-phuoc-hau,tt-phuoc-dan&loai=commune&ban_do=moi
Without tu/den the period is the latest month that has data (not the calendar month). Without
ban_do the map ("Địa giới") is "Như thời điểm phát sinh"; ban_do=moi is "Theo xã mới"
(docs/map.md).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ui import url
from ui.format import month_end, month_key, month_range, parse_month_key, period_label, vn_date, vn_month

KIND_LABELS = {
    "all": "Tất cả",
    "commune": "Xã, thị trấn",
    "department": "Phòng ban chuyên môn",
    "service_unit": "Đơn vị sự nghiệp",
    "association": "Hội, đoàn thể",
}
KIND_ORDER = {"commune": 0, "department": 1, "service_unit": 2, "association": 3}

QUICK_MONTH, QUICK_QUARTER, QUICK_YEAR, QUICK_ALL = "thang", "quy", "nam", "tat-ca"
# Across the 2025 reform: the year of the merger, the movement's period of report 176 (2019–2025:
# from 07/2019, the first month the movement's data covers, to 12/2025, each clipped to the months
# with data), and the months since the merger.
QUICK_YEAR_2025, QUICK_MOVEMENT, QUICK_SINCE_MERGER = "nam-2025", "2019-2025", "sap-nhap"
MOVEMENT = (dt.date(2019, 7, 1), dt.date(2025, 12, 1))

# Query-parameter names (short, readable, stable: they are in links people share).
P_FROM, P_TO, P_UNITS, P_KIND, P_MAP = "tu", "den", "xa", "loai", "ban_do"
# The map in the URL: nothing = "asis" (the default), ban_do=moi = "new".
MAP_IN_URL = {"asis": None, "new": "moi"}
_MAP_FROM_URL = {"moi": "new", "new": "new", "cu": "asis", "asis": "asis"}


@dataclass(frozen=True)
class Selection:
    """What the sidebar chose, ready for the pages."""

    filters: object                 # metrics.filters.Filters
    unit_names: list[str]           # display names of the chosen units ([] = all)
    kind_label: str
    period_label: str
    first_month: dt.date
    last_month: dt.date
    scope_names: list[str] = ()     # a scoped viewer's own units (named as people know them); () = no scope
    map_label: str = ""             # "Địa giới" as chosen
    merger: dt.date | None = None   # first day of the new communes (01/07/2025), None if no merger
    unit_notes: tuple = ()          # UnitNote: chosen units not in office during the period


@dataclass(frozen=True)
class UnitNote:
    """A chosen unit that was not in office at any day of the period, so every page would show
    nothing for it (an old commune in a link shared before the 2025 merger, a district department
    after 30/06/2025); what to do instead."""
    text: str                                # Vietnamese, markdown
    action: str | None = None                # the button's label; None = no one-click fix
    replace: tuple[str, str] | None = None   # (unit, its successor) to swap in the selection
    months: tuple[str, str] | None = None    # (from, to) month keys: the period to show instead


def units_outside_period(units: pd.DataFrame, chosen, start: dt.date, end: dt.date,
                         reported_under: dict[str, str] | None, labels: dict[str, str],
                         period: str, assigned: bool = False, first: dt.date | None = None,
                         last: dt.date | None = None) -> list[UnitNote]:
    """Notes for the chosen units whose validity (units.valid_from / valid_to) lies wholly
    before or after the period [start, end]. A unit that ended with a successor (reported_under,
    the new map's rule) offers to show the successor. A new commune chosen before its first day
    is not named: on either map it holds its predecessors' rows (metrics' lineage). Units are named as
    the sidebar names them (`labels`), without the validity the sentence states; `units` is in
    Vietnamese order (metrics' unit_options); `period` as the header names the period.

    assigned=True: `chosen` is a commune viewer's scope (nothing picked in the sidebar), which the
    viewer cannot change: the note says so and names the unit to ask the administrator for
    (`labels` then also names units outside the scope); a unit whose successor is in the scope
    too is not named (the successor's rows are shown).

    When no other unit can be offered (a department without a successor, a viewer's own old
    commune), the note offers the period of the same length that the unit was in office at its
    end (ended) or start (started later), within the months with data `first`..`last`."""
    from metrics.display import VALIDITY_SUFFIX

    def plain(label: str) -> str:   # the dates are in the sentence
        return VALIDITY_SUFFIX.sub("", label)

    under = reported_under or {}
    rows = {r.unit_id: r for r in units.itertuples(index=False)}
    n_months = (end.year - start.year) * 12 + end.month - start.month + 1
    notes = []
    for unit in chosen:
        row = rows.get(unit)
        if row is None:
            continue
        name = plain(labels.get(unit, unit))
        until = None if pd.isna(row.valid_to) else pd.Timestamp(row.valid_to).date()
        since = None if pd.isna(row.valid_from) else pd.Timestamp(row.valid_from).date()
        nothing = f"Kỳ {period} không có số liệu của đơn vị này."
        subject = f"Tài khoản được giao **{name}**" if assigned else f"**{name}**"
        comma = "," if assigned else ""
        if until is not None and until < start:
            successor = under.get(unit, unit)
            other = labels.get(successor)
            if successor == unit:
                notes.append(_with_period(f"{subject}{comma} hoạt động đến {vn_date(until)}. {nothing}",
                                          _months_ending(until, n_months, first)))
                continue
            if assigned and successor in chosen:        # the successor's rows are shown
                continue
            text = (f"{subject} cũ{comma} hoạt động đến {vn_date(until)}, sau đó sáp nhập vào "
                    + (f"**{plain(other)}** mới. {nothing}" if other else f"đơn vị mới. {nothing}"))
            if successor in rows and not assigned:      # the viewer may pick it: one tap
                notes.append(UnitNote(text, f"Xem {other}", replace=(unit, successor)))
                continue
            if other and successor not in rows:         # outside the account's scope
                text += (f" Để xem xã mới (gồm cả số liệu các xã cũ sáp nhập vào), đề nghị người quản trị "
                         f"giao **{other}** cho tài khoản.")
            notes.append(_with_period(text, _months_ending(until, n_months, first)))
        elif since is not None and since > end and not any(u != unit and under.get(u) == unit for u in rows):
            # (a new commune chosen before its first day holds its predecessors' rows: lineage)
            notes.append(_with_period(f"{subject}{comma} hoạt động từ {vn_date(since)}. {nothing}",
                                      _months_starting(since, n_months, last)))
    return notes


def _months_ending(until: dt.date, n: int, first: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The n months up to until's month, from the first month with data on; None if it is later."""
    end = dt.date(until.year, until.month, 1)
    if first is None or end < first:
        return None
    return max(_add_months(end, 1 - n), dt.date(first.year, first.month, 1)), end


def _months_starting(since: dt.date, n: int, last: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The n months from since's month, up to the latest month with data; None if it is earlier."""
    start = dt.date(since.year, since.month, 1)
    if last is None or start > last:
        return None
    return start, min(_add_months(start, n - 1), dt.date(last.year, last.month, 1))


def _add_months(d: dt.date, n: int) -> dt.date:
    k = d.year * 12 + d.month - 1 + n
    return dt.date(k // 12, k % 12 + 1, 1)


def _with_period(text: str, months: tuple[dt.date, dt.date] | None) -> UnitNote:
    if months is None:
        return UnitNote(text)
    return UnitNote(text, f"Xem kỳ {period_label(*months)}", months=(month_key(months[0]), month_key(months[1])))


def fix_unit(note: UnitNote) -> None:
    """Button callback: what a UnitNote offers (before the rerun draws the sidebar)."""
    if note.replace:
        old, new = note.replace
        chosen = [new if u == old else u for u in st.session_state.get(P_UNITS) or []]
        st.session_state[P_UNITS] = list(dict.fromkeys(chosen))
    if note.months:
        st.session_state[P_FROM], st.session_state[P_TO] = note.months


def quick_range(pick: str, first: dt.date, last: dt.date,
                merger: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Month range of a quick pick, relative to the latest month with data (not today), clipped
    to the months with data."""
    first = dt.date(first.year, first.month, 1)
    last = dt.date(last.year, last.month, 1)
    end = last
    if pick == QUICK_MONTH:
        start = last
    elif pick == QUICK_QUARTER:
        start = dt.date(last.year, 3 * ((last.month - 1) // 3) + 1, 1)
    elif pick == QUICK_YEAR:
        start = dt.date(last.year, 1, 1)
    elif pick == QUICK_YEAR_2025:
        start, end = dt.date(2025, 1, 1), min(last, dt.date(2025, 12, 1))
    elif pick == QUICK_MOVEMENT:
        start, end = MOVEMENT[0], min(last, MOVEMENT[1])
    elif pick == QUICK_SINCE_MERGER and merger is not None:
        start = dt.date(merger.year, merger.month, 1)
    else:
        start = first
    start = max(start, first)
    return min(start, end), end


def quick_picks(first: dt.date, last: dt.date, merger: dt.date | None) -> dict[str, str]:
    """The quick picks that make sense for the months with data: "Năm 2025" replaces "Năm nay"
    when the latest data is of 2025; "Giai đoạn 2019–2025" when the data reaches into it (and
    replaces "Cả giai đoạn" when both are the same months); "Từ khi sáp nhập" once data exists
    after the merger."""
    picks = {QUICK_MONTH: "Tháng này", QUICK_QUARTER: "Quý này"}
    if last.year != 2025:
        picks[QUICK_YEAR] = "Năm nay"
    if first <= dt.date(2025, 12, 31) and last >= dt.date(2025, 1, 1):
        picks[QUICK_YEAR_2025] = "Năm 2025"
    movement = None
    if first <= MOVEMENT[1] and last >= MOVEMENT[0]:
        movement = quick_range(QUICK_MOVEMENT, first, last)
        picks[QUICK_MOVEMENT] = "Giai đoạn 2019–2025"
    if movement != quick_range(QUICK_ALL, first, last):
        picks[QUICK_ALL] = f"Cả giai đoạn {first.year}–{last.year}"
    if merger is not None and last >= dt.date(merger.year, merger.month, 1):
        picks[QUICK_SINCE_MERGER] = f"Từ khi sáp nhập ({vn_month(merger)}) đến nay"
    return picks


def unit_labels(units: pd.DataFrame) -> dict[str, str]:
    """unit_id -> name as people know it; two units sharing a name get their validity as the
    tables and the account box write it, "(đến 30/06/2025)" / "(từ 01/07/2025)" (metrics'
    unit_options already gives such names; a frame with plain shared names gets them here)."""
    labels = dict(zip(units["unit_id"], units["name"]))
    shared = units[units["name"].duplicated(keep=False)]   # only these need a validity
    for row in shared.itertuples(index=False):
        if pd.notna(row.valid_to):
            labels[row.unit_id] = f"{row.name} (đến {vn_date(row.valid_to)})"
        elif pd.notna(row.valid_from):
            labels[row.unit_id] = f"{row.name} (từ {vn_date(row.valid_from)})"
    return labels


def plain_labels(labels: dict[str, str]) -> dict[str, str]:
    """Labels without their "(từ …)" / "(đến …)" where no other label then reads the same (on
    the new map the old namesake is not offered: "Xã Phước Hậu", not "… (từ 01/07/2025)")."""
    from metrics.display import VALIDITY_SUFFIX

    plain = {u: VALIDITY_SUFFIX.sub("", name) for u, name in labels.items()}
    counts = pd.Series(list(plain.values())).value_counts()
    return {u: (plain[u] if counts[plain[u]] == 1 else labels[u]) for u in labels}


def ordered_units(units: pd.DataFrame) -> list[str]:
    """Communes first, then departments, service units, associations; Vietnamese order within
    each kind (unit_options already returns Vietnamese order; the sort is stable)."""
    ranked = units.assign(_k=units["kind"].map(KIND_ORDER).fillna(9))
    return list(ranked.sort_values("_k", kind="stable")["unit_id"])


def _apply_quick(first: dt.date, last: dt.date, merger: dt.date | None = None) -> None:
    pick = st.session_state.get("_quick")
    if not pick:
        return
    start, end = quick_range(pick, first, last, merger)
    st.session_state[P_FROM] = month_key(start)
    st.session_state[P_TO] = month_key(end)
    st.session_state["_quick"] = None


def _reset(last: dt.date) -> None:
    st.session_state[P_FROM] = month_key(last)
    st.session_state[P_TO] = month_key(last)
    st.session_state[P_UNITS] = []
    st.session_state[P_KIND] = "all"
    st.session_state[P_MAP] = "asis"


def _nearest_month(raw: str, months: list[str]) -> str:
    """A "yyyy-mm" of the URL, moved into [months[0], months[-1]] (keys sort as months do)."""
    raw = raw.strip()
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", raw):
        raise ValueError(raw)
    return min(max(raw, months[0]), months[-1])


def _map_from_url(raw: str) -> str:
    return _MAP_FROM_URL[raw.strip().lower()]


def render_sidebar(first: dt.date, last: dt.date, units: pd.DataFrame, scope,
                   merger: dt.date | None = None, reported_under: dict[str, str] | None = None,
                   names: dict[str, str] | None = None) -> Selection:
    """Draw the filters in the sidebar and return the selection. `first`/`last`: the first and
    latest months with data; `units`: metrics unit_options (already restricted to the scope);
    `merger`: the first day of the new communes (metrics.tables.merger_date), None without one;
    `reported_under`: unit_id -> the unit it counts under on the new map
    (metrics.tables.reported_under): on that map only those units can be picked, and a unit
    picked before (an old commune) becomes its successor. `names`: unit_id -> name as people know
    it (unit_labels) of units outside a scope, to name what a scope's old commune became."""
    from metrics.filters import MAP_LABELS, MAPS, Filters
    from ui.components import app_style

    app_style()  # every page (Dữ liệu too) runs this sidebar: the one place for page-wide CSS
    months = [month_key(m) for m in month_range(first, last)]
    default = month_key(last)
    labels = unit_labels(units)
    unit_ids = ordered_units(units)

    # Session state first (from the URL on a session's first run), then widgets without defaults.
    # A shared link's month outside the data (a link made before a load, or typed) is the nearest
    # month with data, not the latest one: ?tu=2015-01&den=2024-12 is "from the first month to
    # 12/2024", not 12/2024 – 12/2025 after the sidebar swapped the two.
    url.init_state(P_FROM, months, default, parse=lambda raw: _nearest_month(raw, months))
    url.init_state(P_TO, months, default, parse=lambda raw: _nearest_month(raw, months))
    url.init_state(P_UNITS, unit_ids, [], many=True)
    url.init_state(P_KIND, list(KIND_LABELS), "all")
    url.init_state(P_MAP, list(MAPS), "asis", parse=_map_from_url)
    if st.session_state.get(P_MAP) == "new" and reported_under:
        # On the new map an old commune is not a row of any table: offer the units rows are
        # reported under, and carry a choice made on the other map over to its successor.
        unit_ids = [u for u in unit_ids if reported_under.get(u, u) == u]
        labels = plain_labels({u: labels.get(u, u) for u in unit_ids})
        chosen = [reported_under.get(u, u) for u in st.session_state.get(P_UNITS) or []]
        st.session_state[P_UNITS] = [u for u in dict.fromkeys(chosen) if u in unit_ids]

    with st.sidebar:
        st.markdown("**Bộ lọc**")
        quick = quick_picks(first, last, merger)
        st.pills(
            "Chọn nhanh kỳ báo cáo",
            list(quick),
            format_func=quick.get,
            key="_quick",
            on_change=_apply_quick,
            args=(first, last, merger),
            help=f"Tính từ tháng có dữ liệu mới nhất ({vn_month(last)}). “Giai đoạn 2019–2025”: "
                 f"07/2019 – 12/2025, trong các tháng có dữ liệu.",
        )
        c1, c2 = st.columns(2)
        with c1:
            tu = st.selectbox("Từ tháng", months, format_func=vn_month, key=P_FROM, placeholder="Chọn tháng")
        with c2:
            den = st.selectbox("Đến tháng", months, format_func=vn_month, key=P_TO, placeholder="Chọn tháng")
        ban_do = st.radio(
            "Địa giới", list(MAPS), format_func=MAP_LABELS.get, key=P_MAP,
            help="Như thời điểm phát sinh: mỗi số liệu tính cho đơn vị lúc phát sinh (xã cũ đến "
                 "30/06/2025, xã mới từ 01/07/2025). Theo xã mới: số liệu của các xã cũ đã sáp nhập "
                 "được cộng vào xã mới, để so sánh các xã mới trên cả giai đoạn.",
        )
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

    ban_do = ban_do if ban_do in MAPS else "asis"
    url.write({P_FROM: tu, P_TO: den, P_UNITS: list(xa or ()),
               P_KIND: None if loai in (None, "all") else loai, P_MAP: MAP_IN_URL[ban_do]})

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
        map=ban_do,
    )
    return Selection(
        filters=filters,
        unit_names=[labels.get(u, u) for u in (xa or ())],
        kind_label=KIND_LABELS.get(loai or "all", "Tất cả"),
        period_label=period_label(start, end),
        first_month=first,
        last_month=last,
        scope_names=scope_names(scope, units, labels),
        map_label=MAP_LABELS[ban_do],
        merger=merger,
        unit_notes=tuple(units_outside_period(units, xa or (scope or ()), start, month_end(end), reported_under,
                                              {**(names or {}), **labels}, period_label(start, end),
                                              assigned=not xa and bool(scope), first=first, last=last)),
    )


def scope_names(scope, units: pd.DataFrame, labels: dict[str, str]) -> list[str]:
    """A scoped viewer's own units as people know them: the scope's units (not the predecessors
    the lineage adds); [] without a scope."""
    if scope is None:
        return []
    return [labels.get(u, u) for u in scope if u in labels]


def trend_window(filters, first_month: dt.date, months: int = 12):
    """The filters for a monthly trend: the selected period, widened to at least `months` months
    ending with its last month (a one-month period has no trend), not before the first data."""
    from dataclasses import replace

    end = dt.date(filters.date_to.year, filters.date_to.month, 1)
    index = end.year * 12 + end.month - 1 - (months - 1)
    start = dt.date(index // 12, index % 12 + 1, 1)
    start = max(min(start, filters.date_from), dt.date(first_month.year, first_month.month, 1))
    return replace(filters, date_from=min(start, filters.date_from))
