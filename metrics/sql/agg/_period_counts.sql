-- Per $KEYS: the Biểu 06 counts of a WHOLE-MONTH period [$start, $end) from
-- agg_dossiers_monthly (etl/aggregates.py), in one scan. Same numbers as _period_dossiers.sql.
period_counts_all AS (
    SELECT $KEYS,
           coalesce(sum(received) FILTER (WHERE month < $end), 0)                      AS received,
           coalesce(sum(received_online) FILTER (WHERE month < $end), 0)               AS received_online,
           coalesce(sum(open_at_start) FILTER (WHERE month = $start), 0)               AS carried,
           coalesce(sum(returned) FILTER (WHERE month < $end), 0)                      AS returned,
           coalesce(sum(early) FILTER (WHERE month < $end), 0)                         AS early,
           coalesce(sum(on_time) FILTER (WHERE month < $end), 0)                       AS on_time,
           coalesce(sum(late) FILTER (WHERE month < $end), 0)                          AS late,
           coalesce(sum(late_apology) FILTER (WHERE month < $end), 0)                  AS late_apology,
           coalesce(sum(open_at_start) FILTER (WHERE month = $end), 0)                 AS pending,
           coalesce(sum(overdue_at_start) FILTER (WHERE month = $end), 0)              AS pending_overdue,
           coalesce(sum(overdue_apology_at_start) FILTER (WHERE month = $end), 0)      AS pending_overdue_apology
    FROM agg_dossiers_monthly
    WHERE month >= $start AND month <= $end
      AND unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY $KEYS
),
-- Only groups with a dossier in the period (received in it, or carried into it), as from raw rows.
period_counts AS (
    SELECT * FROM period_counts_all WHERE received + carried > 0
)
