-- One unit's (report_id's) monthly scores, classification and rank that month among the units
-- (as the map reports them) in scoped_units. Under the new map a month's score combines the
-- predecessors' (_combined_score) and its classification, when combined, is the bands' in force.
WITH scoped_units AS ({{scoped_units}}),
{{headcount_weights}},
unit_rows AS (
    SELECT s.report_id, e.period_start, e.score, e.classification, e.general_points, e.task_points, w.weight
    FROM evaluations e
    JOIN scoped_units s USING (unit_id)
    LEFT JOIN headcount_weights w ON w.unit_id = e.unit_id AND w.year = year(e.period_start)
    WHERE e.period_type = 'month' AND e.period_start BETWEEN $date_from AND $date_to
),
combined AS (
    SELECT report_id, period_start, {{combined_score}} AS score,
           count(*) AS n_rows, max(classification) AS classification,
           max(general_points) AS general_points, max(task_points) AS task_points
    FROM unit_rows
    GROUP BY report_id, period_start
),
monthly AS (
    SELECT c.report_id, c.period_start, c.score,
           -- ND 335/2025's two parts: of a single evaluation only (a combined score has none)
           CASE WHEN c.n_rows = 1 THEN c.general_points END AS general_points,
           CASE WHEN c.n_rows = 1 THEN c.task_points END AS task_points,
           CASE WHEN c.n_rows = 1 THEN c.classification
                ELSE (SELECT b.classification FROM classification_bands b
                      WHERE c.score >= b.min_score AND c.period_start >= b.valid_from
                        AND (b.valid_to IS NULL OR c.period_start <= b.valid_to)
                      ORDER BY b.min_score DESC LIMIT 1) END AS classification,
           CASE WHEN c.score IS NOT NULL
                THEN rank() OVER (PARTITION BY c.period_start ORDER BY round(c.score, 1) DESC NULLS LAST) END AS rnk,
           count(c.score) OVER (PARTITION BY c.period_start) AS n_ranked
    FROM combined c
)
SELECT strftime(period_start, '%m/%Y') AS month_label, score, general_points, task_points, classification,
       rnk AS rank, n_ranked
FROM monthly
WHERE report_id = $unit_id
ORDER BY period_start
