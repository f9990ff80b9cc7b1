package dev.reprise.model;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads recorded requests for exact-mode replay (replay/recorded_requests.sql). */
final class RecordingLoader {
    private RecordingLoader() {
    }

    static RecordedTraffic load(Store store, long fromMicros, long toMicros) {
        if (toMicros <= fromMicros) {
            throw new StoreException("empty window: " + fromMicros + " .. " + toMicros + " (--to must be after --from)");
        }
        try (PreparedStatement ps = store.connection().prepareStatement(SqlScripts.read("replay/recorded_requests.sql"))) {
            ps.setLong(1, fromMicros);
            ps.setLong(2, toMicros);
            long[] offsets = new long[1024];
            int[] endpoints = new int[1024];
            long[] sessions = new long[1024];
            List<String> targets = new ArrayList<>();
            List<String> agents = new ArrayList<>();
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == offsets.length) {
                        offsets = Arrays.copyOf(offsets, n * 2);
                        endpoints = Arrays.copyOf(endpoints, n * 2);
                        sessions = Arrays.copyOf(sessions, n * 2);
                    }
                    offsets[n] = rs.getLong(1) - fromMicros;
                    endpoints[n] = rs.getInt(2);
                    targets.add(rs.getString(3));
                    // interned: a log has few distinct user agents and many requests
                    agents.add(rs.getString(4).intern());
                    sessions[n] = rs.getLong(5);
                    n++;
                }
            }
            return new RecordedTraffic(fromMicros, toMicros, Arrays.copyOf(offsets, n), Arrays.copyOf(endpoints, n),
                    targets.toArray(String[]::new), agents.toArray(String[]::new), Arrays.copyOf(sessions, n));
        } catch (SQLException e) {
            throw store.failure("read the recorded requests", e);
        }
    }
}
