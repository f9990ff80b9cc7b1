-- One row per behaviour segment: its name (from the segmentation step), sessions and share of
-- sessions; weight starts equal to share.
INSERT INTO segments
SELECT n.segment_id, n.name, count(*) AS sessions,
       count(*) / sum(count(*)) OVER () AS share,
       count(*) / sum(count(*)) OVER () AS weight
FROM sessions s
JOIN segment_names n USING (segment_id)
GROUP BY n.segment_id, n.name
ORDER BY n.segment_id;
