-- How recent the warehouse is (whole warehouse, no unit restriction: it reveals dates only).
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
)
SELECT
    coalesce(CAST(d.last_at AS DATE), CAST(e.last_end AS DATE))                          AS data_until,
    CAST(date_trunc('month', least(CAST(d.first_at AS DATE), e.first_start)) AS DATE)   AS first_month,
    CAST(date_trunc('month', greatest(CAST(d.last_at AS DATE), e.last_start)) AS DATE)  AS last_month,
    (SELECT lower(trim(value)) IN ('1', 'true', 'yes', 'co', 'có') FROM meta WHERE key = 'is_demo' LIMIT 1) AS is_demo
FROM d, e
