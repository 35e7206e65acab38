-- Officials' year-end classes per (reporting) unit and year of the years the period touches;
-- the "xuất sắc" share of "tốt", and the cap of the rating rule in force on 31/12 of the year
-- (rating_rules, data/reference/rating_rules.csv): over_cap only under an enforced rule.
WITH scoped_units AS ({{scoped_units}}),
rated AS (
    SELECT r.year, s.report_id, s.name AS unit_name,
           sum(r.headcount) AS headcount, sum(r.xuat_sac) AS xuat_sac, sum(r.tot) AS tot,
           sum(r.hoan_thanh) AS hoan_thanh, sum(r.khong_hoan_thanh) AS khong_hoan_thanh
    FROM staff_ratings r
    JOIN scoped_units s ON s.unit_id = r.unit_id
    WHERE r.year BETWEEN $year_from AND $year_to
    GROUP BY r.year, s.report_id, s.name
),
year_rules AS (
    SELECT y.year, g.max_ratio, g.enforced, g.legal_basis,
           row_number() OVER (PARTITION BY y.year ORDER BY g.valid_from DESC) AS pick
    FROM (SELECT DISTINCT year FROM rated) y
    JOIN rating_rules g
      ON g.rule = 'xuat_sac_of_tot'
     AND g.valid_from <= make_date(y.year, 12, 31)
     AND coalesce(g.valid_to, DATE '9999-12-31') >= make_date(y.year, 12, 31)
)
SELECT
    r.year, r.unit_name,
    CAST(r.headcount AS BIGINT) AS headcount,
    CAST(r.xuat_sac AS BIGINT) AS xuat_sac, CAST(r.tot AS BIGINT) AS tot,
    CAST(r.hoan_thanh AS BIGINT) AS hoan_thanh, CAST(r.khong_hoan_thanh AS BIGINT) AS khong_hoan_thanh,
    CAST(r.headcount - r.xuat_sac - r.tot - r.hoan_thanh - r.khong_hoan_thanh AS BIGINT) AS not_rated,
    100.0 * r.xuat_sac / nullif(r.tot, 0) AS xuat_sac_of_tot,
    -- round(): 0.2 * 35 is 7.000000000000001 in floating point; 7 of 35 is not over 20 %.
    coalesce(g.enforced AND r.xuat_sac > round(g.max_ratio * r.tot, 9), FALSE) AS over_cap,
    g.max_ratio, g.enforced, g.legal_basis
FROM rated r
LEFT JOIN year_rules g ON g.year = r.year AND g.pick = 1
ORDER BY r.year DESC, r.unit_name COLLATE vi
