-- The best (or, with $worst, the worst) $n units (as the map reports them) by average score,
-- with their on-time rate (unit_id: metrics.tables._top masks the rate of units outside a
-- viewer's scope, and drops it).
WITH scoped_units AS ({{scoped_units}}),
periods AS (SELECT 'cur' AS period, $date_from::DATE AS p_from, $date_to::DATE AS p_to),
{{chosen_evaluations}},
{{unit_scores}},
picked AS (
    SELECT r.report_id, r.rnk, r.avg_score, s.name
    FROM ranked_units r JOIN report_units s USING (report_id)
    WHERE r.avg_score IS NOT NULL
    ORDER BY CASE WHEN $worst::BOOLEAN THEN r.avg_score ELSE -r.avg_score END, s.name COLLATE vi
    LIMIT $n
),
returned AS (
    SELECT s.report_id,
           count(*) AS n,
           count(*) FILTER (WHERE outcome IN ('early', 'on_time')) AS in_time
    FROM dossiers d
    JOIN scoped_units s ON s.unit_id = d.unit_id
    WHERE d.finished_at >= $start AND d.finished_at < $end
      AND s.report_id IN (SELECT report_id FROM picked)
    GROUP BY s.report_id
)
SELECT p.rnk AS rank, p.report_id AS unit_id, p.name AS unit_name, p.avg_score,
       100.0 * t.in_time / nullif(t.n, 0) AS on_time_rate
FROM picked p
LEFT JOIN returned t USING (report_id)
ORDER BY CASE WHEN $worst::BOOLEAN THEN p.avg_score ELSE -p.avg_score END, p.name COLLATE vi
