-- Biểu số 06/VPCP/KSTT: one row per field within each level, a subtotal row per level (on the
-- level's heading row, STT I / II) and a grand total row at the end.
WITH scoped_units AS ({{scoped_units}}),
{{period_dossiers}},
leveled AS (   -- the form's levels: 0 Cấp tỉnh, 1 Cấp huyện, 2 Cấp xã (units.level)
    SELECT CASE {{unit_level}} WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END AS level_no, d.*
    FROM period_dossiers d
    JOIN units lv ON lv.unit_id = d.unit_id
),
grouped AS (
    SELECT
        level_no, field,
        grouping(level_no)                                          AS g_level,
        grouping(field)                                             AS g_field,
        count(*)                                                    AS c3,
        count(*) FILTER (WHERE received_in AND online)              AS c4,
        count(*) FILTER (WHERE received_in AND NOT online)          AS c5,
        count(*) FILTER (WHERE carried)                             AS c6,
        count(*) FILTER (WHERE returned)                            AS c7,
        count(*) FILTER (WHERE returned AND outcome = 'early')      AS c8,
        count(*) FILTER (WHERE returned AND outcome = 'on_time')    AS c9,
        count(*) FILTER (WHERE late_returned)                       AS c10,
        count(*) FILTER (WHERE pending)                             AS c11,
        count(*) FILTER (WHERE pending AND NOT pending_overdue)     AS c12,
        count(*) FILTER (WHERE pending_overdue)                     AS c13
    FROM leveled
    GROUP BY GROUPING SETS ((level_no, field), (level_no), ())
)
{{bieu06_rows}}
