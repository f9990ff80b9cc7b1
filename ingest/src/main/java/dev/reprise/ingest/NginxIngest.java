package dev.reprise.ingest;

import dev.reprise.ingest.IngestReport.FileResult;
import dev.reprise.ingest.anon.Anonymizer;
import dev.reprise.ingest.nginx.LineParser;
import dev.reprise.ingest.nginx.LogFormat;
import dev.reprise.ingest.read.LogFile;
import dev.reprise.model.RequestBatch;
import dev.reprise.model.SourceLoad;
import dev.reprise.model.SourceSpec;
import dev.reprise.model.SourceSummary;
import dev.reprise.model.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads nginx access logs (plain or gzip) into the raw layer of a store: one source per file, each
 * in its own transaction, every line either a row in {@code requests} or a reason in
 * {@code rejects}. Client addresses and session ids are pseudonymized unless the options say not
 * to. A file whose content was loaded before (same SHA-256 of its first 64 KiB, same size) is
 * skipped.
 *
 * <pre>{@code
 * try (Store store = Store.open(Path.of("reprise.duckdb"))) {
 *     IngestReport report = NginxIngest.ingest(store, List.of(Path.of("access.log.gz")),
 *             NginxOptions.defaults().withFormat("main"), IngestProgress.NONE);
 *     System.out.println(report.rowsLoaded() + " requests, " + report.rowsRejected() + " rejected");
 *     if (report.hasTruncatedInput()) {
 *         // some input was cut: exit non-zero
 *     }
 * }
 * }</pre>
 *
 * <p>Files are loaded in the order given; when one fails, the ones before it stay loaded and the
 * failing one leaves no trace. The store is used by the calling thread only; while it loads a
 * batch of rows, a worker thread reads and parses the next ones.
 */
public final class NginxIngest {
    /** Bytes at the start of a file that, with its size, identify it for skipping re-ingests. */
    static final int FINGERPRINT_BYTES = 64 * 1024;
    /** The file name that stands for standard input. */
    public static final Path STDIN = Path.of("-");
    private static final long PROGRESS_INTERVAL_NANOS = 100_000_000L;

    private NginxIngest() {
    }

    /**
     * The {@code log_format NAME ...;} directive of an nginx.conf, to pass as
     * {@link NginxOptions#format()}: read as nginx tokenizes the file (comments, directives over
     * several lines, quoted strings holding {@code ;}); {@code include}s are not followed.
     *
     * @throws IngestException when the file cannot be read or defines no such format (the message
     *                         lists the names it defines)
     */
    public static String logFormatFromConf(Path nginxConf, String name) {
        return dev.reprise.ingest.nginx.NginxConf.directive(nginxConf, name);
    }

    /**
     * Loads {@code files} into {@code store}.
     *
     * @throws IngestException for user errors: an unknown format or invalid log_format, a file that
     *                         is missing, unreadable or compressed other than with gzip, a file that
     *                         does not match the format at all
     * @throws dev.reprise.model.StoreException when the store fails
     */
    public static IngestReport ingest(Store store, List<Path> files, NginxOptions options, IngestProgress progress) {
        return ingest(store, files, options, progress, null);
    }

    /**
     * Like {@link #ingest(Store, List, NginxOptions, IngestProgress)}, where the file {@link #STDIN}
     * ({@code -}) stands for {@code standardInput}: loaded as a source with uri {@code -} and no
     * fingerprint (it is never skipped as loaded before), at most once per call.
     */
    public static IngestReport ingest(Store store, List<Path> files, NginxOptions options, IngestProgress progress,
                                      InputStream standardInput) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        LogFormat format = LogFormat.parse(options.format());
        LineParser.compile(format, null, options.sessionFrom()); // checks that the format logs what a row needs, before any I/O
        SourceFiles.checkSalt(options.salt(), options.anonymize());
        SourceFiles.checkFiles(files, "no log files given; name one or more access logs (plain or .gz)", standardInput);
        Anonymizer anonymizer = SensitiveParameters.anonymizer(store, options.anonymize(), options.salt());
        LineParser parser = LineParser.compile(format, anonymizer, options.sessionFrom());
        List<FileResult> results = new ArrayList<>(files.size());
        for (Path file : files) {
            results.add(STDIN.equals(file) ? ingestStream(store, standardInput, parser, options, progress)
                    : ingestFile(store, file, parser, options, progress));
        }
        return new IngestReport(results);
    }

    private static FileResult ingestFile(Store store, Path file, LineParser parser, NginxOptions options,
                                         IngestProgress progress) {
        SourceFiles.Candidate candidate = SourceFiles.Candidate.of(store, file);
        Optional<FileResult> skipped = candidate.skipped(options.replace(), progress);
        if (skipped.isPresent()) {
            return skipped.get();
        }
        long sizeBytes = candidate.sizeBytes();
        AppendedPrefix prefix;
        try {
            prefix = candidate.earlier().isEmpty() ? AppendedPrefix.find(store, file, sizeBytes).orElse(null) : null;
        } catch (IOException e) {
            throw new IngestException(file + ": cannot read the file: " + e.getMessage(), e);
        }
        progress.started(file, prefix == null ? sizeBytes : sizeBytes - prefix.sizeBytes());
        long startNanos = System.nanoTime();
        SourceSpec spec = new SourceSpec(file.toAbsolutePath().toString(), "nginx", parser.format().text(),
                candidate.fingerprint(), options.anonymize());
        Integer replaced = candidate.earlier().orElse(null);
        try (LogFile log = prefix == null ? LogFile.open(file)
                : LogFile.openFrom(file, prefix.sizeBytes(), prefix.lastLineNo());
             SourceLoad load = candidate.begin(store, spec)) {
            SourceScan.Result scanned = ScanPipeline.run(log, parser, file.toString(), load::newBatch,
                    new LoadSink(load, progress));
            SourceSummary summary = load.commit(scanned.linesRead());
            progress.finished(summary, scanned.truncation() != null);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            return prefix == null ? FileResult.loaded(file, summary, scanned.truncation(), elapsed, replaced)
                    : FileResult.appended(file, summary, scanned.truncation(), elapsed, prefix.sourceId());
        } catch (IOException e) {
            throw new IngestException(file + ": cannot read the file: " + e.getMessage(), e);
        }
    }

    private static FileResult ingestStream(Store store, InputStream standardInput, LineParser parser,
                                           NginxOptions options, IngestProgress progress) {
        progress.started(STDIN, 0);
        long startNanos = System.nanoTime();
        SourceSpec spec = new SourceSpec(STDIN.toString(), "nginx", parser.format().text(), null, options.anonymize());
        try (LogFile log = LogFile.open(STDIN, standardInput); SourceLoad load = store.beginSource(spec)) {
            SourceScan.Result scanned = ScanPipeline.run(log, parser, SourceFiles.STANDARD_INPUT, load::newBatch,
                    new LoadSink(load, progress));
            SourceSummary summary = load.commit(scanned.linesRead());
            progress.finished(summary, scanned.truncation() != null);
            return FileResult.loaded(STDIN, summary, scanned.truncation(),
                    Duration.ofNanos(System.nanoTime() - startNanos), null);
        } catch (IOException e) {
            throw new IngestException(SourceFiles.STANDARD_INPUT + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Writes the scan's rows and rejects to the source, and reports progress every ~100 ms. */
    private static final class LoadSink implements ScanPipeline.BatchSink {
        private final SourceLoad load;
        private final IngestProgress progress;
        private long lastReportNanos = System.nanoTime();

        LoadSink(SourceLoad load, IngestProgress progress) {
            this.load = load;
            this.progress = progress;
        }

        @Override
        public void rows(RequestBatch rows) {
            load.append(rows);
        }

        @Override
        public void reject(long lineNo, String reason, String raw) {
            load.reject(lineNo, reason, raw);
        }

        @Override
        public void progress(long bytesRead, long lines, long rejects) {
            long now = System.nanoTime();
            if (now - lastReportNanos >= PROGRESS_INTERVAL_NANOS) {
                lastReportNanos = now;
                progress.advanced(bytesRead, lines, rejects);
            }
        }
    }

    /**
     * {@code sha256-64k:<hex>:<size>}: SHA-256 of the file's first 64 KiB as stored (compressed for
     * gzip), and its size in bytes. Cheap on any file; a log that grew since is a new source.
     */
    static String fingerprint(Path file, long sizeBytes) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(FINGERPRINT_BYTES);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(head);
            return "sha256-64k:" + HexFormat.of().formatHex(digest) + ":" + sizeBytes;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime; this is a bug", e);
        }
    }
}
