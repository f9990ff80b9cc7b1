-- One row per segment, from-state and to-state of the navigation Markov chain: START (0) -> first
-- endpoint, endpoint -> next endpoint, last endpoint -> EXIT (-1). Each session's moves count toward
-- every segment in proportion to its posterior probability of belonging to it (segment_posteriors,
-- from the segmentation step), so the chains are the mixture's estimates rather than chains biased by
-- hard assignment; count is that expected number of moves, rounded.
INSERT INTO transitions
WITH steps AS (
    SELECT ss.session_id, ss.seq, ss.endpoint_id,
           coalesce(lag(ss.endpoint_id) OVER w, 0) AS from_endpoint,
           lead(ss.endpoint_id) OVER w IS NULL AS is_last
    FROM session_steps ss
    WINDOW w AS (PARTITION BY ss.session_id ORDER BY ss.seq)
), moves AS (
    SELECT session_id, from_endpoint, endpoint_id AS to_endpoint FROM steps
    UNION ALL
    SELECT session_id, endpoint_id AS from_endpoint, -1 AS to_endpoint FROM steps WHERE is_last
), counted AS (
    SELECT p.segment_id, m.from_endpoint, m.to_endpoint, sum(p.posterior) AS expected
    FROM moves m
    JOIN segment_posteriors p USING (session_id)
    GROUP BY ALL
    HAVING sum(p.posterior) >= 0.5
)
SELECT segment_id, from_endpoint, to_endpoint, CAST(round(expected) AS BIGINT) AS count,
       expected / sum(expected) OVER (PARTITION BY segment_id, from_endpoint) AS probability,
       expected / sum(expected) OVER (PARTITION BY segment_id, from_endpoint) AS weight
FROM counted;
