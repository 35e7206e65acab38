"""What has been loaded, by whom, and how fresh each unit's data is: for the Dữ liệu page.

Vietnamese column headers, typed values (numbers stay numbers, dates stay dates). No streamlit.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from .headers import KIND_LABELS


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> pd.DataFrame:
    return con.sql(sql, params=params or None).to_arrow_table().to_pandas()


def load_history(con: duckdb.DuckDBPyConnection, limit: int = 500) -> pd.DataFrame:
    """One row per loaded file, latest first."""
    df = _df(con, """
        SELECT batch_id AS "Lô", loaded_at AS "Thời điểm nạp", coalesce(loaded_by, '') AS "Người nạp",
               file_name AS "Tệp", kind AS "Loại dữ liệu", rows_read AS "Số dòng đọc",
               rows_loaded AS "Số dòng nạp", rows_rejected AS "Số dòng bị loại",
               duplicate_ids AS "Mã trùng trong tệp", period_from AS "Từ ngày", period_to AS "Đến ngày",
               sha256 AS "SHA-256"
        FROM load_batches ORDER BY batch_id DESC LIMIT $limit""", {"limit": int(limit)})
    df["Loại dữ liệu"] = df["Loại dữ liệu"].map(lambda k: KIND_LABELS.get(k, k))
    return df


def batch_rejects(con: duckdb.DuckDBPyConnection, batch_id: int) -> pd.DataFrame:
    """The rejected rows of one batch: the Excel row number, the column, the reason, the value."""
    return _df(con, """
        SELECT row_number AS "Dòng", coalesce(column_name, '') AS "Cột", reason AS "Lý do",
               raw AS "Giá trị trong tệp"
        FROM load_rejects WHERE batch_id = $batch ORDER BY row_number, column_name""", {"batch": int(batch_id)})


def batch_file_name(con: duckdb.DuckDBPyConnection, batch_id: int) -> str | None:
    rows = con.execute("SELECT file_name FROM load_batches WHERE batch_id = ?", [int(batch_id)]).fetchall()
    return rows[0][0] if rows else None


# Latest month covered, per unit and kind. An evaluation of a quarter covers its last month, of a
# year its December; commitments and staff ratings are yearly (their year); surveys by month;
# inspections and commendations by the month of their day.
_LATEST = """
WITH d AS (
    SELECT unit_id, CAST(date_trunc('month', max(received_at)) AS DATE) AS last_month
    FROM dossiers GROUP BY unit_id
), e AS (
    SELECT unit_id, max(CAST(period_start + CASE period_type WHEN 'month' THEN INTERVAL 0 MONTH
                                                     WHEN 'quarter' THEN INTERVAL 2 MONTH
                                                     ELSE INTERVAL 11 MONTH END AS DATE)) AS last_month
    FROM evaluations GROUP BY unit_id
), c AS (
    SELECT unit_id, max(year) AS last_year FROM commitments GROUP BY unit_id
), s AS (
    SELECT unit_id, max(month) AS last_month FROM surveys GROUP BY unit_id
), i AS (
    SELECT unit_id, CAST(date_trunc('month', max(inspected_on)) AS DATE) AS last_month FROM inspections GROUP BY unit_id
), r AS (
    SELECT unit_id, max(year) AS last_year FROM staff_ratings GROUP BY unit_id
), k AS (
    SELECT unit_id, CAST(date_trunc('month', max(decided_on)) AS DATE) AS last_month FROM commendations GROUP BY unit_id
)
SELECT u.unit_id, u.name, u.kind, u.valid_from, u.valid_to,
       d.last_month AS dossiers, e.last_month AS evaluations, c.last_year AS commitments,
       s.last_month AS surveys, i.last_month AS inspections, r.last_year AS staff_ratings,
       k.last_month AS commendations
FROM units u
LEFT JOIN d USING (unit_id) LEFT JOIN e USING (unit_id) LEFT JOIN c USING (unit_id)
LEFT JOIN s USING (unit_id) LEFT JOIN i USING (unit_id) LEFT JOIN r USING (unit_id) LEFT JOIN k USING (unit_id)
WHERE coalesce(d.unit_id, e.unit_id, c.unit_id, s.unit_id, i.unit_id, r.unit_id, k.unit_id) IS NOT NULL
ORDER BY u.name COLLATE vi, u.unit_id
"""

UNIT_KIND_LABELS = {"commune": "Xã, thị trấn", "department": "Phòng ban chuyên môn",
                    "service_unit": "Đơn vị sự nghiệp", "association": "Hội, đoàn thể"}

# Per kind: its column on the Dữ liệu page, yearly (a year) or monthly (a month), and whether
# every unit is expected to have it each month / year (a surprise inspection or a commendation is
# not: their latest month is shown, no unit is "missing" it).
KINDS = {
    "dossiers": ("Hồ sơ TTHC: tháng mới nhất", "month", True),
    "evaluations": ("Đánh giá: tháng mới nhất", "month", True),
    "commitments": ("Cam kết: năm mới nhất", "year", True),
    "surveys": ("Khảo sát hài lòng: tháng mới nhất", "month", True),
    "inspections": ("Kiểm tra đột xuất: tháng mới nhất", "month", False),
    "staff_ratings": ("Xếp loại CBCCVC: năm mới nhất", "year", True),
    "commendations": ("Khen thưởng: tháng mới nhất", "month", False),
}
YEARLY_KINDS = tuple(k for k, (_, grain, _) in KINDS.items() if grain == "year")


def period_label(kind: str | None, first: dt.date | None, last: dt.date | None) -> str:
    """What a file of `kind` covers, in its own grain: "năm 2023" (or "năm 2022 – 2023") for the
    yearly kinds (commitments, staff ratings), "tháng 01/2023 – 03/2023" for surveys, else
    "01/01/2023 – 31/03/2023"; "–" without a period."""
    if first is None:
        return "–"
    last = last or first
    if kind in YEARLY_KINDS:
        return f"năm {first.year}" + (f" – {last.year}" if last.year != first.year else "")
    if kind == "surveys":
        a, b = f"{first:%m/%Y}", f"{last:%m/%Y}"
        return f"tháng {a}" + (f" – {b}" if b != a else "")
    return f"{first:%d/%m/%Y} – {last:%d/%m/%Y}"


def freshness_by_unit(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per unit that has any data: the latest month (year for the yearly kinds) of each kind
    (NaT / <NA> when the unit has none of that kind)."""
    df = _df(con, _LATEST)
    out = pd.DataFrame({"Đơn vị": df["name"], "Loại đơn vị": df["kind"].map(UNIT_KIND_LABELS)})
    for kind, (column, grain, _) in KINDS.items():
        out[column] = df[kind].astype("Int64") if grain == "year" else df[kind]
    return out


def missing_latest(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Per data kind (KINDS): the latest month (year for the yearly kinds) any unit has, and the
    units that had data of that kind before, still existed then, and lack it (None for the kinds
    no unit is expected to have every month: inspections, commendations).
    {kind: {"latest": date | int | None, "missing": [unit names, Vietnamese order] | None}}"""
    df = _df(con, _LATEST)
    out: dict[str, dict] = {}
    for kind, (_, grain, expected) in KINDS.items():
        have = df[df[kind].notna()]
        if have.empty:
            out[kind] = {"latest": None, "missing": [] if expected else None}
            continue
        if grain == "year":
            latest = int(have[kind].max())
            start, end = dt.date(latest, 1, 1), dt.date(latest, 12, 31)
            lacks = have[kind].astype(int) < latest
        else:
            latest = max(have[kind])
            start = latest
            end = (dt.date(latest.year + latest.month // 12, latest.month % 12 + 1, 1) - dt.timedelta(days=1))
            lacks = have[kind].map(lambda m: m < latest)
        if not expected:
            out[kind] = {"latest": latest, "missing": None}
            continue
        alive = have["valid_from"].map(lambda v: v is None or pd.isna(v) or v <= end) & \
            have["valid_to"].map(lambda v: v is None or pd.isna(v) or v >= start)
        out[kind] = {"latest": latest, "missing": list(have[alive & lacks]["name"])}
    return out
