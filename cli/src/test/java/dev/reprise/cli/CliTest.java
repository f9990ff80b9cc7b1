package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    @Test
    void helpListsEveryCommandWithOneLine() {
        Cli.Result r = Cli.run("--help");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("demo", "ingest", "model", "replay", "sql", "samples");
        for (String command : new String[] {"demo", "ingest", "model", "replay", "sql", "samples"}) {
            assertThat(r.out().lines().filter(l -> l.strip().startsWith(command + " ")).count())
                    .as("one help line for " + command).isEqualTo(1);
        }
    }

    @Test
    void everyListedCommandAnswersHelp() {
        for (String[] args : new String[][] {{"demo", "--help"}, {"ingest", "nginx", "--help"},
                {"model", "build", "--help"}, {"replay", "--help"}, {"sql", "--help"},
                {"samples", "generate", "--help"}}) {
            assertThat(Cli.run(args).exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.OK);
        }
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(Cli.run("--no-such-option").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("replay").exitCode()).isEqualTo(ExitCodes.USAGE); // --target is required
        assertThat(Cli.run("ingest").exitCode()).isEqualTo(ExitCodes.USAGE); // which format?
        Cli.Result bad = Cli.run("replay", "--target", "http://127.0.0.1:1", "--duration", "soon");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("'soon' is not a duration");
    }

    @Test
    void theStoreOptionWorksBeforeAndAfterTheCommand() {
        Path before = dir.resolve("before.duckdb");
        Path after = dir.resolve("after.duckdb");
        assertThat(Cli.run("--db", before.toString(), "sql", "CREATE TABLE notes(x INTEGER)").exitCode()).isZero();
        assertThat(Cli.run("sql", "--db", after.toString(), "CREATE TABLE notes(y INTEGER)").exitCode()).isZero();
        assertThat(Files.exists(before)).isTrue();
        assertThat(Files.exists(after)).isTrue();
        assertThat(Cli.run("--db", before.toString(), "sql", "SELECT x FROM notes").exitCode()).isZero();
        assertThat(Cli.run("--db", after.toString(), "sql", "SELECT y FROM notes").exitCode()).isZero();
    }

    @Test
    void sqlPrintsATableCsvOrJsonAndCountsChangedRows() {
        String db = dir.resolve("s.duckdb").toString();
        Cli.run("--db", db, "sql", "CREATE TABLE t(id INTEGER, name VARCHAR, score DOUBLE, tags VARCHAR[])");
        Cli.Result insert = Cli.run("--db", db, "sql",
                "INSERT INTO t VALUES (1, 'a, \"quoted\"', 0.5, ['x','y']), (2, NULL, 12, [])");
        assertThat(insert.out()).contains("2 rows changed");

        Cli.Result table = Cli.run("--db", db, "sql", "SELECT * FROM t ORDER BY id");
        assertThat(table.out()).contains("id  name", "NULL", "(2 rows)");

        Cli.Result csv = Cli.run("--db", db, "sql", "--format", "csv", "SELECT id, name, score FROM t ORDER BY id");
        assertThat(csv.out()).isEqualTo("id,name,score\n1,\"a, \"\"quoted\"\"\",0.5\n2,,12\n");

        Cli.Result json = Cli.run("--db", db, "sql", "--format", "json", "SELECT id, name, tags FROM t ORDER BY id");
        assertThat(json.out()).contains("{\"id\":1,\"name\":\"a, \\\"quoted\\\"\",\"tags\":[\"x\",\"y\"]}")
                .contains("{\"id\":2,\"name\":null,\"tags\":[]}");

        Cli.Result update = Cli.run("--db", db, "sql", "UPDATE t SET score = score * 2 WHERE id = 2");
        assertThat(update.out()).contains("1 row changed");
    }

    @Test
    void aSqlErrorIsOneClearLineAndExitCodeOne() {
        Cli.Result r = Cli.run("--db", dir.resolve("s.duckdb").toString(), "sql", "SELECT * FROM nowhere");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).startsWith("reprise: SQL error").contains("nowhere").doesNotContain("at dev.reprise");
    }

    @Test
    void replayWithoutAModelSaysWhatToDo() {
        Cli.Result r = Cli.run("--db", dir.resolve("s.duckdb").toString(), "replay", "--target", "http://127.0.0.1:9");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("reprise model build");
    }

    @Test
    void generatesASampleLogWithItsTruth() {
        Path out = dir.resolve("small.log.gz");
        Cli.Result r = Cli.run("samples", "generate", "--lines", "500", "--seed", "3", "--out", out.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(out).exists();
        assertThat(dir.resolve("small.truth.json")).exists();
        assertThat(r.out()).contains("500 lines");
    }
}
