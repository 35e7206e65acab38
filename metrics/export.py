"""CSV exactly as the user downloads it (no streamlit here, so the CLI writes the same bytes)."""
from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime
from typing import Sequence

import numpy as np
import pandas as pd

from etl.text import fold, unit_key

from .filters import Filters

# Cells Excel would run as a formula (OWASP "CSV injection"); tab / CR too.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _float(x: float) -> str:
    # +0.0 turns -0.0 into 0.0 so a rounding to zero never prints "-0,0".
    return f"{round(x, 1) + 0.0:.1f}".replace(".", ",")


def _cell(v) -> str:
    """One value of an object column."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "Có" if v else "Không"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return "" if math.isnan(v) else _float(float(v))
    if isinstance(v, (datetime, pd.Timestamp, np.datetime64)):
        return pd.Timestamp(v).strftime("%d/%m/%Y %H:%M")
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    return _neutralise(str(v))


def _column(s: pd.Series) -> list[str]:
    """Format a whole column; the common typed cases avoid per-cell type dispatch."""
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return [_cell(v) for v in s.astype(object)]
    if pd.api.types.is_integer_dtype(dtype):
        return ["" if v is pd.NA else str(v) for v in s.astype(object).where(s.notna(), pd.NA)]
    if pd.api.types.is_float_dtype(dtype):
        return ["" if math.isnan(v) else _float(v) for v in s.to_numpy(dtype=float, na_value=np.nan)]
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return s.dt.strftime("%d/%m/%Y %H:%M").fillna("").tolist()
    return [_cell(v) for v in s.astype(object)]


def to_csv_bytes(df: pd.DataFrame, title: Sequence[str] = ()) -> bytes:
    """UTF-8 with BOM, comma-separated, CRLF, the DataFrame's (Vietnamese) headers as given;
    dates dd/mm/yyyy, timestamps dd/mm/yyyy HH:MM, floats with a decimal comma and one decimal,
    integers as plain digits, empty cells for missing values, text cells beginning with
    = + - @ tab CR prefixed with ' . Optional `title` lines (one cell each) come first."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for line in title:
        writer.writerow([_neutralise(str(line))])
    writer.writerow([_neutralise(str(c)) for c in df.columns])
    columns = [_column(df.iloc[:, i]) for i in range(df.shape[1])]
    writer.writerows(zip(*columns))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _slug(text: str) -> str:
    """'Xã Phước Hậu' -> 'phuoc-hau' (no diacritics, no Xã / Thị trấn / UBND prefix)."""
    return "-".join(unit_key(text).split())


def csv_file_name(table_slug: str, filters: Filters, unit_names: Sequence[str] = ()) -> str:
    """e.g. tthc-tre-han_phuoc-hau_2022-01_2022-03.csv; `tat-ca` without selected units; more
    than three units -> `<n>-don-vi`; `_xa-moi` at the end on the new map."""
    names = [n for n in (_slug(u) for u in unit_names) if n]
    if not names:
        units_part = "tat-ca"
    elif len(names) > 3:
        units_part = f"{len(names)}-don-vi"
    else:
        units_part = "-".join(names)
    table_part = "-".join(fold(table_slug).replace("_", " ").split()) or "bang"
    map_part = "_xa-moi" if getattr(filters, "map", "asis") == "new" else ""
    return f"{table_part}_{units_part}_{filters.date_from:%Y-%m}_{filters.date_to:%Y-%m}{map_part}.csv"


def table_csv_bytes(name: str, con, filters: Filters, **options) -> bytes:
    """The download of table `name`: to_csv_bytes of the table as the page shows it
    (metrics.tables.shown), under its title lines (metrics.tables.csv_title: the Biểu 06 title
    block naming the selected units; the map line under the new map; the notes of the units it
    shows). The CLI writes exactly this; a page's download button gives the same bytes
    (ui.data.table + ui.data.csv_title + ui.data.csv_bytes)."""
    from .tables import CLASSIFICATION_TABLES, classification_laws, csv_title, selected_unit_names, shown, table_notes

    df = shown(name, con, filters, **options)
    names = selected_unit_names(con, filters) if name == "bieu06" else []
    laws = classification_laws(con, filters) if name in CLASSIFICATION_TABLES else []
    return to_csv_bytes(df, title=csv_title(name, filters, names, table_notes(con, filters, df), laws))


# -- Excel ----------------------------------------------------------------------------------------
# Numbers are written as numbers. Excel's format codes are locale-neutral: "#,##0.0" shows
# 1.234,5 in a Vietnamese-locale Excel and 1,234.5 in an English one, and either can sum the cells
# (a text "1.234" could not). Locale codes like [$-42A] only change month/day names, so none is
# used; dates get an explicit dd/mm/yyyy.
XLSX_FORMATS = {
    "int": "#,##0",
    "pct": "#,##0.0",
    "score": "#,##0.0",
    "year": "0",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
    "change-int": "+#,##0;-#,##0;0",
    "change-pct": "+#,##0.0;-#,##0.0;0.0",
    "change-score": "+#,##0.0;-#,##0.0;0.0",
    "text": "@",
}
_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(text: str, taken: Sequence[str] = ()) -> str:
    """A valid, unique worksheet name (31 characters, none of []:*?/\\)."""
    base = " ".join(str(text).translate(_BAD_SHEET_CHARS).split())[:31] or "Bảng"
    name, i = base, 2
    lowered = {t.lower() for t in taken}
    while name.lower() in lowered:
        suffix = f" ({i})"
        name, i = base[: 31 - len(suffix)] + suffix, i + 1
    return name


def xlsx_kind(s: pd.Series, heading: str) -> str:
    """The number format kind of a column from its dtype (object columns: 'cell', per value)."""
    if heading == "Năm":
        return "year"
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "text"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "pct" if "%" in heading else "score"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    return "cell"


def _xlsx_value(v):
    """A cell value for XlsxWriter and its kind ('int', 'score', 'date', 'datetime', 'text', None)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None, None
    if isinstance(v, (bool, np.bool_)):
        return ("Có" if v else "Không"), "text"
    if isinstance(v, (int, np.integer)):
        return int(v), "int"
    if isinstance(v, (float, np.floating)):
        return (None, None) if math.isnan(v) else (float(v), "score")
    if isinstance(v, (datetime, pd.Timestamp)):
        return pd.Timestamp(v).to_pydatetime(), "datetime"
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day), "date"
    return str(v), "text"


def write_frame(workbook, worksheet, df: pd.DataFrame, first_row: int = 0, *,
                kinds: dict | None = None, row_kinds: Sequence[str] | None = None,
                bold_rows: Sequence[int] = (), font: str | None = None) -> int:
    """Write `df` (headings in bold, wrapped) at `first_row` of an XlsxWriter worksheet, typed,
    headers frozen; `kinds` (column -> XLSX_FORMATS key) and `row_kinds` (per row, for the
    number columns of indicator tables) override the dtype's format. Returns the next free row."""
    base = {"font_name": font} if font else {}
    cache: dict = {}

    def fmt(kind: str | None, bold: bool = False):
        key = (kind, bold)
        if key not in cache:
            props = dict(base, bold=bold) if bold else dict(base)
            if kind and kind in XLSX_FORMATS:
                props["num_format"] = XLSX_FORMATS[kind]
            cache[key] = workbook.add_format(props)
        return cache[key]

    head = workbook.add_format(dict(base, bold=True, text_wrap=True, valign="top", bg_color="#F3F6FA",
                                    border=1))
    kinds = kinds or {}
    columns = [str(c) for c in df.columns]
    col_kinds = [kinds.get(c) or xlsx_kind(df.iloc[:, j], c) for j, c in enumerate(columns)]
    for j, c in enumerate(columns):
        worksheet.write_string(first_row, j, c, head)
    for i, row in enumerate(df.itertuples(index=False)):
        r = first_row + 1 + i
        bold = i in bold_rows
        for j, v in enumerate(row):
            value, vkind = _xlsx_value(v)
            kind = col_kinds[j]
            if row_kinds is not None and kind != "text" and vkind in ("int", "score"):
                kind = ("change-" + row_kinds[i]) if columns[j] == "Thay đổi" else row_kinds[i]
            if value is None:
                worksheet.write_blank(r, j, None, fmt(None, bold))
            elif isinstance(value, str):
                worksheet.write_string(r, j, value, fmt(None, bold))
            elif isinstance(value, datetime):
                worksheet.write_datetime(r, j, value, fmt(vkind if kind == "cell" else kind, bold))
            else:
                if kind in ("cell", "text"):
                    kind = vkind
                worksheet.write_number(r, j, value, fmt(kind, bold))
    for j, c in enumerate(columns):
        texts = [c] + [str(v) for v in df.iloc[:60, j].tolist()]
        width = min(48, max(8, max(len(t) for t in texts) + 2)) if c != columns[0] or len(df) else 12
        if col_kinds[j] != "cell" and col_kinds[j] != "text":
            width = min(width, 16)
        worksheet.set_column(j, j, width)
    worksheet.freeze_panes(first_row + 1, 0)
    return first_row + 1 + len(df)


def to_xlsx_bytes(df: pd.DataFrame, title: Sequence[str] = (), sheet: str = "Bảng") -> bytes:
    """The table as an .xlsx: its title lines (one cell each) first, then the table, numbers as
    numbers (see XLSX_FORMATS), the heading row frozen. The same table as to_csv_bytes."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    ws = wb.add_worksheet(sheet_name(sheet))
    bold = wb.add_format({"bold": True})
    for i, line in enumerate(title):
        ws.write_string(i, 0, str(line), bold if i < 2 else None)
    write_frame(wb, ws, df, len(title))
    wb.close()
    return buf.getvalue()


def xlsx_file_name(table_slug: str, filters: Filters, unit_names: Sequence[str] = ()) -> str:
    """csv_file_name with .xlsx."""
    return csv_file_name(table_slug, filters, unit_names)[: -len(".csv")] + ".xlsx"
