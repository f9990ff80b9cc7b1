-- One row per endpoint (method + template) seen on either side: its share of requests in the source
-- store and in the replayed store (attached as `replayed`), 0 where absent.
WITH src AS (
    SELECT method || ' ' || template AS endpoint, requests / sum(requests) OVER () AS share
    FROM endpoints
), rep AS (
    SELECT method || ' ' || template AS endpoint, requests / sum(requests) OVER () AS share
    FROM replayed.endpoints
)
SELECT endpoint, coalesce(src.share, 0) AS source_share, coalesce(rep.share, 0) AS replayed_share
FROM src
FULL OUTER JOIN rep USING (endpoint)
ORDER BY abs(coalesce(src.share, 0) - coalesce(rep.share, 0)) DESC;
