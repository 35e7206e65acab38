-- Late dossiers of the period: returned late within it, or still pending and overdue at its end.
-- Days overdue: calendar days from the due day to the return day (pending: to the last day of the
-- period), at least 1 (late by hours on the due day counts as 1). $only_missing: only those with
-- no apology letter. $limit: the first rows of the order (a page shows the first ones: DuckDB then
-- keeps the top rows instead of sorting the whole list).
WITH scoped_units AS ({{scoped_units}}),
{{period_dossiers}},
late AS (
    SELECT d.*,
           greatest(1, date_diff('day', CAST(d.due_at AS DATE),
                                 CASE WHEN d.returned THEN CAST(d.finished_at AS DATE) ELSE $date_to::DATE END)) AS days_late
    FROM period_dossiers d
    WHERE (d.late_returned OR d.pending_overdue)
      AND (NOT $only_missing OR NOT d.apology_issued)
),
-- Vietnamese order of the unit names, collated once per name (a year at province scale: ~500
-- names, ~10k rows; collating in the ORDER BY of the rows cost 7 of the query's 13 ms).
name_order AS (
    SELECT unit_name, dense_rank() OVER (ORDER BY unit_name COLLATE vi) AS name_rank
    FROM (SELECT DISTINCT unit_name FROM late)
)
SELECT
    dossier_id,
    unit_name,
    field,
    procedure_name,
    CAST(received_at AS DATE)                                   AS received_on,
    CAST(due_at AS DATE)                                        AS due_on,
    CASE WHEN returned THEN CAST(finished_at AS DATE) END       AS returned_on,
    returned,
    days_late,
    apology_issued
FROM late
JOIN name_order USING (unit_name)
ORDER BY days_late DESC, name_rank, dossier_id
LIMIT $limit
