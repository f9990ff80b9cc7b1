-- One row: the two-sample Kolmogorov-Smirnov distance (largest gap between the two empirical CDFs)
-- between the think times of the source and those of the replayed store multiplied by the speed
-- (parameter 1), with both sample sizes, the think time (source ms) where the gap is largest and the
-- resolution compared at. A source whose think times are all whole seconds (a log with $time_local
-- and no $request_time) only knows them to the second, so both sides are compared rounded to the
-- second there; otherwise to the millisecond.
WITH source_samples AS (
    SELECT think_ms AS v FROM session_steps WHERE think_ms IS NOT NULL
), resolution AS (
    SELECT CASE WHEN bool_and(v % 1000 = 0) THEN 1000.0 ELSE 1.0 END AS ms FROM source_samples
), samples AS (
    SELECT 1 AS side, round(v / ms) * ms AS v FROM source_samples, resolution
    UNION ALL
    SELECT 2 AS side, round(think_ms * CAST(? AS DOUBLE) / ms) * ms AS v
    FROM replayed.session_steps, resolution
    WHERE think_ms IS NOT NULL
), sizes AS (
    SELECT count(*) FILTER (WHERE side = 1) AS n1, count(*) FILTER (WHERE side = 2) AS n2 FROM samples
), per_value AS (
    SELECT v, count(*) FILTER (WHERE side = 1) AS c1, count(*) FILTER (WHERE side = 2) AS c2
    FROM samples
    GROUP BY v
), cdf AS (
    SELECT v, sum(c1) OVER (ORDER BY v) / n1 AS f1, sum(c2) OVER (ORDER BY v) / n2 AS f2
    FROM per_value, sizes
)
SELECT (SELECT n1 FROM sizes) AS n1, (SELECT n2 FROM sizes) AS n2,
       max(abs(f1 - f2)) AS ks, arg_max(v, abs(f1 - f2)) AS at_ms, (SELECT ms FROM resolution) AS resolution_ms
FROM cdf;
