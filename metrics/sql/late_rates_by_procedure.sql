-- Received / returned / outcomes and rates per procedure (within its field), worst first.
WITH scoped_units AS ({{scoped_units}}),
{{period_dossiers}}
SELECT
    d.field,
    d.procedure_name,
{{late_rate_columns}}
FROM period_dossiers d
GROUP BY d.field, d.procedure_name
HAVING count(*) FILTER (WHERE received_in OR returned) > 0
ORDER BY late_rate DESC NULLS LAST, d.procedure_name COLLATE vi, d.field COLLATE vi
