-- metrics/sql/kpis.sql from the pre-aggregated tables (whole-month periods only, see README.md):
-- one row per period ('cur'; with $with_prev also 'prev').
WITH scoped_units AS ({{scoped_units}}),
{{kpi_periods}},
{{kpi_rows}}
SELECT * FROM kpi_rows ORDER BY period
