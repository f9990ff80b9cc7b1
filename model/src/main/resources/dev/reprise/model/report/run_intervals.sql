-- One row per reporting interval of the run with the given run_id, in time order, for reports.
SELECT t, sent, completed, errors, dropped, latency_p50_ms, latency_p99_ms, latency_max_ms
FROM run_intervals
WHERE run_id = ?
ORDER BY t
