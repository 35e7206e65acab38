-- CTE: a unit's headcount in a year (from its commitment sheets), the weight of its evaluation
-- scores when several units' scores combine into one under the new map (docs/map.md).
headcount_weights AS (
    SELECT unit_id, year, max(headcount) AS weight
    FROM commitments
    GROUP BY unit_id, year
)
