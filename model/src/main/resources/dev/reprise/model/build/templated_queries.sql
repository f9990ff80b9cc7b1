-- One row per distinct query string when model_params.query_params names query parameters (a
-- comma-separated list, or '*' for all); no rows otherwise. The parameters so named that the query
-- string carries become part of the endpoint: `signature` ('?category={category}&q={q}', sorted by
-- name, one placeholder per occurrence; a parameter without '=' stays literal), `slots` their values
-- (slot 'query:NAME'), and `rest` the other parameters in their logged order ('' when none), which
-- goes whole to the 'query' slot as before. Names with braces never enter a signature.
CREATE TEMP TABLE templated_queries AS
WITH config AS (
    SELECT list_transform(string_split(value, ','), n -> trim(n)) AS names
    FROM model_params WHERE name = 'query_params' AND trim(value) <> ''
), params AS (
    SELECT query, list_transform(string_split(query, '&'), kv -> {
               'name': split_part(kv, '=', 1),
               'has_value': strpos(kv, '=') > 0,
               'value': CASE WHEN strpos(kv, '=') > 0 THEN kv[strpos(kv, '=') + 1:] END,
               'kv': kv}) AS params,
           config.names
    FROM (SELECT DISTINCT query FROM requests WHERE query IS NOT NULL AND query <> ''), config
), split AS (
    SELECT query,
           list_sort(list_filter(params, p -> p.name <> '' AND NOT regexp_matches(p.name, '[{}]')
               AND (list_contains(names, '*') OR list_contains(names, p.name)))) AS named,
           list_filter(params, p -> NOT (p.name <> '' AND NOT regexp_matches(p.name, '[{}]')
               AND (list_contains(names, '*') OR list_contains(names, p.name)))) AS others
    FROM params
)
SELECT query,
       CASE WHEN len(named) = 0 THEN '' ELSE '?' || array_to_string(list_transform(named, p ->
           CASE WHEN p.has_value THEN p.name || '={' || p.name || '}' ELSE p.name END), '&') END AS signature,
       list_transform(list_filter(named, p -> p.has_value), p -> {'slot': 'query:' || p.name, 'value': p.value}) AS slots,
       CASE WHEN len(others) = 0 THEN '' ELSE array_to_string(list_transform(others, p -> p.kv), '&') END AS rest
FROM split;
