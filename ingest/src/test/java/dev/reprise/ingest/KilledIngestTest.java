package dev.reprise.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.SourceSummary;
import dev.reprise.model.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3: a source loads in one transaction, so killing the process with SIGKILL in the middle of
 * a file leaves the store with all of that file or none of it. Runs a real child JVM
 * ({@link IngestChild}) and kills it while it is loading.
 */
class KilledIngestTest {
    @TempDir
    Path dir;

    @Test
    void sigkillMidFileLeavesTheFinishedFileWholeAndNoTraceOfTheInterruptedOne() throws Exception {
        Path small = dir.resolve("small.log");
        IngestBenchmark.writeCombinedLog(small, 1_000, 1);
        Path big = dir.resolve("big.log");
        IngestBenchmark.writeCombinedLog(big, 600_000, 2);
        Path db = dir.resolve("killed.duckdb");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the add-opens the launcher's jar manifest and surefire give every JVM that loads through Arrow
        Process child = new ProcessBuilder(java, "-Xmx256m", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                IngestChild.class.getName(), db.toString(), small.toString(), big.toString())
                .redirectErrorStream(true).start();
        long linesWhenKilled = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            // IngestChild prints "big.log <lines>" as the big file advances; kill it once rows are flowing
            while ((line = out.readLine()) != null) {
                if (line.startsWith("big.log ") && Long.parseLong(line.substring(8)) >= 50_000) {
                    linesWhenKilled = Long.parseLong(line.substring(8));
                    child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no rollback by the JVM
                    break;
                }
                if (line.startsWith("done")) {
                    break;
                }
            }
        } finally {
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertThat(linesWhenKilled).as("the child was killed while loading big.log, not after it").isPositive();
        assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL

        try (Store store = Store.open(db)) {
            assertThat(store.queryRows("SELECT uri, lines_read, rows_loaded FROM sources"))
                    .containsExactly(List.of(small.toAbsolutePath().toString(), 1_000L, 1_000L));
            assertThat(store.queryRows("SELECT count(*), count(DISTINCT source_id) FROM requests"))
                    .containsExactly(List.of(1_000L, 1L));
            assertThat(store.queryRows("SELECT count(*) FROM rejects")).containsExactly(List.of(0L));
            // and the interrupted file loads in full on the next run
            IngestReport again = NginxIngest.ingest(store, List.of(small, big), NginxOptions.defaults(),
                    IngestProgress.NONE);
            assertThat(again.files().get(0).skipped()).isTrue();
            assertThat(again.files().get(1).summary().rowsLoaded()).isEqualTo(600_000);
        }
        assertThat(Files.exists(db)).isTrue();
    }

    /** The child process: ingests the files given, printing each file's progress to stdout. */
    public static final class IngestChild {
        public static void main(String[] args) throws IOException {
            try (Store store = Store.open(Path.of(args[0]))) {
                List<Path> files = java.util.Arrays.stream(args).skip(1).map(Path::of).toList();
                NginxIngest.ingest(store, files, NginxOptions.defaults(), new IngestProgress() {
                    private Path file;

                    @Override
                    public void started(Path started, long sizeBytes) {
                        file = started;
                    }

                    @Override
                    public void advanced(long bytesRead, long lines, long rejects) {
                        System.out.println(file.getFileName() + " " + lines);
                        System.out.flush();
                    }

                    @Override
                    public void finished(SourceSummary summary, boolean truncated) {
                        System.out.println("finished " + file.getFileName());
                        System.out.flush();
                    }

                    @Override
                    public void skipped(Path skipped, String message) {
                    }
                });
            }
            System.out.println("done");
        }
    }
}
