-- One row: the two-sample Kolmogorov-Smirnov distance between the session lengths (requests per
-- session) of the source and the replayed store, both sample sizes and the length where the gap is largest.
WITH samples AS (
    SELECT 1 AS side, requests AS v FROM sessions
    UNION ALL
    SELECT 2 AS side, requests AS v FROM replayed.sessions
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
       max(abs(f1 - f2)) AS ks, arg_max(v, abs(f1 - f2)) AS at_requests
FROM cdf;
