package dev.reprise.replay;

import dev.reprise.model.RunRecord;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of a replay: the record written to the store, the raw histograms (µs) for reports,
 * and how the run compares with the model.
 *
 * @param run              what goes into runs / run_endpoints / run_intervals
 * @param overallLatency   latency from intended send time, all endpoints, µs
 * @param overallService   service time from actual send, all endpoints, µs
 * @param lateness         how late the scheduler sent requests, µs
 * @param sentMixDistance  total variation distance between the model's endpoint weights and the mix sent
 * @param sessionsCut      sessions still going when the run ended
 * @param clampedValues    measurements above the 1 h histogram range, recorded as 1 h
 * @param errorClasses     errors by class (http_503, timeout, connect_refused, ...)
 * @param statuses         responses by HTTP status
 * @param thresholds       judged thresholds, in the order given
 */
public record ReplayResult(RunRecord run, Histogram overallLatency, Histogram overallService, Histogram lateness,
                           double sentMixDistance, long sessionsCut, long clampedValues,
                           Map<String, Long> errorClasses, Map<Integer, Long> statuses,
                           List<ThresholdResult> thresholds) {
    public boolean thresholdsOk() {
        return thresholds.stream().allMatch(ThresholdResult::ok);
    }
}
