package dev.reprise.cli;

import dev.reprise.ingest.CsvIngest;
import dev.reprise.ingest.CsvOptions;
import dev.reprise.ingest.IngestProgress;
import dev.reprise.ingest.IngestReport;
import dev.reprise.ingest.InputFiles;
import dev.reprise.ingest.JsonLinesIngest;
import dev.reprise.ingest.JsonLinesOptions;
import dev.reprise.ingest.NginxIngest;
import dev.reprise.ingest.NginxOptions;
import dev.reprise.ingest.SensitiveParameters;
import dev.reprise.ingest.record.FieldMapping;
import dev.reprise.model.SourceSummary;
import dev.reprise.model.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reprise ingest}: load logs into the store's raw layer. */
@Command(name = "ingest", description = "Load access logs into the store; every line loaded or rejected.",
        subcommands = {IngestCommand.Nginx.class, IngestCommand.Csv.class, IngestCommand.JsonLines.class})
final class IngestCommand {
    @ParentCommand
    RepriseCommand root;

    /** {@code reprise ingest nginx FILE...} */
    @Command(name = "nginx", description = "Load nginx (or Apache) access logs, plain or gzipped.",
            footer = {"", "Examples:",
                    "  reprise ingest nginx /var/log/nginx/access.log access.log.1 access.log.2.gz",
                    "  reprise ingest nginx --format main access.log",
                    "  reprise ingest nginx --nginx-conf /etc/nginx/nginx.conf --format-name json_combined access.log",
                    "  reprise ingest nginx /var/log/nginx          # access.log.N.gz ... access.log, oldest first"})
    static final class Nginx implements Callable<Integer> {
        private static final int SHOWN_REJECTS = 5;

        @ParentCommand
        IngestCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE",
                description = "Log files (.gz is detected), directories, quoted globs ('logs/access.log*'), "
                        + "or - for standard input; rotated sets load oldest first.")
        List<String> files;

        @Option(names = "--format", defaultValue = "combined", paramLabel = "FORMAT",
                description = "combined (default), common, main, or an nginx log_format string in quotes.")
        String format;

        @Option(names = "--nginx-conf", paramLabel = "NGINX_CONF",
                description = "Read the format from this nginx.conf's log_format directive named by --format-name.")
        Path nginxConf;

        @Option(names = "--format-name", paramLabel = "NAME",
                description = "The log_format to take from --nginx-conf (e.g. main).")
        String formatName;

        @Option(names = "--session-from", paramLabel = "VAR",
                description = "The variable that identifies a session, e.g. '$cookie_sid' or '$http_x_reprise_session' "
                        + "(default: session cookies and headers the format logs).")
        String sessionFrom;

        @Mixin
        SourceOptions source;

        @Override
        public Integer call() {
            if ((nginxConf == null) != (formatName == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), nginxConf == null
                        ? "--format-name needs --nginx-conf FILE, the nginx.conf that defines it"
                        : "--nginx-conf needs --format-name NAME, the log_format to read from it");
            }
            String logFormat = nginxConf != null ? NginxIngest.logFormatFromConf(nginxConf, formatName) : format;
            return run(spec, parent.root, source.sensitiveParams, (store, progress) -> NginxIngest.ingest(store, InputFiles.expand(files),
                    new NginxOptions(logFormat, source.anonymize(), source.salt(), source.replace, sessionFrom), progress, System.in));
        }

        /** Runs one ingest entry point and prints its summary; the exit code says whether input was cut. */
        static int run(CommandSpec spec, RepriseCommand root, String sensitiveParams,
                       java.util.function.BiFunction<Store, IngestProgress, IngestReport> ingest) {
            PrintWriter out = spec.commandLine().getOut();
            Terminal terminal = new Terminal(spec.commandLine().getErr(), Terminal.detectInteractive());
            IngestReport report;
            try (Store store = root.openStore()) {
                if (sensitiveParams != null) {
                    List<String> parts = SensitiveParameters.configure(store, sensitiveParams);
                    out.println("sensitive query parameters (kept for this store): "
                            + (parts.isEmpty() ? "none" : String.join(", ", parts)));
                }
                report = ingest.apply(store, new ProgressView(terminal));
                terminal.clearStatus();
                for (IngestReport.FileResult file : report.files()) {
                    out.println(describe(file));
                    if (!file.skipped()) {
                        printFirstRejects(out, store, file);
                    }
                }
            }
            if (report.files().size() > 1) {
                out.println("total: " + Formats.count(report.linesRead()) + " lines, "
                        + Formats.count(report.rowsLoaded()) + " loaded, "
                        + Formats.count(report.rowsRejected()) + " rejected"
                        + (report.rowsRejected() > 0 ? " (" + reasons(report.rejectsByReason()) + ")" : ""));
            }
            if (report.rowsRejected() > 0) {
                out.println("see the rejected lines: reprise sql \"SELECT source_id, line_no, reason, raw FROM rejects LIMIT 20\"");
            }
            out.flush();
            return report.hasTruncatedInput() ? ExitCodes.FAILURE : ExitCodes.OK;
        }

        /** The first few rejected lines, so a bad format shows up at once with line numbers. */
        private static void printFirstRejects(PrintWriter out, Store store, IngestReport.FileResult file) {
            long rejected = file.summary().rowsRejected();
            if (rejected == 0) {
                return;
            }
            for (Store.Reject r : store.rejects(file.summary().sourceId(), SHOWN_REJECTS)) {
                String raw = r.raw() == null ? "" : r.raw();
                out.println("  " + file.file().getFileName() + ":" + r.lineNo() + ": " + r.reason() + ": "
                        + (raw.length() > 100 ? raw.substring(0, 100) + "..." : raw));
            }
            if (rejected > SHOWN_REJECTS) {
                out.println("  ... and " + Formats.count(rejected - SHOWN_REJECTS) + " more");
            }
        }

        static String describe(IngestReport.FileResult file) {
            if (file.skipped()) {
                return file.skipMessage(); // names the file and the source that holds its content
            }
            SourceSummary s = file.summary();
            StringBuilder sb = new StringBuilder(file.file().toString()).append(": ")
                    .append(Formats.count(s.linesRead())).append(" lines, ")
                    .append(Formats.count(s.rowsLoaded())).append(" loaded, ")
                    .append(Formats.count(s.rowsRejected())).append(" rejected");
            if (!s.rejectsByReason().isEmpty()) {
                sb.append(" (").append(reasons(s.rejectsByReason())).append(")");
            }
            sb.append(" in ").append(String.format(java.util.Locale.ROOT, "%.2f", file.elapsed().toNanos() / 1e9))
                    .append(" s (").append(Formats.count((long) file.linesPerSecond())).append(" lines/s)");
            if (file.replacedSourceId() != null) {
                sb.append("; replaces source ").append(file.replacedSourceId());
            }
            if (file.appendedToSourceId() != null) {
                sb.append("; only the lines appended since source ").append(file.appendedToSourceId())
                        .append(" was loaded");
            }
            if (file.truncated()) {
                sb.append("; INPUT TRUNCATED: ").append(file.truncationMessage());
            }
            return sb.toString();
        }

        private static String reasons(Map<String, Long> byReason) {
            return byReason.entrySet().stream().map(e -> e.getKey() + " " + Formats.count(e.getValue()))
                    .collect(Collectors.joining(", "));
        }
    }

    /** {@code reprise ingest csv FILE... --map ts=...,path=...} */
    @Command(name = "csv", description = "Load CSV exports (plain or gzipped) through a column mapping.",
            footer = {"", "Examples:",
                    "  reprise ingest csv weblog.csv --map ts=2,client=1,request=3,status=4",
                    "  reprise ingest csv export.csv --map 'ts=time,client=ip,url=url,status=code' --ts-format epoch_ms",
                    "  reprise ingest csv export.csv --mapping export.map --delimiter ';' --zone Europe/Berlin",
                    "", "Mapping targets: " + "ts, client, session, request, url, target, method, path, query, protocol, "
                    + "status, bytes, request_time, duration_ms, upstream_time, referer, user_agent, host",
                    "(a column name, its number from 1, or a template such as 'ts={date} {time}'; see docs/ingest.md)"})
    static final class Csv implements Callable<Integer> {
        @ParentCommand
        IngestCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE",
                description = "CSV files (.gz is detected), directories, quoted globs, or - for standard input.")
        List<String> files;

        @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        MappingSource mapping;

        static final class MappingSource {
            @Option(names = "--map", paramLabel = "TARGET=COLUMN,...", required = true,
                    description = "Which column fills which field, e.g. ts=2,client=1,request=3,status=4 or "
                            + "ts=time,url=url,status=code.")
            String map;

            @Option(names = "--mapping", paramLabel = "FILE", required = true,
                    description = "A mapping file: one TARGET=COLUMN a line, # comments.")
            Path file;
        }

        @Option(names = "--ts-format", defaultValue = "auto", paramLabel = "FORMAT",
                description = "auto (default), epoch_s, epoch_ms, epoch_us, iso8601, time_local, or a date-time "
                        + "pattern such as 'dd.MM.yyyy HH:mm:ss'.")
        String tsFormat;

        @Option(names = "--zone", defaultValue = "UTC", paramLabel = "ZONE",
                description = "Zone of times written without an offset (default UTC), e.g. Europe/Berlin or +02:00.")
        String zone;

        @Option(names = "--delimiter", paramLabel = "CHAR",
                description = "Column delimiter: , ; | or tab (default: detected).")
        String delimiter;

        @Option(names = "--quote", paramLabel = "CHAR", description = "Quote character (default: detected).")
        Character quote;

        @Option(names = "--header", negatable = true,
                description = "The first row names the columns (default: when the mapping names columns).")
        Boolean header;

        @Mixin
        SourceOptions source;

        @Override
        public Integer call() {
            FieldMapping fields = mapping.map != null ? FieldMapping.parse(mapping.map) : FieldMapping.read(mapping.file);
            java.time.ZoneId zoneId = zone(spec, zone);
            CsvOptions options = new CsvOptions(fields, tsFormat, zoneId, delimiter(), quote, header, source.anonymize(),
                    source.salt(), source.replace);
            return Nginx.run(spec, parent.root, source.sensitiveParams, (store, progress) -> CsvIngest.ingest(store, InputFiles.expand(files),
                    options, progress, System.in));
        }

        static java.time.ZoneId zone(CommandSpec spec, String zone) {
            try {
                return java.time.ZoneId.of(zone);
            } catch (java.time.DateTimeException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--zone '" + zone
                        + "' is not a zone; use an id such as UTC, Europe/Berlin or +02:00");
            }
        }

        private Character delimiter() {
            if (delimiter == null) {
                return null;
            }
            if (delimiter.equalsIgnoreCase("tab") || delimiter.equals("\\t")) {
                return '\t';
            }
            if (delimiter.length() != 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--delimiter '" + delimiter
                        + "' is not one character; use , ; | or tab");
            }
            return delimiter.charAt(0);
        }
    }

    /** {@code reprise ingest jsonl FILE... --map ...} or with the nginx escape=json format that wrote it. */
    @Command(name = "jsonl", description = "Load JSON-lines logs (one JSON object a line, plain or gzipped).",
            footer = {"", "Examples:",
                    "  reprise ingest jsonl access.json --nginx-conf /etc/nginx/nginx.conf --format-name json_combined",
                    "  reprise ingest jsonl events.jsonl.gz --map 'ts=@timestamp,client=ip,url=url,status=code'",
                    "", "Mapping targets as for ingest csv; a column is a key of the objects (see docs/ingest.md)."})
    static final class JsonLines implements Callable<Integer> {
        @ParentCommand
        IngestCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE",
                description = "JSON-lines files (.gz is detected), directories, quoted globs, or - for standard input.")
        List<String> files;

        @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        MappingSource mapping;

        static final class MappingSource {
            @Option(names = "--map", paramLabel = "TARGET=KEY,...", required = true,
                    description = "Which key fills which field, e.g. ts=time,client=remote_addr,request=request.")
            String map;

            @Option(names = "--mapping", paramLabel = "FILE", required = true,
                    description = "A mapping file: one TARGET=KEY a line, # comments.")
            Path file;

            @Option(names = "--format", paramLabel = "LOG_FORMAT", required = true,
                    description = "The escape=json log_format (a JSON object of \"key\":\"$variable\") that wrote the log.")
            String format;

            @picocli.CommandLine.ArgGroup(exclusive = false)
            ConfFormat conf;
        }

        static final class ConfFormat {
            @Option(names = "--nginx-conf", paramLabel = "NGINX_CONF", required = true,
                    description = "Take that log_format from this nginx.conf ...")
            Path nginxConf;

            @Option(names = "--format-name", paramLabel = "NAME", required = true,
                    description = "... by its name.")
            String formatName;
        }

        @Option(names = "--ts-format", defaultValue = "auto", paramLabel = "FORMAT",
                description = "auto (default), epoch_s, epoch_ms, epoch_us, iso8601, time_local, or a date-time pattern.")
        String tsFormat;

        @Option(names = "--zone", defaultValue = "UTC", paramLabel = "ZONE",
                description = "Zone of times written without an offset (default UTC).")
        String zone;

        @Mixin
        SourceOptions source;

        @Override
        public Integer call() {
            FieldMapping fields = mapping.map != null ? FieldMapping.parse(mapping.map)
                    : mapping.file != null ? FieldMapping.read(mapping.file)
                    : JsonLinesIngest.mappingFromLogFormat(mapping.format != null ? mapping.format
                            : NginxIngest.logFormatFromConf(mapping.conf.nginxConf, mapping.conf.formatName));
            JsonLinesOptions options = new JsonLinesOptions(fields, tsFormat, Csv.zone(spec, zone), source.anonymize(),
                    source.salt(), source.replace);
            return Nginx.run(spec, parent.root, source.sensitiveParams, (store, progress) -> JsonLinesIngest.ingest(store,
                    InputFiles.expand(files), options, progress, System.in));
        }
    }

    /** Shows bytes, lines/s and rejects on a terminal while a file loads. */
    /** The options every kind of ingest takes: re-runs, anonymization and its key. */
    static final class SourceOptions {
        @Option(names = "--replace",
                description = "Reload a file already loaded (same content): its old source is replaced in one transaction.")
        boolean replace;

        @Option(names = "--no-anonymize", description = "Keep client addresses and ids as they are in the input "
                + "(recorded in sources).")
        boolean noAnonymize;

        @Option(names = "--sensitive-params", paramLabel = "LIST",
                description = "Query parameters to mask, kept for this store: names added to the built-in list "
                        + "(token, password, key, ...), -name to take one out, or none.")
        String sensitiveParams;

        @Option(names = "--salt", paramLabel = "SECRET",
                description = "Key for anonymizing hashes (default: $REPRISE_SALT, else a random key kept in the store).")
        String salt;

        boolean anonymize() {
            return !noAnonymize;
        }

        /** --salt, else $REPRISE_SALT, else null (the store's own key). */
        String salt() {
            return salt != null ? salt : System.getenv("REPRISE_SALT");
        }
    }

    static final class ProgressView implements IngestProgress {
        private final Terminal terminal;
        private Path file;
        private long sizeBytes;
        private long startedNanos;

        ProgressView(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public void started(Path file, long sizeBytes) {
            this.file = file;
            this.sizeBytes = sizeBytes;
            this.startedNanos = System.nanoTime();
        }

        @Override
        public void advanced(long bytesRead, long lines, long rejects) {
            double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
            String done = sizeBytes > 0 ? Formats.percent(Math.min(1.0, (double) bytesRead / sizeBytes)) + " " : "";
            terminal.status("ingest " + file.getFileName() + ": " + done + Formats.count(lines) + " lines, "
                    + Formats.count((long) (lines / seconds)) + " lines/s, " + Formats.count(rejects) + " rejected");
        }

        @Override
        public void finished(SourceSummary summary, boolean truncated) {
            terminal.clearStatus();
        }
    }
}
