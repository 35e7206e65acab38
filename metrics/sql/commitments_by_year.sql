-- Commitment coverage by year and commitment over all years on record.
WITH scoped_units AS ({{scoped_units}})
SELECT c.year, c.commitment,
       count(DISTINCT c.unit_id) AS n_units,
       CAST(sum(c.headcount) AS BIGINT) AS headcount,
       CAST(sum(c.signed) AS BIGINT) AS signed,
       100.0 * sum(c.signed) / nullif(sum(c.headcount), 0) AS coverage
FROM commitments c
WHERE c.unit_id IN (SELECT unit_id FROM scoped_units)
GROUP BY c.year, c.commitment
ORDER BY c.year, CASE c.commitment WHEN 'office_culture' THEN 1 WHEN 'smoke_free' THEN 2 ELSE 3 END
