package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.samples.SampleGenerator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4: {@code model build} options, {@code model show} and {@code model check} through the CLI. */
class ModelCommandTest {
    @TempDir
    Path dir;

    private String store() throws Exception {
        Path log = dir.resolve("small.log");
        SampleGenerator.generate(SampleGenerator.Options.defaults().withLines(20_000).withSeed(5), log,
                dir.resolve("small.truth.json"));
        String db = dir.resolve("m.duckdb").toString();
        assertThat(Cli.run("--db", db, "ingest", "nginx", log.toString()).exitCode()).isZero();
        return db;
    }

    @Test
    void buildsTheRequestedSegmentsAndShowsEveryView() throws Exception {
        String db = store();

        Cli.Result build = Cli.run("--db", db, "model", "build", "--segments", "2", "--timings");

        assertThat(build.exitCode()).as(build.err()).isZero();
        assertThat(build.out()).contains("3 segments").contains("[session segmentation]: ");
        Cli.Result segments = Cli.run("--db", db, "model", "show", "segments");
        assertThat(segments.out()).contains("bots").contains("(3 rows)");
        assertThat(Cli.run("--db", db, "model", "show", "spikes").out()).contains("13:0");
        assertThat(Cli.run("--db", db, "model", "show", "mix").out()).contains("GET /products/{id}");
        assertThat(Cli.run("--db", db, "model", "show", "transitions").out()).contains("START", "EXIT");
        assertThat(Cli.run("--db", db, "model", "show", "think").out()).contains("global", "transition");
        assertThat(Cli.run("--db", db, "model", "show", "templates").out())
                .contains("GET /products/{id}", "{id}", "/products/");
        assertThat(Cli.run("--db", db, "model", "show", "arrivals", "--format", "csv").out())
                .startsWith("hour,sessions,requests");
        Cli.Result unknown = Cli.run("--db", db, "model", "show", "everything");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("unknown view 'everything'");
    }

    @Test
    void checkPrintsTheExpectedMixAndWarnsAboutAWeightNoPathReaches() throws Exception {
        String db = store();
        assertThat(Cli.run("--db", db, "model", "build").exitCode()).isZero();

        Cli.Result clean = Cli.run("--db", db, "model", "check");
        assertThat(clean.exitCode()).as(clean.err()).isZero();
        assertThat(clean.out()).contains("model is valid; endpoint weights are the recorded shares");

        // no transition leads to /login any more, but the analyst still wants 10% of it
        Cli.run("--db", db, "sql", "UPDATE transitions SET weight = 0 WHERE to_endpoint = "
                + "(SELECT endpoint_id FROM endpoints WHERE method = 'GET' AND template = '/login')");
        Cli.run("--db", db, "sql", "UPDATE endpoints SET weight = 0.1 WHERE method = 'GET' AND template = '/login'");
        Cli.Result check = Cli.run("--db", db, "model", "check");

        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out()).contains("UNREACHABLE").contains("warning: GET /login has weight");
    }

    @Test
    void exportsTheModelAndImportsItIntoAStoreWithoutRawLogs() throws Exception {
        String db = store();
        assertThat(Cli.run("--db", db, "model", "build").exitCode()).isZero();
        Cli.run("--db", db, "sql", "UPDATE endpoints SET weight = weight * 3 WHERE template = '/checkout'");
        Path exported = dir.resolve("shared-model");

        Cli.Result export = Cli.run("--db", db, "model", "export", exported.toString());

        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(exported.resolve("manifest.json")).exists();
        assertThat(exported.resolve("endpoints.parquet")).exists();
        assertThat(exported.resolve("requests.parquet")).doesNotExist();
        assertThat(exported.resolve("sessions.parquet")).doesNotExist();
        String other = dir.resolve("other.duckdb").toString();
        Cli.Result imported = Cli.run("--db", other, "model", "import", exported.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("endpoints 2");

        // the edit travelled, the other store has no raw requests, and the model checks and replays the same
        String query = "SELECT method, template, weight FROM endpoints ORDER BY endpoint_id";
        assertThat(Cli.run("--db", other, "sql", "--format", "csv", query).out())
                .isEqualTo(Cli.run("--db", db, "sql", "--format", "csv", query).out());
        assertThat(Cli.run("--db", other, "sql", "SELECT count(*) AS n FROM requests").out()).contains("0");
        Cli.Result check = Cli.run("--db", other, "model", "check");
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out()).isEqualTo(Cli.run("--db", db, "model", "check").out());
    }

    @Test
    void refusesToImportADirectoryWithoutAManifest() throws Exception {
        String db = dir.resolve("empty.duckdb").toString();
        Cli.Result imported = Cli.run("--db", db, "model", "import", dir.toString());
        assertThat(imported.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(imported.err()).contains("manifest.json: no such file");
    }
}
