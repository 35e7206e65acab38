-- Commendations per year and form, all selected units together.
WITH scoped_units AS ({{scoped_units}}),
{{period_commendations}}
SELECT year(c.decided_on) AS year, c.form,
       count(*) FILTER (WHERE c.recipient_kind = 'collective') AS collective,
       count(*) FILTER (WHERE c.recipient_kind = 'individual') AS individual,
       count(*) AS total
FROM period_commendations c
GROUP BY year(c.decided_on), c.form
ORDER BY year, total DESC, c.form COLLATE vi
