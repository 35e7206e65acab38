"""Display shapes of the metrics tables: what a page shows, what its CSV holds and what
`python -m metrics` writes are one table, `metrics.tables.shown(...)` = `shape(name, build(...))`.

Pure pandas (no streamlit, no query). The shapes:
- every table with an "Đơn vị" column: a unit's "(đến 30/06/2025)" / "(từ 01/07/2025)" is left
  out where the table's dates cannot hold its namesake (drop_validity_suffix);
- overview: whole counts as integers (the CSV says 11, not 11,0);
- ranking: rank, unit, score, rank change first; the unit's kind last and only when the table
  mixes kinds (the index stays the unit_id);
- late_dossiers: unit, procedure, status, days late, apology letter, the dates, then the dossier
  number and the field;
- commitments: one row per unit (commitment_pivot);
- commitments_by_year: year, commitment (short name), rate first;
- staff_ratings: unit names for the whole years the period touches (window).
The evidence tables of issue 8 (satisfaction, inspections, staff_ratings, commendations, …) come
from metrics.tables already in their shown column order.
"""
from __future__ import annotations

import datetime as dt
import numbers
import re
from typing import Any, Callable

import pandas as pd

UNIT_COLUMN = "Đơn vị"

# -- unit names -----------------------------------------------------------------------------------

_VALIDITY_SUFFIX = re.compile(r" \((đến|từ) (\d{2})/(\d{2})/(\d{4})\)$")
VALIDITY_SUFFIX = _VALIDITY_SUFFIX


def drop_validity_suffix(name: Any, date_from: dt.date, date_to: dt.date) -> Any:
    """'Xã Phước Hậu (đến 30/06/2025)' -> 'Xã Phước Hậu' when the period [date_from, date_to]
    lies inside that validity (ends on or before 30/06/2025; for '(từ 01/07/2025)': starts on
    or after it). metrics appends the suffix to tell the old and the new unit of the same name
    apart; a period that one of them never reaches cannot show both, so there it is noise."""
    if not isinstance(name, str):
        return name
    m = _VALIDITY_SUFFIX.search(name)
    if not m:
        return name
    word, day, month, year = m.groups()
    try:
        edge = dt.date(int(year), int(month), int(day))
    except ValueError:
        return name
    inside = date_to <= edge if word == "đến" else date_from >= edge
    return name[: m.start()] if inside else name


def plain_unit_names(df: pd.DataFrame, date_from: dt.date, date_to: dt.date,
                     column: str = UNIT_COLUMN) -> pd.DataFrame:
    """drop_validity_suffix on every name of `column` (a copy; other columns untouched)."""
    if column not in df.columns or df.empty:
        return df
    out = df.copy()
    out[column] = [drop_validity_suffix(v, date_from, date_to) for v in out[column]]
    return out


# Tables whose rows belong to a calendar year rather than to the period: one chosen year, or
# every year the period touches.
_YEAR_TABLES = {"commitments"}
_PERIOD_YEAR_TABLES = {"staff_ratings"}


def window(name: str, filters, options: dict | None = None) -> tuple[dt.date, dt.date]:
    """The dates a table's rows come from: the period; for `commitments` its year (the `year`
    option, default the year of the period's last day); for `staff_ratings` the whole years the
    period touches."""
    options = options or {}
    if name in _YEAR_TABLES:
        year = int(options.get("year") or filters.date_to.year)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if name in _PERIOD_YEAR_TABLES:
        return dt.date(filters.date_from.year, 1, 1), dt.date(filters.date_to.year, 12, 31)
    return filters.date_from, filters.date_to


# -- the rest of the evidence --------------------------------------------------------------------

# The seed (report 176/BC-UBND): "mức độ rất hài lòng … luôn đạt trên 90 %" — a target line.
SATISFACTION_TARGET = 90.0
# staff_ratings headings the pages look at (the cap column's name is the contract).
OVER_CAP = "Vượt tỷ lệ 20 %"
XUAT_SAC_OF_TOT = "Xuất sắc / Tốt (%)"


# -- overview -------------------------------------------------------------------------------------

def overview_row_kind(label: str) -> str:
    """What an overview row holds, from its label: 'pct' (a rate, "… (%)"), 'num' (a score or a
    rate per 100: one decimal) or 'int' (a count)."""
    label = str(label)
    if "(%)" in label:
        return "pct"
    if "điểm" in label.lower() or "/ 100" in label:
        return "num"
    return "int"


def integral_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Overview (Chỉ tiêu, Kỳ này, Kỳ trước, Thay đổi): a count that comes as a float (11.0)
    becomes an int, so the CSV says 11, not 11,0. Rates (%), scores (điểm) and rates per 100
    stay floats."""
    out = df.copy()
    for i, label in enumerate(out["Chỉ tiêu"]):
        if overview_row_kind(label) != "int":
            continue
        for col in ("Kỳ này", "Kỳ trước", "Thay đổi"):
            j = out.columns.get_loc(col)
            v = out.iat[i, j]
            if isinstance(v, numbers.Number) and not pd.isna(v) and float(v).is_integer():
                out.iat[i, j] = int(v)
    return out


# -- ranking --------------------------------------------------------------------------------------

RANKING_FIRST = ["Hạng", "Đơn vị", "Điểm TB", "Thay đổi hạng", "Hạng kỳ trước"]
KIND_COLUMN = "Loại đơn vị"


def ranking_shape(df: pd.DataFrame) -> pd.DataFrame:
    """Rank change next to the score, where the eye looks; the unit's kind last, and only when
    the table mixes kinds (one kind: the column would repeat it on every row). The index (the
    unit_id) is kept."""
    last = [KIND_COLUMN] if KIND_COLUMN in df and df[KIND_COLUMN].nunique() > 1 else []
    first = [c for c in RANKING_FIRST if c in df]
    middle = [c for c in df if c not in RANKING_FIRST and c != KIND_COLUMN]
    return df[first + middle + last]


# -- late dossiers --------------------------------------------------------------------------------

# What leadership reads first: which unit, which procedure, status, days late, apology letter,
# the dates; the dossier number (for looking it up) and the field after them.
LATE_DOSSIERS_FIRST = ["Đơn vị", "Thủ tục", "Trạng thái", "Số ngày quá hạn", "Phiếu xin lỗi",
                       "Ngày tiếp nhận", "Hạn trả", "Ngày trả", "Mã hồ sơ"]


def late_dossiers_shape(df: pd.DataFrame) -> pd.DataFrame:
    return df[[c for c in LATE_DOSSIERS_FIRST if c in df] + [c for c in df if c not in LATE_DOSSIERS_FIRST]]


# -- commitments ----------------------------------------------------------------------------------

# Commitment names as headings and legend entries: the full names run to 60 characters.
COMMITMENT_SHORT = {
    "Văn hóa công sở": "Văn hóa công sở",
    "Cơ quan không khói thuốc lá": "Không khói thuốc lá",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh": "Học tập và làm theo Bác",
}


def commitment_short(name: str) -> str:
    return COMMITMENT_SHORT.get(str(name), str(name))


def commitment_rate_heading(name: str) -> str:
    return f"{commitment_short(name)} (%)"


def commitment_pivot(long: pd.DataFrame) -> pd.DataFrame:
    """metrics `commitments` (one row per unit and commitment: Đơn vị, Cam kết, Số CBCCVC, Đã ký,
    Tỷ lệ (%), Còn thiếu) -> one row per unit: Đơn vị, Còn thiếu (signatures still missing,
    summed over the commitments), one "<commitment> (%)" column per commitment, [Số CBCCVC].

    Units and commitments keep the order metrics gave them (Vietnamese order; the commitments'
    fixed order). Số CBCCVC is shown only when every unit has the same headcount for all its
    commitments (then it is the unit's headcount); a commitment a unit has no row for is empty."""
    if long.empty:
        return pd.DataFrame(columns=["Đơn vị", "Còn thiếu"])
    units = list(dict.fromkeys(long["Đơn vị"]))
    commitments = list(dict.fromkeys(long["Cam kết"]))
    rates = long.pivot_table(index="Đơn vị", columns="Cam kết", values="Tỷ lệ (%)", aggfunc="first",
                             dropna=False, sort=False).reindex(index=units, columns=commitments)
    headcount = pd.to_numeric(long["Số CBCCVC"])
    same_headcount = bool((headcount.groupby(long["Đơn vị"]).nunique(dropna=False) <= 1).all())
    missing = pd.to_numeric(long["Còn thiếu"]).groupby(long["Đơn vị"], sort=False).sum(min_count=1)

    # "Còn thiếu" next to the unit: what to act on, and visible on a phone without scrolling.
    out = pd.DataFrame({"Đơn vị": pd.Series(units, dtype=object)})
    out["Còn thiếu"] = pd.array([missing.get(u) for u in units], dtype="Int64")
    for name in commitments:
        out[commitment_rate_heading(name)] = pd.to_numeric(rates[name].to_numpy(), errors="coerce").astype(float)
    if same_headcount:
        first = headcount.groupby(long["Đơn vị"], sort=False).first()
        out["Số CBCCVC"] = pd.array([first.get(u) for u in units], dtype="Int64")
    return out


def rate_columns(pivot: pd.DataFrame) -> list[str]:
    return [c for c in pivot.columns if str(c).endswith("(%)")]


def short_of_full(pivot: pd.DataFrame) -> pd.Series:
    """Rows (units) where some commitment is below 100 %."""
    cols = rate_columns(pivot)
    if not cols:
        return pd.Series(False, index=pivot.index)
    return (pivot[cols] < 100).any(axis=1)


COMMITMENTS_BY_YEAR_FIRST = ["Năm", "Cam kết", "Tỷ lệ (%)", "Đã ký", "Số CBCCVC"]


def commitments_by_year_shape(df: pd.DataFrame) -> pd.DataFrame:
    """The rate next to the year and the (short) commitment name: on a phone only the first
    columns show."""
    out = df.copy()
    if "Cam kết" in out:
        out["Cam kết"] = out["Cam kết"].map(commitment_short).astype(object)
    return out[[c for c in COMMITMENTS_BY_YEAR_FIRST if c in out]
               + [c for c in out if c not in COMMITMENTS_BY_YEAR_FIRST]]


# -- all together ---------------------------------------------------------------------------------

SHAPES: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "overview": integral_counts,
    "ranking": ranking_shape,
    "late_dossiers": late_dossiers_shape,
    "commitments": commitment_pivot,
    "commitments_by_year": commitments_by_year_shape,
}


def shape(name: str, df: pd.DataFrame, filters, **options) -> pd.DataFrame:
    """The shown (and downloaded) form of metrics table `name` built for `filters` / `options`."""
    df = plain_unit_names(df, *window(name, filters, options))
    fn = SHAPES.get(name)
    return fn(df) if fn is not None else df
