-- Violations of each kind over the period and per 100 officials checked (no rows without a visit).
WITH scoped_units AS ({{scoped_units}}),
{{period_inspections}},
totals AS (
    SELECT count(*) AS visits, sum(checked) AS checked, sum(late_or_absent) AS late_or_absent,
           sum(dress) AS dress, sum(conduct) AS conduct, sum(workplace) AS workplace,
           sum(violations) AS violations
    FROM period_inspections
),
kinds AS (
    SELECT 1 AS ord, 'late_or_absent' AS kind, late_or_absent AS n, checked, violations, visits FROM totals
    UNION ALL SELECT 2, 'dress', dress, checked, violations, visits FROM totals
    UNION ALL SELECT 3, 'conduct', conduct, checked, violations, visits FROM totals
    UNION ALL SELECT 4, 'workplace', workplace, checked, violations, visits FROM totals
)
SELECT kind,
       CAST(n AS BIGINT) AS violations,
       100.0 * n / nullif(checked, 0)    AS per_100,
       100.0 * n / nullif(violations, 0) AS share
FROM kinds
WHERE visits > 0
ORDER BY ord
