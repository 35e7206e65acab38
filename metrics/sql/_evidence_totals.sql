-- CTE: survey answers and inspection counts of the period (Tổng quan cards).
evidence_totals AS (
    SELECT
        (SELECT CAST(sum(responses) AS BIGINT) FROM period_surveys)       AS survey_responses,
        (SELECT CAST(sum(very_satisfied) AS BIGINT) FROM period_surveys)  AS very_satisfied,
        (SELECT CAST(sum(checked) AS BIGINT) FROM period_inspections)     AS inspected,
        (SELECT CAST(sum(violations) AS BIGINT) FROM period_inspections)  AS violations
)
