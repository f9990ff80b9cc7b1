-- One row per session: its client, segment, first and last request time and length.
INSERT INTO sessions
SELECT s.session_id, any_value(t.client) AS client, 1 AS segment_id,
       min(t.ts) AS start_ts, max(t.ts) AS end_ts, CAST(count(*) AS INTEGER) AS requests
FROM session_steps s
JOIN templated_requests t USING (source_id, line_no)
GROUP BY s.session_id;
