package dev.reprise.ingest;

import dev.reprise.ingest.anon.Anonymizer;
import dev.reprise.ingest.nginx.LineParser;
import dev.reprise.ingest.nginx.LogFormat;
import dev.reprise.ingest.read.LogFile;
import dev.reprise.model.Store;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of parsing and of parse + load on a generated combined log. Not a unit test (STYLE:
 * speed is measured, not asserted): runs only with {@code -Dreprise.bench=true}, for example
 * {@code mvn -o -q -pl ingest test -Dtest=IngestBenchmark -Dreprise.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 * {@code -Dreprise.bench.lines=N} changes the size (default 2,000,000).
 */
@EnabledIfSystemProperty(named = "reprise.bench", matches = "true")
class IngestBenchmark {
    @TempDir
    Path dir;

    @Test
    void measuresParseAndLoadThroughput() throws IOException {
        int lines = Integer.getInteger("reprise.bench.lines", 2_000_000);
        Path log = dir.resolve("bench-access.log");
        long t0 = System.nanoTime();
        writeCombinedLog(log, lines, 42);
        report("generate", lines, System.nanoTime() - t0, Files.size(log));

        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        LineParser parser = LineParser.compile(LogFormat.parse("combined"), Anonymizer.withKey(key));
        for (int run = 1; run <= 3; run++) {
            long start = System.nanoTime();
            long rows = 0;
            try (LogFile file = LogFile.open(log)) {
                while (file.next()) {
                    if (parser.parse(file.buffer(), file.lineStart(), file.lineEnd(), file.lineNo()) != null) {
                        rows++;
                    }
                }
            }
            report("parse only, run " + run + " (" + rows + " rows)", lines, System.nanoTime() - start, Files.size(log));
        }
        for (int run = 1; run <= 2; run++) {
            Path storeFile = dir.resolve("bench-" + run + ".duckdb");
            try (Store store = Store.open(storeFile)) {
                long start = System.nanoTime();
                IngestReport report = NginxIngest.ingest(store, List.of(log), NginxOptions.defaults(), IngestProgress.NONE);
                report("parse + load to a DuckDB file, run " + run + " (" + report.rowsLoaded() + " rows)", lines,
                        System.nanoTime() - start, Files.size(log));
            }
        }
    }

    private static void report(String what, long lines, long nanos, long bytes) {
        double seconds = nanos / 1e9;
        System.out.printf(Locale.ROOT, "BENCH %-55s %,10d lines in %6.2f s = %,10.0f lines/s (%.0f MB/s)%n", what,
                lines, seconds, lines / seconds, bytes / seconds / 1e6);
    }

    /** A plausible combined log: skewed clients, paths with ids and queries, a few user agents. */
    static void writeCombinedLog(Path file, int lines, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        String[] agents = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "curl/8.5.0",
        };
        String[] paths = {"/", "/products/%d", "/api/cart/%d/items", "/search?q=item%d&page=2", "/static/app.%d.js",
            "/checkout", "/login"};
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            long second = 0;
            StringBuilder sb = new StringBuilder(300);
            for (int i = 0; i < lines; i++) {
                if (random.nextInt(4) == 0) {
                    second++;
                }
                int client = (int) Math.abs(random.nextGaussian() * 2000);
                long s = second;
                int day = 1 + (int) (s / 86400 % 28);
                sb.setLength(0);
                sb.append("10.").append(client >> 16 & 255).append('.').append(client >> 8 & 255).append('.')
                        .append(client & 255).append(" - - [")
                        .append(String.format(Locale.ROOT, "%02d/%s/2026:%02d:%02d:%02d +0000", day,
                                months[(int) (s / 86400 / 28 % 12)], s / 3600 % 24, s / 60 % 60, s % 60))
                        .append("] \"").append(random.nextInt(10) == 0 ? "POST" : "GET").append(' ')
                        .append(String.format(Locale.ROOT, paths[random.nextInt(paths.length)], random.nextInt(5000)))
                        .append(" HTTP/1.1\" ").append(random.nextInt(20) == 0 ? 404 : 200).append(' ')
                        .append(random.nextInt(90_000)).append(" \"")
                        .append(random.nextInt(3) == 0 ? "-" : "https://shop.example.com/products/" + random.nextInt(5000))
                        .append("\" \"").append(agents[random.nextInt(agents.length)]).append("\"\n");
                out.append(sb);
            }
        }
    }
}
