package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.ModelBuildSummary;
import dev.reprise.model.ModelParams;
import dev.reprise.model.Store;
import dev.reprise.samples.SampleGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 benchmark (opt-in): {@code model build} on 2,000,000 generated requests, three builds, the
 * median and per-step medians printed. Figures go to docs/performance.md; nothing is asserted about
 * time.
 *
 * <pre>mvn -B -ntp -o -pl cli -am test -Dtest=ModelBuildBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dreprise.bench=true</pre>
 */
@EnabledIfSystemProperty(named = "reprise.bench", matches = "true")
class ModelBuildBenchmark {
    @TempDir
    Path dir;

    @Test
    void buildsTheModelOfTwoMillionRequests() throws Exception {
        long lines = Long.getLong("reprise.bench.lines", 2_000_000);
        Path log = dir.resolve("bench.log");
        SampleGenerator.generate(SampleGenerator.Options.defaults().withLines(lines).withSeed(7), log,
                dir.resolve("bench.truth.json"));
        String db = dir.resolve("bench.duckdb").toString();
        Cli.Result ingest = Cli.run("--db", db, "ingest", "nginx", log.toString());
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();

        List<Long> totals = new ArrayList<>();
        Map<String, List<Long>> steps = new TreeMap<>();
        ModelBuildSummary last = null;
        try (Store store = Store.open(Path.of(db))) {
            for (int run = 0; run < 3; run++) {
                last = store.buildModel(ModelParams.defaults());
                totals.add(last.buildMillis());
                last.stepMillis().forEach((step, ms) -> steps.computeIfAbsent(step, k -> new ArrayList<>()).add(ms));
            }
        }
        System.out.printf("model build of %,d requests (%,d sessions, %d segments): runs %s ms, median %d ms, "
                        + "%d cores, %s%n", last.requests(), last.sessions(), last.segments(), totals, median(totals),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.version"));
        for (String step : last.stepMillis().keySet()) {
            System.out.printf("  %-28s median %6d ms  %s%n", step, median(steps.get(step)), steps.get(step));
        }
        assertThat(last.requests()).isGreaterThan(lines * 99 / 100);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
