-- issue 5c: the user agents of each behaviour segment, so that a model-mode replay sends each
-- synthetic session a user agent drawn from its segment (bots look like bots in the target's log).

-- One row per segment and user agent: how many of the segment's sessions used that agent (a session's
-- agent is the one most of its requests sent). Only the model_params.agents_per_segment most common
-- agents of each segment are kept. Analysts may edit it: replay draws in proportion to sessions;
-- a segment without rows falls back to Reprise's own user agent.
CREATE TABLE segment_agents (
    segment_id INTEGER NOT NULL,
    user_agent VARCHAR NOT NULL,
    sessions   BIGINT NOT NULL
);
