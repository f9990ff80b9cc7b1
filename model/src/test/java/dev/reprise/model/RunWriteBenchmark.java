package dev.reprise.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.RunRecord.EndpointInterval;
import dev.reprise.model.RunRecord.Percentiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7b benchmark (opt-in): how long {@code saveRun} takes for the per-endpoint intervals of a run
 * with 100 tagged endpoints (100 rows a second), through DuckDB's appender as RunWriter writes them,
 * side by side with a prepared-statement batch of the same rows. Medians of three; figures go to
 * docs/performance.md, nothing is asserted about time.
 *
 * <pre>mvn -B -ntp -o -pl model -am test -Dtest=RunWriteBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dreprise.bench=true</pre>
 */
@EnabledIfSystemProperty(named = "reprise.bench", matches = "true")
class RunWriteBenchmark {
    private static final int ENDPOINTS = 100;
    private static final int REPEATS = 3;

    @TempDir
    Path dir;

    private static RunRecord run(String runId, int seconds) {
        List<EndpointInterval> rows = new ArrayList<>(seconds * ENDPOINTS);
        for (int t = 1; t <= seconds; t++) {
            for (int e = 1; e <= ENDPOINTS; e++) {
                rows.add(new EndpointInterval(t + 0.000123, e, 20 + e % 7, 20 + e % 7, e % 3, 1.5 + e, 3.25 + e,
                        9.5 + e, 12.0 + e));
            }
        }
        return new RunRecord(runId, Instant.parse("2026-03-14T10:00:00Z"), Instant.parse("2026-03-14T11:00:00Z"),
                "model", "http://127.0.0.1:8080", "{}", 0, 0, 0, 0, 0, 0, 0, Percentiles.EMPTY, Percentiles.EMPTY,
                Double.NaN, null, List.of(), List.of(), rows);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void savesTheEndpointIntervalsOfTenMinutesAndOfAnHour() throws Exception {
        for (int seconds : new int[] {600, 3600}) {
            List<Double> appender = new ArrayList<>();
            List<Double> batch = new ArrayList<>();
            for (int r = 0; r < REPEATS; r++) {
                RunRecord run = run("bench-" + seconds + "-" + r, seconds);
                Path file = dir.resolve("appender-" + seconds + "-" + r + ".duckdb");
                try (Store store = Store.open(file)) {
                    long start = System.nanoTime();
                    store.saveRun(run);
                    appender.add((System.nanoTime() - start) / 1e9);
                    assertThat(store.queryRows("SELECT count(*) FROM run_endpoint_intervals"))
                            .containsExactly(List.of((long) seconds * ENDPOINTS));
                }
                if (seconds > 600) {
                    continue; // the batch route takes minutes for an hour of rows; ten minutes show the ratio
                }
                Path other = dir.resolve("batch-" + seconds + "-" + r + ".duckdb");
                Store.open(other).close(); // creates the schema
                try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + other)) {
                    c.setAutoCommit(false);
                    long start = System.nanoTime();
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO run_endpoint_intervals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        for (EndpointInterval iv : run.endpointIntervals()) {
                            ps.setString(1, run.runId());
                            ps.setDouble(2, iv.tSeconds());
                            ps.setInt(3, iv.endpointId());
                            ps.setLong(4, iv.sent());
                            ps.setLong(5, iv.completed());
                            ps.setLong(6, iv.errors());
                            ps.setDouble(7, iv.latencyP50Ms());
                            ps.setDouble(8, iv.latencyP95Ms());
                            ps.setDouble(9, iv.latencyP99Ms());
                            ps.setDouble(10, iv.latencyMaxMs());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    c.commit();
                    batch.add((System.nanoTime() - start) / 1e9);
                }
            }
            int rows = seconds * ENDPOINTS;
            String line = String.format(Locale.ROOT, "run_endpoint_intervals, %,d rows (%d s x %d endpoints): "
                    + "appender median %.3f s (%s)", rows, seconds, ENDPOINTS, median(appender), appender);
            if (!batch.isEmpty()) {
                line += String.format(Locale.ROOT, "; prepared batch median %.3f s (%s); ratio %.1fx", median(batch),
                        batch, median(batch) / median(appender));
            }
            System.err.println(line);
        }
    }
}
