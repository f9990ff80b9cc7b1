package dev.reprise.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations. Each migration is a resource script applied once, in order, in its
 * own transaction; the applied versions are recorded in {@code schema_migrations}. A store whose
 * version is newer than this build knows is refused rather than misread.
 */
final class Migrations {
    /** In order; the index + 1 is the version. Append only: never edit a released migration. */
    static final List<String> SCRIPTS = List.of(
            "001_raw_layer.sql",
            "002_model_layer.sql",
            "003_results_layer.sql",
            "004_issue4_segments_spikes.sql",
            "005_issue5c_segment_agents.sql",
            "006_issue4b_endpoint_rules.sql",
            "007_issue7b_run_endpoint_intervals.sql");

    static int latestVersion() {
        return SCRIPTS.size();
    }

    private Migrations() {
    }

    /** Brings the store up to {@link #latestVersion()}; returns the version the store had before. */
    static int migrate(Connection connection, String storeName) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    + "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)");
        }
        int current = currentVersion(connection);
        if (current > latestVersion()) {
            throw new StoreException(storeName + ": the store has schema version " + current
                    + " but this Reprise knows versions up to " + latestVersion()
                    + "; it was written by a newer Reprise. Upgrade Reprise, or use another store with --db.");
        }
        for (int version = current + 1; version <= latestVersion(); version++) {
            apply(connection, version, SCRIPTS.get(version - 1));
        }
        return current;
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM schema_migrations")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void apply(Connection connection, int version, String script) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            for (String statement : SqlScripts.statements(SqlScripts.read("migrations/" + script))) {
                st.execute(statement);
            }
            st.execute("INSERT INTO schema_migrations VALUES (" + version + ", '" + script + "', now())");
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
