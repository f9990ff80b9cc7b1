package dev.reprise.ingest.nginx;

/**
 * Why a line did not load; {@link #code()} is what {@code rejects.reason} holds. Codes are part of
 * the store contract (docs/ingest.md lists them): add new ones, never rename.
 */
public enum RejectReason {
    /** The line is empty or only whitespace. */
    EMPTY_LINE("empty_line"),
    /** The line is longer than {@code LogFile.MAX_LINE_BYTES}; only its start is kept in raw. */
    LINE_TOO_LONG("line_too_long"),
    /** The last line of an input that ended early (truncated gzip): it is cut, so it is not trusted. */
    TRUNCATED_LINE("truncated_line"),
    /** The literal text of the log_format is not where it should be. */
    FORMAT_MISMATCH("format_mismatch"),
    /** The request is {@code "-"} or {@code ""}: the client sent no request line. */
    EMPTY_REQUEST("empty_request"),
    /** The request starts with a TLS handshake record (0x16 0x03): HTTPS spoken to a plain-HTTP port. */
    TLS_HANDSHAKE("tls_handshake"),
    /** The request is not {@code METHOD SP target [SP HTTP/x]}. */
    BAD_REQUEST_LINE("bad_request_line"),
    /** The time variable is missing, {@code -}, or not a valid time. */
    BAD_TIMESTAMP("bad_timestamp"),
    /** {@code $status} is not a three-digit number or {@code -}. */
    BAD_STATUS("bad_status"),
    /** {@code $body_bytes_sent}/{@code $bytes_sent} is not a non-negative integer or {@code -}. */
    BAD_BYTES("bad_bytes"),
    /** {@code $request_time} is not a non-negative decimal number of seconds or {@code -}. */
    BAD_REQUEST_TIME("bad_request_time"),
    /** {@code $upstream_response_time} is not a list of decimal seconds and {@code -}. */
    BAD_UPSTREAM_TIME("bad_upstream_time"),
    /** A line of a JSON-lines log that is not one JSON object. */
    BAD_JSON("bad_json");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** The short snake_case code stored in {@code rejects.reason}. */
    public String code() {
        return code;
    }

    /**
     * True when the reason says the line's shape or a typed field does not fit the format, which is
     * what a wrong {@code --format} produces on every line (as opposed to a request the server itself
     * could not make sense of, such as a TLS handshake).
     */
    public boolean suggestsWrongFormat() {
        return switch (this) {
            case FORMAT_MISMATCH, BAD_TIMESTAMP, BAD_STATUS, BAD_BYTES, BAD_REQUEST_TIME, BAD_UPSTREAM_TIME, BAD_JSON -> true;
            default -> false;
        };
    }
}
