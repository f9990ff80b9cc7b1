package dev.reprise.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    Path dir;

    @Test
    void createsTheSchemaAtTheLatestVersion() {
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            assertThat(store.schemaVersion()).isEqualTo(Store.latestSchemaVersion());
            assertThat(query(store, "SELECT count(*) FROM requests")).containsExactly(List.of(0L));
        }
    }

    @Test
    void reopensAnExistingStoreWithoutReapplyingMigrations() {
        Path file = dir.resolve("s.duckdb");
        try (Store store = Store.open(file)) {
            store.execute("INSERT INTO model_params VALUES ('x', 'y')", null);
        }
        try (Store store = Store.open(file)) {
            assertThat(query(store, "SELECT value FROM model_params")).containsExactly(List.of("y"));
            assertThat(query(store, "SELECT count(*) FROM schema_migrations"))
                    .containsExactly(List.of((long) Store.latestSchemaVersion()));
        }
    }

    @Test
    void refusesAStoreWrittenByANewerReprise() throws Exception {
        Path file = dir.resolve("s.duckdb");
        Store.open(file).close();
        try (var c = DriverManager.getConnection("jdbc:duckdb:" + file); var st = c.createStatement()) {
            st.execute("INSERT INTO schema_migrations VALUES (999, 'future.sql', now())");
        }
        assertThatThrownBy(() -> Store.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 999")
                .hasMessageContaining("newer Reprise");
    }

    @Test
    void refusesAFileThatIsNotAStore() throws Exception {
        Path file = dir.resolve("notes.duckdb");
        java.nio.file.Files.writeString(file, "this is not a database\n");
        assertThatThrownBy(() -> Store.open(file)).isInstanceOf(StoreException.class).hasMessageContaining("notes.duckdb");
    }

    @Test
    void aSourceLoadIsAllOrNothing() {
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            try (SourceLoad load = store.beginSource(new SourceSpec("/logs/a.log", "nginx", "combined", "f1", true))) {
                load.append(row(1, 0, "GET", "/a"));
                load.reject(2, "bad_request_line", "garbage\u0001line");
                // closed without commit: rolled back
            }
            assertThat(query(store, "SELECT count(*) FROM requests")).containsExactly(List.of(0L));
            assertThat(query(store, "SELECT count(*) FROM sources")).containsExactly(List.of(0L));

            SourceSummary summary;
            try (SourceLoad load = store.beginSource(new SourceSpec("/logs/a.log", "nginx", "combined", "f1", true))) {
                load.append(row(1, 0, "GET", "/a"));
                load.reject(2, "bad_request_line", "garbage\u0001line");
                summary = load.commit(2);
            }
            assertThat(summary.rowsLoaded()).isEqualTo(1);
            assertThat(summary.rejectsByReason()).containsEntry("bad_request_line", 1L);
            assertThat(query(store, "SELECT line_no, reason, raw FROM rejects"))
                    .containsExactly(List.of(2L, "bad_request_line", "garbage\\x01line"));
            assertThat(query(store, "SELECT lines_read, rows_loaded, rows_rejected FROM sources"))
                    .containsExactly(List.of(2L, 1L, 1L));
            assertThat(store.findLoadedSource("f1")).contains(summary.sourceId());
        }
    }

    @Test
    void roundTripsEveryRequestColumn() {
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            try (SourceLoad load = store.beginSource(new SourceSpec("a.log", "nginx", "x", null, false))) {
                load.append(new RequestRow(7, 1_700_000_000_123_456L, "c1", "s1", "POST", "/p", "a=1", "HTTP/1.1",
                        201, 99, 12.5, 3.25, "https://r/", "UA \"x\"", "h.example", "{\"k\":\"v\"}"));
                load.append(new RequestRow(8, 1_700_000_001_000_000L, null, null, "GET", "/", null, null,
                        -1, -1, Double.NaN, Double.NaN, null, null, null, null));
                load.commit(2);
            }
            List<List<Object>> rows = query(store, "SELECT line_no, epoch_us(ts), client, session_hint, method, path, "
                    + "query, protocol, status, bytes, duration_ms, upstream_ms, referer, user_agent, host, "
                    + "extra->>'k' FROM requests ORDER BY line_no");
            assertThat(rows.get(0)).containsExactly(7L, 1_700_000_000_123_456L, "c1", "s1", "POST", "/p", "a=1",
                    "HTTP/1.1", (short) 201, 99L, 12.5, 3.25, "https://r/", "UA \"x\"", "h.example", "v");
            assertThat(rows.get(1)).containsExactly(8L, 1_700_000_001_000_000L, null, null, "GET", "/", null, null,
                    null, null, null, null, null, null, null, null);
            assertThat(rows).hasSize(2);
        }
    }

    @Test
    void aReusedBatchCarriesNoValueOfItsPreviousFill() {
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            List<List<Object>> threadsBefore = query(store, "SELECT current_setting('threads')");
            try (SourceLoad load = store.beginSource(new SourceSpec("a.log", "nginx", "x", null, false));
                 RequestBatch batch = load.newBatch()) {
                batch.add(new RequestRow(1, 1_000_000L, "c1", "s1", "POST", "/first/long/path/to/grow/the/buffer",
                        "a=1", "HTTP/1.1", 201, 99, 12.5, 3.25, "https://r/", "UA ".repeat(100), "h", "{\"k\":1}"));
                batch.add(new RequestRow(2, 2_000_000L, null, null, "GET", "/2", null, null, -1, -1, Double.NaN,
                        Double.NaN, null, null, null, null));
                load.append(batch);
                batch.clear();
                // the same slots again, with the absent values where the first fill had values
                batch.add(new RequestRow(3, 3_000_000L, null, null, "GET", "/3", null, null, -1, -1, Double.NaN,
                        Double.NaN, null, null, null, null));
                batch.add(new RequestRow(4, 4_000_000L, "c4", null, "PUT", "/4", "b=2", "HTTP/2.0", 204, 0, 0.5,
                        Double.NaN, null, "caf\u00e9", null, null));
                load.append(batch);
                batch.clear();
                load.append(batch); // an empty batch inserts nothing
                load.commit(4);
            }
            assertThat(query(store, "SELECT line_no, epoch_us(ts), client, session_hint, method, path, query, protocol, "
                    + "status, bytes, duration_ms, upstream_ms, referer, length(user_agent), host, extra->>'k' "
                    + "FROM requests ORDER BY line_no")).containsExactly(
                    List.of(1L, 1_000_000L, "c1", "s1", "POST", "/first/long/path/to/grow/the/buffer", "a=1",
                            "HTTP/1.1", (short) 201, 99L, 12.5, 3.25, "https://r/", 300L, "h", "1"),
                    Arrays.asList(2L, 2_000_000L, null, null, "GET", "/2", null, null, null, null, null, null, null,
                            null, null, null),
                    Arrays.asList(3L, 3_000_000L, null, null, "GET", "/3", null, null, null, null, null, null, null,
                            null, null, null),
                    Arrays.asList(4L, 4_000_000L, "c4", null, "PUT", "/4", "b=2", "HTTP/2.0", (short) 204, 0L, 0.5,
                            null, null, 4L, null, null));
            assertThat(query(store, "SELECT rows_loaded FROM sources")).containsExactly(List.of(4L));
            assertThat(query(store, "SELECT count(*) FROM duckdb_views() WHERE view_name LIKE 'reprise%'"))
                    .as("no view of a released Arrow stream is left behind").containsExactly(List.of(0L));
            assertThat(query(store, "SELECT current_setting('threads')")).as("DuckDB's threads are back")
                    .isEqualTo(threadsBefore);
        }
    }

    @Test
    void roundTripsTextWithControlCharactersQuotesAndNonAsciiCharacters() {
        String[] texts = {"", "tab\there", "quote \" and \"\"", "line\nbreak", "cr\r\n", "nul\u0000byte", "\\N",
            "back\\slash", "caf\u00e9 \u20ac \ud83d\ude00", "\ufffd", "\"", " lead and trail ",
            "-", "null", "NULL"};
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            try (SourceLoad load = store.beginSource(new SourceSpec("a.log", "nginx", "x", null, false))) {
                for (int i = 0; i < texts.length; i++) {
                    load.append(new RequestRow(i + 1, 1_700_000_000_000_000L + i, texts[i], null, "GET", "/" + texts[i],
                            texts[i], null, 200, 0, 0.000_01 * (i + 1), 123_456.789 + i, null, texts[i], null, null));
                }
                load.reject(100, "bad_request_line", "tab\tquote\"");
                load.commit(texts.length + 1);
            }
            List<List<Object>> rows = query(store, "SELECT client, path, query, user_agent, duration_ms, upstream_ms "
                    + "FROM requests ORDER BY line_no");
            assertThat(rows).hasSize(texts.length);
            for (int i = 0; i < texts.length; i++) {
                String expected = texts[i];
                assertThat(rows.get(i)).as("row %d", i + 1).containsExactly(expected, "/" + expected, expected, expected,
                        0.000_01 * (i + 1), 123_456.789 + i);
            }
            assertThat(query(store, "SELECT raw FROM rejects")).containsExactly(List.of("tab\\x09quote\""));
        }
    }

    @Test
    void loadsEveryRowAndRejectOfALargeSource() {
        int rows = 300_017;
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            SourceSummary summary;
            try (SourceLoad load = store.beginSource(new SourceSpec("big.log", "nginx", "x", "big", true))) {
                for (int i = 1; i <= rows; i++) {
                    if (i == 7) {
                        load.reject(i, "a_rare_reason", "line " + i);
                    } else if (i % 1000 == 0) {
                        load.reject(i, "bad_status", "line " + i);
                    } else {
                        load.append(row(i, i, "GET", "/p/" + i));
                    }
                }
                summary = load.commit(rows);
            }
            long rejected = rows / 1000 + 1;
            assertThat(summary.rowsLoaded()).isEqualTo(rows - rejected);
            assertThat(summary.rejectsByReason().keySet()).as("most frequent first")
                    .containsExactly("bad_status", "a_rare_reason");
            assertThat(query(store, "SELECT count(*), count(DISTINCT line_no), min(line_no), max(line_no), "
                    + "count_if(path = '/p/' || line_no)::BIGINT FROM requests"))
                    .containsExactly(List.of(rows - rejected, rows - rejected, 1L, (long) rows, rows - rejected));
            assertThat(query(store, "SELECT count(*) FROM rejects WHERE raw = 'line ' || line_no"))
                    .containsExactly(List.of(rejected));
        }
    }

    @Test
    void aReplacingLoadThatDoesNotCommitLeavesTheOldSourceWhole() {
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            try (SourceLoad load = store.beginSource(new SourceSpec("/logs/a.log", "nginx", "combined", "f1", true))) {
                load.append(row(1, 0, "GET", "/old"));
                load.commit(1);
            }
            try (SourceLoad load = store.beginSourceReplacing(
                    new SourceSpec("/logs/a.log", "nginx", "combined", "f1", true), 1)) {
                load.append(row(1, 0, "GET", "/new"));
                // abandoned (as by a crash): rolled back, the deletion of source 1 included
            }
            assertThat(query(store, "SELECT source_id, path FROM requests")).containsExactly(List.of(1, "/old"));
            try (SourceLoad load = store.beginSourceReplacing(
                    new SourceSpec("/logs/a.log", "nginx", "combined", "f1", true), 1)) {
                load.append(row(1, 0, "GET", "/new"));
                load.commit(1);
            }
            assertThat(query(store, "SELECT path FROM requests")).containsExactly(List.of("/new"));
            assertThat(query(store, "SELECT count(*) FROM sources")).containsExactly(List.of(1L));
        }
    }

    @Test
    void keepsOneAnonymizationKeyPerStore() {
        Path file = dir.resolve("s.duckdb");
        byte[] first;
        try (Store store = Store.open(file)) {
            first = store.anonymizationKey();
            assertThat(first).hasSize(32);
        }
        try (Store store = Store.open(file)) {
            assertThat(store.anonymizationKey()).isEqualTo(first);
        }
    }

    @Test
    void reportsRowsChangedByAnUpdate() {
        try (Store store = Store.inMemory()) {
            store.execute("INSERT INTO model_params VALUES ('a', '1'), ('b', '2')", null);
            assertThat(store.execute("UPDATE model_params SET value = '3'", null)).isEqualTo(2);
        }
    }

    @Test
    void namesTheStoreAndTheProblemInSqlErrors() {
        try (Store store = Store.inMemory()) {
            assertThatThrownBy(() -> store.execute("SELECT * FROM no_such_table", null))
                    .isInstanceOf(StoreException.class).hasMessageContaining("no_such_table");
        }
    }

    static RequestRow row(long lineNo, long secondOffset, String method, String path) {
        return new RequestRow(lineNo, 1_773_446_400_000_000L + secondOffset * 1_000_000L, "client", null, method, path,
                null, "HTTP/1.1", 200, 100, Double.NaN, Double.NaN, null, "UA", null, null);
    }

    static List<List<Object>> query(Store store, String sql) {
        return store.queryRows(sql);
    }
}
