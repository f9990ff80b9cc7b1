-- One row per recorded request with ts in [?, ?) (epoch microseconds), in log order: when it was
-- made, its endpoint (from the model), the request target as logged, the visitor's user agent and its
-- session. Exact-mode replay sends each of them at its recorded offset.
SELECT epoch_us(r.ts) AS ts_us,
       s.endpoint_id,
       r.path || CASE WHEN r.query IS NULL OR r.query = '' THEN '' ELSE '?' || r.query END AS target,
       coalesce(r.user_agent, '') AS user_agent,
       s.session_id
FROM requests r
JOIN session_steps s USING (source_id, line_no)
WHERE epoch_us(r.ts) >= ? AND epoch_us(r.ts) < ?
ORDER BY r.ts, r.source_id, r.line_no
