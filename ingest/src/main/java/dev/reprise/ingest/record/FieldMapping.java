package dev.reprise.ingest.record;

import dev.reprise.ingest.IngestException;
import dev.reprise.ingest.nginx.LogFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which column of an export (or key of a JSON object) fills which column of {@code requests}:
 * {@code ts=time,client=ip,request=3,status=code}. Immutable and thread-safe.
 *
 * <p>A source is a column's name (from the header, or a JSON key), its 1-based number, or a
 * template that joins columns with text: {@code ts={date} {time}},
 * {@code path=/Archives/edgar/data/{cik:int}/{accession}{extention}}. In a template,
 * {@code {name:int}} drops the {@code .0} of a number written as a float ({@code 1608552.0}).
 *
 * <p>Targets (see {@link #TARGETS}): {@code ts} (required); the request as {@code request}
 * ({@code GET /a?b=1 HTTP/1.1}), {@code url} (a full URL, split into host, path and query),
 * {@code target} ({@code /a?b=1}) or {@code path} (with {@code query}) — one of them is required;
 * {@code method}, {@code protocol}, {@code status}, {@code bytes}, {@code request_time} (seconds),
 * {@code duration_ms}, {@code upstream_time} (seconds, nginx's list form accepted), {@code referer},
 * {@code user_agent}, {@code host}, {@code client}, {@code session}.
 */
public final class FieldMapping {
    /** The columns of {@code requests} a mapping can fill, in the order a description lists them. */
    public static final List<String> TARGETS = List.of("ts", "client", "session", "request", "url", "target",
            "method", "path", "query", "protocol", "status", "bytes", "request_time", "duration_ms", "upstream_time",
            "referer", "user_agent", "host");
    private static final Set<String> REQUEST_TARGETS = Set.of("request", "url", "target", "path");

    private final Map<String, Source> sources;

    private FieldMapping(Map<String, Source> sources) {
        this.sources = Collections.unmodifiableMap(sources);
    }

    /**
     * Parses {@code target=source,target=source,...}; commas inside {@code {...}} belong to the
     * template. Entries may also be separated by newlines, and {@code #} starts a comment line (the
     * form of a mapping file).
     *
     * @throws IngestException for an unknown target, a target given twice, a missing {@code ts} or
     *                         request, or a malformed template
     */
    public static FieldMapping parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IngestException("the column mapping is empty; give --map ts=COLUMN,request=COLUMN,... "
                    + "or --mapping FILE");
        }
        Map<String, Source> sources = new LinkedHashMap<>();
        for (String entry : splitEntries(spec)) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IngestException("column mapping entry '" + entry + "' is not TARGET=COLUMN (for example "
                        + "ts=time or status=4)");
            }
            String target = entry.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
            String source = entry.substring(eq + 1).strip();
            if (!TARGETS.contains(target)) {
                throw new IngestException("column mapping: unknown target '" + target + "'; targets are "
                        + String.join(", ", TARGETS));
            }
            if (source.isEmpty()) {
                throw new IngestException("column mapping: " + target + "= names no column");
            }
            if (sources.put(target, Source.parse(target, source)) != null) {
                throw new IngestException("column mapping: " + target + " is given twice");
            }
        }
        if (!sources.containsKey("ts")) {
            throw new IngestException("column mapping has no ts=COLUMN; every request needs its time");
        }
        if (sources.keySet().stream().noneMatch(REQUEST_TARGETS::contains)) {
            throw new IngestException("column mapping has none of request=, url=, target=, path=; every request "
                    + "needs what was requested");
        }
        if (sources.containsKey("query") && !sources.containsKey("path")) {
            throw new IngestException("column mapping: query= needs path= too (request=, url= and target= carry "
                    + "their own query)");
        }
        return new FieldMapping(sources);
    }

    /**
     * The mapping of an nginx format written as a JSON object ({@code escape=json}
     * {@code '{"time":"$time_iso8601","ip":"$remote_addr","req":"$request",...}'}): each key maps to
     * the column its variable fills, as for log lines ({@code $msec} before {@code $time_iso8601}
     * before {@code $time_local}; {@code $request}, else {@code $request_uri} or {@code $uri} with
     * {@code $args}; {@code $body_bytes_sent} before {@code $bytes_sent}; {@code $host} before
     * {@code $http_host}; session cookies and headers for {@code session}); other keys go to
     * {@code extra}.
     *
     * @throws IngestException when the format is not a JSON object of {@code "key":"$variable"}
     *                         pairs, or lacks a time or a request
     */
    public static FieldMapping fromJsonLogFormat(LogFormat format) {
        Map<String, String> keyOfVariable = new LinkedHashMap<>();
        List<String> variables = format.variables();
        for (int v = 0; v < variables.size(); v++) {
            java.util.regex.Matcher key = JSON_KEY_BEFORE_VALUE.matcher(format.literals().get(v));
            if (!key.find()) {
                throw new IngestException("log_format '" + format.text() + "' is not a JSON object of \"key\":\"$variable\" "
                        + "pairs: $" + variables.get(v) + " has no key before it; use --map KEY=... instead");
            }
            keyOfVariable.putIfAbsent(variables.get(v), key.group(1));
        }
        StringBuilder spec = new StringBuilder();
        for (String[] choice : VARIABLE_TARGETS) {
            String target = choice[0];
            for (int k = 1; k < choice.length; k++) {
                String key = keyOfVariable.get(choice[k]);
                if (key == null && choice[k].endsWith("*")) {
                    String prefix = choice[k].substring(0, choice[k].length() - 1);
                    key = keyOfVariable.entrySet().stream()
                            .filter(e -> e.getKey().startsWith(prefix) && e.getKey().contains("sess"))
                            .map(Map.Entry::getValue).findFirst().orElse(null);
                }
                if (key != null) {
                    if (target.equals("query") && spec.indexOf(",path=") < 0) {
                        break; // $args only goes with $uri
                    }
                    if (target.equals("target") && spec.indexOf(",request=") >= 0
                            || target.equals("path") && (spec.indexOf(",request=") >= 0 || spec.indexOf(",target=") >= 0)) {
                        break;
                    }
                    spec.append(',').append(target).append('=').append(key);
                    break;
                }
            }
        }
        try {
            return parse(spec.length() == 0 ? "" : spec.substring(1));
        } catch (IngestException e) {
            throw new IngestException("log_format '" + format.text() + "' as a JSON object: " + e.getMessage(), e);
        }
    }

    /** A JSON key right before a value: {@code "key":"} or {@code "key": }. */
    private static final java.util.regex.Pattern JSON_KEY_BEFORE_VALUE =
            java.util.regex.Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"?$");

    /** Target, then the variables that fill it, the first present one winning (as for log lines). */
    private static final String[][] VARIABLE_TARGETS = {
        {"ts", "msec", "time_iso8601", "time_local"},
        {"client", "remote_addr"},
        {"session", "http_x_reprise_session", "http_x_session_id", "cookie_sid", "cookie_*"},
        {"request", "request"},
        {"target", "request_uri"},
        {"path", "uri"},
        {"query", "args"},
        {"method", "request_method"},
        {"protocol", "server_protocol"},
        {"status", "status"},
        {"bytes", "body_bytes_sent", "bytes_sent"},
        {"request_time", "request_time"},
        {"upstream_time", "upstream_response_time"},
        {"referer", "http_referer"},
        {"user_agent", "http_user_agent"},
        {"host", "host", "http_host"},
    };

    /** Reads a mapping file: one {@code target=source} a line, {@code #} comments, blank lines ignored. */
    public static FieldMapping read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IngestException(file + ": cannot read the mapping file: " + e.getMessage(), e);
        } catch (IngestException e) {
            throw new IngestException(file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> splitEntries(String spec) {
        List<String> entries = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (String line : spec.split("\\R")) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth = Math.max(0, depth - 1);
                }
                if (c == ',' && depth == 0) {
                    addEntry(entries, current);
                } else {
                    current.append(c);
                }
            }
            addEntry(entries, current);
        }
        return entries;
    }

    private static void addEntry(List<String> entries, StringBuilder current) {
        if (!current.toString().isBlank()) {
            entries.add(current.toString().strip());
        }
        current.setLength(0);
    }

    /** The source of {@code target}, or null when the mapping does not fill it. */
    public Source source(String target) {
        return sources.get(target);
    }

    /** Every mapped target and its source, in the order given. */
    public Map<String, Source> sources() {
        return sources;
    }

    /** True when a column is named (not numbered), so an export needs a header row to be read. */
    public boolean namesColumns() {
        return sources.values().stream().anyMatch(Source::namesColumns);
    }

    /** The column references of all sources (names and numbers as written). */
    public Set<String> columnReferences() {
        return sources.values().stream().flatMap(s -> s.references().stream()).collect(Collectors.toSet());
    }

    /** {@code ts=time,request=3,...}: the form {@code sources.format} records. */
    @Override
    public String toString() {
        return sources.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /**
     * A mapping's source: one column, or a template of text and columns. Resolved against the
     * columns of a record by {@link Columns}.
     */
    public static final class Source {
        private final String text;
        private final List<String> literals;   // parts.size() + 1 literals around the references
        private final List<String> references; // column names or 1-based numbers
        private final List<Boolean> integral;  // {name:int}

        private Source(String text, List<String> literals, List<String> references, List<Boolean> integral) {
            this.text = text;
            this.literals = List.copyOf(literals);
            this.references = List.copyOf(references);
            this.integral = List.copyOf(integral);
        }

        static Source parse(String target, String text) {
            if (text.indexOf('{') < 0) {
                return new Source(text, List.of("", ""), List.of(text), List.of(false));
            }
            List<String> literals = new ArrayList<>();
            List<String> references = new ArrayList<>();
            List<Boolean> integral = new ArrayList<>();
            StringBuilder literal = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '{') {
                    int close = text.indexOf('}', i);
                    if (close < 0) {
                        throw new IngestException("column mapping: " + target + "=" + text + ": '{' at column "
                                + (i + 1) + " has no closing '}'");
                    }
                    String reference = text.substring(i + 1, close).strip();
                    boolean asInt = reference.endsWith(":int");
                    if (asInt) {
                        reference = reference.substring(0, reference.length() - 4).strip();
                    }
                    if (reference.isEmpty()) {
                        throw new IngestException("column mapping: " + target + "=" + text + ": '{}' names no column");
                    }
                    literals.add(literal.toString());
                    literal.setLength(0);
                    references.add(reference);
                    integral.add(asInt);
                    i = close + 1;
                } else {
                    literal.append(c);
                    i++;
                }
            }
            literals.add(literal.toString());
            return new Source(text, literals, references, integral);
        }

        /** The column names or numbers this source reads. */
        public List<String> references() {
            return references;
        }

        boolean namesColumns() {
            return references.stream().anyMatch(r -> !isNumber(r));
        }

        /**
         * The value of this source in {@code values}, or null when its column is absent or empty
         * (for a template: when every column it reads is absent or empty).
         */
        public String value(Columns columns, String[] values) {
            if (references.size() == 1 && literals.get(0).isEmpty() && literals.get(1).isEmpty() && !integral.get(0)) {
                return columns.value(references.get(0), values);
            }
            StringBuilder out = new StringBuilder(literals.get(0));
            boolean any = false;
            for (int k = 0; k < references.size(); k++) {
                String v = columns.value(references.get(k), values);
                if (v != null) {
                    any = true;
                    out.append(integral.get(k) ? dropZeroFraction(v) : v);
                }
                out.append(literals.get(k + 1));
            }
            return any ? out.toString() : null;
        }

        private static String dropZeroFraction(String v) {
            int dot = v.indexOf('.');
            if (dot <= 0) {
                return v;
            }
            for (int i = dot + 1; i < v.length(); i++) {
                if (v.charAt(i) != '0') {
                    return v;
                }
            }
            return v.substring(0, dot);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static boolean isNumber(String reference) {
        if (reference.isEmpty() || reference.length() > 6) {
            return false;
        }
        for (int i = 0; i < reference.length(); i++) {
            if (reference.charAt(i) < '0' || reference.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
