-- One row per request: its visitor key, URL template and the values that filled the template's
-- placeholders, in order, and whether its user agent is a bot (model_params.bot_pattern). Built-in
-- rules, per path segment, first match wins: numeric -> {id}, UUID -> {uuid}, hex of 16+ digits
-- (hashes, object ids) -> {hash}, ISO date -> {date}, e-mail address -> {email}, and an opaque token
-- of 24+ URL-safe characters mixing letters and digits -> {token}. Templating runs once per distinct
-- path, bot matching once per user agent.
CREATE TEMP TABLE templated_requests AS
WITH paths AS (
    SELECT path, string_split(path, '/') AS parts
    FROM (SELECT DISTINCT path FROM requests)
), templated_paths AS (
    SELECT path,
           array_to_string(list_transform(parts, p ->
               CASE WHEN regexp_full_match(p, '[0-9]+') THEN '{id}'
                    WHEN regexp_full_match(p, '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}') THEN '{uuid}'
                    WHEN regexp_full_match(p, '[0-9a-fA-F]{16,}') THEN '{hash}'
                    WHEN regexp_full_match(p, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN '{date}'
                    WHEN regexp_full_match(p, '[^@/]+@[^@/]+[.][^@/]+') THEN '{email}'
                    WHEN regexp_full_match(p, '[A-Za-z0-9_~.=-]{24,}') AND regexp_matches(p, '[0-9]')
                         AND regexp_matches(p, '[A-Za-z]') AND NOT regexp_matches(p, '[.][a-z]{2,4}$') THEN '{token}'
                    ELSE p END), '/') AS template,
           list_filter(parts, p ->
               regexp_full_match(p, '[0-9]+')
               OR regexp_full_match(p, '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}')
               OR regexp_full_match(p, '[0-9a-fA-F]{16,}')
               OR regexp_full_match(p, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
               OR regexp_full_match(p, '[^@/]+@[^@/]+[.][^@/]+')
               OR regexp_full_match(p, '[A-Za-z0-9_~.=-]{24,}') AND regexp_matches(p, '[0-9]')
                  AND regexp_matches(p, '[A-Za-z]') AND NOT regexp_matches(p, '[.][a-z]{2,4}$')) AS slot_values
    FROM paths
), agents AS (
    SELECT user_agent,
           regexp_matches(user_agent, (SELECT value FROM model_params WHERE name = 'bot_pattern')) AS is_bot
    FROM (SELECT DISTINCT user_agent FROM requests WHERE user_agent IS NOT NULL)
)
SELECT r.source_id, r.line_no, r.ts, r.method, r.path, r.query, r.status, r.bytes, r.duration_ms, r.client,
       coalesce(r.session_hint, coalesce(r.client, '') || ' ' || coalesce(r.user_agent, '')) AS visitor,
       -- sessionizing partitions by this 64-bit hash rather than the long visitor string (several times
       -- faster); two visitors merge only on a hash collision, odds about n^2 / 2^65 for n visitors
       hash(coalesce(r.session_hint, coalesce(r.client, '') || ' ' || coalesce(r.user_agent, ''))) AS visitor_key,
       t.template, t.slot_values, coalesce(a.is_bot, false) AS is_bot
FROM requests r
JOIN templated_paths t USING (path)
LEFT JOIN agents a USING (user_agent);
