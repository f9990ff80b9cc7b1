-- One row per bucket k = 0 .. buckets-1 of the recorded window a run replayed: requests recorded in
-- [window_start + k*bucket, window_start + (k+1)*bucket) and requests the run sent there. A reporting
-- interval (run_intervals, t = its end in run seconds) counts at its midpoint, mapped to recorded time
-- as window_start + t * speed. Parameters: run id, bucket (µs of recorded time), number of buckets.
WITH run AS (
    SELECT epoch_us(CAST(json_extract_string(options, '$.window_start') AS TIMESTAMPTZ)) AS from_us,
           CAST(json_extract_string(options, '$.speed') AS DOUBLE) AS speed, run_id
    FROM runs
    WHERE run_id = ?
), p AS (
    SELECT CAST(? AS DOUBLE) AS bucket_us, CAST(? AS BIGINT) AS buckets
), intervals AS (
    SELECT (coalesce(lag(i.t) OVER (ORDER BY i.t), 0) + i.t) / 2 AS mid_s, i.sent
    FROM run_intervals i
    JOIN run USING (run_id)
), rep AS (
    SELECT CAST(floor(mid_s * 1e6 * run.speed / p.bucket_us) AS BIGINT) AS k, sum(sent) AS n
    FROM intervals, run, p
    GROUP BY k
), src AS (
    SELECT CAST(floor((epoch_us(ts) - run.from_us) / p.bucket_us) AS BIGINT) AS k, count(*) AS n
    FROM requests, run, p
    WHERE epoch_us(ts) >= run.from_us
    GROUP BY k
)
SELECT b.k, coalesce(src.n, 0) AS source_requests, coalesce(rep.n, 0) AS sent_requests
FROM (SELECT range AS k FROM range(0, (SELECT buckets FROM p))) b
LEFT JOIN src USING (k)
LEFT JOIN rep USING (k)
ORDER BY b.k;
