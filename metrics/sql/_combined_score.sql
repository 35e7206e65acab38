-- The score of one report unit for one evaluation period, from its units' rows (score, weight)
-- (docs/map.md): one score is itself; several are weighted by headcount when every scored unit
-- has a headcount that year, else a plain mean. Under the asis map there is always one.
CASE
    WHEN count(score) <= 1 THEN max(score)
    WHEN count(score) = count(weight) FILTER (WHERE score IS NOT NULL)
         AND sum(weight) FILTER (WHERE score IS NOT NULL) > 0
        THEN sum(weight * score) / sum(weight) FILTER (WHERE score IS NOT NULL)
    ELSE avg(score)
END