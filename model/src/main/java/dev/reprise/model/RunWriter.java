package dev.reprise.model;

import dev.reprise.model.RunRecord.EndpointInterval;
import dev.reprise.model.RunRecord.EndpointRun;
import dev.reprise.model.RunRecord.Interval;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes a {@link RunRecord} into the results layer in one transaction. The per-endpoint intervals (up
 * to 100 rows per second of run, 360,000 per hour) go through DuckDB's appender, which loads them in
 * column batches where a prepared-statement batch would run one INSERT per row.
 */
final class RunWriter {
    private RunWriter() {
    }

    static void write(Store store, RunRecord run) {
        store.inTransaction("save run " + run.runId(), st -> {
            var c = store.connection();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs VALUES "
                    + "(?, ?, ?, ?, ?, ?::JSON, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int i = 1;
                ps.setString(i++, run.runId());
                ps.setTimestamp(i++, Timestamp.from(run.startedAt()));
                ps.setTimestamp(i++, Timestamp.from(run.finishedAt()));
                ps.setString(i++, run.mode());
                ps.setString(i++, run.target());
                ps.setString(i++, run.optionsJson());
                ps.setLong(i++, run.sessions());
                ps.setLong(i++, run.sent());
                ps.setLong(i++, run.completed());
                ps.setLong(i++, run.errors());
                ps.setLong(i++, run.dropped());
                setDouble(ps, i++, run.targetRatePerSecond());
                setDouble(ps, i++, run.achievedRatePerSecond());
                RunRecord.Percentiles l = run.latencyMs();
                setDouble(ps, i++, l.p50());
                setDouble(ps, i++, l.p90());
                setDouble(ps, i++, l.p95());
                setDouble(ps, i++, l.p99());
                setDouble(ps, i++, l.p999());
                setDouble(ps, i++, l.max());
                setDouble(ps, i++, run.serviceTimeMs().p50());
                setDouble(ps, i++, run.serviceTimeMs().p99());
                setDouble(ps, i++, run.latenessP99Ms());
                if (run.thresholdsOk() == null) {
                    ps.setNull(i, Types.BOOLEAN);
                } else {
                    ps.setBoolean(i, run.thresholdsOk());
                }
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO run_endpoints VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (EndpointRun e : run.endpoints()) {
                    int i = 1;
                    ps.setString(i++, run.runId());
                    ps.setInt(i++, e.endpointId());
                    ps.setString(i++, e.method());
                    ps.setString(i++, e.template());
                    setDouble(ps, i++, e.modelShare());
                    ps.setLong(i++, e.sent());
                    ps.setLong(i++, e.completed());
                    ps.setLong(i++, e.errors());
                    setDouble(ps, i++, e.latencyMs().p50());
                    setDouble(ps, i++, e.latencyMs().p95());
                    setDouble(ps, i++, e.latencyMs().p99());
                    setDouble(ps, i++, e.latencyMs().max());
                    setDouble(ps, i++, e.serviceTimeMs().p50());
                    setDouble(ps, i, e.serviceTimeMs().p99());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO run_intervals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Interval iv : run.intervals()) {
                    int i = 1;
                    ps.setString(i++, run.runId());
                    ps.setDouble(i++, iv.tSeconds());
                    ps.setLong(i++, iv.sent());
                    ps.setLong(i++, iv.completed());
                    ps.setLong(i++, iv.errors());
                    ps.setLong(i++, iv.dropped());
                    setDouble(ps, i++, iv.latencyP50Ms());
                    setDouble(ps, i++, iv.latencyP99Ms());
                    setDouble(ps, i, iv.latencyMaxMs());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (DuckDBAppender appender = c.unwrap(DuckDBConnection.class)
                    .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "run_endpoint_intervals")) {
                for (EndpointInterval iv : run.endpointIntervals()) {
                    appender.beginRow();
                    appender.append(run.runId());
                    appender.append(iv.tSeconds());
                    appender.append(iv.endpointId());
                    appender.append(iv.sent());
                    appender.append(iv.completed());
                    appender.append(iv.errors());
                    appendDouble(appender, iv.latencyP50Ms());
                    appendDouble(appender, iv.latencyP95Ms());
                    appendDouble(appender, iv.latencyP99Ms());
                    appendDouble(appender, iv.latencyMaxMs());
                    appender.endRow();
                }
            }
        });
    }

    private static void appendDouble(DuckDBAppender appender, double value) throws SQLException {
        if (Double.isFinite(value)) {
            appender.append(value);
        } else {
            appender.appendNull();
        }
    }

    private static void setDouble(PreparedStatement ps, int index, double value) throws SQLException {
        if (Double.isFinite(value)) {
            ps.setDouble(index, value);
        } else {
            ps.setNull(index, Types.DOUBLE);
        }
    }
}
