"""Pre-aggregated dossier tables, rebuilt from `dossiers` at the end of every load transaction.

Why: at province scale (10 million dossiers) scanning `dossiers` for every page interaction costs
100–400 ms on two cores; the same numbers from unit × procedure × month tables take a few ms.
They answer any period made of WHOLE MONTHS (Filters.whole_months) exactly; other periods (and
the late-dossier list, which shows rows) read `dossiers` or `dossiers_late_or_open`.

Tables (all keyed by unit_id, field, procedure_name and a month = first day of a month):
- agg_dossiers_received(month = month received): n, n_online
      Biểu 06 col 4/5, "received", online share, trend.
- agg_dossiers_returned(month = month returned, received_month): n, n_early, n_on_time, n_late,
      n_late_apology                 col 7–10, on-time / late rates, trend, apology numerator.
      received_month lets a query keep "received before the end of the period" exact.
- agg_dossiers_open(month = boundary B, i.e. the instant B 00:00): dossiers received before B and
      not returned before B: n_open, n_overdue (due_at < B), n_overdue_apology.
      A period [S, E) (E = first day after it): col 6 "from the previous period" = open at S;
      col 11 "pending" = open at E, col 13 = overdue at E, col 12 = 11 - 13.
      Rows exist for every boundary up to agg_info.horizon (the month after the last received,
      returned or due date); an end boundary beyond the horizon must not use this table.
- dossiers_late_or_open: the dossiers that can ever appear in the late-dossier list (returned
      late, or not returned), ~2–3 % of all rows. A dossier pending and overdue at the end of some
      period was returned after its due time or not at all, so it is always in here.
- agg_info(horizon DATE, dossiers BIGINT, built_at TIMESTAMP): one row.

Every number derived from these tables equals the one computed from `dossiers` for whole-month
periods (tests/test_scale.py checks that on generated data).
"""
from __future__ import annotations

import duckdb

AGGREGATE_TABLES = ("agg_dossiers_received", "agg_dossiers_returned", "agg_dossiers_open",
                    "dossiers_late_or_open", "agg_info")

DDL = """
CREATE TABLE IF NOT EXISTS agg_dossiers_received (
    unit_id VARCHAR NOT NULL, field VARCHAR NOT NULL, procedure_name VARCHAR NOT NULL,
    month DATE NOT NULL,
    n BIGINT NOT NULL, n_online BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS agg_dossiers_returned (
    unit_id VARCHAR NOT NULL, field VARCHAR NOT NULL, procedure_name VARCHAR NOT NULL,
    month DATE NOT NULL, received_month DATE NOT NULL,
    n BIGINT NOT NULL, n_early BIGINT NOT NULL, n_on_time BIGINT NOT NULL, n_late BIGINT NOT NULL,
    n_late_apology BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS agg_dossiers_open (
    unit_id VARCHAR NOT NULL, field VARCHAR NOT NULL, procedure_name VARCHAR NOT NULL,
    month DATE NOT NULL,
    n_open BIGINT NOT NULL, n_overdue BIGINT NOT NULL, n_overdue_apology BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS dossiers_late_or_open (
    dossier_id VARCHAR NOT NULL, unit_id VARCHAR NOT NULL, field VARCHAR NOT NULL,
    procedure_name VARCHAR NOT NULL, channel VARCHAR NOT NULL,
    received_at TIMESTAMP NOT NULL, due_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
    apology_issued BOOLEAN NOT NULL, outcome VARCHAR
);
CREATE TABLE IF NOT EXISTS agg_info (
    horizon DATE, dossiers BIGINT NOT NULL, built_at TIMESTAMP NOT NULL
);
"""

# Rows are inserted in month order so DuckDB's per-row-group min/max lets a period filter skip
# most of each table.
REFRESH = """
DELETE FROM agg_dossiers_received;
DELETE FROM agg_dossiers_returned;
DELETE FROM agg_dossiers_open;
DELETE FROM dossiers_late_or_open;
DELETE FROM agg_info;

INSERT INTO agg_info
SELECT CAST(date_trunc('month', greatest(max(received_at), max(finished_at), max(due_at))) + INTERVAL 1 MONTH AS DATE),
       count(*), now()::TIMESTAMP
FROM dossiers;

INSERT INTO agg_dossiers_received
SELECT unit_id, field, procedure_name, CAST(date_trunc('month', received_at) AS DATE) AS month,
       count(*), count(*) FILTER (WHERE channel = 'online')
FROM dossiers
GROUP BY ALL
ORDER BY month, unit_id;

INSERT INTO agg_dossiers_returned
SELECT unit_id, field, procedure_name, CAST(date_trunc('month', finished_at) AS DATE) AS month,
       CAST(date_trunc('month', received_at) AS DATE) AS received_month,
       count(*),
       count(*) FILTER (WHERE outcome = 'early'),
       count(*) FILTER (WHERE outcome = 'on_time'),
       count(*) FILTER (WHERE outcome = 'late'),
       count(*) FILTER (WHERE outcome = 'late' AND apology_issued)
FROM dossiers
WHERE finished_at IS NOT NULL
GROUP BY ALL
ORDER BY month, unit_id;

-- Only dossiers that stay open across at least one month boundary contribute.
INSERT INTO agg_dossiers_open
WITH spanning AS (
    SELECT unit_id, field, procedure_name, due_at, apology_issued,
           date_trunc('month', received_at) + INTERVAL 1 MONTH AS first_b,
           coalesce(date_trunc('month', finished_at), (SELECT CAST(horizon AS TIMESTAMP) FROM agg_info)) AS last_b
    FROM dossiers
    WHERE finished_at IS NULL OR date_trunc('month', finished_at) > date_trunc('month', received_at)
),
boundaries AS (
    SELECT unit_id, field, procedure_name, due_at, apology_issued,
           unnest(generate_series(first_b, last_b, INTERVAL 1 MONTH)) AS b
    FROM spanning
    WHERE last_b >= first_b
)
SELECT unit_id, field, procedure_name, CAST(b AS DATE) AS month,
       count(*),
       count(*) FILTER (WHERE due_at < b),
       count(*) FILTER (WHERE due_at < b AND apology_issued)
FROM boundaries
GROUP BY ALL
ORDER BY month, unit_id;

INSERT INTO dossiers_late_or_open
SELECT dossier_id, unit_id, field, procedure_name, channel, received_at, due_at, finished_at,
       apology_issued, outcome
FROM dossiers
WHERE finished_at IS NULL OR outcome = 'late'
ORDER BY received_at;
"""


def ensure_aggregate_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def refresh_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild every aggregate from `dossiers`. Call inside the load transaction, after the
    outcome column is up to date (etl.derive), so readers see facts and aggregates change together."""
    ensure_aggregate_tables(con)
    con.execute(REFRESH)
