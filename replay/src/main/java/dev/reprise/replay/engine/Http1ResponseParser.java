package dev.reprise.replay.engine;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Reads one HTTP/1.x response at a time off a connection, keeping only what the engine needs: the
 * status code, whether the connection may carry another request, and where the response ends. The
 * body is skipped, never copied. Framing follows RFC 9112 section 6.3: no body after a HEAD request or
 * for 1xx, 204 and 304; else {@code Transfer-Encoding: chunked} (chunk extensions and trailers
 * skipped), else {@code Content-Length}, else the body runs until the server closes the connection.
 * Interim 1xx responses (other than 101) are skipped and the final response is read. HTTP/1.0
 * responses keep the connection only with {@code Connection: keep-alive}; {@code Connection: close}
 * ends it in any version.
 *
 * <p>One request is in flight per connection (no pipelining), so bytes after the end of a response
 * belong to no request: the response still counts, and the connection is not reused.
 *
 * <p>Loop thread only; reused for every response of its connection ({@link #start}).
 */
final class Http1ResponseParser {
    /** The longest status or header line accepted, as Netty's default {@code maxHeaderSize}. */
    static final int MAX_LINE_BYTES = 8192;

    private static final int STATUS_LINE = 0;
    private static final int HEADER_LINE = 1;
    private static final int BODY_FIXED = 2;
    private static final int CHUNK_SIZE_LINE = 3;
    private static final int CHUNK_DATA = 4;
    private static final int CHUNK_DATA_END = 5;
    private static final int TRAILER_LINE = 6;
    private static final int BODY_UNTIL_CLOSE = 7;
    private static final int DONE = 8;

    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "close".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "keep-alive".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final byte[] line = new byte[MAX_LINE_BYTES];
    private int lineLength;
    private int state = DONE;
    private boolean headRequest;
    private int status;
    private boolean http10;
    private boolean keepAlive;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean chunked;
    private long contentLength;
    private long remaining;
    private boolean trailingBytes;

    /** Prepares for the response to a request just written; {@code headRequest} when it was a HEAD. */
    void start(boolean headRequest) {
        this.headRequest = headRequest;
        this.state = STATUS_LINE;
        this.trailingBytes = false;
        resetHead();
    }

    private void resetHead() {
        lineLength = 0;
        status = 0;
        http10 = false;
        connectionClose = false;
        connectionKeepAlive = false;
        chunked = false;
        contentLength = -1;
        remaining = 0;
    }

    /** Whether a response is being read (started and not complete). */
    boolean isReading() {
        return state != DONE;
    }

    /**
     * Consumes {@code in} (all of it; the reader index is left untouched, the caller releases it).
     *
     * @return true when the response is complete
     * @throws MalformedResponseException when the bytes are not an HTTP/1.x response
     */
    boolean feed(ByteBuf in) throws MalformedResponseException {
        int index = in.readerIndex();
        int end = in.writerIndex();
        if (state == DONE) {
            trailingBytes |= index < end;
            return false;
        }
        while (index < end) {
            switch (state) {
                case BODY_FIXED, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - index);
                    index += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = state == BODY_FIXED ? DONE : CHUNK_DATA_END;
                    }
                }
                case BODY_UNTIL_CLOSE -> index = end;
                case DONE -> {
                    trailingBytes = true;
                    index = end;
                }
                default -> {
                    int lf = in.forEachByte(index, end - index, ByteProcessor.FIND_LF);
                    int stop = lf < 0 ? end : lf;
                    int n = stop - index;
                    if (lineLength + n > MAX_LINE_BYTES) {
                        throw new MalformedResponseException("a response line is longer than " + MAX_LINE_BYTES + " bytes");
                    }
                    in.getBytes(index, line, lineLength, n);
                    lineLength += n;
                    index = stop;
                    if (lf >= 0) {
                        index++;
                        int length = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                        lineLength = 0;
                        onLine(length);
                    }
                }
            }
        }
        return state == DONE;
    }

    /**
     * The connection closed while a response was being read: true when that ends the response (a body
     * delimited by the close), false when the response is cut short.
     */
    boolean closed() {
        if (state == BODY_UNTIL_CLOSE) {
            state = DONE;
            return true;
        }
        return false;
    }

    /** The status code of the complete response. */
    int status() {
        return status;
    }

    /** Whether the connection may carry another request after the complete response. */
    boolean keepsConnection() {
        return keepAlive && !trailingBytes;
    }

    private void onLine(int length) throws MalformedResponseException {
        switch (state) {
            case STATUS_LINE -> statusLine(length);
            case HEADER_LINE -> {
                if (length == 0) {
                    endOfHead();
                } else {
                    header(length);
                }
            }
            case CHUNK_SIZE_LINE -> {
                long size = chunkSize(length);
                if (size == 0) {
                    state = TRAILER_LINE;
                } else {
                    remaining = size;
                    state = CHUNK_DATA;
                }
            }
            case CHUNK_DATA_END -> {
                if (length != 0) {
                    throw new MalformedResponseException("expected CRLF after a chunk's data, found '" + text(0, length) + "'");
                }
                state = CHUNK_SIZE_LINE;
            }
            case TRAILER_LINE -> {
                if (length == 0) {
                    state = DONE;
                }
            }
            default -> throw new IllegalStateException("no line expected in state " + state);
        }
    }

    /** {@code HTTP/1.1 200 OK}: version, a space, three digits, then an optional reason. */
    private void statusLine(int length) throws MalformedResponseException {
        if (length == 0) {
            return; // RFC 9112 section 2.2: a client may ignore empty lines before the status line
        }
        if (length < 12 || line[0] != 'H' || line[1] != 'T' || line[2] != 'T' || line[3] != 'P' || line[4] != '/'
                || line[5] != '1' || line[6] != '.' || (line[7] != '0' && line[7] != '1') || line[8] != ' '
                || (length > 12 && line[12] != ' ')) {
            throw new MalformedResponseException("expected a status line like 'HTTP/1.1 200 OK', found '"
                    + text(0, length) + "'");
        }
        int code = 0;
        for (int i = 9; i < 12; i++) {
            int digit = line[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new MalformedResponseException("expected a 3-digit status code, found '" + text(0, length) + "'");
            }
            code = code * 10 + digit;
        }
        status = code;
        http10 = line[7] == '0';
        state = HEADER_LINE;
    }

    private void header(int length) throws MalformedResponseException {
        int colon = -1;
        for (int i = 0; i < length; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            throw new MalformedResponseException("expected a header 'Name: value', found '" + text(0, length) + "'");
        }
        int from = colon + 1;
        int to = length;
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        if (nameIs(CONTENT_LENGTH, colon)) {
            contentLength = contentLength(from, to);
        } else if (nameIs(TRANSFER_ENCODING, colon)) {
            // chunked must be the last coding (RFC 9112 section 6.1); a list ending in it is chunked
            int last = to;
            while (last > from && line[last - 1] != ',') {
                last--;
            }
            chunked = tokenIs(CHUNKED, last, to);
        } else if (nameIs(CONNECTION, colon)) {
            // a list of tokens ("keep-alive", "close", "Upgrade, close"), read in place: nginx sends this header
            // on every response, and the parser must not allocate per response
            int start = from;
            for (int i = from; i <= to; i++) {
                if (i == to || line[i] == ',') {
                    connectionClose |= tokenIs(CLOSE, start, i);
                    connectionKeepAlive |= tokenIs(KEEP_ALIVE, start, i);
                    start = i + 1;
                }
            }
        }
    }

    private void endOfHead() {
        if (status >= 100 && status < 200 && status != 101) {
            // an interim response (100 Continue, 103 Early Hints): the final one follows
            boolean head = headRequest;
            resetHead();
            headRequest = head;
            state = STATUS_LINE;
            return;
        }
        keepAlive = !connectionClose && (!http10 || connectionKeepAlive);
        if (headRequest || status < 200 || status == 204 || status == 304) {
            state = DONE;
        } else if (chunked) {
            state = CHUNK_SIZE_LINE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = contentLength == 0 ? DONE : BODY_FIXED;
        } else {
            keepAlive = false;
            state = BODY_UNTIL_CLOSE;
        }
    }

    private boolean nameIs(byte[] lowerName, int nameLength) {
        return matches(lowerName, 0, nameLength);
    }

    /** Whether {@code line[from, to)} is {@code lower} in any letter case. */
    private boolean matches(byte[] lower, int from, int to) {
        if (to - from != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            int c = line[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private long contentLength(int from, int to) throws MalformedResponseException {
        if (from == to || to - from > 18) {
            throw new MalformedResponseException("invalid Content-Length '" + text(from, to - from) + "'");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = line[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new MalformedResponseException("invalid Content-Length '" + text(from, to - from) + "'");
            }
            value = value * 10 + digit;
        }
        if (contentLength >= 0 && contentLength != value) {
            throw new MalformedResponseException("two different Content-Length values, " + contentLength + " and " + value);
        }
        return value;
    }

    /**
     * Whether {@code line[from, to)}, without surrounding blanks, is {@code lowerToken} in any letter case.
     */
    private boolean tokenIs(byte[] lowerToken, int from, int to) {
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        return matches(lowerToken, from, to);
    }

    /** A chunk-size line: hex digits, optionally followed by {@code ;extensions}. */
    private long chunkSize(int length) throws MalformedResponseException {
        long size = 0;
        int digits = 0;
        for (int i = 0; i < length; i++) {
            int c = line[i];
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                if (c == ';' || c == ' ' || c == '\t') {
                    break;
                }
                digits = 0;
                break;
            }
            if (++digits > 15) {
                break;
            }
            size = size * 16 + digit;
        }
        if (digits == 0 || digits > 15) {
            throw new MalformedResponseException("invalid chunk size line '" + text(0, length) + "'");
        }
        return size;
    }

    private String text(int from, int length) {
        return new String(line, from, Math.min(length, 200), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The target's bytes are not an HTTP/1.x response; counted as the error class {@code protocol_error}. */
    static final class MalformedResponseException extends Exception {
        MalformedResponseException(String message) {
            super("malformed HTTP response: " + message);
        }
    }
}
