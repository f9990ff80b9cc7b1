package dev.reprise.replay;

import java.util.Locale;

/**
 * What a replay sends.
 * <ul>
 *   <li>{@link #MODEL}: sessions arrive as a non-homogeneous Poisson process following the recorded
 *       arrival curve and walk their segment's Markov chain with sampled think times.</li>
 *   <li>{@link #MIX}: stateless requests arrive as a homogeneous Poisson process at the target rate,
 *       each endpoint drawn by its weight, for a plain API mix.</li>
 *   <li>{@link #EXACT}: every recorded request of the window at its recorded offset divided by the
 *       speed, with its recorded path, query and user agent.</li>
 * </ul>
 */
public enum Mode {
    MODEL, MIX, EXACT;

    /** Parses {@code model} or {@code mix} (any case). */
    public static Mode parse(String text) {
        for (Mode m : values()) {
            if (m.name().equalsIgnoreCase(text.strip())) {
                return m;
            }
        }
        throw new ReplayException("invalid mode '" + text + "': expected model, mix or exact");
    }

    /** The lower-case name used in options, results and summary.json. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
