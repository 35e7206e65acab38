-- trend.sql from the pre-aggregated tables (whole-month periods only).
WITH scoped_units AS ({{scoped_units}}),
months AS (
    SELECT range AS month FROM range(date_trunc('month', $start::TIMESTAMP), $end::TIMESTAMP, INTERVAL 1 MONTH)
),
monthly AS (
    SELECT CAST(month AS TIMESTAMP) AS month, sum(received) AS received, sum(received_online) AS online,
           sum(returned) AS returned, sum(early + on_time) AS in_time, sum(late) AS late
    FROM agg_units_monthly
    WHERE month >= $start AND month < $end
      AND unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY 1
),
{{monthly_scores}}
SELECT
    strftime(m.month, '%m/%Y')                          AS month_label,
    CAST(coalesce(a.received, 0) AS BIGINT)             AS received,
    CAST(coalesce(a.returned, 0) AS BIGINT)             AS returned,
    100.0 * a.in_time / nullif(a.returned, 0)           AS on_time_rate,
    100.0 * a.late / nullif(a.returned, 0)              AS late_rate,
    100.0 * a.online / nullif(a.received, 0)            AS online_share,
    s.avg_score
FROM months m
LEFT JOIN monthly a ON a.month = m.month
LEFT JOIN scores s ON s.month = m.month
ORDER BY m.month
