-- Can the pre-aggregated tables answer? (metrics/sql/agg/README.md; etl/aggregates.py)
SELECT a.horizon,
       a.anomalies = 0
       AND a.dossiers = (SELECT count(*) FROM dossiers)
       AND a.max_batch IS NOT DISTINCT FROM (SELECT max(batch_id) FROM dossiers) AS fresh
FROM agg_info a
-- a warehouse built before agg_units_monthly existed: raw SQL until its next load adds it
WHERE (SELECT count(*) FROM agg_units_monthly) >= 0
