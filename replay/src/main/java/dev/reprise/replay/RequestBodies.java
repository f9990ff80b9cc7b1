package dev.reprise.replay;

import dev.reprise.model.WorkloadModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Request bodies per endpoint, from a directory ({@code --bodies DIR}): the file for
 * {@code POST /api/cart/{id}/items} is {@code POST_api_cart_{id}_items.json} — the method, then the
 * template with every {@code /} as {@code _} (the leading one dropped; {@code POST /} is {@code POST_}),
 * then an extension that gives the Content-Type. Loaded once before the run; immutable afterwards,
 * so the event loops share it.
 *
 * <pre>{@code
 * RequestBodies bodies = RequestBodies.load(Path.of("bodies"), model.endpoints());
 * ReplayOptions options = ReplayOptions.defaults(target).withBodies(bodies);
 * }</pre>
 */
public final class RequestBodies {
    /** No bodies: every request is sent without one. */
    public static final RequestBodies NONE = new RequestBodies(new byte[0][], new String[0], new String[0]);

    /** Content-Type by file extension; anything else is application/octet-stream. */
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("json", "application/json"),
            Map.entry("xml", "application/xml"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("csv", "text/csv"),
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("form", "application/x-www-form-urlencoded"),
            Map.entry("graphql", "application/graphql"),
            Map.entry("bin", "application/octet-stream"));
    /** Largest body file accepted: bodies are held in memory for the whole run. */
    public static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

    private final byte[][] bodies;
    private final String[] contentTypes;
    private final String[] files;

    private RequestBodies(byte[][] bodies, String[] contentTypes, String[] files) {
        this.bodies = bodies;
        this.contentTypes = contentTypes;
        this.files = files;
    }

    /** The file name (without extension) that holds the body of {@code method template}. */
    public static String fileStem(String method, String template) {
        String path = template.startsWith("/") ? template.substring(1) : template;
        return method.toUpperCase(Locale.ROOT) + "_" + path.replace('/', '_');
    }

    /**
     * Reads the body files of {@code dir} for {@code endpoints} (in the model's order). A file that
     * matches no endpoint, two files for one endpoint, two endpoints with the same file name, or an
     * unreadable or oversized file is an error naming the file.
     */
    public static RequestBodies load(Path dir, List<WorkloadModel.Endpoint> endpoints) {
        if (!Files.isDirectory(dir)) {
            throw new ReplayException("--bodies " + dir + " is not a directory");
        }
        Map<String, Integer> byStem = new HashMap<>();
        for (int i = 0; i < endpoints.size(); i++) {
            WorkloadModel.Endpoint e = endpoints.get(i);
            Integer before = byStem.put(fileStem(e.method(), e.template()), i);
            if (before != null) {
                WorkloadModel.Endpoint other = endpoints.get(before);
                throw new ReplayException("--bodies: endpoints " + other.method() + " " + other.template() + " and "
                        + e.method() + " " + e.template() + " share the body file name " + fileStem(e.method(),
                        e.template()) + ".*; rename one template in the model (reprise sql) to tell them apart");
            }
        }
        byte[][] bodies = new byte[endpoints.size()][];
        String[] types = new String[endpoints.size()];
        String[] files = new String[endpoints.size()];
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new ReplayException("cannot read --bodies " + dir + ": " + e.getMessage());
        }
        for (Path file : entries) {
            String name = file.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            String extension = dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
            Integer index = byStem.get(stem);
            if (index == null) {
                throw new ReplayException(file + " matches no endpoint of the model; body files are named "
                        + "METHOD_path_with_underscores.ext, here one of: " + expectedNames(endpoints));
            }
            if (bodies[index] != null) {
                throw new ReplayException(file + " and " + files[index] + " are both bodies of "
                        + endpoints.get(index).method() + " " + endpoints.get(index).template() + "; keep one");
            }
            try {
                long size = Files.size(file);
                if (size > MAX_BODY_BYTES) {
                    throw new ReplayException(file + " is " + size + " bytes; bodies are held in memory, at most "
                            + MAX_BODY_BYTES);
                }
                bodies[index] = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new ReplayException("cannot read " + file + ": " + e.getMessage());
            }
            types[index] = CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
            files[index] = file.toString();
        }
        return new RequestBodies(bodies, types, files);
    }

    private static String expectedNames(List<WorkloadModel.Endpoint> endpoints) {
        List<String> names = new ArrayList<>();
        for (WorkloadModel.Endpoint e : endpoints) {
            if (!e.method().equalsIgnoreCase("GET") && !e.method().equalsIgnoreCase("HEAD")) {
                names.add(fileStem(e.method(), e.template()) + ".*");
            }
        }
        if (names.isEmpty()) {
            return "(none: the model has only GET and HEAD endpoints)";
        }
        return String.join(", ", names.size() > 12 ? names.subList(0, 12) : names)
                + (names.size() > 12 ? ", ... (" + names.size() + " in all)" : "");
    }

    /** The body of endpoint {@code index} (model order), or null to send none. */
    public byte[] body(int index) {
        return index < bodies.length ? bodies[index] : null;
    }

    /** The Content-Type of endpoint {@code index}'s body, or null when it has none. */
    public String contentType(int index) {
        return index < contentTypes.length ? contentTypes[index] : null;
    }

    /** Endpoint index (model order) to body file, for the run's options. */
    public Map<Integer, String> files() {
        Map<Integer, String> out = new TreeMap<>();
        for (int i = 0; i < files.length; i++) {
            if (files[i] != null) {
                out.put(i, files[i]);
            }
        }
        return out;
    }

    public boolean isEmpty() {
        for (byte[] b : bodies) {
            if (b != null) {
                return false;
            }
        }
        return true;
    }
}
