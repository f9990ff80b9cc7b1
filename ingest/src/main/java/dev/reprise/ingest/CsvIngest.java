package dev.reprise.ingest;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvFormat;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.csv.UnescapedQuoteHandling;
import dev.reprise.ingest.IngestReport.FileResult;
import dev.reprise.ingest.anon.Anonymizer;
import dev.reprise.ingest.nginx.RejectReason;
import dev.reprise.ingest.read.DecodedInput;
import dev.reprise.ingest.record.Columns;
import dev.reprise.ingest.record.RecordParser;
import dev.reprise.ingest.record.TimeFormat;
import dev.reprise.model.RequestRow;
import dev.reprise.model.SourceLoad;
import dev.reprise.model.SourceSpec;
import dev.reprise.model.SourceSummary;
import dev.reprise.model.Store;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads CSV exports (plain or gzip) into the raw layer of a store through a column mapping: one
 * source per file, each in its own transaction, every record either a row in {@code requests} or
 * a reason in {@code rejects}, so that {@code lines_read = rows_loaded + rows_rejected} counts
 * records (a header row is not one). A record's {@code line_no} is the file line it starts on.
 * Reading is Univocity's ({@link CsvParser}): quoted values, doubled quotes, quoted line breaks,
 * delimiter and quote detection.
 *
 * <pre>{@code
 * FieldMapping mapping = FieldMapping.parse("ts=2,client=1,request=3,status=4");
 * try (Store store = Store.open(Path.of("reprise.duckdb"))) {
 *     IngestReport report = CsvIngest.ingest(store, List.of(Path.of("weblog.csv")),
 *             CsvOptions.of(mapping), IngestProgress.NONE);
 * }
 * }</pre>
 *
 * <p>Re-runs, {@code --replace}, anonymization and truncated gzip behave as for
 * {@link NginxIngest}. Uses the calling thread only.
 */
public final class CsvIngest {
    /** Longest value accepted; a longer one is most likely an unclosed quote swallowing the file. */
    static final int MAX_VALUE_CHARS = 64 * 1024;
    private static final int MAX_COLUMNS = 1024;
    private static final int RAW_EXCERPT_CHARS = 2048;
    private static final long PROGRESS_INTERVAL_NANOS = 100_000_000L;

    private CsvIngest() {
    }

    /**
     * Loads {@code files} into {@code store}.
     *
     * @throws IngestException for user errors: an invalid time format, a salt with anonymization
     *                         off, a missing file, a header without a mapped column, a value longer
     *                         than 64 KiB (an unclosed quote), a mapping that loads no record
     */
    public static IngestReport ingest(Store store, List<Path> files, CsvOptions options, IngestProgress progress) {
        return ingest(store, files, options, progress, null);
    }

    /**
     * Like {@link #ingest(Store, List, CsvOptions, IngestProgress)}, where the file {@link NginxIngest#STDIN}
     * ({@code -}) stands for {@code standardInput} (plain or gzipped): loaded as a source with uri {@code -}
     * and no fingerprint (never skipped as loaded before), at most once per call.
     */
    public static IngestReport ingest(Store store, List<Path> files, CsvOptions options, IngestProgress progress,
                                      java.io.InputStream standardInput) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        TimeFormat timeFormat = TimeFormat.parse(options.tsFormat(), options.zone());
        SourceFiles.checkSalt(options.salt(), options.anonymize());
        SourceFiles.checkFiles(files, "no CSV files given; name one or more exports (plain or .gz)", standardInput);
        Anonymizer anonymizer = SensitiveParameters.anonymizer(store, options.anonymize(), options.salt());
        RecordParser parser = new RecordParser(options.mapping(), timeFormat, anonymizer);
        List<FileResult> results = new ArrayList<>(files.size());
        for (Path file : files) {
            results.add(ingestFile(store, file, parser, options, progress, standardInput));
        }
        return new IngestReport(results);
    }

    /** Loads one file, or standard input for {@link NginxIngest#STDIN}. */
    private static FileResult ingestFile(Store store, Path file, RecordParser parser, CsvOptions options,
                                         IngestProgress progress, java.io.InputStream standardInput) {
        SourceFiles.Candidate candidate = SourceFiles.Candidate.of(store, file);
        Optional<FileResult> skipped = candidate.skipped(options.replace(), progress);
        if (skipped.isPresent()) {
            return skipped.get();
        }
        progress.started(file, candidate.sizeBytes());
        long startNanos = System.nanoTime();
        SourceSpec spec = new SourceSpec(candidate.uri(), "csv", describe(options), candidate.fingerprint(),
                options.anonymize());
        try (DecodedInput input = DecodedInput.open(file, candidate.open(standardInput));
             SourceLoad load = candidate.begin(store, spec)) {
            Scan scan = new Scan(SourceFiles.shortName(file), parser, options, load, progress, input);
            scan.run();
            SourceSummary summary = load.commit(scan.records);
            progress.finished(summary, input.truncation() != null);
            String truncation = input.truncation() == null ? null : SourceFiles.displayName(file) + ": "
                    + input.truncation() + "; the " + scan.records + " records before that were read and the rest of "
                    + "the file is missing";
            return FileResult.loaded(file, summary, truncation, Duration.ofNanos(System.nanoTime() - startNanos),
                    candidate.earlier().orElse(null));
        } catch (IOException e) {
            throw candidate.cannotRead(e);
        }
    }

    /** What {@code sources.format} records: the mapping and how the file was read. */
    static String describe(CsvOptions options) {
        StringBuilder sb = new StringBuilder(options.mapping().toString());
        sb.append(";ts-format=").append(options.tsFormat());
        if (!options.zone().getId().equals("Z")) {
            sb.append(";zone=").append(options.zone().getId());
        }
        if (options.delimiter() != null) {
            sb.append(";delimiter=").append(options.delimiter() == '\t' ? "\\t" : options.delimiter().toString());
        }
        if (options.header() != null) {
            sb.append(";header=").append(options.header());
        }
        return sb.toString();
    }

    /** Reads one file's records and hands each to the source as a row or a reject. */
    private static final class Scan {
        private final String fileName;
        private final RecordParser parser;
        private final CsvOptions options;
        private final SourceLoad load;
        private final IngestProgress progress;
        private final DecodedInput input;
        long records;
        private long rows;
        private long rejects;
        private long wrongFormat;
        private long emptyRecords;
        private String firstWrongFormat;
        private boolean formatChecked;
        private long lastProgressNanos = System.nanoTime();

        Scan(String fileName, RecordParser parser, CsvOptions options, SourceLoad load, IngestProgress progress,
             DecodedInput input) {
            this.fileName = fileName;
            this.parser = parser;
            this.options = options;
            this.load = load;
            this.progress = progress;
            this.input = input;
        }

        void run() {
            CsvParserSettings settings = new CsvParserSettings();
            CsvFormat format = settings.getFormat();
            format.setComment('\0'); // a '#' row is data here, never silently skipped
            format.setLineSeparator("\n");
            if (options.delimiter() != null) {
                format.setDelimiter(options.delimiter());
            } else {
                settings.setDelimiterDetectionEnabled(true, ',', ';', '\t', '|');
            }
            if (options.quote() != null) {
                format.setQuote(options.quote());
                format.setQuoteEscape(options.quote());
            } else {
                settings.setQuoteDetectionEnabled(true);
            }
            settings.setSkipEmptyLines(false);
            settings.setIgnoreLeadingWhitespaces(false);
            settings.setIgnoreTrailingWhitespaces(false);
            settings.setMaxCharsPerColumn(MAX_VALUE_CHARS);
            settings.setMaxColumns(MAX_COLUMNS);
            settings.setUnescapedQuoteHandling(UnescapedQuoteHandling.STOP_AT_DELIMITER);
            settings.setNullValue(null);
            settings.setEmptyValue("");
            settings.setKeepQuotes(false);
            settings.setInputBufferSize(64 * 1024);
            CsvParser csv = new CsvParser(settings);
            boolean header = options.header() != null ? options.header() : options.mapping().namesColumns();
            Reader reader = new InputStreamReader(input, StandardCharsets.UTF_8); // invalid UTF-8 becomes U+FFFD
            long nextLine = 1;
            try {
                csv.beginParsing(reader);
                Columns columns = null;
                if (header) {
                    String[] names = csv.parseNext();
                    if (names == null) {
                        throw new IngestException(fileName + ": is empty, but the mapping names columns of a header "
                                + "row; number the columns (ts=1,...) or check the file");
                    }
                    columns = Columns.named(names);
                    columns.check(options.mapping(), fileName + ":1");
                    nextLine = csv.getContext().currentLine() + 1;
                }
                String[] pending = null;
                long pendingLine = 0;
                String pendingRaw = null;
                String[] values;
                while ((values = csv.parseNext()) != null) {
                    if (columns == null) {
                        columns = Columns.numbered(values.length);
                        columns.check(options.mapping(), fileName + ":" + nextLine);
                    }
                    if (pending != null) {
                        process(pendingLine, columns, pending, pendingRaw);
                    }
                    pending = values;
                    pendingLine = nextLine;
                    pendingRaw = csv.getContext().currentParsedContent();
                    nextLine = csv.getContext().currentLine() + 1;
                }
                if (pending != null) {
                    if (input.truncation() != null) {
                        // the cut last record of a truncated gzip stream is not trusted
                        records++;
                        rejects++;
                        load.reject(pendingLine, RejectReason.TRUNCATED_LINE.code(), excerpt(parser.excerpt(
                                raw(pending, pendingRaw), columns, pending), RAW_EXCERPT_CHARS));
                    } else {
                        process(pendingLine, columns, pending, pendingRaw);
                    }
                }
                checkFormat(true);
                progress.advanced(input.bytesRead(), records, rejects);
            } catch (TextParsingException e) {
                long line = nextLine; // where the record that could not be read starts
                throw new IngestException(fileName + ":" + line + ": " + (e.getMessage() != null
                        && e.getMessage().contains("maximum number of characters")
                        ? "a value is longer than " + MAX_VALUE_CHARS + " characters, most likely a quote that is "
                        + "never closed; fix the quoting or give --quote"
                        : e.getMessage() != null && e.getMessage().contains("maximum number of columns")
                        ? "a record has more than " + MAX_COLUMNS + " columns; check --delimiter"
                        : "cannot read the CSV: " + firstLine(e.getMessage())), e);
            } finally {
                csv.stopParsing();
            }
        }

        private void process(long lineNo, Columns columns, String[] values, String raw) {
            records++;
            RequestRow row = parser.parse(lineNo, columns, values);
            if (row != null) {
                rows++;
                load.append(row);
            } else {
                RejectReason reason = parser.rejectReason();
                if (reason == RejectReason.EMPTY_LINE) {
                    emptyRecords++;
                } else if (reason.suggestsWrongFormat()) {
                    wrongFormat++;
                    if (firstWrongFormat == null) {
                        firstWrongFormat = fileName + ":" + lineNo + ": " + reason.code() + " in '"
                                + excerpt(parser.excerpt(raw(values, raw), columns, values), 100) + "'";
                    }
                }
                rejects++;
                load.reject(lineNo, reason.code(), excerpt(parser.excerpt(raw(values, raw), columns, values),
                        RAW_EXCERPT_CHARS));
            }
            if (records == SourceScan.FORMAT_CHECK_LINES) {
                checkFormat(false);
            }
            if ((records & 1023) == 0) {
                long now = System.nanoTime();
                if (now - lastProgressNanos >= PROGRESS_INTERVAL_NANOS) {
                    lastProgressNanos = now;
                    progress.advanced(input.bytesRead(), records, rejects);
                }
            }
        }

        private String raw(String[] values, String parsedContent) {
            if (parsedContent != null) {
                return parsedContent;
            }
            StringBuilder sb = new StringBuilder();
            char delimiter = options.delimiter() != null ? options.delimiter() : ',';
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    sb.append(delimiter);
                }
                sb.append(values[i] == null ? "" : values[i]);
            }
            return sb.toString();
        }

        private void checkFormat(boolean atEnd) {
            if (formatChecked) {
                return;
            }
            formatChecked = true;
            if (rows == 0 && wrongFormat > 0 && wrongFormat * 2 >= records - emptyRecords) {
                throw new IngestException(firstWrongFormat + " (" + (atEnd ? "no record of the file loads"
                        : "none of the first " + SourceScan.FORMAT_CHECK_LINES + " records loads")
                        + "; check --map and --ts-format, and the delimiter)");
            }
        }

        private static String excerpt(String s, int max) {
            if (s == null) {
                return null;
            }
            String line = s.endsWith("\r\n") ? s.substring(0, s.length() - 2)
                    : s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
            return line.length() <= max ? line : line.substring(0, max);
        }

        private static String firstLine(String message) {
            if (message == null) {
                return "unknown error";
            }
            int nl = message.indexOf('\n');
            return nl < 0 ? message : message.substring(0, nl);
        }
    }
}
