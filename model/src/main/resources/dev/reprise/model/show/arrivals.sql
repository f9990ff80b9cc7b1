-- One row per hour of the recording: sessions and requests started, their peak per-bucket values (the diurnal profile).
SELECT date_trunc('hour', bucket_start) AS hour, sum(sessions) AS sessions, sum(requests) AS requests,
       max(sessions) AS peak_sessions_per_bucket, max(requests) AS peak_requests_per_bucket
FROM arrivals
GROUP BY ALL
ORDER BY hour
