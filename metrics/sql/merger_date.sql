-- The first day of the successor units (01/07/2025 for Ninh Phước): the day after the last day of
-- the units that have a successor; NULL when no unit has one.
SELECT CAST(max(valid_to) + INTERVAL 1 DAY AS DATE) AS merger_date
FROM units
WHERE coalesce(successor_id, '') <> '' AND valid_to IS NOT NULL
