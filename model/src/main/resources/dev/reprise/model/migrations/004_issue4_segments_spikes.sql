-- issue 4: behaviour segments with a bot flag, detected spikes, raw paths behind each template,
-- user URL templating rules.

-- Whether the session's user agent is a bot, crawler or scanner (model_params.bot_pattern); bot
-- sessions form their own segment and never enter the clustering of human behaviour.
ALTER TABLE sessions ADD COLUMN is_bot BOOLEAN DEFAULT false;

-- One row per detected burst of session arrivals: [start_ts, end_ts) where the rate stayed above the
-- rolling median by spike_mads robust deviations for at least spike_min_duration_s. Rates are
-- sessions per second: baseline = rolling median around the spike, peak = highest detection block.
CREATE TABLE spikes (
    spike_id      INTEGER NOT NULL,
    start_ts      TIMESTAMPTZ NOT NULL,
    end_ts        TIMESTAMPTZ NOT NULL,
    sessions      BIGINT NOT NULL,
    baseline_rate DOUBLE NOT NULL,
    peak_rate     DOUBLE NOT NULL,
    factor        DOUBLE NOT NULL
);

-- The most requested raw paths behind each endpoint (up to 5), so over- and under-merging by the
-- URL templating is visible (`reprise model show templates`).
CREATE TABLE endpoint_paths (
    endpoint_id INTEGER NOT NULL,
    path        VARCHAR NOT NULL,
    requests    BIGINT NOT NULL
);

-- User URL templating rules, applied to each path segment before the built-in ones, lowest priority
-- first; the first rule whose pattern matches the whole segment wins. A replacement in braces
-- ('{sku}') makes the segment a slot (its value goes to endpoint_values); any other replacement is
-- literal text (merging segments, or keeping one from a built-in rule).
CREATE TABLE template_rules (
    priority    INTEGER NOT NULL,
    pattern     VARCHAR NOT NULL,
    replacement VARCHAR NOT NULL
);
