-- Received / returned / outcomes and rates per unit as the map reports it (report_id: under the
-- new map a predecessor's dossiers count under its successor), worst late rate first.
WITH scoped_units AS ({{scoped_units}}),
{{period_dossiers}}
SELECT
    d.unit_name,
{{late_rate_columns}}
FROM period_dossiers d
GROUP BY d.report_id, d.unit_name
HAVING count(*) FILTER (WHERE received_in OR returned) > 0
ORDER BY late_rate DESC NULLS LAST, d.unit_name COLLATE vi
