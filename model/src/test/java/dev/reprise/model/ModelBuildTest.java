package dev.reprise.model;

import static dev.reprise.model.StoreTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.model.WorkloadModel.ThinkLevel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelBuildTest {
    private static final long T0 = 1_773_446_400_000_000L; // 2026-03-14T00:00:00Z in epoch micros

    private Store store;

    @BeforeEach
    void loadTwoVisitors() {
        store = Store.inMemory();
        try (SourceLoad load = store.beginSource(new SourceSpec("t.log", "nginx", "combined", null, true))) {
            // visitor a: a session of 3 requests, then (2 h later) a second session of 2
            load.append(request(1, 0, "a", "GET", "/"));
            load.append(request(3, 10, "a", "GET", "/products/12"));
            load.append(request(4, 30, "a", "GET", "/products/34"));
            load.append(request(5, 7230, "a", "GET", "/"));
            load.append(request(6, 7235, "a", "POST", "/cart"));
            // visitor b: one request
            load.append(request(2, 5, "b", "GET", "/products/56"));
            load.commit(6);
        }
    }

    @Test
    void templatesNumericIdsAndCountsTheMix() {
        ModelBuildSummary summary = store.buildModel(ModelParams.defaults());
        assertThat(summary.endpoints()).isEqualTo(3);
        assertThat(query(store, "SELECT endpoint_id, method, template, requests, round(share, 3), weight = share "
                + "FROM endpoints ORDER BY endpoint_id")).containsExactly(
                List.of(1, "GET", "/products/{id}", 3L, 0.5, true),
                List.of(2, "GET", "/", 2L, 0.333, true),
                List.of(3, "POST", "/cart", 1L, 0.167, true));
        assertThat(query(store, "SELECT slot, value, count FROM endpoint_values WHERE endpoint_id = 1 "
                + "AND slot = 'path:1' ORDER BY value")).containsExactly(
                List.of("path:1", "12", 1L), List.of("path:1", "34", 1L), List.of("path:1", "56", 1L));
    }

    @Test
    void splitsSessionsOnTheInactivityGap() {
        store.buildModel(ModelParams.defaults());
        assertThat(query(store, "SELECT session_id, requests FROM sessions ORDER BY session_id")).containsExactly(
                List.of(1L, 3), List.of(2L, 1), List.of(3L, 2));
        assertThat(query(store, "SELECT line_no, session_id, seq, think_ms FROM session_steps ORDER BY line_no"))
                .containsExactly(
                        Arrays.asList(1L, 1L, 1, null), Arrays.asList(2L, 2L, 1, null), List.of(3L, 1L, 2, 10_000.0),
                        List.of(4L, 1L, 3, 20_000.0), Arrays.asList(5L, 3L, 1, null), List.of(6L, 3L, 2, 5_000.0));
    }

    @Test
    void aShorterGapMakesMoreSessions() {
        store.buildModel(ModelParams.defaults().withSessionGap(java.time.Duration.ofSeconds(15)));
        assertThat(query(store, "SELECT count(*) FROM sessions")).containsExactly(List.of(4L));
    }

    @Test
    void countsTransitionsWithStartAndExit() {
        store.buildModel(ModelParams.defaults());
        assertThat(query(store, "SELECT from_state, to_state, count, round(probability, 3) FROM transition_paths "
                + "ORDER BY from_state, to_state")).containsExactly(
                List.of("GET /", "GET /products/{id}", 1L, 0.5),
                List.of("GET /", "POST /cart", 1L, 0.5),
                List.of("GET /products/{id}", "EXIT", 2L, 0.667),
                List.of("GET /products/{id}", "GET /products/{id}", 1L, 0.333),
                List.of("POST /cart", "EXIT", 1L, 1.0),
                List.of("START", "GET /", 2L, 0.667),
                List.of("START", "GET /products/{id}", 1L, 0.333));
    }

    @Test
    void buildsThinkTimeQuantilesWithFallbacks() {
        store.buildModel(ModelParams.defaults());
        WorkloadModel model = store.loadModel();
        // no transition has 30 samples: every lookup falls back to the segment's global distribution
        WorkloadModel.ThinkTimeDistribution d = model.thinkTime(1, 2, 1);
        assertThat(d.level()).isEqualTo(ThinkLevel.GLOBAL);
        assertThat(d.samples()).isEqualTo(3);
        assertThat(d.quantilesMillis()).hasSize(101);
        assertThat(d.medianMillis()).isEqualTo(10_000.0);
        assertThat(d.quantilesMillis()[0]).isEqualTo(5_000.0);
        assertThat(d.quantilesMillis()[100]).isEqualTo(20_000.0);

        store.buildModel(new ModelParams(java.time.Duration.ofMinutes(30), java.time.Duration.ofSeconds(1), 1));
        model = store.loadModel();
        assertThat(model.thinkTime(1, 1, 1).level()).isEqualTo(ThinkLevel.TRANSITION);
        assertThat(model.thinkTime(1, 1, 1).medianMillis()).isEqualTo(20_000.0);
    }

    @Test
    void recordsTheSessionArrivalCurve() {
        store.buildModel(ModelParams.defaults());
        WorkloadModel model = store.loadModel();
        WorkloadModel.ArrivalCurve curve = model.arrivals();
        assertThat(curve.totalSessions()).isEqualTo(3);
        assertThat(curve.totalRequests()).isEqualTo(6);
        assertThat(curve.firstEpochMicros()).isEqualTo(T0);
        assertThat(curve.endEpochMicros()).isEqualTo(T0 + 7236 * 1_000_000L);
        assertThat(model.meanSessionLength()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void normalizesWeightsAtLoad() {
        store.buildModel(ModelParams.defaults());
        store.execute("UPDATE endpoints SET weight = weight * 10", null);
        store.execute("UPDATE transitions SET weight = weight * 7", null);
        WorkloadModel model = store.loadModel();
        assertThat(model.endpoints().stream().mapToDouble(WorkloadModel.Endpoint::weight).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(model.segments().get(0).transitions().stream().filter(t -> t.fromEndpoint() == 0)
                .mapToDouble(WorkloadModel.Transition::weight).sum()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void refusesANegativeWeightNamingTheRow() {
        store.buildModel(ModelParams.defaults());
        store.execute("UPDATE endpoints SET weight = -0.5 WHERE template = '/cart'", null);
        assertThatThrownBy(store::loadModel).isInstanceOf(StoreException.class)
                .hasMessageContaining("endpoints row (endpoint_id=3, POST /cart): weight is negative (-0.5)");
    }

    @Test
    void refusesADanglingTransitionNamingTheRow() {
        store.buildModel(ModelParams.defaults());
        store.execute("INSERT INTO transitions VALUES (1, 1, 99, 1, 0.1, 0.1)", null);
        assertThatThrownBy(store::loadModel).isInstanceOf(StoreException.class)
                .hasMessageContaining("transitions row (segment_id=1, from_endpoint=1, to_endpoint=99): "
                        + "to_endpoint 99 is not in endpoints");
    }

    @Test
    void refusesAnEndpointThatSessionsReachButCannotLeave() {
        store.buildModel(ModelParams.defaults());
        store.execute("DELETE FROM transitions WHERE from_endpoint = 3", null);
        assertThatThrownBy(store::loadModel).isInstanceOf(StoreException.class)
                .hasMessageContaining("endpoint 3 can be reached but has no outgoing transition");
    }

    @Test
    void refusesToBuildFromAnEmptyStore() {
        try (Store empty = Store.inMemory()) {
            assertThatThrownBy(() -> empty.buildModel(ModelParams.defaults()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("ingest a log first");
        }
    }

    @Test
    void rebuildingReplacesTheModel() {
        store.buildModel(ModelParams.defaults());
        store.buildModel(ModelParams.defaults());
        assertThat(query(store, "SELECT count(*) FROM endpoints")).containsExactly(List.of(3L));
        assertThat(query(store, "SELECT count(*) FROM sessions")).containsExactly(List.of(3L));
    }

    private static RequestRow request(long lineNo, long second, String client, String method, String path) {
        return new RequestRow(lineNo, T0 + second * 1_000_000L, client, null, method, path, null, "HTTP/1.1",
                200, 100, Double.NaN, Double.NaN, null, "UA", null, null);
    }
}
