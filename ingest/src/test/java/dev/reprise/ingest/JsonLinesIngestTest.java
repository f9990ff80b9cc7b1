package dev.reprise.ingest;

import static dev.reprise.ingest.StoreRows.count;
import static dev.reprise.ingest.StoreRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.ingest.IngestReport.FileResult;
import dev.reprise.ingest.nginx.LogFormat;
import dev.reprise.ingest.nginx.NginxConf;
import dev.reprise.ingest.record.FieldMapping;
import dev.reprise.model.Store;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON-lines logs (nginx escape=json objects and other JSON exports) through a field mapping. */
class JsonLinesIngestTest {
    @TempDir
    Path dir;

    @Test
    void readsWhatAnEscapeJsonFormatWroteWithTheMappingTakenFromTheFormat() throws IOException, URISyntaxException {
        Path conf = Path.of(Objects.requireNonNull(getClass().getResource("/issue-3/nginx.conf")).toURI());
        FieldMapping mapping = FieldMapping.fromJsonLogFormat(LogFormat.parse(NginxConf.directive(conf, "json_combined")));
        assertThat(mapping.toString()).isEqualTo("ts=time_local,client=remote_addr,request=request,status=status,"
                + "bytes=body_bytes_sent,request_time=request_time,referer=http_referrer,user_agent=http_user_agent");
        Path log = Files.writeString(dir.resolve("access.json"), """
                {"time_local":"14/Mar/2026:13:05:12 +0100","remote_addr":"192.0.2.1","request":"GET /a?q=x\\"y HTTP/1.1","status": "200","body_bytes_sent":"512","request_time":"0.004","http_referrer":"","http_user_agent":"curl\\/8.5"}
                {"remote_addr":"192.0.2.2", "time_local":"14/Mar/2026:13:05:13 +0100", "request":"POST /b HTTP/2.0", "status":201, "body_bytes_sent":0, "request_time":0.25, "http_referrer":"-", "http_user_agent":"x", "upstream":{"addr":"10.0.0.1:80"}}

                {"time_local":"14/Mar/2026:13:05:14 +0100","remote_addr":"192.0.2.3","request":"GET /c HTTP/1.1","status":"200"
                not json at all
                {"time_local":"-","remote_addr":"192.0.2.4","request":"GET /d HTTP/1.1","status":"200"}
                {"time_local":"14/Mar/2026:13:05:15 +0100","remote_addr":"192.0.2.5","request":"","status":"400"}
                ["an", "array"]
                """);
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            FileResult result = JsonLinesIngest.ingest(store, List.of(log), JsonLinesOptions.of(mapping).withAnonymize(false),
                    IngestProgress.NONE).files().get(0);

            assertThat(result.summary().linesRead()).isEqualTo(8);
            assertThat(query(store, "SELECT line_no, reason FROM rejects ORDER BY line_no")).containsExactly(
                    List.of(3L, "empty_line"), List.of(4L, "bad_json"), List.of(5L, "bad_json"),
                    List.of(6L, "bad_timestamp"), List.of(7L, "empty_request"), List.of(8L, "bad_json"));
            assertThat(query(store, "SELECT line_no, CAST(ts AS VARCHAR), client, method, path, query, protocol, "
                    + "CAST(status AS INTEGER), bytes, duration_ms, referer, user_agent, extra FROM requests ORDER BY line_no"))
                    .containsExactly(
                            Arrays.asList(1L, "2026-03-14 12:05:12+00", "192.0.2.1", "GET", "/a", "q=x\"y", "HTTP/1.1",
                                    200, 512L, 4.0, null, "curl/8.5", null),
                            Arrays.asList(2L, "2026-03-14 12:05:13+00", "192.0.2.2", "POST", "/b", null, "HTTP/2.0",
                                    201, 0L, 250.0, null, "x", "{\"upstream\": \"{\\\"addr\\\":\\\"10.0.0.1:80\\\"}\"}"));
            assertThat(query(store, "SELECT kind FROM sources")).containsExactly(List.of("jsonl"));
        }
    }

    @Test
    void mapsAnyKeysAndAnonymizesThem() throws IOException {
        Path log = Files.writeString(dir.resolve("events.jsonl"), """
                {"@timestamp":"2026-03-14T13:05:12.250Z","ip":"2001:db8::7","url":"https://api.example.com/v1/users?email=jane@example.com&page=2","code":200,"sid":"s-123"}
                {"@timestamp":"oops","ip":"198.51.100.9","url":"/x","code":200}
                """);
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            JsonLinesIngest.ingest(store, List.of(log), JsonLinesOptions.of(FieldMapping.parse(
                    "ts=@timestamp,client=ip,url=url,status=code,session=sid")), IngestProgress.NONE);

            assertThat(query(store, "SELECT CAST(ts AS VARCHAR), host, path, length(client), length(session_hint) "
                    + "FROM requests")).containsExactly(List.of("2026-03-14 13:05:12.25+00", "api.example.com",
                    "/v1/users", 16L, 16L));
            String everything = query(store, "SELECT * FROM requests").toString() + query(store, "SELECT * FROM rejects");
            assertThat(everything).doesNotContain("2001:db8::7", "198.51.100.9", "jane@example.com", "s-123")
                    .contains("page=2");
        }
    }

    @Test
    void refusesAMappingUnderWhichNoLineLoadsAndNamesTheKeys() throws IOException {
        Path log = Files.writeString(dir.resolve("events.jsonl"), "{\"when\":\"2026-03-14T13:05:12Z\",\"path\":\"/a\"}\n");
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            assertThatThrownBy(() -> JsonLinesIngest.ingest(store, List.of(log),
                    JsonLinesOptions.of(FieldMapping.parse("ts=time,path=path")).withAnonymize(false), IngestProgress.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessage("events.jsonl:1: bad_timestamp in '{\"when\":\"2026-03-14T13:05:12Z\",\"path\":\"/a\"}' "
                            + "(keys: when, path) (no line of the file loads; check --map and --ts-format)");
            assertThat(count(store, "SELECT count(*) FROM sources")).isZero();
        }
    }

    @Test
    void refusesAFormatThatIsNotAJsonObject() {
        assertThatThrownBy(() -> FieldMapping.fromJsonLogFormat(LogFormat.parse("combined")))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("is not a JSON object of \"key\":\"$variable\" pairs: $remote_addr has no key");
    }
}
