-- CTE: signed and headcount over the commitments of the period's years.
commitment_totals AS (
    SELECT sum(signed) AS signed, sum(headcount) AS headcount
    FROM commitments
    WHERE year BETWEEN $year_from AND $year_to
      AND unit_id IN (SELECT unit_id FROM scoped_units)
)
