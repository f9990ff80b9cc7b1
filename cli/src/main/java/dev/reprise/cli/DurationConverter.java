package dev.reprise.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as users write them: 500ms, 30s, 10m, 2h, 1h30m, 1.5s. */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h|d)");

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    static Duration parse(String text) {
        String t = text.strip();
        Matcher m = PART.matcher(t);
        int pos = 0;
        double nanos = 0;
        while (pos < t.length() && m.find(pos) && m.start() == pos) {
            double value = Double.parseDouble(m.group(1));
            nanos += value * switch (m.group(2)) {
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                default -> 86400e9;
            };
            pos = m.end();
        }
        if (pos == 0 || pos != t.length()) {
            throw new TypeConversionException("'" + text + "' is not a duration; write it like 500ms, 30s, 10m or 2h");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** Formats a duration compactly for messages: 850ms, 20s, 4m10s, 1h02m. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = Math.round(ms / 1000.0);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : String.format("%02ds", s % 60));
        }
        return (s / 3600) + "h" + String.format("%02dm", (s % 3600) / 60);
    }
}
