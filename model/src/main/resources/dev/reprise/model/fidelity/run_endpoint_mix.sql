-- One row per endpoint (method + template) in the source or in the run (parameter: run id): its share
-- of the source's requests and of the requests the run sent (run_endpoints.sent), 0 where absent.
WITH src AS (
    SELECT method || ' ' || template AS endpoint, requests / sum(requests) OVER () AS share
    FROM endpoints
), sent AS (
    SELECT method || ' ' || template AS endpoint, sum(sent) AS sent
    FROM run_endpoints
    WHERE run_id = ?
    GROUP BY ALL
), rep AS (
    SELECT endpoint, sent / nullif(sum(sent) OVER (), 0) AS share FROM sent
)
SELECT endpoint, coalesce(src.share, 0) AS source_share, coalesce(rep.share, 0) AS replayed_share
FROM src
FULL OUTER JOIN rep USING (endpoint)
ORDER BY abs(coalesce(src.share, 0) - coalesce(rep.share, 0)) DESC;
