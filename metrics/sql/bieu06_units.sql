-- Biểu 06's counts (columns 3–13) per unit, each unit's own dossiers (not those of the units
-- merged into it, whatever the map): the rows of the per-unit Biểu 06 (tables.bieu06_by_unit).
-- Only units with a dossier in column (3) (received in the period or carried into it; (11) is a
-- part of (3)).
WITH scoped_units AS ({{scoped_units}}),
{{period_dossiers}}
SELECT
    unit_id,
{{bieu06_counts}}
FROM period_dossiers
GROUP BY unit_id
