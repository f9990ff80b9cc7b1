package dev.reprise.ingest;

import dev.reprise.model.SourceSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link NginxIngest#ingest} did, one {@link FileResult} per file in the order given. A caller
 * should exit non-zero when {@link #hasTruncatedInput()}: some input could not be read.
 */
public record IngestReport(List<FileResult> files) {
    public IngestReport {
        files = List.copyOf(files);
    }

    /** Lines read from all loaded files; equals {@link #rowsLoaded()} + {@link #rowsRejected()}. */
    public long linesRead() {
        return files.stream().filter(f -> !f.skipped()).mapToLong(f -> f.summary().linesRead()).sum();
    }

    public long rowsLoaded() {
        return files.stream().filter(f -> !f.skipped()).mapToLong(f -> f.summary().rowsLoaded()).sum();
    }

    public long rowsRejected() {
        return files.stream().filter(f -> !f.skipped()).mapToLong(f -> f.summary().rowsRejected()).sum();
    }

    /** Rejected lines per reason over all loaded files, most frequent first (ties by reason). */
    public java.util.Map<String, Long> rejectsByReason() {
        java.util.Map<String, Long> counts = new java.util.HashMap<>();
        files.stream().filter(f -> !f.skipped())
                .forEach(f -> f.summary().rejectsByReason().forEach((reason, n) -> counts.merge(reason, n, Long::sum)));
        java.util.Map<String, Long> sorted = new java.util.LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue(java.util.Comparator.reverseOrder())
                        .thenComparing(java.util.Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** True when a file ended early (a truncated or corrupt gzip stream): not all of it was read. */
    public boolean hasTruncatedInput() {
        return files.stream().anyMatch(FileResult::truncated);
    }

    /**
     * The outcome for one file: loaded (with its {@link SourceSummary}, possibly truncated) or skipped.
     *
     * @param summary           the committed source's accounting; null when skipped
     * @param truncated         the input ended early; what was readable is loaded
     * @param truncationMessage why it ended early, with the file name; null when not truncated
     * @param skipped           not read: the same content was loaded into this store before
     * @param skipMessage       which source holds it; null when not skipped
     * @param elapsed           wall time from opening the file to committing its source (zero when skipped)
     * @param replacedSourceId  the source this load replaced (same content loaded before, --replace); null if none
     * @param appendedToSourceId the source holding the file's earlier content, when only the lines
     *                          appended since were loaded; null if none
     */
    public record FileResult(Path file, SourceSummary summary, boolean truncated, String truncationMessage,
                             boolean skipped, String skipMessage, Duration elapsed, Integer replacedSourceId,
                             Integer appendedToSourceId) {
        public FileResult {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(elapsed, "elapsed");
            if (skipped != (summary == null)) {
                throw new IllegalArgumentException("a file result has a summary exactly when it was not skipped");
            }
            if (truncated != (truncationMessage != null)) {
                throw new IllegalArgumentException("a truncated file result needs its message, and only then");
            }
        }

        static FileResult loaded(Path file, SourceSummary summary, String truncationMessage, Duration elapsed,
                                 Integer replacedSourceId) {
            return new FileResult(file, summary, truncationMessage != null, truncationMessage, false, null, elapsed,
                    replacedSourceId, null);
        }

        static FileResult appended(Path file, SourceSummary summary, String truncationMessage, Duration elapsed,
                                   int appendedToSourceId) {
            return new FileResult(file, summary, truncationMessage != null, truncationMessage, false, null, elapsed,
                    null, appendedToSourceId);
        }

        static FileResult skipped(Path file, String message) {
            return new FileResult(file, null, false, null, true, message, Duration.ZERO, null, null);
        }

        /** Lines read per second of {@link #elapsed()}; 0 when skipped. */
        public double linesPerSecond() {
            double seconds = elapsed.toNanos() / 1e9;
            return skipped || seconds <= 0 ? 0 : summary.linesRead() / seconds;
        }
    }
}
