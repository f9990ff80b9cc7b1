package dev.reprise.samples;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Writes the ground truth of a generated log as pretty-printed JSON; samples/README.md documents every field. */
final class GroundTruthWriter {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final SampleGenerator.Options options;
    private final SessionPlan plan;
    private final AccessLogRenderer.Tally tally;
    private final ArrivalCurve curve;
    private final long dayStartEpochMillis;

    GroundTruthWriter(SampleGenerator.Options options, SessionPlan plan, AccessLogRenderer.Tally tally,
            ArrivalCurve curve) {
        this.options = options;
        this.plan = plan;
        this.tally = tally;
        this.curve = curve;
        this.dayStartEpochMillis = options.day().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    void write(Writer writer) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(writer).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            json.writeStringField("generator", "dev.reprise.samples.SampleGenerator");
            json.writeStringField("log_format", "combined");
            writeOptions(json);
            writeCounts(json);
            writeEndpoints(json);
            writeSegments(json);
            writeThinkTime(json);
            writeArrivals(json);
            writeSpikes(json);
            writeClients(json);
            writeSessions(json);
            json.writeEndObject();
        }
        writer.write('\n');
        writer.flush();
    }

    private void writeOptions(JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("options");
        json.writeNumberField("lines", options.lines());
        json.writeNumberField("seed", options.seed());
        json.writeStringField("day", options.day().toString());
        json.writeEndObject();
    }

    private void writeCounts(JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("counts");
        json.writeNumberField("lines", tally.lines);
        json.writeNumberField("requests", tally.requests);
        json.writeNumberField("damaged_lines", tally.lines - tally.requests);
        json.writeNumberField("sessions", plan.sessions);
        json.writeEndObject();
        json.writeObjectFieldStart("damaged_lines");
        json.writeNumberField("empty_request", tally.damagedByKind[SessionPlan.EMPTY_REQUEST]);
        json.writeNumberField("tls_handshake", tally.damagedByKind[SessionPlan.TLS_HANDSHAKE]);
        json.writeEndObject();
    }

    private void writeEndpoints(JsonGenerator json) throws IOException {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int e = 0; e < Endpoint.count(); e++) {
            if (requests(e) > 0) {
                endpoints.add(Endpoint.of(e));
            }
        }
        endpoints.sort(Comparator.comparingLong((Endpoint e) -> -requests(e.ordinal())).thenComparing(Endpoint::key));
        json.writeArrayFieldStart("endpoints");
        for (Endpoint endpoint : endpoints) {
            long requests = requests(endpoint.ordinal());
            json.writeStartObject();
            json.writeStringField("method", endpoint.method);
            json.writeStringField("template", endpoint.template);
            json.writeNumberField("requests", requests);
            json.writeNumberField("share", ratio(requests, tally.requests));
            json.writeObjectFieldStart("statuses");
            long[] byStatus = tally.requestsByEndpointAndStatus[endpoint.ordinal()];
            for (int status = 0; status < byStatus.length; status++) {
                if (byStatus[status] > 0) {
                    json.writeNumberField(Integer.toString(status), byStatus[status]);
                }
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private long requests(int endpoint) {
        long sum = 0;
        for (long n : tally.requestsByEndpointAndStatus[endpoint]) {
            sum += n;
        }
        return sum;
    }

    private void writeSegments(JsonGenerator json) throws IOException {
        long[] sessions = new long[Segment.values().length];
        long[] requests = new long[Segment.values().length];
        for (int i = 0; i < plan.sessions; i++) {
            sessions[plan.segments[i]]++;
            requests[plan.segments[i]] += plan.requestCounts[i];
        }
        json.writeArrayFieldStart("segments");
        for (Segment segment : Segment.values()) {
            int s = segment.ordinal();
            json.writeStartObject();
            json.writeStringField("name", segment.label);
            json.writeNumberField("sessions", sessions[s]);
            json.writeNumberField("share", ratio(sessions[s], plan.sessions));
            json.writeNumberField("requests", requests[s]);
            json.writeNumberField("mean_requests", ratio(requests[s], sessions[s]));
            json.writeNumberField("expected_requests", round(segment.chain.expectedRequests()));
            json.writeNumberField("mix_share", BigDecimal.valueOf(SessionPlan.NORMAL_MIX[s]));
            json.writeNumberField("spike_mix_share", BigDecimal.valueOf(SessionPlan.SPIKE_MIX[s]));
            json.writeNumberField("think_median_ms", (long) segment.thinkMedianMillis);
            json.writeNumberField("think_sigma", BigDecimal.valueOf(Segment.THINK_SIGMA));
            json.writeArrayFieldStart("transitions");
            for (NavigationChain.Transition t : segment.chain.transitions()) {
                json.writeStartObject();
                json.writeStringField("from", NavigationChain.name(t.from()));
                json.writeStringField("to", NavigationChain.name(t.to()));
                json.writeNumberField("probability", BigDecimal.valueOf(t.probability()));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private void writeThinkTime(JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("think_time");
        json.writeStringField("distribution", "lognormal");
        json.writeStringField("measured", "from the start of one request of a session to the start of the next");
        json.writeNumberField("sigma", BigDecimal.valueOf(Segment.THINK_SIGMA));
        json.writeNumberField("cap_ms", Segment.THINK_CAP_MILLIS);
        json.writeObjectFieldStart("after_redirect");
        json.writeArrayFieldStart("from");
        for (Endpoint endpoint : Endpoint.values()) {
            if (endpoint.kind == Endpoint.Kind.REDIRECT) {
                json.writeString(endpoint.key());
            }
        }
        json.writeEndArray();
        json.writeNumberField("median_ms", (long) Segment.REDIRECT_MEDIAN_MILLIS);
        json.writeNumberField("sigma", BigDecimal.valueOf(Segment.REDIRECT_SIGMA));
        json.writeEndObject();
        json.writeEndObject();
    }

    private void writeArrivals(JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("arrivals");
        json.writeStringField("process", "non-homogeneous Poisson (start times i.i.d. from the normalized intensity)");
        json.writeNumberField("baseline_sessions_per_minute", round(plan.sessions / curve.totalIntensityMinutes()));
        json.writeObjectFieldStart("diurnal");
        json.writeStringField("shape", "piecewise cosine");
        json.writeStringField("formula", "d(h) = 1 - 0.8 cos(pi (h - 4) / 16) for 4 <= h < 20; "
                + "d(h) = 1 + 0.8 cos(pi ((h - 20) mod 24) / 8) otherwise; h = hours since midnight UTC");
        json.writeNumberField("mean_factor", BigDecimal.ONE);
        json.writeStringField("trough", String.format(Locale.ROOT, "%02d:00", ArrivalCurve.TROUGH_HOUR));
        json.writeNumberField("trough_factor", BigDecimal.valueOf(ArrivalCurve.TROUGH_FACTOR));
        json.writeStringField("peak", String.format(Locale.ROOT, "%02d:00", ArrivalCurve.PEAK_HOUR));
        json.writeNumberField("peak_factor", BigDecimal.valueOf(ArrivalCurve.PEAK_FACTOR));
        json.writeEndObject();
        long[] perHour = new long[24];
        for (int i = 0; i < plan.sessions; i++) {
            perHour[(int) (plan.startMillis[i] / 3_600_000L)]++;
        }
        json.writeArrayFieldStart("sessions_per_hour");
        for (long n : perHour) {
            json.writeNumber(n);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private void writeSpikes(JsonGenerator json) throws IOException {
        long start = ArrivalCurve.SPIKE_START_MINUTE * ArrivalCurve.MILLIS_PER_MINUTE;
        long end = start + ArrivalCurve.SPIKE_MINUTES * ArrivalCurve.MILLIS_PER_MINUTE;
        long sessions = 0;
        for (int i = 0; i < plan.sessions; i++) {
            if (plan.startMillis[i] >= start && plan.startMillis[i] < end) {
                sessions++;
            }
        }
        json.writeArrayFieldStart("spikes");
        json.writeStartObject();
        json.writeStringField("start", instant(start));
        json.writeStringField("end", instant(end));
        json.writeNumberField("factor", BigDecimal.valueOf(ArrivalCurve.SPIKE_FACTOR));
        json.writeStringField("label", "flash sale");
        json.writeNumberField("sessions", sessions);
        json.writeEndObject();
        json.writeEndArray();
    }

    private void writeClients(JsonGenerator json) throws IOException {
        long returning = 0;
        long ipv6 = 0;
        for (int i = 0; i < plan.sessions; i++) {
            returning += plan.returning[i] ? 1 : 0;
            ipv6 += plan.client(i).indexOf(':') >= 0 ? 1 : 0;
        }
        json.writeObjectFieldStart("clients");
        json.writeStringField("session_key", "client address + user agent");
        json.writeNumberField("inactivity_gap_minutes", 30);
        json.writeNumberField("min_return_gap_minutes", SessionPlan.RETURN_GAP_MINUTES);
        json.writeNumberField("distinct_clients", plan.clientAddresses.size());
        json.writeNumberField("returning_sessions", returning);
        json.writeNumberField("ipv6_sessions", ipv6);
        json.writeEndObject();
    }

    private void writeSessions(JsonGenerator json) throws IOException {
        json.writeArrayFieldStart("sessions");
        for (int i = 0; i < plan.sessions; i++) {
            json.writeStartObject();
            json.writeStringField("client", plan.client(i));
            json.writeStringField("user_agent", plan.userAgent(i));
            json.writeStringField("start", instant(plan.startMillis[i]));
            json.writeStringField("end", instant(plan.endMillis[i]));
            json.writeStringField("segment", plan.segment(i).label);
            json.writeNumberField("requests", plan.requestCounts[i]);
            json.writeBooleanField("returning", plan.returning[i]);
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** The instant at the log's one-second resolution, e.g. {@code 2026-03-14T13:05:12Z}. */
    private String instant(long millisOfDay) {
        return Instant.ofEpochSecond((dayStartEpochMillis + millisOfDay) / 1000).toString();
    }

    private static BigDecimal ratio(long part, long whole) {
        return whole == 0 ? BigDecimal.ZERO : round((double) part / whole);
    }

    private static BigDecimal round(double value) {
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }
}
