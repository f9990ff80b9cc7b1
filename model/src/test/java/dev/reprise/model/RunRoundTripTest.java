package dev.reprise.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.RunRecord.EndpointInterval;
import dev.reprise.model.RunRecord.EndpointRun;
import dev.reprise.model.RunRecord.Interval;
import dev.reprise.model.RunRecord.Percentiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** saveRun then loadRun: every column the results layer keeps comes back, the rest is NaN. */
class RunRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void loadRunReturnsWhatSaveRunWroteAndEmptyForAnUnknownRun() {
        RunRecord run = new RunRecord("20260314-093000-a1b2", Instant.parse("2026-03-14T09:30:00.123456Z"),
                Instant.parse("2026-03-14T09:35:00Z"), "model", "http://127.0.0.1:8080", "{\"speed\":60.0}", 42, 1000,
                990, 10, 3, 3.5, 3.3, new Percentiles(1, 2, 3, 4, 5, 6), new Percentiles(0.5, 0.9, 1, 1.5, 2, 3), 0.25,
                false,
                List.of(new EndpointRun(7, "GET", "/products/{id}", 0.75, 700, 695, 5, new Percentiles(1, 2, 3, 4, 5, 6),
                        new Percentiles(0.5, 0.6, 0.7, 0.8, 0.9, 1.0)),
                        new EndpointRun(8, "POST", "/cart/<b>", 0.25, 300, 295, 5, Percentiles.EMPTY, Percentiles.EMPTY)),
                List.of(new Interval(1.0, 500, 495, 5, 1, 1.5, 9.5, 12), new Interval(2.0, 500, 495, 5, 2, Double.NaN,
                        Double.NaN, Double.NaN)));
        try (Store store = Store.open(dir.resolve("runs.duckdb"))) {
            store.saveRun(run);

            RunRecord back = store.loadRun(run.runId()).orElseThrow();

            assertThat(back.runId()).isEqualTo(run.runId());
            assertThat(back.startedAt()).isEqualTo(run.startedAt());
            assertThat(back.finishedAt()).isEqualTo(run.finishedAt());
            assertThat(back.mode()).isEqualTo("model");
            assertThat(back.target()).isEqualTo("http://127.0.0.1:8080");
            assertThat(back.optionsJson()).isEqualTo("{\"speed\":60.0}");
            assertThat(List.of(back.sessions(), back.sent(), back.completed(), back.errors(), back.dropped()))
                    .containsExactly(42L, 1000L, 990L, 10L, 3L);
            assertThat(back.targetRatePerSecond()).isEqualTo(3.5);
            assertThat(back.achievedRatePerSecond()).isEqualTo(3.3);
            assertThat(back.latencyMs()).isEqualTo(run.latencyMs());
            assertThat(back.serviceTimeMs()).isEqualTo(new Percentiles(0.5, Double.NaN, Double.NaN, 1.5, Double.NaN,
                    Double.NaN));
            assertThat(back.latenessP99Ms()).isEqualTo(0.25);
            assertThat(back.thresholdsOk()).isFalse();
            assertThat(back.endpoints()).containsExactly(
                    new EndpointRun(7, "GET", "/products/{id}", 0.75, 700, 695, 5,
                            new Percentiles(1, Double.NaN, 3, 4, Double.NaN, 6),
                            new Percentiles(0.5, Double.NaN, Double.NaN, 0.8, Double.NaN, Double.NaN)),
                    new EndpointRun(8, "POST", "/cart/<b>", 0.25, 300, 295, 5, Percentiles.EMPTY, Percentiles.EMPTY));
            assertThat(back.intervals()).containsExactlyElementsOf(run.intervals());
            assertThat(store.loadRun("no-such-run")).isEmpty();
        }
    }

    @Test
    void perEndpointIntervalsComeBackInTimeThenEndpointOrderWithNullsForEmptyLatencies() {
        List<EndpointInterval> endpointIntervals = List.of(
                new EndpointInterval(1.0, 7, 350, 348, 2, 1.5, 3.25, 9.5, 12),
                new EndpointInterval(1.0, 8, 150, 147, 3, 2, 4, 8, 16),
                new EndpointInterval(2.0, 7, 1, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        RunRecord run = new RunRecord("20260314-100000-c3d4", Instant.parse("2026-03-14T10:00:00Z"),
                Instant.parse("2026-03-14T10:00:02Z"), "model", "http://127.0.0.1:8080", "{}", 5, 501, 495, 5, 0, 250,
                250, Percentiles.EMPTY, Percentiles.EMPTY, Double.NaN, null, List.of(),
                List.of(new Interval(1.0, 500, 495, 5, 0, 1.5, 9.5, 12), new Interval(2.0, 1, 0, 0, 0, Double.NaN,
                        Double.NaN, Double.NaN)),
                // written out of order: the table's reading order is time, then endpoint
                List.of(endpointIntervals.get(1), endpointIntervals.get(2), endpointIntervals.get(0)));
        try (Store store = Store.open(dir.resolve("runs.duckdb"))) {
            store.saveRun(run);

            assertThat(store.loadRun(run.runId()).orElseThrow().endpointIntervals())
                    .containsExactlyElementsOf(endpointIntervals);
            assertThat(store.queryRows("SELECT count(*), count(latency_p50_ms), sum(sent)::BIGINT FROM run_endpoint_intervals "
                    + "WHERE run_id = '" + run.runId() + "'")).containsExactly(List.of(3L, 2L, 501L));
        }
    }

    @Test
    void aRunWrittenWithoutPerEndpointIntervalsReadsBackWithNone() {
        RunRecord run = new RunRecord("r-plain", Instant.parse("2026-03-14T10:00:00Z"),
                Instant.parse("2026-03-14T10:00:01Z"), "exact", "http://127.0.0.1:8080", "{}", 0, 0, 0, 0, 0, 0, 0,
                Percentiles.EMPTY, Percentiles.EMPTY, Double.NaN, null, List.of(), List.of());
        try (Store store = Store.open(dir.resolve("runs.duckdb"))) {
            store.saveRun(run);

            assertThat(store.loadRun("r-plain").orElseThrow().endpointIntervals()).isEmpty();
        }
    }
}
