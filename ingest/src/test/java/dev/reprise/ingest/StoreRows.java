package dev.reprise.ingest;

import dev.reprise.model.Store;
import java.util.List;

/** Reads query results back from a real store, for assertions. */
final class StoreRows {
    private StoreRows() {
    }

    /** All rows of {@code sql}, each a list of plain Java values. */
    static List<List<Object>> query(Store store, String sql) {
        return store.queryRows(sql);
    }

    /** The single value of a one-row, one-column query. */
    static Object single(Store store, String sql) {
        List<List<Object>> rows = query(store, sql);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new AssertionError("expected one value from " + sql + ", got " + rows);
        }
        return rows.get(0).get(0);
    }

    static long count(Store store, String sql) {
        return ((Number) single(store, sql)).longValue();
    }
}
