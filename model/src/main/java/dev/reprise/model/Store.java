package dev.reprise.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Reprise store: one DuckDB file holding the raw layer (sources, requests, rejects), the model
 * layer and the results layer described in docs/schema.md. Opening a store creates or migrates its
 * schema; a store written by a newer Reprise is refused. The only gateway to JDBC in Reprise.
 *
 * <p>Not thread-safe: one thread uses a store at a time.
 *
 * <pre>{@code
 * try (Store store = Store.open(Path.of("reprise.duckdb"))) {
 *     ModelBuildSummary built = store.buildModel(ModelParams.defaults());
 *     WorkloadModel model = store.loadModel();
 * }
 * }</pre>
 */
public final class Store implements AutoCloseable {
    /** The default store file, relative to the working directory. */
    public static final Path DEFAULT_FILE = Path.of("reprise.duckdb");

    private final Connection connection;
    private final String name;

    private Store(Connection connection, String name) {
        this.connection = connection;
        this.name = name;
    }

    /** Opens (creating when absent) the store file and brings its schema up to date. */
    public static Store open(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new StoreException(file + ": the directory " + parent + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new StoreException(file + " is a directory; --db expects a store file such as reprise.duckdb");
        }
        return connect("jdbc:duckdb:" + file.toAbsolutePath(), file.toString());
    }

    /** A store that lives in memory only, for tests and throw-away runs. */
    public static Store inMemory() {
        return connect("jdbc:duckdb:", "in-memory store");
    }

    private static Store connect(String url, String name) {
        Connection connection;
        try {
            connection = DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw new StoreException(name + ": cannot open the store: " + firstLine(e.getMessage())
                    + " (is it a DuckDB file, and not open in another process?)", e);
        }
        try {
            try (Statement st = connection.createStatement()) {
                // Timestamps print in UTC whatever the machine's zone, so outputs compare across hosts.
                st.execute("SET TimeZone = 'UTC'");
            }
            Migrations.migrate(connection, name);
            return new Store(connection, name);
        } catch (SQLException | RuntimeException e) {
            closeQuietlyAfterFailure(connection, e);
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException(name + ": cannot prepare the store schema: " + firstLine(e.getMessage()), e);
        }
    }

    /** The store's name for messages: its file path, or "in-memory store". */
    public String name() {
        return name;
    }

    /** The schema version of this store (after migration, the latest this build knows). */
    public int schemaVersion() {
        try {
            return Migrations.currentVersion(connection);
        } catch (SQLException e) {
            throw failure("read the schema version", e);
        }
    }

    /** The newest schema version this build of Reprise knows. */
    public static int latestSchemaVersion() {
        return Migrations.latestVersion();
    }

    // ---------------------------------------------------------------- raw layer

    /**
     * Starts loading one source in its own transaction; see {@link SourceLoad}. The source row is
     * created inside that transaction, so an interrupted load leaves no trace.
     */
    public SourceLoad beginSource(SourceSpec spec) {
        return begin(spec, -1);
    }

    /**
     * Like {@link #beginSource(SourceSpec)}, and deletes source {@code replacedSourceId} (its
     * requests, rejects and row) in the same transaction: after the commit only the new load is
     * there, after a crash or rollback only the old one.
     */
    public SourceLoad beginSourceReplacing(SourceSpec spec, int replacedSourceId) {
        if (replacedSourceId < 1) {
            throw new IllegalArgumentException("source ids start at 1, got " + replacedSourceId);
        }
        return begin(spec, replacedSourceId);
    }

    private SourceLoad begin(SourceSpec spec, int replacedSourceId) {
        try {
            connection.setAutoCommit(false);
            int sourceId;
            // The first statement opens the transaction; the appenders of SourceLoad then join it.
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT nextval('source_ids')")) {
                rs.next();
                sourceId = rs.getInt(1);
            }
            if (replacedSourceId > 0) {
                for (String table : new String[] {"requests", "rejects", "sources"}) {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "DELETE FROM " + table + " WHERE source_id = ?")) {
                        ps.setInt(1, replacedSourceId);
                        ps.executeUpdate();
                    }
                }
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO sources (source_id, uri, kind, format, fingerprint, anonymized, started_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, now())")) {
                ps.setInt(1, sourceId);
                ps.setString(2, spec.uri());
                ps.setString(3, spec.kind());
                ps.setString(4, spec.format());
                ps.setString(5, spec.fingerprint());
                ps.setBoolean(6, spec.anonymized());
                ps.executeUpdate();
            }
            return new SourceLoad(connection, sourceId, spec.uri());
        } catch (SQLException e) {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw failure("start loading " + spec.uri(), e);
        }
    }

    /** The id of a finished source with this fingerprint, if one was loaded before. */
    public Optional<Integer> findLoadedSource(String fingerprint) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT source_id FROM sources WHERE fingerprint = ? AND finished_at IS NOT NULL ORDER BY source_id LIMIT 1")) {
            ps.setString(1, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("look up earlier sources", e);
        }
    }

    /** A finished source with a fingerprint, as re-runs look for the one a grown file continues. */
    public record LoadedSource(int sourceId, String uri, String fingerprint, long linesRead) {
    }

    /** Every finished source that has a fingerprint, by id. */
    public List<LoadedSource> loadedSources() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT source_id, uri, fingerprint, lines_read "
                + "FROM sources WHERE fingerprint IS NOT NULL AND finished_at IS NOT NULL ORDER BY source_id");
             ResultSet rs = ps.executeQuery()) {
            List<LoadedSource> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new LoadedSource(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
            }
            return out;
        } catch (SQLException e) {
            throw failure("list earlier sources", e);
        }
    }

    /** The highest line number a source loaded or rejected; 0 when it has none. */
    public long lastLineNo(int sourceId) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT greatest("
                + "coalesce((SELECT max(line_no) FROM requests WHERE source_id = ?), 0), "
                + "coalesce((SELECT max(line_no) FROM rejects WHERE source_id = ?), 0))")) {
            ps.setInt(1, sourceId);
            ps.setInt(2, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("read the last line of source " + sourceId, e);
        }
    }

    /** One rejected line as stored in {@code rejects}. */
    public record Reject(int sourceId, long lineNo, String reason, String raw) {
    }

    /** The first {@code limit} rejected lines of a source, by line number. */
    public List<Reject> rejects(int sourceId, int limit) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT source_id, line_no, reason, raw FROM rejects WHERE source_id = ? ORDER BY line_no LIMIT ?")) {
            ps.setInt(1, sourceId);
            ps.setInt(2, limit);
            List<Reject> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Reject(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read rejected lines", e);
        }
    }

    /** Deletes a source with its requests and rejects (for --replace), in one transaction. */
    public void deleteSource(int sourceId) {
        inTransaction("delete source " + sourceId, st -> {
            st.execute("DELETE FROM requests WHERE source_id = " + sourceId);
            st.execute("DELETE FROM rejects WHERE source_id = " + sourceId);
            st.execute("DELETE FROM sources WHERE source_id = " + sourceId);
        });
    }

    /**
     * The store's anonymization key: a random 32-byte key created on first use and kept in the
     * store, so hashes stay stable across ingests into the same store.
     */
    public byte[] anonymizationKey() {
        try {
            Optional<String> existing = setting("anonymization_key");
            if (existing.isPresent()) {
                return HexFormat.of().parseHex(existing.get());
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO store_settings VALUES (?, ?)")) {
                ps.setString(1, "anonymization_key");
                ps.setString(2, HexFormat.of().formatHex(key));
                ps.executeUpdate();
            }
            return key;
        } catch (SQLException e) {
            throw failure("read the anonymization key", e);
        }
    }

    /**
     * The query parameter names (parts of names) whose values ingest masks, as last configured for
     * this store; empty when never configured (ingest then uses its built-in list).
     */
    public Optional<List<String>> sensitiveParameters() {
        try {
            return setting("sensitive_params").map(v -> v.isEmpty() ? List.of() : List.of(v.split(",")));
        } catch (SQLException e) {
            throw failure("read the sensitive query parameters", e);
        }
    }

    /** Keeps {@code parts} as this store's sensitive query parameters, for every later ingest. */
    public void saveSensitiveParameters(List<String> parts) {
        for (String part : parts) {
            if (part.isEmpty() || part.contains(",")) {
                throw new IllegalArgumentException("a sensitive parameter part is a non-empty name without ',': '"
                        + part + "'");
            }
        }
        inTransaction("save the sensitive query parameters", st -> {
            st.execute("DELETE FROM store_settings WHERE name = 'sensitive_params'");
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO store_settings VALUES (?, ?)")) {
                ps.setString(1, "sensitive_params");
                ps.setString(2, String.join(",", parts));
                ps.executeUpdate();
            }
        });
    }

    private Optional<String> setting(String settingName) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT value FROM store_settings WHERE name = ?")) {
            ps.setString(1, settingName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    // ---------------------------------------------------------------- model layer

    /** Rebuilds the whole model layer from the raw layer in one transaction. */
    public ModelBuildSummary buildModel(ModelParams params) {
        return ModelBuilder.build(this, params);
    }

    /** Loads and validates the model layer for a replay; see {@link WorkloadModel}. */
    public WorkloadModel loadModel() {
        return WorkloadModelLoader.load(this);
    }

    /**
     * Writes the model layer to {@code dir} as Parquet (one file per table) with a
     * {@code manifest.json}; the raw layer and the sessions do not leave the store. Returns rows per table.
     */
    public Map<String, Long> exportModel(Path dir) {
        return ModelTransfer.export(this, dir);
    }

    /**
     * Replaces the model layer of this store with one written by {@link #exportModel}, in one
     * transaction, checking the manifest's schema version and row counts. Returns rows per table.
     */
    public Map<String, Long> importModel(Path dir) {
        return ModelTransfer.importFrom(this, dir);
    }

    /** The readable views of the model that {@link #showModel} prints. */
    public static final java.util.List<String> MODEL_VIEWS =
            java.util.List.of("mix", "transitions", "think", "arrivals", "spikes", "segments", "templates");

    /**
     * Streams one readable view of the model (one of {@link #MODEL_VIEWS}) to {@code sink}; the
     * queries are the {@code show/*.sql} resources.
     */
    public void showModel(String view, RowSink sink) {
        if (!MODEL_VIEWS.contains(view)) {
            throw new StoreException("no model view '" + view + "'; choose one of " + String.join(", ", MODEL_VIEWS));
        }
        execute(SqlScripts.read("show/" + view + ".sql"), sink);
    }

    /**
     * Validates the model as a replay would load it and compares the endpoint mix its chains are
     * expected to send with the mix the weights ask for. Throws {@link StoreException} listing every
     * invalid row.
     */
    public ModelCheck checkModel() {
        WorkloadModel model = loadModel();
        double[] expected = MixBalancer.expectedMix(model.endpoints(), model.segments());
        java.util.List<ModelCheck.EndpointMix> endpoints = new java.util.ArrayList<>();
        for (int j = 0; j < expected.length; j++) {
            WorkloadModel.Endpoint e = model.endpoints().get(j);
            endpoints.add(new ModelCheck.EndpointMix(e.id(), e.method(), e.template(), e.share(), e.weight(),
                    expected[j], expected[j] > 0 || e.weight() <= 0));
        }
        java.util.List<ModelCheck.SegmentMix> segments = model.segments().stream()
                .map(g -> new ModelCheck.SegmentMix(g.id(), g.name(), g.share(), g.weight())).toList();
        return new ModelCheck(endpoints, segments, MixBalancer.weightsEdited(model.endpoints()));
    }

    /**
     * The recorded requests with a timestamp in {@code [fromMicros, toMicros)} (epoch µs), in log order,
     * each with its endpoint and session from the model layer: what exact-mode replay sends. Needs a
     * built model (requests join {@code session_steps}).
     */
    public RecordedTraffic loadRecording(long fromMicros, long toMicros) {
        return RecordingLoader.load(this, fromMicros, toMicros);
    }

    /** The model's detected spikes in time order (empty before a model build or when none were found). */
    public List<Spike> spikes() {
        List<Spike> out = new ArrayList<>();
        for (List<Object> row : queryRows(SqlScripts.read("report/spikes.sql"))) {
            out.add(new Spike(((Number) row.get(0)).intValue(), instantOfMicros(((Number) row.get(1)).longValue()),
                    instantOfMicros(((Number) row.get(2)).longValue()), ((Number) row.get(3)).doubleValue()));
        }
        return out;
    }

    private static java.time.Instant instantOfMicros(long micros) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    // ---------------------------------------------------------------- results layer

    /**
     * A run read back from runs, run_endpoints, run_intervals and run_endpoint_intervals, or empty when
     * there is no such run.
     * The tables keep fewer percentiles than a {@link RunRecord} holds; those come back NaN.
     */
    public Optional<RunRecord> loadRun(String runId) {
        return RunReader.read(this, runId);
    }

    /** Writes a finished run into runs, run_endpoints, run_intervals and run_endpoint_intervals in one transaction. */
    public void saveRun(RunRecord run) {
        RunWriter.write(this, run);
    }

    // ---------------------------------------------------------------- fidelity

    /**
     * Compares a replay with this store, its source: {@code replayedStore} holds the target's access
     * log of the replay, ingested (with the session header as session id) and with its model built.
     * The replayed store is attached read-only for the comparison; it is migrated first when older.
     * See docs/fidelity.md for the metrics.
     *
     * <pre>{@code
     * Scorecard card = source.compareFidelity(Path.of("replayed.duckdb"), FidelityOptions.defaults().withSpeed(120));
     * }</pre>
     */
    public Scorecard compareFidelity(Path replayedStore, FidelityOptions options) {
        return Fidelity.compare(this, replayedStore, options);
    }

    /**
     * Compares what run {@code runId} of this store sent, as the results layer records it, with the
     * recording: the endpoint mix and the request curve with its spikes (the run's speed and window
     * come from {@code runs.options}; {@code options} gives the bucket and the limits). Transitions,
     * think times, session lengths and statuses are not recorded by a run and come back not measured;
     * {@link #compareFidelity} measures them from the target's access log.
     */
    public Scorecard compareFidelityWithRun(String runId, FidelityOptions options) {
        return Fidelity.compareWithRun(this, runId, options);
    }

    // ---------------------------------------------------------------- any SQL

    /** Receives the result of {@link #execute(String, RowSink)}. */
    public interface RowSink {
        /** Called once before the rows, with column names and DuckDB type names. */
        void columns(List<String> names, List<String> types);

        /**
         * One row. Values are Java objects: String, Long/Integer/Double/BigDecimal, Boolean,
         * OffsetDateTime/LocalDateTime/LocalDate, List (arrays), Map (maps and structs), or null.
         */
        void row(List<Object> values);
    }

    /**
     * Runs any single SQL statement. Queries stream their rows to {@code sink} and return -1; other
     * statements return the number of rows changed (0 for DDL).
     */
    public long execute(String sql, RowSink sink) {
        try (Statement st = connection.createStatement()) {
            boolean isQuery = st.execute(sql);
            if (!isQuery) {
                return Math.max(0, st.getUpdateCount());
            }
            try (ResultSet rs = st.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                List<String> names = new ArrayList<>(n);
                List<String> types = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    names.add(md.getColumnLabel(i));
                    types.add(md.getColumnTypeName(i));
                }
                sink.columns(names, types);
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(plain(rs.getObject(i)));
                    }
                    sink.row(row);
                }
            }
            return -1;
        } catch (SQLException e) {
            throw new StoreException("SQL error: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a query and returns all its rows as plain Java values (see {@link RowSink#row}); for
     * small results such as counts and summaries.
     */
    public List<List<Object>> queryRows(String sql) {
        List<List<Object>> rows = new ArrayList<>();
        long changed = execute(sql, new RowSink() {
            @Override
            public void columns(List<String> names, List<String> types) {
            }

            @Override
            public void row(List<Object> values) {
                rows.add(values);
            }
        });
        if (changed >= 0) {
            throw new IllegalArgumentException("queryRows expects a query, got a statement that changed "
                    + changed + " rows: " + sql);
        }
        return rows;
    }

    /** Converts DuckDB's JDBC objects to plain Java values (lists, maps, strings). */
    private static Object plain(Object value) throws SQLException {
        if (value instanceof Array array) {
            Object[] items = (Object[]) array.getArray();
            List<Object> list = new ArrayList<>(items.length);
            for (Object item : items) {
                list.add(plain(item));
            }
            return list;
        }
        if (value instanceof Struct struct) {
            Map<String, Object> map = new LinkedHashMap<>();
            if (struct instanceof org.duckdb.DuckDBStruct duck) {
                for (Map.Entry<String, Object> e : duck.getMap().entrySet()) {
                    map.put(e.getKey(), plain(e.getValue()));
                }
                return map;
            }
            Object[] attributes = struct.getAttributes();
            for (int i = 0; i < attributes.length; i++) {
                map.put(String.valueOf(i + 1), plain(attributes[i]));
            }
            return map;
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> map = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                map.put(plain(e.getKey()), plain(e.getValue()));
            }
            return map;
        }
        if (value instanceof org.duckdb.JsonNode json) {
            return json.toString();
        }
        if (value instanceof java.util.UUID uuid) {
            return uuid.toString();
        }
        return value;
    }

    // ---------------------------------------------------------------- internals for this package

    Connection connection() {
        return connection;
    }

    /** A JDBC action run by {@link #inTransaction}. */
    interface StatementWork {
        void run(Statement statement) throws SQLException;
    }

    /** Runs {@code work} in one transaction, rolled back on any failure. */
    void inTransaction(String what, StatementWork work) {
        try {
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                work.run(st);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    StoreException failure(String what, SQLException e) {
        return new StoreException(name + ": could not " + what + ": " + firstLine(e.getMessage()), e);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static void closeQuietlyAfterFailure(Connection connection, Exception primary) {
        try {
            connection.close();
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close the store", e);
        }
    }
}
