        CAST(sum(v.responses) AS BIGINT)       AS responses,
        CAST(sum(v.very_satisfied) AS BIGINT)  AS very_satisfied,
        CAST(sum(v.satisfied) AS BIGINT)       AS satisfied,
        CAST(sum(v.neutral) AS BIGINT)         AS neutral,
        CAST(sum(v.dissatisfied) AS BIGINT)    AS dissatisfied,
        100.0 * sum(v.very_satisfied) / nullif(sum(v.responses), 0)                  AS very_satisfied_share,
        100.0 * (sum(v.very_satisfied) + sum(v.satisfied)) / nullif(sum(v.responses), 0) AS satisfied_share
