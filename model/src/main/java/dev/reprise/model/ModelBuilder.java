package dev.reprise.model;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/** Rebuilds the model layer from the raw layer with the SQL in {@code build/}, in one transaction. */
final class ModelBuilder {
    /** Model tables, emptied before a build (order does not matter: there are no foreign keys). */
    private static final List<String> MODEL_TABLES = List.of(
            "model_params", "endpoints", "endpoint_values", "segments", "sessions", "session_steps",
            "transitions", "think_times", "arrivals");

    /** Build steps in dependency order; each file is one statement. */
    private static final List<String> STEPS = List.of(
            "templated_requests.sql",
            "endpoints.sql",
            "endpoint_values.sql",
            "session_steps.sql",
            "sessions.sql",
            "segments.sql",
            "transitions.sql",
            "think_times.sql",
            "arrivals.sql");

    private ModelBuilder() {
    }

    static ModelBuildSummary build(Store store, ModelParams params) {
        long started = System.nanoTime();
        long[] counts = new long[7];
        store.inTransaction("build the model", st -> {
            long requests = count(st, "requests");
            if (requests == 0) {
                throw new StoreException(store.name() + " has no requests to model; ingest a log first "
                        + "(reprise ingest nginx access.log)");
            }
            for (String table : MODEL_TABLES) {
                st.execute("DELETE FROM " + table);
            }
            st.execute("DROP TABLE IF EXISTS templated_requests");
            for (Map.Entry<String, String> row : params.asRows().entrySet()) {
                st.execute("INSERT INTO model_params VALUES ('" + row.getKey() + "', '" + row.getValue() + "')");
            }
            for (String step : STEPS) {
                try {
                    st.execute(SqlScripts.read("build/" + step));
                } catch (SQLException e) {
                    throw new SQLException("model build step " + step + " failed: " + e.getMessage(), e);
                }
            }
            st.execute("DROP TABLE templated_requests");
            counts[0] = requests;
            counts[1] = count(st, "endpoints");
            counts[2] = count(st, "sessions");
            counts[3] = count(st, "transitions");
            counts[4] = count(st, "think_times");
            counts[5] = count(st, "arrivals");
        });
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new ModelBuildSummary(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], millis);
    }

    private static long count(Statement st, String table) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
