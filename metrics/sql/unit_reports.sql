-- Each allowed unit and the unit it is reported under on the filters' map (report_id).
WITH scoped_units AS ({{scoped_units}})
SELECT unit_id, report_id FROM scoped_units ORDER BY unit_id
