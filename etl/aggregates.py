"""Pre-aggregated dossier tables, rebuilt from `dossiers` at the end of every load transaction.

Why: at province scale (10 million dossiers) scanning `dossiers` for every page interaction costs
100–400 ms on two cores; the same numbers from unit × procedure × month tables take a few ms.
They answer any period made of WHOLE MONTHS (Filters.whole_months) exactly; other periods (and
the late-dossier list, which shows rows) read `dossiers` or `dossiers_late_or_open`.

Tables:
- agg_dossiers_monthly(unit_id, field, procedure_name, month): for each month (its first day)
      received, received_online           received in the month (Biểu 06 col 4/5, online share)
      returned, early, on_time, late,     returned in the month, by outcome (col 7–10, rates);
      late_apology                        of those late, with an apology letter
      open_at_start, overdue_at_start,    received before the month's first instant and not
      overdue_apology_at_start            returned before it; of those, due before it; with apology.
  A whole-month period [S, E) (E = the first day after it) then reads, in one scan:
      col 4/5 = received in S <= month < E; col 7–10 = returned ... in S <= month < E;
      col 6 (from the previous period) = open_at_start at month = S;
      col 11 (pending at the end) = open_at_start at month = E, col 13 = overdue_at_start at E,
      col 12 = col 11 - col 13; col 3 = 4 + 5 + 6.
  Rows with only open_* exist for every month up to agg_info.horizon (the month after the last
  received, returned or due date), so an end E <= horizon is always answered.
  "Returned in the period" from raw data also needs "received before E"; it follows from
  returned >= received, which the ETL enforces (a return dated before the receipt day is
  rejected). agg_info.anomalies counts dossiers returned in an earlier MONTH than received
  (possible only through an upsert changing received_at); when it is not 0, use the raw SQL.
- agg_units_monthly(unit_id, month): the same counts summed over field and procedure (~10× fewer
      rows at province scale): what the overview, the trend and the by-unit rates read, so their
      scan is small and a page interaction is dominated by nothing but its own planning.
- dossiers_late_or_open: the dossiers that can ever appear in the late-dossier list (returned
      late, or not returned), ~2 % of all rows, any period. A dossier pending and overdue at the
      end of a period was returned after its due time or not at all, so it is always in here.
- agg_info(horizon DATE, dossiers BIGINT, max_batch BIGINT, anomalies BIGINT, built_at TIMESTAMP):
      one row. `dossiers` and `max_batch` are count(*) and max(batch_id) of `dossiers` when the
      tables were built: a reader compares them with the live values (both answered from DuckDB's
      statistics in well under a millisecond) and falls back to the raw SQL when they differ, so
      rows written without a refresh are never answered from stale aggregates.

Every number derived from these tables equals the one computed from `dossiers` for whole-month
periods (tests/test_scale.py checks that on generated data; bench checks it at 1M and 10M).
"""
from __future__ import annotations

import duckdb

AGGREGATE_TABLES = ("agg_dossiers_monthly", "agg_units_monthly", "dossiers_late_or_open", "agg_info")

DDL = """
CREATE TABLE IF NOT EXISTS agg_dossiers_monthly (
    unit_id VARCHAR NOT NULL, field VARCHAR NOT NULL, procedure_name VARCHAR NOT NULL,
    month DATE NOT NULL,
    received BIGINT NOT NULL, received_online BIGINT NOT NULL,
    returned BIGINT NOT NULL, early BIGINT NOT NULL, on_time BIGINT NOT NULL, late BIGINT NOT NULL,
    late_apology BIGINT NOT NULL,
    open_at_start BIGINT NOT NULL, overdue_at_start BIGINT NOT NULL, overdue_apology_at_start BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS agg_units_monthly (
    unit_id VARCHAR NOT NULL, month DATE NOT NULL,
    received BIGINT NOT NULL, received_online BIGINT NOT NULL,
    returned BIGINT NOT NULL, early BIGINT NOT NULL, on_time BIGINT NOT NULL, late BIGINT NOT NULL,
    late_apology BIGINT NOT NULL,
    open_at_start BIGINT NOT NULL, overdue_at_start BIGINT NOT NULL, overdue_apology_at_start BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS dossiers_late_or_open (
    dossier_id VARCHAR NOT NULL, unit_id VARCHAR NOT NULL, field VARCHAR NOT NULL,
    procedure_name VARCHAR NOT NULL, channel VARCHAR NOT NULL,
    received_at TIMESTAMP NOT NULL, due_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
    apology_issued BOOLEAN NOT NULL, outcome VARCHAR
);
CREATE TABLE IF NOT EXISTS agg_info (
    horizon DATE, dossiers BIGINT NOT NULL, max_batch BIGINT, anomalies BIGINT NOT NULL,
    built_at TIMESTAMP NOT NULL
);
"""

def _monthly_counts(src: str, horizon: str, more_spanning: str = "") -> str:
    """The SELECT of agg_dossiers_monthly's rows for the dossiers of `src` (a table, or a CTE
    defined before this text), their month boundaries running up to `horizon` (a scalar SQL
    expression, a TIMESTAMP) for those not returned; `more_spanning`: a further
    `UNION ALL SELECT ...` of spanning rows (unit_id, field, procedure_name, due_at,
    apology_issued, first_b, last_b). REFRESH counts the whole table, APPEND a load's new dossiers."""
    return f"""received AS (
    SELECT unit_id, field, procedure_name, CAST(date_trunc('month', received_at) AS DATE) AS month,
           count(*) AS received, count(*) FILTER (WHERE channel = 'online') AS received_online
    FROM {src}
    GROUP BY ALL
),
returned AS (
    SELECT unit_id, field, procedure_name, CAST(date_trunc('month', finished_at) AS DATE) AS month,
           count(*) AS returned,
           count(*) FILTER (WHERE outcome = 'early') AS early,
           count(*) FILTER (WHERE outcome = 'on_time') AS on_time,
           count(*) FILTER (WHERE outcome = 'late') AS late,
           count(*) FILTER (WHERE outcome = 'late' AND apology_issued) AS late_apology
    FROM {src}
    WHERE finished_at IS NOT NULL
    GROUP BY ALL
),
-- Open at the first instant B of a month: received before B, not returned before B. Only the
-- dossiers open across at least one month boundary contribute, one row per boundary.
spanning AS (
    SELECT unit_id, field, procedure_name, due_at, apology_issued,
           date_trunc('month', received_at) + INTERVAL 1 MONTH AS first_b,
           coalesce(date_trunc('month', finished_at), {horizon}) AS last_b
    FROM {src}
    WHERE finished_at IS NULL OR date_trunc('month', finished_at) > date_trunc('month', received_at)
    {more_spanning}
),
boundaries AS (
    SELECT unit_id, field, procedure_name, due_at, apology_issued,
           unnest(generate_series(first_b, last_b, INTERVAL 1 MONTH)) AS b
    FROM spanning
    WHERE last_b >= first_b
),
open_at AS (
    SELECT unit_id, field, procedure_name, CAST(b AS DATE) AS month,
           count(*) AS open_at_start,
           count(*) FILTER (WHERE due_at < b) AS overdue_at_start,
           count(*) FILTER (WHERE due_at < b AND apology_issued) AS overdue_apology_at_start
    FROM boundaries
    GROUP BY ALL
)
SELECT unit_id, field, procedure_name, month,
       coalesce(r.received, 0) AS received, coalesce(r.received_online, 0) AS received_online,
       coalesce(t.returned, 0) AS returned, coalesce(t.early, 0) AS early, coalesce(t.on_time, 0) AS on_time,
       coalesce(t.late, 0) AS late, coalesce(t.late_apology, 0) AS late_apology,
       coalesce(o.open_at_start, 0) AS open_at_start, coalesce(o.overdue_at_start, 0) AS overdue_at_start,
       coalesce(o.overdue_apology_at_start, 0) AS overdue_apology_at_start
FROM received r
FULL JOIN returned t USING (unit_id, field, procedure_name, month)
FULL JOIN open_at o USING (unit_id, field, procedure_name, month)"""


def _units_monthly(where: str = "") -> str:
    """agg_units_monthly's rows: agg_dossiers_monthly summed over field and procedure."""
    return f"""INSERT INTO agg_units_monthly
SELECT unit_id, month,
       sum(received), sum(received_online), sum(returned), sum(early), sum(on_time), sum(late),
       sum(late_apology), sum(open_at_start), sum(overdue_at_start), sum(overdue_apology_at_start)
FROM agg_dossiers_monthly
{where}
GROUP BY unit_id, month
ORDER BY month, unit_id"""


def _late_or_open(where: str) -> str:
    return f"""INSERT INTO dossiers_late_or_open
SELECT dossier_id, unit_id, field, procedure_name, channel, received_at, due_at, finished_at,
       apology_issued, outcome
FROM dossiers
WHERE {where}
ORDER BY received_at"""


# Rows are inserted in month order so DuckDB's per-row-group min/max lets a period filter skip
# most of the table.
REFRESH = f"""
DELETE FROM agg_dossiers_monthly;
DELETE FROM agg_units_monthly;
DELETE FROM dossiers_late_or_open;
DELETE FROM agg_info;

INSERT INTO agg_info
SELECT CAST(date_trunc('month', greatest(max(received_at), max(finished_at), max(due_at))) + INTERVAL 1 MONTH AS DATE),
       count(*), max(batch_id),
       count(*) FILTER (WHERE date_trunc('month', finished_at) < date_trunc('month', received_at)),
       now()::TIMESTAMP
FROM dossiers;

INSERT INTO agg_dossiers_monthly
WITH {_monthly_counts("dossiers", "(SELECT CAST(horizon AS TIMESTAMP) FROM agg_info)")}
ORDER BY month, unit_id;

{_units_monthly()};

{_late_or_open("finished_at IS NULL OR outcome = 'late'")};
"""


def ensure_aggregate_tables(con: duckdb.DuckDBPyConnection) -> None:
    # Tables of an earlier layout of this module (bench warehouses built before it changed).
    for old in ("agg_dossiers_received", "agg_dossiers_returned", "agg_dossiers_open"):
        con.execute(f"DROP TABLE IF EXISTS {old}")
    cols = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = 'agg_info'").fetchall()}
    if cols and "max_batch" not in cols:
        con.execute("DROP TABLE agg_info")
    con.execute(DDL)


def refresh_aggregates(con: duckdb.DuckDBPyConnection, appended: list[int] | None = None) -> None:
    """Bring every aggregate up to date with `dossiers`. Call inside the load transaction, after the
    outcome column is up to date (etl.derive), so readers see facts and aggregates change together.
    `appended`: the batches this load wrote. When they only added dossiers to a warehouse whose
    aggregates were up to date (see _append_in_place), the aggregates are updated by what those
    dossiers add; otherwise (and without `appended`) rebuilt from the whole table."""
    ensure_aggregate_tables(con)
    if appended and _append_in_place(con, appended):
        return
    con.execute(REFRESH)


# What a set of NEW dossiers (batch in $b) adds, when nothing else changed: their own rows as
# REFRESH counts them, with the new horizon; and, when the horizon moves from H_old to H_new, one
# open_at_start row more per month in (H_old, H_new] for every older dossier still pending (its
# boundaries ran to H_old: a pending dossier is open at every month start up to the horizon).
# Dossiers returned before H_old are untouched by a later horizon (their last boundary is the
# month they were returned in).
APPEND = [
    ("""CREATE OR REPLACE TEMP TABLE agg_new_horizon AS
        SELECT greatest(CAST($h_old AS DATE), CAST(date_trunc('month', greatest(max(received_at), max(finished_at), max(due_at)))
                        + INTERVAL 1 MONTH AS DATE)) AS h
        FROM dossiers WHERE list_contains($b, batch_id)""", ("b", "h_old")),
    ("CREATE OR REPLACE TEMP TABLE agg_delta AS WITH n AS (SELECT * FROM dossiers WHERE list_contains($b, batch_id)), "
     + _monthly_counts("n", "(SELECT CAST(h AS TIMESTAMP) FROM agg_new_horizon)", """
    UNION ALL
    SELECT unit_id, field, procedure_name, due_at, apology_issued,
           CAST($h_old AS TIMESTAMP) + INTERVAL 1 MONTH AS first_b,
           (SELECT CAST(h AS TIMESTAMP) FROM agg_new_horizon) AS last_b
    FROM dossiers
    WHERE finished_at IS NULL AND NOT list_contains($b, batch_id)"""), ("b", "h_old")),
    ("""UPDATE agg_dossiers_monthly AS a SET
            received = a.received + d.received, received_online = a.received_online + d.received_online,
            returned = a.returned + d.returned, early = a.early + d.early, on_time = a.on_time + d.on_time,
            late = a.late + d.late, late_apology = a.late_apology + d.late_apology,
            open_at_start = a.open_at_start + d.open_at_start, overdue_at_start = a.overdue_at_start + d.overdue_at_start,
            overdue_apology_at_start = a.overdue_apology_at_start + d.overdue_apology_at_start
        FROM agg_delta d
        WHERE a.unit_id = d.unit_id AND a.field = d.field AND a.procedure_name = d.procedure_name AND a.month = d.month""", ()),
    ("""INSERT INTO agg_dossiers_monthly
        SELECT d.* FROM agg_delta d ANTI JOIN agg_dossiers_monthly a USING (unit_id, field, procedure_name, month)
        ORDER BY month, unit_id""", ()),
    ("DELETE FROM agg_units_monthly WHERE month IN (SELECT DISTINCT month FROM agg_delta)", ()),
    (_units_monthly("WHERE month IN (SELECT DISTINCT month FROM agg_delta)"), ()),
    (_late_or_open("list_contains($b, batch_id) AND (finished_at IS NULL OR outcome = 'late')"), ("b",)),
    ("""UPDATE agg_info SET
            horizon = (SELECT h FROM agg_new_horizon),
            dossiers = (SELECT count(*) FROM dossiers),
            max_batch = (SELECT max(batch_id) FROM dossiers),
            anomalies = anomalies + (SELECT count(*) FROM dossiers WHERE list_contains($b, batch_id)
                                     AND date_trunc('month', finished_at) < date_trunc('month', received_at)),
            built_at = now()::TIMESTAMP""", ("b",)),
    ("DROP TABLE agg_delta", ()),
    ("DROP TABLE agg_new_horizon", ()),
]


def _append_in_place(con: duckdb.DuckDBPyConnection, batches: list[int]) -> bool:
    """Update the aggregates by the dossiers of `batches`, when those batches only ADDED dossiers
    to a warehouse whose aggregates were up to date: agg_info counts exactly the dossiers of the
    other batches, and its max_batch is theirs. An upsert that changed a dossier already loaded
    moves it into a new batch, so the count no longer matches and the caller rebuilds. False
    (nothing done) when this does not hold."""
    info = con.execute("SELECT horizon, dossiers, max_batch FROM agg_info").fetchall()
    if len(info) != 1 or info[0][0] is None or info[0][2] is None:
        return False
    horizon, counted, max_batch = info[0]
    others, others_max = con.execute("SELECT count(*), max(batch_id) FROM dossiers WHERE NOT list_contains($b, batch_id)",
                                     {"b": batches}).fetchall()[0]
    if others != counted or others_max != max_batch or min(batches) <= max_batch:
        return False
    params = {"b": batches, "h_old": horizon}
    for sql, keys in APPEND:
        con.execute(sql, {k: params[k] for k in keys}) if keys else con.execute(sql)
    return True


FRESHNESS_SQL = """
SELECT a.horizon, a.anomalies,
       a.dossiers = (SELECT count(*) FROM dossiers)
       AND a.max_batch IS NOT DISTINCT FROM (SELECT max(batch_id) FROM dossiers) AS fresh
FROM agg_info a
"""


def usable_until(con: duckdb.DuckDBPyConnection):
    """The first day after the last whole month the aggregates can answer (agg_info.horizon),
    or None when they cannot be used: missing, built before the last change to `dossiers`, or
    `dossiers` holding returns dated in an earlier month than the receipt."""
    try:
        rows = con.execute(FRESHNESS_SQL).fetchall()
    except duckdb.CatalogException:
        return None
    if len(rows) != 1:
        return None
    horizon, anomalies, fresh = rows[0]
    if not fresh or anomalies or horizon is None:
        return None
    return horizon
