-- CTE: per period of `periods` (_kpi_periods.sql), survey answers of the scoped units over the survey
-- months lying wholly inside it, and inspection counts over its days (Tổng quan cards); NULL
-- where there are none.
evidence_surveys AS (
    SELECT p.period, CAST(sum(v.responses) AS BIGINT) AS survey_responses,
           CAST(sum(v.very_satisfied) AS BIGINT) AS very_satisfied
    FROM surveys v
    JOIN periods p ON v.month >= p.p_from AND v.month + INTERVAL 1 MONTH <= p.p_end
    WHERE v.unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY p.period
),
evidence_inspections AS (
    SELECT p.period, CAST(sum(i.checked) AS BIGINT) AS inspected,
           CAST(sum(i.late_or_absent + i.dress + i.conduct + i.workplace) AS BIGINT) AS violations
    FROM inspections i
    JOIN periods p ON i.inspected_on BETWEEN p.p_from AND p.p_to
    WHERE i.unit_id IN (SELECT unit_id FROM scoped_units)
    GROUP BY p.period
),
evidence_rows AS (
    SELECT p.period,
           v.survey_responses, v.very_satisfied,
           100.0 * v.very_satisfied / nullif(v.survey_responses, 0)    AS very_satisfied_share,
           i.inspected, i.violations,
           100.0 * i.violations / nullif(i.inspected, 0)               AS violations_per_100
    FROM periods p
    LEFT JOIN evidence_surveys v ON v.period = p.period
    LEFT JOIN evidence_inspections i ON i.period = p.period
)
