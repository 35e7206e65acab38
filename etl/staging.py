"""What every kind of file shares when its rows are checked and staged (etl/sources/*).

A source module reads the TEMP TABLE raw(row_number, c0..cN) that etl.load made from the file,
and leaves TEMP TABLEs stg (the typed rows to write) and stg_rejects (one line per problem, with
the Excel row number and a Vietnamese reason). These are the pieces it builds them with.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import duckdb
import pyarrow as pa

from .text import fold, unit_key

if TYPE_CHECKING:
    from .headers import HeaderMatch


@dataclass
class Reject:
    row_number: int
    column_name: str | None
    reason: str
    raw: str | None = None


@dataclass
class FileReport:
    """What a file holds (preview) and, after a load, what happened to it."""
    file_name: str
    sha256: str = ""
    kind: str | None = None
    status: str = "pending"          # pending | loaded | unchanged | failed
    message: str = ""
    mapping: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0
    rows_to_load: int = 0
    rows_rejected: int = 0
    duplicates: int = 0
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    rejects: list[Reject] = field(default_factory=list)
    batch_id: int | None = None

    @property
    def kind_label(self) -> str:
        from .sources import KIND_LABELS  # the registry imports this module
        return KIND_LABELS.get(self.kind or "", "không rõ")


def number_of(value: object) -> float | None:
    """A number as Vietnamese sheets write it: 92,5 / 92.5 / 1.234 / 1 234."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    s = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", s):       # 1.234 thousands
        s = s.replace(".", "")
    elif re.fullmatch(r"-?\d+,\d+", s):               # 92,5 decimal comma
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def period_of(value: object) -> tuple[str, dt.date] | None:
    """A period as sheets write it: 'Tháng 01/2023', '01/2023', 'T1/2023', 'Quý II/2023', 'Quý 2 năm 2023',
    'Năm 2023', '2023', or a date cell (its month). Returns (period_type, period_start)."""
    if isinstance(value, (dt.datetime, dt.date)):
        return "month", dt.date(value.year, value.month, 1)
    f = fold(value)
    if not f:
        return None
    m = re.fullmatch(r"(?:thang|t)?\s*(\d{1,2})\s*(?:nam\s*)?(\d{4})", f)
    if m and 1 <= int(m.group(1)) <= 12:
        return "month", dt.date(int(m.group(2)), int(m.group(1)), 1)
    m = re.fullmatch(r"(\d{4})\s+(\d{1,2})\s+(\d{1,2})", f)  # 2023-05-01 folded
    if m and 1 <= int(m.group(2)) <= 12:
        return "month", dt.date(int(m.group(1)), int(m.group(2)), 1)
    m = re.fullmatch(r"(?:quy|q)\s*(i{1,3}|iv|[1-4])\s*(?:nam\s*)?(\d{4})", f)
    if m:
        q = _ROMAN.get(m.group(1)) or int(m.group(1))
        return "quarter", dt.date(int(m.group(2)), 3 * (q - 1) + 1, 1)
    m = re.fullmatch(r"(?:nam\s*)?(\d{4})", f)
    if m:
        return "year", dt.date(int(m.group(1)), 1, 1)
    return None


def count_of(value: object) -> int | None:
    """A count cell: a whole number ≥ 0 (1.234 and 12,0 read as sheets mean them); None otherwise."""
    n = number_of(value)
    if n is None or n < 0 or not n.is_integer():
        return None
    return int(n)


# ---------------------------------------------------------------------------------------------
# Dates, in SQL so a million rows parse in a fraction of a second. Never month-first.

DATE_FORMATS = [
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S",
    "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y",
    "%H:%M:%S %d/%m/%Y", "%H:%M %d/%m/%Y",
]

_SERIAL = "regexp_full_match(s, '\\d{5}([.,]\\d+)?')"
_SERIAL_VALUE = "CAST(replace(s, ',', '.') AS DOUBLE)"
# The characters trim() removes (the Unicode space separators): a cell that neither starts nor ends
# with one and holds no run of whitespace is already clean, and most cells are (trim() copies
# every string, a third of a second per million cells).
_TRIMMED = "(32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8239, 8287, 12288)"
# `s` is already trimmed and NULL when blank. The usual forms are tried first, one at a time:
# coalesce() evaluates a later argument only for the rows still NULL, so a million ordinary dates
# cost one strptime each.
DATE_MACROS = f"""
CREATE OR REPLACE TEMP MACRO vn_ts_any(s) AS CASE WHEN s IS NULL THEN NULL ELSE coalesce(
    try_strptime(s, '%d/%m/%Y %H:%M:%S'),
    try_strptime(s, '%d/%m/%Y %H:%M'),
    try_strptime(s, '%d/%m/%Y'),
    CASE WHEN {_SERIAL} THEN TIMESTAMP '1899-12-30'
        + to_microseconds(CAST(round({_SERIAL_VALUE} * 86400000000) AS BIGINT)) END,
    try_strptime(regexp_replace(s, '\\s+', ' ', 'g'), {DATE_FORMATS!r})
) END;
CREATE OR REPLACE TEMP MACRO vn_clean(x) AS CASE
    WHEN x <> '' AND ord(x) NOT IN {_TRIMMED} AND ord(x[-1]) NOT IN {_TRIMMED}
         AND NOT (contains(x, '  ') OR contains(x, chr(10)) OR contains(x, chr(13)) OR contains(x, chr(9)))
    THEN x
    WHEN contains(x, '  ') OR contains(x, chr(10)) OR contains(x, chr(13)) OR contains(x, chr(9))
    THEN NULLIF(regexp_replace(trim(x), '\\s+', ' ', 'g'), '') ELSE NULLIF(trim(x), '') END;
CREATE OR REPLACE TEMP MACRO vn_in_range(t) AS CASE WHEN year(t) BETWEEN 2000 AND 2100 THEN t END;
CREATE OR REPLACE TEMP MACRO vn_has_time(s) AS CASE
    WHEN s IS NULL THEN NULL
    WHEN contains(s, ':') THEN TRUE
    WHEN {_SERIAL} THEN {_SERIAL_VALUE} <> floor({_SERIAL_VALUE})
    ELSE FALSE END;
"""


def parse_dates_sql(con: duckdb.DuckDBPyConnection, values: list[str | None]) -> list[tuple]:
    """(timestamp, has_time) for each text, exactly as a load parses it. For tests and previews."""
    con.execute(DATE_MACROS)
    return con.execute(
        "SELECT vn_in_range(vn_ts_any(v)), coalesce(vn_has_time(v), FALSE) FROM (SELECT NULLIF(trim(unnest(?)), '') AS v, "
        "generate_subscripts(?, 1) AS i) ORDER BY i",
        [values, values],
    ).fetchall()


@contextlib.contextmanager
def arrow_view(con: duckdb.DuckDBPyConnection, table: pa.Table) -> Iterator[str]:
    """`table` readable on `con` for the block, under the view name yielded. A private name, not a
    replacement scan by Python variable name: that would silently read an existing temp table of
    the same name instead."""
    con.register("_arrow_in", table)
    try:
        yield "_arrow_in"
    finally:
        con.unregister("_arrow_in")


def table_from_arrow(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """TEMP TABLE `name` holding `table`."""
    with arrow_view(con, table) as view:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {view}")


def col(hm: HeaderMatch, name: str) -> str:
    return f"c{hm.columns[name]}" if name in hm.columns else "NULL"


def unit_candidates(con: duckdb.DuckDBPyConnection, raw_values: list[str | None]) -> None:
    """TEMP TABLE unit_cand(raw, unit_id, vf, vt): the registry units each raw spelling may mean."""
    aliases: dict[str, list[str]] = {}
    for key, unit_id in con.execute("SELECT alias_norm, unit_id FROM unit_aliases").fetchall():
        aliases.setdefault(key, []).append(unit_id)
    validity = {
        u: (vf or dt.date(1900, 1, 1), vt or dt.date(9999, 12, 31))
        for u, vf, vt in con.execute("SELECT unit_id, valid_from, valid_to FROM units").fetchall()
    }
    rows = []
    for raw in raw_values:
        if raw is None:
            continue
        kept: list[tuple] = []
        for unit_id in sorted(set(aliases.get(unit_key(raw), []))):
            vf, vt = validity[unit_id]
            # Keep validity ranges disjoint so the dated join below yields at most one unit per row.
            if all(vt < kvf or vf > kvt for _, kvf, kvt in kept):
                kept.append((unit_id, vf, vt))
            elif not kept:
                kept.append((unit_id, vf, vt))
        rows.extend((raw, *k) for k in kept)
    cand = pa.table(
        {
            "raw": pa.array([r[0] for r in rows], pa.string()),
            "unit_id": pa.array([r[1] for r in rows], pa.string()),
            "vf": pa.array([r[2] for r in rows], pa.date32()),
            "vt": pa.array([r[3] for r in rows], pa.date32()),
        }
    )
    table_from_arrow(con, "unit_cand", cand)


def value_map(con: duckdb.DuckDBPyConnection, name: str, raw_values: list, fn: Callable) -> None:
    mapped = [fn(v) for v in raw_values]
    table_from_arrow(con, name, pa.table({"raw": pa.array(raw_values, pa.string()), "val": pa.array(mapped)}))


def distinct(con: duckdb.DuckDBPyConnection, column: str) -> list:
    if column == "NULL":
        return []
    return [r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM raw").fetchall()]


def data_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The data rows of raw in file order: (row_number, c0, c1, …)."""
    return con.execute("SELECT * FROM raw ORDER BY row_number").fetchall()


_ALL_ALIASES = "\0all"  # a cache holding every alias of the registry: a key not in it is unknown


def all_aliases(con: duckdb.DuckDBPyConnection) -> dict:
    """A cache for resolve_unit filled with the whole registry at once (a few hundred spellings):
    cheaper than one query per spelling when most cells are names of people, not units."""
    cache: dict = {_ALL_ALIASES: True}
    for key, *cand in con.execute(
            "SELECT a.alias_norm, u.unit_id, coalesce(u.valid_from, DATE '1900-01-01'), "
            "coalesce(u.valid_to, DATE '9999-12-31'), u.name, s.name, s.name = u.name, s.valid_from "
            "FROM unit_aliases a JOIN units u USING (unit_id) LEFT JOIN units s ON s.unit_id = u.successor_id "
            "ORDER BY u.unit_id").fetchall():
        cache.setdefault(key, []).append(tuple(cand))
    return cache


def resolve_unit(con, cache: dict, raw: str | None, on: dt.date | None,
                 what: str | None = None) -> tuple[str | None, str | None]:
    """(unit_id, error) for a unit spelling on a date (None: the row's date is itself invalid, so only
    check that the unit exists; the row is rejected for its date anyway). `what` names the row's
    date in an error ("kỳ đánh giá «Tháng 08/2025»"; default "ngày 15/08/2025")."""
    if not raw or not str(raw).strip():
        return None, "Thiếu tên đơn vị"
    key = unit_key(raw)
    if key not in cache:
        cache[key] = [] if cache.get(_ALL_ALIASES) else con.execute(
            "SELECT u.unit_id, coalesce(u.valid_from, DATE '1900-01-01'), coalesce(u.valid_to, DATE '9999-12-31'), "
            "u.name, s.name, s.name = u.name, s.valid_from "
            "FROM unit_aliases a JOIN units u USING (unit_id) LEFT JOIN units s ON s.unit_id = u.successor_id "
            "WHERE a.alias_norm = ? ORDER BY u.unit_id",
            [key],
        ).fetchall()
    cands = cache[key]
    if not cands:
        return None, f"Đơn vị «{raw}» không có trong danh mục đơn vị (data/reference/units.csv)"
    for unit_id, vf, vt, *_ in cands:
        if on is None or vf <= on <= vt:
            return unit_id, None
    what = what or f"ngày {on:%d/%m/%Y}"
    last = max(cands, key=lambda c: c[2])
    first = min(cands, key=lambda c: c[1])
    if on > last[2]:
        return None, ended_reason(raw, last[3], last[2], successor_label(*last[4:7]), what)
    if on < first[1]:
        return None, not_yet_reason(raw, first[3], first[1], what)
    return None, f"Đơn vị «{raw}» không hoạt động vào {what}"


def successor_label(name: str | None, same_name: bool | None, valid_from: dt.date | None) -> str | None:
    """How a reject names a successor: "Xã Phước Hậu", with "(từ 01/07/2025)" when it kept the name
    of the unit it replaces."""
    if name is None:
        return None
    return f"{name} (từ {valid_from:%d/%m/%Y})" if same_name and valid_from else name


def ended_reason(raw: str, name: str, valid_to: dt.date, successor: str | None, what: str) -> str:
    """A row dated after its unit ended (the 01/07/2025 merger): name the successor, so the officer
    can correct the export. `what` names the row's date ("hồ sơ tiếp nhận ngày 02/07/2025")."""
    if successor:
        return (f"{name} không còn từ {valid_to + dt.timedelta(days=1):%d/%m/%Y} (đã sáp nhập vào {successor}): "
                f"{what} ghi đơn vị «{raw}», cần ghi {successor}")
    return (f"{name} đã kết thúc hoạt động ngày {valid_to:%d/%m/%Y} (không có đơn vị kế thừa trong danh mục): "
            f"{what} không thể ghi cho đơn vị «{raw}»")


def not_yet_reason(raw: str, name: str, valid_from: dt.date, what: str) -> str:
    return f"{name} chỉ có từ ngày {valid_from:%d/%m/%Y}: {what} không thể ghi cho đơn vị «{raw}»"


def unit_span_reasons(con: duckdb.DuckDBPyConnection, raw_values: list[str | None], what: str) -> None:
    """TEMP TABLE unit_span(raw, first_from, last_to, ended, not_yet): for each spelling, the first
    day and the last day any unit it names exists, and the reject reasons for a row dated after /
    before them, with `what` holding the placeholder {date} for the row's date (SQL fills it in)."""
    rows = []
    cache = all_aliases(con)   # one query for the registry, not one per spelling
    for raw in raw_values:
        if raw is None or not str(raw).strip():
            continue
        cands = cache.get(unit_key(raw)) or []
        if not cands:
            continue
        text = " ".join(str(raw).split())
        last = max(cands, key=lambda c: c[2])
        first = min(cands, key=lambda c: c[1])
        rows.append((raw, first[1], last[2], ended_reason(text, last[3], last[2], successor_label(*last[4:7]), what),
                     not_yet_reason(text, first[3], first[1], what)))
    rows_to_table(con, "unit_span", ["raw", "first_from", "last_to", "ended", "not_yet"], rows,
                  [pa.string(), pa.date32(), pa.date32(), pa.string(), pa.string()])


def rows_to_table(con, name: str, names: list[str], rows: list[tuple], types: list) -> None:
    cols = {n: pa.array([r[i] for r in rows], t) for i, (n, t) in enumerate(zip(names, types))}
    table_from_arrow(con, name, pa.table(cols))


def rejects_to_table(con, rejects: list[Reject]) -> None:
    rows_to_table(con, "stg_rejects", ["row_number", "column_name", "reason", "raw"],
                   [(r.row_number, r.column_name, r.reason, None if r.raw is None else str(r.raw)) for r in rejects],
                   [pa.int32(), pa.string(), pa.string(), pa.string()])


def heading_of(hm: HeaderMatch, column: str, labels: dict[str, str]) -> str:
    """The column's heading as the file spells it (for reject lines), else its usual label."""
    return hm.headings[hm.columns[column]] if column in hm.columns else labels[column]


# ---------------------------------------------------------------------------------------------
# Row by row, in Python: for the kinds whose files are small (a sheet a month or a year).


@dataclass
class Row:
    """One data row being checked: its cells by canonical column, and the problems found."""
    number: int                         # the row a person sees in Excel
    cells: dict[str, str | None]        # canonical -> the cell, whitespace collapsed; None when blank
    heading: Callable[[str], str]       # canonical -> the heading as the file spells it
    problems: list[Reject] = field(default_factory=list)

    def get(self, column: str) -> str | None:
        return self.cells.get(column)

    def reject(self, column: str, reason: str) -> None:
        self.problems.append(Reject(self.number, self.heading(column), reason, self.cells.get(column)))

    def count(self, column: str, *, required: bool) -> int | None:
        """The column's count; a blank cell is 0 unless the count is required (then a problem)."""
        v = self.get(column)
        if v is None:
            if required:
                self.reject(column, f"Thiếu {_lower_first(self.heading(column))}")
            return None if required else 0
        n = count_of(v)
        if n is None:
            self.reject(column, f"{self.heading(column)} «{v}» phải là số nguyên không âm")
        return n


def _lower_first(heading: str) -> str:
    """"Số CBCCVC được kiểm tra" -> "số CBCCVC được kiểm tra" (inside a sentence); "CBCCVC" stays."""
    return heading[0].lower() + heading[1:] if len(heading) > 1 and heading[1].islower() else heading


class Units:
    """Resolves a row's unit spelling on a date, with the registry's validity dates."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con, self.cache = con, all_aliases(con)

    def resolve(self, row: Row, column: str, on: dt.date | None, or_on: dt.date | None = None) -> str | None:
        """The unit_id, or None with a problem added. `or_on`: a second date also acceptable (a unit
        created during the year is valid at its end)."""
        unit_id, err = resolve_unit(self.con, self.cache, row.get(column), on)
        if err and on is not None and or_on is not None:
            unit_id2, err2 = resolve_unit(self.con, self.cache, row.get(column), or_on)
            if not err2:
                unit_id, err = unit_id2, None
        if err:
            row.reject(column, err)
        return unit_id


def stage_rows(con: duckdb.DuckDBPyConnection, hm: HeaderMatch, report, labels: dict[str, str],
               check: Callable[[Row], tuple | None], key: Callable[[tuple], tuple],
               names: list[str], types: list, period: Callable[[list[tuple]], tuple[dt.date, dt.date]]) -> None:
    """Check every data row with `check` (a record tuple, or None and problems on the row), keep the
    last row of each key, and leave TEMP TABLEs stg(names) and stg_rejects. Fills the report."""
    def heading(column: str) -> str:
        return heading_of(hm, column, labels)

    good: dict[tuple, tuple] = {}
    rejects: list[Reject] = []
    valid = 0
    for raw in data_rows(con):
        cells = {}
        for column, i in hm.columns.items():
            v = raw[i + 1] if i + 1 < len(raw) else None  # raw[0] is the row number
            v = " ".join(str(v).split()) if v is not None else ""
            cells[column] = v or None
        row = Row(raw[0], cells, heading)
        record = check(row)
        if row.problems or record is None:
            rejects.extend(row.problems)
            continue
        valid += 1
        good[key(record)] = record  # the last row of a key wins
    report.duplicates = valid - len(good)
    report.rows_to_load = len(good)
    if good:
        report.period_from, report.period_to = period(list(good.values()))
    rows_to_table(con, "stg", names, list(good.values()), types)
    rejects_to_table(con, rejects)


def dates_of(con: duckdb.DuckDBPyConnection, values: list[str | None]) -> dict[str, dt.date | None]:
    """Text -> the day it means, parsed exactly as dossier dates are (dd/mm/yyyy, ISO, Excel serials)."""
    values = sorted({" ".join(str(v).split()) for v in values if v is not None} - {""})  # as Row.cells holds them
    return {v: (ts.date() if ts is not None else None) for v, (ts, _) in zip(values, parse_dates_sql(con, values))}
