        CAST(sum(received) AS BIGINT)                                AS received,
        CAST(sum(returned) AS BIGINT)                                AS returned,
        CAST(sum(early) AS BIGINT)                                   AS early,
        CAST(sum(on_time) AS BIGINT)                                 AS on_time,
        CAST(sum(late) AS BIGINT)                                    AS late,
        100.0 * sum(late) / nullif(sum(returned), 0)                 AS late_rate,
        100.0 * sum(early + on_time) / nullif(sum(returned), 0)      AS on_time_rate
