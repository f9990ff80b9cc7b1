package dev.reprise.model;

import java.util.List;

/**
 * How faithfully a replay reproduced its source: one {@link Metric} per aspect of the traffic,
 * each with its limit. Built by {@link Store#compareFidelity}; docs/fidelity.md explains every metric.
 *
 * @param ok      true when every metric that could be measured is within its limit
 * @param metrics in a fixed order: endpoint_mix_tvd, transition_tvd, think_time_ks, session_length_ks,
 *                arrival_correlation, spike_peak_offset_buckets, status_mix_tvd
 */
public record Scorecard(boolean ok, List<Metric> metrics) {
    public Scorecard {
        metrics = List.copyOf(metrics);
    }

    /** A scorecard whose verdict is the conjunction of its metrics' verdicts. */
    public static Scorecard of(List<Metric> metrics) {
        return new Scorecard(metrics.stream().allMatch(m -> m.ok() == null || m.ok()), metrics);
    }

    /** The metric with this name; a missing name is a caller bug. */
    public Metric metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fidelity metric '" + name + "'"));
    }

    /** Whether a metric passes when its value is below the limit or above it. */
    public enum Direction {
        /** A distance: passes when value &lt;= limit. */
        BELOW,
        /** A similarity: passes when value &gt;= limit. */
        ABOVE;

        public String symbol() {
            return this == BELOW ? "<=" : ">=";
        }
    }

    /**
     * One measured aspect.
     *
     * @param value  the measurement, or null when it cannot be measured (then {@code ok} is null too)
     * @param limit  the value it must stay below ({@link Direction#BELOW}, inclusive) or above
     * @param ok     whether the value is within the limit; null when not measured
     * @param detail what the value rests on and where it is worst, for a person
     */
    public record Metric(String name, Double value, double limit, Direction direction, Boolean ok, String detail) {
        /** A measured metric, judged against its limit. */
        public static Metric measured(String name, double value, double limit, Direction direction, String detail) {
            boolean ok = direction == Direction.BELOW ? value <= limit : value >= limit;
            return new Metric(name, value, limit, direction, ok, detail);
        }

        /** A metric that could not be measured, with why. */
        public static Metric notMeasured(String name, double limit, Direction direction, String why) {
            return new Metric(name, null, limit, direction, null, why);
        }
    }
}
