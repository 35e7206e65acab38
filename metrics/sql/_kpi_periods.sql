-- CTE: the period of the filters ('cur'), and with $with_prev the previous equal period ('prev',
-- Filters.previous: it ends the day before $date_from), for the KPI queries that answer both at once.
-- p_start / p_end: the period as [timestamp, timestamp) ($end exclusive = midnight after p_to).
periods AS (
    SELECT 'cur' AS period, $date_from::DATE AS p_from, $date_to::DATE AS p_to,
           $start::TIMESTAMP AS p_start, $end::TIMESTAMP AS p_end
    UNION ALL
    SELECT 'prev', $prev_from::DATE, $prev_to::DATE, $prev_from::TIMESTAMP, $start::TIMESTAMP
    WHERE $with_prev
)
