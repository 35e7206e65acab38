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
    from .tables import csv_title, selected_unit_names, shown, table_notes

    df = shown(name, con, filters, **options)
    names = selected_unit_names(con, filters) if name == "bieu06" else []
    return to_csv_bytes(df, title=csv_title(name, filters, names, table_notes(con, filters, df)))
