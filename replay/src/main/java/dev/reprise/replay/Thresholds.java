package dev.reprise.replay;

import dev.reprise.model.WorkloadModel;
import dev.reprise.replay.engine.EngineResult;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/** Judges thresholds against a finished run. */
final class Thresholds {
    private Thresholds() {
    }

    static List<ThresholdResult> judge(List<Threshold> thresholds, WorkloadModel model, EngineResult r,
                                       Histogram overallLatency, long sent, long errors) {
        List<ThresholdResult> out = new ArrayList<>();
        for (Threshold t : thresholds) {
            if (t.endpoint() == null) {
                out.add(judge(t, overallLatency, sent, errors, r.dropped(), null));
                continue;
            }
            Histogram latency = new Histogram(3);
            long endpointSent = 0;
            long endpointErrors = 0;
            boolean matched = false;
            for (int e = 0; e < model.endpoints().size(); e++) {
                if (matches(t.endpoint(), model.endpoints().get(e))) {
                    matched = true;
                    latency.add(r.latency()[e]);
                    endpointSent += r.sent()[e];
                    endpointErrors += r.errors()[e];
                }
            }
            if (!matched) {
                out.add(new ThresholdResult(t, Double.NaN, false, "no endpoint matches '" + t.endpoint()
                        + "' (use a template from `reprise sql \"SELECT method, template FROM endpoints\"`)"));
            } else {
                out.add(judge(t, latency, endpointSent, endpointErrors, 0, null));
            }
        }
        return out;
    }

    private static ThresholdResult judge(Threshold t, Histogram latency, long sent, long errors, long dropped,
                                         String note) {
        double value = switch (t.metric()) {
            case "p" -> latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(t.percentile()) / 1000.0;
            case "max" -> latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0;
            case "rate_errors" -> sent == 0 ? Double.NaN : (double) errors / sent;
            case "rate_dropped" -> sent + dropped == 0 ? Double.NaN : (double) dropped / (sent + dropped);
            default -> throw new IllegalStateException("unknown threshold metric " + t.metric());
        };
        String why = Double.isNaN(value) ? "nothing was measured" : note;
        return new ThresholdResult(t, value, t.isMetBy(value), why);
    }

    private static boolean matches(String selector, WorkloadModel.Endpoint endpoint) {
        int space = selector.indexOf(' ');
        if (space > 0 && selector.substring(0, space).chars().allMatch(Character::isUpperCase)) {
            return selector.substring(0, space).equals(endpoint.method())
                    && selector.substring(space + 1).strip().equals(endpoint.template());
        }
        return selector.equals(endpoint.template());
    }
}
