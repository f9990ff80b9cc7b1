package dev.reprise.ingest;

import dev.reprise.ingest.nginx.LineParser;
import dev.reprise.ingest.read.LogFile;
import dev.reprise.model.RequestRow;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a {@link SourceScan} on a worker thread and hands its output to the calling thread in
 * batches, so reading and parsing one batch overlaps with loading the previous one into the store
 * (which stays on the calling thread). Memory is bounded: a fixed set of batches circulates between
 * the two threads.
 *
 * <p>Failures cross over: an exception of the scan is rethrown on the calling thread by
 * {@link #run}; a failure of the calling thread's sink stops the worker before it is rethrown.
 */
final class ScanPipeline {
    static final int BATCH_ENTRIES = 1024;
    private static final int BATCHES = 8;

    private ScanPipeline() {
    }

    /**
     * Scans {@code log} on a worker thread; {@code sink} receives rows, rejects and progress on the
     * calling thread, in line order.
     */
    static SourceScan.Result run(LogFile log, LineParser parser, String fileName, SourceScan.Sink sink)
            throws IOException {
        BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
        BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
        for (int i = 0; i < BATCHES; i++) {
            free.add(new Batch());
        }
        Thread worker = new Thread(() -> produce(log, parser, fileName, free, full),
                "reprise-ingest-parse " + fileName);
        worker.setDaemon(true);
        worker.start();
        boolean finished = false;
        try {
            while (true) {
                Batch batch = full.take();
                batch.drainTo(sink);
                if (batch.failure != null) {
                    finished = true;
                    throw rethrow(batch.failure);
                }
                if (batch.result != null) {
                    finished = true;
                    return batch.result;
                }
                batch.clear();
                free.put(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException(fileName + ": interrupted while loading", e);
        } finally {
            if (!finished) {
                worker.interrupt(); // the worker may be blocked on a full queue
            }
            joinQuietly(worker);
        }
    }

    private static void produce(LogFile log, LineParser parser, String fileName, BlockingQueue<Batch> free,
                                BlockingQueue<Batch> full) {
        BatchingSink sink = new BatchingSink(free, full);
        Batch last;
        try {
            sink.current = free.take();
            SourceScan.Result result = SourceScan.run(log, parser, fileName, sink);
            last = sink.current;
            last.result = result;
        } catch (InterruptedException | Interrupted e) {
            return; // the calling thread gave up; nobody waits for more batches
        } catch (IOException | RuntimeException | Error e) {
            last = sink.current;
            if (last == null) {
                return;
            }
            last.failure = e;
        }
        try {
            full.put(last);
        } catch (InterruptedException e) {
            // the calling thread gave up
        }
    }

    private static RuntimeException rethrow(Throwable failure) throws IOException {
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("unexpected failure while scanning; this is a bug", failure);
    }

    private static void joinQuietly(Thread worker) {
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thrown inside the worker when it is interrupted while handing over a batch. */
    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super(null, null, false, false);
        }
    }

    /** Fills batches on the worker thread and passes each full one to the calling thread. */
    private static final class BatchingSink implements SourceScan.Sink {
        private final BlockingQueue<Batch> free;
        private final BlockingQueue<Batch> full;
        Batch current;

        BatchingSink(BlockingQueue<Batch> free, BlockingQueue<Batch> full) {
            this.free = free;
            this.full = full;
        }

        @Override
        public void row(RequestRow row) {
            current.kinds[current.size] = Batch.ROW;
            current.rows[current.size] = row;
            advance();
        }

        @Override
        public void reject(long lineNo, String reason, String raw) {
            current.kinds[current.size] = Batch.REJECT;
            current.rejectLines[current.size] = lineNo;
            current.rejectReasons[current.size] = reason;
            current.rejectRaws[current.size] = raw;
            advance();
        }

        @Override
        public void progress(long bytesRead, long lines, long rejects) {
            current.hasProgress = true;
            current.bytesRead = bytesRead;
            current.lines = lines;
            current.rejects = rejects;
        }

        private void advance() {
            if (++current.size < BATCH_ENTRIES) {
                return;
            }
            try {
                full.put(current);
                current = null;
                current = free.take();
            } catch (InterruptedException e) {
                throw new Interrupted();
            }
        }
    }

    /** Rows and rejects in line order, plus the latest progress; recycled between the threads. */
    private static final class Batch {
        static final byte ROW = 0;
        static final byte REJECT = 1;

        final byte[] kinds = new byte[BATCH_ENTRIES];
        final RequestRow[] rows = new RequestRow[BATCH_ENTRIES];
        final long[] rejectLines = new long[BATCH_ENTRIES];
        final String[] rejectReasons = new String[BATCH_ENTRIES];
        final String[] rejectRaws = new String[BATCH_ENTRIES];
        int size;
        boolean hasProgress;
        long bytesRead;
        long lines;
        long rejects;
        SourceScan.Result result;   // set on the last batch of a finished scan
        Throwable failure;          // set on the last batch of a failed scan

        void drainTo(SourceScan.Sink sink) {
            for (int i = 0; i < size; i++) {
                if (kinds[i] == ROW) {
                    sink.row(rows[i]);
                } else {
                    sink.reject(rejectLines[i], rejectReasons[i], rejectRaws[i]);
                }
            }
            if (hasProgress) {
                sink.progress(bytesRead, lines, rejects);
            }
        }

        void clear() {
            Arrays.fill(rows, 0, size, null);
            Arrays.fill(rejectReasons, 0, size, null);
            Arrays.fill(rejectRaws, 0, size, null);
            size = 0;
            hasProgress = false;
        }
    }
}
