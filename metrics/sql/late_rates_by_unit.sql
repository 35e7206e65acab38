-- Received / returned / outcomes and rates per unit (worst late rate first).
WITH scoped_units AS ({{scoped_units}}),
{{period_dossiers}}
SELECT
    s.name AS unit_name,
{{late_rate_columns}}
FROM period_dossiers d
JOIN scoped_units s USING (unit_id)
GROUP BY s.unit_id, s.name
HAVING count(*) FILTER (WHERE received_in OR returned) > 0
ORDER BY late_rate DESC NULLS LAST, s.name COLLATE vi
