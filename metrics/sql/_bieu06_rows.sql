-- The rows of Biểu 06 from `grouped` (counts c3..c13 per level and field, with GROUPING SETS
-- flags g_level / g_field): numbering, labels, order. Shared by bieu06.sql and agg/bieu06.sql.
SELECT
    CASE
        WHEN g_level = 1 THEN NULL
        WHEN g_field = 1 THEN ['I', 'II', 'III'][dense_rank() OVER (PARTITION BY g_level, g_field ORDER BY level_no)]
        ELSE CAST(row_number() OVER (PARTITION BY g_level, g_field, level_no ORDER BY field COLLATE vi) AS VARCHAR)
    END AS stt,
    CASE
        WHEN g_level = 1 THEN $total_label
        WHEN g_field = 1 THEN CASE level_no WHEN 0 THEN $level_province WHEN 1 THEN $level_district ELSE $level_commune END
        ELSE field
    END AS label,
    g_level + g_field AS row_level,   -- 0 field row, 1 level subtotal, 2 grand total
    coalesce(c3, 0) AS c3, coalesce(c4, 0) AS c4, coalesce(c5, 0) AS c5, coalesce(c6, 0) AS c6,
    coalesce(c7, 0) AS c7, coalesce(c8, 0) AS c8, coalesce(c9, 0) AS c9, coalesce(c10, 0) AS c10,
    coalesce(c11, 0) AS c11, coalesce(c12, 0) AS c12, coalesce(c13, 0) AS c13
FROM grouped
ORDER BY g_level, level_no, g_field DESC, field COLLATE vi
