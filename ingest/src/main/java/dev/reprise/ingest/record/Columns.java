package dev.reprise.ingest.record;

import dev.reprise.ingest.IngestException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names of a record's columns (an export's header, a JSON object's keys), to resolve a
 * mapping's column references: a name (exact, else ignoring case) or a 1-based number. Immutable.
 */
public final class Columns {
    private final List<String> names;
    private final Map<String, Integer> byName = new HashMap<>();
    private final Map<String, Integer> byLowerName = new HashMap<>();

    private Columns(List<String> names) {
        this.names = List.copyOf(names);
        for (int i = 0; i < this.names.size(); i++) {
            byName.putIfAbsent(this.names.get(i), i);
            byLowerName.putIfAbsent(this.names.get(i).toLowerCase(Locale.ROOT), i);
        }
    }

    /** Columns named by a header row; blank names become {@code col<N>}. */
    public static Columns named(String[] header) {
        List<String> names = new ArrayList<>(header.length);
        for (int i = 0; i < header.length; i++) {
            String name = header[i] == null ? "" : header[i].strip();
            names.add(name.isEmpty() ? "col" + (i + 1) : name);
        }
        return new Columns(names);
    }

    /** Columns without a header: {@code col1}, {@code col2}, ... (only numbers reach them in a mapping). */
    public static Columns numbered(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add("col" + (i + 1));
        }
        return new Columns(names);
    }

    /** Column names in order. */
    public List<String> names() {
        return names;
    }

    /** The name of column {@code index} (0-based), {@code col<N>} past the header. */
    public String name(int index) {
        return index < names.size() ? names.get(index) : "col" + (index + 1);
    }

    /** The 0-based index of {@code reference}, or -1 when no column has that name. */
    public int indexOf(String reference) {
        if (FieldMapping.isNumber(reference)) {
            return Integer.parseInt(reference) - 1;
        }
        Integer exact = byName.get(reference);
        if (exact != null) {
            return exact;
        }
        Integer folded = byLowerName.get(reference.toLowerCase(Locale.ROOT));
        return folded == null ? -1 : folded;
    }

    /**
     * Checks that every named reference of {@code mapping} is a column.
     *
     * @param where how messages name the header ({@code export.csv:1})
     */
    public void check(FieldMapping mapping, String where) {
        for (String reference : mapping.columnReferences()) {
            if (FieldMapping.isNumber(reference) ? Integer.parseInt(reference) < 1 : indexOf(reference) < 0) {
                throw new IngestException(where + ": the mapping names column '" + reference + "', which is not in "
                        + "the header (columns: " + String.join(", ", names) + "); check --map, or number the "
                        + "columns from 1");
            }
        }
    }

    /** The value of {@code reference} in {@code values}; null when absent, empty or {@code -}. */
    String value(String reference, String[] values) {
        int index = indexOf(reference);
        if (index < 0 || index >= values.length) {
            return null;
        }
        String v = values[index];
        if (v == null) {
            return null;
        }
        String stripped = v.strip();
        return stripped.isEmpty() || stripped.equals("-") ? null : stripped;
    }
}
