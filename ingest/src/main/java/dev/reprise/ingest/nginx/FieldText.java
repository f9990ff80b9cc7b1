package dev.reprise.ingest.nginx;

import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of a text field into a String: escapes undone, then UTF-8 decoded with invalid
 * sequences replaced by U+FFFD (so a line with broken bytes still loads).
 *
 * <p>Escapes undone: {@code \xHH} (nginx writes {@code "}, {@code \} and bytes outside printable
 * ASCII this way; Apache writes non-printable bytes this way), {@code \"} and {@code \\} (Apache),
 * {@code \}{@code uHHHH} ({@code escape=json}). A backslash before anything else is kept as is.
 *
 * With {@code escape=json}, JSON's {@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \f} and
 * {@code \/} are undone too; with {@code escape=none} (nginx writes the bytes as they are) nothing is.
 *
 * <p>Not thread-safe: holds a scratch buffer that grows to the longest escaped field.
 */
final class FieldText {
    private final boolean undoesEscapes;
    private final boolean json;
    private byte[] scratch = new byte[256];
    private int scratchLength;

    /** Text as nginx's default escaping writes it. */
    FieldText() {
        this(LogFormat.ESCAPE_DEFAULT);
    }

    /** Text as the log_format's {@code escape=} parameter writes it ({@code default}, {@code json}, {@code none}). */
    FieldText(String escape) {
        this.undoesEscapes = !LogFormat.ESCAPE_NONE.equals(escape);
        this.json = LogFormat.ESCAPE_JSON.equals(escape);
    }

    /** False for {@code escape=none}: a backslash is just a byte. */
    boolean undoesEscapes() {
        return undoesEscapes;
    }

    /** True when {@code b[s..e)} contains a backslash, i.e. may hold escapes. */
    static boolean hasBackslash(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] == '\\') {
                return true;
            }
        }
        return false;
    }

    /** The decoded text of {@code b[s..e)}. */
    String decode(byte[] b, int s, int e) {
        if (!undoesEscapes || !hasBackslash(b, s, e)) {
            return new String(b, s, e - s, StandardCharsets.UTF_8);
        }
        unescape(b, s, e);
        return new String(scratch, 0, scratchLength, StandardCharsets.UTF_8);
    }

    /** Undoes the escapes of {@code b[s..e)} into {@link #scratch()}; returns the length. */
    int unescape(byte[] b, int s, int e) {
        if (scratch.length < e - s) {
            scratch = new byte[Math.max(e - s, scratch.length * 2)];
        }
        byte[] out = scratch;
        int n = 0;
        int i = s;
        while (i < e) {
            byte c = b[i];
            if (c == '\\' && i + 1 < e) {
                byte next = b[i + 1];
                if (next == 'x' && i + 3 < e && hex(b[i + 2]) >= 0 && hex(b[i + 3]) >= 0) {
                    out[n++] = (byte) (hex(b[i + 2]) << 4 | hex(b[i + 3]));
                    i += 4;
                    continue;
                }
                if (next == '"' || next == '\\') {
                    out[n++] = next;
                    i += 2;
                    continue;
                }
                if (json && (next == 'n' || next == 'r' || next == 't' || next == 'b' || next == 'f' || next == '/')) {
                    out[n++] = switch (next) {
                        case 'n' -> (byte) '\n';
                        case 'r' -> (byte) '\r';
                        case 't' -> (byte) '\t';
                        case 'b' -> (byte) '\b';
                        case 'f' -> (byte) '\f';
                        default -> (byte) '/';
                    };
                    i += 2;
                    continue;
                }
                if (next == 'u' && i + 5 < e && hex(b[i + 2]) >= 0 && hex(b[i + 3]) >= 0 && hex(b[i + 4]) >= 0
                        && hex(b[i + 5]) >= 0) {
                    int unit = hex(b[i + 2]) << 12 | hex(b[i + 3]) << 8 | hex(b[i + 4]) << 4 | hex(b[i + 5]);
                    n = putUtf8(out, n, unit);
                    i += 6;
                    continue;
                }
            }
            out[n++] = c;
            i++;
        }
        scratchLength = n;
        return n;
    }

    /** The buffer {@link #unescape} wrote to; valid up to its return value until the next call. */
    byte[] scratch() {
        return scratch;
    }

    /** A code unit (no surrogate pairs: escape=json writes only control characters) as UTF-8. */
    private static int putUtf8(byte[] out, int n, int unit) {
        // A \\uHHHH escape (6 bytes) always has room for its at most 3 UTF-8 bytes.
        if (unit < 0x80) {
            out[n++] = (byte) unit;
        } else if (unit < 0x800) {
            out[n++] = (byte) (0xC0 | unit >> 6);
            out[n++] = (byte) (0x80 | unit & 0x3F);
        } else if (unit >= 0xD800 && unit <= 0xDFFF) {
            out[n++] = (byte) 0xEF; // U+FFFD: a lone surrogate is not text
            out[n++] = (byte) 0xBF;
            out[n++] = (byte) 0xBD;
        } else {
            out[n++] = (byte) (0xE0 | unit >> 12);
            out[n++] = (byte) (0x80 | unit >> 6 & 0x3F);
            out[n++] = (byte) (0x80 | unit & 0x3F);
        }
        return n;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
