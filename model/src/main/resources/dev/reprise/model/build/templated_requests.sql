-- One row per request: its visitor key, URL template (numeric ids -> {id}, UUIDs -> {uuid}) and
-- the values that filled the template's placeholders, in order. Templating runs once per distinct path.
CREATE TEMP TABLE templated_requests AS
WITH paths AS (
    SELECT path, string_split(path, '/') AS parts
    FROM (SELECT DISTINCT path FROM requests)
), templated_paths AS (
    SELECT path,
           array_to_string(list_transform(parts, p ->
               CASE WHEN regexp_full_match(p, '[0-9]+') THEN '{id}'
                    WHEN regexp_full_match(p, '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}') THEN '{uuid}'
                    ELSE p END), '/') AS template,
           list_filter(parts, p ->
               regexp_full_match(p, '[0-9]+')
               OR regexp_full_match(p, '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}')) AS slot_values
    FROM paths
)
SELECT r.source_id, r.line_no, r.ts, r.method, r.path, r.query, r.status, r.bytes, r.duration_ms, r.client,
       coalesce(r.session_hint, coalesce(r.client, '') || ' ' || coalesce(r.user_agent, '')) AS visitor,
       t.template, t.slot_values
FROM requests r
JOIN templated_paths t USING (path);
