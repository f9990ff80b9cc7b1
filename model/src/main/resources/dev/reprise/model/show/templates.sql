-- One row per endpoint: its template, the rules that made it (endpoint_rules: each templated part with
-- the template_rules row, built-in rule or query_params entry that produced it), how many distinct
-- values its first slot has, and the most requested raw paths it merged.
SELECT e.endpoint_id AS id, e.method || ' ' || e.template AS endpoint, e.requests,
       coalesce((SELECT string_agg(r.part || ' <- ' || r.rule, '; ' ORDER BY r.requests DESC, r.part, r.rule)
                 FROM endpoint_rules r WHERE r.endpoint_id = e.endpoint_id), '(literal)') AS rules,
       (SELECT count(DISTINCT value) FROM endpoint_values v WHERE v.endpoint_id = e.endpoint_id AND v.slot = 'path:1') AS distinct_values,
       (SELECT string_agg(p.path || ' (' || p.requests || ')', ', ' ORDER BY p.requests DESC, p.path)
        FROM endpoint_paths p WHERE p.endpoint_id = e.endpoint_id) AS top_paths
FROM endpoints e
ORDER BY e.requests DESC, e.endpoint_id
