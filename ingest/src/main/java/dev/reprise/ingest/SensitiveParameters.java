package dev.reprise.ingest;

import dev.reprise.ingest.anon.Anonymizer;
import dev.reprise.model.Store;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which query parameters ingest masks when anonymizing: those whose lower-cased name contains one
 * of a list of parts, {@link Anonymizer#SENSITIVE_PARAMETER_PARTS} unless the store was configured
 * otherwise ({@code --sensitive-params}), in which case every later ingest into that store uses its
 * list.
 *
 * <pre>{@code
 * SensitiveParameters.configure(store, "order_ref,-key"); // the built-in list, plus order_ref, without key
 * }</pre>
 */
public final class SensitiveParameters {
    private SensitiveParameters() {
    }

    /**
     * Sets the store's list from {@code spec}: comma-separated names that add to the built-in list,
     * {@code -name} to take one of its parts out, or {@code none} for no parameter at all.
     *
     * @return the list now in force
     * @throws IngestException for an empty spec, an empty name, or {@code -name} of a part the
     *                         built-in list does not have
     */
    public static List<String> configure(Store store, String spec) {
        List<String> parts = parse(spec);
        store.saveSensitiveParameters(parts);
        return parts;
    }

    /** The list in force for {@code store}. */
    public static List<String> of(Store store) {
        return store.sensitiveParameters().orElse(Anonymizer.SENSITIVE_PARAMETER_PARTS);
    }

    static List<String> parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IngestException("--sensitive-params is empty; give names to add (order_ref), -name to take "
                    + "one out (-key), or none");
        }
        if (spec.strip().equalsIgnoreCase("none")) {
            return List.of();
        }
        Set<String> parts = new LinkedHashSet<>(Anonymizer.SENSITIVE_PARAMETER_PARTS);
        for (String raw : spec.split(",")) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            boolean remove = entry.startsWith("-");
            String name = remove ? entry.substring(1).strip() : entry;
            if (name.isEmpty()) {
                throw new IngestException("--sensitive-params '" + spec + "' has an empty name; separate names with "
                        + "single commas");
            }
            if (remove && !parts.remove(name)) {
                throw new IngestException("--sensitive-params: -" + name + " is not in the built-in list ("
                        + String.join(", ", Anonymizer.SENSITIVE_PARAMETER_PARTS) + ")");
            }
            if (!remove) {
                parts.add(name);
            }
        }
        return new ArrayList<>(parts);
    }

    /** The anonymizer of an ingest into {@code store}, or null when anonymization is off. */
    static Anonymizer anonymizer(Store store, boolean anonymize, String salt) {
        if (!anonymize) {
            return null;
        }
        Anonymizer keyed = salt != null ? Anonymizer.fromSalt(salt) : Anonymizer.withKey(store.anonymizationKey());
        return keyed.withSensitiveParameters(of(store));
    }
}
