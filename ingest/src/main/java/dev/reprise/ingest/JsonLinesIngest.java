package dev.reprise.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.reprise.ingest.IngestReport.FileResult;
import dev.reprise.ingest.anon.Anonymizer;
import dev.reprise.ingest.nginx.RejectReason;
import dev.reprise.ingest.read.LogFile;
import dev.reprise.ingest.record.Columns;
import dev.reprise.ingest.record.RecordParser;
import dev.reprise.ingest.record.TimeFormat;
import dev.reprise.model.RequestRow;
import dev.reprise.model.SourceLoad;
import dev.reprise.model.SourceSpec;
import dev.reprise.model.SourceSummary;
import dev.reprise.model.Store;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads JSON-lines logs (one JSON object a line, as nginx writes an {@code escape=json} format that
 * is an object; plain or gzip) through a field mapping: one source per file, each in its own
 * transaction, every line either a row in {@code requests} or a reason in {@code rejects}. Keys
 * are mapped as columns are for CSV ({@link dev.reprise.ingest.record.FieldMapping}); numbers and
 * booleans count as their text, nested objects and arrays as their JSON, {@code null} as absent.
 * A line that is not one JSON object is rejected as {@code bad_json}. Parsing is Jackson's
 * streaming parser.
 *
 * <pre>{@code
 * FieldMapping mapping = FieldMapping.parse("ts=time,client=remote_addr,request=request,status=status");
 * IngestReport report = JsonLinesIngest.ingest(store, List.of(Path.of("access.json")),
 *         JsonLinesOptions.of(mapping), IngestProgress.NONE);
 * }</pre>
 *
 * <p>Re-runs, {@code --replace}, anonymization, long lines and truncated gzip behave as for
 * {@link NginxIngest}. Uses the calling thread only.
 */
public final class JsonLinesIngest {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
    private static final long PROGRESS_INTERVAL_NANOS = 100_000_000L;
    private static final int RAW_EXCERPT_BYTES = 2048;

    private JsonLinesIngest() {
    }

    /**
     * The mapping of the nginx {@code escape=json} log_format (a name, string or whole directive, as
     * {@link NginxOptions#format()}) that wrote a JSON-lines log: each key maps to the column its
     * variable fills ({@link dev.reprise.ingest.record.FieldMapping#fromJsonLogFormat}).
     *
     * @throws IngestException when the format is not a JSON object of key/variable pairs or lacks a
     *                         time or a request
     */
    public static dev.reprise.ingest.record.FieldMapping mappingFromLogFormat(String logFormat) {
        return dev.reprise.ingest.record.FieldMapping.fromJsonLogFormat(dev.reprise.ingest.nginx.LogFormat.parse(logFormat));
    }

    /**
     * Loads {@code files} into {@code store}.
     *
     * @throws IngestException for user errors: an invalid time format, a salt with anonymization
     *                         off, a missing file, a mapping under which no line loads
     */
    public static IngestReport ingest(Store store, List<Path> files, JsonLinesOptions options,
                                      IngestProgress progress) {
        return ingest(store, files, options, progress, null);
    }

    /**
     * Like {@link #ingest(Store, List, JsonLinesOptions, IngestProgress)}, where the file
     * {@link NginxIngest#STDIN} ({@code -}) stands for {@code standardInput} (plain or gzipped): loaded as a
     * source with uri {@code -} and no fingerprint (never skipped as loaded before), at most once per call.
     */
    public static IngestReport ingest(Store store, List<Path> files, JsonLinesOptions options,
                                      IngestProgress progress, java.io.InputStream standardInput) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        TimeFormat timeFormat = TimeFormat.parse(options.tsFormat(), options.zone());
        SourceFiles.checkSalt(options.salt(), options.anonymize());
        SourceFiles.checkFiles(files, "no JSON-lines files given; name one or more logs (plain or .gz)", standardInput);
        Anonymizer anonymizer = SensitiveParameters.anonymizer(store, options.anonymize(), options.salt());
        RecordParser parser = new RecordParser(options.mapping(), timeFormat, anonymizer);
        List<FileResult> results = new ArrayList<>(files.size());
        for (Path file : files) {
            results.add(ingestFile(store, file, parser, options, progress, standardInput));
        }
        return new IngestReport(results);
    }

    /** Loads one file, or standard input for {@link NginxIngest#STDIN}. */
    private static FileResult ingestFile(Store store, Path file, RecordParser parser, JsonLinesOptions options,
                                         IngestProgress progress, java.io.InputStream standardInput) {
        SourceFiles.Candidate candidate = SourceFiles.Candidate.of(store, file);
        Optional<FileResult> skipped = candidate.skipped(options.replace(), progress);
        if (skipped.isPresent()) {
            return skipped.get();
        }
        progress.started(file, candidate.sizeBytes());
        long startNanos = System.nanoTime();
        SourceSpec spec = new SourceSpec(candidate.uri(), "jsonl", options.mapping() + ";ts-format=" + options.tsFormat(),
                candidate.fingerprint(), options.anonymize());
        try (LogFile log = LogFile.open(file, candidate.open(standardInput));
             SourceLoad load = candidate.begin(store, spec)) {
            Scan scan = new Scan(SourceFiles.shortName(file), parser, load, progress, log);
            scan.run();
            SourceSummary summary = load.commit(scan.lines);
            progress.finished(summary, log.isTruncated());
            String truncation = log.isTruncated() ? SourceFiles.displayName(file) + ": " + log.truncationMessage()
                    + "; the " + scan.lines + " lines before that were read and the rest of the file is missing" : null;
            return FileResult.loaded(file, summary, truncation, Duration.ofNanos(System.nanoTime() - startNanos),
                    candidate.earlier().orElse(null));
        } catch (IOException e) {
            throw candidate.cannotRead(e);
        }
    }

    /** Reads one file's lines and hands each to the source as a row or a reject. */
    private static final class Scan {
        private final String fileName;
        private final RecordParser parser;
        private final SourceLoad load;
        private final IngestProgress progress;
        private final LogFile log;
        private final List<String> keys = new ArrayList<>();
        private final List<String> values = new ArrayList<>();
        private String[] previousKeys = new String[0];
        private Columns columns = Columns.named(new String[0]);
        long lines;
        private long rows;
        private long rejects;
        private long wrongFormat;
        private long emptyLines;
        private String firstWrongFormat;
        private boolean formatChecked;
        private long lastProgressNanos = System.nanoTime();

        Scan(String fileName, RecordParser parser, SourceLoad load, IngestProgress progress, LogFile log) {
            this.fileName = fileName;
            this.parser = parser;
            this.load = load;
            this.progress = progress;
            this.log = log;
        }

        void run() throws IOException {
            while (log.next()) {
                lines++;
                long lineNo = log.lineNo();
                String text = new String(log.buffer(), log.lineStart(), log.lineEnd() - log.lineStart(),
                        StandardCharsets.UTF_8);
                if (log.isTooLong()) {
                    reject(lineNo, RejectReason.LINE_TOO_LONG, text, null);
                } else if (log.isUnterminated() && log.isTruncated()) {
                    reject(lineNo, RejectReason.TRUNCATED_LINE, text, null);
                } else if (text.isBlank()) {
                    emptyLines++;
                    reject(lineNo, RejectReason.EMPTY_LINE, text, null);
                } else if (!readObject(text)) {
                    wrongFormat(lineNo, RejectReason.BAD_JSON, text);
                    reject(lineNo, RejectReason.BAD_JSON, text, null);
                } else {
                    String[] keyArray = keys.toArray(new String[0]);
                    if (!Arrays.equals(keyArray, previousKeys)) {
                        previousKeys = keyArray;
                        columns = Columns.named(keyArray);
                    }
                    String[] valueArray = values.toArray(new String[0]);
                    RequestRow row = parser.parse(lineNo, columns, valueArray);
                    if (row != null) {
                        rows++;
                        load.append(row);
                    } else {
                        RejectReason reason = parser.rejectReason();
                        if (reason.suggestsWrongFormat()) {
                            wrongFormat(lineNo, reason, text);
                        }
                        reject(lineNo, reason, text, valueArray);
                    }
                }
                if (lines == SourceScan.FORMAT_CHECK_LINES) {
                    checkFormat(false);
                }
                if ((lines & 1023) == 0) {
                    long now = System.nanoTime();
                    if (now - lastProgressNanos >= PROGRESS_INTERVAL_NANOS) {
                        lastProgressNanos = now;
                        progress.advanced(log.bytesRead(), lines, rejects);
                    }
                }
            }
            checkFormat(true);
            progress.advanced(log.bytesRead(), lines, rejects);
        }

        /** Reads one JSON object's top-level keys and values into {@link #keys} and {@link #values}. */
        private boolean readObject(String text) {
            keys.clear();
            values.clear();
            try (JsonParser json = JSON.createParser(text)) {
                if (json.nextToken() != JsonToken.START_OBJECT) {
                    return false;
                }
                JsonToken token;
                while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
                    keys.add(json.currentName());
                    JsonToken value = json.nextToken();
                    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                        StringWriter nested = new StringWriter();
                        try (JsonGenerator out = JSON.createGenerator(nested)) {
                            out.copyCurrentStructure(json);
                        }
                        values.add(nested.toString());
                    } else {
                        values.add(value == JsonToken.VALUE_NULL ? null : json.getText());
                    }
                }
                return token == JsonToken.END_OBJECT && json.nextToken() == null;
            } catch (IOException e) { // Jackson's JsonProcessingException: not JSON
                return false;
            }
        }

        private void wrongFormat(long lineNo, RejectReason reason, String text) {
            wrongFormat++;
            if (firstWrongFormat == null) {
                String excerpt = parser.excerpt(text.length() > 100 ? text.substring(0, 100) : text, columns,
                        new String[0]);
                firstWrongFormat = fileName + ":" + lineNo + ": " + reason.code() + " in '" + excerpt + "'"
                        + (reason == RejectReason.BAD_JSON ? "" : " (keys: " + String.join(", ", keys) + ")");
            }
        }

        private void reject(long lineNo, RejectReason reason, String text, String[] valueArray) {
            rejects++;
            String excerpt = text.length() > RAW_EXCERPT_BYTES ? text.substring(0, RAW_EXCERPT_BYTES) : text;
            load.reject(lineNo, reason.code(), parser.excerpt(excerpt, columns,
                    valueArray == null ? new String[0] : valueArray));
        }

        private void checkFormat(boolean atEnd) {
            if (formatChecked) {
                return;
            }
            formatChecked = true;
            if (rows == 0 && wrongFormat > 0 && wrongFormat * 2 >= lines - emptyLines) {
                throw new IngestException(firstWrongFormat + " (" + (atEnd ? "no line of the file loads"
                        : "none of the first " + SourceScan.FORMAT_CHECK_LINES + " lines loads")
                        + "; check --map and --ts-format)");
            }
        }
    }
}
