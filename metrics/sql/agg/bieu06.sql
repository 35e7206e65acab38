-- bieu06.sql from the pre-aggregated tables (whole-month periods only).
WITH scoped_units AS ({{scoped_units}}),
{{field_counts}},
leveled AS (
    SELECT CASE WHEN s.kind = 'commune' THEN 2 ELSE 1 END AS level_no, d.*
    FROM period_counts d
    JOIN scoped_units s USING (unit_id)
),
grouped AS (
    SELECT
        level_no, field,
        grouping(level_no)                                          AS g_level,
        grouping(field)                                             AS g_field,
        CAST(sum(received + carried) AS BIGINT)                     AS c3,
        CAST(sum(received_online) AS BIGINT)                        AS c4,
        CAST(sum(received - received_online) AS BIGINT)             AS c5,
        CAST(sum(carried) AS BIGINT)                                AS c6,
        CAST(sum(returned) AS BIGINT)                               AS c7,
        CAST(sum(early) AS BIGINT)                                  AS c8,
        CAST(sum(on_time) AS BIGINT)                                AS c9,
        CAST(sum(late) AS BIGINT)                                   AS c10,
        CAST(sum(pending) AS BIGINT)                                AS c11,
        CAST(sum(pending - pending_overdue) AS BIGINT)              AS c12,
        CAST(sum(pending_overdue) AS BIGINT)                        AS c13
    FROM leveled
    GROUP BY GROUPING SETS ((level_no, field), (level_no), ())
)
{{bieu06_rows}}
