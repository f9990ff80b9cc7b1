package dev.reprise.ingest.record;

import dev.reprise.ingest.IngestException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Objects;

/**
 * How a timestamp column of an export is written, and its parser into microseconds since the epoch
 * (UTC). Times without an offset are taken in {@code zone}. Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@code auto} (the default): each value by its shape: digits (with a fraction) are epoch
 *       seconds, milliseconds or microseconds by magnitude (below 10^11 seconds, below 10^14
 *       milliseconds, else microseconds); {@code 2017-06-30T00:00:00Z} or {@code 2017-06-30 00:00:00}
 *       is ISO-8601; {@code 29/Nov/2017:06:58:55 +0000} is nginx's {@code $time_local};</li>
 *   <li>{@code epoch_s}, {@code epoch_ms}, {@code epoch_us}: a number of that unit, with an optional
 *       fraction;</li>
 *   <li>{@code iso8601}: date, {@code T} or a space, time with optional fraction, optional offset or
 *       {@code Z};</li>
 *   <li>{@code time_local}: {@code dd/MMM/yyyy:HH:mm:ss}, optional {@code " +hhmm"}, optional
 *       surrounding brackets;</li>
 *   <li>anything else: a {@link DateTimeFormatter} pattern such as {@code dd.MM.yyyy HH:mm:ss}.</li>
 * </ul>
 */
public final class TimeFormat {
    /** Returned for a value that is not a time in this format. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);
    private static final DateTimeFormatter TIME_LOCAL = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("dd/MMM/uuuu:HH:mm:ss").optionalStart().appendLiteral(' ').appendOffset("+HHMM", "+0000")
            .optionalEnd().toFormatter(Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT);

    private enum Kind { AUTO, EPOCH_S, EPOCH_MS, EPOCH_US, ISO8601, TIME_LOCAL, PATTERN }

    private final String spec;
    private final Kind kind;
    private final DateTimeFormatter pattern;
    private final ZoneId zone;

    private TimeFormat(String spec, Kind kind, DateTimeFormatter pattern, ZoneId zone) {
        this.spec = spec;
        this.kind = kind;
        this.pattern = pattern;
        this.zone = zone;
    }

    /**
     * Parses a {@code --ts-format} value.
     *
     * @param zone the zone of times written without an offset
     * @throws IngestException for a pattern {@link DateTimeFormatter} refuses
     */
    public static TimeFormat parse(String spec, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        String s = spec == null || spec.isBlank() ? "auto" : spec.strip();
        Kind kind = switch (s.toLowerCase(Locale.ROOT)) {
            case "auto" -> Kind.AUTO;
            case "epoch_s", "epoch", "s" -> Kind.EPOCH_S;
            case "epoch_ms", "ms" -> Kind.EPOCH_MS;
            case "epoch_us", "epoch_µs", "us" -> Kind.EPOCH_US;
            case "iso8601", "iso" -> Kind.ISO8601;
            case "time_local" -> Kind.TIME_LOCAL;
            default -> Kind.PATTERN;
        };
        DateTimeFormatter pattern = null;
        if (kind == Kind.PATTERN) {
            try {
                pattern = new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(s)
                        .toFormatter(Locale.ENGLISH);
            } catch (IllegalArgumentException e) {
                throw new IngestException("--ts-format '" + s + "' is neither auto, epoch_s, epoch_ms, epoch_us, "
                        + "iso8601, time_local nor a valid date-time pattern: " + e.getMessage()
                        + " (patterns as java.time.format.DateTimeFormatter, e.g. 'dd.MM.yyyy HH:mm:ss')");
            }
        }
        return new TimeFormat(s, kind, pattern, zone);
    }

    /** The {@code --ts-format} value this was parsed from. */
    public String spec() {
        return spec;
    }

    /** {@code value} as microseconds since the epoch, or {@link #INVALID}. */
    public long parse(String value) {
        if (value == null) {
            return INVALID;
        }
        String v = value.strip();
        if (v.isEmpty() || v.equals("-")) {
            return INVALID;
        }
        try {
            return switch (kind) {
                case AUTO -> auto(v);
                case EPOCH_S -> epoch(v, 1_000_000L);
                case EPOCH_MS -> epoch(v, 1_000L);
                case EPOCH_US -> epoch(v, 1L);
                case ISO8601 -> iso(v);
                case TIME_LOCAL -> timeLocal(v);
                case PATTERN -> micros(pattern.parse(v));
            };
        } catch (DateTimeException | ArithmeticException e) {
            return INVALID;
        }
    }

    private long auto(String v) {
        char first = v.charAt(0);
        if (first >= '0' && first <= '9' && isDecimal(v)) {
            int dot = v.indexOf('.');
            String whole = dot < 0 ? v : v.substring(0, dot);
            if (whole.length() > 18) {
                return INVALID;
            }
            long magnitude = Long.parseLong(whole);
            return epoch(v, magnitude < 100_000_000_000L ? 1_000_000L : magnitude < 100_000_000_000_000L ? 1_000L : 1L);
        }
        if (v.length() >= 10 && v.charAt(4) == '-') {
            return iso(v);
        }
        if (v.indexOf('/') > 0) {
            return timeLocal(v);
        }
        return INVALID;
    }

    private static boolean isDecimal(String v) {
        int dots = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots <= 1 && v.charAt(v.length() - 1) != '.';
    }

    /** A non-negative decimal number of {@code unitMicros} units, digits past the microsecond dropped. */
    private static long epoch(String v, long unitMicros) {
        if (!isDecimal(v)) {
            return INVALID;
        }
        int dot = v.indexOf('.');
        String whole = dot < 0 ? v : v.substring(0, dot);
        if (whole.length() > 18) {
            return INVALID;
        }
        long micros = Math.multiplyExact(Long.parseLong(whole), unitMicros);
        if (dot >= 0) {
            long scale = unitMicros;
            for (int i = dot + 1; i < v.length() && scale > 1; i++) {
                scale /= 10;
                micros += (v.charAt(i) - '0') * scale;
            }
        }
        return micros;
    }

    private long iso(String v) {
        return micros(ISO.parse(v));
    }

    private long timeLocal(String v) {
        String t = v;
        if (t.startsWith("[")) {
            t = t.substring(1);
        }
        if (t.endsWith("]")) {
            t = t.substring(0, t.length() - 1);
        }
        return micros(TIME_LOCAL.parse(t));
    }

    private long micros(TemporalAccessor parsed) {
        Instant instant;
        if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
            instant = Instant.from(parsed);
        } else if (parsed.isSupported(ChronoField.HOUR_OF_DAY)) {
            instant = LocalDateTime.of(LocalDate.from(parsed), LocalTime.from(parsed)).atZone(zone).toInstant();
        } else {
            instant = LocalDate.from(parsed).atStartOfDay(zone).toInstant();
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
    }

    @Override
    public String toString() {
        return spec;
    }
}
