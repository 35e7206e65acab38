-- bieu06_units.sql from the pre-aggregated tables (whole-month periods only): agg_units_monthly's
-- rows of the period summed per unit, as agg/bieu06.sql sums them per level and field (same
-- numbers as _period_dossiers.sql). Only units with a dossier in column (3).
WITH scoped_units AS ({{scoped_units}})
SELECT
    a.unit_id,
{{bieu06_counts}}
FROM agg_units_monthly a
JOIN scoped_units s USING (unit_id)
WHERE a.month >= $start AND a.month <= $end
GROUP BY a.unit_id
HAVING c3 > 0
