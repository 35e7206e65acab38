-- metrics/sql/kpis.sql from the pre-aggregated tables (whole-month periods only, see README.md).
WITH scoped_units AS ({{scoped_units}}),
periods AS (SELECT 'cur' AS period, $date_from::DATE AS p_from, $date_to::DATE AS p_to),
{{chosen_evaluations}},
-- The sums of _period_counts.sql over all scoped units in one ungrouped scan of agg_units_monthly
-- (no per-unit grouping: a unit it would drop, with nothing received in nor carried into the
-- period, has 0 in every column summed here; see etl/aggregates.py).
dossier_counts AS (
    SELECT
        coalesce(sum(received) FILTER (WHERE month < $end), 0)                      AS received,
        coalesce(sum(received_online) FILTER (WHERE month < $end), 0)               AS received_online,
        coalesce(sum(returned) FILTER (WHERE month < $end), 0)                      AS returned,
        coalesce(sum(early) FILTER (WHERE month < $end), 0)                         AS early,
        coalesce(sum(on_time) FILTER (WHERE month < $end), 0)                       AS on_time,
        coalesce(sum(late) FILTER (WHERE month < $end), 0)                          AS late,
        coalesce(sum(open_at_start) FILTER (WHERE month = $end), 0)                 AS pending,
        coalesce(sum(overdue_at_start) FILTER (WHERE month = $end), 0)              AS pending_overdue,
        coalesce(sum(late) FILTER (WHERE month < $end), 0)
            + coalesce(sum(overdue_at_start) FILTER (WHERE month = $end), 0)        AS late_dossiers,
        coalesce(sum(late_apology) FILTER (WHERE month < $end), 0)
            + coalesce(sum(overdue_apology_at_start) FILTER (WHERE month = $end), 0) AS late_with_apology
    FROM agg_units_monthly
    WHERE month >= $start AND month <= $end
      AND unit_id IN (SELECT unit_id FROM scoped_units)
),
score AS (
    SELECT avg(score) AS avg_score FROM chosen_evaluations
),
{{commitment_totals}}
SELECT
    CAST(d.received AS BIGINT) AS received, CAST(d.returned AS BIGINT) AS returned,
    CAST(d.early AS BIGINT) AS early, CAST(d.on_time AS BIGINT) AS on_time, CAST(d.late AS BIGINT) AS late,
    100.0 * (d.early + d.on_time) / nullif(d.returned, 0)       AS on_time_rate,
    100.0 * d.late / nullif(d.returned, 0)                      AS late_rate,
    CAST(d.pending AS BIGINT) AS pending, CAST(d.pending_overdue AS BIGINT) AS pending_overdue,
    CAST(d.late_dossiers AS BIGINT) AS late_dossiers, CAST(d.late_with_apology AS BIGINT) AS late_with_apology,
    100.0 * d.late_with_apology / nullif(d.late_dossiers, 0)    AS apology_coverage,
    CAST(d.received_online AS BIGINT) AS received_online,
    100.0 * d.received_online / nullif(d.received, 0)           AS online_share,
    s.avg_score,
    100.0 * c.signed / nullif(c.headcount, 0)                   AS commitment_coverage
FROM dossier_counts d, score s, commitment_totals c
