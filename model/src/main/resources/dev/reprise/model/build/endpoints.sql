-- One row per endpoint (method + template): traffic share, status mix, size and duration medians.
-- Ids are dense from 1 in order of traffic; weight starts equal to share.
INSERT INTO endpoints
WITH counts AS (
    SELECT method, template, count(*) AS requests,
           median(bytes) AS bytes_p50,
           median(duration_ms) AS duration_p50_ms,
           quantile_cont(duration_ms, 0.99) AS duration_p99_ms
    FROM templated_requests
    GROUP BY method, template
), statuses AS (
    SELECT method, template,
           map_from_entries(list({'k': status, 'v': n}) FILTER (WHERE status IS NOT NULL)) AS status_counts,
           sum(n) FILTER (WHERE status IS NOT NULL) AS with_status
    FROM (SELECT method, template, status, count(*) AS n FROM templated_requests GROUP BY ALL)
    GROUP BY method, template
)
SELECT CAST(row_number() OVER (ORDER BY c.requests DESC, c.method, c.template) AS INTEGER) AS endpoint_id,
       c.method, c.template, c.requests,
       c.requests / sum(c.requests) OVER () AS share,
       c.requests / sum(c.requests) OVER () AS weight,
       CAST(map_from_entries(list_transform(map_entries(s.status_counts),
            e -> {'k': e.key, 'v': e.value / s.with_status})) AS MAP(SMALLINT, DOUBLE)) AS status_mix,
       c.bytes_p50, c.duration_p50_ms, c.duration_p99_ms
FROM counts c
JOIN statuses s USING (method, template);
