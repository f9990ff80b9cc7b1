package dev.reprise.model;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds bursts of session arrivals in {@code arrivals} and writes them to {@code spikes}.
 *
 * <p>Detection is robust to the diurnal curve and to the spike itself: session starts are summed into
 * blocks of {@code spike_min_duration_s}; each block is compared with the median of the blocks in a
 * centred window of {@code spike_window_s} (a median ignores a burst shorter than half the window), and
 * flagged when it exceeds that median by {@code spike_mads} robust standard deviations, the deviation
 * being 1.4826 × MAD but never less than the Poisson deviation √max(median, 1) (counts are Poisson:
 * in a quiet night the MAD is 0 and one extra visitor must not make a spike). Runs of flagged blocks are
 * spikes. Their edges are then located at bucket resolution by maximum likelihood: the start is the
 * bucket s that maximizes Σ_{t ≥ s} (c_t ln(λ1/λ0) − (λ1 − λ0)) over the block before and the first
 * block of the run (the log-likelihood ratio of Poisson counts switching from the baseline rate λ0 to
 * the spike rate λ1 at s), and the end symmetrically.
 */
final class SpikeDetector {
    /** Consistency constant that turns a MAD into a standard deviation for normal data. */
    private static final double MAD_TO_SIGMA = 1.4826;

    private SpikeDetector() {
    }

    static void detect(Statement st) throws SQLException {
        double bucketSeconds = param(st, "bucket_s");
        long bucketMicros = Math.round(bucketSeconds * 1e6);
        int perBlock = (int) Math.max(1, Math.round(param(st, "spike_min_duration_s") / bucketSeconds));
        int windowBlocks = (int) Math.max(3, Math.round(param(st, "spike_window_s") / bucketSeconds / perBlock));
        double mads = param(st, "spike_mads");

        long firstMicros;
        long lastMicros;
        try (ResultSet rs = st.executeQuery("SELECT min(epoch_us(bucket_start)), max(epoch_us(bucket_start)) FROM arrivals")) {
            rs.next();
            firstMicros = rs.getLong(1);
            if (rs.wasNull()) {
                return;
            }
            lastMicros = rs.getLong(2);
        }
        int buckets = (int) ((lastMicros - firstMicros) / bucketMicros) + 1;
        long[] counts = new long[buckets];
        try (ResultSet rs = st.executeQuery("SELECT epoch_us(bucket_start), sessions FROM arrivals")) {
            while (rs.next()) {
                counts[(int) ((rs.getLong(1) - firstMicros) / bucketMicros)] += rs.getLong(2);
            }
        }
        int blocks = (buckets + perBlock - 1) / perBlock;
        if (blocks < windowBlocks) {
            return; // too short a recording to tell a burst from the usual
        }
        double[] y = new double[blocks];
        for (int t = 0; t < buckets; t++) {
            y[t / perBlock] += counts[t];
        }
        double[] median = new double[blocks];
        double[] sigma = new double[blocks];
        boolean[] flagged = new boolean[blocks];
        int half = windowBlocks / 2;
        for (int j = 0; j < blocks; j++) {
            int from = Math.max(0, Math.min(j - half, blocks - windowBlocks));
            double[] window = Arrays.copyOfRange(y, from, Math.min(blocks, from + windowBlocks));
            median[j] = median(window);
            for (int i = 0; i < window.length; i++) {
                window[i] = Math.abs(window[i] - median[j]);
            }
            sigma[j] = Math.max(MAD_TO_SIGMA * median(window), Math.sqrt(Math.max(median[j], 1)));
            // the last block may be partial: it is compared on its own length
            flagged[j] = j < blocks - 1 && y[j] > median[j] + mads * sigma[j];
        }

        List<Object[]> spikes = new ArrayList<>();
        for (int j = 0; j < blocks; j++) {
            if (!flagged[j]) {
                continue;
            }
            int end = j;
            while (end + 1 < blocks && flagged[end + 1]) {
                end++;
            }
            double baseline = Double.MAX_VALUE;
            double peak = 0;
            double spikeCounts = 0;
            for (int b = j; b <= end; b++) {
                baseline = Math.min(baseline, median[b]);
                peak = Math.max(peak, y[b]);
                spikeCounts += y[b];
            }
            double lambda0 = Math.max(baseline, 0.5) / perBlock;
            double lambda1 = spikeCounts / ((end - j + 1.0) * perBlock);
            int startBucket = bestStart(counts, Math.max(0, (j - 1) * perBlock), Math.min(buckets, (j + 1) * perBlock),
                    lambda0, lambda1);
            int endBucket = bestEnd(counts, end * perBlock, Math.min(buckets, (end + 2) * perBlock), lambda0, lambda1);
            long sessions = 0;
            for (int t = startBucket; t < endBucket; t++) {
                sessions += counts[t];
            }
            double blockSeconds = perBlock * bucketSeconds;
            spikes.add(new Object[] {firstMicros + startBucket * bucketMicros, firstMicros + endBucket * bucketMicros,
                    sessions, baseline / blockSeconds, peak / blockSeconds, peak / Math.max(baseline, 0.5)});
            j = end;
        }
        try (PreparedStatement ps = st.getConnection().prepareStatement(
                "INSERT INTO spikes VALUES (?, make_timestamptz(?), make_timestamptz(?), ?, ?, ?, ?)")) {
            int id = 1;
            for (Object[] s : spikes) {
                ps.setInt(1, id++);
                ps.setLong(2, (Long) s[0]);
                ps.setLong(3, (Long) s[1]);
                ps.setLong(4, (Long) s[2]);
                ps.setDouble(5, (Double) s[3]);
                ps.setDouble(6, (Double) s[4]);
                ps.setDouble(7, (Double) s[5]);
                ps.executeUpdate();
            }
        }
    }

    /** The bucket in [from, to) where a switch from rate lambda0 to lambda1 is most likely. */
    static int bestStart(long[] counts, int from, int to, double lambda0, double lambda1) {
        double logRatio = Math.log(lambda1 / lambda0);
        double best = Double.NEGATIVE_INFINITY;
        int bestAt = to - 1;
        double suffix = 0;
        for (int s = to - 1; s >= from; s--) {
            suffix += counts[s] * logRatio - (lambda1 - lambda0);
            if (suffix > best) {
                best = suffix;
                bestAt = s;
            }
        }
        return bestAt;
    }

    /** The exclusive end bucket in (from, to] where a switch back from lambda1 to lambda0 is most likely. */
    static int bestEnd(long[] counts, int from, int to, double lambda0, double lambda1) {
        double logRatio = Math.log(lambda1 / lambda0);
        double best = Double.NEGATIVE_INFINITY;
        int bestAt = from + 1;
        double prefix = 0;
        for (int e = from; e < to; e++) {
            prefix += counts[e] * logRatio - (lambda1 - lambda0);
            if (prefix > best) {
                best = prefix;
                bestAt = e + 1;
            }
        }
        return bestAt;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double param(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT CAST(value AS DOUBLE) FROM model_params WHERE name = '" + name + "'")) {
            if (!rs.next()) {
                throw new IllegalStateException("model_params has no " + name);
            }
            return rs.getDouble(1);
        }
    }
}
