package dev.reprise.ingest.nginx;

/**
 * Parses nginx's time variables from bytes into microseconds since the epoch (UTC), without
 * allocating. Each parser returns {@link #INVALID} for anything that is not a valid time.
 */
final class Timestamps {
    /** Returned for an invalid time; no valid log time is this far in the past. */
    static final long INVALID = Long.MIN_VALUE;

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private Timestamps() {
    }

    /** {@code $time_local}: {@code 14/Mar/2026:13:05:12 +0000} (exactly 26 bytes). */
    static long parseTimeLocal(byte[] b, int s, int e) {
        if (e - s != 26 || b[s + 2] != '/' || b[s + 6] != '/' || b[s + 11] != ':' || b[s + 14] != ':'
                || b[s + 17] != ':' || b[s + 20] != ' ') {
            return INVALID;
        }
        int day = twoDigits(b, s);
        int month = month(b[s + 3], b[s + 4], b[s + 5]);
        int year = fourDigits(b, s + 7);
        int hour = twoDigits(b, s + 12);
        int minute = twoDigits(b, s + 15);
        int second = twoDigits(b, s + 18);
        int offsetSeconds = zoneOffset(b, s + 21, false);
        return toMicros(year, month, day, hour, minute, second, 0, offsetSeconds);
    }

    /**
     * {@code $time_iso8601}: {@code 2026-03-14T13:05:12+00:00}; also accepts {@code Z}, an offset
     * without colon, and a fraction of a second ({@code 13:05:12.123+00:00}).
     */
    static long parseIso8601(byte[] b, int s, int e) {
        if (e - s < 20 || b[s + 4] != '-' || b[s + 7] != '-' || (b[s + 10] != 'T' && b[s + 10] != ' ')
                || b[s + 13] != ':' || b[s + 16] != ':') {
            return INVALID;
        }
        int year = fourDigits(b, s);
        int month = twoDigits(b, s + 5);
        int day = twoDigits(b, s + 8);
        int hour = twoDigits(b, s + 11);
        int minute = twoDigits(b, s + 14);
        int second = twoDigits(b, s + 17);
        int i = s + 19;
        long fractionMicros = 0;
        if (i < e && b[i] == '.') {
            i++;
            int digits = 0;
            long scale = 100_000;
            while (i < e && b[i] >= '0' && b[i] <= '9') {
                if (digits < 6) {
                    fractionMicros += (b[i] - '0') * scale;
                    scale /= 10;
                }
                digits++;
                i++;
            }
            if (digits == 0) {
                return INVALID;
            }
        }
        int offsetSeconds;
        if (i + 1 == e && b[i] == 'Z') {
            offsetSeconds = 0;
        } else if (e - i == 6 && b[i + 3] == ':') {
            offsetSeconds = zoneOffset(b, i, true);
        } else if (e - i == 5) {
            offsetSeconds = zoneOffset(b, i, false);
        } else {
            return INVALID;
        }
        return toMicros(year, month, day, hour, minute, second, fractionMicros, offsetSeconds);
    }

    /** {@code $msec}: seconds since the epoch with a fraction, {@code 1710421512.123}. */
    static long parseMsec(byte[] b, int s, int e) {
        long micros = Numbers.parseSecondsAsMicros(b, s, e);
        return micros < 0 ? INVALID : micros;
    }

    private static long toMicros(int year, int month, int day, int hour, int minute, int second,
                                 long fractionMicros, int offsetSeconds) {
        if (year < 0 || month < 1 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 60 || offsetSeconds == Integer.MIN_VALUE) {
            return INVALID;
        }
        long epochSeconds = daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second
                - offsetSeconds;
        return epochSeconds * MICROS_PER_SECOND + fractionMicros;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible date algorithms"). */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;                                       // [0, 399]
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1; // [0, 365], from 1 March
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear; // [0, 146096]
        return era * 146_097L + dayOfEra - 719_468;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            case 1, 3, 5, 7, 8, 10, 12 -> 31;
            default -> 0;
        };
    }

    /** {@code +hhmm} or, with {@code colon}, {@code +hh:mm}; Integer.MIN_VALUE when invalid. */
    private static int zoneOffset(byte[] b, int i, boolean colon) {
        byte sign = b[i];
        if (sign != '+' && sign != '-') {
            return Integer.MIN_VALUE;
        }
        int hours = twoDigits(b, i + 1);
        int minutes = twoDigits(b, colon ? i + 4 : i + 3);
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
            return Integer.MIN_VALUE;
        }
        int seconds = hours * 3600 + minutes * 60;
        return sign == '-' ? -seconds : seconds;
    }

    private static int month(byte a, byte b, byte c) {
        int key = (a | 0x20) << 16 | (b | 0x20) << 8 | (c | 0x20); // case-insensitive
        return switch (key) {
            case 'j' << 16 | 'a' << 8 | 'n' -> 1;
            case 'f' << 16 | 'e' << 8 | 'b' -> 2;
            case 'm' << 16 | 'a' << 8 | 'r' -> 3;
            case 'a' << 16 | 'p' << 8 | 'r' -> 4;
            case 'm' << 16 | 'a' << 8 | 'y' -> 5;
            case 'j' << 16 | 'u' << 8 | 'n' -> 6;
            case 'j' << 16 | 'u' << 8 | 'l' -> 7;
            case 'a' << 16 | 'u' << 8 | 'g' -> 8;
            case 's' << 16 | 'e' << 8 | 'p' -> 9;
            case 'o' << 16 | 'c' << 8 | 't' -> 10;
            case 'n' << 16 | 'o' << 8 | 'v' -> 11;
            case 'd' << 16 | 'e' << 8 | 'c' -> 12;
            default -> -1;
        };
    }

    /** Two ASCII digits as a number, or a negative number when either is not a digit. */
    private static int twoDigits(byte[] b, int i) {
        int d1 = b[i] - '0';
        int d2 = b[i + 1] - '0';
        if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) {
            return -100;
        }
        return d1 * 10 + d2;
    }

    private static int fourDigits(byte[] b, int i) {
        int hi = twoDigits(b, i);
        int lo = twoDigits(b, i + 2);
        return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
    }
}
