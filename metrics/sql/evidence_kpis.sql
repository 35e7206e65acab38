-- Survey answers and inspection counts of the period, and their rates (see tables.evidence_kpis):
-- one row per period ('cur'; with $with_prev also 'prev').
WITH scoped_units AS ({{scoped_units}}),
{{kpi_periods}},
{{evidence_rows}}
SELECT * FROM evidence_rows ORDER BY period
