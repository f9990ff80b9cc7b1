-- One row per endpoint and raw path among its 5 most requested paths: what the URL templating merged.
INSERT INTO endpoint_paths
SELECT endpoint_id, path, requests
FROM (
    SELECT e.endpoint_id, t.path, count(*) AS requests,
           row_number() OVER (PARTITION BY e.endpoint_id ORDER BY count(*) DESC, t.path) AS rank
    FROM templated_requests t
    JOIN endpoints e USING (method, template)
    GROUP BY e.endpoint_id, t.path
)
WHERE rank <= 5;
