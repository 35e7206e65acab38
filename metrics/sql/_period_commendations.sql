-- CTE: commendations of the scoped units decided on a day of the period.
period_commendations AS (
    SELECT c.decision_no, c.decided_on, c.level, c.form, c.recipient_kind, c.recipient_name,
           s.report_id, s.name AS unit_name
    FROM commendations c
    JOIN scoped_units s ON s.unit_id = c.unit_id
    WHERE c.decided_on BETWEEN $date_from::DATE AND $date_to::DATE
)
