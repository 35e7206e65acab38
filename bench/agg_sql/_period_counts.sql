-- Per unit / field / procedure: the Biểu 06 counts of a WHOLE-MONTH period [$start, $end) from
-- the pre-aggregated tables (etl/aggregates.py). Same numbers as _period_dossiers.sql grouped.
received_agg AS (
    SELECT unit_id, field, procedure_name, sum(n) AS received, sum(n_online) AS received_online
    FROM agg_dossiers_received
    WHERE month >= $start AND month < $end
      AND unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY ALL
),
returned_agg AS (
    SELECT unit_id, field, procedure_name, sum(n) AS returned, sum(n_early) AS early,
           sum(n_on_time) AS on_time, sum(n_late) AS late, sum(n_late_apology) AS late_apology
    FROM agg_dossiers_returned
    WHERE month < $end AND received_month < $end AND (month >= $start OR received_month >= $start)
      AND unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY ALL
),
open_agg AS (
    SELECT unit_id, field, procedure_name,
           sum(n_open) FILTER (WHERE month = $start) AS carried,
           sum(n_open) FILTER (WHERE month = $end) AS pending,
           sum(n_overdue) FILTER (WHERE month = $end) AS pending_overdue,
           sum(n_overdue_apology) FILTER (WHERE month = $end) AS pending_overdue_apology
    FROM agg_dossiers_open
    WHERE (month = $start OR month = $end)
      AND unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY ALL
),
period_counts AS (
    SELECT unit_id, field, procedure_name,
           coalesce(r.received, 0)                  AS received,
           coalesce(r.received_online, 0)           AS received_online,
           coalesce(o.carried, 0)                   AS carried,
           coalesce(t.returned, 0)                  AS returned,
           coalesce(t.early, 0)                     AS early,
           coalesce(t.on_time, 0)                   AS on_time,
           coalesce(t.late, 0)                      AS late,
           coalesce(t.late_apology, 0)              AS late_apology,
           coalesce(o.pending, 0)                   AS pending,
           coalesce(o.pending_overdue, 0)           AS pending_overdue,
           coalesce(o.pending_overdue_apology, 0)   AS pending_overdue_apology
    FROM received_agg r
    FULL JOIN returned_agg t USING (unit_id, field, procedure_name)
    FULL JOIN open_agg o USING (unit_id, field, procedure_name)
)
