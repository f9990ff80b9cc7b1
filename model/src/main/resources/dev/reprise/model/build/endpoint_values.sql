-- One row per endpoint, slot and observed value with its count: 'path:N' is the N-th placeholder of
-- the template, 'query' the whole query string ('' when the request had none).
INSERT INTO endpoint_values
WITH path_slots AS (
    SELECT e.endpoint_id, 'path:' || i AS slot, t.slot_values[i] AS value
    FROM templated_requests t
    JOIN endpoints e USING (method, template),
         unnest(range(1, len(t.slot_values) + 1)) AS u(i)
), query_slots AS (
    SELECT e.endpoint_id, 'query' AS slot, coalesce(t.query, '') AS value
    FROM templated_requests t
    JOIN endpoints e USING (method, template)
)
SELECT endpoint_id, slot, value, count(*) AS count
FROM (SELECT * FROM path_slots UNION ALL SELECT * FROM query_slots)
GROUP BY endpoint_id, slot, value;
