package dev.reprise.model;

import java.util.Map;

/**
 * What {@code model build} produced: row counts of the main model tables and how long it took.
 *
 * @param stepMillis wall-clock milliseconds of each build step, in build order
 */
public record ModelBuildSummary(long requests, long endpoints, long sessions, long transitions,
                                long thinkTimeDistributions, long arrivalBuckets, long segments, long spikes,
                                long buildMillis, Map<String, Long> stepMillis) {
    public ModelBuildSummary {
        stepMillis = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stepMillis));
    }
}
