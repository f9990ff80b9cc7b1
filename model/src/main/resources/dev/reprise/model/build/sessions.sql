-- One row per session: its client, first and last request time, length and whether a bot made it.
-- segment_id is 0 here; the segmentation step that follows assigns the real segments.
INSERT INTO sessions (session_id, client, segment_id, start_ts, end_ts, requests, is_bot)
SELECT s.session_id, any_value(t.client) AS client, 0 AS segment_id,
       min(t.ts) AS start_ts, max(t.ts) AS end_ts, CAST(count(*) AS INTEGER) AS requests,
       bool_or(t.is_bot) AS is_bot
FROM session_steps s
JOIN templated_requests t USING (source_id, line_no)
GROUP BY s.session_id;
