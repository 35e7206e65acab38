-- The dossiers of Biểu 06 column 3 for the period [$start, $end) ($end exclusive = midnight after
-- the last day), with one flag per column. Every dossier here is in col 3 = 4 + 5 + 6 = 7 + 11.
period_dossiers AS (
    SELECT
        d.dossier_id, d.unit_id, d.field, d.procedure_name, d.outcome, d.apology_issued,
        d.received_at, d.due_at, d.finished_at,
        d.received_at >= $start                                AS received_in,      -- col 4 + 5
        d.channel = 'online'                                   AS online,           -- col 4 vs 5
        d.received_at < $start                                 AS carried,          -- col 6
        coalesce(d.finished_at < $end, FALSE)                  AS returned,         -- col 7
        coalesce(d.finished_at < $end, FALSE)
            AND d.outcome = 'late'                             AS late_returned,    -- col 10
        coalesce(d.finished_at >= $end, TRUE)                  AS pending,          -- col 11
        coalesce(d.finished_at >= $end, TRUE)
            AND d.due_at < $end                                AS pending_overdue   -- col 13
    FROM dossiers d
    WHERE d.unit_id IN (SELECT unit_id FROM scoped_units)
      AND d.received_at < $end
      AND (d.received_at >= $start OR d.finished_at IS NULL OR d.finished_at >= $start)
)
