package dev.reprise.ingest.record;

import dev.reprise.ingest.anon.Anonymizer;
import dev.reprise.ingest.nginx.RejectReason;
import dev.reprise.ingest.nginx.RequestLine;
import dev.reprise.model.RequestRow;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Turns one record of named values (a CSV row, a JSON object) into a {@link RequestRow} through a
 * {@link FieldMapping}, or says why it does not load ({@link #rejectReason()}, the same codes as
 * log lines). Columns the mapping does not use go to {@code extra} under their names, empty and
 * {@code -} values left out. With an {@link Anonymizer}, the client and session become pseudonyms,
 * sensitive query values, e-mails and card numbers in the URL are masked, and addresses and
 * e-mails in {@code extra} are replaced. Not thread-safe (one per reading thread).
 */
public final class RecordParser {
    private final FieldMapping mapping;
    private final TimeFormat timeFormat;
    private final Anonymizer anonymizer;
    private final RequestLine requestLine = new RequestLine();
    private RejectReason rejectReason;

    private final FieldMapping.Source ts;
    private final FieldMapping.Source client;
    private final FieldMapping.Source session;
    private final FieldMapping.Source request;
    private final FieldMapping.Source url;
    private final FieldMapping.Source target;
    private final FieldMapping.Source method;
    private final FieldMapping.Source path;
    private final FieldMapping.Source query;
    private final FieldMapping.Source protocol;
    private final FieldMapping.Source status;
    private final FieldMapping.Source bytes;
    private final FieldMapping.Source requestTime;
    private final FieldMapping.Source durationMs;
    private final FieldMapping.Source upstreamTime;
    private final FieldMapping.Source referer;
    private final FieldMapping.Source userAgent;
    private final FieldMapping.Source host;

    private Columns usedFor;       // the columns usedColumns was computed for
    private boolean[] usedColumns; // columns the mapping reads, kept out of extra

    /**
     * @param anonymizer null to store values as given
     */
    public RecordParser(FieldMapping mapping, TimeFormat timeFormat, Anonymizer anonymizer) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.timeFormat = Objects.requireNonNull(timeFormat, "timeFormat");
        this.anonymizer = anonymizer;
        ts = mapping.source("ts");
        client = mapping.source("client");
        session = mapping.source("session");
        request = mapping.source("request");
        url = mapping.source("url");
        target = mapping.source("target");
        method = mapping.source("method");
        path = mapping.source("path");
        query = mapping.source("query");
        protocol = mapping.source("protocol");
        status = mapping.source("status");
        bytes = mapping.source("bytes");
        requestTime = mapping.source("request_time");
        durationMs = mapping.source("duration_ms");
        upstreamTime = mapping.source("upstream_time");
        referer = mapping.source("referer");
        userAgent = mapping.source("user_agent");
        host = mapping.source("host");
    }

    /** The mapping this parser applies. */
    public FieldMapping mapping() {
        return mapping;
    }

    /** Why the last {@link #parse} returned null. */
    public RejectReason rejectReason() {
        return rejectReason;
    }

    /**
     * Parses one record.
     *
     * @param lineNo  the line the record starts on (1-based), stored with the row
     * @param columns the names of {@code values}' columns
     * @return the row, or null when the record does not load ({@link #rejectReason()} says why)
     */
    public RequestRow parse(long lineNo, Columns columns, String[] values) {
        rejectReason = null;
        if (isEmpty(values)) {
            return reject(RejectReason.EMPTY_LINE);
        }
        long tsMicros = timeFormat.parse(value(ts, columns, values));
        if (tsMicros == TimeFormat.INVALID) {
            return reject(RejectReason.BAD_TIMESTAMP);
        }
        String m = value(method, columns, values);
        String p;
        String q;
        String proto = value(protocol, columns, values);
        String h = value(host, columns, values);
        if (request != null) {
            String line = value(request, columns, values);
            if (line == null || line.equals("\"\"")) {
                return reject(RejectReason.EMPTY_REQUEST);
            }
            if (line.length() > 1 && line.charAt(0) == 0x16 && line.charAt(1) == 0x03
                    || line.startsWith("\\x16\\x03")) {
                return reject(RejectReason.TLS_HANDSHAKE);
            }
            RejectReason why = requestLine.split(line);
            if (why != null) {
                return reject(why);
            }
            m = requestLine.method();
            p = requestLine.path();
            q = requestLine.query();
            proto = requestLine.protocol() != null ? requestLine.protocol() : proto;
        } else if (url != null) {
            String u = value(url, columns, values);
            if (u == null) {
                return reject(RejectReason.EMPTY_REQUEST);
            }
            int schemeEnd = u.indexOf("://");
            int pathStart = 0;
            if (schemeEnd > 0 && isScheme(u, schemeEnd)) {
                int authorityStart = schemeEnd + 3;
                int authorityEnd = authorityStart;
                while (authorityEnd < u.length() && "/?#".indexOf(u.charAt(authorityEnd)) < 0) {
                    authorityEnd++;
                }
                String authority = u.substring(authorityStart, authorityEnd);
                authority = authority.substring(authority.lastIndexOf('@') + 1); // user:password@ never stored
                h = hostOf(authority);
                if (h.isEmpty()) {
                    return reject(RejectReason.BAD_REQUEST_LINE);
                }
                pathStart = authorityEnd;
            } else if (!u.startsWith("/")) {
                return reject(RejectReason.BAD_REQUEST_LINE);
            }
            int hash = u.indexOf('#', pathStart);
            String rest = hash < 0 ? u.substring(pathStart) : u.substring(pathStart, hash);
            if (!splitTarget(rest.isEmpty() ? "/" : rest)) {
                return reject(RejectReason.BAD_REQUEST_LINE);
            }
            p = requestLine.path();
            q = requestLine.query();
        } else if (target != null) {
            String t = value(target, columns, values);
            if (t == null) {
                return reject(RejectReason.EMPTY_REQUEST);
            }
            if (!splitTarget(t)) {
                return reject(RejectReason.BAD_REQUEST_LINE);
            }
            p = requestLine.path();
            q = requestLine.query();
        } else {
            p = value(path, columns, values);
            if (p == null) {
                return reject(RejectReason.EMPTY_REQUEST);
            }
            String given = value(query, columns, values);
            int question = p.indexOf('?');
            if (question >= 0 && given == null) {
                q = p.substring(question + 1);
                p = p.substring(0, question);
            } else {
                q = given;
            }
            if (hasControl(p)) {
                return reject(RejectReason.BAD_REQUEST_LINE);
            }
        }
        if (m == null) {
            m = "GET"; // exports without a method column record page views
        } else if (!isToken(m)) {
            return reject(RejectReason.BAD_REQUEST_LINE);
        } else {
            m = m.toUpperCase(Locale.ROOT);
        }
        int statusCode = -1;
        String s = value(status, columns, values);
        if (s != null) {
            long v = integral(s);
            if (v < 100 || v > 999) {
                return reject(RejectReason.BAD_STATUS);
            }
            statusCode = (int) v;
        }
        long byteCount = -1;
        String b = value(bytes, columns, values);
        if (b != null) {
            byteCount = integral(b);
            if (byteCount < 0) {
                return reject(RejectReason.BAD_BYTES);
            }
        }
        double duration = Double.NaN;
        String rt = value(requestTime, columns, values);
        if (rt != null) {
            double seconds = decimal(rt);
            if (!(seconds >= 0)) {
                return reject(RejectReason.BAD_REQUEST_TIME);
            }
            duration = seconds * 1000.0;
        }
        String dm = value(durationMs, columns, values);
        if (dm != null) {
            double millis = decimal(dm);
            if (!(millis >= 0)) {
                return reject(RejectReason.BAD_REQUEST_TIME);
            }
            duration = millis;
        }
        double upstream = Double.NaN;
        String ut = value(upstreamTime, columns, values);
        if (ut != null) {
            upstream = upstreamMillis(ut);
            if (upstream == -1) {
                return reject(RejectReason.BAD_UPSTREAM_TIME);
            }
        }
        String c = value(client, columns, values);
        String sess = value(session, columns, values);
        String ref = value(referer, columns, values);
        String ua = value(userAgent, columns, values);
        String extra = extraJson(columns, values);
        if (anonymizer != null) {
            c = c == null ? null : c.indexOf(',') >= 0 ? anonymizer.pseudonymizeList(c) : anonymizer.pseudonym(c);
            sess = anonymizer.pseudonym(sess);
            p = anonymizer.scrubPath(p);
            q = anonymizer.scrubQuery(q);
            ref = scrubUrl(ref);
            ua = anonymizer.scrubEmails(ua);
        }
        return new RequestRow(lineNo, tsMicros, c, sess, m, p, q, proto, statusCode, byteCount, duration, upstream,
                ref, ua, h, extra);
    }

    /**
     * A rejected record's text for {@code rejects.raw}; when anonymizing, its client and session
     * values (whatever their shape) become their pseudonyms, and so do addresses and e-mails anywhere.
     */
    public String excerpt(String raw, Columns columns, String[] values) {
        if (raw == null || anonymizer == null) {
            return raw;
        }
        String text = raw;
        for (FieldMapping.Source identity : new FieldMapping.Source[] {client, session}) {
            if (identity == null) {
                continue;
            }
            for (String reference : identity.references()) {
                String v = columns.value(reference, values);
                if (v != null && !v.isEmpty()) {
                    text = text.replace(v, anonymizer.pseudonym(v));
                }
            }
        }
        return anonymizer.scrubAddresses(text);
    }

    private RequestRow reject(RejectReason reason) {
        rejectReason = reason;
        return null;
    }

    private static String value(FieldMapping.Source source, Columns columns, String[] values) {
        return source == null ? null : source.value(columns, values);
    }

    private boolean splitTarget(String t) {
        if (hasControl(t) || t.indexOf(' ') >= 0 && !t.startsWith("/")) {
            return false;
        }
        RejectReason why = requestLine.split("GET " + t);
        return why == null;
    }

    private static boolean isEmpty(String[] values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isScheme(String u, int end) {
        for (int i = 0; i < end; i++) {
            char ch = u.charAt(i);
            if (!(Character.isLetterOrDigit(ch) || ch == '+' || ch == '-' || ch == '.')) {
                return false;
            }
        }
        return true;
    }

    /** The host of an authority ({@code host:port}, {@code [v6]:port}), lower-cased, without the port. */
    private static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close < 0 ? "" : authority.substring(0, close + 1).toLowerCase(Locale.ROOT);
        }
        int colon = authority.indexOf(':');
        return (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty() || s.length() > 32) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(ch) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A non-negative integer, also when an export wrote it as a float ({@code 200.0}, {@code 2825.0});
     * -1 for anything else.
     */
    static long integral(String s) {
        int dot = s.indexOf('.');
        String whole = dot < 0 ? s : s.substring(0, dot);
        if (whole.isEmpty() || whole.length() > 18) {
            return -1;
        }
        for (int i = 0; i < whole.length(); i++) {
            if (whole.charAt(i) < '0' || whole.charAt(i) > '9') {
                return -1;
            }
        }
        if (dot >= 0) {
            for (int i = dot + 1; i < s.length(); i++) {
                if (s.charAt(i) != '0') {
                    return -1;
                }
            }
        }
        return Long.parseLong(whole);
    }

    /** A non-negative plain decimal number; NaN for anything else (no exponents, signs or words). */
    static double decimal(String s) {
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '.') {
                dots++;
            } else if (ch < '0' || ch > '9') {
                return Double.NaN;
            }
        }
        if (dots > 1 || s.equals(".")) {
            return Double.NaN;
        }
        return Double.parseDouble(s);
    }

    /** nginx's {@code $upstream_response_time} list ({@code 0.010, 0.020 : 0.003}) summed in ms; NaN when all {@code -}; -1 when invalid. */
    static double upstreamMillis(String list) {
        double sum = 0;
        boolean any = false;
        for (String member : list.split(",|:")) {
            String m = member.strip();
            if (m.equals("-")) {
                continue;
            }
            double seconds = decimal(m);
            if (!(seconds >= 0)) {
                return -1;
            }
            sum += seconds;
            any = true;
        }
        return any ? sum * 1000.0 : Double.NaN;
    }

    private String scrubUrl(String u) {
        if (u == null) {
            return null;
        }
        int q = u.indexOf('?');
        return q < 0 ? anonymizer.scrubPath(u)
                : anonymizer.scrubPath(u.substring(0, q)) + "?" + anonymizer.scrubQuery(u.substring(q + 1));
    }

    private String extraJson(Columns columns, String[] values) {
        if (usedFor != columns) {
            usedFor = columns;
            Set<Integer> used = new HashSet<>();
            for (FieldMapping.Source source : mapping.sources().values()) {
                for (String reference : source.references()) {
                    used.add(columns.indexOf(reference));
                }
            }
            usedColumns = new boolean[Math.max(values.length, columns.names().size())];
            for (int i = 0; i < usedColumns.length; i++) {
                usedColumns[i] = used.contains(i);
            }
        }
        StringBuilder json = null;
        for (int i = 0; i < values.length; i++) {
            if (i < usedColumns.length && usedColumns[i]) {
                continue;
            }
            String v = values[i] == null ? null : values[i].strip();
            if (v == null || v.isEmpty() || v.equals("-")) {
                continue;
            }
            if (anonymizer != null) {
                v = anonymizer.scrubAddresses(v);
            }
            json = json == null ? new StringBuilder("{") : json.append(", ");
            appendJsonString(json, columns.name(i)).append(": ");
            appendJsonString(json, v);
        }
        return json == null ? null : json.append('}').toString();
    }

    private static StringBuilder appendJsonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"');
    }
}
