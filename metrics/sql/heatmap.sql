-- Unit x month monthly evaluation scores over the period (long format); a unit as the map
-- reports it, its predecessors' scores combined (_combined_score, docs/map.md).
WITH scoped_units AS ({{scoped_units}}),
{{headcount_weights}},
monthly AS (
    SELECT s.report_id, s.name, e.period_start, e.score, w.weight
    FROM evaluations e
    JOIN scoped_units s USING (unit_id)
    LEFT JOIN headcount_weights w ON w.unit_id = e.unit_id AND w.year = year(e.period_start)
    WHERE e.period_type = 'month' AND e.period_start BETWEEN $date_from AND $date_to
)
SELECT name AS unit_name, strftime(period_start, '%m/%Y') AS month_label,
       {{combined_score}} AS score
FROM monthly
GROUP BY report_id, name, period_start
ORDER BY name COLLATE vi, period_start
