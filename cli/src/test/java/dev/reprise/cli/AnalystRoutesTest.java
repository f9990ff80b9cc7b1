package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.reprise.samples.SampleGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: what the analyst notebooks read through the CLI — {@code model check --format json} and the
 * segment column of a dry run's schedule — shows the edits they make in SQL.
 */
class AnalystRoutesTest {
    @TempDir
    Path dir;

    private String builtStore() throws Exception {
        Path log = dir.resolve("small.log");
        SampleGenerator.generate(SampleGenerator.Options.defaults().withLines(20_000).withSeed(5), log,
                dir.resolve("small.truth.json"));
        String db = dir.resolve("a.duckdb").toString();
        assertThat(Cli.run("--db", db, "ingest", "nginx", log.toString()).exitCode()).isZero();
        Cli.Result build = Cli.run("--db", db, "model", "build");
        assertThat(build.exitCode()).as(build.err()).isZero();
        return db;
    }

    @Test
    void modelCheckAsJsonCarriesTheMixesAndTheWarningsOfTheTable() throws Exception {
        String db = builtStore();
        Cli.Result table = Cli.run("--db", db, "model", "check");

        Cli.Result json = Cli.run("--db", db, "model", "check", "--format", "json");

        assertThat(json.exitCode()).as(json.err()).isZero();
        Map<String, Object> top = topLevelScalars(json.out());
        assertThat(top).containsEntry("valid", true).containsEntry("rebalanced", false);
        // the table prints the TVD with 4 decimals: the JSON carries the same number
        String tvd = String.format(java.util.Locale.ROOT, "%.4f", (Double) top.get("tvd"));
        assertThat(table.out()).contains("TVD " + tvd);
        List<Map<String, Object>> endpoints = objectsOf(json.out(), "endpoints");
        assertThat(endpoints).hasSize(count(db, "endpoints"));
        assertThat(endpoints.stream().mapToDouble(e -> (Double) e.get("weight")).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(endpoints.stream().mapToDouble(e -> (Double) e.get("expected")).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(objectsOf(json.out(), "segments")).extracting(s -> s.get("name")).contains("bots");

        // switching bots off leaves their probes with weight but no path: a warning in both formats
        Cli.run("--db", db, "sql", "UPDATE segments SET weight = 0 WHERE name = 'bots'");
        Cli.Result warned = Cli.run("--db", db, "model", "check", "--format", "json");
        List<Map<String, Object>> unreachable = objectsOf(warned.out(), "endpoints").stream()
                .filter(e -> !(Boolean) e.get("reachable")).toList();
        assertThat(unreachable).isNotEmpty();
        assertThat(warned.out()).contains("\"warnings\":[\"" + unreachable.get(0).get("method") + " "
                + unreachable.get(0).get("template") + " has weight");
        assertThat(Cli.run("--db", db, "model", "check").out()).contains("warning: " + unreachable.get(0).get("method")
                + " " + unreachable.get(0).get("template") + " has weight");
    }

    @Test
    void aModelDryRunNamesEachSessionsSegmentSoSegmentEditsShowInTheSchedule() throws Exception {
        String db = builtStore();
        Map<Integer, Long> before = sessionsPerSegment(dryRun(db, "before"));
        int bots = Integer.parseInt(Cli.run("--db", db, "sql", "--format", "csv",
                "SELECT segment_id FROM segments WHERE name = 'bots'").out().lines().skip(1).findFirst().orElseThrow());
        assertThat(before).containsKey(bots);

        // bots off, segment 1 three times as heavy
        Cli.run("--db", db, "sql", "UPDATE segments SET weight = CASE WHEN name = 'bots' THEN 0 "
                + "WHEN segment_id = 1 THEN 3 * weight ELSE weight END");
        Map<Integer, Long> after = sessionsPerSegment(dryRun(db, "after"));

        assertThat(after).doesNotContainKey(bots);
        Map<Integer, Double> weights = new HashMap<>();
        Cli.run("--db", db, "sql", "--format", "csv", "SELECT segment_id, weight / sum(weight) OVER () FROM segments")
                .out().lines().skip(1).forEach(l -> weights.put(Integer.parseInt(l.split(",")[0]),
                        Double.parseDouble(l.split(",")[1])));
        long sessions = after.values().stream().mapToLong(Long::longValue).sum();
        // segments come from a golden-ratio sequence: the shares are those of the weights within a few sessions
        for (Map.Entry<Integer, Long> e : after.entrySet()) {
            assertThat((double) e.getValue()).as("segment " + e.getKey())
                    .isCloseTo(weights.get(e.getKey()) * sessions, org.assertj.core.data.Offset.offset(3.0));
        }
    }

    private Path dryRun(String db, String name) {
        Path out = dir.resolve(name);
        Cli.Result dry = Cli.run("--db", db, "replay", "--target", "http://127.0.0.1:9", "--dry-run", "--seed", "3",
                "--out", out.toString());
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        return out.resolve("schedule.csv");
    }

    /** Sessions per segment in a schedule.csv (offset_ms,session,method,uri,segment). */
    private static Map<Integer, Long> sessionsPerSegment(Path schedule) throws Exception {
        List<String> lines = Files.readAllLines(schedule);
        assertThat(lines.get(0)).isEqualTo("offset_ms,session,method,uri,segment");
        Map<Long, Integer> segmentOfSession = new HashMap<>();
        try (org.apache.commons.csv.CSVParser csv = org.apache.commons.csv.CSVFormat.RFC4180.builder()
                .setHeader().setSkipHeaderRecord(true).get().parse(Files.newBufferedReader(schedule))) {
            for (org.apache.commons.csv.CSVRecord r : csv) {
                Integer previous = segmentOfSession.put(Long.parseLong(r.get("session")),
                        Integer.parseInt(r.get("segment")));
                assertThat(previous == null || previous == Integer.parseInt(r.get("segment")))
                        .as("a session keeps its segment").isTrue();
            }
        }
        Map<Integer, Long> counts = new HashMap<>();
        segmentOfSession.values().forEach(s -> counts.merge(s, 1L, Long::sum));
        return counts;
    }

    private static int count(String db, String table) {
        return Integer.parseInt(Cli.run("--db", db, "sql", "--format", "csv", "SELECT count(*) FROM " + table)
                .out().lines().skip(1).findFirst().orElseThrow());
    }

    private static Map<String, Object> topLevelScalars(String json) throws Exception {
        Map<String, Object> out = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value.isStructStart()) {
                    p.skipChildren();
                } else {
                    out.put(name, scalar(p, value));
                }
            }
        }
        return out;
    }

    private static List<Map<String, Object>> objectsOf(String json, String field) throws Exception {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals(field)) {
                    if (value.isStructStart()) {
                        p.skipChildren();
                    }
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    Map<String, Object> row = new HashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        row.put(key, scalar(p, p.nextToken()));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static Object scalar(JsonParser p, JsonToken t) throws Exception {
        return switch (t) {
            case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
            case VALUE_NUMBER_INT -> p.getIntValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_STRING -> p.getText();
            default -> null;
        };
    }
}
