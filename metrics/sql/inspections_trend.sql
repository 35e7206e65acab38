-- Visits, officials checked and violations per year ($by = 'year') or quarter ($by = 'quarter')
-- of the period; violations per 100 checked from the summed counts.
WITH scoped_units AS ({{scoped_units}}),
{{period_inspections}},
dated AS (
    SELECT i.*, year(i.inspected_on) AS y,
           CASE WHEN $by = 'quarter' THEN quarter(i.inspected_on) ELSE 0 END AS q
    FROM period_inspections i
)
SELECT
    CASE WHEN q = 0 THEN CAST(y AS VARCHAR)
         ELSE 'Quý ' || ['I', 'II', 'III', 'IV'][q] || '/' || y END  AS period_label,
    count(*)                                                        AS visits,
    CAST(sum(checked) AS BIGINT)                                    AS checked,
    CAST(sum(violations) AS BIGINT)                                 AS violations,
    100.0 * sum(violations) / nullif(sum(checked), 0)               AS per_100
FROM dated
GROUP BY y, q
ORDER BY y, q
