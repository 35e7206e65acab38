-- late_rates_by_unit.sql from the pre-aggregated tables (whole-month periods only).
WITH scoped_units AS ({{scoped_units}}),
{{unit_counts}}
SELECT
    s.name AS unit_name,
{{late_rate_columns}}
FROM period_counts d
JOIN scoped_units s USING (unit_id)
GROUP BY s.report_id, s.name
HAVING sum(received) > 0 OR sum(returned) > 0
ORDER BY late_rate DESC NULLS LAST, s.name COLLATE vi
