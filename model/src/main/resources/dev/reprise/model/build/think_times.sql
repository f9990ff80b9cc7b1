-- Empirical think-time distributions (101 quantiles, ms, rounded to the microsecond so that float
-- interpolation cannot make them decrease) at three levels, so replay can fall back:
-- 'transition' (segment, from, to) when it has at least min_transition_samples samples,
-- 'endpoint' (segment, from, any next endpoint) and 'global' (segment, any).
INSERT INTO think_times
WITH samples AS (
    SELECT se.segment_id,
           lag(ss.endpoint_id) OVER (PARTITION BY ss.session_id ORDER BY ss.seq) AS from_endpoint,
           ss.endpoint_id AS to_endpoint,
           ss.think_ms
    FROM session_steps ss
    JOIN sessions se USING (session_id)
), gaps AS (
    SELECT * FROM samples WHERE think_ms IS NOT NULL
), min_samples AS (
    SELECT CAST(value AS BIGINT) AS n FROM model_params WHERE name = 'min_transition_samples'
)
SELECT segment_id, 'transition' AS level, from_endpoint, to_endpoint, count(*) AS samples,
       list_transform(quantile_cont(think_ms, list_transform(range(0, 101), i -> i / 100)), q -> round(q, 3)) AS quantiles
FROM gaps
GROUP BY segment_id, from_endpoint, to_endpoint
HAVING count(*) >= (SELECT n FROM min_samples)
UNION ALL
SELECT segment_id, 'endpoint', from_endpoint, NULL, count(*),
       list_transform(quantile_cont(think_ms, list_transform(range(0, 101), i -> i / 100)), q -> round(q, 3))
FROM gaps
GROUP BY segment_id, from_endpoint
UNION ALL
SELECT segment_id, 'global', NULL, NULL, count(*),
       list_transform(quantile_cont(think_ms, list_transform(range(0, 101), i -> i / 100)), q -> round(q, 3))
FROM gaps
GROUP BY segment_id;
