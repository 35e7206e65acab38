"""Validate export files and load them into the warehouse, atomically and idempotently.

Flow for each file: open_source (format by content) -> detect_header (kind by headings) ->
stage (typed rows + rejects, in SQL for dossiers) -> upsert in one transaction.
All files of one call are loaded into a private copy of the warehouse (warehouse.writer), each in
its own transaction; the copy replaces the live file at the end. A file that cannot be read at all
changes nothing; a bad row goes to load_rejects and the rest of the file loads.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import pyarrow as pa

from . import derive, registry
from .aggregates import refresh_aggregates
from .headers import KIND_LABELS, REQUIRED, COLUMN_LABELS, HeaderMatch, detect_header, is_total_row
from .readers import BadFile, Source, all_xlsx_rows, cell_to_text, head_rows, open_source
from .text import fold, unit_key, vn_int
from .warehouse import NothingToWrite, connect_read, db_path, ensure_schema, file_version, writer


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
        return KIND_LABELS.get(self.kind or "", "không rõ")


# ---------------------------------------------------------------------------------------------
# Value vocabularies (folded text -> canonical)

def channel_of(text: str | None) -> str | None:
    """'online' | 'in_person' | 'postal'; None when the value is not recognised. Blank = in person
    (Biểu 06 counts every non-online dossier in one column, so this guess cannot move a number)."""
    f = fold(text)
    if not f:
        return "in_person"
    if any(k in f for k in ("truc tuyen", "online", "dvc", "qua mang", "dich vu cong", "internet")):
        return "online"
    if any(k in f for k in ("buu chinh", "bcci", "buu dien", "bccl")):
        return "postal"
    if any(k in f for k in ("truc tiep", "mot cua", "tai quay", "nop truc tiep")):
        return "in_person"
    return None


_APOLOGY_NO = {"", "khong", "k", "0", "no", "false", "chua", "chua co", "khong co", "n"}
_APOLOGY_YES = {"co", "x", "1", "yes", "true", "da", "da co", "co phieu", "y", "da gui", "da xin loi"}
_DATE_LIKE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")


def apology_of(text: str | None) -> bool | None:
    if text is None:
        return False
    s = str(text).strip()
    if s in ("✓", "✔", "☑", "√", "v", "V"):
        return True
    f = fold(s)
    if f in _APOLOGY_NO:
        return False
    if f in _APOLOGY_YES:
        return True
    if _DATE_LIKE.match(s) or re.fullmatch(r"\d{5}(\.\d+)?", s):
        return True  # the date the letter was issued
    return None


_CLASS_WORDS = [
    ("khong hoan thanh", "khong_hoan_thanh"), ("khtnv", "khong_hoan_thanh"), ("khong ht", "khong_hoan_thanh"),
    ("xuat sac", "xuat_sac"), ("htxsnv", "xuat_sac"), ("htxs", "xuat_sac"),
    ("tot", "tot"), ("httnv", "tot"), ("htt", "tot"),
    ("hoan thanh", "hoan_thanh"), ("htnv", "hoan_thanh"), ("ht", "hoan_thanh"),
]


def classification_of(text: str | None) -> str | None:
    f = fold(text)
    if not f:
        return None
    for word, cls in _CLASS_WORDS:
        if f == word or f.startswith(word + " ") or f" {word} " in f" {f} ":
            return cls
    return None


CLASS_LABELS = {
    "xuat_sac": "Hoàn thành xuất sắc nhiệm vụ", "tot": "Hoàn thành tốt nhiệm vụ",
    "hoan_thanh": "Hoàn thành nhiệm vụ", "khong_hoan_thanh": "Không hoàn thành nhiệm vụ",
}

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def period_of(value: object) -> tuple[str, dt.date] | None:
    """An evaluation period: 'Tháng 01/2023', '01/2023', 'T1/2023', 'Quý II/2023', 'Quý 2 năm 2023',
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
# `s` is already trimmed and NULL when blank. The usual forms are tried first, one at a time:
# coalesce() evaluates a later argument only for the rows still NULL, so a million ordinary dates
# cost one strptime each.
_MACROS = f"""
CREATE OR REPLACE TEMP MACRO vn_ts_any(s) AS CASE WHEN s IS NULL THEN NULL ELSE coalesce(
    try_strptime(s, '%d/%m/%Y %H:%M:%S'),
    try_strptime(s, '%d/%m/%Y %H:%M'),
    try_strptime(s, '%d/%m/%Y'),
    CASE WHEN {_SERIAL} THEN TIMESTAMP '1899-12-30'
        + to_microseconds(CAST(round({_SERIAL_VALUE} * 86400000000) AS BIGINT)) END,
    try_strptime(regexp_replace(s, '\\s+', ' ', 'g'), {DATE_FORMATS!r})
) END;
CREATE OR REPLACE TEMP MACRO vn_clean(x) AS CASE
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
    con.execute(_MACROS)
    return con.execute(
        "SELECT vn_in_range(vn_ts_any(v)), coalesce(vn_has_time(v), FALSE) FROM (SELECT NULLIF(trim(unnest(?)), '') AS v, "
        "generate_subscripts(?, 1) AS i) ORDER BY i",
        [values, values],
    ).fetchall()


# ---------------------------------------------------------------------------------------------
# Staging


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _raw_table(con: duckdb.DuckDBPyConnection, src: Source, hm: HeaderMatch, width: int) -> None:
    """Load the data rows (everything below the header) into TEMP TABLE raw(row_number, c0..cN)
    as text. row_number is the row a person sees in Excel, title rows counted."""
    cols = [f"c{i}" for i in range(width)]
    con.execute("DROP TABLE IF EXISTS raw")
    if src.format == "csv" and src.text is None:
        columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in cols) + "}"
        # Title lines above the header are skipped by count; insertion order is the file's order,
        # so rowid + offset is the row number a person sees.
        con.execute(
            f"""CREATE TEMP TABLE raw_csv AS SELECT * FROM read_csv(?, delim = ?, header = false,
                skip = ?, columns = {columns}, null_padding = true, quote = '"', escape = '"',
                strict_mode = false, auto_detect = false, encoding = 'utf-8',
                parallel = false)""",  # the parallel scanner refuses quoted line breaks with null_padding
            [str(src.path), src.delimiter, hm.data_start],
        )
        con.execute(
            # rowids inside a transaction start at a large offset: count from the smallest.
            f"CREATE TEMP TABLE raw AS SELECT CAST(rowid - (SELECT min(rowid) FROM raw_csv) + ? + 1 AS INTEGER) "
            f"AS row_number, {', '.join(cols)} FROM raw_csv",
            [hm.data_start],
        )
        con.execute("DROP TABLE raw_csv")
        return
    if src.format == "xlsx":
        rows = all_xlsx_rows(src)[hm.data_start:]
    else:
        import csv as _csv
        import io as _io
        rows = list(_csv.reader(_io.StringIO(src.text), delimiter=src.delimiter))[hm.data_start:]
    data = {"row_number": pa.array(range(hm.data_start + 1, hm.data_start + 1 + len(rows)), pa.int32())}
    for i, c in enumerate(cols):
        # Text cells (most of them) pass as they are: the validators trim and treat '' as blank.
        data[c] = pa.array([(v if type(v) is str else cell_to_text(v)) if i < len(r) and (v := r[i]) is not None
                            else None for r in rows], pa.string())
    _table_from_arrow(con, "raw", pa.table(data))


def _table_from_arrow(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """TEMP TABLE `name` holding `table`. Registered under a private view name: a replacement scan
    by Python variable name would silently read an existing temp table of the same name instead."""
    con.register("_arrow_in", table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _arrow_in")
    finally:
        con.unregister("_arrow_in")


def _drop_blank_and_total_rows(con: duckdb.DuckDBPyConnection, width: int) -> None:
    cols = [f"c{i}" for i in range(width)]
    blank = " AND ".join(f"NULLIF(trim({c}), '') IS NULL" for c in cols)
    con.execute(f"DELETE FROM raw WHERE {blank}")
    # Totals ("Tổng cộng") close the table; look only at the last rows.
    tail = con.execute(f"SELECT row_number, {', '.join(cols)} FROM raw ORDER BY row_number DESC LIMIT 5").fetchall()
    totals = [r[0] for r in tail if is_total_row(list(r[1:]))]
    if totals:
        con.execute("DELETE FROM raw WHERE list_contains(?, row_number)", [totals])


def _col(hm: HeaderMatch, name: str) -> str:
    return f"c{hm.columns[name]}" if name in hm.columns else "NULL"


def _unit_candidates(con: duckdb.DuckDBPyConnection, raw_values: list[str | None]) -> None:
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
    _table_from_arrow(con, "unit_cand", cand)


def _value_map(con: duckdb.DuckDBPyConnection, name: str, raw_values: list, fn: Callable) -> None:
    mapped = [fn(v) for v in raw_values]
    _table_from_arrow(con, name, pa.table({"raw": pa.array(raw_values, pa.string()), "val": pa.array(mapped)}))


def _distinct(con: duckdb.DuckDBPyConnection, column: str) -> list:
    if column == "NULL":
        return []
    return [r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM raw").fetchall()]


def _stage_dossiers(con: duckdb.DuckDBPyConnection, hm: HeaderMatch, report: FileReport) -> None:
    c = {k: _col(hm, k) for k in ("dossier_id", "procedure_name", "field", "unit", "channel",
                                   "received_at", "due_at", "finished_at", "apology")}
    _unit_candidates(con, _distinct(con, c["unit"]))
    _value_map(con, "channel_map", _distinct(con, c["channel"]), channel_of)
    _value_map(con, "apology_map", _distinct(con, c["apology"]), apology_of)
    con.execute(_MACROS)
    # One reject line per problem; a row with any problem is not loaded.
    H = {k: hm.headings[hm.columns[k]] if k in hm.columns else COLUMN_LABELS[k] for k in c}
    checks = [
        ("dossier_id", "dossier_id IS NULL", "'Thiếu mã hồ sơ'", "NULL"),
        ("unit", "unit_raw IS NULL", "'Thiếu tên đơn vị'", "NULL"),
        ("unit", "unit_raw IS NOT NULL AND unit_any IS NULL",
         "'Đơn vị «' || unit_raw || '» không có trong danh mục đơn vị (data/reference/units.csv)'", "unit_raw"),
        ("unit", "unit_any IS NOT NULL AND unit_id IS NULL AND received_at IS NOT NULL",
         "'Đơn vị «' || unit_raw || '» không còn hoạt động vào ngày ' || strftime(received_at, '%d/%m/%Y')"
         " || ' (đã sáp nhập hoặc giải thể)'", "unit_raw"),
        ("received_at", "received_raw IS NULL", "'Thiếu ngày tiếp nhận'", "NULL"),
        ("received_at", "received_raw IS NOT NULL AND received_at IS NULL",
         "'Ngày tiếp nhận «' || received_raw || '» không phải ngày hợp lệ (cần ngày/tháng/năm, ví dụ 02/05/2023)'",
         "received_raw"),
        ("due_at", "due_raw IS NULL", "'Thiếu ngày hẹn trả'", "NULL"),
        ("due_at", "due_raw IS NOT NULL AND due_day IS NULL",
         "'Ngày hẹn trả «' || due_raw || '» không phải ngày hợp lệ (cần ngày/tháng/năm, ví dụ 02/05/2023)'",
         "due_raw"),
        ("finished_at", "finished_raw IS NOT NULL AND finished_at IS NULL",
         "'Ngày trả kết quả «' || finished_raw || '» không phải ngày hợp lệ (cần ngày/tháng/năm, ví dụ 02/05/2023)'",
         "finished_raw"),
        ("due_at", "due_at < received_at",
         "'Ngày hẹn trả ' || strftime(due_day, '%d/%m/%Y') || ' trước ngày tiếp nhận ' || strftime(received_at, '%d/%m/%Y')",
         "due_raw"),
        ("finished_at",
         "finished_at IS NOT NULL AND received_at IS NOT NULL AND CASE WHEN finished_has_time "
         "THEN finished_at < received_at ELSE CAST(finished_at AS DATE) < CAST(received_at AS DATE) END",
         "'Ngày trả kết quả ' || strftime(finished_at, '%d/%m/%Y') || ' trước ngày tiếp nhận ' || strftime(received_at, '%d/%m/%Y')",
         "finished_raw"),
        ("channel", "channel IS NULL", "'Hình thức nộp «' || channel_raw || '» không rõ (cần: trực tuyến, trực tiếp, bưu chính)'",
         "channel_raw"),
        ("apology", "apology_issued IS NULL", "'Phiếu xin lỗi «' || apology_raw || '» không rõ (cần: Có/Không, x, ✓, 1/0 hoặc ngày)'",
         "apology_raw"),
    ]
    bad = " OR ".join(f"coalesce({cond}, FALSE)" for _, cond, _, _ in checks)
    trimmed = lambda col: f"vn_clean({col})"  # noqa: E731
    # One pass over the rows, materialised once. The value maps are keyed on the cells exactly as
    # read (not trimmed), the way _distinct collected them.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE checked AS
        WITH t AS (
            SELECT row_number,
                   {trimmed(c['dossier_id'])} AS dossier_id,
                   {c['unit']} AS unit_cell, {trimmed(c['unit'])} AS unit_raw,
                   coalesce({trimmed(c['field'])}, 'Chưa rõ lĩnh vực') AS field,
                   coalesce({trimmed(c['procedure_name'])}, 'Chưa rõ thủ tục') AS procedure_name,
                   {c['channel']} AS channel_raw, {c['apology']} AS apology_raw,
                   {trimmed(c['received_at'])} AS received_raw, {trimmed(c['due_at'])} AS due_raw,
                   {trimmed(c['finished_at'])} AS finished_raw
            FROM raw
        ), p AS (
            SELECT t.*,
                   vn_in_range(vn_ts_any(received_raw)) AS received_at,
                   vn_in_range(vn_ts_any(due_raw)) AS due_day,
                   coalesce(vn_has_time(due_raw), FALSE) AS due_has_time,
                   vn_in_range(vn_ts_any(finished_raw)) AS finished_at,
                   coalesce(vn_has_time(finished_raw), FALSE) AS finished_has_time
            FROM t
        ), q AS (
            SELECT p.*,
                   CASE WHEN due_has_time THEN due_day
                        ELSE date_trunc('day', due_day) + INTERVAL '23:59:59' END AS due_at,
                   coalesce(cm.val, CASE WHEN p.channel_raw IS NULL THEN 'in_person' END) AS channel,
                   coalesce(am.val, CASE WHEN p.apology_raw IS NULL THEN FALSE END) AS apology_issued,
                   ua.unit_any, uv.unit_id
            FROM p
            LEFT JOIN channel_map cm ON cm.raw = p.channel_raw
            LEFT JOIN apology_map am ON am.raw = p.apology_raw
            LEFT JOIN (SELECT raw, min(unit_id) AS unit_any FROM unit_cand GROUP BY raw) ua ON ua.raw = p.unit_cell
            LEFT JOIN unit_cand uv ON uv.raw = p.unit_cell AND CAST(p.received_at AS DATE) BETWEEN uv.vf AND uv.vt
        )
        SELECT q.*, ({bad}) AS bad FROM q
        """
    )
    union = " UNION ALL ".join(
        f"SELECT row_number, ? AS column_name, {reason} AS reason, {raw} AS raw FROM bad_rows WHERE {cond}"
        for _, cond, reason, raw in checks
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE stg_rejects AS WITH bad_rows AS (SELECT * FROM checked WHERE bad) {union}",
                [H[k] for k, *_ in checks])
    valid, distinct_ids = con.execute(
        "SELECT count(*), count(DISTINCT dossier_id) FROM checked WHERE NOT bad").fetchall()[0]
    # The last row of a repeated id wins; the window is only paid for when there are repeats.
    dedupe = ("QUALIFY row_number() OVER (PARTITION BY dossier_id ORDER BY row_number DESC) = 1"
              if distinct_ids < valid else "")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE stg AS
        SELECT dossier_id, unit_id, field, procedure_name, channel, received_at, due_at,
               CASE WHEN finished_at IS NOT NULL AND NOT finished_has_time
                    THEN date_trunc('day', finished_at) ELSE finished_at END AS finished_at,
               apology_issued,
               CASE WHEN finished_at IS NULL THEN NULL ELSE finished_has_time END AS finished_has_time,
               row_number
        FROM checked
        WHERE NOT bad
        {dedupe}
        """
    )
    pmin, pmax = con.execute("SELECT min(received_at)::DATE, max(received_at)::DATE FROM stg").fetchall()[0]
    report.duplicates = valid - distinct_ids
    report.rows_to_load = distinct_ids
    report.period_from, report.period_to = pmin, pmax


def _python_rows(con: duckdb.DuckDBPyConnection, hm: HeaderMatch) -> list[tuple]:
    return con.execute("SELECT * FROM raw ORDER BY row_number").fetchall()


def _resolve_unit_py(con, cache: dict, raw: str | None, on: dt.date | None) -> tuple[str | None, str | None]:
    """(unit_id, error) for a unit spelling on a date (None: the row's date is itself invalid, so only
    check that the unit exists; the row is rejected for its date anyway)."""
    if not raw or not str(raw).strip():
        return None, "Thiếu tên đơn vị"
    key = unit_key(raw)
    if key not in cache:
        cache[key] = con.execute(
            "SELECT u.unit_id, coalesce(u.valid_from, DATE '1900-01-01'), coalesce(u.valid_to, DATE '9999-12-31') "
            "FROM unit_aliases a JOIN units u USING (unit_id) WHERE a.alias_norm = ? ORDER BY u.unit_id",
            [key],
        ).fetchall()
    cands = cache[key]
    if not cands:
        return None, f"Đơn vị «{raw}» không có trong danh mục đơn vị (data/reference/units.csv)"
    for unit_id, vf, vt in cands:
        if on is None or vf <= on <= vt:
            return unit_id, None
    return None, f"Đơn vị «{raw}» không còn hoạt động vào ngày {on:%d/%m/%Y} (đã sáp nhập hoặc giải thể)"


def _band(bands: list[tuple], score: float, on: dt.date) -> str | None:
    for vf, vt, cls, min_score in bands:  # ordered by min_score DESC
        if vf <= on and (vt is None or on <= vt) and score >= min_score:
            return cls
    return None


def _stage_evaluations(con: duckdb.DuckDBPyConnection, hm: HeaderMatch, report: FileReport) -> None:
    bands = con.execute(
        "SELECT valid_from, valid_to, classification, min_score FROM classification_bands ORDER BY min_score DESC"
    ).fetchall()
    idx = {k: hm.columns[k] + 1 for k in hm.columns}  # +1: column 0 of a raw row is row_number
    criteria = {i + 1: h for i, h in hm.extra.items()}
    H = lambda k: hm.headings[hm.columns[k]] if k in hm.columns else COLUMN_LABELS[k]  # noqa: E731
    cache: dict = {}
    good: dict[tuple, tuple] = {}
    crit_rows: dict[tuple, list] = {}
    rejects: list[Reject] = []
    valid = 0
    for row in _python_rows(con, hm):
        rn = row[0]
        problems: list[Reject] = []
        period = period_of(row[idx["period"]])
        if period is None:
            problems.append(Reject(rn, H("period"), f"Kỳ đánh giá «{row[idx['period']] or ''}» không đọc được (cần ví dụ: Tháng 01/2023, Quý I/2023, Năm 2023)", row[idx["period"]]))
        unit_id, err = _resolve_unit_py(con, cache, row[idx["unit"]], period[1] if period else None)
        if err:
            problems.append(Reject(rn, H("unit"), err, row[idx["unit"]]))
        score = None
        if "score" in idx and row[idx["score"]] not in (None, ""):
            score = number_of(row[idx["score"]])
            if score is None:
                problems.append(Reject(rn, H("score"), f"Điểm «{row[idx['score']]}» không phải là số", row[idx["score"]]))
            elif not 0 <= score <= 100:
                problems.append(Reject(rn, H("score"), f"Điểm {row[idx['score']]} nằm ngoài thang 0–100", row[idx["score"]]))
        given = None
        if "classification" in idx and row[idx["classification"]] not in (None, ""):
            given = classification_of(row[idx["classification"]])
            if given is None:
                problems.append(Reject(rn, H("classification"), f"Xếp loại «{row[idx['classification']]}» không rõ (cần một trong: {', '.join(CLASS_LABELS.values())})", row[idx["classification"]]))
        if score is None and given is None and not problems:
            problems.append(Reject(rn, H("score") if "score" in idx else H("classification"), "Thiếu cả điểm lẫn xếp loại", None))
        crit = []
        for ci, heading in criteria.items():
            v = row[ci] if ci < len(row) else None
            if v in (None, ""):
                continue
            num = number_of(v)
            if num is None or num < 0:
                problems.append(Reject(rn, heading, f"Điểm tiêu chí «{v}» không phải số không âm", v))
            else:
                crit.append((heading, num))
        if problems:
            rejects.extend(problems)
            continue
        valid += 1
        band = _band(bands, score, period[1]) if score is not None else None
        cls = given or band
        key = (unit_id, period[0], period[1])
        good[key] = (unit_id, period[0], period[1], score, cls,
                     "given" if given else "bands", band, bool(given and band and given != band))
        crit_rows[key] = crit
    report.duplicates = valid - len(good)
    report.rows_to_load = len(good)
    if good:
        starts = [k[2] for k in good]
        report.period_from, report.period_to = min(starts), max(starts)
    _rows_to_table(con, "stg", ["unit_id", "period_type", "period_start", "score", "classification",
                                "classification_source", "band_classification", "band_conflict"],
                   list(good.values()), [pa.string(), pa.string(), pa.date32(), pa.float64(), pa.string(),
                                         pa.string(), pa.string(), pa.bool_()])
    _rows_to_table(con, "stg_criteria", ["unit_id", "period_type", "period_start", "criterion", "score"],
                   [(*k, h, s) for k, cs in crit_rows.items() for h, s in cs],
                   [pa.string(), pa.string(), pa.date32(), pa.string(), pa.float64()])
    _rejects_to_table(con, rejects)


COMMITMENT_WORDS = {"office_culture": ("van hoa cong so",), "smoke_free": ("khong khoi thuoc",),
                    "hcm_study": ("lam theo", "ho chi minh", "hoc tap")}


def _stage_commitments(con: duckdb.DuckDBPyConnection, hm: HeaderMatch, report: FileReport) -> None:
    idx = {k: hm.columns[k] + 1 for k in hm.columns}
    H = lambda k: hm.headings[hm.columns[k]] if k in hm.columns else COLUMN_LABELS[k]  # noqa: E731
    wide = [k for k in ("office_culture", "smoke_free", "hcm_study") if k in idx]
    cache: dict = {}
    good: dict[tuple, tuple] = {}
    rejects: list[Reject] = []
    valid = 0
    row_keys: set[tuple] = set()
    for row in _python_rows(con, hm):
        rn = row[0]
        problems: list[Reject] = []
        y = number_of(row[idx["year"]])
        year = int(y) if y is not None and y.is_integer() and 2000 <= y <= 2100 else None
        if year is None:
            problems.append(Reject(rn, H("year"), f"Năm «{row[idx['year']] or ''}» không hợp lệ (cần ví dụ 2023)", row[idx["year"]]))
        unit_id, err = _resolve_unit_py(con, cache, row[idx["unit"]], dt.date(year, 1, 1) if year else None)
        if err and year:
            # A unit created during the year (the 1/7/2025 communes) is valid at the year's end.
            unit_id2, err2 = _resolve_unit_py(con, cache, row[idx["unit"]], dt.date(year, 12, 31))
            if not err2:
                unit_id, err = unit_id2, None
        if err:
            problems.append(Reject(rn, H("unit"), err, row[idx["unit"]]))
        hc = number_of(row[idx["headcount"]])
        if hc is None or hc < 0 or not hc.is_integer():
            problems.append(Reject(rn, H("headcount"), f"Tổng số CBCCVC «{row[idx['headcount']] or ''}» phải là số nguyên không âm", row[idx["headcount"]]))
            hc = None
        pairs: list[tuple[str, object, str]] = []
        if wide:
            pairs = [(k, row[idx[k]], H(k)) for k in wide]
        else:
            f = fold(row[idx["commitment"]])
            kind = next((k for k, words in COMMITMENT_WORDS.items() if any(w in f for w in words)), None)
            if kind is None:
                problems.append(Reject(rn, H("commitment"), f"Nội dung cam kết «{row[idx['commitment']] or ''}» không rõ (cần: văn hóa công sở, không khói thuốc lá, học tập và làm theo Bác)", row[idx["commitment"]]))
            else:
                pairs = [(kind, row[idx["signed"]], H("signed"))]
        parsed = []
        for kind, v, heading in pairs:
            if v in (None, ""):
                continue
            s = number_of(v)
            if s is None or s < 0 or not s.is_integer():
                problems.append(Reject(rn, heading, f"Số đã ký «{v}» phải là số nguyên không âm", v))
            elif hc is not None and s > hc:
                problems.append(Reject(rn, heading, f"Số đã ký ({int(s)}) lớn hơn tổng số CBCCVC ({int(hc)})", v))
            else:
                parsed.append((kind, int(s)))
        if problems:
            rejects.extend(problems)
            continue
        valid += 1
        # What one row stands for: a unit-year in the wide form, one commitment of it in the long form.
        row_keys.add((unit_id, year) if wide else (unit_id, year, pairs[0][0]))
        for kind, s in parsed:
            good[(unit_id, year, kind)] = (unit_id, year, kind, int(hc), s)
    report.duplicates = max(0, valid - len(row_keys))
    report.rows_to_load = len(good)
    if good:
        years = [k[1] for k in good]
        report.period_from, report.period_to = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    _rows_to_table(con, "stg", ["unit_id", "year", "commitment", "headcount", "signed"], list(good.values()),
                   [pa.string(), pa.int32(), pa.string(), pa.int32(), pa.int32()])
    _rejects_to_table(con, rejects)


def _rows_to_table(con, name: str, names: list[str], rows: list[tuple], types: list) -> None:
    cols = {n: pa.array([r[i] for r in rows], t) for i, (n, t) in enumerate(zip(names, types))}
    _table_from_arrow(con, name, pa.table(cols))


def _rejects_to_table(con, rejects: list[Reject]) -> None:
    _rows_to_table(con, "stg_rejects", ["row_number", "column_name", "reason", "raw"],
                   [(r.row_number, r.column_name, r.reason, None if r.raw is None else str(r.raw)) for r in rejects],
                   [pa.int32(), pa.string(), pa.string(), pa.string()])


EXPECTED_HEADERS = (
    "Cần một dòng tiêu đề cột của một trong ba loại tệp: hồ sơ TTHC (Mã hồ sơ, Đơn vị, Ngày tiếp nhận, "
    "Ngày hẹn trả, …); đánh giá, xếp loại (Đơn vị, Kỳ đánh giá, Tổng điểm hoặc Xếp loại); cam kết (Đơn vị, "
    "Năm, Tổng số CBCCVC và các cột ký cam kết)."
)


def stage_file(con: duckdb.DuckDBPyConnection, path: Path) -> FileReport:
    """Read and validate one file into TEMP tables stg / stg_rejects on `con` (which must hold the
    reference tables). Writes nothing else. Raises BadFile for a file that cannot be loaded."""
    path = Path(path)
    report = FileReport(file_name=path.name)
    src = open_source(path)
    report.sha256 = sha256_of(path)
    head = head_rows(src)
    hm = detect_header(head)
    if hm is None:
        if not any(any(str(v).strip() for v in r if v is not None) for r in head):
            raise BadFile(f"Tệp «{path.name}» không có dữ liệu (chỉ có ô trống).")
        if sum(len(re.findall(r"\w\?|\?\w", str(v))) for r in head[:40] for v in r if v is not None) >= 3:
            # "Mã hồ sơ" saved as Windows-1252 becomes "Mã h? s?": the headings cannot match.
            raise BadFile(f"Tệp «{path.name}»: chữ tiếng Việt đã bị thay bằng dấu «?» (tệp được lưu bằng bảng mã không "
                          "có tiếng Việt, ví dụ Windows-1252): hãy lưu lại dưới dạng CSV UTF-8.")
        raise BadFile(f"Tệp «{path.name}»: không tìm thấy dòng tiêu đề cột nhận ra được trong {len(head[:40])} dòng đầu. {EXPECTED_HEADERS}")
    report.kind = hm.kind
    report.mapping = hm.mapping_description()
    width = max([len(r) for r in head] + [len(hm.headings)])
    _raw_table(con, src, hm, width)
    _drop_blank_and_total_rows(con, width)
    report.rows_read = con.execute("SELECT count(*) FROM raw").fetchall()[0][0]
    if report.rows_read == 0:
        raise BadFile(f"Tệp «{path.name}» có dòng tiêu đề ({report.kind_label}) nhưng không có dòng dữ liệu nào.")
    {"dossiers": _stage_dossiers, "evaluations": _stage_evaluations, "commitments": _stage_commitments}[hm.kind](con, hm, report)
    rej = con.execute("SELECT row_number, column_name, reason, raw FROM stg_rejects ORDER BY row_number, column_name").fetchall()
    report.rejects = [Reject(*r) for r in rej]
    report.rows_rejected = con.execute("SELECT count(DISTINCT row_number) FROM stg_rejects").fetchall()[0][0]
    return report


# ---------------------------------------------------------------------------------------------
# Writing

_UPSERT = {
    "dossiers": f"""
        INSERT INTO dossiers
        SELECT dossier_id, unit_id, field, procedure_name, channel, received_at, due_at, finished_at,
               apology_issued, $batch, finished_has_time, NULL FROM stg
        ON CONFLICT (dossier_id) DO UPDATE SET
            unit_id = excluded.unit_id, field = excluded.field, procedure_name = excluded.procedure_name,
            channel = excluded.channel, received_at = excluded.received_at, due_at = excluded.due_at,
            -- a dossier once returned stays returned: an older export loaded later cannot undo it
            finished_at = coalesce(excluded.finished_at, dossiers.finished_at),
            finished_has_time = CASE WHEN excluded.finished_at IS NULL THEN dossiers.finished_has_time
                                     ELSE excluded.finished_has_time END,
            apology_issued = excluded.apology_issued OR dossiers.apology_issued,
            batch_id = excluded.batch_id, outcome = NULL
    """,
    "evaluations": """
        INSERT OR REPLACE INTO evaluations (unit_id, period_type, period_start, score, classification,
            batch_id, classification_source, band_classification, band_conflict)
        SELECT unit_id, period_type, period_start, score, classification, $batch,
               classification_source, band_classification, band_conflict FROM stg
    """,
    "commitments": """
        INSERT OR REPLACE INTO commitments SELECT unit_id, year, commitment, headcount, signed, $batch FROM stg
    """,
}


_INSERT_NEW_DOSSIERS = f"""
    INSERT INTO dossiers
    SELECT dossier_id, unit_id, field, procedure_name, channel, received_at, due_at, finished_at,
           apology_issued, $batch, finished_has_time, {derive.OUTCOME_SQL} FROM stg
"""


def _write_staged(con: duckdb.DuckDBPyConnection, report: FileReport, user: str | None,
                  after_insert: Callable[[duckdb.DuckDBPyConnection], None] | None) -> None:
    batch = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM load_batches").fetchall()[0][0]
    report.batch_id = batch
    if report.kind == "dossiers" and not con.execute(
            "SELECT EXISTS (SELECT 1 FROM stg JOIN dossiers USING (dossier_id))").fetchall()[0][0]:
        # Every dossier is new (the usual monthly export): a plain insert, outcome computed in
        # the same pass, is much cheaper than the keyed upsert.
        con.execute(_INSERT_NEW_DOSSIERS, {"batch": batch})
    else:
        con.execute(_UPSERT[report.kind], {"batch": batch})
        if report.kind == "dossiers":
            con.execute(f"UPDATE dossiers SET outcome = {derive.OUTCOME_SQL} "
                        "WHERE batch_id = $batch AND finished_at IS NOT NULL", {"batch": batch})
    if report.kind == "evaluations":
        con.execute("DELETE FROM evaluation_criteria WHERE (unit_id, period_type, period_start) IN "
                    "(SELECT unit_id, period_type, period_start FROM stg)")
        con.execute("INSERT INTO evaluation_criteria SELECT *, $batch FROM stg_criteria", {"batch": batch})
    if after_insert:
        after_insert(con)
    con.execute("INSERT INTO load_rejects SELECT $batch, row_number, column_name, reason, raw FROM stg_rejects",
                {"batch": batch})
    con.execute(
        "INSERT INTO load_batches VALUES ($batch, $file, $sha, $kind, now()::TIMESTAMP, $read, $loaded, $rejected, "
        "'loaded', $user, $dups, $pfrom, $pto)",
        {"batch": batch, "file": report.file_name, "sha": report.sha256, "kind": report.kind,
         "read": report.rows_read, "loaded": report.rows_to_load, "rejected": report.rows_rejected,
         "user": user, "dups": report.duplicates, "pfrom": report.period_from, "pto": report.period_to},
    )


def known_files(db: Path) -> dict[str, tuple[int, str]]:
    """sha256 -> (batch_id, loaded_at text) of every file already loaded."""
    if file_version(db) is None:
        return {}
    con = connect_read(db)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "load_batches" not in tables:
            return {}
        return {sha: (b, f"{at:%d/%m/%Y %H:%M}") for sha, b, at in
                con.execute("SELECT sha256, batch_id, loaded_at FROM load_batches WHERE status = 'loaded'").fetchall()}
    finally:
        con.close()


def reference_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory connection holding the reference tables: enough to validate files."""
    con = duckdb.connect(config={"autoinstall_known_extensions": "false"})
    ensure_schema(con)
    registry.load_reference(con)
    return con


def preview_files(paths: list[Path], db: Path | None = None) -> list[FileReport]:
    """What a load would do, file by file, without writing anything."""
    known = known_files(db_path(db))
    reports = []
    con = reference_connection()
    try:
        for p in paths:
            try:
                r = stage_file(con, Path(p))
                if r.sha256 in known:
                    b, at = known[r.sha256]
                    r.status, r.message = "unchanged", f"Tệp này đã được nạp (lô số {b}, lúc {at}): nạp lại sẽ không thay đổi gì."
                else:
                    r.message = _summary(r, preview=True)
            except BadFile as e:
                r = FileReport(file_name=Path(p).name, status="failed", message=str(e))
            reports.append(r)
    finally:
        con.close()
    return reports


def _summary(r: FileReport, preview: bool = False) -> str:
    verb = "sẽ nạp" if preview else "đã nạp"
    s = (f"Tệp «{r.file_name}» ({r.kind_label}): đọc {vn_int(r.rows_read)} dòng, {verb} {vn_int(r.rows_to_load)}, "
         f"loại {vn_int(r.rows_rejected)} dòng lỗi")
    if r.duplicates:
        s += f"; {r.duplicates} mã trùng trong tệp (giữ dòng sau cùng)"
    return s + "."


def load_files(paths: list[Path], db: Path | None = None, user: str | None = None,
               meta: dict[str, str] | None = None,
               after_insert: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> list[FileReport]:
    """Load files into the warehouse. Each file in its own transaction; all of them swapped in at
    once at the end. A file already loaded (same sha256) changes nothing. `after_insert` runs inside
    each file's transaction after its rows are written (tests inject failures there)."""
    db = db_path(db)
    known = known_files(db)
    reports: list[FileReport] = []
    todo: list[Path] = []
    seen: set[str] = set()
    for p in map(Path, paths):
        if not p.exists():
            reports.append(FileReport(p.name, status="failed", message=f"Không tìm thấy tệp «{p}»."))
            continue
        sha = sha256_of(p)
        if sha in known or sha in seen:
            b, at = known.get(sha, (None, "trong lần nạp này"))
            where = f"lô số {b}, lúc {at}" if b else at
            reports.append(FileReport(p.name, sha256=sha, status="unchanged",
                                      message=f"Tệp «{p.name}» đã được nạp trước đó ({where}): không thay đổi gì."))
            continue
        seen.add(sha)
        todo.append(p)
    if not todo and (file_version(db) is not None or not meta):
        return reports
    with writer(db) as con:
        con.execute("BEGIN")
        registry.load_reference(con)
        con.execute("COMMIT")
        changed = False
        for p in todo:
            try:
                con.execute("BEGIN")
                r = stage_file(con, p)
                _write_staged(con, r, user, after_insert)
                con.execute("COMMIT")
                r.status, r.message = "loaded", _summary(r)
                changed = True
            except BadFile as e:
                con.execute("ROLLBACK")
                r = FileReport(p.name, status="failed", message=str(e))
            except Exception:
                con.execute("ROLLBACK")
                raise
            reports.append(r)
        con.execute("BEGIN")
        if meta:
            for k, v in meta.items():
                con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [k, v])
        if not changed and not meta:
            raise NothingToWrite
        if changed:
            # Facts and the pre-aggregated tables change in the same transaction: a reader never
            # sees one without the other.
            refresh_aggregates(con)
        con.execute("INSERT OR REPLACE INTO meta SELECT 'data_version', "
                        "CAST(coalesce(max(TRY_CAST(value AS INTEGER)), 0) + 1 AS VARCHAR) FROM meta WHERE key = 'data_version'")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('loaded_at', strftime(now(), '%Y-%m-%d %H:%M:%S'))")
        con.execute("COMMIT")
    return reports
