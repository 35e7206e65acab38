-- CTE: surprise-inspection visits to the scoped units on a day of the period.
period_inspections AS (
    SELECT i.inspected_on, i.unit_id, i.checked, i.late_or_absent, i.dress, i.conduct, i.workplace,
           i.late_or_absent + i.dress + i.conduct + i.workplace AS violations,
           s.report_id, s.name AS unit_name
    FROM inspections i
    JOIN scoped_units s ON s.unit_id = i.unit_id
    WHERE i.inspected_on BETWEEN $date_from::DATE AND $date_to::DATE
)
