package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reprise ingest csv} and the nginx.conf options of {@code reprise ingest nginx}, as a user runs them. */
class IngestCommandsTest {
    @TempDir
    Path dir;

    @Test
    void loadsAnExportThroughAMapAndGroupsRejectsByReason() throws IOException {
        Path csv = Files.writeString(dir.resolve("weblog.csv"), """
                10.128.2.1,[29/Nov/2017:06:58:55,GET /login.php HTTP/1.1,200,,
                10.128.2.1,[29/Nov/2017:06:59:02,POST /process.php HTTP/1.1,302,,
                chmod:,cannot,'a.out':,No,directory,
                """);
        Path db = dir.resolve("r.duckdb");

        Cli.Result r = Cli.run("--db", db.toString(), "ingest", "csv", csv.toString(),
                "--map", "ts=2,client=1,request=3,status=4");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains(csv + ": 3 lines, 2 loaded, 1 rejected (bad_timestamp 1)",
                ",cannot,'a.out':,No,directory,");
        assertThat(r.out()).as("the client column of a rejected record is pseudonymized too")
                .containsPattern("weblog.csv:3: bad_timestamp: [0-9a-f]{16},cannot").doesNotContain("chmod:");
        Cli.Result again = Cli.run("--db", db.toString(), "ingest", "csv", csv.toString(),
                "--map", "ts=2,client=1,request=3,status=4");
        assertThat(again.out()).contains("skipped, the same content");
    }

    @Test
    void readsAMappingFileAndSaysWhichColumnIsMissing() throws IOException {
        Path csv = Files.writeString(dir.resolve("export.csv"), "time;uri\n2026-03-14T13:05:12Z;/a\n");
        Path map = Files.writeString(dir.resolve("export.map"), "ts=time\npath=url\n");

        Cli.Result r = Cli.run("--db", dir.resolve("r.duckdb").toString(), "ingest", "csv", csv.toString(),
                "--mapping", map.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("export.csv:1: the mapping names column 'url', which is not in the header "
                + "(columns: time, uri)");
    }

    @Test
    void refusesAMissingMappingAndABadZoneAsUsageErrors() throws IOException {
        Path csv = Files.writeString(dir.resolve("export.csv"), "1773493512,/a\n");
        String db = dir.resolve("r.duckdb").toString();

        Cli.Result noMap = Cli.run("--db", db, "ingest", "csv", csv.toString());
        Cli.Result badZone = Cli.run("--db", db, "ingest", "csv", csv.toString(), "--map", "ts=1,path=2",
                "--zone", "Mars/Olympus");

        assertThat(noMap.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noMap.err()).contains("--map", "--mapping");
        assertThat(badZone.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badZone.err()).contains("--zone 'Mars/Olympus' is not a zone");
    }

    @Test
    void takesTheFormatFromAnNginxConf() throws IOException {
        Path conf = Files.writeString(dir.resolve("nginx.conf"), """
                http {
                    log_format timed '$remote_addr [$time_iso8601] '   # when
                                     '"$request" $status rt=$request_time';
                }
                """);
        Path log = Files.writeString(dir.resolve("access.log"),
                "192.0.2.1 [2026-03-14T13:05:12+00:00] \"GET /a HTTP/1.1\" 200 rt=0.010\n");
        String db = dir.resolve("r.duckdb").toString();

        Cli.Result r = Cli.run("--db", db, "ingest", "nginx", "--nginx-conf", conf.toString(), "--format-name", "timed",
                log.toString());
        Cli.Result unknown = Cli.run("--db", db, "ingest", "nginx", "--nginx-conf", conf.toString(),
                "--format-name", "main", log.toString());
        Cli.Result alone = Cli.run("--db", db, "ingest", "nginx", "--format-name", "timed", log.toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains(log + ": 1 lines, 1 loaded, 0 rejected");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(unknown.err()).contains(conf + ": no log_format named 'main'; it defines timed");
        assertThat(alone.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(alone.err()).contains("--format-name needs --nginx-conf FILE");
    }

    @Test
    void loadsJsonLinesWrittenByAnEscapeJsonFormat() throws IOException {
        Path log = Files.writeString(dir.resolve("access.json"), """
                {"t":"2026-03-14T13:05:12+00:00","ip":"192.0.2.1","r":"GET /a HTTP/1.1","s":"200"}
                {"t":"2026-03-14T13:05:13+00:00","ip":"192.0.2.1","r":"GET /b HTTP/1.1","s":"404"}
                """);

        Cli.Result r = Cli.run("--db", dir.resolve("r.duckdb").toString(), "ingest", "jsonl", log.toString(),
                "--format", "log_format j escape=json '{\"t\":\"$time_iso8601\",\"ip\":\"$remote_addr\","
                        + "\"r\":\"$request\",\"s\":\"$status\"}';");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains(log + ": 2 lines, 2 loaded, 0 rejected");
    }

    @Test
    void keepsTheSensitiveParametersForTheStoreAndSaysWhichTheyAre() throws IOException {
        Path log = Files.writeString(dir.resolve("access.log"), "192.0.2.1 - - [14/Mar/2026:13:05:12 +0000] "
                + "\"GET /pay?order_ref=A-77&monkey=banana HTTP/1.1\" 200 1 \"-\" \"-\"\n");
        String db = dir.resolve("r.duckdb").toString();

        Cli.Result r = Cli.run("--db", db, "ingest", "nginx", log.toString(), "--sensitive-params", "order_ref,-key");
        Cli.Result query = Cli.run("--db", db, "sql", "SELECT query FROM requests");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("sensitive query parameters (kept for this store): token, password,")
                .contains(", order_ref").doesNotContain(" key,");
        assertThat(query.out()).doesNotContain("A-77").contains("monkey=banana");
    }
}
