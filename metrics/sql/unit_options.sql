-- The units a user may pick, in Vietnamese order.
WITH scoped_units AS ({{scoped_units}})
SELECT s.unit_id, s.name, s.kind, u.valid_from, u.valid_to
FROM scoped_units s
JOIN units u USING (unit_id)
ORDER BY s.name COLLATE vi, s.unit_id
