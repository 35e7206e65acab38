-- The commendation decisions of the period, one row per recipient, latest first.
WITH scoped_units AS ({{scoped_units}}),
{{period_commendations}}
SELECT c.decision_no, c.decided_on, c.level, c.form, c.recipient_kind, c.recipient_name, c.unit_name
FROM period_commendations c
ORDER BY c.decided_on DESC, c.decision_no COLLATE vi, c.unit_name COLLATE vi, c.recipient_name COLLATE vi
