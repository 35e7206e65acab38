-- How recent the warehouse is (whole warehouse, no unit restriction: it reveals dates only).
-- Days with data: dossiers received/returned, survey months (their last day), inspection days,
-- commendation decisions. Evaluations count by their period (its end for data_until, its first
-- month for the months). Year-end staff ratings count only when nothing else is loaded: a rating
-- "of 2024" says nothing about December 2024, and must not pull the default period there.
WITH d AS (
    SELECT max(greatest(received_at, coalesce(finished_at, received_at))) AS last_at,
           min(received_at) AS first_at
    FROM dossiers
),
e AS (
    SELECT max(period_start + CASE period_type
                                  WHEN 'month' THEN INTERVAL 1 MONTH
                                  WHEN 'quarter' THEN INTERVAL 3 MONTH
                                  ELSE INTERVAL 1 YEAR END - INTERVAL 1 DAY) AS last_end,
           max(period_start) AS last_start,
           min(period_start) AS first_start
    FROM evaluations
),
days AS (   -- first / last day of the evidence kept by day or month
    SELECT min(first_day) AS first_day, max(last_day) AS last_day, max(last_month) AS last_month
    FROM (
        SELECT min(month) AS first_day, CAST(max(month) + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS last_day,
               max(month) AS last_month FROM surveys
        UNION ALL
        SELECT min(inspected_on), max(inspected_on), max(inspected_on) FROM inspections
        UNION ALL
        SELECT min(decided_on), max(decided_on), max(decided_on) FROM commendations
    ) x
),
r AS (
    SELECT make_date(min(year), 1, 1) AS first_day, make_date(max(year), 12, 31) AS last_day,
           make_date(max(year), 12, 1) AS last_month
    FROM staff_ratings
),
core AS (
    SELECT
        coalesce(greatest(CAST(d.last_at AS DATE), days.last_day), CAST(e.last_end AS DATE))  AS data_until,
        least(CAST(d.first_at AS DATE), CAST(e.first_start AS DATE), days.first_day)             AS first_day,
        greatest(CAST(d.last_at AS DATE), CAST(e.last_start AS DATE), days.last_month)           AS last_day
    FROM d, e, days
)
SELECT
    coalesce(core.data_until, r.last_day)                                                AS data_until,
    CAST(date_trunc('month', coalesce(core.first_day, r.first_day)) AS DATE)            AS first_month,
    CAST(date_trunc('month', coalesce(core.last_day, r.last_month)) AS DATE)            AS last_month,
    (SELECT lower(trim(value)) IN ('1', 'true', 'yes', 'co', 'có') FROM meta WHERE key = 'is_demo' LIMIT 1) AS is_demo
FROM core, r
