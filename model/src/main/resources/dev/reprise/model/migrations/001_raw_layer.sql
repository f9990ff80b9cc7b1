-- Raw layer written by ingest: one row per source, per loaded request, per rejected line.
CREATE SEQUENCE source_ids START 1;

CREATE TABLE sources (
    source_id     INTEGER PRIMARY KEY,
    uri           VARCHAR NOT NULL,     -- file path (absolute) or '-' for stdin
    kind          VARCHAR NOT NULL,     -- 'nginx', 'csv'
    format        VARCHAR,              -- the log_format string or mapping used
    fingerprint   VARCHAR,              -- hash of the content, to skip re-ingesting the same file
    anonymized    BOOLEAN NOT NULL,     -- false only when --no-anonymize was given
    lines_read    BIGINT,               -- = rows_loaded + rows_rejected once finished
    rows_loaded   BIGINT,
    rows_rejected BIGINT,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ
);

CREATE TABLE requests (
    source_id    INTEGER NOT NULL,
    line_no      BIGINT NOT NULL,       -- 1-based line (or record) number in the source
    ts           TIMESTAMPTZ NOT NULL,
    client       VARCHAR,               -- keyed hash of the client address unless the source is not anonymized
    session_hint VARCHAR,               -- keyed hash of a session/user id when the log has one
    method       VARCHAR NOT NULL,
    path         VARCHAR NOT NULL,      -- as logged (not URL-decoded), without the query string
    query        VARCHAR,               -- without the leading '?', NULL when absent
    protocol     VARCHAR,
    status       SMALLINT,
    bytes        BIGINT,
    duration_ms  DOUBLE,
    upstream_ms  DOUBLE,
    referer      VARCHAR,
    user_agent   VARCHAR,
    host         VARCHAR,
    extra        JSON                   -- any other captured variable, as a JSON object
);

CREATE TABLE rejects (
    source_id INTEGER NOT NULL,
    line_no   BIGINT NOT NULL,
    reason    VARCHAR NOT NULL,
    raw       VARCHAR                   -- sanitized excerpt of the line (printable, at most 512 chars)
);

-- Store-wide settings (anonymization key, ...). Not part of the analyst-facing contract.
CREATE TABLE store_settings (
    name  VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
