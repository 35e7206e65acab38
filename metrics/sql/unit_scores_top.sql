-- The best (or, with $worst, the worst) $n units by average score, with their on-time rate.
WITH scoped_units AS ({{scoped_units}}),
periods AS (SELECT 'cur' AS period, $date_from::DATE AS p_from, $date_to::DATE AS p_to),
{{chosen_evaluations}},
{{unit_scores}},
picked AS (
    SELECT r.unit_id, r.rnk, r.avg_score, s.name
    FROM ranked_units r JOIN scoped_units s USING (unit_id)
    WHERE r.avg_score IS NOT NULL
    ORDER BY CASE WHEN $worst::BOOLEAN THEN r.avg_score ELSE -r.avg_score END, s.name COLLATE vi
    LIMIT $n
),
returned AS (
    SELECT unit_id,
           count(*) AS n,
           count(*) FILTER (WHERE outcome IN ('early', 'on_time')) AS in_time
    FROM dossiers
    WHERE finished_at >= $start AND finished_at < $end
      AND unit_id IN (SELECT unit_id FROM picked)
    GROUP BY unit_id
)
SELECT p.rnk AS rank, p.name AS unit_name, p.avg_score,
       100.0 * t.in_time / nullif(t.n, 0) AS on_time_rate
FROM picked p
LEFT JOIN returned t USING (unit_id)
ORDER BY CASE WHEN $worst::BOOLEAN THEN p.avg_score ELSE -p.avg_score END, p.name COLLATE vi
