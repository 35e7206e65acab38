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
SELECT
    CASE
        WHEN g_level = 1 THEN NULL
        WHEN g_field = 1 THEN ['I', 'II', 'III'][dense_rank() OVER (PARTITION BY g_level, g_field ORDER BY level_no)]
        ELSE CAST(row_number() OVER (PARTITION BY g_level, g_field, level_no ORDER BY field COLLATE vi) AS VARCHAR)
    END AS stt,
    CASE
        WHEN g_level = 1 THEN $total_label
        WHEN g_field = 1 THEN CASE level_no WHEN 1 THEN $level_district ELSE $level_commune END
        ELSE field
    END AS label,
    g_level + g_field AS row_level,
    coalesce(c3, 0) AS c3, coalesce(c4, 0) AS c4, coalesce(c5, 0) AS c5, coalesce(c6, 0) AS c6,
    coalesce(c7, 0) AS c7, coalesce(c8, 0) AS c8, coalesce(c9, 0) AS c9, coalesce(c10, 0) AS c10,
    coalesce(c11, 0) AS c11, coalesce(c12, 0) AS c12, coalesce(c13, 0) AS c13
FROM grouped
ORDER BY g_level, level_no, g_field DESC, field COLLATE vi
