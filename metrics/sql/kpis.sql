-- One row of raw KPI numbers for the period (see tables.kpis).
WITH scoped_units AS ({{scoped_units}}),
{{period_dossiers}},
periods AS (SELECT 'cur' AS period, $date_from::DATE AS p_from, $date_to::DATE AS p_to),
{{chosen_evaluations}},
dossier_counts AS (
    SELECT
        count(*) FILTER (WHERE received_in)                              AS received,
        count(*) FILTER (WHERE received_in AND online)                   AS received_online,
        count(*) FILTER (WHERE returned)                                 AS returned,
        count(*) FILTER (WHERE returned AND outcome = 'early')           AS early,
        count(*) FILTER (WHERE returned AND outcome = 'on_time')         AS on_time,
        count(*) FILTER (WHERE late_returned)                            AS late,
        count(*) FILTER (WHERE pending)                                  AS pending,
        count(*) FILTER (WHERE pending_overdue)                          AS pending_overdue,
        count(*) FILTER (WHERE late_returned OR pending_overdue)         AS late_dossiers,
        count(*) FILTER (WHERE (late_returned OR pending_overdue) AND apology_issued) AS late_with_apology
    FROM period_dossiers
),
score AS (
    SELECT avg(score) AS avg_score FROM chosen_evaluations
),
{{commitment_totals}}
SELECT
    d.received, d.returned, d.early, d.on_time, d.late,
    100.0 * (d.early + d.on_time) / nullif(d.returned, 0)       AS on_time_rate,
    100.0 * d.late / nullif(d.returned, 0)                      AS late_rate,
    d.pending, d.pending_overdue,
    d.late_dossiers, d.late_with_apology,
    100.0 * d.late_with_apology / nullif(d.late_dossiers, 0)    AS apology_coverage,
    d.received_online,
    100.0 * d.received_online / nullif(d.received, 0)           AS online_share,
    s.avg_score,
    100.0 * c.signed / nullif(c.headcount, 0)                   AS commitment_coverage
FROM dossier_counts d, score s, commitment_totals c
