WITH scoped_units AS ({{scoped_units}}),
{{period_counts}}
SELECT
    d.field,
    d.procedure_name,
{{late_rate_columns}}
FROM period_counts d
GROUP BY d.field, d.procedure_name
HAVING sum(received) > 0 OR sum(returned) > 0
ORDER BY late_rate DESC NULLS LAST, d.procedure_name COLLATE vi, d.field COLLATE vi
