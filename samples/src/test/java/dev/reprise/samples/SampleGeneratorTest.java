package dev.reprise.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SampleGeneratorTest {
    /** nginx combined, with a request line that is a real request. */
    static final Pattern COMBINED = Pattern.compile("^(\\S+) - - \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2}) \\+0000\\] "
            + "\"(GET|POST) (/[^ \"]*) (HTTP/1\\.1|HTTP/2\\.0)\" (\\d{3}) (\\d+) \"([^\"]*)\" \"([^\"]+)\"$");
    /** What nginx writes for an empty connection or a TLS handshake on the HTTP port. */
    static final Pattern DAMAGED = Pattern.compile("^(\\S+) - - \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2}) \\+0000\\] "
            + "\"(-|\\\\x16\\\\x03\\\\x01(\\\\x[0-9A-F]{2}|[ -!#-\\[\\]-~])*)\" 400 (0|157) \"-\" \"-\"$");
    static final DateTimeFormatter TIME_LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss", Locale.ROOT);

    static GeneratedSample sample;

    @BeforeAll
    static void generateTheDefaultSample() {
        sample = GeneratedSample.of(SampleGenerator.Options.defaults());
    }

    @Test
    void sameOptionsGiveByteIdenticalLogAndTruth() {
        GeneratedSample again = GeneratedSample.of(SampleGenerator.Options.defaults());
        assertThat(again.log()).isEqualTo(sample.log());
        assertThat(again.truthText()).isEqualTo(sample.truthText());
    }

    @Test
    void aDifferentSeedGivesADifferentLog() {
        GeneratedSample other = GeneratedSample.of(SampleGenerator.Options.defaults().withSeed(43));
        assertThat(other.lines()).hasSize(50_000);
        assertThat(other.log()).isNotEqualTo(sample.log());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 17, 999, 12_345, 50_001})
    void writesExactlyTheRequestedNumberOfLines(long lines) {
        GeneratedSample made = GeneratedSample.of(SampleGenerator.Options.defaults().withLines(lines));
        assertThat(made.lines()).hasSize((int) lines);
        assertThat(made.log()).doesNotContain("\r");
        assertThat(made.count("lines")).isEqualTo(lines);
        assertThat(made.count("requests") + made.count("damaged_lines")).isEqualTo(lines);
        long sessionRequests = made.list("sessions").stream().mapToLong(s -> (Long) s.get("requests")).sum();
        assertThat(sessionRequests).isEqualTo(made.count("requests"));
    }

    @Test
    void linesAreInTimeOrderAndCoverTheWholeDay() {
        List<LocalDateTime> times = sample.lines().stream().map(SampleGeneratorTest::time).toList();
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i)).as("line %d", i + 1).isAfterOrEqualTo(times.get(i - 1));
        }
        LocalDate day = SampleGenerator.Options.DEFAULT_DAY;
        assertThat(times.get(0)).isBetween(day.atStartOfDay(), day.atTime(0, 5));
        assertThat(times.get(times.size() - 1)).isBetween(day.atTime(23, 55), day.atTime(23, 59, 59));
        long hoursWithLines = times.stream().map(LocalDateTime::getHour).distinct().count();
        assertThat(hoursWithLines).isEqualTo(24);
    }

    @Test
    void everyLineIsCombinedFormatExceptTheCountedDamagedLines() {
        long damaged = 0;
        for (String line : sample.lines()) {
            if (!COMBINED.matcher(line).matches()) {
                assertThat(line).matches(DAMAGED);
                damaged++;
            }
        }
        assertThat(damaged).isEqualTo(sample.count("damaged_lines")).isBetween(3L, 30L);
        Map<String, Object> kinds = sample.object("damaged_lines");
        assertThat((Long) kinds.get("empty_request") + (Long) kinds.get("tls_handshake")).isEqualTo(damaged);
    }

    @Test
    void truthEndpointCountsAndSharesMatchARecountOfTheLog() {
        Map<String, Long> recount = new TreeMap<>();
        Map<String, Map<String, Long>> statuses = new HashMap<>();
        long requests = 0;
        for (String line : sample.lines()) {
            Matcher m = COMBINED.matcher(line);
            if (m.matches()) {
                String key = m.group(3) + " " + template(m.group(4));
                recount.merge(key, 1L, Long::sum);
                statuses.computeIfAbsent(key, k -> new TreeMap<>()).merge(m.group(6), 1L, Long::sum);
                requests++;
            }
        }
        Map<String, Long> truth = new TreeMap<>();
        for (Map<String, Object> endpoint : sample.list("endpoints")) {
            String key = endpoint.get("method") + " " + endpoint.get("template");
            long count = (Long) endpoint.get("requests");
            truth.put(key, count);
            assertThat(((Number) endpoint.get("share")).doubleValue()).as(key)
                    .isCloseTo((double) count / requests, within(1e-6));
            assertThat(endpoint.get("statuses")).as(key).isEqualTo(statuses.get(key));
        }
        assertThat(truth).isEqualTo(recount);
        assertThat(sample.count("requests")).isEqualTo(requests);
        assertThat(truth).containsKeys("GET /", "GET /categories/{id}", "GET /products/{id}",
                "GET /api/products/{id}/reviews", "GET /search", "GET /cart", "POST /cart/items", "GET /checkout",
                "POST /checkout", "GET /orders/{uuid}", "GET /login", "POST /login", "GET /robots.txt",
                "GET /sitemap.xml", "GET /wp-login.php", "GET /.env", "GET /admin/config.php");
    }

    @Test
    void theSpikeWindowHasAtLeastFourTimesTheSessionStartsPerMinuteOfTheSurroundingHour() {
        Instant spikeStart = Instant.parse("2026-03-14T13:00:00Z");
        Instant spikeEnd = spikeStart.plus(Duration.ofMinutes(10));
        long inSpike = 0;
        long around = 0;
        for (Map<String, Object> session : sample.list("sessions")) {
            Instant start = Instant.parse((String) session.get("start"));
            if (!start.isBefore(spikeStart) && start.isBefore(spikeEnd)) {
                inSpike++;
            } else if (!start.isBefore(spikeStart.minus(Duration.ofMinutes(30)))
                    && start.isBefore(spikeEnd.plus(Duration.ofMinutes(30)))) {
                around++;
            }
        }
        assertThat(inSpike / 10.0).isGreaterThanOrEqualTo(4 * around / 60.0);
        Map<String, Object> spike = sample.list("spikes").get(0);
        assertThat(spike).containsEntry("start", "2026-03-14T13:00:00Z").containsEntry("end", "2026-03-14T13:10:00Z")
                .containsEntry("factor", 6.0).containsEntry("sessions", inSpike);
    }

    @Test
    void sessionizingByClientAndUserAgentWithA30MinuteGapRecoversExactlyThePlantedSessions() {
        record Open(String client, String userAgent, LocalDateTime start, LocalDateTime last, long requests) {
        }
        Map<String, Open> open = new HashMap<>();
        List<String> recovered = new ArrayList<>();
        for (String line : sample.lines()) {
            Matcher m = COMBINED.matcher(line);
            if (!m.matches()) {
                continue;
            }
            LocalDateTime at = LocalDateTime.parse(m.group(2), TIME_LOCAL);
            String key = m.group(1) + "\u0000" + m.group(9);
            Open session = open.get(key);
            if (session != null && Duration.between(session.last(), at).compareTo(Duration.ofMinutes(30)) > 0) {
                recovered.add(describe(session.client(), session.userAgent(), session.start(), session.requests()));
                session = null;
            }
            open.put(key, session == null
                    ? new Open(m.group(1), m.group(9), at, at, 1)
                    : new Open(session.client(), session.userAgent(), session.start(), at, session.requests() + 1));
        }
        open.values().forEach(s -> recovered.add(describe(s.client(), s.userAgent(), s.start(), s.requests())));

        List<String> planted = sample.list("sessions").stream()
                .map(s -> describe((String) s.get("client"), (String) s.get("user_agent"),
                        LocalDateTime.ofInstant(Instant.parse((String) s.get("start")), ZoneOffset.UTC),
                        (Long) s.get("requests")))
                .toList();
        assertThat(recovered).hasSize((int) sample.count("sessions")).containsExactlyInAnyOrderElementsOf(planted);
    }

    @Test
    void aClientAndUserAgentPairReturnsOnlyAnHourAfterItsLastVisitEnded() {
        Map<String, Instant> lastEnd = new HashMap<>();
        long returning = 0;
        for (Map<String, Object> session : sample.list("sessions")) {
            String pair = session.get("client") + "\u0000" + session.get("user_agent");
            Instant start = Instant.parse((String) session.get("start"));
            Instant previous = lastEnd.put(pair, Instant.parse((String) session.get("end")));
            if (previous != null) {
                assertThat(Duration.between(previous, start)).as(pair).isGreaterThan(Duration.ofMinutes(60));
            }
            returning += Boolean.TRUE.equals(session.get("returning")) ? 1 : 0;
        }
        long people = sample.list("sessions").stream().filter(s -> !"bot".equals(s.get("segment"))).count();
        assertThat((double) returning / people).isBetween(0.06, 0.12);
        assertThat(sample.object("clients")).containsEntry("returning_sessions", returning);
        assertThat(sample.lines()).anyMatch(line -> line.matches("^[0-9a-f]+:[0-9a-f:]+ - - .*"));
    }

    @ParameterizedTest
    @CsvSource({"browser, 0.45, 6, 10", "searcher, 0.25, 6, 10", "buyer, 0.15, 6, 12", "bot, 0.15, 20, 60"})
    void segmentsComeInThePlantedMixAndSessionLengths(String name, double share, double minMean, double maxMean) {
        Map<String, Object> segment = sample.list("segments").stream().filter(s -> name.equals(s.get("name")))
                .findFirst().orElseThrow();
        assertThat(((Number) segment.get("share")).doubleValue()).isCloseTo(share, within(0.03));
        double expected = ((Number) segment.get("expected_requests")).doubleValue();
        assertThat(expected).isBetween(minMean, maxMean);
        assertThat(((Number) segment.get("mean_requests")).doubleValue()).isCloseTo(expected, within(expected * 0.1));
        Map<String, Double> outgoing = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> transitions = (List<Map<String, Object>>) segment.get("transitions");
        for (Map<String, Object> t : transitions) {
            outgoing.merge((String) t.get("from"), ((Number) t.get("probability")).doubleValue(), Double::sum);
        }
        assertThat(outgoing).containsKey("START").allSatisfy((from, sum) -> assertThat(sum).as(from)
                .isCloseTo(1.0, within(1e-9)));
    }

    @Test
    void aboutTwoPercentOfPeoplesProductViewsAreNotFound() {
        long views = 0;
        long notFound = 0;
        for (String line : sample.lines()) {
            Matcher m = COMBINED.matcher(line);
            if (m.matches() && m.group(4).startsWith("/products/") && m.group(9).startsWith("Mozilla/5.0 (")
                    && !m.group(9).contains("compatible;")) {
                views++;
                notFound += m.group(6).equals("404") ? 1 : 0;
            }
        }
        assertThat((double) notFound / views).isBetween(0.015, 0.025);
    }

    @Test
    void refererIsThePreviousPageOfTheSessionAndDashAtItsStart() {
        assertThat(sample.log()).contains("\"https://shop.example.com/search?q=boots\"");
        for (String line : sample.lines()) {
            Matcher m = COMBINED.matcher(line);
            if (m.matches()) {
                assertThat(m.group(8)).matches("-|https://shop\\.example\\.com/.*");
            }
        }
    }

    @Test
    void writesAGzippedLogWhenTheFileNameEndsInGz(@TempDir Path dir) throws Exception {
        SampleGenerator.Options options = SampleGenerator.Options.defaults().withLines(2_000);
        SampleGenerator.Summary summary = SampleGenerator.generate(options, dir.resolve("a.log.gz"), dir.resolve("a.json"));
        SampleGenerator.generate(options, dir.resolve("a.log"), dir.resolve("b.json"));

        GeneratedSample inMemory = GeneratedSample.of(options);
        try (InputStream gz = Files.newInputStream(dir.resolve("a.log.gz"))) {
            assertThat(GeneratedSample.gunzip(gz)).isEqualTo(inMemory.log());
        }
        assertThat(Files.readString(dir.resolve("a.log"), StandardCharsets.UTF_8)).isEqualTo(inMemory.log());
        assertThat(Files.readString(dir.resolve("a.json"), StandardCharsets.UTF_8)).isEqualTo(inMemory.truthText());
        assertThat(summary).isEqualTo(new SampleGenerator.Summary(2_000, inMemory.count("requests"),
                inMemory.count("damaged_lines"), inMemory.count("sessions")));
    }

    @Test
    void mainWritesTheFilesItIsGiven(@TempDir Path dir) throws Exception {
        SampleGenerator.main(new String[] {"--lines", "1_000", "--seed", "7", "--day", "2026-01-02",
            "--out", dir.resolve("x.log").toString(), "--truth", dir.resolve("x.json").toString()});
        StringWriter expected = new StringWriter();
        SampleGenerator.generate(new SampleGenerator.Options(1_000, 7, LocalDate.of(2026, 1, 2)), expected);
        assertThat(Files.readString(dir.resolve("x.log"))).isEqualTo(expected.toString()).contains("/Jan/2026:");
        assertThat(GeneratedSample.parseObject(Files.readString(dir.resolve("x.json"))).get("options"))
                .isEqualTo(Map.of("lines", 1_000L, "seed", 7L, "day", "2026-01-02"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--lines|ten|--lines: cannot read 'ten' (expected an integer)",
        "--day|14.03.2026|--day: cannot read '14.03.2026' (expected YYYY-MM-DD)",
        "--lines|-5|lines must be >= 0, got -5",
        "--speed|2|unknown option --speed; expected --lines, --seed, --day, --out or --truth"})
    void mainRejectsBadArgumentsSayingWhatItExpected(String option, String value, String message) {
        assertThatThrownBy(() -> SampleGenerator.main(new String[] {option, value}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    private static LocalDateTime time(String line) {
        int open = line.indexOf('[');
        return LocalDateTime.parse(line.substring(open + 1, open + 21), TIME_LOCAL);
    }

    private static String template(String path) {
        String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return withoutQuery
                .replaceFirst("^/products/\\d+$", "/products/{id}")
                .replaceFirst("^/api/products/\\d+/reviews$", "/api/products/{id}/reviews")
                .replaceFirst("^/categories/\\d+$", "/categories/{id}")
                .replaceFirst("^/orders/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                        "/orders/{uuid}");
    }

    private static String describe(String client, String userAgent, LocalDateTime start, long requests) {
        return client + " | " + userAgent + " | " + start + " | " + requests;
    }
}
