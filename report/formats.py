"""How a table cell of the report is written: the kind of a column (count, rate, score, year,
text) and its Vietnamese text for the Word draft (ui.format: 1.234, 92,5 %, dd/mm/yyyy). The
Excel annex writes the same cells as typed numbers (report.excel)."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from ui.format import MISSING, vn_date, vn_int, vn_num, vn_pct, vn_signed

from .model import Table

YEAR_COLUMNS = {"Năm"}
INT_COLUMNS = {"Hạng", "Hạng kỳ trước", "Thay đổi hạng"}


def is_missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    try:
        return isinstance(v, float) and math.isnan(v)
    except TypeError:
        return False


def _is_rate(col: str) -> bool:
    return "%" in col or col.lower().startswith("tỷ lệ")


def column_kind(df: pd.DataFrame, col: str, formats: dict) -> str:
    """'int' | 'pct' | 'score' | 'year' | 'date' | 'text' for a column, from the table's formats
    first, then its heading and dtype (the rules of ui.components.formatters)."""
    if col in formats:
        return formats[col]
    name = str(col)
    s = df[col]
    if name in YEAR_COLUMNS:
        return "year"
    if name in INT_COLUMNS or pd.api.types.is_integer_dtype(s):
        return "int"
    if pd.api.types.is_datetime64_any_dtype(s):
        return "date"
    if pd.api.types.is_float_dtype(s):
        return "pct" if _is_rate(name) else "score"
    values = [v for v in s if not is_missing(v)]
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "pct" if _is_rate(name) else ("int" if all(float(v).is_integer() for v in values) else "score")
    if values and all(isinstance(v, (dt.date, pd.Timestamp)) for v in values):
        return "date"
    return "text"


def cell_kind(table: Table, row: int, col: str) -> str:
    """The kind of one cell: a row format (indicator tables) wins for the number columns."""
    kind = column_kind(table.df, col, table.formats)
    if table.row_formats and kind != "text" and col != "Chỉ tiêu":
        row_kind = table.row_formats[row]
        return "change-" + row_kind if col == "Thay đổi" else row_kind
    return kind


def text(value, kind: str) -> str:
    """A cell as the Word draft prints it."""
    if is_missing(value):
        return MISSING
    if kind == "int":
        return vn_int(value)
    if kind == "pct":
        return vn_pct(value)
    if kind == "score":
        return vn_num(value)
    if kind == "year":
        return str(int(value))
    if kind == "date":
        return vn_date(value)
    if kind == "change-int":
        return vn_signed(value, decimals=0)
    if kind == "change-pct":
        return vn_signed(value, unit=" điểm %")
    if kind == "change-score":
        return vn_signed(value, unit=" điểm")
    return str(value)
