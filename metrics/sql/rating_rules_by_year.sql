-- The rating rule in force on 31/12 of each year the period touches (none: no row).
WITH years AS (SELECT range AS year FROM range($year_from::BIGINT, $year_to::BIGINT + 1)),
picked AS (
    SELECT y.year, g.legal_basis, g.max_ratio, g.enforced, g.note,
           row_number() OVER (PARTITION BY y.year ORDER BY g.valid_from DESC) AS pick
    FROM years y
    JOIN rating_rules g
      ON g.rule = 'xuat_sac_of_tot'
     AND g.valid_from <= make_date(CAST(y.year AS INTEGER), 12, 31)
     AND coalesce(g.valid_to, DATE '9999-12-31') >= make_date(CAST(y.year AS INTEGER), 12, 31)
)
SELECT CAST(year AS INTEGER) AS year, legal_basis, 100.0 * max_ratio AS max_share, enforced, note
FROM picked
WHERE pick = 1
ORDER BY year DESC
