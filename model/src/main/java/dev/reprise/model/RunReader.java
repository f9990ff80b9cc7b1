package dev.reprise.model;

import dev.reprise.model.RunRecord.EndpointInterval;
import dev.reprise.model.RunRecord.EndpointRun;
import dev.reprise.model.RunRecord.Interval;
import dev.reprise.model.RunRecord.Percentiles;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a run back from the results layer, the inverse of {@link RunWriter} for the columns the tables
 * hold: percentiles the tables do not keep (service p90..max, endpoint p90 and p99.9) come back NaN.
 */
final class RunReader {
    private RunReader() {
    }

    static Optional<RunRecord> read(Store store, String runId) {
        try {
            var c = store.connection();
            RunRecord head;
            try (PreparedStatement ps = c.prepareStatement(SqlScripts.read("report/run.sql"))) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    int i = 1;
                    String id = rs.getString(i++);
                    java.time.Instant started = instant(rs.getLong(i++));
                    java.time.Instant finished = instant(rs.getLong(i++));
                    String mode = rs.getString(i++);
                    String target = rs.getString(i++);
                    String options = rs.getString(i++);
                    long sessions = rs.getLong(i++);
                    long sent = rs.getLong(i++);
                    long completed = rs.getLong(i++);
                    long errors = rs.getLong(i++);
                    long dropped = rs.getLong(i++);
                    double targetRate = dbl(rs, i++);
                    double achievedRate = dbl(rs, i++);
                    Percentiles latency = new Percentiles(dbl(rs, i++), dbl(rs, i++), dbl(rs, i++), dbl(rs, i++),
                            dbl(rs, i++), dbl(rs, i++));
                    Percentiles service = new Percentiles(dbl(rs, i++), Double.NaN, Double.NaN, dbl(rs, i++),
                            Double.NaN, Double.NaN);
                    double lateness = dbl(rs, i++);
                    boolean ok = rs.getBoolean(i);
                    Boolean thresholdsOk = rs.wasNull() ? null : ok;
                    head = new RunRecord(id, started, finished, mode, target, options == null ? "{}" : options, sessions,
                            sent, completed, errors, dropped, targetRate, achievedRate, latency, service, lateness,
                            thresholdsOk, List.of(), List.of());
                }
            }
            List<EndpointRun> endpoints = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SqlScripts.read("report/run_endpoints.sql"))) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int i = 1;
                        int endpointId = rs.getInt(i++);
                        String method = rs.getString(i++);
                        String template = rs.getString(i++);
                        double share = dbl(rs, i++);
                        long sent = rs.getLong(i++);
                        long completed = rs.getLong(i++);
                        long errors = rs.getLong(i++);
                        double p50 = dbl(rs, i++);
                        double p95 = dbl(rs, i++);
                        double p99 = dbl(rs, i++);
                        double max = dbl(rs, i++);
                        Percentiles latency = new Percentiles(p50, Double.NaN, p95, p99, Double.NaN, max);
                        Percentiles service = new Percentiles(dbl(rs, i++), Double.NaN, Double.NaN, dbl(rs, i),
                                Double.NaN, Double.NaN);
                        endpoints.add(new EndpointRun(endpointId, method, template, share, sent, completed, errors,
                                latency, service));
                    }
                }
            }
            List<Interval> intervals = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SqlScripts.read("report/run_intervals.sql"))) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        intervals.add(new Interval(rs.getDouble(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                rs.getLong(5), dbl(rs, 6), dbl(rs, 7), dbl(rs, 8)));
                    }
                }
            }
            List<EndpointInterval> endpointIntervals = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SqlScripts.read("report/run_endpoint_intervals.sql"))) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        endpointIntervals.add(new EndpointInterval(rs.getDouble(1), rs.getInt(2), rs.getLong(3),
                                rs.getLong(4), rs.getLong(5), dbl(rs, 6), dbl(rs, 7), dbl(rs, 8), dbl(rs, 9)));
                    }
                }
            }
            return Optional.of(new RunRecord(head.runId(), head.startedAt(), head.finishedAt(), head.mode(),
                    head.target(), head.optionsJson(), head.sessions(), head.sent(), head.completed(), head.errors(),
                    head.dropped(), head.targetRatePerSecond(), head.achievedRatePerSecond(), head.latencyMs(),
                    head.serviceTimeMs(), head.latenessP99Ms(), head.thresholdsOk(), endpoints, intervals,
                    endpointIntervals));
        } catch (SQLException e) {
            throw new StoreException("cannot read run " + runId + " from " + store.name() + ": " + e.getMessage(), e);
        }
    }

    private static double dbl(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : d;
    }

    private static java.time.Instant instant(long micros) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
