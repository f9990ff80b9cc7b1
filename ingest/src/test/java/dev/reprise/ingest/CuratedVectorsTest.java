package dev.reprise.ingest;

import static dev.reprise.ingest.StoreRows.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.reprise.ingest.nginx.LineParser;
import dev.reprise.ingest.nginx.LogFormat;
import dev.reprise.ingest.nginx.RejectReason;
import dev.reprise.ingest.record.FieldMapping;
import dev.reprise.model.RequestRow;
import dev.reprise.model.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser vectors other projects test with (src/test/resources/vectors/curated_vectors.jsonl,
 * transcribed in Reprise's shared realdata): every line parses to the fields its upstream test
 * expects, or is rejected where {@code _error} says so.
 *
 * <p>The vectors name their formats in several dialects (nginx, Apache LogFormat, grok names, prose
 * such as "nginx: $host $remote_addr - ..."), so {@link #FORMATS} gives each the nginx log_format
 * that writes its line. Expected field names are the upstream projects' own ({@code source.ip},
 * {@code http_version}, {@code uri}); {@link #actual} reads each from a row. A few vectors expect
 * fields of a line that has no request (an empty, {@code "-"}, one-word or TLS request line):
 * Reprise keeps such a line in {@code rejects} with its reason (a request it cannot replay), which
 * {@link #REJECTED} lists.
 */
class CuratedVectorsTest {
    private static final String INGRESS = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
            + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_length $request_time "
            + "[$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length "
            + "$upstream_response_time $upstream_status $req_id";
    private static final String HOST_PREFIXED = "$host $remote_addr - $remote_user [$time_local] \"$request\" $status "
            + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\"";
    private static final String UPSTREAM_PREFIX = "[01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" ";

    /** The nginx log_format of each vector whose "format" is not one already. */
    private static final Map<String, String> FORMATS = Map.ofEntries(
            Map.entry("basjes-tls-handshake", "$remote_addr $http_host $remote_user [$time_local] \"$request\" $status "
                    + "$bytes_sent \"$http_referer\" \"$http_user_agent\" $http_content_length $pid $server_addr"),
            Map.entry("basjes-bad-uri-:@bxss.me::80/rpb.png", "common"),
            Map.entry("basjes-bad-uri-@bxss.me::80/rpb.png", "common"),
            Map.entry("basjes-bad-uri-:@bxss.me/rpb.png", "common"),
            Map.entry("basjes-apache-vs-nginx-equivalence", "combined"),
            // the vector's format logs no time and no request, which a request row needs: the same
            // two values follow a time and a request here
            Map.entry("basjes-upstream-lists", "[$time_local] \"$request\" \"$upstream_addr\" \"$upstream_bytes_received\""),
            Map.entry("logstash-combined", "combined"),
            Map.entry("logstash-email-auth-empty-referrer", "combined"),
            Map.entry("logstash-status-dash", "combined"),
            Map.entry("elastic-xff-list-first-is-client", "combined"),
            Map.entry("elastic-quoted-xff-then-addr", "\"$http_x_forwarded_for\" $remote_addr - $remote_user "
                    + "[$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\""),
            Map.entry("elastic-ipv6-in-xff", "$host $http_x_forwarded_for $remote_addr - $remote_user [$time_local] "
                    + "\"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\""),
            Map.entry("elastic-empty-request-400", "$host:$server_port $remote_addr - $remote_user [$time_local] "
                    + "\"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\""),
            Map.entry("elastic-garbage-request-unix-socket", "$host:$server_port $remote_addr - $remote_user "
                    + "[$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\""),
            Map.entry("elastic-hostname-as-client", HOST_PREFIXED + " \"$http_x_forwarded_for\""),
            Map.entry("elastic-ingress-upstream-lists", INGRESS),
            Map.entry("elastic-ingress-bad-method", INGRESS),
            Map.entry("elastic-ingress-ipv6-bracketed-upstream", INGRESS),
            Map.entry("lnav-vhost-http2-trailing-field", "$host:$server_port $remote_addr $session_token $remote_user "
                    + "[$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" "
                    + "$request_time_us"));

    /** Vectors whose line has no request, kept in rejects with this reason. */
    private static final Map<String, RejectReason> REJECTED = Map.of(
            "gonx-empty-request", RejectReason.EMPTY_REQUEST,
            "basjes-tls-handshake", RejectReason.TLS_HANDSHAKE,
            "elastic-empty-request-400", RejectReason.EMPTY_REQUEST,
            "elastic-garbage-request-unix-socket", RejectReason.BAD_REQUEST_LINE,
            "lnav-dash-request", RejectReason.EMPTY_REQUEST);

    @TempDir
    Path dir;

    static Stream<Map<String, Object>> lineVectors() {
        return vectors().stream().filter(v -> v.get("line") != null);
    }

    @Test
    void coversEveryVectorOfTheFile() {
        List<String> ids = vectors().stream().map(v -> (String) v.get("id")).toList();

        assertThat(ids).hasSize(28).doesNotHaveDuplicates();
        assertThat(lineVectors().count()).isEqualTo(26);
        assertThat(ids).containsAll(FORMATS.keySet()).containsAll(REJECTED.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedLineVectors")
    void parsesEachLineToItsExpectedFieldsOrRejectsIt(String id, Map<String, Object> vector) {
        @SuppressWarnings("unchecked")
        Map<String, Object> expected = (Map<String, Object>) vector.get("expected");
        String format = FORMATS.getOrDefault(id, (String) vector.get("format"));
        String line = id.equals("basjes-upstream-lists") ? UPSTREAM_PREFIX + vector.get("line") : (String) vector.get("line");
        LineParser parser = LineParser.compile(LogFormat.parse(format), null);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);

        RequestRow row = parser.parse(bytes, 0, bytes.length, 1);

        if (Boolean.TRUE.equals(expected.get("_error"))) {
            assertThat(row).as("rejected").isNull();
            assertThat(parser.rejectReason()).isEqualTo(RejectReason.FORMAT_MISMATCH);
            return;
        }
        if (REJECTED.containsKey(id)) {
            assertThat(row).as("a line without a request").isNull();
            assertThat(parser.rejectReason()).isEqualTo(REJECTED.get(id));
            assertThat(parser.rejectedLine()).as("kept whole in rejects.raw").isNotEmpty();
            return;
        }
        assertThat(row).as("%s: %s", parser.rejectReason(), parser.describeReject(id, 1)).isNotNull();
        int checked = 0;
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            if (e.getKey().startsWith("_")) {
                continue;
            }
            Object want = e.getKey().equals("upstream_response_time") ? upstreamSum(e.getValue()) : normalize(e.getValue());
            assertThat(actual(e.getKey(), row)).as(e.getKey()).isEqualTo(want);
            checked++;
        }
        assertThat(checked).isPositive();
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> namedLineVectors() {
        return lineVectors().map(v -> org.junit.jupiter.params.provider.Arguments.of(v.get("id"), v));
    }

    @Test
    void joinsTheQuotedPiecesOfAMultiLineLogFormat() {
        Map<String, Object> vector = vector("gonx-nginx-conf-multiline-log_format");
        String directive = ((String) vector.get("format")).substring("nginx.conf: ".length());

        assertThat(LogFormat.parse(directive).text())
                .isEqualTo(((Map<?, ?>) vector.get("expected")).get("resolved_format"));
    }

    @Test
    void loadsTheEdgarSessionizationInputSoThatItsSessionsComeOutAsExpected() throws IOException {
        Path csv = resource("/vectors/insight-edgar-sessionization-log.csv");
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            IngestReport report = CsvIngest.ingest(store, List.of(csv), CsvOptions.of(FieldMapping.parse(
                    CsvIngestTest.EDGAR_MAP)).withAnonymize(false), IngestProgress.NONE);
            assertThat(report.rowsLoaded()).isEqualTo(10);

            // the exercise's rule: a session ends after more than 2 s (inactivity_period.txt) without a request
            List<List<Object>> sessions = query(store, """
                    WITH gaps AS (
                      SELECT client, ts, CASE WHEN ts - lag(ts) OVER (PARTITION BY client ORDER BY ts, line_no)
                                              > INTERVAL 2 SECOND THEN 1 ELSE 0 END AS starts
                      FROM requests),
                    numbered AS (SELECT client, ts, sum(starts) OVER (PARTITION BY client ORDER BY ts
                                  ROWS UNBOUNDED PRECEDING) AS session FROM gaps)
                    SELECT client || ',' || strftime(min(ts) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') || ','
                           || strftime(max(ts) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') || ','
                           || (epoch(max(ts)) - epoch(min(ts)) + 1)::BIGINT || ',' || count(*)
                    FROM numbered GROUP BY client, session""");
            List<String> expected = List.of(
                    "101.81.133.jja,2017-06-30 00:00:00,2017-06-30 00:00:00,1,1",
                    "108.91.91.hbc,2017-06-30 00:00:01,2017-06-30 00:00:01,1,1",
                    "107.23.85.jfd,2017-06-30 00:00:00,2017-06-30 00:00:03,4,4",
                    "106.120.173.jie,2017-06-30 00:00:02,2017-06-30 00:00:02,1,1",
                    "107.178.195.aag,2017-06-30 00:00:02,2017-06-30 00:00:04,3,2",
                    "108.91.91.hbc,2017-06-30 00:00:04,2017-06-30 00:00:04,1,1");
            assertThat(sessions.stream().map(r -> (String) r.get(0))).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** The value a vector's field name stands for, read from the row. */
    private static Object actual(String field, RequestRow row) {
        String target = row.query() == null ? row.path() : row.path() + "?" + row.query();
        Map<String, String> extra = extra(row.extraJson());
        List<String> clients = members(row.client());
        List<String> chain = new ArrayList<>(members(extra.get("http_x_forwarded_for")));
        chain.addAll(clients);
        return switch (field) {
            case "remote_addr", "client_ip" -> row.client();
            case "source.ip", "source.address" -> chain.get(0); // Elastic takes the first address of the chain
            case "remote_ip_list" -> List.copyOf(new LinkedHashSet<>(chain));
            case "destination.ip" -> row.host();
            case "destination.port" -> extra.get("server_port");
            case "remote_user", "auth" -> row.sessionHint();
            case "ident" -> null; // the '-' literal of the format
            case "time_local" -> Instant.EPOCH.plusNanos(row.tsEpochMicros() * 1000).toString();
            case "@timestamp" -> Instant.EPOCH.plusNanos(row.tsEpochMicros() * 1000).toString();
            case "epoch_ms" -> String.valueOf(row.tsEpochMicros() / 1000);
            case "method" -> row.method();
            case "request" -> row.method() + " " + target + (row.protocol() == null ? "" : " " + row.protocol());
            case "uri", "url" -> target;
            case "uri.host", "uri.port" -> row.host() == null ? null : row.host();
            case "uri.path", "uri.query" -> null; // an unparsable target stays whole in path
            case "query" -> row.query();
            case "referer.query" -> row.referer().substring(row.referer().indexOf('?') + 1);
            case "protocol" -> row.protocol();
            case "http_version" -> row.protocol() == null ? null : row.protocol().substring("HTTP/".length());
            case "status" -> row.status() < 0 ? null : String.valueOf(row.status());
            case "bytes", "body_bytes_sent" -> row.bytes() < 0 ? null : String.valueOf(row.bytes());
            case "referrer", "referer" -> row.referer();
            case "user_agent" -> row.userAgent();
            case "request_time" -> Double.isNaN(row.durationMs()) ? null : seconds(row.durationMs());
            case "upstream_response_time" -> Double.isNaN(row.upstreamMs()) ? null
                    : String.format(Locale.ROOT, "%.3f ms", row.upstreamMs()); // the members' sum
            case "upstream_addr", "upstream_status" -> extra.get(field) == null ? null : members(extra.get(field));
            case "upstream_addr.0", "upstream_addr.1", "upstream_addr.2", "upstream_addr.2.redirected",
                 "upstream_addr.3" -> upstreamMember(extra.get("upstream_addr"), field);
            case "upstream_bytes_received" -> redirectedGroups(extra.get("upstream_bytes_received"));
            default -> extra.get(field); // foobar, remote_user_age, request_length, upstream_response_length
        };
    }

    private static Object upstreamMember(String list, String field) {
        List<String> members = Arrays.stream(list.split(", | : ")).toList();
        int index = switch (field) {
            case "upstream_addr.0" -> 0;
            case "upstream_addr.1" -> 1;
            case "upstream_addr.2" -> 2;
            case "upstream_addr.2.redirected" -> 3;
            default -> 4;
        };
        return members.get(index);
    }

    /** {@code 1, 2, 3 : 4, 5} as logparser shows it: {@code [1, 2, 3 (redirected: 4), 5]}. */
    private static List<String> redirectedGroups(String list) {
        List<String> out = new ArrayList<>();
        for (String member : list.split(", ")) {
            int colon = member.indexOf(" : ");
            out.add(colon < 0 ? member : member.substring(0, colon) + " (redirected: " + member.substring(colon + 3) + ")");
        }
        return out;
    }

    private static List<String> members(String list) {
        return list == null ? List.of() : Arrays.stream(list.split(",")).map(String::strip).toList();
    }

    private static String seconds(double millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /** The expected list of upstream times ({@code ["0.100", "-"]}) as the row keeps it: their sum. */
    private static String upstreamSum(Object expected) {
        if (expected == null) {
            return null;
        }
        double seconds = ((List<?>) expected).stream().map(String.class::cast).filter(t -> !t.equals("-"))
                .mapToDouble(Double::parseDouble).sum();
        return String.format(Locale.ROOT, "%.3f ms", seconds * 1000.0);
    }

    /**
     * Expected values as the comparison sees them: numbers as text, instants as Instant.toString,
     * {@code -} as absent (null), as in every field of a log line.
     */
    private static Object normalize(Object value) {
        if ("-".equals(value)) {
            return null;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.toList()); // '-' members stay in a list
        }
        if (value instanceof Number n) {
            return String.valueOf(n.longValue());
        }
        if (value instanceof String s && s.matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}")) {
            return OffsetDateTime.parse(s, DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH))
                    .toInstant().toString();
        }
        if (value instanceof String s && s.matches("\\d{4}-\\d{2}-\\d{2}T.*Z")) {
            return Instant.parse(s).toString();
        }
        return value;
    }

    private static Map<String, String> extra(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : readObject(json).entrySet()) {
            out.put(e.getKey(), (String) e.getValue());
        }
        return out;
    }

    // ---------------------------------------------------------------- reading the vectors

    private static List<Map<String, Object>> vectors() {
        List<Map<String, Object>> out = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(CuratedVectorsTest.class.getResourceAsStream(
                "/vectors/curated_vectors.jsonl"))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(readObject(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Map<String, Object> vector(String id) {
        return vectors().stream().filter(v -> id.equals(v.get("id"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> readObject(String json) {
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            parser.nextToken();
            @SuppressWarnings("unchecked")
            Map<String, Object> value = (Map<String, Object>) read(parser);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, read(parser));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(parser));
                }
                return list;
            }
            case VALUE_NULL -> {
                return null;
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return parser.getBooleanValue();
            }
            case VALUE_NUMBER_INT -> {
                return parser.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDoubleValue();
            }
            default -> {
                return parser.getText();
            }
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(Objects.requireNonNull(CuratedVectorsTest.class.getResource(name), name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
