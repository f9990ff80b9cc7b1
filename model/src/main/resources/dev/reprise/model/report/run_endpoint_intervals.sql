-- One row per reporting interval and endpoint of the run with the given run_id, in time then endpoint order.
SELECT t, endpoint_id, sent, completed, errors, latency_p50_ms, latency_p95_ms, latency_p99_ms, latency_max_ms
FROM run_endpoint_intervals
WHERE run_id = ?
ORDER BY t, endpoint_id
