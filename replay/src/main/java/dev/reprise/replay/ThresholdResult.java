package dev.reprise.replay;

/**
 * A threshold judged against a run.
 *
 * @param value the measured value: milliseconds for latency metrics, a fraction for rates
 * @param note  why the threshold could not be judged (unknown endpoint, nothing measured), or null
 */
public record ThresholdResult(Threshold threshold, double value, boolean ok, String note) {
}
