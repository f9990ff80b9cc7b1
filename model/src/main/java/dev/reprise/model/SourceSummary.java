package dev.reprise.model;

import java.util.Map;

/**
 * Accounting for one loaded source: {@code linesRead == rowsLoaded + rowsRejected} always holds.
 *
 * @param rejectsByReason number of rejected lines per reason, most frequent first
 */
public record SourceSummary(int sourceId, String uri, long linesRead, long rowsLoaded, long rowsRejected,
                            Map<String, Long> rejectsByReason) {
    public SourceSummary {
        if (linesRead != rowsLoaded + rowsRejected) {
            throw new IllegalStateException("source " + uri + ": lines_read " + linesRead
                    + " != rows_loaded " + rowsLoaded + " + rows_rejected " + rowsRejected);
        }
        rejectsByReason = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rejectsByReason));
    }
}
