-- One row per endpoint: its template, the placeholders (built-in rules) that made it, how many distinct raw paths it merged and the most requested ones.
SELECT e.endpoint_id AS id, e.method || ' ' || e.template AS endpoint, e.requests,
       coalesce(nullif(array_to_string(regexp_extract_all(e.template, '[{][a-z]+[}]'), ' '), ''), '(literal)') AS rules,
       (SELECT count(DISTINCT value) FROM endpoint_values v WHERE v.endpoint_id = e.endpoint_id AND v.slot = 'path:1') AS distinct_values,
       (SELECT string_agg(p.path || ' (' || p.requests || ')', ', ' ORDER BY p.requests DESC, p.path)
        FROM endpoint_paths p WHERE p.endpoint_id = e.endpoint_id) AS top_paths
FROM endpoints e
ORDER BY e.requests DESC, e.endpoint_id
