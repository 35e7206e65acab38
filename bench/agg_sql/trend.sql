-- trend.sql from the pre-aggregated tables (whole-month periods only).
WITH scoped_units AS ({{scoped_units}}),
months AS (
    SELECT range AS month FROM range(date_trunc('month', $start::TIMESTAMP), $end::TIMESTAMP, INTERVAL 1 MONTH)
),
received AS (
    SELECT CAST(month AS TIMESTAMP) AS month, sum(n) AS n, sum(n_online) AS online
    FROM agg_dossiers_received
    WHERE month >= $start AND month < $end
      AND unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY 1
),
returned AS (
    SELECT CAST(month AS TIMESTAMP) AS month, sum(n) AS n,
           sum(n_early + n_on_time) AS in_time, sum(n_late) AS late
    FROM agg_dossiers_returned
    WHERE month >= $start AND month < $end
      AND unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY 1
),
scores AS (
    SELECT CAST(date_trunc('month', period_start) AS TIMESTAMP) AS month, avg(score) AS avg_score
    FROM evaluations
    WHERE period_type = 'month' AND period_start BETWEEN $date_from AND $date_to
      AND unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY 1
)
SELECT
    strftime(m.month, '%m/%Y')                          AS month_label,
    CAST(coalesce(r.n, 0) AS BIGINT)                    AS received,
    CAST(coalesce(t.n, 0) AS BIGINT)                    AS returned,
    100.0 * t.in_time / nullif(t.n, 0)                  AS on_time_rate,
    100.0 * t.late / nullif(t.n, 0)                     AS late_rate,
    100.0 * r.online / nullif(r.n, 0)                   AS online_share,
    s.avg_score
FROM months m
LEFT JOIN received r ON r.month = m.month
LEFT JOIN returned t ON t.month = m.month
LEFT JOIN scores s ON s.month = m.month
ORDER BY m.month
