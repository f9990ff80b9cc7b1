-- One row per request: its visitor key, URL template (templated_paths, plus the query signature of
-- templated_queries when query parameters are configured), the values that filled the path's
-- placeholders, in order, those of the query's placeholders and the rest of the query string, and
-- whether its user agent is a bot (model_params.bot_pattern; matched once per user agent).
CREATE TEMP TABLE templated_requests AS
WITH agents AS (
    SELECT user_agent,
           regexp_matches(user_agent, (SELECT value FROM model_params WHERE name = 'bot_pattern')) AS is_bot
    FROM (SELECT DISTINCT user_agent FROM requests WHERE user_agent IS NOT NULL)
)
SELECT r.source_id, r.line_no, r.ts, r.method, r.path, r.query, r.status, r.bytes, r.duration_ms, r.client,
       coalesce(r.session_hint, coalesce(r.client, '') || ' ' || coalesce(r.user_agent, '')) AS visitor,
       -- sessionizing partitions by this 64-bit hash rather than the long visitor string (several times
       -- faster); two visitors merge only on a hash collision, odds about n^2 / 2^65 for n visitors
       hash(coalesce(r.session_hint, coalesce(r.client, '') || ' ' || coalesce(r.user_agent, ''))) AS visitor_key,
       t.template || coalesce(q.signature, '') AS template, t.slot_values,
       q.slots AS query_slots, CASE WHEN q.query IS NULL THEN coalesce(r.query, '') ELSE q.rest END AS query_rest,
       coalesce(a.is_bot, false) AS is_bot
FROM requests r
JOIN templated_paths t USING (path)
LEFT JOIN templated_queries q USING (query)
LEFT JOIN agents a USING (user_agent);
