-- CTE: the average monthly evaluation score per month of the period (trend charts).
scores AS (
    SELECT CAST(date_trunc('month', period_start) AS TIMESTAMP) AS month, avg(score) AS avg_score
    FROM evaluations
    WHERE period_type = 'month' AND period_start BETWEEN $date_from AND $date_to
      AND unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY 1
)
