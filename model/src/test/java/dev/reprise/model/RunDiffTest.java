package dev.reprise.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.RunDiff.Verdict;
import dev.reprise.model.RunRecord.EndpointRun;
import dev.reprise.model.RunRecord.Percentiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6: the verdicts of report diff on runs written to and read back from a store. */
class RunDiffTest {
    @TempDir
    Path dir;

    private static Percentiles latency(double p50, double p95, double p99) {
        return new Percentiles(p50, p50, p95, p99, p99, p99);
    }

    private static RunRecord run(String id, Percentiles products, long productErrors, Percentiles home) {
        List<EndpointRun> endpoints = List.of(
                new EndpointRun(1, "GET", "/products/{id}", 0.6, 600, 600, productErrors, products, products),
                new EndpointRun(2, "GET", "/", 0.39, 390, 390, 0, home, home),
                new EndpointRun(3, "GET", "/rare", 0.01, 10, 10, 0, latency(1, 90, 90), latency(1, 90, 90)));
        return new RunRecord(id, Instant.parse("2026-03-14T12:00:00Z"), Instant.parse("2026-03-14T12:01:00Z"), "model",
                "http://127.0.0.1:1", "{}", 100, 1000, 1000, productErrors, 0, 16.7, 16.7, latency(10, 40, 60),
                latency(9, 38, 55), 0.5, null, endpoints, List.of());
    }

    @Test
    void identicalRunsPassAndA30PercentP95RegressionIsFlaggedOnItsEndpoint() {
        RunRecord baseline = run("a", latency(20, 100, 150), 0, latency(0.3, 0.5, 0.9));
        RunRecord same = run("b", latency(20, 100, 150), 0, latency(0.3, 0.5, 0.9));
        RunRecord slower = run("c", latency(20, 130, 150), 0, latency(0.3, 0.5, 0.9));

        assertThat(RunDiff.compare(baseline, same, RunDiff.Options.defaults()).regressed()).isFalse();
        RunDiff diff = RunDiff.compare(baseline, slower, RunDiff.Options.defaults());
        assertThat(diff.regressed()).isTrue();
        RunDiff.Row products = diff.endpoints().get(0);
        assertThat(products.endpoint()).isEqualTo("GET /products/{id}");
        assertThat(products.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(products.reasons()).containsExactly("p95 +30% (100.00 -> 130.00 ms)");
        assertThat(products.relativeChange(1)).isEqualTo(0.3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(diff.endpoints().get(1).verdict()).isEqualTo(Verdict.OK);
        // 10 requests: listed, not judged, however its p95 moved
        assertThat(diff.endpoints().get(2).verdict()).isEqualTo(Verdict.TOO_FEW);
        // a 30% regression passes a 35% tolerance
        assertThat(RunDiff.compare(baseline, slower, RunDiff.Options.defaults().withTolerance(0.35)).regressed()).isFalse();
    }

    @Test
    void subMillisecondJitterIsNotARegressionButARiseInErrorsIs() {
        RunRecord baseline = run("a", latency(20, 100, 150), 0, latency(0.3, 0.5, 0.9));
        // the fast endpoint doubles its p99 from 0.9 to 1.8 ms: under the 1 ms floor
        RunRecord jitter = run("b", latency(20, 100, 150), 0, latency(0.3, 0.6, 1.8));
        assertThat(RunDiff.compare(baseline, jitter, RunDiff.Options.defaults()).regressed()).isFalse();
        assertThat(RunDiff.compare(baseline, jitter, RunDiff.Options.defaults().withMinDeltaMs(0.5)).regressed()).isTrue();

        RunRecord failing = run("c", latency(20, 100, 150), 12, latency(0.3, 0.5, 0.9));
        RunDiff diff = RunDiff.compare(baseline, failing, RunDiff.Options.defaults());
        assertThat(diff.regressed()).isTrue();
        assertThat(diff.endpoints().get(0).reasons()).containsExactly("errors 0.00% -> 2.00%");
    }

    @Test
    void aRunReadBackFromTheStoreComparesLikeTheOneWritten() {
        RunRecord baseline = run("20260314-120000-ab12", latency(20, 100, 150), 0, latency(0.3, 0.5, 0.9));
        try (Store store = Store.open(dir.resolve("runs.duckdb"))) {
            store.saveRun(baseline);
            RunRecord read = store.loadRun(baseline.runId()).orElseThrow();
            assertThat(read.endpoints()).hasSize(3);
            assertThat(read.endpoints().get(0).latencyMs().p95()).isEqualTo(100);
            assertThat(read.latencyMs()).isEqualTo(baseline.latencyMs());
            assertThat(read.sent()).isEqualTo(baseline.sent());
            RunDiff diff = RunDiff.compare(baseline, read, RunDiff.Options.defaults());
            assertThat(diff.regressed()).isFalse();
            assertThat(diff.endpoints()).extracting(RunDiff.Row::verdict)
                    .containsExactly(Verdict.OK, Verdict.OK, Verdict.TOO_FEW);
            assertThat(store.loadRun("no-such-run")).isEmpty();
        }
    }
}
