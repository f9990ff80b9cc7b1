-- One row per endpoint, slot and observed value with its count: 'path:N' is the N-th placeholder of
-- the template's path, 'query:NAME' the query parameter NAME of its signature (when query_params is
-- configured), 'query' the rest of the query string ('' when the request had none).
INSERT INTO endpoint_values
WITH path_slots AS (
    SELECT e.endpoint_id, 'path:' || i AS slot, t.slot_values[i] AS value
    FROM templated_requests t
    JOIN endpoints e USING (method, template),
         unnest(range(1, len(t.slot_values) + 1)) AS u(i)
), query_param_slots AS (
    SELECT e.endpoint_id, s.slot.slot AS slot, s.slot.value AS value
    FROM templated_requests t
    JOIN endpoints e USING (method, template),
         unnest(t.query_slots) AS s(slot)
    WHERE t.query_slots IS NOT NULL
), query_slots AS (
    SELECT e.endpoint_id, 'query' AS slot, t.query_rest AS value
    FROM templated_requests t
    JOIN endpoints e USING (method, template)
)
SELECT endpoint_id, slot, value, count(*) AS count
FROM (SELECT * FROM path_slots UNION ALL SELECT * FROM query_param_slots UNION ALL SELECT * FROM query_slots)
GROUP BY endpoint_id, slot, value;
