package dev.reprise.model;

import static dev.reprise.model.StoreTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 4: the built-in URL templating rules, and the raw paths kept behind each template. */
class TemplatingTest {
    private static final long T0 = 1_773_446_400_000_000L;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/products/1234|/products/{id}|1234",
            "/orders/0f8b2c9e-5d1a-4b7e-9c3f-2a6d8e1b4c70|/orders/{uuid}|0f8b2c9e-5d1a-4b7e-9c3f-2a6d8e1b4c70",
            "/blobs/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08|/blobs/{hash}|9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "/commits/3f2a9c1e7b4d8a60|/commits/{hash}|3f2a9c1e7b4d8a60",
            "/reports/2026-03-14/summary|/reports/{date}/summary|2026-03-14",
            "/users/jane.doe@example.com/orders|/users/{email}/orders|jane.doe@example.com",
            "/reset/eyJhbGciOiJIUzI1NiJ9aB3dE5fG7hJ9kL|/reset/{token}|eyJhbGciOiJIUzI1NiJ9aB3dE5fG7hJ9kL",
            "/static/application-bundle-main-2026.min.js|/static/application-bundle-main-2026.min.js|",
            "/categories/shoes|/categories/shoes|",
            "/deadbeef|/deadbeef|",
    })
    void templatesAPathSegmentByTheFirstBuiltInRuleThatMatches(String path, String template, String slotValue) {
        try (Store store = Store.inMemory()) {
            try (SourceLoad load = store.beginSource(new SourceSpec("t.log", "nginx", "combined", null, true))) {
                load.append(new RequestRow(1, T0, "c", null, "GET", path, null, "HTTP/1.1", 200, 10, Double.NaN,
                        Double.NaN, null, "UA", null, null));
                load.commit(1);
            }
            store.buildModel(ModelParams.defaults());

            assertThat(query(store, "SELECT template FROM endpoints")).containsExactly(List.of(template));
            List<List<Object>> values = query(store, "SELECT value FROM endpoint_values WHERE slot = 'path:1'");
            if (slotValue == null) {
                assertThat(values).isEmpty();
            } else {
                assertThat(values).containsExactly(List.of(slotValue));
            }
            assertThat(query(store, "SELECT path, requests FROM endpoint_paths")).containsExactly(List.of(path, 1L));
        }
    }

    private static Store storeWith(String... paths) {
        Store store = Store.inMemory();
        try (SourceLoad load = store.beginSource(new SourceSpec("t.log", "nginx", "combined", null, true))) {
            for (int i = 0; i < paths.length; i++) {
                load.append(new RequestRow(i + 1, T0 + i * 1_000_000L, "c", null, "GET", paths[i], null, "HTTP/1.1",
                        200, 10, Double.NaN, Double.NaN, null, "UA", null, null));
            }
            load.commit(paths.length);
        }
        return store;
    }

    @Test
    void userRulesComeBeforeTheBuiltInOnesByPriority() {
        try (Store store = storeWith("/p/ABC-1234", "/p/XY-9", "/v1/items", "/v2/items", "/reports/2026-03-14")) {
            store.execute("INSERT INTO template_rules VALUES (20, '[A-Z]+-[0-9]+', '{never}'), "
                    + "(10, '[A-Z]{3}-[0-9]+', '{sku}'), (30, 'v[0-9]+', 'vN'), "
                    + "(40, '2026-03-14', 'launch-day')", null);
            store.buildModel(ModelParams.defaults());

            assertThat(query(store, "SELECT template, requests FROM endpoints ORDER BY template")).containsExactly(
                    List.of("/p/{never}", 1L), List.of("/p/{sku}", 1L), List.of("/reports/launch-day", 1L),
                    List.of("/vN/items", 2L));
            assertThat(query(store, "SELECT e.template, v.value FROM endpoint_values v JOIN endpoints e USING (endpoint_id) "
                    + "WHERE v.slot = 'path:1' ORDER BY v.value")).containsExactly(
                    List.of("/p/{sku}", "ABC-1234"), List.of("/p/{never}", "XY-9"));
        }
    }

    @Test
    void refusesABrokenRuleNamingTheRow() {
        try (Store store = storeWith("/a")) {
            store.execute("INSERT INTO template_rules VALUES (1, '[unclosed', '{x}'), (2, 'a', 'x/y')", null);

            assertThatThrownBy(() -> store.buildModel(ModelParams.defaults()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("template_rules row (priority=1, pattern='[unclosed'): pattern is not a valid "
                            + "regular expression")
                    .hasMessageContaining("template_rules row (priority=2, pattern='a'): replacement 'x/y' contains '/'");
        }
    }
}
