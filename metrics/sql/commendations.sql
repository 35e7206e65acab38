-- Commendations per year, (reporting) unit and form: collectives, individuals, both.
WITH scoped_units AS ({{scoped_units}}),
{{period_commendations}}
SELECT year(c.decided_on) AS year, c.unit_name, c.form,
       count(*) FILTER (WHERE c.recipient_kind = 'collective') AS collective,
       count(*) FILTER (WHERE c.recipient_kind = 'individual') AS individual,
       count(*) AS total
FROM period_commendations c
GROUP BY year(c.decided_on), c.report_id, c.unit_name, c.form
ORDER BY year DESC, c.unit_name COLLATE vi, c.form COLLATE vi
