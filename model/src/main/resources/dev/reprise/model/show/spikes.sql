-- One row per detected spike of session arrivals.
SELECT spike_id AS id, start_ts, end_ts, end_ts - start_ts AS duration, sessions,
       round(baseline_rate, 3) AS baseline_per_s, round(peak_rate, 3) AS peak_per_s, round(factor, 1) AS factor
FROM spikes
ORDER BY start_ts
