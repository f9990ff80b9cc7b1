package dev.reprise.ingest;

import dev.reprise.ingest.nginx.LineParser;
import dev.reprise.ingest.read.LogFile;
import dev.reprise.model.RequestBatch;
import dev.reprise.model.RequestRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * Runs a {@link SourceScan} on a worker thread and hands its output to the calling thread in
 * batches, so reading and parsing one batch overlaps with loading the previous one into the store
 * (which stays on the calling thread). The worker writes rows straight into columnar
 * {@link RequestBatch}es (the store's bulk format), so the calling thread only inserts them. Memory
 * is bounded: a fixed set of {@value #BATCHES} batches circulates between the two threads, each at
 * most {@link RequestBatch#DEFAULT_CAPACITY} rows and {@value #BATCH_REJECTS} rejects.
 *
 * <p>Failures cross over: an exception of the scan is rethrown on the calling thread by
 * {@link #run}; a failure of the calling thread's sink stops the worker before it is rethrown.
 */
final class ScanPipeline {
    /** Rejects after which a batch is handed over even when its rows are not full. */
    static final int BATCH_REJECTS = 1024;
    /** One filling, one loading, one ready: enough to keep both threads busy. */
    private static final int BATCHES = 3;

    /** Where the batches go, on the calling thread. */
    interface BatchSink {
        /** Loads every row of {@code rows}; the pipeline clears the batch afterwards. */
        void rows(RequestBatch rows);

        void reject(long lineNo, String reason, String raw);

        void progress(long bytesRead, long lines, long rejects);
    }

    private ScanPipeline() {
    }

    /**
     * Scans {@code log} on a worker thread; {@code sink} receives batches of rows, the rejects and
     * progress on the calling thread, in line order batch by batch. {@code newBatch} makes the
     * {@value #BATCHES} row batches, which are closed before this returns.
     */
    static SourceScan.Result run(LogFile log, LineParser parser, String fileName, Supplier<RequestBatch> newBatch,
                                 BatchSink sink) throws IOException {
        BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
        BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
        List<Batch> all = new ArrayList<>(BATCHES);
        try {
            for (int i = 0; i < BATCHES; i++) {
                all.add(new Batch(newBatch.get()));
            }
            free.addAll(all);
            return run(log, parser, fileName, sink, free, full);
        } finally {
            for (Batch batch : all) {
                batch.rows.close();
            }
        }
    }

    private static SourceScan.Result run(LogFile log, LineParser parser, String fileName, BatchSink sink,
                                         BlockingQueue<Batch> free, BlockingQueue<Batch> full) throws IOException {
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
            current.rows.add(row);
            if (current.rows.isFull()) {
                handOver();
            }
        }

        @Override
        public void reject(long lineNo, String reason, String raw) {
            int i = current.rejectCount++;
            current.rejectLines[i] = lineNo;
            current.rejectReasons[i] = reason;
            current.rejectRaws[i] = raw;
            if (current.rejectCount == BATCH_REJECTS) {
                handOver();
            }
        }

        @Override
        public void progress(long bytesRead, long lines, long rejects) {
            current.hasProgress = true;
            current.bytesRead = bytesRead;
            current.lines = lines;
            current.rejects = rejects;
        }

        private void handOver() {
            try {
                full.put(current);
                current = null;
                current = free.take();
            } catch (InterruptedException e) {
                throw new Interrupted();
            }
        }
    }

    /**
     * Rows (columnar) and rejects of consecutive lines, plus the latest progress; recycled between the
     * threads. Rows and rejects go to different tables, so their order relative to each other does not
     * matter; each keeps its line order.
     */
    private static final class Batch {
        final RequestBatch rows;
        final long[] rejectLines = new long[BATCH_REJECTS];
        final String[] rejectReasons = new String[BATCH_REJECTS];
        final String[] rejectRaws = new String[BATCH_REJECTS];
        int rejectCount;
        boolean hasProgress;
        long bytesRead;
        long lines;
        long rejects;
        SourceScan.Result result;   // set on the last batch of a finished scan
        Throwable failure;          // set on the last batch of a failed scan

        Batch(RequestBatch rows) {
            this.rows = rows;
        }

        void drainTo(BatchSink sink) {
            if (!rows.isEmpty()) {
                sink.rows(rows);
            }
            for (int i = 0; i < rejectCount; i++) {
                sink.reject(rejectLines[i], rejectReasons[i], rejectRaws[i]);
            }
            if (hasProgress) {
                sink.progress(bytesRead, lines, rejects);
            }
        }

        void clear() {
            rows.clear();
            Arrays.fill(rejectReasons, 0, rejectCount, null);
            Arrays.fill(rejectRaws, 0, rejectCount, null);
            rejectCount = 0;
            hasProgress = false;
        }
    }
}
