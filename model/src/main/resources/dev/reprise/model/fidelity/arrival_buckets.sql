-- One row per arrival bucket k = 0 .. buckets-1 of the compared window: sessions starting in it in the
-- source (bucket k = [from + k*bucket, from + (k+1)*bucket)) and in the replay, whose time is
-- measured from its first request and multiplied by the speed. Parameters: from (epoch µs),
-- bucket (µs of source time), speed, number of buckets.
WITH p AS (
    SELECT CAST(? AS BIGINT) AS from_us, CAST(? AS DOUBLE) AS bucket_us, CAST(? AS DOUBLE) AS speed,
           CAST(? AS BIGINT) AS buckets
), origin AS (
    SELECT min(epoch_us(ts)) AS us FROM replayed.requests
), src AS (
    SELECT CAST(floor((epoch_us(start_ts) - p.from_us) / p.bucket_us) AS BIGINT) AS k, count(*) AS n
    FROM sessions, p
    GROUP BY k
), rep AS (
    SELECT CAST(floor((epoch_us(start_ts) - origin.us) * p.speed / p.bucket_us) AS BIGINT) AS k, count(*) AS n
    FROM replayed.sessions, origin, p
    GROUP BY k
)
SELECT b.k, coalesce(src.n, 0) AS source_sessions, coalesce(rep.n, 0) AS replayed_sessions
FROM (SELECT range AS k FROM range(0, (SELECT buckets FROM p))) b
LEFT JOIN src USING (k)
LEFT JOIN rep USING (k)
ORDER BY b.k;
