package dev.reprise.ingest.nginx;

import java.nio.charset.StandardCharsets;

/**
 * Splits a request line ({@code $request}, escapes already undone) into method, path, query and
 * protocol: {@code METHOD SP target [SP HTTP/x]}. The method is an RFC 9110 token; the target is
 * everything between the first space and the protocol (it may hold spaces a client sent raw); the
 * query is what follows the first {@code ?}, kept as logged (not URL-decoded). A line of one word,
 * a target with control bytes, or a last word that is not {@code HTTP/...} is not a request line.
 *
 * <p>Reused for every line (common methods and protocols are shared constants, so most lines
 * allocate only the path and query). Not thread-safe. Public for the CSV and JSON-lines readers,
 * whose request column is split the same way ({@link #split(String)}).
 */
public final class RequestLine {
    private static final int MAX_METHOD_BYTES = 32;
    private static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH",
        "CONNECT", "TRACE", "PROPFIND"};
    private static final String[] PROTOCOLS = {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/2", "HTTP/3.0", "HTTP/3"};
    private static final byte[][] METHOD_BYTES = ascii(METHODS);
    private static final byte[][] PROTOCOL_BYTES = ascii(PROTOCOLS);
    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    String method;
    String path;
    String query;
    String protocol;

    public RequestLine() {
    }

    /** Splits a request line given as text; returns null on success, or why it is not a request line. */
    public RejectReason split(String requestLine) {
        byte[] bytes = requestLine.getBytes(StandardCharsets.UTF_8);
        return split(bytes, 0, bytes.length);
    }

    /** The method of the last successful split. */
    public String method() {
        return method;
    }

    /** The path of the last successful split. */
    public String path() {
        return path;
    }

    /** The query (without '?') of the last successful split, null when it had none. */
    public String query() {
        return query;
    }

    /** The protocol of the last successful split, null when it had none. */
    public String protocol() {
        return protocol;
    }

    /** Splits {@code a[s..e)}; returns null on success, or why it is not a request line. */
    RejectReason split(byte[] a, int s, int e) {
        int methodEnd = indexOf(a, s, e, (byte) ' ');
        if (methodEnd < 0) {
            return RejectReason.BAD_REQUEST_LINE;
        }
        String m = method(a, s, methodEnd);
        if (m == null) {
            return RejectReason.BAD_REQUEST_LINE;
        }
        int targetStart = methodEnd + 1;
        int targetEnd = e;
        String proto = null;
        int lastSpace = lastIndexOf(a, targetStart, e, (byte) ' ');
        if (lastSpace >= 0) {
            proto = protocol(a, lastSpace + 1, e);
            if (proto == null) {
                return RejectReason.BAD_REQUEST_LINE;
            }
            targetEnd = lastSpace;
        }
        if (targetEnd <= targetStart || a[targetStart] == ' ') {
            return RejectReason.BAD_REQUEST_LINE;
        }
        int question = -1;
        for (int i = targetStart; i < targetEnd; i++) {
            byte c = a[i];
            if (c >= 0 && c < 0x20 || c == 0x7f) {
                return RejectReason.BAD_REQUEST_LINE;
            }
            if (c == '?' && question < 0) {
                question = i;
            }
        }
        method = m;
        protocol = proto;
        if (question < 0) {
            path = new String(a, targetStart, targetEnd - targetStart, StandardCharsets.UTF_8);
            query = null;
        } else {
            path = new String(a, targetStart, question - targetStart, StandardCharsets.UTF_8);
            query = new String(a, question + 1, targetEnd - question - 1, StandardCharsets.UTF_8);
        }
        return null;
    }

    /** Splits a request target ({@code $request_uri}) into path and query; never fails. */
    void splitTarget(String target) {
        int question = target.indexOf('?');
        path = question < 0 ? target : target.substring(0, question);
        query = question < 0 ? null : target.substring(question + 1);
    }

    /** The method as a shared constant or a new String; null when it is not a token. */
    static String method(byte[] a, int s, int e) {
        int length = e - s;
        if (length < 1 || length > MAX_METHOD_BYTES) {
            return null;
        }
        for (int i = s; i < e; i++) {
            byte c = a[i];
            if (c < 0 || !TOKEN[c]) {
                return null;
            }
        }
        String known = lookup(a, s, e, METHODS, METHOD_BYTES);
        return known != null ? known : new String(a, s, length, StandardCharsets.US_ASCII);
    }

    /** {@code HTTP/...} as a shared constant or a new String; null for anything else. */
    private static String protocol(byte[] a, int s, int e) {
        if (e - s < 6 || a[s] != 'H' || a[s + 1] != 'T' || a[s + 2] != 'T' || a[s + 3] != 'P' || a[s + 4] != '/') {
            return null;
        }
        String known = lookup(a, s, e, PROTOCOLS, PROTOCOL_BYTES);
        if (known != null) {
            return known;
        }
        for (int i = s + 5; i < e; i++) {
            if (a[i] < 0x21 || a[i] > 0x7e) {
                return null;
            }
        }
        return new String(a, s, e - s, StandardCharsets.US_ASCII);
    }

    private static String lookup(byte[] a, int s, int e, String[] names, byte[][] bytes) {
        int length = e - s;
        outer:
        for (int k = 0; k < bytes.length; k++) {
            byte[] candidate = bytes[k];
            if (candidate.length != length) {
                continue;
            }
            for (int i = 0; i < length; i++) {
                if (a[s + i] != candidate[i]) {
                    continue outer;
                }
            }
            return names[k];
        }
        return null;
    }

    private static int indexOf(byte[] a, int s, int e, byte c) {
        for (int i = s; i < e; i++) {
            if (a[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] a, int s, int e, byte c) {
        for (int i = e - 1; i >= s; i--) {
            if (a[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static byte[][] ascii(String[] names) {
        byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            bytes[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
