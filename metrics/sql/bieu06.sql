-- Biểu số 06/VPCP/KSTT: one row per field within each level, a subtotal row per level (on the
-- level's heading row, STT I / II) and a grand total row at the end.
WITH scoped_units AS ({{scoped_units}}),
{{period_dossiers}},
leveled AS (   -- the form's levels: 0 Cấp tỉnh, 1 Cấp huyện, 2 Cấp xã (units.level)
    SELECT {{level_no}} AS level_no, d.*
    FROM period_dossiers d
    JOIN units lv ON lv.unit_id = d.unit_id
),
grouped AS (
    SELECT
        level_no, field,
        grouping(level_no)                                          AS g_level,
        grouping(field)                                             AS g_field,
{{bieu06_counts}}
    FROM leveled
    GROUP BY GROUPING SETS ((level_no, field), (level_no), ())
)
{{bieu06_rows}}
