-- Tổng quan in one query (whole-month periods only, see README.md): per period ('cur' and, with
-- $with_prev, 'prev') the columns of kpis.sql and of evidence_kpis.sql. One planning instead of
-- four (tables.overview_numbers; the plain SQL runs those four).
WITH scoped_units AS ({{scoped_units}}),
{{kpi_periods}},
{{kpi_rows}},
{{evidence_rows}}
SELECT * FROM kpi_rows JOIN evidence_rows USING (period) ORDER BY period
