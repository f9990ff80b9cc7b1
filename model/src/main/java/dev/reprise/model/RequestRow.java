package dev.reprise.model;

/**
 * One parsed request as ingest hands it to {@link SourceLoad#append(RequestRow)}. Absent values:
 * {@code null} for text, {@code -1} for {@code status} and {@code bytes}, {@code NaN} for durations.
 *
 * @param lineNo        1-based line (or record) number in the source
 * @param tsEpochMicros request time, microseconds since the epoch (UTC)
 * @param client        client identity, already anonymized when the source is
 * @param query         the query string without '?', or null when the request had none
 */
public record RequestRow(
        long lineNo,
        long tsEpochMicros,
        String client,
        String sessionHint,
        String method,
        String path,
        String query,
        String protocol,
        int status,
        long bytes,
        double durationMs,
        double upstreamMs,
        String referer,
        String userAgent,
        String host,
        String extraJson) {
}
