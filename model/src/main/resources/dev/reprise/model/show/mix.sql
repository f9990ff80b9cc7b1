-- One row per endpoint: recorded share against the (editable) weight, normalized, with its status mix and timings.
SELECT endpoint_id AS id, method || ' ' || template AS endpoint, requests,
       round(100 * share, 2) AS share_pct,
       round(100 * weight / sum(weight) OVER (), 2) AS weight_pct,
       round(100 * coalesce(status_mix[200], 0), 1) AS ok_200_pct,
       bytes_p50, duration_p50_ms, duration_p99_ms
FROM endpoints
ORDER BY requests DESC, endpoint_id
