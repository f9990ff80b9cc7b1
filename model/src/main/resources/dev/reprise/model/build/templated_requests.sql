-- One row per request: its visitor key, URL template and the values that filled the template's
-- placeholders, in order, and whether its user agent is a bot (model_params.bot_pattern). Per path
-- segment, the first user rule of template_rules (by priority) whose pattern matches the whole segment
-- wins (a '{name}' replacement makes a slot, other text is literal); else the built-in rules, first
-- match wins: numeric -> {id}, UUID -> {uuid}, hex of 16+ digits
-- (hashes, object ids) -> {hash}, ISO date -> {date}, e-mail address -> {email}, and an opaque token
-- of 24+ URL-safe characters mixing letters and digits -> {token}. Templating runs once per distinct
-- path, bot matching once per user agent.
CREATE TEMP TABLE templated_requests AS
WITH rules AS (
    SELECT coalesce(list({'pattern': pattern, 'replacement': replacement} ORDER BY priority, pattern),
                    CAST([] AS STRUCT(pattern VARCHAR, replacement VARCHAR)[])) AS rules
    FROM template_rules
), paths AS (
    SELECT path, list_transform(string_split(path, '/'), p -> {
               'part': p,
               'rule': list_filter(rules.rules, r -> regexp_full_match(p, r.pattern))[1],
               'builtin': CASE WHEN regexp_full_match(p, '[0-9]+') THEN '{id}'
                    WHEN regexp_full_match(p, '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}') THEN '{uuid}'
                    WHEN regexp_full_match(p, '[0-9a-fA-F]{16,}') THEN '{hash}'
                    WHEN regexp_full_match(p, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN '{date}'
                    WHEN regexp_full_match(p, '[^@/]+@[^@/]+[.][^@/]+') THEN '{email}'
                    WHEN regexp_full_match(p, '[A-Za-z0-9_~.=-]{24,}') AND regexp_matches(p, '[0-9]')
                         AND regexp_matches(p, '[A-Za-z]') AND NOT regexp_matches(p, '[.][a-z]{2,4}$') THEN '{token}'
                    END}) AS parts
    FROM (SELECT DISTINCT path FROM requests), rules
), templated_paths AS (
    SELECT path,
           array_to_string(list_transform(parts, x ->
               coalesce(x.rule.replacement, x.builtin, x.part)), '/') AS template,
           list_transform(list_filter(parts, x ->
               CASE WHEN x.rule IS NOT NULL THEN regexp_full_match(x.rule.replacement, '[{][^{}/]*[}]')
                    ELSE x.builtin IS NOT NULL END), x -> x.part) AS slot_values
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
