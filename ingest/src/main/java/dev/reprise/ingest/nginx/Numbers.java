package dev.reprise.ingest.nginx;

/** Allocation-free parsing of the numeric fields of a log line, straight from its bytes. */
final class Numbers {
    /** Returned by the parsers for input that is not a valid number. */
    static final long INVALID = -1;

    private Numbers() {
    }

    /** A non-negative decimal integer of at most 18 digits, or {@link #INVALID}. */
    static long parseCount(byte[] b, int s, int e) {
        int length = e - s;
        if (length < 1 || length > 18) {
            return INVALID;
        }
        long value = 0;
        for (int i = s; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return INVALID;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** An HTTP status: exactly three digits; {@link #INVALID} otherwise. */
    static int parseStatus(byte[] b, int s, int e) {
        if (e - s != 3) {
            return (int) INVALID;
        }
        int d1 = b[s] - '0';
        int d2 = b[s + 1] - '0';
        int d3 = b[s + 2] - '0';
        if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9) {
            return (int) INVALID;
        }
        return d1 * 100 + d2 * 10 + d3;
    }

    /**
     * Decimal seconds ({@code 0.004}, {@code 12}, {@code 1710421512.123}) as whole microseconds,
     * digits past the sixth decimal dropped; {@link #INVALID} for anything else.
     */
    static long parseSecondsAsMicros(byte[] b, int s, int e) {
        if (s >= e) {
            return INVALID;
        }
        long seconds = 0;
        int i = s;
        int intDigits = 0;
        while (i < e && b[i] != '.') {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || ++intDigits > 12) {
                return INVALID;
            }
            seconds = seconds * 10 + d;
            i++;
        }
        long micros = 0;
        if (i < e) { // at '.'
            i++;
            if (i == e && intDigits == 0) {
                return INVALID;
            }
            long scale = 100_000;
            for (; i < e; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    return INVALID;
                }
                micros += d * scale;
                scale /= 10;
            }
        } else if (intDigits == 0) {
            return INVALID;
        }
        return seconds * 1_000_000L + micros;
    }

    /**
     * nginx's {@code $upstream_response_time}: one time per upstream tried, separated by
     * {@code ", "} (next server) or {@code " : "} (internal redirect), {@code -} for an upstream that
     * gave no time. Returns the sum in microseconds, -2 when every member is {@code -}, and
     * {@link #INVALID} when a member is not a time.
     */
    static long parseUpstreamTimesAsMicros(byte[] b, int s, int e) {
        long sum = 0;
        boolean any = false;
        int i = s;
        while (i <= e) {
            int end = i;
            while (end < e && b[end] != ',' && b[end] != ':') {
                end++;
            }
            int ms = i;
            int me = end;
            while (ms < me && b[ms] == ' ') {
                ms++;
            }
            while (me > ms && b[me - 1] == ' ') {
                me--;
            }
            if (me - ms == 1 && b[ms] == '-') {
                // an upstream that gave no time
            } else {
                long micros = parseSecondsAsMicros(b, ms, me);
                if (micros < 0) {
                    return INVALID;
                }
                sum += micros;
                any = true;
            }
            i = end + 1;
        }
        return any ? sum : -2;
    }
}
