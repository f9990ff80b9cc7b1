-- One row per endpoint, templated part and the rule that produced it, with the requests it templated:
-- why a URL became its template (`reprise model show templates`).
INSERT INTO endpoint_rules
WITH paths AS (
    SELECT method, template, path, query, count(*) AS requests
    FROM templated_requests
    GROUP BY ALL
), fired AS (
    SELECT p.method, p.template, f.fired.part AS part, f.fired.rule AS rule, p.requests
    FROM paths p
    JOIN templated_paths t USING (path), unnest(t.fired) AS f(fired)
    UNION ALL
    SELECT p.method, p.template, '{' || s.slot.slot[7:] || '}' AS part,
           'query_params ''' || (SELECT value FROM model_params WHERE name = 'query_params') || '''' AS rule,
           p.requests
    FROM paths p
    JOIN templated_queries q USING (query), unnest(q.slots) AS s(slot)
)
SELECT e.endpoint_id, f.part, f.rule, sum(f.requests) AS requests
FROM fired f
JOIN endpoints e USING (method, template)
GROUP BY ALL;
