package dev.reprise.cli;

import java.util.Locale;

/** Number formatting for terminal output, one convention everywhere. */
final class Formats {
    private Formats() {
    }

    /** 12,345 */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Milliseconds with precision that fits the size: 0.42, 8.1, 230, 1,204; "-" when unmeasured. */
    static String millis(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        if (ms < 1) {
            return String.format(Locale.ROOT, "%.2f", ms);
        }
        if (ms < 100) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%,.0f", ms);
    }

    /** A share as a percentage: 12.3% */
    static String percent(double fraction) {
        if (Double.isNaN(fraction)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** A rate: 1,234.5/s */
    static String rate(double perSecond) {
        if (Double.isNaN(perSecond)) {
            return "-";
        }
        return String.format(Locale.ROOT, perSecond < 100 ? "%.1f/s" : "%,.0f/s", perSecond);
    }

    static String decimal(double value, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", value);
    }
}
