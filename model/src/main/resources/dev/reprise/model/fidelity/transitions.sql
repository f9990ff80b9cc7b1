-- One row per from-state (START or an endpoint): the total variation distance between its
-- next-state distributions (an endpoint or EXIT) in the source and the replayed store, and the
-- from-state's share of all source moves (its weight in the average). Sessions come from each
-- store's session_steps; states are named by method and template so the two stores' ids need not agree.
WITH steps AS (
    SELECT 1 AS side, s.session_id, s.seq, e.method || ' ' || e.template AS state
    FROM session_steps s JOIN endpoints e USING (endpoint_id)
    UNION ALL
    SELECT 2 AS side, s.session_id, s.seq, e.method || ' ' || e.template AS state
    FROM replayed.session_steps s JOIN replayed.endpoints e USING (endpoint_id)
), moves AS (
    SELECT side, coalesce(lag(state) OVER (PARTITION BY side, session_id ORDER BY seq), 'START') AS from_state,
           state AS to_state
    FROM steps
    UNION ALL
    SELECT side, arg_max(state, seq) AS from_state, 'EXIT' AS to_state
    FROM steps
    GROUP BY side, session_id
), counts AS (
    SELECT side, from_state, to_state, count(*) AS n
    FROM moves
    GROUP BY side, from_state, to_state
), probabilities AS (
    SELECT side, from_state, to_state, n / sum(n) OVER (PARTITION BY side, from_state) AS p
    FROM counts
), src AS (
    SELECT * FROM probabilities WHERE side = 1
), rep AS (
    SELECT * FROM probabilities WHERE side = 2
), per_state AS (
    SELECT from_state, sum(abs(coalesce(src.p, 0) - coalesce(rep.p, 0))) / 2 AS tvd,
           bool_or(src.p IS NOT NULL) AS in_source, bool_or(rep.p IS NOT NULL) AS in_replay
    FROM src
    FULL OUTER JOIN rep USING (from_state, to_state)
    GROUP BY from_state
), source_moves AS (
    SELECT from_state, sum(n) / (SELECT sum(n) FROM counts WHERE side = 1) AS weight,
           sum(n) AS source_moves
    FROM counts
    WHERE side = 1
    GROUP BY from_state
), replayed_moves AS (
    SELECT from_state, sum(n) AS replayed_moves FROM counts WHERE side = 2 GROUP BY from_state
)
SELECT from_state, tvd, coalesce(weight, 0) AS weight, coalesce(source_moves, 0) AS source_moves,
       coalesce(replayed_moves, 0) AS replayed_moves
FROM per_state
LEFT JOIN source_moves USING (from_state)
LEFT JOIN replayed_moves USING (from_state)
ORDER BY coalesce(weight, 0) * tvd DESC;
