-- Received / returned / outcomes and rates per field (lĩnh vực), worst late rate first.
WITH scoped_units AS ({{scoped_units}}),
{{period_dossiers}}
SELECT
    d.field,
{{late_rate_columns}}
FROM period_dossiers d
GROUP BY d.field
HAVING count(*) FILTER (WHERE received_in OR returned) > 0
ORDER BY late_rate DESC NULLS LAST, d.field COLLATE vi
