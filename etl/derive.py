"""Columns and tables derived from the loaded facts, refreshed inside every load transaction."""
from __future__ import annotations

import duckdb

# DOMAIN.md: early = returned on a calendar day before the due day; on time = on the due day,
# not after the due time; late = after the due date-time. A return date given without a time is
# compared by day only. (A due date without a time is stored as 23:59:59 of that day.)
OUTCOME_SQL = """
CASE
    WHEN finished_at IS NULL THEN NULL
    WHEN CAST(finished_at AS DATE) < CAST(due_at AS DATE) THEN 'early'
    WHEN COALESCE(finished_has_time, TRUE) AND finished_at <= due_at THEN 'on_time'
    WHEN NOT COALESCE(finished_has_time, TRUE) AND CAST(finished_at AS DATE) <= CAST(due_at AS DATE) THEN 'on_time'
    ELSE 'late'
END
"""


def refresh_outcomes(con: duckdb.DuckDBPyConnection, only_missing: bool = False) -> None:
    """Set dossiers.outcome from finished_at / due_at."""
    where = "WHERE outcome IS NULL AND finished_at IS NOT NULL" if only_missing else ""
    con.execute(f"UPDATE dossiers SET outcome = {OUTCOME_SQL} {where}")


def refresh_lineage(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild unit_lineage: every unit rolls up to itself and to each successor down the chain."""
    con.execute("DELETE FROM unit_lineage")
    con.execute(
        """
        INSERT INTO unit_lineage
        WITH RECURSIVE chain(unit_id, rollup_id) AS (
            SELECT unit_id, unit_id FROM units
            UNION
            SELECT c.unit_id, u.successor_id
            FROM chain c JOIN units u ON u.unit_id = c.rollup_id
            WHERE u.successor_id IS NOT NULL AND u.successor_id <> ''
        )
        SELECT unit_id, rollup_id FROM chain
        """
    )


def refresh_all(con: duckdb.DuckDBPyConnection) -> None:
    """Everything a load derives: lineage, outcomes, the pre-aggregated tables (so fixtures built
    by inserting rows directly also exercise the aggregate path of metrics)."""
    from .aggregates import refresh_aggregates

    refresh_lineage(con)
    refresh_outcomes(con)
    refresh_aggregates(con)
