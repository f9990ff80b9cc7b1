package dev.reprise.replay;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pass/fail criterion in k6's syntax, optionally scoped to one endpoint:
 * {@code p(95)<300ms}, {@code p(99.9)<1s}, {@code max<2s}, {@code rate_errors<0.01},
 * {@code rate_dropped<=0}, {@code endpoint:/checkout p(95)<800ms},
 * {@code endpoint:POST /checkout rate_errors<0.05}. Latency metrics use the latency from the
 * intended send time; durations accept us, ms, s, m (default ms).
 *
 * @param endpoint   null for the whole run, else a template, optionally prefixed by a method
 * @param metric     "p", "max", "rate_errors" or "rate_dropped"
 * @param percentile for "p", the percentile (0..100]
 * @param limit      milliseconds for latency metrics, a fraction for rates
 */
public record Threshold(String expression, String endpoint, String metric, double percentile, String operator,
                        double limit) {
    private static final Pattern SYNTAX = Pattern.compile(
            "^(?:endpoint:(?<endpoint>.+?)\\s+)?(?<metric>p\\((?<pct>[0-9.]+)\\)|max|rate_errors|rate_dropped)\\s*"
                    + "(?<op><=|>=|<|>|==)\\s*(?<value>[0-9.]+(?:e-?[0-9]+)?)\\s*(?<unit>us|µs|ms|s|m)?$");

    public static Threshold parse(String text) {
        String t = text.strip();
        Matcher m = SYNTAX.matcher(t);
        if (!m.matches()) {
            throw new ReplayException("invalid threshold '" + text + "': expected e.g. 'p(95)<300ms', "
                    + "'rate_errors<0.01' or 'endpoint:/checkout p(99)<1s'");
        }
        String metricText = m.group("metric");
        String metric = metricText.startsWith("p(") ? "p" : metricText;
        double percentile = Double.NaN;
        if (metric.equals("p")) {
            percentile = Double.parseDouble(m.group("pct"));
            if (!(percentile > 0 && percentile <= 100)) {
                throw new ReplayException("invalid threshold '" + text + "': the percentile must be in (0, 100]");
            }
        }
        double value = Double.parseDouble(m.group("value"));
        String unit = m.group("unit");
        boolean isRate = metric.startsWith("rate_");
        if (isRate && unit != null) {
            throw new ReplayException("invalid threshold '" + text + "': " + metric + " is a fraction (e.g. 0.01), not a duration");
        }
        double limit = isRate ? value : toMillis(value, unit == null ? "ms" : unit.toLowerCase(Locale.ROOT));
        return new Threshold(t, m.group("endpoint"), metric, percentile, m.group("op"), limit);
    }

    private static double toMillis(double value, String unit) {
        return switch (unit) {
            case "us", "µs" -> value / 1000;
            case "s" -> value * 1000;
            case "m" -> value * 60_000;
            default -> value;
        };
    }

    /** True when {@code value} satisfies this threshold. NaN (nothing measured) never does. */
    public boolean isMetBy(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        return switch (operator) {
            case "<" -> value < limit;
            case "<=" -> value <= limit;
            case ">" -> value > limit;
            case ">=" -> value >= limit;
            default -> value == limit;
        };
    }

    public boolean isLatency() {
        return !metric.startsWith("rate_");
    }
}
