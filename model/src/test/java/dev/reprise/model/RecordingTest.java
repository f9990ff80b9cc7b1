package dev.reprise.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store.loadRecording: the recorded requests exact-mode replay sends (issue 5). */
class RecordingTest {
    private static final long T0 = 1_773_446_400_000_000L; // 2026-03-14T00:00:00Z in epoch micros

    @TempDir
    Path dir;

    @Test
    void readsTheRecordedRequestsOfTheWindowInTimeOrderWithEndpointSessionAndUserAgent() {
        try (Store store = Store.open(dir.resolve("r.duckdb"))) {
            try (SourceLoad load = store.beginSource(new SourceSpec("t.log", "nginx", "combined", null, true))) {
                load.append(request(1, 0, "a", "/", null, "UA-a"));
                load.append(request(2, 5, "b", "/products/12", "color=red", "UA-b"));
                load.append(request(3, 10, "a", "/products/34", null, "UA-a"));
                load.append(request(4, 20, "b", "/", "", null));
                load.commit(4);
            }
            store.buildModel(ModelParams.defaults());
            int home = ((Number) StoreTest.query(store, "SELECT endpoint_id FROM endpoints WHERE template = '/'")
                    .get(0).get(0)).intValue();
            int product = ((Number) StoreTest.query(store,
                    "SELECT endpoint_id FROM endpoints WHERE template = '/products/{id}'").get(0).get(0)).intValue();

            RecordedTraffic r = store.loadRecording(T0 + 5_000_000L, T0 + 20_000_000L);

            assertThat(r.windowStartMicros()).isEqualTo(T0 + 5_000_000L);
            assertThat(r.offsetMicros()).containsExactly(0L, 5_000_000L);
            assertThat(r.targets()).containsExactly("/products/12?color=red", "/products/34");
            assertThat(r.endpointIds()).containsExactly(product, product);
            assertThat(r.userAgents()).containsExactly("UA-b", "UA-a");
            assertThat(r.sessionIds()[0]).isNotEqualTo(r.sessionIds()[1]);

            RecordedTraffic all = store.loadRecording(T0, T0 + 21_000_000L);
            assertThat(all.size()).isEqualTo(4);
            assertThat(all.targets()[3]).isEqualTo("/");
            assertThat(all.userAgents()[3]).isEmpty();
            assertThat(all.endpointIds()[3]).isEqualTo(home);
        }
    }

    @Test
    void refusesAnEmptyWindow() {
        try (Store store = Store.inMemory()) {
            assertThatThrownBy(() -> store.loadRecording(T0, T0)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("--to must be after --from");
        }
    }

    private static RequestRow request(long lineNo, long second, String client, String path, String query, String ua) {
        return new RequestRow(lineNo, T0 + second * 1_000_000L, client, null, "GET", path, query, "HTTP/1.1",
                200, 100, Double.NaN, Double.NaN, null, ua, null, null);
    }
}
