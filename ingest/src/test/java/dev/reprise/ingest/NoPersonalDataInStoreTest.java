package dev.reprise.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.ingest.anon.Anonymizer;
import dev.reprise.model.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 3: with anonymization on (the default), no raw client address or e-mail reaches the store. */
class NoPersonalDataInStoreTest {
    private static final List<String> SECRETS = List.of("203.0.113.77", "2001:db8::42", "198.51.100.23", "192.0.2.200",
            "alice@example.com", "bob%40example.org", "carol@example.net", "dave@example.com", "4111111111111111",
            "s3cr3t-t0k3n", "hunter2", "sess-abc-123", "erin@example.com");

    @TempDir
    Path dir;

    @Test
    void noRawClientAddressEmailCardNumberOrSecretParameterIsAnywhereInTheStore() throws IOException {
        String format = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
                + "\"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\" $cookie_sid";
        Path log = dir.resolve("access.log");
        Files.writeString(log, String.join("\n",
                "203.0.113.77 - alice@example.com [14/Mar/2026:13:05:12 +0000] \"GET /users/alice@example.com/orders"
                        + "?email=bob%40example.org&token=s3cr3t-t0k3n&page=2 HTTP/1.1\" 200 512 "
                        + "\"https://shop.example.com/profile?mail=carol@example.net\" \"Mozilla/5.0 (dave@example.com)\" "
                        + "\"198.51.100.23, 192.0.2.200\" sess-abc-123",
                "2001:db8::42 - - [14/Mar/2026:13:05:13 +0000] \"POST /pay/4111111111111111/confirm?password=hunter2 "
                        + "HTTP/1.1\" 302 0 \"-\" \"curl/8.5.0\" \"-\" -",
                "203.0.113.77 - - [14/Mar/2026:13:05:14 +0000] \"GET /x?contact=erin@example.com HTTP/1.1\" 2x0 0 \"-\" \"-\" \"-\" -")
                + "\n", StandardCharsets.UTF_8);
        Path db = dir.resolve("s.duckdb");

        try (Store store = Store.open(db)) {
            IngestReport report = NginxIngest.ingest(store, List.of(log), NginxOptions.defaults().withFormat(format),
                    IngestProgress.NONE);
            assertThat(report.rowsLoaded()).isEqualTo(2);
            assertThat(report.rowsRejected()).isEqualTo(1);

            StringBuilder everything = new StringBuilder();
            for (List<Object> table : store.queryRows("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'")) {
                for (List<Object> row : store.queryRows("SELECT * FROM \"" + table.get(0) + "\"")) {
                    everything.append(table.get(0)).append(": ").append(row).append('\n');
                }
            }
            String dump = everything.toString();
            assertThat(dump).contains("/orders", "page=2", "/confirm"); // the rows are there, masked
            for (String secret : SECRETS) {
                assertThat(dump).as("the store must not hold '%s'", secret).doesNotContain(secret);
            }
            // masked values stay joinable: the same e-mail gives the same pseudonym
            Anonymizer anonymizer = Anonymizer.withKey(store.anonymizationKey());
            assertThat(dump).contains(anonymizer.pseudonym("alice@example.com"));
        }
    }
}
