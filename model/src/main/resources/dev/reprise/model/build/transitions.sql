-- One row per segment, from-state and to-state of the navigation Markov chain, counted over all
-- sessions: START (0) -> first endpoint, endpoint -> next endpoint, last endpoint -> EXIT (-1).
INSERT INTO transitions
WITH steps AS (
    SELECT ss.session_id, se.segment_id, ss.seq, ss.endpoint_id,
           coalesce(lag(ss.endpoint_id) OVER w, 0) AS from_endpoint,
           lead(ss.endpoint_id) OVER w IS NULL AS is_last
    FROM session_steps ss
    JOIN sessions se USING (session_id)
    WINDOW w AS (PARTITION BY ss.session_id ORDER BY ss.seq)
), moves AS (
    SELECT segment_id, from_endpoint, endpoint_id AS to_endpoint FROM steps
    UNION ALL
    SELECT segment_id, endpoint_id AS from_endpoint, -1 AS to_endpoint FROM steps WHERE is_last
), counted AS (
    SELECT segment_id, from_endpoint, to_endpoint, count(*) AS count
    FROM moves
    GROUP BY ALL
)
SELECT segment_id, from_endpoint, to_endpoint, count,
       count / sum(count) OVER (PARTITION BY segment_id, from_endpoint) AS probability,
       count / sum(count) OVER (PARTITION BY segment_id, from_endpoint) AS weight
FROM counted;
