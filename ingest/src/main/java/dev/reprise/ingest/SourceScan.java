package dev.reprise.ingest;

import dev.reprise.ingest.nginx.LineParser;
import dev.reprise.ingest.nginx.RejectReason;
import dev.reprise.ingest.read.LogFile;
import dev.reprise.model.RequestRow;
import java.io.IOException;

/**
 * Reads every line of one file and hands each to a {@link Sink} as a row or a reject, so that
 * lines read = rows + rejects. Stops with an {@link IngestException} when the format is plainly
 * wrong: no line of the first {@value #FORMAT_CHECK_LINES} (or of a shorter file) loads, and at
 * least half of the non-empty ones fail on the format's shape or typed fields.
 */
final class SourceScan {
    /** Lines after which a format that loaded nothing is judged wrong. */
    static final int FORMAT_CHECK_LINES = 1000;
    /** Lines between two {@link Sink#progress} calls. */
    static final int PROGRESS_EVERY_LINES = 1024;

    /** Where the scan's output goes; called on the scanning thread. */
    interface Sink {
        void row(RequestRow row);

        void reject(long lineNo, String reason, String raw);

        /** Called every {@value #PROGRESS_EVERY_LINES} lines and at the end. */
        void progress(long bytesRead, long lines, long rejects);
    }

    /** The accounting of a finished scan; {@code truncation} is null when the input was whole. */
    record Result(long linesRead, long rowsLoaded, long rowsRejected, String truncation) {
    }

    private final LogFile log;
    private final LineParser parser;
    private final String fileName;
    private final Sink sink;
    private long rows;
    private long rejects;
    private long emptyLines;
    private long wrongFormatRejects;
    private String firstWrongFormat;
    private boolean formatChecked;

    private SourceScan(LogFile log, LineParser parser, String fileName, Sink sink) {
        this.log = log;
        this.parser = parser;
        this.fileName = fileName;
        this.sink = sink;
    }

    /**
     * Scans {@code log} to its end.
     *
     * @param fileName how messages name the file
     * @throws IngestException when the format is plainly wrong for this file
     * @throws IOException     when reading fails other than by a truncated gzip stream
     */
    static Result run(LogFile log, LineParser parser, String fileName, Sink sink) throws IOException {
        return new SourceScan(log, parser, fileName, sink).run();
    }

    private Result run() throws IOException {
        long lines = 0;
        while (log.next()) {
            lines++;
            long lineNo = log.lineNo();
            byte[] b = log.buffer();
            if (log.isTooLong()) {
                reject(lineNo, RejectReason.LINE_TOO_LONG, parser.unparsedLine(b, log.lineStart(), log.lineEnd()));
            } else if (log.isUnterminated() && log.isTruncated()) {
                reject(lineNo, RejectReason.TRUNCATED_LINE, parser.unparsedLine(b, log.lineStart(), log.lineEnd()));
            } else {
                RequestRow row = parser.parse(b, log.lineStart(), log.lineEnd(), lineNo);
                if (row != null) {
                    rows++;
                    sink.row(row);
                } else {
                    RejectReason reason = parser.rejectReason();
                    if (reason == RejectReason.EMPTY_LINE) {
                        emptyLines++;
                    } else if (reason.suggestsWrongFormat()) {
                        if (firstWrongFormat == null) {
                            firstWrongFormat = parser.describeReject(fileName, lineNo);
                        }
                        wrongFormatRejects++;
                    }
                    reject(lineNo, reason, parser.rejectedLine());
                }
            }
            if (lines == FORMAT_CHECK_LINES) {
                checkFormat(lines, false);
            }
            if (lines % PROGRESS_EVERY_LINES == 0) {
                sink.progress(log.bytesRead(), lines, rejects);
            }
        }
        checkFormat(lines, true);
        sink.progress(log.bytesRead(), lines, rejects);
        String truncation = log.isTruncated() ? fileName + ": " + log.truncationMessage() + "; the " + lines
                + " lines before that were read and the rest of the file is missing" : null;
        return new Result(lines, rows, rejects, truncation);
    }

    private void reject(long lineNo, RejectReason reason, String raw) {
        rejects++;
        sink.reject(lineNo, reason.code(), raw);
    }

    private void checkFormat(long lines, boolean atEnd) {
        if (formatChecked) {
            return;
        }
        formatChecked = true;
        long nonEmpty = lines - emptyLines;
        if (rows == 0 && wrongFormatRejects > 0 && wrongFormatRejects * 2 >= nonEmpty) {
            String scope = atEnd ? "no line of the file loads" : "none of the first " + FORMAT_CHECK_LINES
                    + " lines loads";
            throw new IngestException(firstWrongFormat + " (" + scope + "; check --format, or pass the "
                    + "log_format string from nginx.conf)");
        }
    }
}
