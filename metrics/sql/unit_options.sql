-- The units a user may pick, in Vietnamese order.
WITH scoped_units AS ({{scoped_units}})
SELECT s.unit_id, s.name, s.kind, lv.valid_from, lv.valid_to, {{unit_level}} AS level
FROM scoped_units s
JOIN units lv USING (unit_id)
ORDER BY s.name COLLATE vi, s.unit_id
