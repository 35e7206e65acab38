-- Survey answers per (reporting) unit over the period; shares from the summed counts, lowest
-- very-satisfied share first.
WITH scoped_units AS ({{scoped_units}}),
{{period_surveys}}
SELECT
    v.unit_name,
{{satisfaction_columns}}
FROM period_surveys v
GROUP BY v.report_id, v.unit_name
ORDER BY very_satisfied_share ASC NULLS LAST, v.unit_name COLLATE vi
