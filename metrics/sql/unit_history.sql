-- One unit's monthly scores, classification and rank that month among the units in scoped_units.
WITH scoped_units AS ({{scoped_units}}),
monthly AS (
    SELECT e.unit_id, e.period_start, e.score, e.classification,
           CASE WHEN e.score IS NOT NULL
                THEN rank() OVER (PARTITION BY e.period_start ORDER BY round(e.score, 1) DESC NULLS LAST) END AS rnk,
           count(e.score) OVER (PARTITION BY e.period_start) AS n_ranked
    FROM evaluations e
    WHERE e.period_type = 'month' AND e.period_start BETWEEN $date_from AND $date_to
      AND e.unit_id IN (SELECT unit_id FROM scoped_units)
)
SELECT strftime(period_start, '%m/%Y') AS month_label, score, classification, rnk AS rank, n_ranked
FROM monthly
WHERE unit_id = $unit_id
ORDER BY period_start
