-- Biểu 06's columns (3)–(13) as sums over agg_dossiers_monthly / agg_units_monthly rows of the
-- whole-month period [$start, $end] (same numbers as sql/_bieu06_counts.sql over raw dossiers).
    CAST(coalesce(sum(received) FILTER (WHERE month < $end), 0)
         + coalesce(sum(open_at_start) FILTER (WHERE month = $start), 0) AS BIGINT)          AS c3,
    CAST(coalesce(sum(received_online) FILTER (WHERE month < $end), 0) AS BIGINT)            AS c4,
    CAST(coalesce(sum(received - received_online) FILTER (WHERE month < $end), 0) AS BIGINT) AS c5,
    CAST(coalesce(sum(open_at_start) FILTER (WHERE month = $start), 0) AS BIGINT)            AS c6,
    CAST(coalesce(sum(returned) FILTER (WHERE month < $end), 0) AS BIGINT)                   AS c7,
    CAST(coalesce(sum(early) FILTER (WHERE month < $end), 0) AS BIGINT)                      AS c8,
    CAST(coalesce(sum(on_time) FILTER (WHERE month < $end), 0) AS BIGINT)                    AS c9,
    CAST(coalesce(sum(late) FILTER (WHERE month < $end), 0) AS BIGINT)                       AS c10,
    CAST(coalesce(sum(open_at_start) FILTER (WHERE month = $end), 0) AS BIGINT)              AS c11,
    CAST(coalesce(sum(open_at_start - overdue_at_start) FILTER (WHERE month = $end), 0) AS BIGINT) AS c12,
    CAST(coalesce(sum(overdue_at_start) FILTER (WHERE month = $end), 0) AS BIGINT)           AS c13
