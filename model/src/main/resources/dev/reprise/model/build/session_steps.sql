-- One row per request: the session (visit) it belongs to, its position in the session, its endpoint
-- and the think time before it. A visit is one visitor's requests with no gap longer than
-- session_gap_s; think time = gap between the two log timestamps minus the later request's duration.
INSERT INTO session_steps
WITH ordered AS (
    SELECT t.source_id, t.line_no, t.ts, t.visitor_key, t.duration_ms, e.endpoint_id,
           (epoch_us(t.ts) - epoch_us(lag(t.ts) OVER w)) / 1000.0 AS gap_ms
    FROM templated_requests t
    JOIN endpoints e USING (method, template)
    WINDOW w AS (PARTITION BY t.visitor_key ORDER BY t.ts, t.source_id, t.line_no)
), visits AS (
    SELECT *,
           sum(CASE WHEN gap_ms IS NULL
                     OR gap_ms > 1000 * (SELECT CAST(value AS DOUBLE) FROM model_params WHERE name = 'session_gap_s')
                    THEN 1 ELSE 0 END)
               OVER (PARTITION BY visitor_key ORDER BY ts, source_id, line_no ROWS UNBOUNDED PRECEDING) AS visit_no
    FROM ordered
), numbered AS (
    SELECT *,
           min(ts) OVER (PARTITION BY visitor_key, visit_no) AS visit_start,
           row_number() OVER (PARTITION BY visitor_key, visit_no ORDER BY ts, source_id, line_no) AS seq
    FROM visits
)
SELECT source_id, line_no,
       dense_rank() OVER (ORDER BY visit_start, visitor_key, visit_no) AS session_id,
       CAST(seq AS INTEGER) AS seq,
       endpoint_id,
       CASE WHEN seq = 1 THEN NULL ELSE greatest(0, gap_ms - coalesce(duration_ms, 0)) END AS think_ms
FROM numbered;
