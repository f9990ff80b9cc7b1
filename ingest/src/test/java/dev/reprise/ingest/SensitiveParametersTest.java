package dev.reprise.ingest;

import static dev.reprise.ingest.StoreRows.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.ingest.anon.Anonymizer;
import dev.reprise.model.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 3: the sensitive query parameter list is configurable and kept in the store. */
class SensitiveParametersTest {
    private static final String LINE = "192.0.2.1 - - [14/Mar/2026:13:05:12 +0000] "
            + "\"GET /pay?order_ref=A-77&monkey=banana&token=t0k HTTP/1.1\" 200 1 \"-\" \"-\"\n";

    @TempDir
    Path dir;

    @Test
    void masksTheAddedParametersAndSparesTheRemovedOnesInEveryLaterIngest() throws IOException {
        Path db = dir.resolve("s.duckdb");
        Path first = Files.writeString(dir.resolve("a.log"), LINE);
        Path second = Files.writeString(dir.resolve("b.log"), LINE.replace("A-77", "A-78"));
        try (Store store = Store.open(db)) {
            List<String> parts = SensitiveParameters.configure(store, "order_ref, -key");
            NginxIngest.ingest(store, List.of(first), NginxOptions.defaults(), IngestProgress.NONE);

            assertThat(parts).contains("order_ref", "token").doesNotContain("key");
            assertThat((String) single(store, "SELECT query FROM requests"))
                    .matches("order_ref=[0-9a-f]{16}&monkey=banana&token=[0-9a-f]{16}");
        }
        try (Store reopened = Store.open(db)) {
            NginxIngest.ingest(reopened, List.of(second), NginxOptions.defaults(), IngestProgress.NONE);

            assertThat(SensitiveParameters.of(reopened)).isEqualTo(SensitiveParameters.parse("order_ref,-key"));
            assertThat((String) single(reopened, "SELECT query FROM requests WHERE source_id = 2"))
                    .doesNotContain("A-78").contains("monkey=banana");
        }
    }

    @Test
    void usesTheBuiltInListUntilConfiguredAndNoneMasksNothing() throws IOException {
        Path log = Files.writeString(dir.resolve("a.log"), LINE);
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            assertThat(SensitiveParameters.of(store)).isEqualTo(Anonymizer.SENSITIVE_PARAMETER_PARTS);
            SensitiveParameters.configure(store, "none");
            NginxIngest.ingest(store, List.of(log), NginxOptions.defaults(), IngestProgress.NONE);

            assertThat(single(store, "SELECT query FROM requests")).isEqualTo("order_ref=A-77&monkey=banana&token=t0k");
        }
    }

    @Test
    void appliesToCsvExportsToo() throws IOException {
        Path csv = Files.writeString(dir.resolve("e.csv"), "1773493512,/pay?order_ref=A-77&page=1\n");
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            SensitiveParameters.configure(store, "order_ref");
            CsvIngest.ingest(store, List.of(csv), CsvOptions.of(dev.reprise.ingest.record.FieldMapping.parse(
                    "ts=1,target=2")), IngestProgress.NONE);

            assertThat((String) single(store, "SELECT query FROM requests")).matches("order_ref=[0-9a-f]{16}&page=1");
        }
    }

    @Test
    void refusesAnEmptyNameOrRemovingAPartThatIsNotThere() {
        assertThatThrownBy(() -> SensitiveParameters.parse("a,,b")).isInstanceOf(IngestException.class)
                .hasMessageContaining("has an empty name");
        assertThatThrownBy(() -> SensitiveParameters.parse("-colour")).isInstanceOf(IngestException.class)
                .hasMessageStartingWith("--sensitive-params: -colour is not in the built-in list (token, password,");
    }
}
