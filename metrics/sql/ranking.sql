-- Units (as the map reports them) ranked by average evaluation score over the period, with the
-- rank over the previous equal period among the same units (change > 0 = moved up).
WITH scoped_units AS ({{scoped_units}}),
periods AS (
    SELECT 'cur' AS period, $date_from::DATE AS p_from, $date_to::DATE AS p_to
    UNION ALL
    SELECT 'prev', $prev_from::DATE, $prev_to::DATE
),
{{chosen_evaluations}},
{{unit_scores}}
SELECT
    c.rnk                   AS rank,
    s.report_id             AS unit_id,
    s.name                  AS unit_name,
    s.kind,
    c.avg_score,
    c.n_evaluations,
    c.n_xuat_sac, c.n_tot, c.n_hoan_thanh, c.n_khong_hoan_thanh,
    p.rnk                   AS prev_rank,
    p.rnk - c.rnk           AS rank_change
FROM ranked_units c
JOIN report_units s USING (report_id)
LEFT JOIN ranked_units p ON p.period = 'prev' AND p.report_id = c.report_id
WHERE c.period = 'cur'
ORDER BY c.rnk NULLS LAST, s.name COLLATE vi
