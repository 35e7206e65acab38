-- Commitment coverage per unit (as the map reports it: under the new map a predecessor's
-- headcount and signatures add to its successor's) and commitment for one year.
WITH scoped_units AS ({{scoped_units}})
SELECT s.name AS unit_name, c.commitment,
       CAST(sum(c.headcount) AS BIGINT) AS headcount,
       CAST(sum(c.signed) AS BIGINT) AS signed,
       100.0 * sum(c.signed) / nullif(sum(c.headcount), 0) AS coverage,
       CAST(sum(c.headcount - c.signed) AS BIGINT) AS missing
FROM commitments c
JOIN scoped_units s USING (unit_id)
WHERE c.year = $year
GROUP BY s.report_id, s.name, c.commitment
ORDER BY s.name COLLATE vi,
         CASE c.commitment WHEN 'office_culture' THEN 1 WHEN 'smoke_free' THEN 2 ELSE 3 END
