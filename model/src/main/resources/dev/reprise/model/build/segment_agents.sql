-- The most common user agents of each segment (up to model_params.agents_per_segment), counted in
-- sessions. A session's agent is the one most of its requests sent; requests without one are ignored.
INSERT INTO segment_agents
WITH session_agents AS (
    SELECT st.session_id, mode(r.user_agent) AS user_agent
    FROM session_steps st
    JOIN requests r USING (source_id, line_no)
    WHERE r.user_agent IS NOT NULL AND r.user_agent NOT IN ('', '-')
    GROUP BY st.session_id
), counted AS (
    SELECT s.segment_id, a.user_agent, count(*) AS sessions
    FROM session_agents a
    JOIN sessions s USING (session_id)
    GROUP BY s.segment_id, a.user_agent
)
SELECT segment_id, user_agent, sessions
FROM counted
QUALIFY row_number() OVER (PARTITION BY segment_id ORDER BY sessions DESC, user_agent)
        <= (SELECT CAST(value AS INTEGER) FROM model_params WHERE name = 'agents_per_segment')
ORDER BY segment_id, sessions DESC, user_agent;
