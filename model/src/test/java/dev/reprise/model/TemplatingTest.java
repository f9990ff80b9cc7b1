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

    /** A store with one GET per target; a target may carry a query string after '?'. */
    private static Store storeWith(String... targets) {
        Store store = Store.inMemory();
        try (SourceLoad load = store.beginSource(new SourceSpec("t.log", "nginx", "combined", null, true))) {
            for (int i = 0; i < targets.length; i++) {
                int q = targets[i].indexOf('?');
                String path = q < 0 ? targets[i] : targets[i].substring(0, q);
                String query = q < 0 ? null : targets[i].substring(q + 1);
                load.append(new RequestRow(i + 1, T0 + i * 1_000_000L, "c", null, "GET", path, query, "HTTP/1.1",
                        200, 10, Double.NaN, Double.NaN, null, "UA", null, null));
            }
            load.commit(targets.length);
        }
        return store;
    }

    private static final String[] SEARCHES = {"/search?q=shoes", "/search?q=shoes&page=2", "/search?q=hats",
            "/search?category=3", "/search?page=2&category=3&utm=x", "/search", "/search?debug&q=a%20b",
            "/products/7?q=x"};

    @Test
    void queryParametersStayOutOfTheEndpointUnlessConfigured() {
        try (Store store = storeWith(SEARCHES)) {
            store.buildModel(ModelParams.defaults());

            assertThat(query(store, "SELECT template, requests FROM endpoints ORDER BY template")).containsExactly(
                    List.of("/products/{id}", 1L), List.of("/search", 7L));
            assertThat(query(store, "SELECT value, count FROM endpoint_values v JOIN endpoints e USING (endpoint_id) "
                    + "WHERE e.template = '/search' AND slot = 'query' ORDER BY value")).containsExactly(
                    List.of("", 1L), List.of("category=3", 1L), List.of("debug&q=a%20b", 1L),
                    List.of("page=2&category=3&utm=x", 1L), List.of("q=hats", 1L), List.of("q=shoes", 1L),
                    List.of("q=shoes&page=2", 1L));
            assertThat(query(store, "SELECT count(*) FROM model_params WHERE name = 'query_params'"))
                    .containsExactly(List.of(0L));
        }
    }

    @Test
    void namedQueryParametersSplitEndpointsAndTheirValuesBecomeSlots() {
        try (Store store = storeWith(SEARCHES)) {
            store.buildModel(ModelParams.defaults().withQueryParams("q, category"));

            assertThat(query(store, "SELECT template, requests FROM endpoints ORDER BY template")).containsExactly(
                    List.of("/products/{id}?q={q}", 1L), List.of("/search", 1L),
                    List.of("/search?category={category}", 2L), List.of("/search?q={q}", 4L));
            assertThat(query(store, "SELECT e.template, v.slot, v.value, v.count FROM endpoint_values v "
                    + "JOIN endpoints e USING (endpoint_id) ORDER BY e.template, v.slot, v.value")).containsExactly(
                    List.of("/products/{id}?q={q}", "path:1", "7", 1L),
                    List.of("/products/{id}?q={q}", "query", "", 1L),
                    List.of("/products/{id}?q={q}", "query:q", "x", 1L),
                    List.of("/search", "query", "", 1L),
                    List.of("/search?category={category}", "query", "", 1L),
                    List.of("/search?category={category}", "query", "page=2&utm=x", 1L),
                    List.of("/search?category={category}", "query:category", "3", 2L),
                    List.of("/search?q={q}", "query", "", 2L),
                    List.of("/search?q={q}", "query", "debug", 1L),
                    List.of("/search?q={q}", "query", "page=2", 1L),
                    List.of("/search?q={q}", "query:q", "a%20b", 1L),
                    List.of("/search?q={q}", "query:q", "hats", 1L),
                    List.of("/search?q={q}", "query:q", "shoes", 2L));
            assertThat(query(store, "SELECT value FROM model_params WHERE name = 'query_params'"))
                    .containsExactly(List.of("q,category"));
        }
    }

    @Test
    void aStarMakesEveryQueryParameterNamePartOfTheEndpoint() {
        try (Store store = storeWith(SEARCHES)) {
            store.buildModel(ModelParams.defaults().withQueryParams("*"));

            assertThat(query(store, "SELECT template FROM endpoints WHERE template LIKE '/search%' ORDER BY template"))
                    .containsExactly(List.of("/search"), List.of("/search?category={category}"),
                            List.of("/search?category={category}&page={page}&utm={utm}"),
                            List.of("/search?debug&q={q}"), List.of("/search?page={page}&q={q}"),
                            List.of("/search?q={q}"));
            assertThat(query(store, "SELECT DISTINCT value FROM endpoint_values WHERE slot = 'query'"))
                    .containsExactly(List.of(""));
        }
    }

    @Test
    void refusesQueryParameterNamesThatCannotBePlaceholders() {
        assertThatThrownBy(() -> ModelParams.defaults().withQueryParams("q,{x}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 'q,{x}'");
        assertThatThrownBy(() -> ModelParams.defaults().withQueryParams("q,,page"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsWhichRuleProducedEachPartOfATemplate() {
        try (Store store = storeWith("/p/ABC-1234/reviews/5", "/p/XYZ-9/reviews/6", "/v1/items",
                "/reports/2026-03-14", "/about", "/search?q=a")) {
            store.execute("INSERT INTO template_rules VALUES (10, '[A-Z]{3}-[0-9]+', '{sku}'), (30, 'v[0-9]+', 'vN')",
                    null);
            store.buildModel(ModelParams.defaults().withQueryParams("q"));

            assertThat(query(store, "SELECT e.template, r.part, r.rule, r.requests FROM endpoint_rules r "
                    + "JOIN endpoints e USING (endpoint_id) ORDER BY e.template, r.part")).containsExactly(
                    List.of("/p/{sku}/reviews/{id}", "{id}", "built-in numeric id", 2L),
                    List.of("/p/{sku}/reviews/{id}", "{sku}", "template_rules priority 10 '[A-Z]{3}-[0-9]+'", 2L),
                    List.of("/reports/{date}", "{date}", "built-in date", 1L),
                    List.of("/search?q={q}", "{q}", "query_params 'q'", 1L),
                    List.of("/vN/items", "vN", "template_rules priority 30 'v[0-9]+'", 1L));

            StringBuilder shown = new StringBuilder();
            store.showModel("templates", new Store.RowSink() {
                @Override
                public void columns(List<String> names, List<String> types) {
                    shown.append(String.join("|", names)).append('\n');
                }

                @Override
                public void row(List<Object> values) {
                    shown.append(values.get(1)).append('|').append(values.get(3)).append('\n');
                }
            });
            assertThat(shown.toString()).contains("id|endpoint|requests|rules|distinct_values|top_paths",
                    "GET /p/{sku}/reviews/{id}|{id} <- built-in numeric id; "
                            + "{sku} <- template_rules priority 10 '[A-Z]{3}-[0-9]+'",
                    "GET /about|(literal)", "GET /search?q={q}|{q} <- query_params 'q'");
        }
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
