-- One row per behaviour segment. Until sessions are clustered, every session is in segment 1.
INSERT INTO segments
SELECT 1 AS segment_id, 'all' AS name, count(*) AS sessions, 1.0 AS share, 1.0 AS weight
FROM (SELECT DISTINCT session_id FROM session_steps);
