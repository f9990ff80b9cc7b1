package dev.reprise.ingest;

import dev.reprise.model.SourceSummary;
import java.nio.file.Path;

/**
 * Receives progress from {@link NginxIngest}, on the thread that called it. For each file that is
 * read: {@link #started}, then {@link #advanced} at most about every 100 ms, then {@link #finished}.
 * A file skipped because it was loaded before gets {@link #skipped} only.
 */
public interface IngestProgress {
    /** Nothing reported. */
    IngestProgress NONE = new IngestProgress() {
        @Override
        public void started(Path file, long sizeBytes) {
        }

        @Override
        public void advanced(long bytesRead, long lines, long rejects) {
        }

        @Override
        public void finished(SourceSummary summary, boolean truncated) {
        }
    };

    /** A file is about to be read; {@code sizeBytes} is its size on disk (compressed, for gzip). */
    void started(Path file, long sizeBytes);

    /**
     * Work done in the current file so far: {@code bytesRead} of its {@code sizeBytes} on disk, lines
     * read, and how many of those were rejected.
     */
    void advanced(long bytesRead, long lines, long rejects);

    /** The current file is committed; {@code truncated} when its input ended early (see the report). */
    void finished(SourceSummary summary, boolean truncated);

    /** A file was not read because the same content was loaded before; {@code message} says which. */
    default void skipped(Path file, String message) {
    }
}
