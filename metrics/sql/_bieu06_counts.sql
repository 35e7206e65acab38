-- Biểu 06's columns (3)–(13) as aggregates over _period_dossiers.sql's rows (bieu06.sql per level
-- and field, bieu06_units.sql per unit). sql/agg/_bieu06_counts.sql: the same from the aggregates.
    count(*)                                                    AS c3,
    count(*) FILTER (WHERE received_in AND online)              AS c4,
    count(*) FILTER (WHERE received_in AND NOT online)          AS c5,
    count(*) FILTER (WHERE carried)                             AS c6,
    count(*) FILTER (WHERE returned)                            AS c7,
    count(*) FILTER (WHERE returned AND outcome = 'early')      AS c8,
    count(*) FILTER (WHERE returned AND outcome = 'on_time')    AS c9,
    count(*) FILTER (WHERE late_returned)                       AS c10,
    count(*) FILTER (WHERE pending)                             AS c11,
    count(*) FILTER (WHERE pending AND NOT pending_overdue)     AS c12,
    count(*) FILTER (WHERE pending_overdue)                     AS c13
