-- Evaluations counted for each period of the caller's `periods(period, p_from, p_to)` CTE:
-- only evaluations whose whole evaluation period lies inside [p_from, p_to], and per unit only the
-- finest grain it has there (monthly; else quarterly; else yearly). So a unit evaluated only
-- quarterly still gets a score for a quarter, and a yearly score never mixes with monthly ones.
-- report_id: the unit the row is reported under (map). (The headcount weights that combine
-- predecessors' scores are joined where they are used, _unit_scores.sql: the overview does not.)
-- The finest grain is a grouped minimum joined back (not a window with QUALIFY: that sorts every
-- row, ~2× the cost at province scale); `period_start <= p_to` lets the scan skip rows before the
-- interval arithmetic.
evaluations_in_periods AS (
    SELECT p.period, e.unit_id, s.report_id, e.period_type, e.period_start, e.score, e.classification,
           CASE e.period_type WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 ELSE 3 END AS grain
    FROM evaluations e
    JOIN periods p
      ON e.period_start >= p.p_from
     AND e.period_start <= p.p_to
     AND e.period_start + CASE e.period_type
                              WHEN 'month' THEN INTERVAL 1 MONTH
                              WHEN 'quarter' THEN INTERVAL 3 MONTH
                              ELSE INTERVAL 1 YEAR
                          END <= p.p_to + INTERVAL 1 DAY
    JOIN scoped_units s ON s.unit_id = e.unit_id
),
finest_grain AS (
    SELECT period, unit_id, min(grain) AS grain FROM evaluations_in_periods GROUP BY period, unit_id
),
chosen_evaluations AS (
    SELECT c.period, c.unit_id, c.report_id, c.period_type, c.period_start, c.score, c.classification
    FROM evaluations_in_periods c
    JOIN finest_grain g ON g.period = c.period AND g.unit_id = c.unit_id AND g.grain = c.grain
)
