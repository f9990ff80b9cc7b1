-- One row per endpoint of the run with the given run_id, in endpoint order, for reports.
SELECT endpoint_id, method, template, model_share, sent, completed, errors, latency_p50_ms, latency_p95_ms,
       latency_p99_ms, latency_max_ms, service_p50_ms, service_p99_ms
FROM run_endpoints
WHERE run_id = ?
ORDER BY endpoint_id
