-- One row per behaviour segment: sessions, recorded share, normalized weight, mean length and median think time.
SELECT g.segment_id AS id, g.name, g.sessions,
       round(100 * g.share, 1) AS share_pct,
       round(100 * g.weight / sum(g.weight) OVER (), 1) AS weight_pct,
       round(avg(s.requests), 1) AS mean_requests,
       round(any_value(t.quantiles[51]) / 1000, 2) AS median_think_s
FROM segments g
LEFT JOIN sessions s USING (segment_id)
LEFT JOIN think_times t ON t.segment_id = g.segment_id AND t.level = 'global'
GROUP BY g.segment_id, g.name, g.sessions, g.share, g.weight
ORDER BY g.segment_id
