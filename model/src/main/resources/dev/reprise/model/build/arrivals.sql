-- One row per non-empty time bucket of bucket_s seconds: sessions that start in it and requests
-- logged in it. Empty buckets are absent (read them as zero).
INSERT INTO arrivals
WITH bucket AS (
    SELECT CAST(value AS DOUBLE) * 1e6 AS us FROM model_params WHERE name = 'bucket_s'
), request_counts AS (
    SELECT CAST(floor(epoch_us(ts) / bucket.us) AS BIGINT) AS k, count(*) AS requests
    FROM templated_requests, bucket
    GROUP BY k
), session_counts AS (
    SELECT CAST(floor(epoch_us(start_ts) / bucket.us) AS BIGINT) AS k, count(*) AS sessions
    FROM sessions, bucket
    GROUP BY k
)
SELECT make_timestamptz(CAST(k * (SELECT us FROM bucket) AS BIGINT)) AS bucket_start,
       coalesce(s.sessions, 0) AS sessions,
       coalesce(r.requests, 0) AS requests
FROM request_counts r
FULL OUTER JOIN session_counts s USING (k)
ORDER BY bucket_start;
