package dev.reprise.replay.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The bytes of the HTTP/1.1 requests of one loop, encoded once per endpoint where they do not change
 * (STYLE.md hot path rule 6): the method, then after the request target {@code HTTP/1.1}, {@code Host},
 * the extra headers ({@code --header}), and for a body its {@code Content-Type} and
 * {@code Content-Length}. Per request only the target, the user agent and the session header are
 * written, into one pooled buffer with the body.
 *
 * <p>Headers carry the same values as on the Vert.x client path: a recorded user agent wins over a
 * {@code User-Agent} given with {@code --header}, which wins over Reprise's own. POST, PUT and PATCH
 * without a body send {@code Content-Length: 0} (servers may answer 411 to a body-less POST without it).
 *
 * <p>Immutable after construction; {@link #encode} is called on the loop thread.
 */
final class Http1Requests {
    private static final byte[] CRLF = {'\r', '\n'};
    private final byte[][] beforeTarget;
    private final byte[][] afterTarget;
    private final byte[][] afterUserAgent;
    private final byte[][] bodies;
    private final boolean[] heads;
    private final byte[] basePath;
    /** "\r\nX-Reprise-Session: " or null without a session header. */
    private final byte[] sessionHeaderStart;
    private final String defaultUserAgent;

    /**
     * @param methods       per endpoint, its method (upper case)
     * @param bodies        per endpoint, its body or null
     * @param contentTypes  per endpoint with a body, its content type
     * @param hostHeader    the {@code Host} value: host, and {@code :port} unless it is 80
     * @param basePath      prefixed to every request target ("" for none)
     * @param userAgent     Reprise's own user agent
     * @param extraHeaders  sent with every request, in this order
     * @param sessionHeader the session header's name, or null
     */
    Http1Requests(String[] methods, byte[][] bodies, String[] contentTypes, String hostHeader, String basePath,
                  String userAgent, Map<String, String> extraHeaders, String sessionHeader) {
        int n = methods.length;
        this.beforeTarget = new byte[n][];
        this.afterTarget = new byte[n][];
        this.afterUserAgent = new byte[n][];
        this.bodies = bodies.clone();
        this.heads = new boolean[n];
        this.basePath = ascii(basePath);
        String ua = userAgent;
        StringBuilder extra = new StringBuilder();
        for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
            if (h.getKey().equalsIgnoreCase("User-Agent")) {
                ua = h.getValue();
            } else {
                extra.append("\r\n").append(h.getKey()).append(": ").append(h.getValue());
            }
        }
        this.defaultUserAgent = ua;
        for (int e = 0; e < n; e++) {
            String method = methods[e].toUpperCase(Locale.ROOT);
            heads[e] = method.equals("HEAD");
            beforeTarget[e] = ascii(method + " ");
            afterTarget[e] = ascii(" HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: ");
            StringBuilder rest = new StringBuilder(extra);
            if (bodies[e] != null) {
                rest.append("\r\nContent-Type: ").append(contentTypes[e])
                        .append("\r\nContent-Length: ").append(bodies[e].length);
            } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
                rest.append("\r\nContent-Length: 0");
            }
            afterUserAgent[e] = ascii(rest.toString());
        }
        this.sessionHeaderStart = sessionHeader == null ? null : ascii("\r\n" + sessionHeader + ": ");
    }

    /** Whether requests of {@code endpoint} are HEAD requests (their responses have no body). */
    boolean isHead(int endpoint) {
        return heads[endpoint];
    }

    /**
     * One request of {@code endpoint} to {@code target} (path and query), in a buffer from {@code alloc}
     * that the caller writes (the write releases it).
     *
     * @param userAgent the recorded user agent, or null or empty for the default
     */
    ByteBuf encode(ByteBufAllocator alloc, int endpoint, String target, String userAgent, long sessionId) {
        byte[] body = bodies[endpoint];
        String ua = userAgent == null || userAgent.isEmpty() ? defaultUserAgent : userAgent;
        int size = beforeTarget[endpoint].length + basePath.length + target.length() * 3 + afterTarget[endpoint].length
                + ua.length() + afterUserAgent[endpoint].length + 48 + (body == null ? 0 : body.length);
        ByteBuf out = alloc.directBuffer(size);
        out.writeBytes(beforeTarget[endpoint]).writeBytes(basePath);
        writeTarget(out, target);
        out.writeBytes(afterTarget[endpoint]);
        writeHeaderValue(out, ua);
        out.writeBytes(afterUserAgent[endpoint]);
        if (sessionHeaderStart != null) {
            out.writeBytes(sessionHeaderStart);
            writeDecimal(out, sessionId);
        }
        out.writeBytes(CRLF).writeBytes(CRLF);
        if (body != null) {
            out.writeBytes(body);
        }
        return out;
    }

    /**
     * The request target as UTF-8, with the bytes that would break the request line (space, CR, LF,
     * other controls) percent-encoded; recorded targets come from logs and may hold them.
     */
    private static void writeTarget(ByteBuf out, String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c == 0x7f || c >= 0x80) {
                byte[] bytes = target.substring(i).getBytes(StandardCharsets.UTF_8);
                for (byte b : bytes) {
                    int u = b & 0xff;
                    if (u <= ' ' || u >= 0x7f) {
                        out.writeByte('%').writeByte(hex(u >> 4)).writeByte(hex(u & 0xf));
                    } else {
                        out.writeByte(u);
                    }
                }
                return;
            }
            out.writeByte(c);
        }
    }

    private static int hex(int nibble) {
        return nibble < 10 ? '0' + nibble : 'A' + nibble - 10;
    }

    /** A header value as ISO-8859-1 (as Netty encodes headers), CR, LF and NUL replaced by spaces. */
    private static void writeHeaderValue(ByteBuf out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.writeByte(c == '\r' || c == '\n' || c == 0 ? ' ' : c > 0xff ? '?' : c);
        }
    }

    /** {@code value} in decimal, as {@code Long.toString} writes it, without building a String. */
    private static void writeDecimal(ByteBuf out, long value) {
        if (value < 0) {
            ByteBufUtil.writeAscii(out, Long.toString(value));
            return;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        out.ensureWritable(digits);
        int at = out.writerIndex();
        long v = value;
        for (int i = digits - 1; i >= 0; i--) {
            out.setByte(at + i, '0' + (int) (v % 10));
            v /= 10;
        }
        out.writerIndex(at + digits);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
