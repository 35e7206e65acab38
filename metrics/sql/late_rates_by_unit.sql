-- Received / returned / outcomes and rates per unit (worst late rate first).
WITH scoped_units AS ({{scoped_units}}),
{{period_dossiers}}
SELECT
    d.unit_name,
{{late_rate_columns}}
FROM period_dossiers d
GROUP BY d.unit_id, d.unit_name
HAVING count(*) FILTER (WHERE received_in OR returned) > 0
ORDER BY late_rate DESC NULLS LAST, d.unit_name COLLATE vi
