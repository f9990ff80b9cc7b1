package dev.reprise.replay.schedule;

/**
 * Exact-mode arrivals: recorded request {@code i} at its recorded offset divided by the speed; with
 * looping, pass {@code k} repeats them shifted by k window lengths. Arrival index
 * {@code k * size + i}; {@link #requestOf(long)} maps it back to the recorded request. Deterministic,
 * allocation-free, constant memory beyond the shared offsets array.
 */
public final class RecordedArrivals implements Arrivals {
    private final long[] offsetMicros;
    private final double speed;
    private final long windowNanos;
    private final long endNanos;
    private final boolean loop;
    private long nextIndex;

    /**
     * @param offsetMicros  recorded offsets from the window start, non-decreasing (shared, never written)
     * @param windowMicros  length of the recorded window
     * @param durationNanos replay time after which nothing arrives
     */
    public RecordedArrivals(long[] offsetMicros, long windowMicros, double speed, long durationNanos, boolean loop) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0");
        }
        this.offsetMicros = offsetMicros;
        this.speed = speed;
        this.windowNanos = (long) (windowMicros * 1000.0 / speed);
        this.endNanos = durationNanos;
        this.loop = loop && windowNanos > 0;
    }

    @Override
    public boolean hasNext() {
        if (offsetMicros.length == 0) {
            return false;
        }
        if (!loop && nextIndex >= offsetMicros.length) {
            return false;
        }
        return offsetNanos(nextIndex) < endNanos;
    }

    @Override
    public long peekOffsetNanos() {
        if (!hasNext()) {
            throw new IllegalStateException("no more arrivals");
        }
        return offsetNanos(nextIndex);
    }

    @Override
    public long next() {
        peekOffsetNanos();
        return nextIndex++;
    }

    /** The recorded request (position in the recording) an arrival index sends. */
    public int requestOf(long index) {
        return (int) (index % offsetMicros.length);
    }

    private long offsetNanos(long index) {
        long pass = index / offsetMicros.length;
        int i = (int) (index % offsetMicros.length);
        return pass * windowNanos + (long) (offsetMicros[i] * 1000.0 / speed);
    }
}
