package dev.reprise.model;

/** What {@code model build} produced: row counts of the main model tables and how long it took. */
public record ModelBuildSummary(long requests, long endpoints, long sessions, long transitions,
                                long thinkTimeDistributions, long arrivalBuckets, long buildMillis) {
}
