package dev.reprise.model;

import dev.reprise.model.RunRecord.EndpointRun;
import dev.reprise.model.RunRecord.Interval;
import dev.reprise.model.RunRecord.Percentiles;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a run back from the results layer: the inverse of {@link RunWriter}. */
final class RunReader {
    private RunReader() {
    }

    static Optional<RunRecord> read(Store store, String runId) {
        var c = store.connection();
        try {
            RunRecord head;
            try (PreparedStatement ps = c.prepareStatement("SELECT started_at, finished_at, mode, target, "
                    + "CAST(options AS VARCHAR), sessions, sent, completed, errors, dropped, target_rate_per_s, "
                    + "achieved_rate_per_s, latency_p50_ms, latency_p90_ms, latency_p95_ms, latency_p99_ms, "
                    + "latency_p999_ms, latency_max_ms, service_p50_ms, service_p99_ms, lateness_p99_ms, thresholds_ok "
                    + "FROM runs WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Percentiles latency = new Percentiles(number(rs, 13), number(rs, 14), number(rs, 15),
                            number(rs, 16), number(rs, 17), number(rs, 18));
                    Percentiles service = new Percentiles(number(rs, 19), Double.NaN, Double.NaN, number(rs, 20),
                            Double.NaN, Double.NaN);
                    Object ok = rs.getObject(22);
                    head = new RunRecord(runId, rs.getObject(1, OffsetDateTime.class).toInstant(),
                            rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                            number(rs, 11), number(rs, 12), latency, service, number(rs, 21),
                            ok == null ? null : (Boolean) ok, List.of(), List.of());
                }
            }
            List<EndpointRun> endpoints = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT endpoint_id, method, template, model_share, sent, "
                    + "completed, errors, latency_p50_ms, latency_p95_ms, latency_p99_ms, latency_max_ms, "
                    + "service_p50_ms, service_p99_ms FROM run_endpoints WHERE run_id = ? ORDER BY endpoint_id")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        endpoints.add(new EndpointRun(rs.getInt(1), rs.getString(2), rs.getString(3), number(rs, 4),
                                rs.getLong(5), rs.getLong(6), rs.getLong(7),
                                new Percentiles(number(rs, 8), Double.NaN, number(rs, 9), number(rs, 10), Double.NaN,
                                        number(rs, 11)),
                                new Percentiles(number(rs, 12), Double.NaN, Double.NaN, number(rs, 13), Double.NaN,
                                        Double.NaN)));
                    }
                }
            }
            List<Interval> intervals = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t, sent, completed, errors, dropped, latency_p50_ms, "
                    + "latency_p99_ms, latency_max_ms FROM run_intervals WHERE run_id = ? ORDER BY t")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        intervals.add(new Interval(rs.getDouble(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                rs.getLong(5), number(rs, 6), number(rs, 7), number(rs, 8)));
                    }
                }
            }
            return Optional.of(new RunRecord(head.runId(), head.startedAt(), head.finishedAt(), head.mode(),
                    head.target(), head.optionsJson(), head.sessions(), head.sent(), head.completed(), head.errors(),
                    head.dropped(), head.targetRatePerSecond(), head.achievedRatePerSecond(), head.latencyMs(),
                    head.serviceTimeMs(), head.latenessP99Ms(), head.thresholdsOk(), endpoints, intervals));
        } catch (SQLException e) {
            throw store.failure("read run " + runId, e);
        }
    }

    /** A nullable DOUBLE column as NaN when NULL (the convention of {@link RunRecord}). */
    private static double number(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }
}
