-- Model layer rebuilt by `reprise model build` in one transaction; analysts edit the weight columns.
CREATE TABLE model_params (
    name  VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- One row per endpoint (method + URL template). Ids are dense from 1; 0 and -1 are START and EXIT.
CREATE TABLE endpoints (
    endpoint_id     INTEGER NOT NULL,
    method          VARCHAR NOT NULL,
    template        VARCHAR NOT NULL,
    requests        BIGINT NOT NULL,
    share           DOUBLE NOT NULL,
    weight          DOUBLE NOT NULL,
    status_mix      MAP(SMALLINT, DOUBLE),
    bytes_p50       DOUBLE,
    duration_p50_ms DOUBLE,
    duration_p99_ms DOUBLE
);

-- One row per endpoint, slot and observed value: 'path:N' is the N-th placeholder of the template,
-- 'query' the whole query string (empty string = no query).
CREATE TABLE endpoint_values (
    endpoint_id INTEGER NOT NULL,
    slot        VARCHAR NOT NULL,
    value       VARCHAR NOT NULL,
    count       BIGINT NOT NULL
);

-- One row per behaviour segment.
CREATE TABLE segments (
    segment_id INTEGER NOT NULL,
    name       VARCHAR NOT NULL,
    sessions   BIGINT NOT NULL,
    share      DOUBLE NOT NULL,
    weight     DOUBLE NOT NULL
);

-- One row per session (visit).
CREATE TABLE sessions (
    session_id BIGINT NOT NULL,
    client     VARCHAR,
    segment_id INTEGER NOT NULL,
    start_ts   TIMESTAMPTZ NOT NULL,
    end_ts     TIMESTAMPTZ NOT NULL,
    requests   INTEGER NOT NULL
);

-- One row per request that belongs to a session: which session, its position, endpoint and the
-- think time before it (NULL for the first request of a session).
CREATE TABLE session_steps (
    source_id   INTEGER NOT NULL,
    line_no     BIGINT NOT NULL,
    session_id  BIGINT NOT NULL,
    seq         INTEGER NOT NULL,
    endpoint_id INTEGER NOT NULL,
    think_ms    DOUBLE
);

-- One row per segment, from-state and to-state. from_endpoint 0 = START, to_endpoint -1 = EXIT.
CREATE TABLE transitions (
    segment_id    INTEGER NOT NULL,
    from_endpoint INTEGER NOT NULL,
    to_endpoint   INTEGER NOT NULL,
    count         BIGINT NOT NULL,
    probability   DOUBLE NOT NULL,
    weight        DOUBLE NOT NULL
);

-- Empirical think-time distributions in milliseconds (quantiles[1] = min ... quantiles[101] = max).
-- level 'transition': (segment, from, to); 'endpoint': (segment, from, any to); 'global': (segment, any).
CREATE TABLE think_times (
    segment_id    INTEGER NOT NULL,
    level         VARCHAR NOT NULL,
    from_endpoint INTEGER,
    to_endpoint   INTEGER,
    samples       BIGINT NOT NULL,
    quantiles     DOUBLE[] NOT NULL
);

-- One row per non-empty time bucket: sessions starting and requests logged in it.
CREATE TABLE arrivals (
    bucket_start TIMESTAMPTZ NOT NULL,
    sessions     BIGINT NOT NULL,
    requests     BIGINT NOT NULL
);

-- Each request with its session, sequence number, endpoint and think time.
CREATE VIEW session_requests AS
SELECT s.session_id, s.seq, s.endpoint_id, e.method AS endpoint_method, e.template, s.think_ms, r.*
FROM session_steps s
JOIN requests r USING (source_id, line_no)
JOIN endpoints e USING (endpoint_id);

-- transitions with readable names instead of ids.
CREATE VIEW transition_paths AS
SELECT t.segment_id,
       CASE WHEN t.from_endpoint = 0 THEN 'START' ELSE f.method || ' ' || f.template END AS from_state,
       CASE WHEN t.to_endpoint = -1 THEN 'EXIT' ELSE o.method || ' ' || o.template END AS to_state,
       t.count, t.probability, t.weight
FROM transitions t
LEFT JOIN endpoints f ON f.endpoint_id = t.from_endpoint
LEFT JOIN endpoints o ON o.endpoint_id = t.to_endpoint;
