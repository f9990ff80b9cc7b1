-- One row per distinct path: its URL template, the values that filled the template's placeholders, in
-- order, and which rule templated each segment (for `model show templates`). Per path segment, the
-- first user rule of template_rules (by priority) whose pattern matches the whole segment wins (a
-- '{name}' replacement makes a slot, other text is literal); else the built-in rules, first match
-- wins: numeric -> {id}, UUID -> {uuid}, hex of 16+ digits (hashes, object ids) -> {hash}, ISO date ->
-- {date}, e-mail address -> {email}, and an opaque token of 24+ URL-safe characters mixing letters and
-- digits -> {token}.
CREATE TEMP TABLE templated_paths AS
WITH rules AS (
    SELECT coalesce(list({'priority': priority, 'pattern': pattern, 'replacement': replacement} ORDER BY priority, pattern),
                    CAST([] AS STRUCT(priority INTEGER, pattern VARCHAR, replacement VARCHAR)[])) AS rules
    FROM template_rules
), parts AS (
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
)
SELECT path,
       array_to_string(list_transform(parts, x ->
           coalesce(x.rule.replacement, x.builtin, x.part)), '/') AS template,
       list_transform(list_filter(parts, x ->
           CASE WHEN x.rule IS NOT NULL THEN regexp_full_match(x.rule.replacement, '[{][^{}/]*[}]')
                ELSE x.builtin IS NOT NULL END), x -> x.part) AS slot_values,
       -- the rule behind each templated segment: {'part': what it became, 'rule': which rule}
       list_transform(list_filter(parts, x -> x.rule IS NOT NULL OR x.builtin IS NOT NULL), x -> {
           'part': coalesce(x.rule.replacement, x.builtin),
           'rule': CASE WHEN x.rule IS NOT NULL
                        THEN 'template_rules priority ' || x.rule.priority || ' ''' || x.rule.pattern || ''''
                        ELSE 'built-in ' || CASE x.builtin WHEN '{id}' THEN 'numeric id' WHEN '{uuid}' THEN 'uuid'
                             WHEN '{hash}' THEN 'hex 16+' WHEN '{date}' THEN 'date' WHEN '{email}' THEN 'email'
                             ELSE 'token' END END}) AS fired
FROM parts;
