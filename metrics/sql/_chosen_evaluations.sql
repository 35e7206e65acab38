-- Evaluations counted for each period of the caller's `periods(period, p_from, p_to)` CTE:
-- only evaluations whose whole evaluation period lies inside [p_from, p_to], and per unit only the
-- finest grain it has there (monthly; else quarterly; else yearly). So a unit evaluated only
-- quarterly still gets a score for a quarter, and a yearly score never mixes with monthly ones.
-- report_id: the unit the row is reported under (map); weight: the unit's headcount that year.
{{headcount_weights}},
chosen_evaluations AS (
    SELECT p.period, e.unit_id, s.report_id, e.period_type, e.period_start, e.score, e.classification,
           w.weight
    FROM evaluations e
    JOIN periods p
      ON e.period_start >= p.p_from
     AND e.period_start + CASE e.period_type
                              WHEN 'month' THEN INTERVAL 1 MONTH
                              WHEN 'quarter' THEN INTERVAL 3 MONTH
                              ELSE INTERVAL 1 YEAR
                          END <= p.p_to + INTERVAL 1 DAY
    JOIN scoped_units s ON s.unit_id = e.unit_id
    LEFT JOIN headcount_weights w ON w.unit_id = e.unit_id AND w.year = year(e.period_start)
    QUALIFY CASE e.period_type WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 ELSE 3 END
          = min(CASE e.period_type WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 ELSE 3 END)
                OVER (PARTITION BY p.period, e.unit_id)
)