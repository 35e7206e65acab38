"""Dossier books of the one-stop shop (hồ sơ TTHC): one row per dossier, into `dossiers`.

Checked and staged in SQL (a month of a province is a million rows); the dates parse with the
shared macros of etl.staging, never month-first.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import duckdb

from .. import derive
from ..staging import (DATE_MACROS, col, distinct, heading_of, rejects_to_table, unit_candidates,
                       unit_span_reasons, value_map)
from ..text import fold
from .base import SourceKind

if TYPE_CHECKING:
    from ..headers import HeaderMatch
    from ..staging import FileReport

SYNONYMS = {
    "dossier_id": (("ma ho so", "so ho so", "ma hs", "so hs", "ma so ho so", "so bien nhan", "ma bien nhan"), ()),
    "procedure_name": (("ten thu tuc", "ten tthc", "thu tuc hanh chinh", "thu tuc", "tthc"), ()),
    "field": (("linh vuc", "ten linh vuc"), ()),
    "unit": (("don vi tiep nhan", "co quan tiep nhan", "co quan giai quyet", "don vi giai quyet",
              "don vi", "co quan", "noi tiep nhan"), ()),
    "channel": (("hinh thuc nop", "hinh thuc tiep nhan", "kenh tiep nhan", "hinh thuc", "kenh nop"), ()),
    "received_at": (("ngay tiep nhan", "ngay nhan", "thoi gian tiep nhan", "tiep nhan", "ngay nop"), ()),
    "due_at": (("ngay hen tra", "han giai quyet", "han xu ly", "hen tra", "thoi gian hen tra", "ngay hen",
                "han tra"), ()),
    "finished_at": (("ngay tra ket qua", "ngay hoan thanh", "ngay tra", "tra ket qua", "thoi gian tra ket qua",
                     "ngay co ket qua"), ()),
    "apology": (("phieu xin loi", "xin loi"), ("xin loi",)),
}

REQUIRED = ("dossier_id", "unit", "received_at", "due_at")

COLUMN_LABELS = {
    "dossier_id": "Mã hồ sơ", "procedure_name": "Tên thủ tục", "field": "Lĩnh vực", "unit": "Đơn vị",
    "channel": "Hình thức nộp", "received_at": "Ngày tiếp nhận", "due_at": "Ngày hẹn trả",
    "finished_at": "Ngày trả kết quả", "apology": "Phiếu xin lỗi",
}


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


def stage(con: duckdb.DuckDBPyConnection, hm: HeaderMatch, report: FileReport) -> None:
    c = {k: col(hm, k) for k in ("dossier_id", "procedure_name", "field", "unit", "channel",
                                   "received_at", "due_at", "finished_at", "apology")}
    units_seen = distinct(con, c["unit"])
    unit_candidates(con, units_seen)
    unit_span_reasons(con, units_seen, "hồ sơ tiếp nhận ngày {date}")
    value_map(con, "channel_map", distinct(con, c["channel"]), channel_of)
    value_map(con, "apology_map", distinct(con, c["apology"]), apology_of)
    con.execute(DATE_MACROS)
    # One reject line per problem; a row with any problem is not loaded.
    H = {k: heading_of(hm, k, COLUMN_LABELS) for k in c}
    checks = [
        ("dossier_id", "dossier_id IS NULL", "'Thiếu mã hồ sơ'", "NULL"),
        ("unit", "unit_raw IS NULL", "'Thiếu tên đơn vị'", "NULL"),
        ("unit", "unit_raw IS NOT NULL AND unit_any IS NULL",
         "'Đơn vị «' || unit_raw || '» không có trong danh mục đơn vị (data/reference/units.csv)'", "unit_raw"),
        # A unit merged away or ended (01/07/2025), or not yet formed: the reason names the successor.
        ("unit", "unit_any IS NOT NULL AND unit_id IS NULL AND received_at IS NOT NULL",
         "replace(CASE WHEN CAST(received_at AS DATE) > span_last_to THEN span_ended "
         "WHEN CAST(received_at AS DATE) < span_first_from THEN span_not_yet "
         "ELSE 'Đơn vị «' || unit_raw || '» không hoạt động vào hồ sơ tiếp nhận ngày {date}' END, "
         "'{date}', strftime(received_at, '%d/%m/%Y'))", "unit_raw"),
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
    trimmed = lambda col: f"vn_clean({col})"  # noqa: E731
    # Two passes. The first, over every row, computes only what is written (and whether the row
    # has any problem); it materialises no raw text, which is what a million rows cost most.
    # The second builds the reject lines, with every reason, for the bad rows only.
    # The dates: most cells are in one of the usual forms (an export's, or an Excel date cell's
    # text), which strptime reads as they are (it skips surrounding whitespace and runs of it, so
    # the value is the cleaned cell's, and the cell has a time exactly when it holds ':'). The first pass assumes so and notes whether
    # any cell is in another form; if one is, those cells, distinct, are cleaned and tried in
    # every form once (date_fb) and the pass is run again with them joined.
    usual = "['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d']"
    dcols = [c[k] for k in ("received_at", "due_at", "finished_at") if c[k] != "NULL"]

    def date_of(name: str, fallback: bool) -> tuple[str, str, str, str, str]:
        """(join, timestamp, has_time, non-blank and unreadable, in another form) SQL for `name`."""
        cell = f"CAST({c[name]} AS VARCHAR)"
        parsed = f"try_strptime({cell}, {usual})"
        if not fallback:
            return ("", f"vn_in_range({parsed})", f"contains({cell}, ':')", "FALSE",
                    f"({cell} IS NOT NULL AND {parsed} IS NULL)")
        j = f"fb_{name}"
        return (f"LEFT JOIN date_fb {j} ON {j}.cell = {cell}",
                f"CASE WHEN {j}.cell IS NULL THEN vn_in_range({parsed}) ELSE {j}.ts END",
                f"CASE WHEN {j}.cell IS NULL THEN contains({cell}, ':') ELSE {j}.has_time END",
                f"coalesce({j}.ts IS NULL AND NOT {j}.blank, FALSE)", "FALSE")

    for fallback in (False, True):
        if fallback:
            fb_src = " UNION ".join(f"SELECT {x} AS cell FROM raw WHERE {x} IS NOT NULL AND try_strptime({x}, {usual}) IS NULL"
                                    for x in dcols)
            con.execute(f"""
                CREATE OR REPLACE TEMP TABLE date_fb AS
                SELECT cell, vn_in_range(vn_ts_any(vn_clean(cell))) AS ts,
                       coalesce(vn_has_time(vn_clean(cell)), FALSE) AS has_time, vn_clean(cell) IS NULL AS blank
                FROM ({fb_src})""")
        _check_pass(con, c, trimmed, date_of, fallback)
        if fallback or not con.execute("SELECT bool_or(other_form) FROM checked").fetchall()[0][0]:
            break
    valid, distinct_ids, total = con.execute(
        "SELECT count(*) FILTER (WHERE NOT bad), count(DISTINCT dossier_id) FILTER (WHERE NOT bad), count(*) "
        "FROM checked").fetchall()[0]
    con.execute("DROP TABLE IF EXISTS stg")
    if valid < total:
        _reject_reasons(con, c, trimmed, checks, [H[k] for k, *_ in checks])
        con.execute("DELETE FROM checked WHERE bad")
    else:
        # No bad row (the usual export): no reasons to build. Their queries' planning costs ~30 ms
        # whatever the rows, which a year of monthly files would pay twelve times.
        rejects_to_table(con, [])
    if distinct_ids < valid:
        # The last row of a repeated id wins; the window is only paid for when there are repeats.
        con.execute("CREATE TEMP TABLE stg AS SELECT * FROM checked "
                    "QUALIFY row_number() OVER (PARTITION BY dossier_id ORDER BY row_number DESC) = 1")
        con.execute("DROP TABLE checked")
    else:
        con.execute("ALTER TABLE checked RENAME TO stg")
    pmin, pmax = con.execute("SELECT min(received_at)::DATE, max(received_at)::DATE FROM stg").fetchall()[0]
    report.duplicates = valid - distinct_ids
    report.rows_to_load = distinct_ids
    report.period_from, report.period_to = pmin, pmax


def _reject_reasons(con: duckdb.DuckDBPyConnection, c: dict, trimmed, checks: list[tuple], headings: list[str]) -> None:
    """TEMP TABLE stg_rejects: one line per problem of the rows `checked` marks bad, with every
    reason (`checks`: column, condition, reason, raw cell; `headings`: each check's column as the
    file names it)."""
    bad = " OR ".join(f"coalesce({cond}, FALSE)" for _, cond, _, _ in checks)
    # The reasons, as one pass over the bad rows only.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE bad_raw AS
        SELECT * FROM raw WHERE row_number IN (SELECT row_number FROM checked WHERE bad)
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE checked_bad AS
        WITH t AS (
            SELECT row_number,
                   {trimmed(c['dossier_id'])} AS dossier_id,
                   {c['unit']} AS unit_cell, {trimmed(c['unit'])} AS unit_raw,
                   {c['channel']} AS channel_raw, {c['apology']} AS apology_raw,
                   {trimmed(c['received_at'])} AS received_raw, {trimmed(c['due_at'])} AS due_raw,
                   {trimmed(c['finished_at'])} AS finished_raw
            FROM bad_raw
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
                   {_RESOLVED},
                   ua.unit_any, uv.unit_id, us.first_from AS span_first_from, us.last_to AS span_last_to,
                   us.ended AS span_ended, us.not_yet AS span_not_yet
            FROM p
            {_RESOLVED_JOINS}
            LEFT JOIN (SELECT raw, min(unit_id) AS unit_any FROM unit_cand GROUP BY raw) ua ON ua.raw = p.unit_cell
            LEFT JOIN unit_span us ON us.raw = p.unit_cell
        )
        SELECT q.*, ({bad}) AS bad FROM q
        """
    )
    union = " UNION ALL ".join(
        f"SELECT row_number, ? AS column_name, {reason} AS reason, {raw} AS raw FROM bad_rows WHERE {cond}"
        for _, cond, reason, raw in checks
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE stg_rejects AS WITH bad_rows AS (SELECT * FROM checked_bad WHERE bad) {union}",
                headings)
    con.execute("DROP TABLE bad_raw")
    con.execute("DROP TABLE checked_bad")


# What both passes over the cells (the check of every row, the reasons of the bad ones) make of a
# row `p` the same way: the due time (end of the due day when the cell has no time), the channel
# and apology letter from their value maps, the unit valid on the receipt day.
_RESOLVED = """CASE WHEN due_has_time THEN due_day
                        ELSE date_trunc('day', due_day) + INTERVAL '23:59:59' END AS due_at,
                   coalesce(cm.val, CASE WHEN p.channel_raw IS NULL THEN 'in_person' END) AS channel,
                   coalesce(am.val, CASE WHEN p.apology_raw IS NULL THEN FALSE END) AS apology_issued"""
_RESOLVED_JOINS = """LEFT JOIN channel_map cm ON cm.raw = p.channel_raw
            LEFT JOIN apology_map am ON am.raw = p.apology_raw
            LEFT JOIN unit_cand uv ON uv.raw = p.unit_cell AND CAST(p.received_at AS DATE) BETWEEN uv.vf AND uv.vt"""


def _check_pass(con: duckdb.DuckDBPyConnection, c: dict, trimmed, date_of, fallback: bool) -> None:
    """TEMP TABLE checked: what is written for each row, whether the row has a problem (`bad`),
    and whether a date cell is in a form the first pass does not read (`other_form`)."""
    rj, rts, _, _, ro = date_of("received_at", fallback)
    dj, dts, dht, _, do = date_of("due_at", fallback)
    fj, fts, fht, fbad, fo = date_of("finished_at", fallback)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE checked AS
        WITH t AS (
            SELECT row_number,
                   {trimmed(c['dossier_id'])} AS dossier_id, {c['unit']} AS unit_cell,
                   coalesce({trimmed(c['field'])}, 'Chưa rõ lĩnh vực') AS field,
                   coalesce({trimmed(c['procedure_name'])}, 'Chưa rõ thủ tục') AS procedure_name,
                   {c['channel']} AS channel_raw, {c['apology']} AS apology_raw,
                   {rts} AS received_at, {dts} AS due_day, {dht} AS due_has_time,
                   {fts} AS finished_at, {fht} AS finished_has_time, {fbad} AS finished_unreadable,
                   {ro} OR {do} OR {fo} AS other_form
            FROM raw {rj} {dj} {fj}
        ), q AS (
            SELECT p.*,
                   {_RESOLVED},
                   uv.unit_id
            FROM t AS p
            {_RESOLVED_JOINS}
        )
        SELECT dossier_id, unit_id, field, procedure_name, channel, received_at, due_at,
               CASE WHEN finished_at IS NOT NULL AND NOT finished_has_time
                    THEN date_trunc('day', finished_at) ELSE finished_at END AS finished_at,
               apology_issued,
               CASE WHEN finished_at IS NULL THEN NULL ELSE finished_has_time END AS finished_has_time,
               row_number,
               -- every check of `checks` above, in the terms of this pass: a unit that is missing,
               -- unknown or not active that day leaves unit_id NULL; a missing or invalid date
               -- leaves its timestamp NULL
               coalesce(dossier_id IS NULL OR unit_id IS NULL OR received_at IS NULL OR due_day IS NULL
                   OR finished_unreadable
                   OR channel IS NULL OR apology_issued IS NULL OR due_at < received_at
                   OR CASE WHEN finished_at IS NULL THEN FALSE
                           WHEN finished_has_time THEN finished_at < received_at
                           ELSE CAST(finished_at AS DATE) < CAST(received_at AS DATE) END, TRUE) AS bad,
               other_form
        FROM q
        """
    )


# ---------------------------------------------------------------------------------------------
# Writing

# dossier_id is unique without an index (docs/data-contract.md): stg holds each id once, and the
# ids already in the warehouse are updated in place, the others inserted.
UPDATE_KNOWN = """
    UPDATE dossiers SET
        unit_id = stg.unit_id, field = stg.field, procedure_name = stg.procedure_name,
        channel = stg.channel, received_at = stg.received_at, due_at = stg.due_at,
        -- a dossier once returned stays returned: an older export loaded later cannot undo it
        finished_at = coalesce(stg.finished_at, dossiers.finished_at),
        finished_has_time = CASE WHEN stg.finished_at IS NULL THEN dossiers.finished_has_time
                                 ELSE stg.finished_has_time END,
        apology_issued = stg.apology_issued OR dossiers.apology_issued,
        batch_id = $batch, outcome = NULL
    FROM stg
    WHERE dossiers.dossier_id = stg.dossier_id
"""

INSERT_UNKNOWN = """
    INSERT INTO dossiers
    SELECT dossier_id, unit_id, field, procedure_name, channel, received_at, due_at, finished_at,
           apology_issued, $batch, finished_has_time, NULL FROM stg
    WHERE dossier_id NOT IN (SELECT dossier_id FROM dossiers)
"""

_INSERT_NEW = f"""
    INSERT INTO dossiers
    SELECT dossier_id, unit_id, field, procedure_name, channel, received_at, due_at, finished_at,
           apology_issued, $batch, finished_has_time, {derive.OUTCOME_SQL} FROM stg
"""


def write(con: duckdb.DuckDBPyConnection, batch: int) -> None:
    if not con.execute("SELECT EXISTS (SELECT 1 FROM stg JOIN dossiers USING (dossier_id))").fetchall()[0][0]:
        # Every dossier is new (the usual monthly export): a plain insert, outcome computed in
        # the same pass, is much cheaper than the keyed upsert.
        con.execute(_INSERT_NEW, {"batch": batch})
    else:
        con.execute(UPDATE_KNOWN, {"batch": batch})
        con.execute(INSERT_UNKNOWN, {"batch": batch})
        con.execute(f"UPDATE dossiers SET outcome = {derive.OUTCOME_SQL} "
                    "WHERE batch_id = $batch AND finished_at IS NOT NULL", {"batch": batch})



TEMPLATE = ("STT", "Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Đơn vị tiếp nhận", "Hình thức nộp", "Ngày tiếp nhận",
              "Ngày hẹn trả", "Ngày trả kết quả", "Phiếu xin lỗi")
TEMPLATE_HINT = ("Mỗi dòng một hồ sơ. Ngày ghi dạng ngày/tháng/năm giờ:phút (02/05/2023 08:30); hình thức nộp: Trực tuyến, "
                 "Trực tiếp hoặc Bưu chính; phiếu xin lỗi: Có hoặc để trống.")

SOURCE = SourceKind(
    kind="dossiers", label="hồ sơ TTHC", table="dossiers", synonyms=SYNONYMS, required=REQUIRED,
    column_labels=COLUMN_LABELS, expected="Mã hồ sơ, Đơn vị, Ngày tiếp nhận, Ngày hẹn trả, …",
    stage=stage, write=write, demo_module="etl.sources.dossiers_demo",
    template=TEMPLATE, template_hint=TEMPLATE_HINT,
)
