package dev.reprise.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Assigns every session of the model build to a behaviour segment. Bot sessions ({@code sessions.is_bot})
 * form one segment of their own, named {@code bots}, so crawlers never blur human behaviour. Human
 * sessions are clustered as a mixture of Markov chains with a pace (a segment is a navigation chain and
 * a lognormal think time, a session a walk on it at that pace): k-means over each session's endpoint mix gives the starting partition (the vector of the
 * shares of its requests per endpoint, the top {@link #MAX_FEATURES} endpoints of human traffic with the
 * rest pooled, square-rooted so Euclidean distance compares distributions), then EM fits k chains and
 * every session goes to its most likely chain. k is {@code params.segments()}, or the one with the
 * lowest BIC between 2 and {@link ModelParams#MAX_AUTO_SEGMENTS} on a deterministic sample of
 * {@link #SAMPLE_SIZE} sessions. Each segment is named by its dominant endpoints: those most
 * over-represented in it, weighted by their share.
 *
 * <p>Deterministic: the same sessions and parameters give the same segments (fixed seed). Writes the
 * build tables {@code segment_names(segment_id, name)} and {@code segment_posteriors(session_id, segment_id,
 * posterior)} (each session's probability of belonging to each segment, which transitions are counted
 * with, so a session that fits two chains does not bias either) and sets {@code sessions.segment_id}
 * (the most likely segment); human
 * segments are numbered from 1 by size, the bot segment comes last.
 */
final class SessionSegmenter {
    /** Endpoints that get their own dimension; the long tail is pooled in one more. */
    static final int MAX_FEATURES = 40;
    /** Sessions the automatic choice of k and the initial centroids are computed on. */
    static final int SAMPLE_SIZE = 8000;
    /** Below this many human sessions, clustering has nothing to say: one human segment. */
    static final int MIN_SESSIONS_TO_CLUSTER = 50;
    private static final int RESTARTS = 4;
    /** EM rounds on the sample (per candidate k) and then on all sessions, which start close to the optimum. */
    private static final int SAMPLE_EM_ITERATIONS = 150;
    private static final int FULL_EM_ITERATIONS = 60;
    private static final int MAX_ITERATIONS = 100;
    private static final long SEED = 0x5e9d1e5L;

    private SessionSegmenter() {
    }

    static void assign(Statement st, ModelParams params) throws SQLException {
        st.execute("CREATE OR REPLACE TEMP TABLE segment_names (segment_id INTEGER, name VARCHAR)");
        // plain tables: DuckDB appenders cannot write temporary ones; dropped again before the commit
        st.execute("CREATE OR REPLACE TABLE build_session_segment (session_id BIGINT, segment_id INTEGER)");
        st.execute("CREATE OR REPLACE TABLE segment_posteriors (session_id BIGINT, segment_id INTEGER, posterior DOUBLE)");
        // feature dimensions: the most requested endpoints of human sessions
        List<Integer> featureEndpoints = new ArrayList<>();
        List<String> featureNames = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT ss.endpoint_id, any_value(e.method || ' ' || e.template), count(*) AS n "
                + "FROM session_steps ss JOIN sessions s USING (session_id) JOIN endpoints e USING (endpoint_id) "
                + "WHERE NOT s.is_bot GROUP BY ss.endpoint_id ORDER BY n DESC, ss.endpoint_id")) {
            while (rs.next()) {
                featureEndpoints.add(rs.getInt(1));
                featureNames.add(rs.getString(2));
            }
        }
        int maxEndpoint = featureEndpoints.stream().mapToInt(Integer::intValue).max().orElse(0);
        int dims = Math.min(featureEndpoints.size(), MAX_FEATURES) + 1;
        int[] dimOf = new int[maxEndpoint + 1];
        Arrays.fill(dimOf, dims - 1);
        for (int i = 0; i < dims - 1; i++) {
            dimOf[featureEndpoints.get(i)] = i;
        }

        // one count vector per human session, in session order
        List<Long> ids = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT ss.session_id, ss.endpoint_id, count(*) "
                + "FROM session_steps ss JOIN sessions s USING (session_id) "
                + "WHERE NOT s.is_bot GROUP BY ALL ORDER BY ss.session_id")) {
            long current = Long.MIN_VALUE;
            float[] v = null;
            while (rs.next()) {
                long id = rs.getLong(1);
                if (id != current) {
                    current = id;
                    v = new float[dims];
                    ids.add(id);
                    vectors.add(v);
                }
                v[dimOf[rs.getInt(2)]] += rs.getLong(3);
            }
        }
        float[][] x = vectors.toArray(new float[0][]);
        // the session's moves START -> first, step -> step, last -> EXIT, as cells of a (dims+1)^2 matrix:
        // row 0 = START, row 1 + d = endpoint dimension d; column 0 = EXIT, column 1 + d = dimension d
        int states = dims + 1;
        int[][] cells = new int[x.length][];
        int[][] cellCounts = new int[x.length][];
        try (ResultSet rs = st.executeQuery("WITH steps AS ("
                + " SELECT ss.session_id, coalesce(lag(ss.endpoint_id) OVER w, 0) AS from_endpoint, ss.endpoint_id,"
                + " lead(ss.endpoint_id) OVER w IS NULL AS is_last"
                + " FROM session_steps ss JOIN sessions s USING (session_id) WHERE NOT s.is_bot"
                + " WINDOW w AS (PARTITION BY ss.session_id ORDER BY ss.seq))"
                + " SELECT session_id, from_endpoint, to_endpoint, count(*) FROM ("
                + " SELECT session_id, from_endpoint, endpoint_id AS to_endpoint FROM steps UNION ALL"
                + " SELECT session_id, endpoint_id, -1 FROM steps WHERE is_last) GROUP BY ALL ORDER BY session_id")) {
            int i = -1;
            long current = Long.MIN_VALUE;
            List<int[]> moves = new ArrayList<>();
            while (true) {
                boolean more = rs.next();
                long id = more ? rs.getLong(1) : Long.MAX_VALUE;
                if (id != current) {
                    if (i >= 0) {
                        cells[i] = moves.stream().mapToInt(m -> m[0]).toArray();
                        cellCounts[i] = moves.stream().mapToInt(m -> m[1]).toArray();
                    }
                    if (!more) {
                        break;
                    }
                    moves.clear();
                    current = id;
                    i++;
                    if (ids.get(i) != id) {
                        throw new IllegalStateException("sessions out of step: " + ids.get(i) + " vs " + id);
                    }
                }
                int from = rs.getInt(2);
                int to = rs.getInt(3);
                int row = from == WorkloadModel.START ? 0 : 1 + dimOf[from];
                int column = to == WorkloadModel.EXIT ? 0 : 1 + dimOf[to];
                moves.add(new int[] {row * states + column, rs.getInt(4)});
            }
        }
        // the session's pace: ln(think + 0.5 s) per think time, except right after a redirect (the browser
        // follows a 3xx at once, whoever the user is); the offset keeps zero thinks (1 s logs) finite
        double[][] pace = new double[x.length][3];
        try (ResultSet rs = st.executeQuery("SELECT session_id, count(*), sum(ln(think_ms + 500)), "
                + "sum(ln(think_ms + 500) * ln(think_ms + 500)) FROM ("
                + " SELECT ss.session_id, ss.think_ms, lag(t.status) OVER (PARTITION BY ss.session_id ORDER BY ss.seq) AS prev_status"
                + " FROM session_steps ss JOIN templated_requests t USING (source_id, line_no)"
                + " JOIN sessions s USING (session_id) WHERE NOT s.is_bot)"
                + " WHERE think_ms IS NOT NULL AND coalesce(prev_status NOT BETWEEN 300 AND 399, true)"
                + " GROUP BY session_id")) {
            Map<Long, Integer> rowOf = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                rowOf.put(ids.get(i), i);
            }
            while (rs.next()) {
                double[] p = pace[rowOf.get(rs.getLong(1))];
                p[0] = rs.getLong(2);
                p[1] = rs.getDouble(3);
                p[2] = rs.getDouble(4);
            }
        }
        Chains chains = new Chains(states, cells, cellCounts, pace);
        for (float[] v : x) {
            double total = 0;
            for (float c : v) {
                total += c;
            }
            for (int d = 0; d < dims; d++) {
                v[d] = (float) Math.sqrt(v[d] / total);
            }
        }

        int[] all = new int[x.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        Mixture mixture = x.length == 0 ? null : cluster(x, chains, params.segments());
        int[] labels = x.length == 0 ? new int[0] : chains.mostLikely(mixture, all);
        int k = Arrays.stream(labels).max().orElse(-1) + 1;
        // renumber by size, largest first
        long[] sizes = new long[k];
        for (int label : labels) {
            sizes[label]++;
        }
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> sizes[a] != sizes[b] ? Long.compare(sizes[b], sizes[a]) : Integer.compare(a, b));
        int[] segmentOf = new int[k];
        for (int rank = 0; rank < k; rank++) {
            segmentOf[order[rank]] = rank + 1;
        }

        Connection connection = st.getConnection();
        try (DuckDBAppender appender = connection.unwrap(DuckDBConnection.class)
                .createAppender("main", "build_session_segment")) {
            for (int i = 0; i < x.length; i++) {
                appender.beginRow();
                appender.append(ids.get(i));
                appender.append(segmentOf[labels[i]]);
                appender.endRow();
            }
        }
        try (DuckDBAppender appender = connection.unwrap(DuckDBConnection.class)
                .createAppender("main", "segment_posteriors")) {
            double[] posterior = new double[k];
            for (int i = 0; i < x.length; i++) {
                chains.posterior(mixture, i, posterior);
                for (int c = 0; c < k; c++) {
                    if (posterior[c] >= 1e-6) {
                        appender.beginRow();
                        appender.append(ids.get(i));
                        appender.append(segmentOf[c]);
                        appender.append(posterior[c]);
                        appender.endRow();
                    }
                }
            }
        }
        st.execute("UPDATE sessions SET segment_id = a.segment_id FROM build_session_segment a "
                + "WHERE sessions.session_id = a.session_id");

        List<String> names = nameSegments(x, labels, segmentOf, k, dims, featureNames);
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO segment_names VALUES (?, ?)")) {
            for (int s = 0; s < k; s++) {
                ps.setInt(1, s + 1);
                ps.setString(2, names.get(s));
                ps.executeUpdate();
            }
            boolean anyBots;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions WHERE is_bot")) {
                rs.next();
                anyBots = rs.getLong(1) > 0;
            }
            if (anyBots) {
                st.execute("UPDATE sessions SET segment_id = " + (k + 1) + " WHERE is_bot");
                st.execute("INSERT INTO segment_posteriors SELECT session_id, segment_id, 1.0 FROM sessions WHERE is_bot");
                ps.setInt(1, k + 1);
                ps.setString(2, "bots");
                ps.executeUpdate();
            }
        }
        st.execute("DROP TABLE build_session_segment");
    }

    /**
     * Names segment s (1-based) by its dominant endpoints: ranked by share × ln(share / overall share)
     * (the endpoint's contribution to the segment's divergence from all human traffic), the top two.
     */
    private static List<String> nameSegments(float[][] x, int[] labels, int[] segmentOf, int k, int dims,
                                             List<String> featureNames) {
        double[][] mass = new double[k + 1][dims];
        double[] overall = new double[dims];
        for (int i = 0; i < x.length; i++) {
            int s = segmentOf[labels[i]];
            for (int d = 0; d < dims; d++) {
                double share = (double) x[i][d] * x[i][d];
                mass[s][d] += share;
                overall[d] += share;
            }
        }
        double overallTotal = Arrays.stream(overall).sum();
        List<String> names = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int s = 1; s <= k; s++) {
            double total = Arrays.stream(mass[s]).sum();
            double[] score = new double[dims];
            for (int d = 0; d < dims; d++) {
                double p = mass[s][d] / total;
                double q = overall[d] / overallTotal;
                score[d] = p <= 0 || k == 1 ? p : p * Math.log(p / q);
            }
            Integer[] best = new Integer[dims - 1];
            for (int d = 0; d < dims - 1; d++) {
                best[d] = d;
            }
            Arrays.sort(best, (a, b) -> Double.compare(score[b], score[a]));
            StringBuilder name = new StringBuilder();
            for (int j = 0; j < Math.min(2, best.length); j++) {
                if (j > 0 && score[best[j]] <= 0) {
                    break;
                }
                name.append(j == 0 ? "" : " + ").append(featureNames.get(best[j]));
            }
            String unique = name.length() == 0 ? "segment " + s : name.toString();
            if (!used.add(unique)) {
                unique = unique + " #" + s;
                used.add(unique);
            }
            names.add(unique);
        }
        return names;
    }

    /**
     * Cluster labels 0..k-1 for each session; {@code requested} 0 chooses k. k-means on the endpoint
     * mix gives each candidate k its starting partition; EM for a mixture of k Markov chains refines it
     * (the model the sessions are assumed to come from: a segment is a chain, a session a walk on it);
     * the automatic k minimizes the mixture's BIC on a sample. Each session goes to its most likely chain.
     */
    static Mixture cluster(float[][] x, Chains chains, int requested) {
        int n = x.length;
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        if (requested == 1 || n < MIN_SESSIONS_TO_CLUSTER && requested == 0) {
            return chains.fit(all, new int[n], 1, 1);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        int[] sampleRows = sample(n, Math.min(n, SAMPLE_SIZE), random);
        float[][] sample = new float[sampleRows.length][];
        for (int i = 0; i < sampleRows.length; i++) {
            sample[i] = x[sampleRows[i]];
        }
        Mixture best = null;
        double bestBic = Double.POSITIVE_INFINITY;
        int from = requested > 0 ? Math.min(requested, n) : 2;
        int to = requested > 0 ? from : Math.min(ModelParams.MAX_AUTO_SEGMENTS, sample.length - 1);
        for (int k = from; k <= to; k++) {
            int[] start = bestOf(sample, k, random).labels;
            Mixture fit = chains.fit(sampleRows, start, k, SAMPLE_EM_ITERATIONS);
            double bic = fit.bic(sampleRows.length);
            if (best == null || bic < bestBic) {
                best = fit;
                bestBic = bic;
            }
        }
        return chains.fit(all, chains.mostLikely(best, all), best.logWeights.length, FULL_EM_ITERATIONS);
    }

    /** A fitted mixture of Markov chains: log mixing weights, log transition matrices (flattened). */
    record Mixture(double[] logWeights, double[][] logTransitions, double[] paceMean, double[] paceVariance,
                   double logLikelihood, int freeParameters) {
        /** Bayesian information criterion: -2 ln L + p ln n (smaller is better). */
        double bic(int sessions) {
            return -2 * logLikelihood + freeParameters * Math.log(sessions);
        }
    }

    /** The sessions as transition counts over a (states x states) matrix of cells. */
    static final class Chains {
        /** Strength of the pull of each chain toward the pooled chain, in pseudo-moves per state. */
        private static final double PRIOR_MOVES = 1.0;
        private final int states;
        private final int[][] cells;
        private final int[][] counts;

        /** Per session: think times counted, sum of ln(think), sum of ln(think)^2. */
        private final double[][] pace;

        Chains(int states, int[][] cells, int[][] counts, double[][] pace) {
            this.pace = pace;
            this.states = states;
            this.cells = cells;
            this.counts = counts;
        }

        /** EM from the hard partition {@code labels} (aligned with {@code rows}) until the likelihood settles. */
        Mixture fit(int[] rows, int[] labels, int k, int maxIterations) {
            int n = rows.length;
            int size = states * states;
            double[] pooled = new double[size];
            for (int row : rows) {
                for (int j = 0; j < cells[row].length; j++) {
                    pooled[cells[row][j]] += counts[row][j];
                }
            }
            int observedCells = 0;
            int observedStates = 0;
            double[] pooledRows = new double[states];
            for (int c = 0; c < size; c++) {
                pooledRows[c / states] += pooled[c];
                observedCells += pooled[c] > 0 ? 1 : 0;
            }
            for (double r : pooledRows) {
                observedStates += r > 0 ? 1 : 0;
            }
            for (int c = 0; c < size; c++) {
                pooled[c] = pooledRows[c / states] > 0 ? pooled[c] / pooledRows[c / states] : 0;
            }
            double[][] resp = new double[n][k];
            for (int i = 0; i < n; i++) {
                resp[i][labels[i]] = 1;
            }
            double[] logWeights = new double[k];
            double[][] logP = new double[k][size];
            double[] paceMean = new double[k];
            double[] paceVariance = new double[k];
            double previous = Double.NEGATIVE_INFINITY;
            double logLikelihood = 0;
            double[] ll = new double[k];
            for (int iteration = 0; iteration < maxIterations; iteration++) {
                // M-step: weighted move counts, shrunk toward the pooled chain
                double[][] moves = new double[k][size];
                double[] mass = new double[k];
                for (int i = 0; i < n; i++) {
                    int row = rows[i];
                    for (int m = 0; m < k; m++) {
                        double r = resp[i][m];
                        if (r < 1e-12) {
                            continue;
                        }
                        mass[m] += r;
                        for (int j = 0; j < cells[row].length; j++) {
                            moves[m][cells[row][j]] += r * counts[row][j];
                        }
                    }
                }
                double[] paceN = new double[k];
                double[] paceS1 = new double[k];
                double[] paceS2 = new double[k];
                for (int i = 0; i < n; i++) {
                    double[] p = pace[rows[i]];
                    for (int m = 0; m < k; m++) {
                        paceN[m] += resp[i][m] * p[0];
                        paceS1[m] += resp[i][m] * p[1];
                        paceS2[m] += resp[i][m] * p[2];
                    }
                }
                for (int m = 0; m < k; m++) {
                    paceMean[m] = paceN[m] > 0 ? paceS1[m] / paceN[m] : 0;
                    // floor: a segment of identical think times must not get an infinitely sharp peak
                    paceVariance[m] = Math.max(paceN[m] > 0 ? paceS2[m] / paceN[m] - paceMean[m] * paceMean[m] : 1, 0.01);
                    logWeights[m] = Math.log(Math.max(mass[m], 1e-9) / n);
                    double[] rowTotals = new double[states];
                    for (int c = 0; c < size; c++) {
                        rowTotals[c / states] += moves[m][c];
                    }
                    for (int c = 0; c < size; c++) {
                        double p = (moves[m][c] + PRIOR_MOVES * pooled[c]) / (rowTotals[c / states] + PRIOR_MOVES);
                        logP[m][c] = p > 0 ? Math.log(p) : Double.NEGATIVE_INFINITY;
                    }
                }
                // E-step: posterior of each chain for each session
                logLikelihood = 0;
                for (int i = 0; i < n; i++) {
                    double max = logLikelihoods(rows[i], logWeights, logP, paceMean, paceVariance, ll);
                    double sum = 0;
                    for (int m = 0; m < k; m++) {
                        resp[i][m] = Math.exp(ll[m] - max);
                        sum += resp[i][m];
                    }
                    for (int m = 0; m < k; m++) {
                        resp[i][m] /= sum;
                    }
                    logLikelihood += max + Math.log(sum);
                }
                if (logLikelihood - previous < 1e-8 * Math.abs(logLikelihood)) {
                    break;
                }
                previous = logLikelihood;
            }
            int freeParameters = k * (observedCells - observedStates + 2) + k - 1;
            return new Mixture(logWeights, logP, paceMean, paceVariance, logLikelihood, freeParameters);
        }

        /** The most likely chain of each of {@code rows}. */
        int[] mostLikely(Mixture mixture, int[] rows) {
            int k = mixture.logWeights.length;
            double[] ll = new double[k];
            int[] out = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                logLikelihoods(rows[i], mixture.logWeights, mixture.logTransitions, mixture.paceMean,
                        mixture.paceVariance, ll);
                int best = 0;
                for (int m = 1; m < k; m++) {
                    if (ll[m] > ll[best]) {
                        best = m;
                    }
                }
                out[i] = best;
            }
            return out;
        }

        /** The posterior probability of each chain for session {@code row}, into {@code out}. */
        void posterior(Mixture mixture, int row, double[] out) {
            double max = logLikelihoods(row, mixture.logWeights, mixture.logTransitions,
                    mixture.paceMean, mixture.paceVariance, out);
            double sum = 0;
            for (int m = 0; m < out.length; m++) {
                out[m] = Math.exp(out[m] - max);
                sum += out[m];
            }
            for (int m = 0; m < out.length; m++) {
                out[m] /= sum;
            }
        }

        /** Fills {@code out[m]} = ln(weight_m) + ln P(session | chain m); returns the largest. */
        private double logLikelihoods(int row, double[] logWeights, double[][] logP, double[] paceMean,
                                      double[] paceVariance, double[] out) {
            double[] p = pace[row];
            double max = Double.NEGATIVE_INFINITY;
            for (int m = 0; m < logWeights.length; m++) {
                double sum = logWeights[m];
                for (int j = 0; j < cells[row].length; j++) {
                    sum += counts[row][j] * logP[m][cells[row][j]];
                }
                // Σ ln N(y; mean, variance) over the session's n think times, from its sums of y and y^2
                sum -= p[0] / 2 * Math.log(2 * Math.PI * paceVariance[m])
                        + (p[2] - 2 * paceMean[m] * p[1] + p[0] * paceMean[m] * paceMean[m]) / (2 * paceVariance[m]);
                out[m] = sum;
                max = Math.max(max, sum);
            }
            return max;
        }
    }

    private record KMeans(float[][] centroids, int[] labels, double inertia) {
    }

    private static KMeans bestOf(float[][] x, int k, SplittableRandom random) {
        KMeans best = null;
        for (int r = 0; r < RESTARTS; r++) {
            KMeans fit = lloyd(x, plusPlus(x, k, random), MAX_ITERATIONS);
            if (best == null || fit.inertia < best.inertia) {
                best = fit;
            }
        }
        return best;
    }

    /** k-means++ seeding: each next centroid drawn with probability proportional to squared distance. */
    private static float[][] plusPlus(float[][] x, int k, SplittableRandom random) {
        int n = x.length;
        float[][] centroids = new float[k][];
        centroids[0] = x[random.nextInt(n)].clone();
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], squaredDistance(x[i], centroids[c - 1]));
                total += nearest[i];
            }
            double target = random.nextDouble() * total;
            int chosen = n - 1;
            for (int i = 0; i < n; i++) {
                target -= nearest[i];
                if (target < 0) {
                    chosen = i;
                    break;
                }
            }
            centroids[c] = x[chosen].clone();
        }
        return centroids;
    }

    private static KMeans lloyd(float[][] x, float[][] centroids, int maxIterations) {
        int n = x.length;
        int k = centroids.length;
        int dims = centroids[0].length;
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        double inertia = 0;
        for (int iteration = 0; iteration < maxIterations; iteration++) {
            boolean changed = false;
            inertia = 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestDistance = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double d = squaredDistance(x[i], centroids[c]);
                    if (d < bestDistance) {
                        bestDistance = d;
                        best = c;
                    }
                }
                inertia += bestDistance;
                if (labels[i] != best) {
                    labels[i] = best;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            double[][] sums = new double[k][dims];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                counts[labels[i]]++;
                for (int d = 0; d < dims; d++) {
                    sums[labels[i]][d] += x[i][d];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    continue; // an emptied cluster keeps its centroid; it may win points back
                }
                for (int d = 0; d < dims; d++) {
                    centroids[c][d] = (float) (sums[c][d] / counts[c]);
                }
            }
        }
        return new KMeans(centroids, labels, inertia);
    }




    /** A deterministic sample of {@code size} row numbers out of {@code n}, without replacement (partial Fisher-Yates). */
    private static int[] sample(int n, int size, SplittableRandom random) {
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(n - i);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
        }
        return Arrays.copyOf(index, size);
    }


    private static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            double diff = a[d] - b[d];
            sum += diff * diff;
        }
        return sum;
    }
}
