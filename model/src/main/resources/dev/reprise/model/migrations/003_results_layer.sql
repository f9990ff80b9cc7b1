-- Results layer written after each replay.
-- One row per run.
CREATE TABLE runs (
    run_id              VARCHAR PRIMARY KEY,
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ NOT NULL,
    mode                VARCHAR NOT NULL,
    target              VARCHAR NOT NULL,
    options             JSON,
    sessions            BIGINT NOT NULL,
    sent                BIGINT NOT NULL,
    completed           BIGINT NOT NULL,
    errors              BIGINT NOT NULL,
    dropped             BIGINT NOT NULL,
    target_rate_per_s   DOUBLE,
    achieved_rate_per_s DOUBLE,
    latency_p50_ms      DOUBLE,
    latency_p90_ms      DOUBLE,
    latency_p95_ms      DOUBLE,
    latency_p99_ms      DOUBLE,
    latency_p999_ms     DOUBLE,
    latency_max_ms      DOUBLE,
    service_p50_ms      DOUBLE,
    service_p99_ms      DOUBLE,
    lateness_p99_ms     DOUBLE,
    thresholds_ok       BOOLEAN
);

-- One row per run and endpoint.
CREATE TABLE run_endpoints (
    run_id         VARCHAR NOT NULL,
    endpoint_id    INTEGER NOT NULL,
    method         VARCHAR NOT NULL,
    template       VARCHAR NOT NULL,
    model_share    DOUBLE,
    sent           BIGINT NOT NULL,
    completed      BIGINT NOT NULL,
    errors         BIGINT NOT NULL,
    latency_p50_ms DOUBLE,
    latency_p95_ms DOUBLE,
    latency_p99_ms DOUBLE,
    latency_max_ms DOUBLE,
    service_p50_ms DOUBLE,
    service_p99_ms DOUBLE
);

-- One row per run and reporting interval (t = seconds since the run started, end of the interval).
CREATE TABLE run_intervals (
    run_id         VARCHAR NOT NULL,
    t              DOUBLE NOT NULL,
    sent           BIGINT NOT NULL,
    completed      BIGINT NOT NULL,
    errors         BIGINT NOT NULL,
    dropped        BIGINT NOT NULL,
    latency_p50_ms DOUBLE,
    latency_p99_ms DOUBLE,
    latency_max_ms DOUBLE
);
