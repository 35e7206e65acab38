-- Unit x month monthly evaluation scores over the period (long format).
WITH scoped_units AS ({{scoped_units}})
SELECT s.name AS unit_name, strftime(e.period_start, '%m/%Y') AS month_label, e.score
FROM evaluations e
JOIN scoped_units s USING (unit_id)
WHERE e.period_type = 'month' AND e.period_start BETWEEN $date_from AND $date_to
ORDER BY s.name COLLATE vi, e.period_start
