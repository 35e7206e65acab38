-- Per period and report unit (report_id, see metrics/filters.py): one score per evaluation period
-- (_combined_score: predecessors' scores combined under the new map), their average (rounded to
-- one decimal, as shown; ranks use the shown value so equal-looking scores share a rank), the
-- number of evaluations (sheets) and classification counts, summed over the report unit's units,
-- and the competition rank (1, 1, 3) among the report units with a score. The mean is first
-- rounded to 6 decimals: a sum of doubles depends on the order the rows arrive in (the plan), and
-- a mean of one-decimal scores often lies exactly on a .x5; without it the shown value (and the
-- rank) could flip with the plan.
{{headcount_weights}},
report_evaluations AS (
    SELECT c.period, c.report_id, c.period_type, c.period_start,
           {{combined_score}}                                          AS score,
           count(*)                                                    AS n_evaluations,
           count(*) FILTER (WHERE classification = 'xuat_sac')         AS n_xuat_sac,
           count(*) FILTER (WHERE classification = 'tot')              AS n_tot,
           count(*) FILTER (WHERE classification = 'hoan_thanh')       AS n_hoan_thanh,
           count(*) FILTER (WHERE classification = 'khong_hoan_thanh') AS n_khong_hoan_thanh
    FROM chosen_evaluations c
    LEFT JOIN headcount_weights w ON w.unit_id = c.unit_id AND w.year = year(c.period_start)
    WHERE $map_new::BOOLEAN
    GROUP BY c.period, c.report_id, c.period_type, c.period_start
    UNION ALL
    -- Under the asis map a report unit is one unit, and a unit has one evaluation per period
    -- (evaluations' primary key): every group above would be one row, so the rows are taken as
    -- they are, with no weights (the grouping was the largest operator of the ranking: ~5 ms of
    -- ~18 for a year of 538 units). The optimizer drops the branch whose condition is false.
    SELECT period, report_id, period_type, period_start,
           score,
           CAST(1 AS BIGINT),
           CAST(classification = 'xuat_sac' AS BIGINT),
           CAST(classification = 'tot' AS BIGINT),
           CAST(classification = 'hoan_thanh' AS BIGINT),
           CAST(classification = 'khong_hoan_thanh' AS BIGINT)
    FROM chosen_evaluations
    WHERE NOT $map_new::BOOLEAN
),
unit_scores AS (
    SELECT period, report_id,
           round(round(avg(score), 6), 1)                              AS avg_score,
           CAST(sum(n_evaluations) AS BIGINT)                          AS n_evaluations,
           CAST(sum(n_xuat_sac) AS BIGINT)                             AS n_xuat_sac,
           CAST(sum(n_tot) AS BIGINT)                                  AS n_tot,
           CAST(sum(n_hoan_thanh) AS BIGINT)                           AS n_hoan_thanh,
           CAST(sum(n_khong_hoan_thanh) AS BIGINT)                     AS n_khong_hoan_thanh
    FROM report_evaluations
    GROUP BY period, report_id
),
ranked_units AS (
    SELECT *,
           CASE WHEN avg_score IS NOT NULL
                THEN rank() OVER (PARTITION BY period ORDER BY avg_score DESC NULLS LAST) END AS rnk
    FROM unit_scores
),
report_units AS (
    SELECT report_id, name, min(kind) AS kind FROM scoped_units GROUP BY report_id, name
)