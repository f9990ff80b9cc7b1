package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 benchmark (opt-in): {@code reprise report} of a soak-sized run directory, by default 2 h of
 * 1 s intervals with 25 endpoints each tagged {@code ep-<id>} in the .hlog (76 histograms a second),
 * three renders, the median printed with the sizes of the inputs and of report.html, then the page
 * loaded once in headless Chromium (when installed). Figures go to docs/performance.md; nothing is
 * asserted about time.
 *
 * <pre>mvn -B -ntp -o -pl cli -am test -Dtest=ReportBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dreprise.bench=true [-Dreprise.bench.seconds=7200]</pre>
 */
@EnabledIfSystemProperty(named = "reprise.bench", matches = "true")
class ReportBenchmark {
    private static final int ENDPOINTS = 25;

    @TempDir
    Path dir;

    @Test
    void rendersTheReportOfATwoHourRun() throws Exception {
        int seconds = Integer.getInteger("reprise.bench.seconds", 7200);
        Path run = dir.resolve("soak");
        Files.createDirectories(run);
        writeRun(run, seconds);

        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Cli.Result r = Cli.run("report", run.toString(), "--html", dir.resolve("report.html").toString());
            millis.add((System.nanoTime() - start) / 1_000_000);
            assertThat(r.exitCode()).as(r.err()).isZero();
        }
        // where the time goes: reading (decoding every interval histogram of the .hlog) vs building the page
        long readStart = System.nanoTime();
        RunDirectory read = RunDirectory.read(run);
        long readMillis = (System.nanoTime() - readStart) / 1_000_000;
        long renderStart = System.nanoTime();
        String html = RunReportPage.of(read).render();
        long renderMillis = (System.nanoTime() - renderStart) / 1_000_000;
        System.out.printf("  of which: read summary.json + hlog %d ms, build + render the page %d ms (%,d chars)%n",
                readMillis, renderMillis, html.length());
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf("report of %,d s x %d endpoints: hlog %,d bytes, summary.json %,d bytes -> report.html %,d bytes; "
                        + "renders %s ms, median %d ms, %d cores, %s%n", seconds, ENDPOINTS,
                Files.size(run.resolve("latency.hlog")), Files.size(run.resolve("summary.json")),
                Files.size(dir.resolve("report.html")), millis, sorted.get(1), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        if (HeadlessChromium.isRequired()) {
            long start = System.nanoTime();
            HeadlessChromium.Page page = HeadlessChromium.open(dir.resolve("report.html"), dir);
            System.out.printf("headless Chromium load and draw (--dump-dom): %d ms, console messages %d%n",
                    (System.nanoTime() - start) / 1_000_000, page.consoleMessages().size());
            assertThat(page.consoleMessages()).isEmpty();
        }
    }

    /** A run directory as a replay of {@code seconds} writes it, with per-endpoint tags. */
    private static void writeRun(Path run, int seconds) throws Exception {
        SplittableRandom random = new SplittableRandom(6);
        long start = 1_773_446_400_000L;
        try (PrintStream stream = new PrintStream(run.resolve("latency.hlog").toFile(), "US-ASCII")) {
            HistogramLogWriter w = new HistogramLogWriter(stream);
            w.outputLogFormatVersion();
            w.outputStartTime(start);
            w.setBaseTime(start);
            w.outputLegend();
            Histogram[] ep = new Histogram[ENDPOINTS];
            for (int e = 0; e < ENDPOINTS; e++) {
                ep[e] = new Histogram(3);
            }
            Histogram overall = new Histogram(3);
            Histogram service = new Histogram(3);
            Histogram lateness = new Histogram(3);
            for (int s = 0; s < seconds; s++) {
                overall.reset();
                service.reset();
                lateness.reset();
                for (int e = 0; e < ENDPOINTS; e++) {
                    ep[e].reset();
                    for (int k = 0; k < 40; k++) {
                        long micros = (long) (1000 * (e + 1) * Math.exp(random.nextGaussian() * 0.8));
                        ep[e].recordValue(Math.max(1, micros));
                        service.recordValue(Math.max(1, micros / 2));
                    }
                    overall.add(ep[e]);
                }
                lateness.recordValue(200);
                overall.setTag(null);
                w.outputIntervalHistogram(s, s + 1, overall, 1000.0);
                service.setTag("service");
                w.outputIntervalHistogram(s, s + 1, service, 1000.0);
                lateness.setTag("lateness");
                w.outputIntervalHistogram(s, s + 1, lateness, 1000.0);
                for (int e = 0; e < ENDPOINTS; e++) {
                    ep[e].setTag("ep-" + (e + 1));
                    w.outputIntervalHistogram(s, s + 1, ep[e], 1000.0);
                }
            }
        }
        JsonArray intervals = new JsonArray();
        for (int s = 0; s < seconds; s++) {
            intervals.add(new JsonObject().put("from_s", (double) s).put("to_s", s + 1.0).put("sent", 1000)
                    .put("completed", 1000).put("errors", 0).put("dropped", 0).put("target_per_s", 1000.0)
                    .put("latency_ms", new JsonObject().put("p50", 5.0).put("p99", 50.0).put("max", 80.0)));
        }
        JsonArray endpoints = new JsonArray();
        for (int e = 1; e <= ENDPOINTS; e++) {
            JsonObject p = new JsonObject().put("p50", 1.0).put("p90", 2.0).put("p95", 3.0).put("p99", 4.0)
                    .put("p999", 5.0).put("max", 6.0);
            endpoints.add(new JsonObject().put("endpoint_id", e).put("method", "GET").put("template", "/e/" + e + "/{id}")
                    .put("model_share", 1.0 / ENDPOINTS).put("sent", 40L * seconds).put("completed", 40L * seconds)
                    .put("errors", 0).put("latency_ms", p).put("service_time_ms", p));
        }
        JsonObject summary = new JsonObject().put("schema_version", 1).put("run_id", "soak").put("mode", "model")
                .put("target", "http://127.0.0.1:8080").put("elapsed_s", (double) seconds)
                .put("requests", new JsonObject().put("sent", 1000L * seconds).put("completed", 1000L * seconds)
                        .put("errors", 0).put("dropped", 0))
                .put("rate", new JsonObject().put("target_per_s", 1000.0).put("achieved_per_s", 1000.0))
                .put("latency_ms", new JsonObject().put("p50", 5.0).put("p99", 50.0))
                .put("endpoints", endpoints).put("thresholds", new JsonArray()).put("intervals", intervals)
                .put("spikes", new JsonArray()).put("files", new JsonObject().put("hlog", "latency.hlog"));
        Files.writeString(run.resolve("summary.json"), summary.encodePrettily());
    }
}
