"""Vietnamese number and date formatting for everything shown on screen.

No streamlit import: pages, charts and tests use the same functions.
1.234 (thousands dot), 92,5 % (decimal comma, one decimal, a space before %), dd/mm/yyyy.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

MISSING = "–"


def is_missing(x: Any) -> bool:
    """None, NaN, NaT, pd.NA."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _group(int_text: str) -> str:
    """'1234567' -> '1.234.567'."""
    neg = int_text.startswith("-")
    digits = int_text[1:] if neg else int_text
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return ("-" if neg else "") + ".".join(parts)


def vn_int(x: Any) -> str:
    """1234 -> '1.234'; None/NaN -> '–'."""
    if is_missing(x):
        return MISSING
    return _group(str(int(round(float(x)))))


def vn_num(x: Any, decimals: int = 1) -> str:
    """85.25 -> '85,3' (half away from zero); 1234.5 -> '1.234,5'."""
    if is_missing(x):
        return MISSING
    value = float(x)
    if math.isinf(value):
        return MISSING
    # Python rounds half to even on the binary value; nudge so 92.45 -> 92,5 as people expect.
    q = 10 ** decimals
    rounded = math.floor(abs(value) * q + 0.5 + 1e-9) / q
    text = f"{rounded:.{decimals}f}"
    int_part, _, frac = text.partition(".")
    sign = "-" if value < 0 and rounded != 0 else ""
    out = sign + _group(int_part)
    return f"{out},{frac}" if decimals > 0 else out


def vn_pct(x: Any, decimals: int = 1) -> str:
    """92.46 -> '92,5 %' (input is already 0-100)."""
    if is_missing(x):
        return MISSING
    return f"{vn_num(x, decimals)} %"


def vn_signed(x: Any, decimals: int = 1, unit: str = "") -> str:
    """Change with an explicit sign: 2.5 -> '+2,5', -3 -> '-3,0'; unit appended (' %', ' điểm')."""
    if is_missing(x):
        return MISSING
    value = float(x)
    body = vn_num(abs(value), decimals) if decimals else vn_int(abs(value))
    sign = "+" if value > 0 else ("-" if value < 0 else "")
    if body.strip("0,") == "":
        sign = ""
    return f"{sign}{body}{unit}"


def _as_date(x: Any) -> dt.date | None:
    if is_missing(x):
        return None
    if isinstance(x, pd.Timestamp):
        return x.date()
    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    if isinstance(x, str):
        return dt.date.fromisoformat(x[:10])
    return pd.Timestamp(x).date()


def vn_date(x: Any) -> str:
    """date/datetime/Timestamp/'2025-06-30' -> '30/06/2025' (never a time of day)."""
    d = _as_date(x)
    return MISSING if d is None else d.strftime("%d/%m/%Y")


def vn_datetime(x: Any) -> str:
    """A timestamp with its time: '30/06/2025 14:05'; midnight shows the date only."""
    if is_missing(x):
        return MISSING
    ts = pd.Timestamp(x)
    if ts.hour == 0 and ts.minute == 0 and ts.second == 0:
        return ts.strftime("%d/%m/%Y")
    return ts.strftime("%d/%m/%Y %H:%M")


def vn_month(x: Any) -> str:
    """A month as 'mm/yyyy' from a date or 'yyyy-mm'."""
    if isinstance(x, str) and len(x) == 7:
        return f"{x[5:7]}/{x[0:4]}"
    d = _as_date(x)
    return MISSING if d is None else d.strftime("%m/%Y")


def month_key(d: dt.date) -> str:
    """The URL form of a month: '2022-01'."""
    return f"{d.year:04d}-{d.month:02d}"


def parse_month_key(key: str) -> dt.date:
    """'2022-01' -> date(2022, 1, 1). Raises ValueError on anything else."""
    year, month = key.split("-")
    return dt.date(int(year), int(month), 1)


def month_end(d: dt.date) -> dt.date:
    nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of every month from first's month to last's month, inclusive."""
    out = []
    cur = dt.date(first.year, first.month, 1)
    end = dt.date(last.year, last.month, 1)
    while cur <= end:
        out.append(cur)
        cur = dt.date(cur.year + (cur.month == 12), cur.month % 12 + 1, 1)
    return out


def period_label(date_from: dt.date, date_to: dt.date) -> str:
    """'01/2022 – 03/2022', or one month '06/2025'."""
    a, b = vn_month(date_from), vn_month(date_to)
    return a if a == b else f"{a} – {b}"


# A figure's kind (ui.static_html.Card; the rows of Tổng quan's table): how its value and its
# change against the previous period are written.
KIND_FORMATS = {
    "int": (vn_int, lambda x: vn_signed(x, decimals=0)),
    "pct": (vn_pct, lambda x: vn_signed(x, unit=" điểm %")),
    "score": (vn_num, lambda x: vn_signed(x, unit=" điểm")),
    "num": (vn_num, vn_signed),          # one decimal, no unit: a rate per 100
}
