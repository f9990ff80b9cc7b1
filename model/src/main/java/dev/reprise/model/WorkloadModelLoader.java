package dev.reprise.model;

import dev.reprise.model.WorkloadModel.ArrivalCurve;
import dev.reprise.model.WorkloadModel.Endpoint;
import dev.reprise.model.WorkloadModel.Segment;
import dev.reprise.model.WorkloadModel.SlotValues;
import dev.reprise.model.WorkloadModel.ThinkLevel;
import dev.reprise.model.WorkloadModel.ThinkTimeDistribution;
import dev.reprise.model.WorkloadModel.Transition;
import dev.reprise.model.WorkloadModel.UserAgent;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the model layer into a {@link WorkloadModel}, validating every row an analyst may have
 * edited. Problems are collected and reported together, each naming the table, the row and what is
 * wrong, so one run of {@code model check} shows everything to fix.
 */
final class WorkloadModelLoader {
    private static final int MAX_PROBLEMS_SHOWN = 20;

    private final List<String> problems = new ArrayList<>();

    private WorkloadModelLoader() {
    }

    static WorkloadModel load(Store store) {
        try (Statement st = store.connection().createStatement()) {
            return new WorkloadModelLoader().read(store, st);
        } catch (SQLException e) {
            throw store.failure("load the model", e);
        }
    }

    private WorkloadModel read(Store store, Statement st) throws SQLException {
        Map<String, String> params = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT name, value FROM model_params")) {
            while (rs.next()) {
                params.put(rs.getString(1), rs.getString(2));
            }
        }
        if (params.isEmpty()) {
            throw new StoreException(store.name() + " has no model yet; run `reprise model build` first");
        }
        Map<Integer, List<SlotValues>> slots = readSlots(st);
        List<Endpoint> endpoints = readEndpoints(st, slots);
        Set<Integer> endpointIds = new HashSet<>();
        endpoints.forEach(e -> endpointIds.add(e.id()));
        Map<Integer, List<Transition>> transitions = readTransitions(st, endpointIds);
        List<Segment> segments = readSegments(st, transitions);
        checkChains(segments, endpointIds);
        List<ThinkTimeDistribution> thinkTimes = readThinkTimes(st);
        ArrivalCurve arrivals = readArrivals(st, params);
        long sessions;
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
            rs.next();
            sessions = rs.getLong(1);
        }
        if (sessions == 0 && params.containsKey("recorded_sessions")) {
            sessions = Long.parseLong(params.get("recorded_sessions")); // an imported model has no sessions rows
        }
        if (problems.isEmpty() && MixBalancer.weightsEdited(endpoints)) {
            // the analyst asked for another endpoint mix: steer the chains toward it (see MixBalancer)
            segments = MixBalancer.rebalance(endpoints, segments).segments();
        }
        if (!problems.isEmpty()) {
            StringBuilder sb = new StringBuilder("the model in " + store.name() + " is not valid ("
                    + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):");
            problems.stream().limit(MAX_PROBLEMS_SHOWN).forEach(p -> sb.append("\n  - ").append(p));
            if (problems.size() > MAX_PROBLEMS_SHOWN) {
                sb.append("\n  ... and ").append(problems.size() - MAX_PROBLEMS_SHOWN).append(" more");
            }
            sb.append("\nFix the rows with `reprise sql`, or rebuild with `reprise model build`.");
            throw new StoreException(sb.toString());
        }
        long requests = endpoints.stream().mapToLong(Endpoint::requests).sum();
        return new WorkloadModel(endpoints, segments, thinkTimes, arrivals,
                Duration.ofNanos((long) (Double.parseDouble(params.getOrDefault("session_gap_s", "1800")) * 1e9)),
                Integer.parseInt(params.getOrDefault("min_transition_samples", "30")),
                requests, sessions);
    }

    private Map<Integer, List<SlotValues>> readSlots(Statement st) throws SQLException {
        Map<Integer, Map<String, List<String>>> values = new HashMap<>();
        Map<Integer, Map<String, List<Long>>> counts = new HashMap<>();
        try (ResultSet rs = st.executeQuery(
                "SELECT endpoint_id, slot, value, count FROM endpoint_values ORDER BY endpoint_id, slot, count DESC, value")) {
            while (rs.next()) {
                int id = rs.getInt(1);
                String slot = rs.getString(2);
                long count = rs.getLong(4);
                if (count < 0) {
                    problems.add("endpoint_values row (endpoint_id=" + id + ", slot='" + slot + "', value='"
                            + rs.getString(3) + "'): count is negative (" + count + ")");
                    continue;
                }
                values.computeIfAbsent(id, k -> new LinkedHashMap<>()).computeIfAbsent(slot, k -> new ArrayList<>())
                        .add(rs.getString(3));
                counts.computeIfAbsent(id, k -> new LinkedHashMap<>()).computeIfAbsent(slot, k -> new ArrayList<>())
                        .add(count);
            }
        }
        Map<Integer, List<SlotValues>> out = new HashMap<>();
        values.forEach((id, bySlot) -> bySlot.forEach((slot, vals) -> out.computeIfAbsent(id, k -> new ArrayList<>())
                .add(new SlotValues(slot, vals, counts.get(id).get(slot).stream().mapToLong(Long::longValue).toArray()))));
        return out;
    }

    private List<Endpoint> readEndpoints(Statement st, Map<Integer, List<SlotValues>> slots) throws SQLException {
        List<Endpoint> raw = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        try (ResultSet rs = st.executeQuery(
                "SELECT endpoint_id, method, template, requests, share, weight FROM endpoints ORDER BY endpoint_id")) {
            while (rs.next()) {
                int id = rs.getInt(1);
                String row = "endpoints row (endpoint_id=" + id + ", " + rs.getString(2) + " " + rs.getString(3) + ")";
                double weight = rs.getDouble(6);
                boolean weightNull = rs.wasNull();
                if (id <= 0) {
                    problems.add(row + ": endpoint_id must be positive (0 and -1 are START and EXIT)");
                }
                if (!seen.add(id)) {
                    problems.add(row + ": endpoint_id appears more than once");
                }
                checkWeight(row, weight, weightNull);
                raw.add(new Endpoint(id, rs.getString(2), rs.getString(3), rs.getLong(4), rs.getDouble(5), weight,
                        slots.getOrDefault(id, List.of())));
            }
        }
        if (raw.isEmpty()) {
            problems.add("endpoints: the table is empty; run `reprise model build`");
            return raw;
        }
        slots.keySet().stream().filter(id -> !seen.contains(id)).sorted().forEach(id ->
                problems.add("endpoint_values rows (endpoint_id=" + id + "): no such endpoint in endpoints"));
        double total = raw.stream().mapToDouble(e -> Math.max(0, e.weight())).sum();
        if (total <= 0) {
            problems.add("endpoints: all weights are 0; at least one endpoint needs a positive weight");
            return raw;
        }
        List<Endpoint> normalized = new ArrayList<>(raw.size());
        for (Endpoint e : raw) {
            normalized.add(new Endpoint(e.id(), e.method(), e.template(), e.requests(), e.share(),
                    e.weight() / total, e.slots()));
        }
        return normalized;
    }

    private Map<Integer, List<Transition>> readTransitions(Statement st, Set<Integer> endpointIds) throws SQLException {
        Map<Integer, Map<Integer, List<Transition>>> bySegmentAndFrom = new LinkedHashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT segment_id, from_endpoint, to_endpoint, count, probability, weight "
                + "FROM transitions ORDER BY segment_id, from_endpoint, to_endpoint")) {
            while (rs.next()) {
                int segment = rs.getInt(1);
                int from = rs.getInt(2);
                int to = rs.getInt(3);
                String row = "transitions row (segment_id=" + segment + ", from_endpoint=" + from
                        + ", to_endpoint=" + to + ")";
                double weight = rs.getDouble(6);
                checkWeight(row, weight, rs.wasNull());
                if (from != WorkloadModel.START && !endpointIds.contains(from)) {
                    problems.add(row + ": from_endpoint " + from + " is not in endpoints (nor 0 = START)");
                }
                if (to != WorkloadModel.EXIT && !endpointIds.contains(to)) {
                    problems.add(row + ": to_endpoint " + to + " is not in endpoints (nor -1 = EXIT)");
                }
                if (to == WorkloadModel.START || from == WorkloadModel.EXIT) {
                    problems.add(row + ": sessions cannot move into START or out of EXIT");
                }
                bySegmentAndFrom.computeIfAbsent(segment, k -> new LinkedHashMap<>())
                        .computeIfAbsent(from, k -> new ArrayList<>())
                        .add(new Transition(from, to, rs.getLong(4), rs.getDouble(5), weight));
            }
        }
        Map<Integer, List<Transition>> out = new LinkedHashMap<>();
        bySegmentAndFrom.forEach((segment, byFrom) -> {
            List<Transition> list = new ArrayList<>();
            byFrom.forEach((from, edges) -> {
                double total = edges.stream().mapToDouble(t -> Math.max(0, t.weight())).sum();
                for (Transition t : edges) {
                    list.add(new Transition(t.fromEndpoint(), t.toEndpoint(), t.count(), t.probability(),
                            total > 0 ? Math.max(0, t.weight()) / total : 0));
                }
            });
            out.put(segment, list);
        });
        return out;
    }

    private List<Segment> readSegments(Statement st, Map<Integer, List<Transition>> transitions) throws SQLException {
        Map<Integer, List<UserAgent>> agents = readAgents(st);
        List<Segment> raw = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT segment_id, name, sessions, share, weight FROM segments ORDER BY segment_id")) {
            while (rs.next()) {
                int id = rs.getInt(1);
                String row = "segments row (segment_id=" + id + ", name='" + rs.getString(2) + "')";
                double weight = rs.getDouble(5);
                checkWeight(row, weight, rs.wasNull());
                raw.add(new Segment(id, rs.getString(2), rs.getLong(3), rs.getDouble(4), weight,
                        transitions.getOrDefault(id, List.of()), agents.getOrDefault(id, List.of())));
            }
        }
        Set<Integer> segmentIds = new HashSet<>();
        raw.forEach(s -> segmentIds.add(s.id()));
        agents.keySet().stream().filter(id -> !segmentIds.contains(id)).sorted().forEach(id ->
                problems.add("segment_agents rows (segment_id=" + id + "): no such segment in segments"));
        transitions.keySet().stream().filter(id -> !segmentIds.contains(id)).forEach(id ->
                problems.add("transitions rows (segment_id=" + id + "): no such segment in segments"));
        double total = raw.stream().mapToDouble(s -> Math.max(0, s.weight())).sum();
        if (raw.isEmpty() || total <= 0) {
            problems.add("segments: no segment has a positive weight; sessions would have no behaviour to follow");
            return raw;
        }
        List<Segment> normalized = new ArrayList<>();
        for (Segment s : raw) {
            normalized.add(new Segment(s.id(), s.name(), s.sessions(), s.share(), Math.max(0, s.weight()) / total,
                    s.transitions(), s.agents()));
        }
        return normalized;
    }

    /** segment_agents by segment, most sessions first; bad rows are reported and left out. */
    private Map<Integer, List<UserAgent>> readAgents(Statement st) throws SQLException {
        Map<Integer, List<UserAgent>> out = new LinkedHashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT segment_id, user_agent, sessions FROM segment_agents "
                + "ORDER BY segment_id, sessions DESC, user_agent")) {
            while (rs.next()) {
                int segment = rs.getInt(1);
                String agent = rs.getString(2);
                long sessions = rs.getLong(3);
                boolean sessionsNull = rs.wasNull();
                String row = "segment_agents row (segment_id=" + segment + ", user_agent='" + agent + "')";
                if (agent == null || agent.isBlank()) {
                    problems.add(row + ": user_agent is empty");
                } else if (agent.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                    problems.add(row + ": user_agent contains control characters, which cannot go in an HTTP header");
                } else if (sessionsNull) {
                    problems.add(row + ": sessions is NULL (use 0 to switch the agent off)");
                } else if (sessions < 0) {
                    problems.add(row + ": sessions is negative (" + sessions + "); it must be >= 0");
                } else {
                    out.computeIfAbsent(segment, k -> new ArrayList<>()).add(new UserAgent(agent, sessions));
                }
            }
        }
        return out;
    }

    /**
     * Every segment in use must be walkable: START has a way out, and every endpoint a session can
     * reach has outgoing transitions (to EXIT at least), otherwise the walk would have nowhere to go.
     */
    private void checkChains(List<Segment> segments, Set<Integer> endpointIds) {
        for (Segment segment : segments) {
            if (segment.weight() <= 0) {
                continue;
            }
            Map<Integer, Double> outgoing = new HashMap<>();
            Set<Integer> reached = new HashSet<>();
            for (Transition t : segment.transitions()) {
                outgoing.merge(t.fromEndpoint(), t.weight(), Double::sum);
                if (t.weight() > 0 && t.toEndpoint() != WorkloadModel.EXIT && endpointIds.contains(t.toEndpoint())) {
                    reached.add(t.toEndpoint());
                }
            }
            if (outgoing.getOrDefault(WorkloadModel.START, 0.0) <= 0) {
                problems.add("transitions (segment_id=" + segment.id() + "): no transition from START (0) has a "
                        + "positive weight, so no session of segment '" + segment.name() + "' can begin");
            }
            reached.stream().sorted().forEach(id -> {
                if (outgoing.getOrDefault(id, 0.0) <= 0) {
                    problems.add("transitions (segment_id=" + segment.id() + ", from_endpoint=" + id + "): endpoint "
                            + id + " can be reached but has no outgoing transition with a positive weight "
                            + "(add one, to EXIT = -1 at least)");
                }
            });
        }
    }

    private List<ThinkTimeDistribution> readThinkTimes(Statement st) throws SQLException {
        List<ThinkTimeDistribution> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT segment_id, level, from_endpoint, to_endpoint, samples, quantiles "
                + "FROM think_times ORDER BY segment_id, level, from_endpoint, to_endpoint")) {
            while (rs.next()) {
                int segment = rs.getInt(1);
                String levelName = rs.getString(2);
                int from = rs.getInt(3);
                if (rs.wasNull()) {
                    from = WorkloadModel.ANY;
                }
                int to = rs.getInt(4);
                if (rs.wasNull()) {
                    to = WorkloadModel.ANY;
                }
                String row = "think_times row (segment_id=" + segment + ", level='" + levelName + "', from_endpoint="
                        + (from == WorkloadModel.ANY ? "NULL" : from) + ", to_endpoint="
                        + (to == WorkloadModel.ANY ? "NULL" : to) + ")";
                ThinkLevel level;
                try {
                    level = ThinkLevel.valueOf(levelName.toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException | NullPointerException e) {
                    problems.add(row + ": level must be 'transition', 'endpoint' or 'global'");
                    continue;
                }
                double[] quantiles = toDoubles(rs.getArray(6));
                if (quantiles == null || quantiles.length < 2) {
                    problems.add(row + ": quantiles must list at least 2 values (min and max), in milliseconds");
                    continue;
                }
                for (int i = 0; i < quantiles.length; i++) {
                    if (!(quantiles[i] >= 0) || i > 0 && quantiles[i] < quantiles[i - 1] - 1e-6) {
                        problems.add(row + ": quantiles must be non-negative and non-decreasing (position " + (i + 1)
                                + " is " + quantiles[i] + ")");
                        break;
                    }
                }
                out.add(new ThinkTimeDistribution(segment, level, from, to, rs.getLong(5), quantiles));
            }
        }
        return out;
    }

    private static double[] toDoubles(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Object[] items = (Object[]) array.getArray();
        double[] out = new double[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = items[i] == null ? Double.NaN : ((Number) items[i]).doubleValue();
        }
        return out;
    }

    private ArrivalCurve readArrivals(Statement st, Map<String, String> params) throws SQLException {
        long bucketMicros = Math.round(Double.parseDouble(params.getOrDefault("bucket_s", "1")) * 1e6);
        List<long[]> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(
                "SELECT epoch_us(bucket_start), sessions, requests FROM arrivals ORDER BY bucket_start")) {
            while (rs.next()) {
                long sessions = rs.getLong(2);
                if (sessions < 0) {
                    problems.add("arrivals row (bucket_start=" + rs.getLong(1) + " us): sessions is negative ("
                            + sessions + ")");
                    continue;
                }
                rows.add(new long[] {rs.getLong(1), sessions, rs.getLong(3)});
            }
        }
        if (rows.isEmpty()) {
            problems.add("arrivals: the table is empty, so no session would ever start");
            return new ArrivalCurve(bucketMicros, 0, 0, new long[0], new long[0], new long[0]);
        }
        long[] starts = new long[rows.size()];
        long[] sessions = new long[rows.size()];
        long[] requests = new long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            starts[i] = rows.get(i)[0];
            sessions[i] = rows.get(i)[1];
            requests[i] = rows.get(i)[2];
        }
        return new ArrivalCurve(bucketMicros, starts[0], starts[starts.length - 1] + bucketMicros,
                starts, sessions, requests);
    }

    private void checkWeight(String row, double weight, boolean isNull) {
        if (isNull) {
            problems.add(row + ": weight is NULL (use 0 to switch it off)");
        } else if (!Double.isFinite(weight)) {
            problems.add(row + ": weight is not a finite number (" + weight + ")");
        } else if (weight < 0) {
            problems.add(row + ": weight is negative (" + weight + "); weights must be >= 0");
        }
    }
}
