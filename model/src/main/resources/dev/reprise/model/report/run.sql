-- One row: the run with the given run_id (timestamps as epoch microseconds), for reports.
SELECT run_id, epoch_us(started_at), epoch_us(finished_at), mode, target, CAST(options AS VARCHAR), sessions, sent,
       completed, errors, dropped, target_rate_per_s, achieved_rate_per_s, latency_p50_ms, latency_p90_ms,
       latency_p95_ms, latency_p99_ms, latency_p999_ms, latency_max_ms, service_p50_ms, service_p99_ms,
       lateness_p99_ms, thresholds_ok
FROM runs
WHERE run_id = ?
