-- issue 7b: per-endpoint latency over time in the results layer.

-- One row per run, reporting interval and endpoint that had traffic in it (t = seconds since the run
-- started, end of the interval, as in run_intervals). Only the endpoints the run's .hlog tags
-- (`ep-<endpoint_id>`: the 100 of largest model weight) get rows, so a run writes at most 100 rows per
-- interval. Latency from the intended send time, of the requests completed in the interval.
CREATE TABLE run_endpoint_intervals (
    run_id         VARCHAR NOT NULL,
    t              DOUBLE NOT NULL,
    endpoint_id    INTEGER NOT NULL,
    sent           BIGINT NOT NULL,
    completed      BIGINT NOT NULL,
    errors         BIGINT NOT NULL,
    latency_p50_ms DOUBLE,
    latency_p95_ms DOUBLE,
    latency_p99_ms DOUBLE,
    latency_max_ms DOUBLE
);
