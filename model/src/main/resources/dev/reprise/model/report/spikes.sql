-- One row per detected spike of the model layer, in time order (epoch microseconds), for reports.
SELECT spike_id, epoch_us(start_ts) AS start_us, epoch_us(end_ts) AS end_us, factor
FROM spikes
ORDER BY start_ts
