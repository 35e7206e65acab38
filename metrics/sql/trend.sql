-- Month by month over the period: received, returned and their outcomes, online share, average of
-- the MONTHLY evaluation scores of the month (quarterly/yearly evaluations have no month).
WITH scoped_units AS ({{scoped_units}}),
months AS (
    SELECT range AS month FROM range(date_trunc('month', $start::TIMESTAMP), $end::TIMESTAMP, INTERVAL 1 MONTH)
),
received AS (
    SELECT date_trunc('month', received_at) AS month,
           count(*) AS n,
           count(*) FILTER (WHERE channel = 'online') AS online
    FROM dossiers d
    JOIN scoped_units s ON s.unit_id = d.unit_id
    WHERE received_at >= $start AND received_at < $end
    GROUP BY 1
),
returned AS (
    SELECT date_trunc('month', finished_at) AS month,
           count(*) AS n,
           count(*) FILTER (WHERE outcome IN ('early', 'on_time')) AS in_time,
           count(*) FILTER (WHERE outcome = 'late') AS late
    FROM dossiers d
    JOIN scoped_units s ON s.unit_id = d.unit_id
    WHERE finished_at >= $start AND finished_at < $end
    GROUP BY 1
),
{{monthly_scores}}
SELECT
    strftime(m.month, '%m/%Y')                          AS month_label,
    coalesce(r.n, 0)                                    AS received,
    coalesce(t.n, 0)                                    AS returned,
    100.0 * t.in_time / nullif(t.n, 0)                  AS on_time_rate,
    100.0 * t.late / nullif(t.n, 0)                     AS late_rate,
    100.0 * r.online / nullif(r.n, 0)                   AS online_share,
    s.avg_score
FROM months m
LEFT JOIN received r ON r.month = m.month
LEFT JOIN returned t ON t.month = m.month
LEFT JOIN scores s ON s.month = m.month
ORDER BY m.month
