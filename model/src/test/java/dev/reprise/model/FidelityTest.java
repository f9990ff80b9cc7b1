package dev.reprise.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6: the fidelity scorecard over two real store files, one attached read-only to the other. */
class FidelityTest {
    private static final long T0 = 1_773_446_400_000_000L; // 2026-03-14T00:00:00Z in epoch micros
    private static final String[] PATHS = {"/", "/products/1", "/products/2", "/search", "/cart"};
    private static final double SPEED = 10;

    @TempDir
    Path dir;

    /** One recorded request of the synthetic source: session, position, path, status, seconds since T0. */
    record Hit(int session, int seq, String path, int status, long second) {
    }

    /** 600 sessions over two hours, 1 to 8 requests each, think times of 1 to 20 whole seconds. */
    private static List<Hit> sourceHits() {
        SplittableRandom random = new SplittableRandom(6);
        List<Hit> hits = new ArrayList<>();
        for (int s = 0; s < 600; s++) {
            long t = s * 12L;
            int length = 1 + random.nextInt(8);
            for (int i = 0; i < length; i++) {
                if (i > 0) {
                    t += 1 + random.nextInt(20);
                }
                hits.add(new Hit(s, i, PATHS[random.nextInt(i == 0 ? 2 : PATHS.length)],
                        random.nextInt(10) == 0 ? 404 : 200, t));
            }
        }
        return hits;
    }

    /** A store file with these hits; replayed stores carry the session id as hint and compressed time. */
    private Path store(String name, List<Hit> hits, double speed, boolean replayed) {
        Path file = dir.resolve(name);
        try (Store store = Store.open(file)) {
            try (SourceLoad load = store.beginSource(new SourceSpec(name, "nginx", "combined", null, false))) {
                long line = 0;
                for (Hit h : hits) {
                    long micros = T0 + Math.round(h.second() * 1_000_000L / speed);
                    load.append(new RequestRow(++line, micros, "client-" + h.session(),
                            replayed ? "session-" + h.session() : null, "GET", h.path(), null, "HTTP/1.1",
                            h.status(), 100, Double.NaN, Double.NaN, null, "Mozilla/5.0", null, null));
                }
                load.commit(line);
            }
            store.buildModel(ModelParams.defaults());
        }
        return file;
    }

    private Scorecard compare(List<Hit> source, List<Hit> replayed) {
        Path sourceFile = store("source.duckdb", source, 1, false);
        Path replayedFile = store("replayed.duckdb", replayed, SPEED, true);
        try (Store store = Store.open(sourceFile)) {
            return store.compareFidelity(replayedFile, FidelityOptions.defaults().withSpeed(SPEED));
        }
    }

    @Test
    void aReplayThatReproducesTheSourceExactlyScoresPerfectly() {
        List<Hit> hits = sourceHits();
        Scorecard card = compare(hits, hits);

        assertThat(card.metric("endpoint_mix_tvd").value()).isCloseTo(0, within(1e-12));
        assertThat(card.metric("transition_tvd").value()).isCloseTo(0, within(1e-12));
        assertThat(card.metric("think_time_ks").value()).isCloseTo(0, within(1e-12));
        assertThat(card.metric("session_length_ks").value()).isCloseTo(0, within(1e-12));
        assertThat(card.metric("status_mix_tvd").value()).isCloseTo(0, within(1e-12));
        assertThat(card.metric("arrival_correlation").value()).isCloseTo(1, within(1e-9));
        // two hours without a burst: no spike to align, which is not a failure
        assertThat(card.metric("spike_peak_offset_buckets").ok()).isNull();
        assertThat(card.metric("spike_peak_offset_buckets").detail()).contains("no recorded spike");
        assertThat(card.ok()).isTrue();
        assertThat(card.metrics()).extracting(Scorecard.Metric::name).containsExactly("endpoint_mix_tvd",
                "transition_tvd", "think_time_ks", "session_length_ks", "arrival_correlation",
                "spike_peak_offset_buckets", "status_mix_tvd");
    }

    @Test
    void aShiftedMixAndSlowerThinkingFailWithTheDistancesComputedIndependently() {
        List<Hit> source = sourceHits();
        // the replay sends /search where the source had /cart, thinks twice as long and never gets a 404
        UnaryOperator<Hit> change = h -> new Hit(h.session(), h.seq(), h.path().equals("/cart") ? "/search" : h.path(),
                200, h.second());
        List<Hit> replayed = new ArrayList<>();
        for (Hit h : source) {
            Hit c = change.apply(h);
            long firstSecond = source.stream().filter(x -> x.session() == h.session() && x.seq() == 0)
                    .findFirst().orElseThrow().second();
            replayed.add(new Hit(c.session(), c.seq(), c.path(), c.status(), firstSecond + 2 * (h.second() - firstSecond)));
        }
        Scorecard card = compare(source, replayed);

        double cartShare = source.stream().filter(h -> h.path().equals("/cart")).count() / (double) source.size();
        double notFoundShare = source.stream().filter(h -> h.status() == 404).count() / (double) source.size();
        assertThat(card.metric("endpoint_mix_tvd").value()).isCloseTo(cartShare, within(1e-9));
        assertThat(card.metric("endpoint_mix_tvd").ok()).isFalse();
        assertThat(card.metric("status_mix_tvd").value()).isCloseTo(notFoundShare, within(1e-9));
        assertThat(card.metric("think_time_ks").value()).isCloseTo(ks(thinkSeconds(source), thinkSeconds(replayed)),
                within(1e-9));
        assertThat(card.metric("think_time_ks").ok()).isFalse();
        assertThat(card.metric("session_length_ks").value()).isCloseTo(0, within(1e-12));
        assertThat(card.ok()).isFalse();
    }

    @Test
    void aRunIsScoredFromWhatItsResultsRecordAgainstTheRecording() {
        List<Hit> hits = sourceHits();
        Path sourceFile = store("source.duckdb", hits, 1, false);
        // a run that sent exactly the recording at speed 10 over 8,400 recorded seconds (the sessions end
        // before 7,400): per endpoint the recorded counts, per run second the requests of ten recorded seconds
        java.util.Map<String, Long> perTemplate = new java.util.TreeMap<>();
        long[] perRunSecond = new long[840];
        for (Hit h : hits) {
            perTemplate.merge(h.path().startsWith("/products/") ? "/products/{id}" : h.path(), 1L, Long::sum);
            perRunSecond[(int) (h.second() / 10)]++;
        }
        List<RunRecord.EndpointRun> endpoints = new ArrayList<>();
        int id = 1;
        for (var e : perTemplate.entrySet()) {
            endpoints.add(new RunRecord.EndpointRun(id++, "GET", e.getKey(), 0, e.getValue(), e.getValue(), 0,
                    RunRecord.Percentiles.EMPTY, RunRecord.Percentiles.EMPTY));
        }
        List<RunRecord.Interval> intervals = new ArrayList<>();
        for (int i = 0; i < perRunSecond.length; i++) {
            intervals.add(new RunRecord.Interval(i + 1, perRunSecond[i], perRunSecond[i], 0, 0, 1, 2, 3));
        }
        String options = "{\"speed\": 10.0, \"duration_s\": 840.0, \"window_start\": \"2026-03-14T00:00:00Z\", "
                + "\"window_end\": \"2026-03-14T02:20:00Z\"}";
        RunRecord run = new RunRecord("run-1", java.time.Instant.parse("2026-11-24T10:00:00Z"),
                java.time.Instant.parse("2026-11-24T10:14:00Z"), "model", "http://127.0.0.1:1", options, 600,
                hits.size(), hits.size(), 0, 0, 1, 1, RunRecord.Percentiles.EMPTY, RunRecord.Percentiles.EMPTY, 0.1,
                null, endpoints, intervals);
        try (Store store = Store.open(sourceFile)) {
            store.saveRun(run);
            Scorecard card = store.compareFidelityWithRun("run-1", FidelityOptions.defaults());

            assertThat(card.metric("endpoint_mix_tvd").value()).isCloseTo(0, within(1e-12));
            assertThat(card.metric("arrival_correlation").value()).isCloseTo(1, within(1e-9));
            assertThat(card.metric("arrival_correlation").detail()).contains("30 buckets of 280 s");
            for (String notRecorded : List.of("transition_tvd", "think_time_ks", "session_length_ks", "status_mix_tvd")) {
                assertThat(card.metric(notRecorded).value()).isNull();
                assertThat(card.metric(notRecorded).detail()).contains("not recorded by a run", "--replayed");
            }
            assertThat(card.ok()).isTrue();
            assertThatThrownBy(() -> store.compareFidelityWithRun("run-2", FidelityOptions.defaults()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("has no run 'run-2'");
        }
    }

    @Test
    void refusesAMissingReplayedStoreAndOneWithoutAModel() {
        Path sourceFile = store("source.duckdb", sourceHits(), 1, false);
        Path empty = dir.resolve("empty.duckdb");
        Store.open(empty).close();
        try (Store store = Store.open(sourceFile)) {
            assertThatThrownBy(() -> store.compareFidelity(dir.resolve("nope.duckdb"), FidelityOptions.defaults()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("nope.duckdb: no such store file");
            assertThatThrownBy(() -> store.compareFidelity(empty, FidelityOptions.defaults()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("has no model")
                    .hasMessageContaining("model build");
            assertThatThrownBy(() -> store.compareFidelity(sourceFile, FidelityOptions.defaults()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("is the source store itself");
            // the store is usable afterwards: nothing stayed attached
            assertThat(store.queryRows("SELECT count(*) FROM duckdb_databases() WHERE database_name = 'replayed'"))
                    .containsExactly(List.of(0L));
        }
    }

    @Test
    void unknownLimitsAreRefusedWithTheKnownNames() {
        assertThatThrownBy(() -> FidelityOptions.defaults().withLimits(java.util.Map.of("mix", 0.1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no fidelity metric 'mix'")
                .hasMessageContaining("endpoint_mix_tvd");
    }

    @Test
    void bestLagFindsTheShiftOfAFlatToppedSpike() {
        double[] source = new double[40];
        double[] replayed = new double[40];
        for (int k = 0; k < 40; k++) {
            source[k] = k >= 15 && k < 22 ? 50 + (k % 2) : 5 + (k % 3);
            replayed[k] = k >= 18 && k < 25 ? 51 - (k % 2) : 5 + ((k + 1) % 3);
        }
        assertThat(ArrivalAlignment.bestLag(source, replayed, 15, 21)).isEqualTo(3);
        assertThat(ArrivalAlignment.bestLag(replayed, source, 18, 24)).isEqualTo(-3);
        assertThat(ArrivalAlignment.pearson(source, source, 0, 40, 0)).isCloseTo(1, within(1e-12));
    }

    /** Think times in seconds (gaps between consecutive requests of a session). */
    private static List<Double> thinkSeconds(List<Hit> hits) {
        List<Double> out = new ArrayList<>();
        for (int i = 1; i < hits.size(); i++) {
            if (hits.get(i).session() == hits.get(i - 1).session()) {
                out.add((double) (hits.get(i).second() - hits.get(i - 1).second()));
            }
        }
        return out;
    }

    /** Two-sample KS distance, written out plainly as a cross-check of the SQL. */
    private static double ks(List<Double> a, List<Double> b) {
        List<Double> points = new ArrayList<>(a);
        points.addAll(b);
        double worst = 0;
        for (double x : points) {
            double fa = a.stream().filter(v -> v <= x).count() / (double) a.size();
            double fb = b.stream().filter(v -> v <= x).count() / (double) b.size();
            worst = Math.max(worst, Math.abs(fa - fb));
        }
        return worst;
    }
}
