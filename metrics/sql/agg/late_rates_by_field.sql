WITH scoped_units AS ({{scoped_units}}),
{{field_counts}}
SELECT
    d.field,
{{late_rate_columns}}
FROM period_counts d
GROUP BY d.field
HAVING sum(received) > 0 OR sum(returned) > 0
ORDER BY late_rate DESC NULLS LAST, d.field COLLATE vi
