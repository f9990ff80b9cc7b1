package dev.reprise.model;

import java.time.Instant;

/**
 * A detected burst of session arrivals from the {@code spikes} table, in recorded time.
 *
 * @param factor peak rate over the rolling-median baseline
 */
public record Spike(int spikeId, Instant start, Instant end, double factor) {
}
