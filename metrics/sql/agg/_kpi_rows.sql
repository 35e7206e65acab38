-- CTE: per period of `periods` (_kpi_periods.sql), the KPI numbers of metrics/sql/kpis.sql from
-- agg_units_monthly, in one scan for all periods. The sums over all scoped units are ungrouped
-- per unit (a unit without anything received in nor carried into the period has 0 in every
-- column summed here; see etl/aggregates.py).
{{chosen_evaluations}},
dossier_counts AS (
    SELECT
        p.period,
        coalesce(sum(a.received) FILTER (WHERE a.month < p.p_end), 0)                  AS received,
        coalesce(sum(a.received_online) FILTER (WHERE a.month < p.p_end), 0)           AS received_online,
        coalesce(sum(a.returned) FILTER (WHERE a.month < p.p_end), 0)                  AS returned,
        coalesce(sum(a.early) FILTER (WHERE a.month < p.p_end), 0)                     AS early,
        coalesce(sum(a.on_time) FILTER (WHERE a.month < p.p_end), 0)                   AS on_time,
        coalesce(sum(a.late) FILTER (WHERE a.month < p.p_end), 0)                      AS late,
        coalesce(sum(a.open_at_start) FILTER (WHERE a.month = p.p_end), 0)             AS pending,
        coalesce(sum(a.overdue_at_start) FILTER (WHERE a.month = p.p_end), 0)          AS pending_overdue,
        coalesce(sum(a.late_apology) FILTER (WHERE a.month < p.p_end), 0)              AS late_apology,
        coalesce(sum(a.overdue_apology_at_start) FILTER (WHERE a.month = p.p_end), 0)  AS overdue_apology
    FROM agg_units_monthly a
    JOIN periods p ON a.month >= p.p_start AND a.month <= p.p_end
    WHERE a.month >= (SELECT min(p_start) FROM periods) AND a.month <= $end
      AND a.unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY p.period
),
scores AS (
    SELECT period, avg(score) AS avg_score FROM chosen_evaluations GROUP BY period
),
commitment_totals AS (
    SELECT p.period, sum(c.signed) AS signed, sum(c.headcount) AS headcount
    FROM commitments c
    JOIN periods p ON c.year BETWEEN year(p.p_from) AND year(p.p_to)
    WHERE c.unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY p.period
),
kpi_rows AS (
    SELECT
        p.period,
        CAST(coalesce(d.received, 0) AS BIGINT) AS received, CAST(coalesce(d.returned, 0) AS BIGINT) AS returned,
        CAST(coalesce(d.early, 0) AS BIGINT) AS early, CAST(coalesce(d.on_time, 0) AS BIGINT) AS on_time,
        CAST(coalesce(d.late, 0) AS BIGINT) AS late,
        100.0 * (d.early + d.on_time) / nullif(d.returned, 0)                       AS on_time_rate,
        100.0 * d.late / nullif(d.returned, 0)                                      AS late_rate,
        CAST(coalesce(d.pending, 0) AS BIGINT) AS pending,
        CAST(coalesce(d.pending_overdue, 0) AS BIGINT) AS pending_overdue,
        CAST(coalesce(d.late + d.pending_overdue, 0) AS BIGINT)                     AS late_dossiers,
        CAST(coalesce(d.late_apology + d.overdue_apology, 0) AS BIGINT)             AS late_with_apology,
        100.0 * (d.late_apology + d.overdue_apology) / nullif(d.late + d.pending_overdue, 0) AS apology_coverage,
        CAST(coalesce(d.received_online, 0) AS BIGINT) AS received_online,
        100.0 * d.received_online / nullif(d.received, 0)                           AS online_share,
        s.avg_score,
        100.0 * c.signed / nullif(c.headcount, 0)                                   AS commitment_coverage
    FROM periods p
    LEFT JOIN dossier_counts d ON d.period = p.period
    LEFT JOIN scores s ON s.period = p.period
    LEFT JOIN commitment_totals c ON c.period = p.period
)
