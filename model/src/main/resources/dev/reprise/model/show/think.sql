-- One row per think-time distribution: its level (the fallback replay uses when a transition has few samples) and quartiles in seconds.
SELECT t.segment_id AS segment, t.level,
       CASE WHEN t.from_endpoint IS NULL THEN '*' WHEN t.from_endpoint = 0 THEN 'START' ELSE f.method || ' ' || f.template END AS from_state,
       CASE WHEN t.to_endpoint IS NULL THEN '*' ELSE o.method || ' ' || o.template END AS to_state,
       t.samples,
       round(t.quantiles[26] / 1000, 2) AS p25_s,
       round(t.quantiles[51] / 1000, 2) AS median_s,
       round(t.quantiles[76] / 1000, 2) AS p75_s,
       round(t.quantiles[91] / 1000, 2) AS p90_s
FROM think_times t
LEFT JOIN endpoints f ON f.endpoint_id = t.from_endpoint
LEFT JOIN endpoints o ON o.endpoint_id = t.to_endpoint
ORDER BY t.segment_id, CASE t.level WHEN 'global' THEN 0 WHEN 'endpoint' THEN 1 ELSE 2 END, t.samples DESC
