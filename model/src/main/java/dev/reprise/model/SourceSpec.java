package dev.reprise.model;

/**
 * What is known about a source before it is read.
 *
 * @param uri         absolute file path, or "-" for standard input
 * @param kind        "nginx" or "csv"
 * @param format      the log_format string or column mapping used to read it
 * @param fingerprint content hash used to recognise a file loaded before (may be null for stdin)
 * @param anonymized  false only when the user opted out of anonymization
 */
public record SourceSpec(String uri, String kind, String format, String fingerprint, boolean anonymized) {
}
