-- CTE: survey rows of the scoped units whose month lies wholly inside the period (like the
-- evaluations: a month half inside the period is not counted).
period_surveys AS (
    SELECT v.unit_id, v.month, v.responses, v.very_satisfied, v.satisfied, v.neutral, v.dissatisfied,
           s.report_id, s.name AS unit_name
    FROM surveys v
    JOIN scoped_units s ON s.unit_id = v.unit_id
    WHERE v.month >= $date_from::DATE AND v.month + INTERVAL 1 MONTH <= $end::TIMESTAMP
)
