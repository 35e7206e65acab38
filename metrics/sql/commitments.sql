-- Commitment coverage per unit and commitment for one year.
WITH scoped_units AS ({{scoped_units}})
SELECT s.name AS unit_name, c.commitment, c.headcount, c.signed,
       100.0 * c.signed / nullif(c.headcount, 0) AS coverage,
       c.headcount - c.signed AS missing
FROM commitments c
JOIN scoped_units s USING (unit_id)
WHERE c.year = $year
ORDER BY s.name COLLATE vi,
         CASE c.commitment WHEN 'office_culture' THEN 1 WHEN 'smoke_free' THEN 2 ELSE 3 END
