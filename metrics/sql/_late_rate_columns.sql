        count(*) FILTER (WHERE received_in)                          AS received,
        count(*) FILTER (WHERE returned)                             AS returned,
        count(*) FILTER (WHERE returned AND outcome = 'early')       AS early,
        count(*) FILTER (WHERE returned AND outcome = 'on_time')     AS on_time,
        count(*) FILTER (WHERE late_returned)                        AS late,
        100.0 * count(*) FILTER (WHERE late_returned)
              / nullif(count(*) FILTER (WHERE returned), 0)          AS late_rate,
        100.0 * count(*) FILTER (WHERE returned AND outcome IN ('early', 'on_time'))
              / nullif(count(*) FILTER (WHERE returned), 0)          AS on_time_rate
