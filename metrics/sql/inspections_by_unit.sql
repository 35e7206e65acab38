-- Visits, officials checked and violations by kind per (reporting) unit; violations per 100
-- officials checked from the summed counts, highest first.
WITH scoped_units AS ({{scoped_units}}),
{{period_inspections}}
SELECT
    i.unit_name,
    count(*)                                AS visits,
    CAST(sum(i.checked) AS BIGINT)          AS checked,
    CAST(sum(i.late_or_absent) AS BIGINT)   AS late_or_absent,
    CAST(sum(i.dress) AS BIGINT)            AS dress,
    CAST(sum(i.conduct) AS BIGINT)          AS conduct,
    CAST(sum(i.workplace) AS BIGINT)        AS workplace,
    CAST(sum(i.violations) AS BIGINT)       AS violations,
    100.0 * sum(i.violations) / nullif(sum(i.checked), 0) AS per_100
FROM period_inspections i
GROUP BY i.report_id, i.unit_name
ORDER BY per_100 DESC NULLS LAST, i.unit_name COLLATE vi
