-- bieu06.sql from the pre-aggregated tables (whole-month periods only): agg_dossiers_monthly's
-- rows of the period grouped straight into the form's rows (per level and field, per level, in
-- all), with the sums of _period_counts.sql (same numbers as _period_dossiers.sql). A field or a
-- level is shown when it had a dossier in the period (received in it or carried into it: c3 > 0;
-- a unit's rows with none hold only zeros), the total always. (Grouping per unit and field
-- first, as the other by-unit queries do, cost ~2 ms more at province scale.)
WITH scoped_units AS ({{scoped_units}}),
leveled AS (
    SELECT {{level_no}} AS level_no, a.*
    FROM agg_dossiers_monthly a
    JOIN scoped_units s USING (unit_id)
    JOIN units lv ON lv.unit_id = a.unit_id
    WHERE a.month >= $start AND a.month <= $end
),
grouped AS (
    SELECT
        level_no, field,
        grouping(level_no)                                                                      AS g_level,
        grouping(field)                                                                         AS g_field,
{{bieu06_counts}}
    FROM leveled
    GROUP BY GROUPING SETS ((level_no, field), (level_no), ())
    HAVING grouping(level_no) = 1 OR c3 > 0
)
{{bieu06_rows}}
