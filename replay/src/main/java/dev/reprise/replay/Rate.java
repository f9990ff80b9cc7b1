package dev.reprise.replay;

import java.util.Locale;

/**
 * How much load to send: a multiplier of the recorded arrival curve ({@code x3}, {@code x0.5}) or an
 * average request rate in replay time ({@code 1200/s}, converted to a multiplier of the curve with
 * the model's mean session length).
 *
 * @param multiplier        used when {@code requestsPerSecond} is NaN
 * @param requestsPerSecond average requests per second asked for, or NaN
 */
public record Rate(double multiplier, double requestsPerSecond) {
    /** The recorded rate (x1). */
    public static final Rate RECORDED = new Rate(1.0, Double.NaN);

    public static Rate multiplier(double multiplier) {
        return new Rate(multiplier, Double.NaN);
    }

    public static Rate perSecond(double requestsPerSecond) {
        return new Rate(Double.NaN, requestsPerSecond);
    }

    /** Parses {@code x3}, {@code x0.25}, {@code 1200/s}, {@code 50/m}. */
    public static Rate parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("x")) {
                double m = Double.parseDouble(t.substring(1));
                if (m >= 0 && Double.isFinite(m)) {
                    return multiplier(m);
                }
            } else if (t.endsWith("/s") || t.endsWith("/m")) {
                double r = Double.parseDouble(t.substring(0, t.length() - 2));
                if (r > 0 && Double.isFinite(r)) {
                    return perSecond(t.endsWith("/m") ? r / 60 : r);
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new ReplayException("invalid rate '" + text + "': expected a multiplier like x3 or x0.5, "
                + "or requests per second like 1200/s");
    }

    /** The multiplier of the recorded curve that gives this rate; see {@link Rate}. */
    public double multiplierFor(double recordedRequestsPerReplaySecond) {
        if (Double.isNaN(requestsPerSecond)) {
            return multiplier;
        }
        if (recordedRequestsPerReplaySecond <= 0) {
            throw new ReplayException("cannot reach " + this + ": the recorded curve has no requests");
        }
        return requestsPerSecond / recordedRequestsPerReplaySecond;
    }

    @Override
    public String toString() {
        return Double.isNaN(requestsPerSecond) ? "x" + trim(multiplier) : trim(requestsPerSecond) + "/s";
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
