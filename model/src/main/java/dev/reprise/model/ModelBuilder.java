package dev.reprise.model;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rebuilds the model layer from the raw layer with the SQL in {@code build/}, in one transaction. */
final class ModelBuilder {
    private static final String SEGMENTATION = "[session segmentation]";
    private static final String SPIKE_DETECTION = "[spike detection]";
    /** Model tables, emptied before a build (order does not matter: there are no foreign keys). */
    private static final List<String> MODEL_TABLES = List.of(
            "model_params", "endpoints", "endpoint_values", "segments", "sessions", "session_steps",
            "transitions", "think_times", "arrivals", "spikes", "endpoint_paths", "segment_agents",
            "endpoint_rules");

    /** Build steps in dependency order; each file is one statement, the Java steps are named in brackets. */
    private static final List<String> STEPS = List.of(
            "templated_paths.sql",
            "templated_queries.sql",
            "templated_requests.sql",
            "endpoints.sql",
            "endpoint_values.sql",
            "endpoint_paths.sql",
            "endpoint_rules.sql",
            "session_steps.sql",
            "sessions.sql",
            SEGMENTATION,
            "segments.sql",
            "segment_agents.sql",
            "transitions.sql",
            "think_times.sql",
            "arrivals.sql",
            SPIKE_DETECTION);

    private ModelBuilder() {
    }

    static ModelBuildSummary build(Store store, ModelParams params) {
        long started = System.nanoTime();
        long[] counts = new long[8];
        Map<String, Long> stepMillis = new LinkedHashMap<>();
        store.inTransaction("build the model", st -> {
            long requests = count(st, "requests");
            if (requests == 0) {
                throw new StoreException(store.name() + " has no requests to model; ingest a log first "
                        + "(reprise ingest nginx access.log)");
            }
            for (String table : MODEL_TABLES) {
                st.execute("DELETE FROM " + table);
            }
            checkTemplateRules(st);
            for (String temp : List.of("templated_requests", "templated_queries", "templated_paths")) {
                st.execute("DROP TABLE IF EXISTS " + temp);
            }
            try (PreparedStatement ps = st.getConnection().prepareStatement("INSERT INTO model_params VALUES (?, ?)")) {
                for (Map.Entry<String, String> row : params.asRows().entrySet()) {
                    ps.setString(1, row.getKey());
                    ps.setString(2, row.getValue());
                    ps.executeUpdate();
                }
            }
            for (String step : STEPS) {
                long stepStarted = System.nanoTime();
                try {
                    if (step.equals(SEGMENTATION)) {
                        SessionSegmenter.assign(st, params);
                    } else if (step.equals(SPIKE_DETECTION)) {
                        SpikeDetector.detect(st);
                    } else {
                        st.execute(SqlScripts.read("build/" + step));
                    }
                } catch (SQLException e) {
                    throw new SQLException("model build step " + step + " failed: " + e.getMessage(), e);
                }
                stepMillis.put(step, (System.nanoTime() - stepStarted) / 1_000_000);
            }
            st.execute("DROP TABLE templated_requests");
            st.execute("DROP TABLE templated_queries");
            st.execute("DROP TABLE templated_paths");
            // kept with the model so that it still knows its mean session length without the sessions table
            st.execute("INSERT INTO model_params SELECT 'recorded_sessions', CAST(count(*) AS VARCHAR) FROM sessions");
            st.execute("DROP TABLE segment_names");
            st.execute("DROP TABLE segment_posteriors");
            counts[0] = requests;
            counts[1] = count(st, "endpoints");
            counts[2] = count(st, "sessions");
            counts[3] = count(st, "transitions");
            counts[4] = count(st, "think_times");
            counts[5] = count(st, "arrivals");
            counts[6] = count(st, "segments");
            counts[7] = count(st, "spikes");
        });
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new ModelBuildSummary(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6],
                counts[7], millis, stepMillis);
    }

    /** Refuses template_rules rows that would fail or silently break templating, naming the row. */
    private static void checkTemplateRules(Statement st) throws SQLException {
        List<String> problems = new java.util.ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT priority, pattern, replacement FROM template_rules "
                + "ORDER BY priority, pattern")) {
            while (rs.next()) {
                String pattern = rs.getString(2);
                String replacement = rs.getString(3);
                String row = "template_rules row (priority=" + rs.getInt(1) + ", pattern='" + pattern + "')";
                try {
                    java.util.regex.Pattern.compile(pattern);
                } catch (java.util.regex.PatternSyntaxException e) {
                    problems.add(row + ": pattern is not a valid regular expression: " + e.getDescription());
                }
                if (replacement.contains("/")) {
                    problems.add(row + ": replacement '" + replacement + "' contains '/'; rules replace one path "
                            + "segment at a time");
                }
                if (replacement.contains("{") != replacement.matches("[{][^{}/]*[}]")) {
                    problems.add(row + ": replacement '" + replacement + "' must be a whole placeholder such as "
                            + "'{sku}', or literal text without braces");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new StoreException("cannot build the model:\n  - " + String.join("\n  - ", problems)
                    + "\nFix the rows with `reprise sql`.");
        }
    }

    private static long count(Statement st, String table) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
