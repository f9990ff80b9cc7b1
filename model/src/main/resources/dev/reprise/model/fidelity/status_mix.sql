-- One row per HTTP status seen on either side: its share of requests in the source and in the
-- replayed store (the target's answers as its own access log recorded them), 0 where absent.
WITH src AS (
    SELECT status, count(*) / sum(count(*)) OVER () AS share FROM requests GROUP BY status
), rep AS (
    SELECT status, count(*) / sum(count(*)) OVER () AS share FROM replayed.requests GROUP BY status
)
SELECT status, coalesce(src.share, 0) AS source_share, coalesce(rep.share, 0) AS replayed_share
FROM src
FULL OUTER JOIN rep USING (status)
ORDER BY abs(coalesce(src.share, 0) - coalesce(rep.share, 0)) DESC;
