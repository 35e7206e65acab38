-- Biểu 06's counts (columns 3–13) per unit, each unit's own dossiers (not those of the units
-- merged into it, whatever the map): the rows of the per-unit Biểu 06 (tables.bieu06_by_unit).
-- Only units with a dossier in column (3) (received in the period or carried into it; (11) is a
-- part of (3)).
WITH scoped_units AS ({{scoped_units}}),
{{period_dossiers}}
SELECT
    unit_id,
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
FROM period_dossiers
GROUP BY unit_id
