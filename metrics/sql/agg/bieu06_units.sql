-- bieu06_units.sql from the pre-aggregated tables (whole-month periods only): agg_units_monthly's
-- rows of the period summed per unit, as agg/bieu06.sql sums them per level and field (same
-- numbers as _period_dossiers.sql). Only units with a dossier in column (3).
WITH scoped_units AS ({{scoped_units}})
SELECT
    a.unit_id,
    CAST(coalesce(sum(received) FILTER (WHERE month < $end), 0)
         + coalesce(sum(open_at_start) FILTER (WHERE month = $start), 0) AS BIGINT)          AS c3,
    CAST(coalesce(sum(received_online) FILTER (WHERE month < $end), 0) AS BIGINT)            AS c4,
    CAST(coalesce(sum(received - received_online) FILTER (WHERE month < $end), 0) AS BIGINT) AS c5,
    CAST(coalesce(sum(open_at_start) FILTER (WHERE month = $start), 0) AS BIGINT)            AS c6,
    CAST(coalesce(sum(returned) FILTER (WHERE month < $end), 0) AS BIGINT)                   AS c7,
    CAST(coalesce(sum(early) FILTER (WHERE month < $end), 0) AS BIGINT)                      AS c8,
    CAST(coalesce(sum(on_time) FILTER (WHERE month < $end), 0) AS BIGINT)                    AS c9,
    CAST(coalesce(sum(late) FILTER (WHERE month < $end), 0) AS BIGINT)                       AS c10,
    CAST(coalesce(sum(open_at_start) FILTER (WHERE month = $end), 0) AS BIGINT)              AS c11,
    CAST(coalesce(sum(open_at_start - overdue_at_start) FILTER (WHERE month = $end), 0) AS BIGINT) AS c12,
    CAST(coalesce(sum(overdue_at_start) FILTER (WHERE month = $end), 0) AS BIGINT)           AS c13
FROM agg_units_monthly a
JOIN scoped_units s USING (unit_id)
WHERE a.month >= $start AND a.month <= $end
GROUP BY a.unit_id
HAVING c3 > 0
