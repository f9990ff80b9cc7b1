package dev.reprise.model;

import dev.reprise.model.Scorecard.Direction;
import dev.reprise.model.Scorecard.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares a replay, as the target's access log recorded it and ingested into a second store with
 * its model built, with the source store it was replayed from. The replayed store is attached
 * read-only to the source store's connection and every metric is one query in {@code fidelity/}.
 */
final class Fidelity {
    private static final String ALIAS = "replayed";

    private Fidelity() {
    }

    static Scorecard compare(Store source, Path replayedFile, FidelityOptions options) {
        checkReplayedStore(source, replayedFile);
        requireModel(source, source.name());
        Connection c = source.connection();
        try {
            try (Statement st = c.createStatement()) {
                st.execute("ATTACH '" + replayedFile.toAbsolutePath().toString().replace("'", "''") + "' AS "
                        + ALIAS + " (READ_ONLY)");
            }
        } catch (SQLException e) {
            throw source.failure("attach the replayed store " + replayedFile, e);
        }
        try {
            List<Metric> metrics = new ArrayList<>();
            metrics.add(endpointMix(c, options));
            metrics.add(transitions(c, options));
            metrics.add(thinkTimes(c, options));
            metrics.add(sessionLengths(c, options));
            metrics.addAll(arrivals(c, options));
            metrics.add(statusMix(c, options));
            return Scorecard.of(metrics);
        } catch (SQLException e) {
            throw source.failure("compare with the replayed store " + replayedFile, e);
        } finally {
            try (Statement st = c.createStatement()) {
                st.execute("DETACH " + ALIAS);
            } catch (SQLException e) {
                throw source.failure("detach the replayed store " + replayedFile, e);
            }
        }
    }

    /**
     * Compares what run {@code runId} of this store sent, as the results layer records it, with the
     * store's recording: the endpoint mix (run_endpoints.sent) and the request curve (run_intervals.sent)
     * with the spikes in it. Transitions, think times, session lengths and statuses are not in the
     * results layer; they come back not measured, pointing to {@link #compare}.
     */
    static Scorecard compareWithRun(Store source, String runId, FidelityOptions options) {
        requireModel(source, source.name());
        Connection c = source.connection();
        String why = "not recorded by a run; ingest the target's access log of the run into another store and "
                + "compare with --replayed";
        try {
            double speed;
            long fromMicros;
            long windowEndMicros;
            double durationSeconds;
            String mode;
            try (PreparedStatement ps = c.prepareStatement("SELECT mode, "
                    + "CAST(json_extract_string(options, '$.speed') AS DOUBLE), "
                    + "epoch_us(CAST(json_extract_string(options, '$.window_start') AS TIMESTAMPTZ)), "
                    + "epoch_us(CAST(json_extract_string(options, '$.window_end') AS TIMESTAMPTZ)), "
                    + "CAST(json_extract_string(options, '$.duration_s') AS DOUBLE) FROM runs WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException(source.name() + " has no run '" + runId + "'; list the runs with: "
                                + "reprise sql \"SELECT run_id, started_at, target FROM runs ORDER BY started_at\"");
                    }
                    mode = rs.getString(1);
                    speed = rs.getDouble(2);
                    fromMicros = rs.getLong(3);
                    windowEndMicros = rs.getLong(4);
                    durationSeconds = rs.getDouble(5);
                    if (rs.wasNull() || speed <= 0) {
                        throw new StoreException("run " + runId + " does not record its speed, window and duration "
                                + "in runs.options; it was written by an older Reprise");
                    }
                }
            }
            List<Metric> metrics = new ArrayList<>();
            metrics.add(mix(c, options, "fidelity/run_endpoint_mix.sql", runId, "sent"));
            metrics.add(Metric.notMeasured("transition_tvd", options.limit("transition_tvd"), Direction.BELOW, why));
            metrics.add(Metric.notMeasured("think_time_ks", options.limit("think_time_ks"), Direction.BELOW, why));
            metrics.add(Metric.notMeasured("session_length_ks", options.limit("session_length_ks"), Direction.BELOW, why));
            // the recorded stretch the run covered; a looped run covers its window once
            double windowMicros = Math.min(durationSeconds * 1e6 * speed, windowEndMicros - fromMicros);
            // A run's curve comes in reporting intervals (about a second of run time, `speed` seconds of
            // recorded time): a bucket narrower than two of them would count one interval in one bucket
            // and none in the next, a comb that correlates with nothing.
            double intervalSeconds;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT coalesce(max(t) / nullif(count(*), 0), 1) FROM run_intervals WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    intervalSeconds = rs.getDouble(1);
                }
            }
            long bucketMicros = options.bucket() != null ? bucketMicros(options, windowMicros)
                    : Math.max(bucketMicros(options, windowMicros),
                            (long) Math.ceil(2 * intervalSeconds * speed) * 1_000_000);
            String bucketText = bucketText(bucketMicros);
            long buckets = (long) Math.floor(windowMicros / bucketMicros);
            if (buckets < 3) {
                String tooShort = "the run covered " + buckets + " whole buckets of " + bucketText
                        + " of the recording; pass a smaller --bucket";
                metrics.add(Metric.notMeasured("arrival_correlation", options.limit("arrival_correlation"),
                        Direction.ABOVE, tooShort));
                metrics.add(Metric.notMeasured("spike_peak_offset_buckets", options.limit("spike_peak_offset_buckets"),
                        Direction.BELOW, tooShort));
            } else {
                double[] src = new double[(int) buckets];
                double[] rep = new double[(int) buckets];
                try (PreparedStatement ps = c.prepareStatement(SqlScripts.read("fidelity/run_arrival_buckets.sql"))) {
                    ps.setString(1, runId);
                    ps.setDouble(2, bucketMicros);
                    ps.setLong(3, buckets);
                    readBuckets(ps, src, rep);
                }
                metrics.addAll(arrivalMetrics(c, options, src, rep, fromMicros, bucketMicros, bucketText,
                        "requests recorded vs sent (" + mode + " mode, speed " + decimal(speed, 1) + ")"));
            }
            metrics.add(Metric.notMeasured("status_mix_tvd", options.limit("status_mix_tvd"), Direction.BELOW, why));
            return Scorecard.of(metrics);
        } catch (SQLException e) {
            throw source.failure("compare run " + runId + " with the recording", e);
        }
    }

    /** The bucket width: the option's, else the window in DEFAULT_BUCKETS whole seconds (at least one). */
    private static long bucketMicros(FidelityOptions o, double windowMicros) {
        return o.bucket() != null ? o.bucket().toNanos() / 1000
                : Math.max(1_000_000, Math.round(windowMicros / FidelityOptions.DEFAULT_BUCKETS / 1e6) * 1_000_000);
    }

    private static String bucketText(long bucketMicros) {
        return decimal(bucketMicros / 1e6, bucketMicros % 1_000_000 == 0 ? 0 : 3) + " s";
    }

    /** Opens the replayed store on its own first, so it is migrated (or refused) and known to hold a model. */
    private static void checkReplayedStore(Store source, Path replayedFile) {
        if (!Files.isRegularFile(replayedFile)) {
            throw new StoreException(replayedFile + ": no such store file; ingest the target's access log into it "
                    + "(reprise --db " + replayedFile + " ingest nginx ...) and build its model first");
        }
        try {
            if (Files.isSameFile(replayedFile, Path.of(source.name()))) {
                throw new StoreException(replayedFile + " is the source store itself; give the store that holds "
                        + "the target's access log");
            }
        } catch (java.io.IOException e) {
            // the source is in memory or its name is not a path: it cannot be the same file
        }
        try (Store replayed = Store.open(replayedFile)) {
            requireModel(replayed, replayedFile.toString());
        }
    }

    private static void requireModel(Store store, String name) {
        Object sessions = store.queryRows("SELECT count(*) FROM sessions").get(0).get(0);
        if (((Number) sessions).longValue() == 0) {
            throw new StoreException(name + " has no model (no sessions); build it with `reprise --db " + name
                    + " model build`");
        }
    }

    private static Metric endpointMix(Connection c, FidelityOptions o) throws SQLException {
        return mix(c, o, "fidelity/endpoint_mix.sql", null, "replayed");
    }

    /** Endpoint-mix TVD from a query of (endpoint, source share, other share), largest gap first. */
    private static Metric mix(Connection c, FidelityOptions o, String script, String runId, String otherSide)
            throws SQLException {
        double tvd = 0;
        String worst = null;
        double worstSource = 0;
        double worstReplayed = 0;
        int endpoints = 0;
        try (PreparedStatement ps = c.prepareStatement(SqlScripts.read(script))) {
            if (runId != null) {
                ps.setString(1, runId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double s = rs.getDouble(2);
                    double r = rs.getDouble(3);
                    if (worst == null) {
                        worst = rs.getString(1);
                        worstSource = s;
                        worstReplayed = r;
                    }
                    tvd += Math.abs(s - r) / 2;
                    endpoints++;
                }
            }
        }
        String name = "endpoint_mix_tvd";
        return Metric.measured(name, tvd, o.limit(name), Direction.BELOW, endpoints + " endpoints; largest gap "
                + worst + " " + percent(worstSource) + " in the source, " + percent(worstReplayed) + " " + otherSide);
    }

    private static Metric transitions(Connection c, FidelityOptions o) throws SQLException {
        double weighted = 0;
        String worst = null;
        double worstTvd = 0;
        int states = 0;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(SqlScripts.read("fidelity/transitions.sql"))) {
            while (rs.next()) {
                double tvd = rs.getDouble(2);
                double weight = rs.getDouble(3);
                if (worst == null) {
                    worst = rs.getString(1);
                    worstTvd = tvd;
                }
                weighted += weight * tvd;
                states++;
            }
        }
        String name = "transition_tvd";
        return Metric.measured(name, weighted, o.limit(name), Direction.BELOW,
                "next-state TVD averaged over " + states + " from-states by source frequency; largest contribution "
                        + worst + " (TVD " + decimal(worstTvd, 3) + ")");
    }

    private static Metric thinkTimes(Connection c, FidelityOptions o) throws SQLException {
        String name = "think_time_ks";
        try (PreparedStatement ps = c.prepareStatement(SqlScripts.read("fidelity/think_time_ks.sql"))) {
            ps.setDouble(1, o.speed());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n1 = rs.getLong(1);
                long n2 = rs.getLong(2);
                if (n1 == 0 || n2 == 0) {
                    return Metric.notMeasured(name, o.limit(name), Direction.BELOW, "no think times in the "
                            + (n1 == 0 ? "source" : "replay") + " (sessions of one request only)");
                }
                return Metric.measured(name, rs.getDouble(3), o.limit(name), Direction.BELOW,
                        count(n1) + " source and " + count(n2) + " replayed think times (replayed x" + decimal(o.speed(), 1)
                                + ", compared at " + (rs.getDouble(5) >= 1000 ? "the source's 1 s resolution" : "1 ms")
                                + "); largest gap at " + decimal(rs.getDouble(4) / 1000, 3) + " s");
            }
        }
    }

    private static Metric sessionLengths(Connection c, FidelityOptions o) throws SQLException {
        String name = "session_length_ks";
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(SqlScripts.read("fidelity/session_length_ks.sql"))) {
            rs.next();
            return Metric.measured(name, rs.getDouble(3), o.limit(name), Direction.BELOW,
                    count(rs.getLong(1)) + " source and " + count(rs.getLong(2)) + " replayed sessions; largest gap at "
                            + rs.getLong(4) + " requests per session");
        }
    }

    private static Metric statusMix(Connection c, FidelityOptions o) throws SQLException {
        double tvd = 0;
        String worst = null;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(SqlScripts.read("fidelity/status_mix.sql"))) {
            while (rs.next()) {
                if (worst == null) {
                    worst = rs.getInt(1) + " " + percent(rs.getDouble(2)) + " in the source, "
                            + percent(rs.getDouble(3)) + " replayed";
                }
                tvd += Math.abs(rs.getDouble(2) - rs.getDouble(3)) / 2;
            }
        }
        String name = "status_mix_tvd";
        return Metric.measured(name, tvd, o.limit(name), Direction.BELOW, "largest gap: status " + worst);
    }

    /** The arrival correlation and the spike peak offset, from one bucketing of both timelines. */
    private static List<Metric> arrivals(Connection c, FidelityOptions o) throws SQLException {
        String corrName = "arrival_correlation";
        String spikeName = "spike_peak_offset_buckets";
        long fromMicros;
        long sourceEndMicros;
        // the recording starts where replay says it does: at the first arrivals bucket
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT min(epoch_us(bucket_start)) FROM arrivals), "
                     + "max(epoch_us(ts)) FROM requests")) {
            rs.next();
            long recordingStart = rs.getLong(1);
            if (o.from() != null) {
                fromMicros = o.from().getEpochSecond() * 1_000_000 + o.from().getNano() / 1000;
            } else if (o.fromOffset() != null) {
                fromMicros = recordingStart + o.fromOffset().toNanos() / 1000;
            } else {
                fromMicros = recordingStart;
            }
            sourceEndMicros = rs.getLong(2);
        }
        double replayedSpanMicros;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT max(epoch_us(ts)) - min(epoch_us(ts)) FROM " + ALIAS + ".requests")) {
            rs.next();
            replayedSpanMicros = rs.getLong(1);
        }
        double windowMicros = Math.min(replayedSpanMicros * o.speed(), sourceEndMicros - fromMicros);
        // without a bucket: DEFAULT_BUCKETS of them over the window, in whole seconds
        long bucketMicros = bucketMicros(o, windowMicros);
        String bucketText = bucketText(bucketMicros);
        // whole buckets only, and none past the end of the recording
        long buckets = (long) Math.floor(windowMicros / bucketMicros);
        if (buckets < 3) {
            String why = "the compared window holds " + buckets + " whole buckets of " + bucketText
                    + " (replayed span x speed); pass a smaller --bucket or check --speed";
            return List.of(Metric.notMeasured(corrName, o.limit(corrName), Direction.ABOVE, why),
                    Metric.notMeasured(spikeName, o.limit(spikeName), Direction.BELOW, why));
        }
        double[] src = new double[(int) buckets];
        double[] rep = new double[(int) buckets];
        try (PreparedStatement ps = c.prepareStatement(SqlScripts.read("fidelity/arrival_buckets.sql"))) {
            ps.setLong(1, fromMicros);
            ps.setDouble(2, bucketMicros);
            ps.setDouble(3, o.speed());
            ps.setLong(4, buckets);
            readBuckets(ps, src, rep);
        }
        return arrivalMetrics(c, o, src, rep, fromMicros, bucketMicros, bucketText, "session arrivals");
    }

    private static void readBuckets(PreparedStatement ps, double[] src, double[] rep) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int k = rs.getInt(1);
                src[k] = rs.getLong(2);
                rep[k] = rs.getLong(3);
            }
        }
    }

    /** Correlation of the two curves and the alignment of the recorded spikes inside them. */
    private static List<Metric> arrivalMetrics(Connection c, FidelityOptions o, double[] src, double[] rep,
                                               long fromMicros, long bucketMicros, String bucketText, String what)
            throws SQLException {
        String corrName = "arrival_correlation";
        String spikeName = "spike_peak_offset_buckets";
        long buckets = src.length;
        double correlation = ArrivalAlignment.pearson(src, rep, 0, src.length, 0);
        String window = buckets + " buckets of " + bucketText + " from "
                + java.time.Instant.ofEpochSecond(0, fromMicros * 1000);
        Metric corr = Double.isNaN(correlation)
                ? Metric.notMeasured(corrName, o.limit(corrName), Direction.ABOVE,
                        "one side's arrivals are constant over " + window)
                : Metric.measured(corrName, correlation, o.limit(corrName), Direction.ABOVE,
                        what + " per bucket, " + window);

        List<long[]> spikes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT spike_id, CAST(floor((epoch_us(start_ts) - ?) / ?) AS BIGINT), "
                + "CAST(floor((epoch_us(end_ts) - ?) / ?) AS BIGINT) FROM spikes ORDER BY spike_id")) {
            ps.setLong(1, fromMicros);
            ps.setDouble(2, bucketMicros);
            ps.setLong(3, fromMicros);
            ps.setDouble(4, bucketMicros);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long first = rs.getLong(2);
                    long last = rs.getLong(3);
                    if (first >= 0 && last < buckets) {
                        spikes.add(new long[] {rs.getLong(1), first, last});
                    }
                }
            }
        }
        Metric spike;
        if (spikes.isEmpty()) {
            spike = Metric.notMeasured(spikeName, o.limit(spikeName), Direction.BELOW,
                    "no recorded spike lies inside the compared window");
        } else {
            int worstOffset = 0;
            List<String> parts = new ArrayList<>();
            for (long[] s : spikes) {
                int offset = ArrivalAlignment.bestLag(src, rep, (int) s[1], (int) s[2]);
                parts.add("spike " + s[0] + " (buckets " + s[1] + ".." + s[2] + "): " + offset);
                if (Math.abs(offset) > Math.abs(worstOffset)) {
                    worstOffset = offset;
                }
            }
            spike = Metric.measured(spikeName, Math.abs(worstOffset), o.limit(spikeName), Direction.BELOW,
                    "replayed shift that best aligns each spike, in buckets: " + String.join("; ", parts));
        }
        return List.of(corr, spike);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f%%", share * 100);
    }

    private static String decimal(double value, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", value);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
