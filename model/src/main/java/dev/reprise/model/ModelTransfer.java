package dev.reprise.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the model layer to a directory as one Parquet file per table plus {@code manifest.json},
 * and loads such a directory into another store. Only the model travels: not the raw requests,
 * rejects or sources, not {@code sessions}/{@code session_steps}, which point into the raw layer and
 * carry (anonymized) client identities, and not {@code endpoint_paths}, which are raw paths.
 */
final class ModelTransfer {
    /** The tables that travel, in manifest order. */
    static final List<String> TABLES = List.of("model_params", "template_rules", "endpoints", "endpoint_values", "segments",
            "transitions", "think_times", "arrivals", "spikes", "segment_agents");
    static final String MANIFEST = "manifest.json";
    static final String FORMAT = "reprise-model";

    private ModelTransfer() {
    }

    static Map<String, Long> export(Store store, Path dir) {
        Map<String, Long> rows = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create " + dir + ": " + e.getMessage() + " (check the path and permissions)");
        }
        store.inTransaction("export the model to " + dir, st -> {
            if (count(st, "model_params") == 0) {
                throw new StoreException(store.name() + " has no model yet; run `reprise model build` first");
            }
            for (String table : TABLES) {
                Path file = dir.resolve(table + ".parquet");
                st.execute("COPY (SELECT * FROM " + table + ") TO '" + sqlString(file) + "' (FORMAT parquet)");
                rows.put(table, count(st, table));
            }
        });
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"format\": \"").append(FORMAT).append("\",\n");
        json.append("  \"schema_version\": ").append(store.schemaVersion()).append(",\n");
        json.append("  \"exported_at\": \"").append(Instant.now()).append("\",\n");
        json.append("  \"tables\": [\n");
        int i = 0;
        for (Map.Entry<String, Long> e : rows.entrySet()) {
            json.append("    {\"table\": \"").append(e.getKey()).append("\", \"file\": \"").append(e.getKey())
                    .append(".parquet\", \"rows\": ").append(e.getValue()).append('}')
                    .append(++i < rows.size() ? ",\n" : "\n");
        }
        json.append("  ]\n}\n");
        try {
            Files.writeString(dir.resolve(MANIFEST), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot write " + dir.resolve(MANIFEST) + ": " + e.getMessage());
        }
        return rows;
    }

    static Map<String, Long> importFrom(Store store, Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new StoreException(manifest + ": no such file; point `reprise model import` at a directory "
                    + "written by `reprise model export`");
        }
        Map<String, Long> expected = new LinkedHashMap<>();
        store.inTransaction("import the model from " + dir, st -> {
            String where = "'" + sqlString(manifest) + "'";
            try (ResultSet rs = st.executeQuery("SELECT format, schema_version FROM read_json(" + where + ")")) {
                rs.next();
                if (!FORMAT.equals(rs.getString(1))) {
                    throw new StoreException(manifest + ": format is '" + rs.getString(1) + "', expected '" + FORMAT + "'");
                }
                int version = rs.getInt(2);
                if (version != store.schemaVersion()) {
                    throw new StoreException(manifest + ": the model was exported with schema version " + version
                            + " but this store has version " + store.schemaVersion()
                            + "; export it again with this Reprise version");
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT t.table, t.file, t.rows FROM "
                    + "(SELECT unnest(tables) AS t FROM read_json(" + where + "))")) {
                while (rs.next()) {
                    if (!TABLES.contains(rs.getString(1))) {
                        throw new StoreException(manifest + ": unknown table '" + rs.getString(1) + "'");
                    }
                    expected.put(rs.getString(1), rs.getLong(3));
                }
            }
            for (String table : TABLES) {
                if (!expected.containsKey(table)) {
                    throw new StoreException(manifest + ": table '" + table + "' is missing");
                }
            }
            for (String table : List.of("model_params", "template_rules", "endpoints", "endpoint_values", "segments", "sessions",
                    "session_steps", "transitions", "think_times", "arrivals", "spikes", "endpoint_paths",
                    "segment_agents", "endpoint_rules")) {
                st.execute("DELETE FROM " + table);
            }
            for (String table : TABLES) {
                Path file = dir.resolve(table + ".parquet");
                if (!Files.isRegularFile(file)) {
                    throw new StoreException(file + ": no such file, but " + MANIFEST + " lists it");
                }
                st.execute("INSERT INTO " + table + " SELECT * FROM read_parquet('" + sqlString(file) + "')");
                long loaded = count(st, table);
                if (loaded != expected.get(table)) {
                    throw new StoreException(file + ": " + loaded + " rows, but " + MANIFEST + " says "
                            + expected.get(table) + "; the export is incomplete or was changed");
                }
            }
        });
        return expected;
    }

    private static String sqlString(Path path) {
        return path.toAbsolutePath().toString().replace("'", "''");
    }

    private static long count(Statement st, String table) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
