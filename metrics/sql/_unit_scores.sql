-- Per period and unit: average score (rounded to one decimal, as shown; ranks use the shown value
-- so equal-looking scores share a rank), number of evaluations, classification counts, and the
-- competition rank (1, 1, 3) among the units with a score.
unit_scores AS (
    SELECT period, unit_id,
           round(avg(score), 1)                                        AS avg_score,
           count(*)                                                    AS n_evaluations,
           count(*) FILTER (WHERE classification = 'xuat_sac')         AS n_xuat_sac,
           count(*) FILTER (WHERE classification = 'tot')              AS n_tot,
           count(*) FILTER (WHERE classification = 'hoan_thanh')       AS n_hoan_thanh,
           count(*) FILTER (WHERE classification = 'khong_hoan_thanh') AS n_khong_hoan_thanh
    FROM chosen_evaluations
    GROUP BY period, unit_id
),
ranked_units AS (
    SELECT *,
           CASE WHEN avg_score IS NOT NULL
                THEN rank() OVER (PARTITION BY period ORDER BY avg_score DESC NULLS LAST) END AS rnk
    FROM unit_scores
)
