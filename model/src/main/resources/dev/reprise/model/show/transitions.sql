-- One row per segment and move of the navigation chain, most frequent first within each from-state.
SELECT segment_id AS segment, from_state, to_state, count,
       round(probability, 4) AS probability,
       round(weight / sum(weight) OVER (PARTITION BY segment_id, from_state), 4) AS weight
FROM transition_paths
ORDER BY segment_id, from_state, count DESC, to_state
