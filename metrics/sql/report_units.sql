-- The units rows are reported under (report_id, see metrics/filters.py) for the filters.
WITH scoped_units AS ({{scoped_units}})
SELECT report_id, name, min(kind) AS kind
FROM scoped_units
GROUP BY report_id, name
ORDER BY name COLLATE vi, report_id
