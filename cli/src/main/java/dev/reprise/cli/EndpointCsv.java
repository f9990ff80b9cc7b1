package dev.reprise.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A run's per-endpoint results as RFC 4180 CSV (Commons CSV quotes what needs quoting): one row per
 * endpoint of summary.json, milliseconds, empty cells where nothing was measured. Text cells (run id,
 * method, template) come from logs and options, so one that a spreadsheet would read as a formula
 * (starting with {@code = + - @}, tab or carriage return) gets a leading apostrophe (OWASP's "CSV
 * injection" advice); numbers are written as they are.
 */
final class EndpointCsv {
    static final List<String> HEADER = List.of("run_id", "endpoint_id", "method", "template", "model_share",
            "sent_share", "sent", "completed", "errors", "latency_p50_ms", "latency_p90_ms", "latency_p95_ms",
            "latency_p99_ms", "latency_p999_ms", "latency_max_ms", "service_p50_ms", "service_p99_ms");

    private EndpointCsv() {
    }

    static long write(Path file, RunDirectory run) {
        long sent = run.summary().getJsonObject("requests", new JsonObject()).getLong("sent", 0L);
        long rows = 0;
        try (Writer writer = Files.newBufferedWriter(file);
             CSVPrinter csv = CSVFormat.RFC4180.builder().setHeader(HEADER.toArray(String[]::new)).get().print(writer)) {
            for (JsonObject e : run.endpoints()) {
                JsonObject l = e.getJsonObject("latency_ms", new JsonObject());
                JsonObject s = e.getJsonObject("service_time_ms", new JsonObject());
                List<Object> row = new ArrayList<>();
                row.add(text(run.runId()));
                row.add(e.getValue("endpoint_id"));
                row.add(text(e.getString("method")));
                row.add(text(e.getString("template")));
                row.add(e.getValue("model_share"));
                row.add(sent == 0 ? null : (double) e.getLong("sent", 0L) / sent);
                row.add(e.getValue("sent"));
                row.add(e.getValue("completed"));
                row.add(e.getValue("errors"));
                for (String p : List.of("p50", "p90", "p95", "p99", "p999", "max")) {
                    row.add(l.getValue(p));
                }
                row.add(s.getValue("p50"));
                row.add(s.getValue("p99"));
                csv.printRecord(row);
                rows++;
            }
        } catch (IOException e) {
            throw new UserException("cannot write " + file + ": " + e.getMessage());
        }
        return rows;
    }

    /** {@code value} with a leading apostrophe when a spreadsheet would take it for a formula; null stays null. */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        return switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + value;
            default -> value;
        };
    }
}
