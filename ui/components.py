"""Shared Streamlit pieces: page header, KPI cards, tables with their CSV and Excel downloads, messages."""
from __future__ import annotations

import datetime as dt
import math
import numbers
import os
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import streamlit as st

from metrics.display import overview_row_kind
from ui import chrome, data, static_html
from ui.format import KIND_FORMATS, vn_date, vn_datetime, vn_int, vn_num, vn_pct
from ui.light_charts import quiet_tooltips
from ui.static_html import Card  # noqa: F401  (pages say c.Card)


# Streamlit's own element toolbar (over every table and chart: "Download as CSV", "Search",
# "Fullscreen", "Show/hide columns") speaks English, and its CSV button would bypass our download
# (Vietnamese headers and formats, formula-safe cells, the audit trail): hide it everywhere, so
# the "Tải bảng (CSV)" button under each table is the only download. Test ids checked on 1.67.
_APP_CSS = """
<style>
[data-testid="stElementToolbar"] { display: none !important; }
/* The grid's column menu (Sort ascending, Format, Autosize, Pin column, Hide column): English
   too. A click on a column heading still sorts. */
[data-testid="stDataFrameColumnMenu"] { display: none !important; }
</style>
"""


def app_style() -> None:
    """Page-wide CSS; style-only st.html takes no room on the page. Called on every run by the
    sidebar (ui.filters.render_sidebar) and again by page_header (repeating it is harmless).
    Streamlit's own English words in Vietnamese: ui.chrome."""
    st.html(_APP_CSS + chrome.words_css())


def page_header(title: str, question: str, fresh: dict, sel, period: str | None = None) -> None:
    """Title, what the page answers, how fresh the data is, the demo badge, the active filters.
    `period` replaces "Kỳ: <the sidebar period>" on a page that follows another selector
    (Cam kết: "Năm: 2025"); such a page gets no notes on chosen units out of office in the
    sidebar's period (unit_notes)."""
    app_style()
    st.title(title)
    st.caption(question)
    until = fresh.get("data_until") if fresh else None
    line = f"Dữ liệu đến ngày **{vn_date(until)}**" if until else "Chưa có dữ liệu"
    cols = st.columns([3, 1]) if fresh and fresh.get("is_demo") else [st.container()]
    own_period = period is not None
    with cols[0]:
        period = period or f"Kỳ: **{sel.period_label}**"
        st.markdown(f"{line} · {period} · Đơn vị: **{scope_text(sel)}**"
                    + (f" · Địa giới: **{sel.map_label}**" if getattr(sel, "map_label", "") else ""))
    if len(cols) > 1:
        with cols[1]:
            st.badge("Dữ liệu minh họa", icon=":material/science:", color="orange",
                     help="Số liệu tạo tự động để trình diễn, không phải số liệu thật.")
    if not own_period:   # the notes are about the sidebar's period
        unit_notes(sel)


def unit_notes(sel) -> None:
    """Under the filter line: each chosen unit that was not in office during the period
    (ui.filters.units_outside_period), with a button to what it became when there is one."""
    from ui.filters import fix_unit

    for i, note in enumerate(getattr(sel, "unit_notes", ()) or ()):
        st.info(note.text, icon=":material/history:")
        if note.action:
            st.button(note.action, key=f"unit-note-{i}", on_click=fix_unit, args=(note,),
                      icon=":material/arrow_forward:")


def scope_text(sel) -> str:
    """What the tables hold, as the header names it: the selected units; else, for a viewer
    limited to some units (a commune viewer), those units; else every unit. The kind filter
    follows ("· xã, thị trấn")."""
    if sel.unit_names:
        text = ", ".join(sel.unit_names)
    elif getattr(sel, "scope_names", None):
        text = ", ".join(sel.scope_names) + " (phạm vi tài khoản)"
    elif getattr(sel, "scope_names", None) is not None and sel.filters.scope is not None:
        text = "không có đơn vị nào (tài khoản chưa được giao đơn vị)"
    else:
        text = "tất cả đơn vị"
    if sel.kind_label != "Tất cả":
        text += f" · {sel.kind_label.lower()}"
    return text


def no_data(what: str, hint: str = "Hãy chọn kỳ báo cáo dài hơn hoặc bỏ bớt điều kiện lọc xã / loại đơn vị.") -> None:
    st.info(f"{what} {hint}", icon=":material/info:")


def kpi_cards(cards: list[Card], key: str = "kpi-cards") -> None:
    """The period's figures as cards, five a row on a laptop and two on a phone: one HTML block
    (ui.static_html: why not one st.metric each)."""
    st.html(static_html.kpi_cards(cards, key))


def _is_pct(col: str) -> bool:
    return "%" in col or col.lower().startswith("tỷ lệ")


_PLAIN_NUMBER_COLUMNS = {"Năm"}


def formatters(df: pd.DataFrame) -> dict[str, Callable]:
    """Vietnamese display format per column, from its dtype and its heading."""
    out: dict[str, Callable] = {}
    for col in df.columns:
        s = df[col]
        name = str(col)
        if name in _PLAIN_NUMBER_COLUMNS:  # a year is 2025, not 2.025
            out[col] = lambda x: "–" if pd.isna(x) else str(int(x))
        elif pd.api.types.is_datetime64_any_dtype(s):
            has_time = (s.dropna().dt.normalize() != s.dropna()).any()
            out[col] = vn_datetime if has_time else vn_date
        elif pd.api.types.is_bool_dtype(s):
            out[col] = lambda x: "Có" if x else "Không"
        elif pd.api.types.is_integer_dtype(s):
            out[col] = vn_int
        elif pd.api.types.is_float_dtype(s):
            if _is_pct(name):
                out[col] = vn_pct
            elif s.dropna().apply(lambda v: float(v).is_integer()).all() and "điểm" not in name.lower():
                out[col] = vn_int
            else:
                out[col] = vn_num
        else:
            sample = [v for v in s.dropna().head(200)]
            if not sample or any(isinstance(v, (str, bool)) for v in sample):
                continue
            if all(isinstance(v, (dt.date, dt.datetime, pd.Timestamp)) for v in sample):
                out[col] = vn_date
            elif all(isinstance(v, numbers.Number) for v in sample):
                integral = all(float(v).is_integer() for v in sample)
                out[col] = vn_int if integral and not _is_pct(name) else (vn_pct if _is_pct(name) else vn_num)
    return out


def styled(df: pd.DataFrame):
    """A Styler that shows Vietnamese numbers and dates while keeping the values typed, so
    sorting a column still sorts numbers."""
    return df.style.format(formatters(df), na_rep="–")


# Streamlit refuses to draw a styled table of more than 262.144 cells (98.780 late dossiers at
# province scale broke the page), and nobody reads a thousand rows on screen: longer lists are
# paged. DASHBOARD_MAX_ROWS lowers it (tests).
MAX_ROWS_SHOWN = int(os.environ.get("DASHBOARD_MAX_ROWS", "1000"))


def _page(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """The rows to draw: all of them, or the page chosen under the table."""
    first, last = _page_range(len(df), key)
    return df if (first, last) == (0, len(df)) else df.iloc[first:last]


def _page_range(n: int, key: str) -> tuple[int, int]:
    """Rows [first, last) of a list of n rows to draw: all of them, or the page chosen under the
    table (the page picker and the caption saying which rows are shown)."""
    if n <= MAX_ROWS_SHOWN:
        return 0, n
    pages = math.ceil(n / MAX_ROWS_SHOWN)
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    with left:
        page = st.number_input("Trang", min_value=1, max_value=pages, value=1, step=1, key=f"page-{key}")
    first = (int(page) - 1) * MAX_ROWS_SHOWN
    last = min(first + MAX_ROWS_SHOWN, n)
    with right:
        st.caption(f"Bảng có {vn_int(n)} dòng: đang xem dòng {vn_int(first + 1)}–{vn_int(last)} "
                   f"(trang {vn_int(int(page))}/{vn_int(pages)}). Tệp tải về có đủ {vn_int(n)} dòng.")
    return first, last


def table(
    df: pd.DataFrame,
    *,
    slug: str,
    sel,
    key: str,
    height: int | str = "auto",
    highlight: Callable[[pd.Series], list[str]] | None = None,
    column_config: dict | None = None,
    sty=None,
    csv_title: list[str] | tuple[str, ...] = (),
    unit_names: list[str] | None = None,
    filters=None,
    static: bool = False,
) -> None:
    """Show a table and, under it, the CSV and the Excel file of exactly that table. A table longer than
    MAX_ROWS_SHOWN is shown a page at a time; its download still holds every row.
    `static`: a short table drawn as a plain HTML table (ui.static_html.plain_table, one st.html)
    rather than the interactive grid (no sorting or scrolling, nothing to need them); the browser
    draws it at once, where the grid's code (~1.2 MB of JavaScript) has to load and run first."""
    shown = _page(df, key)
    if shown is not df:
        # A page of a long list: a Styler made for the whole table cannot be cut to it.
        sty = None
    _grid(df, shown, key=key, height=height, highlight=highlight, column_config=column_config, sty=sty,
          static=static)
    notes(df, filters or sel.filters)
    download(df, slug=slug, sel=sel, key=f"dl-{key}", title=csv_title, unit_names=unit_names, filters=filters)


def long_table(
    first_rows: Callable[[int], pd.DataFrame],
    n: int,
    *,
    full: Callable[[], pd.DataFrame],
    slug: str,
    sel,
    key: str,
    highlight: Callable[[pd.Series], list[str]] | None = None,
    column_config: dict | None = None,
    filters=None,
) -> None:
    """table() for a list that can be far longer than a screen (the late dossiers of a province
    over years: 100.000 rows and more): only the rows up to the page shown are asked for
    (`first_rows(k)`: the first k rows in the list's order), `n` is the length of the whole list
    (counted elsewhere), and the whole list (`full()`) is made only when a download is clicked."""
    first, last = _page_range(n, key)
    df = first_rows(last)
    shown = df.iloc[first:last].reset_index(drop=True) if first else df.reset_index(drop=True)
    _grid(shown, shown, key=key, height="auto", highlight=highlight, column_config=column_config, sty=None)
    notes(shown, filters or sel.filters)
    download(None, slug=slug, sel=sel, key=f"dl-{key}", filters=filters, full=full)


def plain_table(df: pd.DataFrame, *, key: str, column_config: dict | None = None) -> None:
    """A table with no download of its own under it (the page offers one that fits, e.g. a
    load's rejected rows): Vietnamese numbers and dates, "–" in an empty cell (the grid's own
    "None" otherwise), and a page at a time when longer than MAX_ROWS_SHOWN."""
    _grid(df, _page(df, key), key=key, height="auto", highlight=None, column_config=column_config, sty=None)


def _grid(df: pd.DataFrame, shown: pd.DataFrame, *, key: str, height, highlight, column_config, sty,
          static: bool = False) -> None:
    """The rows `shown` of the table `df`, formatted (the grid, or a plain table when `static`)."""
    sty = styled(shown) if sty is None else sty
    config: dict = {}
    if "Đơn vị" in df.columns:
        config["Đơn vị"] = st.column_config.Column(width="medium")
    for col, fmt in formatters(shown).items():
        if fmt is vn_date:  # the grid sizes columns from a sample; "–" rows made dates too narrow
            config[col] = st.column_config.Column(width=100)
    config.update(column_config or {})  # the page's settings win
    if highlight is not None:
        sty = sty.apply(highlight, axis=1)
    if static:
        st.html(static_html.plain_table(sty, label=f"Bảng {', '.join(map(str, shown.columns))}"))
    else:
        st.dataframe(sty, hide_index=True, width="stretch", height=height, column_config=config, key=key,
                     placeholder="–")


# Tổng quan's expanders (c.lazy_expander): their st.session_state keys, True while open.
OVERVIEW_TABLE_EXPANDER, OVERVIEW_TREND_EXPANDER = "mo-bang-chi-tieu", "mo-bang-theo-thang"
HEATMAP_TABLE_EXPANDER = "mo-bang-diem-theo-thang"   # Xếp hạng đơn vị


def lazy_expander(label: str, key: str, draw: Callable[[], None]) -> None:
    """An expander whose content is computed and sent to the browser only while it is open.

    Collapsed (the default) it costs the page nothing: no query, no table drawn in the browser.
    Opening it reruns only this part of the page (a fragment), which then draws `draw()` inside;
    it stays open across filter changes (its state is st.session_state[key]) and shows then the
    new selection's content, as a plain expander would."""

    @st.fragment
    def _part() -> None:
        box = st.expander(label, key=key, on_change="rerun")
        if box.open:
            with box:
                draw()

    _part()


def law_caption(filters) -> None:
    """Under a table or cards showing classifications: the law they were made under (both laws
    for a period across 01/01/2026); its CSV title has the same line."""
    from metrics.tables import law_line

    line = law_line(data.classification_laws(filters))
    if line:
        st.caption(f":material/gavel: {line}")


RANK_AMONG_CHOSEN = ("Thứ hạng chỉ tính trong các đơn vị đã chọn ở bộ lọc, không phải trong tất cả đơn vị; "
                     "để xem thứ hạng chung, bỏ chọn ở ô “Xã, thị trấn / đơn vị”.")


def rank_among_chosen(filters) -> None:
    """Under a ranking when units are chosen in the sidebar: its ranks are among those units (one
    chosen unit is "Hạng 1"), not among all. A scoped viewer's ranking is the public one, which
    ignores the choice (metrics.tables.ranking): nothing to say."""
    if filters.units and filters.scope is None:
        st.caption(f":material/filter_alt: {RANK_AMONG_CHOSEN}")


def notes(df: pd.DataFrame | None, filters) -> None:
    """Under a table: the notes of the units it names (a successor formed partly from units
    outside this warehouse, docs/map.md); the same lines are in its CSV title."""
    for note in data.notes(filters, df):
        st.caption(f":material/info: Ghi chú: {note}")


def download(df: pd.DataFrame | None, *, slug: str, sel, key: str, label: str = "Tải bảng (CSV)",
             title: list[str] | tuple[str, ...] = (), unit_names: list[str] | None = None,
             filters=None, full: Callable[[], pd.DataFrame] | None = None) -> None:
    """The CSV and the Excel file of `df`, or of `full()`, made only when a button is clicked."""
    from access import audit

    filters = filters or sel.filters
    file_name = data.csv_name(slug, filters, sel.unit_names if unit_names is None else unit_names)
    # The title lines the CLI writes too (metrics.tables.csv_title): given for Biểu 06, else the
    # map line and the notes of the units the table names.
    if full is None:
        title = list(title) if title else data.csv_title("", filters, df)

        def rows_and_title() -> tuple[pd.DataFrame, list[str]]:
            return df, title
    else:
        def rows_and_title() -> tuple[pd.DataFrame, list[str]]:
            whole = full()
            return whole, (list(title) if title else data.csv_title("", filters, whole))

    def csv() -> bytes:
        rows, head = rows_and_title()
        return data.csv_bytes(rows, title=head)

    def xlsx() -> bytes:
        rows, head = rows_and_title()
        return data.xlsx_bytes(rows, title=head, sheet=slug)

    ctx = st.session_state.get(_CTX_KEY)
    st.download_button(
        label,
        # Produced when clicked, and recorded in the audit trail then (docs/access.md).
        data=audit.tracked_download(csv,
                                    getattr(ctx.user, "username", None) if ctx else None, file_name,
                                    {"table": slug}),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=key,
    )
    # The same table as .xlsx: numbers typed, so an English-locale Excel reads them as numbers too
    # (the CSV's decimal commas are text there).
    xlsx_name = data.xlsx_name(slug, filters or sel.filters, sel.unit_names if unit_names is None else unit_names)
    st.download_button(
        label.replace("(CSV)", "(Excel)") if "(CSV)" in label else f"{label} (Excel)",
        data=audit.tracked_download(xlsx,
                                    getattr(ctx.user, "username", None) if ctx else None, xlsx_name,
                                    {"table": slug}),
        file_name=xlsx_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        on_click="ignore",
        key="xl-" + key.removeprefix("dl-"),
    )


# No plotly modebar: its icons (English tooltips) sat on the legend and the title on a phone.
# Hover still shows the numbers; every chart has its table and CSV under it.
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False, "locale": "vi", "scrollZoom": False}


def chart(fig, key: str, title: str | None = None) -> None:
    if title:
        st.markdown(f"**{title}**")
    st.plotly_chart(fig, width="stretch", key=key, config=CHART_CONFIG)


def light_chart(spec: dict | None, key: str, title: str | None = None, empty: str = "Không có dữ liệu") -> None:
    """A Vega-Lite chart of ui.light_charts (no Plotly to load in the browser); `empty` in its
    place when the builder had nothing to draw (None)."""
    if title:
        st.markdown(f"**{title}**")
    if spec is None:
        st.caption(empty)
        return
    st.vega_lite_chart(quiet_tooltips(spec), width="stretch", theme=None, key=key)


# -- the per-run context dashboard.py hands to the pages -----------------------------------------

@dataclass(frozen=True)
class Context:
    user: object
    fresh: dict
    sel: object     # ui.filters.Selection


_CTX_KEY = "_page_context"


def set_context(ctx: Context) -> None:
    st.session_state[_CTX_KEY] = ctx


def context() -> Context:
    ctx = st.session_state.get(_CTX_KEY)
    if ctx is None:  # a page run without dashboard.py: nothing sensible to show
        st.error("Hãy mở bảng điều khiển từ trang chính (dashboard.py).")
        st.stop()
    return ctx


def no_warehouse(path) -> None:
    st.title("Bảng điều khiển văn hóa công sở")
    st.warning(
        f"Chưa có kho dữ liệu tại `{path}`.\n\n"
        "Cách tạo:\n"
        "- Dữ liệu minh họa: chạy `make run` (tạo kho dữ liệu mẫu rồi mở bảng điều khiển).\n"
        "- Dữ liệu thật: nạp tệp xuất từ hệ thống một cửa bằng `python -m etl load TÊN_TỆP`.\n\n"
        "Sau khi nạp xong, tải lại trang này.",
        icon=":material/database:",
    )


def empty_warehouse() -> None:
    st.title("Bảng điều khiển văn hóa công sở")
    st.info(
        "Kho dữ liệu đã có nhưng chưa có số liệu nào (hồ sơ TTHC, đánh giá, cam kết). "
        "Nạp dữ liệu bằng `python -m etl load TÊN_TỆP` rồi tải lại trang.",
        icon=":material/info:",
    )


def overview_styler(df: pd.DataFrame):
    """The overview table (Chỉ tiêu, Kỳ này, Kỳ trước, Thay đổi): each row is a count, a rate or
    a score, so the format is chosen per row from its label. One format call per kind of row,
    not per row: each Styler.format costs ~3 ms and the table has 15 rows."""
    values = ["Kỳ này", "Kỳ trước"]
    sty = df.style
    groups: dict[str, list] = {}
    for idx, label in zip(df.index, df["Chỉ tiêu"]):
        kind = overview_row_kind(label)
        if kind == "num" and "điểm" in str(label).lower():
            kind = "score"
        groups.setdefault(kind, []).append(idx)
    for kind, rows in groups.items():
        fmt, diff = KIND_FORMATS[kind]
        sty = sty.format(fmt, subset=pd.IndexSlice[rows, values], na_rep="–")
        sty = sty.format(diff, subset=pd.IndexSlice[rows, ["Thay đổi"]], na_rep="–")
    return sty


def period_text(filters) -> str:
    """'01/10/2021 – 31/12/2021'."""
    return f"{vn_date(filters.date_from)} – {vn_date(filters.date_to)}"
