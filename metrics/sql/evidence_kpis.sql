-- One row: survey answers and inspection counts of the period, and their rates (see tables.evidence_kpis).
WITH scoped_units AS ({{scoped_units}}),
{{period_surveys}},
{{period_inspections}},
{{evidence_totals}}
SELECT
    e.survey_responses, e.very_satisfied,
    100.0 * e.very_satisfied / nullif(e.survey_responses, 0)    AS very_satisfied_share,
    e.inspected, e.violations,
    100.0 * e.violations / nullif(e.inspected, 0)               AS violations_per_100
FROM evidence_totals e
