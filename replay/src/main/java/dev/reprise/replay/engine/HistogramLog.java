package dev.reprise.replay.engine;

import dev.reprise.replay.ReplayException;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The run's interval histograms in HdrHistogram's log format (the {@code .hlog}), written with
 * HdrHistogram's own {@link HistogramLogWriter} so that {@code HistogramLogProcessor} and every other
 * hlog tool reads it. Each interval has three entries: the latency from the intended send time
 * (untagged, so tools that ignore tags see the honest figure), the service time (tag {@code service})
 * and the scheduler's lateness (tag {@code lateness}), then one latency entry per endpoint that had
 * responses in the interval, tagged {@code ep-<endpoint_id>} (the model's {@code endpoints.endpoint_id},
 * which summary.json's {@code endpoints[].endpoint_id} maps to method and template). Values are
 * microseconds; the max column is in milliseconds (ratio 1000).
 *
 * <p>Written by the interval reporter thread, never by an event loop.
 */
final class HistogramLog implements AutoCloseable {
    static final String SERVICE_TAG = "service";
    static final String LATENESS_TAG = "lateness";
    /** Endpoints with their own latency entries: the largest by model weight (see Engine#taggedEndpointIds). */
    static final int MAX_TAGGED_ENDPOINTS = 100;
    /** Prefix of the per-endpoint latency tags: {@code ep-42} is endpoint 42. */
    static final String ENDPOINT_TAG_PREFIX = dev.reprise.replay.RunSummary.ENDPOINT_TAG_PREFIX;
    private static final double MICROS_PER_MILLI = 1000.0;

    private final Path file;
    private final PrintStream stream;
    private final HistogramLogWriter writer;

    private HistogramLog(Path file, PrintStream stream, Instant start) {
        this.file = file;
        this.stream = stream;
        this.writer = new HistogramLogWriter(stream);
        writer.outputComment("Reprise replay: untagged = latency from intended send time (us), "
                + "tag=" + SERVICE_TAG + " = service time from actual send (us), tag=" + LATENESS_TAG
                + " = scheduler lateness (us), tag=" + ENDPOINT_TAG_PREFIX + "<endpoint_id> = one endpoint's latency "
                + "from intended send time (us)");
        writer.outputLogFormatVersion();
        long startMillis = start.toEpochMilli();
        writer.outputStartTime(startMillis);
        writer.setBaseTime(startMillis);
        writer.outputLegend();
    }

    /** Creates (or truncates) {@code file}; the run's offset 0 is {@code start}. */
    static HistogramLog create(Path file, Instant start) {
        try {
            return new HistogramLog(file, new PrintStream(file.toFile(), java.nio.charset.StandardCharsets.US_ASCII),
                    start);
        } catch (FileNotFoundException e) {
            throw new ReplayException("cannot write the histogram log " + file + ": " + e.getMessage()
                    + " (check --out)", e);
        } catch (java.io.IOException e) {
            throw new ReplayException("cannot write the histogram log " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes one interval; {@code endpointLatency[e]} (null or empty = no entry) is the latency of the
     * endpoint whose id is {@code endpointIds[e]} (-1 = not tagged, no entry). {@code betweenEntries} runs
     * after each entry (each is compressed, tens of microseconds; the reporter yields its core there).
     */
    void write(double fromSeconds, double toSeconds, Histogram latency, Histogram service, Histogram lateness,
               Histogram[] endpointLatency, int[] endpointIds, Runnable betweenEntries) {
        latency.setTag(null);
        writer.outputIntervalHistogram(fromSeconds, toSeconds, latency, MICROS_PER_MILLI);
        betweenEntries.run();
        service.setTag(SERVICE_TAG);
        writer.outputIntervalHistogram(fromSeconds, toSeconds, service, MICROS_PER_MILLI);
        betweenEntries.run();
        lateness.setTag(LATENESS_TAG);
        writer.outputIntervalHistogram(fromSeconds, toSeconds, lateness, MICROS_PER_MILLI);
        for (int e = 0; e < endpointLatency.length; e++) {
            Histogram h = endpointLatency[e];
            if (h != null && h.getTotalCount() > 0 && endpointIds[e] >= 0) {
                betweenEntries.run();
                h.setTag(ENDPOINT_TAG_PREFIX + endpointIds[e]);
                writer.outputIntervalHistogram(fromSeconds, toSeconds, h, MICROS_PER_MILLI);
            }
        }
        stream.flush();
    }

    @Override
    public void close() {
        stream.close();
        if (stream.checkError()) {
            throw new ReplayException("writing the histogram log " + file + " failed (disk full or removed?)");
        }
    }
}
