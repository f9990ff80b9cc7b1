package dev.reprise.ingest.nginx;

import dev.reprise.ingest.IngestException;
import dev.reprise.ingest.anon.Anonymizer;
import dev.reprise.model.RequestRow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@link LogFormat} compiled into a line parser: it matches the format's literal texts in order
 * on the line's bytes, which splits the line into its variables, then turns the variables into a
 * {@link RequestRow} (see docs/ingest.md for the variable → column table). No regex, and no
 * allocation beyond the row's own strings.
 *
 * <p>Matching: a variable ends where the next literal starts. A variable between quotes ends at the
 * first quote that is followed by the whole next literal, backslash-escaped characters skipped
 * (Apache writes {@code \"} inside a quoted user agent); the last variable ends where the line's
 * final literal starts. Tolerated without options: trailing whitespace and {@code \r}, and a line
 * wrapped in one extra pair of double quotes (a CSV-export artefact) when the format itself does
 * not start with a quote.
 *
 * <pre>{@code
 * LineParser parser = LineParser.compile(LogFormat.parse("combined"), Anonymizer.withKey(key));
 * RequestRow row = parser.parse(bytes, start, end, lineNo);
 * if (row == null) {
 *     load.reject(lineNo, parser.rejectReason().code(), parser.rejectedLine());
 * }
 * }</pre>
 *
 * <p>Not thread-safe: it reuses its buffers from line to line; use one parser per thread. After
 * {@link #parse} returned null, {@link #rejectReason()}, {@link #rejectedLine()} and
 * {@link #describeReject} describe that line until the next call.
 */
public final class LineParser {
    private static final Set<String> ADDRESS_VARIABLES = Set.of("remote_addr", "http_x_forwarded_for",
            "proxy_add_x_forwarded_for", "http_x_real_ip", "realip_remote_addr", "http_true_client_ip",
            "http_cf_connecting_ip", "http_x_client_ip", "http_client_ip", "http_x_cluster_client_ip");
    private static final Set<String> SECRET_VARIABLES = Set.of("http_cookie", "http_authorization",
            "http_proxy_authorization", "http_x_api_key", "remote_user", "http_x_session_id");
    private static final int MAX_EXCERPT_BYTES = 2048;

    /** What a variable becomes. */
    private enum Role {
        CLIENT, TIME_LOCAL, TIME_ISO8601, MSEC, REQUEST, METHOD, REQUEST_URI, URI, ARGS, PROTOCOL, STATUS, BYTES,
        REQUEST_TIME, UPSTREAM_TIME, REFERER, USER_AGENT, HOST, SESSION,
        /** Into {@code extra} as logged. */
        EXTRA,
        /** Into {@code extra}, each list member pseudonymized when anonymizing. */
        EXTRA_ADDRESSES,
        /** Into {@code extra}, pseudonymized when anonymizing. */
        EXTRA_SECRET,
        /** A second occurrence of a variable: matched, not stored. */
        REPEATED
    }

    private final LogFormat format;
    private final byte[][] literals;
    private final byte[] finalLiteral;     // the last literal without trailing whitespace
    private final int varCount;
    private final String[] names;
    private final Role[] roles;
    private final boolean[] quoted;        // the variable sits between '"' literals
    private final boolean[] listValued;    // ", " and " : " inside the value do not end it
    private final boolean[] hidden;        // identity values scrubbed from reject excerpts when anonymizing
    private final String[] jsonKeys;       // "\"name\":" for extra variables
    private final boolean unwrapsQuotedLines;
    private final boolean formatEndsWithQuote;
    private final Anonymizer anonymizer;   // null: store values as logged

    private final int clientSlot;
    private final int timeSlot;
    private final Role timeRole;
    private final int requestSlot;
    private final int methodSlot;
    private final int requestUriSlot;
    private final int uriSlot;
    private final int argsSlot;
    private final int protocolSlot;
    private final int statusSlot;
    private final int bytesSlot;
    private final int requestTimeSlot;
    private final int upstreamTimeSlot;
    private final int refererSlot;
    private final int userAgentSlot;
    private final int hostSlot;
    private final int[] sessionSlots;      // by priority
    private final int[] extraSlots;        // in format order

    // per line
    private final int[] starts;
    private final int[] ends;
    private final FieldText text;
    private final RequestLine requestLine = new RequestLine();
    private final StringBuilder json = new StringBuilder(128);
    private byte[] line;
    private int rawStart;
    private int rawEnd;
    private int matched;                   // variables matched on the current line
    private RejectReason reason;
    private int failLiteral;               // FORMAT_MISMATCH: index of the literal not found, -1: a bad value
    private int failPos;                   // FORMAT_MISMATCH: where it was expected
    private boolean failAtEnd;             // FORMAT_MISMATCH: the final literal was expected at the line's end
    private boolean failMoreFields;        // FORMAT_MISMATCH: the last quoted value holds '" "', another field
    private int failSlot;                  // other reasons: the variable at fault

    private LineParser(LogFormat format, Anonymizer anonymizer, String sessionFrom) {
        this.format = format;
        this.anonymizer = anonymizer;
        this.text = new FieldText(format.escape());
        this.literals = format.literalBytes();
        this.varCount = format.variables().size();
        this.names = format.variables().toArray(new String[0]);
        this.starts = new int[varCount];
        this.ends = new int[varCount];
        String last = format.literals().get(varCount).stripTrailing();
        this.finalLiteral = last.getBytes(StandardCharsets.UTF_8);
        this.quoted = new boolean[varCount];
        this.listValued = new boolean[varCount];
        this.hidden = new boolean[varCount];
        this.jsonKeys = new String[varCount];
        for (int v = 0; v < varCount; v++) {
            String before = format.literals().get(v);
            String after = format.literals().get(v + 1);
            quoted[v] = before.endsWith("\"") && after.startsWith("\"");
            listValued[v] = names[v].startsWith("upstream_") || ADDRESS_VARIABLES.contains(names[v]);
            jsonKeys[v] = "\"" + names[v] + "\":";
        }
        this.unwrapsQuotedLines = !format.literals().get(0).startsWith("\"");
        this.formatEndsWithQuote = last.endsWith("\"");

        this.roles = new Role[varCount];
        List<String> seen = new ArrayList<>();
        for (int v = 0; v < varCount; v++) {
            roles[v] = seen.contains(names[v]) ? Role.REPEATED : Role.EXTRA;
            seen.add(names[v]);
        }
        this.clientSlot = claim(Role.CLIENT, "remote_addr");
        int msec = claim(Role.MSEC, "msec");
        int iso = msec >= 0 ? -1 : claim(Role.TIME_ISO8601, "time_iso8601");
        int local = msec >= 0 || iso >= 0 ? -1 : claim(Role.TIME_LOCAL, "time_local");
        this.timeSlot = msec >= 0 ? msec : iso >= 0 ? iso : local;
        this.timeRole = msec >= 0 ? Role.MSEC : iso >= 0 ? Role.TIME_ISO8601 : Role.TIME_LOCAL;
        this.requestSlot = claim(Role.REQUEST, "request");
        boolean split = requestSlot < 0;
        this.methodSlot = split ? claim(Role.METHOD, "request_method") : -1;
        this.requestUriSlot = split ? claim(Role.REQUEST_URI, "request_uri") : -1;
        this.uriSlot = split && requestUriSlot < 0 ? claim(Role.URI, "uri") : -1;
        this.argsSlot = uriSlot >= 0 ? claim(Role.ARGS, "args") : -1;
        this.protocolSlot = split ? claim(Role.PROTOCOL, "server_protocol") : -1;
        this.statusSlot = claim(Role.STATUS, "status");
        int body = claim(Role.BYTES, "body_bytes_sent");
        this.bytesSlot = body >= 0 ? body : claim(Role.BYTES, "bytes_sent");
        this.requestTimeSlot = claim(Role.REQUEST_TIME, "request_time");
        this.upstreamTimeSlot = claim(Role.UPSTREAM_TIME, "upstream_response_time");
        this.refererSlot = claim(Role.REFERER, "http_referer");
        this.userAgentSlot = claim(Role.USER_AGENT, "http_user_agent");
        int host = claim(Role.HOST, "host");
        this.hostSlot = host >= 0 ? host : claim(Role.HOST, "http_host");

        List<Integer> sessions = new ArrayList<>();
        if (sessionFrom != null) { // the user named the variable that identifies a session: only that one
            for (int v = 0; v < varCount; v++) {
                if (roles[v] == Role.EXTRA && names[v].equals(sessionFrom)) {
                    roles[v] = Role.SESSION;
                    sessions.add(v);
                }
            }
            if (sessions.isEmpty()) {
                throw new IngestException("--session-from $" + sessionFrom + ": the log format has no $"
                        + sessionFrom + " (it logs " + String.join(", ", format.variables().stream()
                        .map(n -> "$" + n).toList()) + "); add it to the log_format, or name one of these");
            }
        }
        for (int v = 0; sessionFrom == null && v < varCount; v++) { // session and cookie ids first, the HTTP auth user last
            if (roles[v] == Role.EXTRA && isSessionVariable(names[v])) {
                roles[v] = Role.SESSION;
                sessions.add(v);
            }
        }
        for (int v = 0; sessionFrom == null && v < varCount; v++) {
            if (roles[v] == Role.EXTRA && names[v].equals("remote_user")) {
                roles[v] = Role.SESSION;
                sessions.add(v);
            }
        }
        this.sessionSlots = sessions.stream().mapToInt(Integer::intValue).toArray();
        List<Integer> extras = new ArrayList<>();
        for (int v = 0; v < varCount; v++) {
            if (roles[v] == Role.EXTRA) {
                String n = names[v];
                if (ADDRESS_VARIABLES.contains(n)) {
                    roles[v] = Role.EXTRA_ADDRESSES;
                } else if (SECRET_VARIABLES.contains(n) || n.startsWith("cookie_")) {
                    roles[v] = Role.EXTRA_SECRET;
                }
                extras.add(v);
            }
            hidden[v] = roles[v] == Role.CLIENT || roles[v] == Role.SESSION || roles[v] == Role.EXTRA_ADDRESSES
                    || roles[v] == Role.EXTRA_SECRET;
        }
        this.extraSlots = extras.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Compiles {@code format}. With an {@code anonymizer}, client addresses, session ids, address
     * lists and secrets are stored as pseudonyms; with null they are stored as logged.
     *
     * @throws IngestException when the format lacks what a request row needs: a time variable
     *                         ({@code $time_local}, {@code $time_iso8601}, {@code $msec}) and the
     *                         request ({@code $request}, or {@code $request_method} with
     *                         {@code $request_uri} or {@code $uri})
     */
    public static LineParser compile(LogFormat format, Anonymizer anonymizer) {
        return compile(format, anonymizer, null);
    }

    /**
     * Compiles {@code format}, taking the session id ({@code session_hint}) from the variable
     * {@code sessionFrom} only (a name such as {@code cookie_sid} or {@code $http_x_reprise_session});
     * null picks session cookies, {@code $http_x_session_id}, {@code $http_x_reprise_session} and
     * {@code $remote_user} automatically.
     *
     * @throws IngestException when the format does not log {@code sessionFrom}
     */
    public static LineParser compile(LogFormat format, Anonymizer anonymizer, String sessionFrom) {
        String variable = sessionFrom == null ? null : sessionFrom.strip().replaceFirst("^\\$\\{?", "").replaceFirst("}$", "");
        LineParser parser = new LineParser(format, anonymizer, variable);
        if (parser.timeSlot < 0) {
            throw new IngestException("log_format '" + format.text() + "' has no time variable; Reprise needs the "
                    + "request time: add $time_local, $time_iso8601 or $msec to the format (and to nginx.conf)");
        }
        if (parser.requestSlot < 0 && (parser.methodSlot < 0 || parser.requestUriSlot < 0 && parser.uriSlot < 0)) {
            throw new IngestException("log_format '" + format.text() + "' does not log the request; Reprise needs "
                    + "$request, or $request_method with $request_uri (or $uri), in the format");
        }
        return parser;
    }

    /** The format this parser was compiled from. */
    public LogFormat format() {
        return format;
    }

    /**
     * Parses the line {@code b[start..end)} (without its line ending).
     *
     * @return the row, or null when the line is rejected ({@link #rejectReason()} says why)
     */
    public RequestRow parse(byte[] b, int start, int end, long lineNo) {
        line = b;
        rawStart = start;
        rawEnd = end;
        matched = 0;
        reason = null;
        failMoreFields = false;
        while (end > start && isBlank(b[end - 1])) {
            end--;
        }
        if (end == start) {
            reason = RejectReason.EMPTY_LINE;
            return null;
        }
        if (unwrapsQuotedLines && b[start] == '"' && end - start >= 2 && b[end - 1] == '"'
                && (!formatEndsWithQuote || end - start >= 3 && b[end - 2] == '"')) {
            start++;
            end--;
        }
        if (!match(b, start, end)) {
            reason = RejectReason.FORMAT_MISMATCH;
            return null;
        }
        return toRow(b, lineNo);
    }

    /** Why the last line parsed was rejected; null when it loaded. */
    public RejectReason rejectReason() {
        return reason;
    }

    /**
     * The last line parsed, decoded for {@code rejects.raw} (its first 2 KiB). When anonymizing,
     * client addresses, session ids and any IPv4/IPv6 address in it are replaced by pseudonyms.
     */
    public String rejectedLine() {
        int end = Math.min(rawEnd, rawStart + MAX_EXCERPT_BYTES);
        if (anonymizer == null) {
            return new String(line, rawStart, end - rawStart, StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder(end - rawStart);
        int pos = rawStart;
        for (int v = 0; v < matched; v++) {
            if (hidden[v] && starts[v] < end && ends[v] > starts[v] && !isDash(line, starts[v], ends[v])) {
                out.append(new String(line, pos, starts[v] - pos, StandardCharsets.UTF_8));
                out.append(anonymizer.pseudonym(text.decode(line, starts[v], Math.min(ends[v], end))));
                pos = Math.min(ends[v], end);
            }
        }
        if (matched == 0 && clientSlot == 0 && literals[0].length == 0) {
            // The line did not match, but the format starts with the client: hide a first word that
            // could be a host name or address (not, say, the 'HTTP/1.0"' of a line's second half).
            int space = pos;
            boolean hostLike = true;
            while (space < end && line[space] != ' ') {
                byte c = line[space];
                hostLike &= c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                        || c == ':' || c == '-' || c == '_';
                space++;
            }
            if (space > pos && hostLike && !isDash(line, pos, space)) {
                out.append(anonymizer.pseudonym(new String(line, pos, space - pos, StandardCharsets.UTF_8)));
                pos = space;
            }
        }
        out.append(new String(line, pos, end - pos, StandardCharsets.UTF_8));
        return anonymizer.scrubAddresses(out.toString());
    }

    /**
     * A line that was not given to {@link #parse} (too long, or cut by a truncated input), decoded
     * for {@code rejects.raw} as {@link #rejectedLine()} does: its first 2 KiB, identities hidden
     * when anonymizing. Resets the state of the last parse.
     */
    public String unparsedLine(byte[] b, int start, int end) {
        line = b;
        rawStart = start;
        rawEnd = end;
        matched = 0;
        reason = null;
        return rejectedLine();
    }

    /**
     * Explains the last rejection for a person, in the form {@code file:line: what, for format 'x',
     * found 'y'}, such as {@code access.log:1832: expected '"' after $time_local for format
     * 'combined', found 'x'}.
     */
    public String describeReject(String file, long lineNo) {
        String where = file + ":" + lineNo + ": ";
        String forFormat = " for format '" + format.displayName() + "'";
        if (reason == null) {
            return where + "the line loaded";
        }
        switch (reason) {
            case EMPTY_LINE:
                return where + "the line is empty";
            case FORMAT_MISMATCH: {
                if (failLiteral < 0) {
                    return where + "$" + names[failSlot] + " is '" + excerpt(starts[failSlot], ends[failSlot])
                            + "', not a client address" + forFormat;
                }
                byte[] literal = failLiteral == varCount ? finalLiteral : literals[failLiteral];
                String after = failLiteral == 0 ? " at the start of the line" : " after $" + names[failLiteral - 1];
                if (failMoreFields) {
                    return where + "expected the end of the line" + after + forFormat + ", found '"
                            + excerpt(failPos, rawEnd) + "' (the line has more fields than the format)";
                }
                if (failAtEnd) {
                    int tail = Math.max(rawStart, rawEnd - Math.max(literal.length, 12));
                    return where + "expected '" + printable(new String(literal, StandardCharsets.UTF_8))
                            + "' at the end of the line" + after + forFormat + ", found the line ending in '"
                            + excerpt(tail, rawEnd) + "'";
                }
                // Show where the line parts from the literal: after its longest partial occurrence.
                int at = failPos;
                int common = commonPrefix(line, failPos, rawEnd, literal);
                for (int i = failPos + 1; failLiteral > 0 && i < rawEnd && common < literal.length; i++) {
                    int k = commonPrefix(line, i, rawEnd, literal);
                    if (k > common) {
                        common = k;
                        at = i;
                    }
                }
                String expected = printable(new String(literal, common, literal.length - common, StandardCharsets.UTF_8));
                if (common == literal.length) { // only occurrences inside a list value: treat as none
                    common = 0;
                }
                // With no partial occurrence at all, the variable ran to the end of the line.
                int found = common == 0 && failLiteral > 0 ? rawEnd : at + common;
                return where + "expected '" + expected + "'" + after + forFormat
                        + (found >= rawEnd ? ", found the end of the line" : ", found '" + excerpt(found, rawEnd) + "'");
            }
            default: {
                String value = excerpt(starts[failSlot], ends[failSlot]);
                String expectation = expectation(reason);
                return where + "$" + names[failSlot] + " is '" + value + "', " + expectation
                        + (expectation.startsWith("expected") ? "" : ",") + forFormat;
            }
        }
    }

    private static String expectation(RejectReason reason) {
        return switch (reason) {
            case EMPTY_REQUEST -> "an empty request (the client sent no request line)";
            case TLS_HANDSHAKE -> "a TLS handshake (HTTPS sent to a plain-HTTP port), not an HTTP request";
            case BAD_REQUEST_LINE -> "expected METHOD TARGET [HTTP/x.y]";
            case BAD_TIMESTAMP -> "expected a time such as 14/Mar/2026:13:05:12 +0000, 2026-03-14T13:05:12+00:00 "
                    + "or 1773493512.123";
            case BAD_STATUS -> "expected a three-digit status or '-'";
            case BAD_BYTES -> "expected a byte count or '-'";
            case BAD_REQUEST_TIME -> "expected seconds such as 0.042 or '-'";
            case BAD_UPSTREAM_TIME -> "expected seconds such as 0.042, a list such as '0.010, 0.020', or '-'";
            default -> "not valid";
        };
    }

    // ---------------------------------------------------------------- matching

    private boolean match(byte[] b, int s, int e) {
        int pos = s;
        byte[] first = literals[0];
        int lastVar = varCount - 1;
        if (!startsWith(b, pos, e, first)) {
            return fail(0, pos, false);
        }
        pos += first.length;
        for (int v = 0; v < varCount; v++) {
            int varEnd;
            int literalLength;
            if (v == lastVar) {
                literalLength = finalLiteral.length;
                varEnd = e - literalLength;
                if (varEnd < pos || !startsWith(b, varEnd, e, finalLiteral)) {
                    return fail(v + 1, e - literalLength, true);
                }
                if (quoted[v]) {
                    // nginx writes '"' in a value as \x22 and Apache as \", so an unescaped '" "' in the
                    // last quoted value is the line going on with more fields than the format has.
                    int extra = unescapedQuoteSpaceQuote(b, pos, varEnd);
                    if (extra >= 0) {
                        failMoreFields = true;
                        return fail(v + 1, extra, true);
                    }
                }
            } else {
                byte[] next = literals[v + 1];
                literalLength = next.length;
                varEnd = quoted[v] ? closingQuote(b, pos, e, next) : indexOf(b, pos, e, next, listValued[v]);
                if (varEnd < 0) {
                    return fail(v + 1, pos, false);
                }
            }
            starts[v] = pos;
            ends[v] = varEnd;
            matched = v + 1;
            pos = varEnd + literalLength;
        }
        return true;
    }

    private static int unescapedQuoteSpaceQuote(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c == '\\') {
                i++;
            } else if (c == '"' && i + 2 <= e && b[i + 1] == ' ' && b[i + 2] == '"') {
                return i;
            }
        }
        return -1;
    }

    private boolean fail(int literal, int pos, boolean atEnd) {
        failLiteral = literal;
        failPos = pos;
        failAtEnd = atEnd;
        return false;
    }

    /** The first '"' from {@code pos} that starts {@code next}, escaped characters skipped. */
    private static int closingQuote(byte[] b, int pos, int e, byte[] next) {
        for (int i = pos; i < e; i++) {
            byte c = b[i];
            if (c == '\\') {
                i++;
            } else if (c == '"' && startsWith(b, i, e, next)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The first occurrence of {@code literal} from {@code pos}. In a list value ({@code a, b : c}),
     * a literal that starts with a space does not match at the list's own separators.
     */
    private static int indexOf(byte[] b, int pos, int e, byte[] literal, boolean listValue) {
        byte first = literal[0];
        int last = e - literal.length;
        for (int i = pos; i <= last; i++) {
            if (b[i] != first || !startsWith(b, i, e, literal)) {
                continue;
            }
            // ", " and " : " separate list members; a space that belongs to one does not end the value
            if (listValue && first == ' ' && i > pos && (b[i - 1] == ','
                    || i - 2 >= pos && b[i - 1] == ':' && b[i - 2] == ' '
                    || i + 2 < e && b[i + 1] == ':' && b[i + 2] == ' ')) {
                continue;
            }
            return i;
        }
        return -1;
    }

    private static int commonPrefix(byte[] b, int pos, int e, byte[] literal) {
        int k = 0;
        while (k < literal.length && pos + k < e && b[pos + k] == literal[k]) {
            k++;
        }
        return k;
    }

    private static boolean startsWith(byte[] b, int pos, int e, byte[] literal) {
        if (e - pos < literal.length) {
            return false;
        }
        for (int i = 0; i < literal.length; i++) {
            if (b[pos + i] != literal[i]) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- variables to columns

    private RequestRow toRow(byte[] b, long lineNo) {
        if (clientSlot >= 0 && !isAddressLike(b, starts[clientSlot], ends[clientSlot])) {
            failLiteral = -1;
            return reject(RejectReason.FORMAT_MISMATCH, clientSlot);
        }
        String method;
        String path;
        String query;
        String protocol;
        if (requestSlot >= 0) {
            int s = starts[requestSlot];
            int e = ends[requestSlot];
            if (e == s || isDash(b, s, e)) {
                return reject(RejectReason.EMPTY_REQUEST, requestSlot);
            }
            byte[] a = b;
            if (text.undoesEscapes() && FieldText.hasBackslash(b, s, e)) {
                e = text.unescape(b, s, e);
                s = 0;
                a = text.scratch();
            }
            if (a[s] == 0x16) {
                return reject(RejectReason.TLS_HANDSHAKE, requestSlot);
            }
            RejectReason bad = requestLine.split(a, s, e);
            if (bad != null) {
                return reject(bad, requestSlot);
            }
            method = requestLine.method;
            path = requestLine.path;
            query = requestLine.query;
            protocol = requestLine.protocol;
        } else {
            int ms = starts[methodSlot];
            int me = ends[methodSlot];
            if (me == ms || isDash(b, ms, me)) {
                return reject(RejectReason.EMPTY_REQUEST, methodSlot);
            }
            method = RequestLine.method(b, ms, me);
            if (method == null) {
                return reject(RejectReason.BAD_REQUEST_LINE, methodSlot);
            }
            int targetSlot = requestUriSlot >= 0 ? requestUriSlot : uriSlot;
            String target = textOrNull(b, targetSlot);
            if (target == null || target.isEmpty()) {
                return reject(RejectReason.EMPTY_REQUEST, targetSlot);
            }
            if (requestUriSlot >= 0) {
                requestLine.splitTarget(target);
                path = requestLine.path;
                query = requestLine.query;
            } else {
                path = target;
                query = argsSlot >= 0 ? textOrNull(b, argsSlot) : null;
            }
            protocol = protocolSlot >= 0 ? textOrNull(b, protocolSlot) : null;
        }

        long ts = time(b);
        if (ts == Timestamps.INVALID) {
            return reject(RejectReason.BAD_TIMESTAMP, timeSlot);
        }
        int status = -1;
        if (statusSlot >= 0 && !isDash(b, starts[statusSlot], ends[statusSlot])) {
            status = Numbers.parseStatus(b, starts[statusSlot], ends[statusSlot]);
            if (status < 0) {
                return reject(RejectReason.BAD_STATUS, statusSlot);
            }
        }
        long bytes = -1;
        if (bytesSlot >= 0 && !isDash(b, starts[bytesSlot], ends[bytesSlot])) {
            bytes = Numbers.parseCount(b, starts[bytesSlot], ends[bytesSlot]);
            if (bytes < 0) {
                return reject(RejectReason.BAD_BYTES, bytesSlot);
            }
        }
        double durationMs = Double.NaN;
        if (requestTimeSlot >= 0 && !isDash(b, starts[requestTimeSlot], ends[requestTimeSlot])) {
            long micros = Numbers.parseSecondsAsMicros(b, starts[requestTimeSlot], ends[requestTimeSlot]);
            if (micros < 0) {
                return reject(RejectReason.BAD_REQUEST_TIME, requestTimeSlot);
            }
            durationMs = micros / 1000.0;
        }
        double upstreamMs = Double.NaN;
        if (upstreamTimeSlot >= 0) {
            long micros = Numbers.parseUpstreamTimesAsMicros(b, starts[upstreamTimeSlot], ends[upstreamTimeSlot]);
            if (micros == Numbers.INVALID) {
                return reject(RejectReason.BAD_UPSTREAM_TIME, upstreamTimeSlot);
            }
            upstreamMs = micros < 0 ? Double.NaN : micros / 1000.0;
        }

        String client = clientSlot >= 0 ? textOrNull(b, clientSlot) : null;
        String session = null;
        for (int slot : sessionSlots) {
            session = textOrNull(b, slot);
            if (session != null && !session.isEmpty()) {
                break;
            }
        }
        String referer = textOrNull(b, refererSlot);
        String userAgent = textOrNull(b, userAgentSlot);
        String extra = extraJson(b);
        if (anonymizer != null) {
            client = anonymizer.pseudonym(client);
            session = anonymizer.pseudonym(session);
            path = anonymizer.scrubPath(path);
            query = anonymizer.scrubQuery(query);
            referer = scrubUrl(referer);
            userAgent = anonymizer.scrubEmails(userAgent);
            extra = anonymizer.scrubEmails(extra);
        }
        return new RequestRow(lineNo, ts, client, session, method, path, query, protocol, status, bytes,
                durationMs, upstreamMs, referer, userAgent, textOrNull(b, hostSlot), extra);
    }

    /** A referer is a URL: its path and query are masked as the request's are. */
    private String scrubUrl(String url) {
        if (url == null) {
            return null;
        }
        int q = url.indexOf('?');
        return q < 0 ? anonymizer.scrubPath(url)
                : anonymizer.scrubPath(url.substring(0, q)) + "?" + anonymizer.scrubQuery(url.substring(q + 1));
    }

    private long time(byte[] b) {
        int s = starts[timeSlot];
        int e = ends[timeSlot];
        return switch (timeRole) {
            case TIME_LOCAL -> Timestamps.parseTimeLocal(b, s, e);
            case TIME_ISO8601 -> Timestamps.parseIso8601(b, s, e);
            default -> Timestamps.parseMsec(b, s, e);
        };
    }

    private RequestRow reject(RejectReason why, int slot) {
        reason = why;
        failSlot = slot;
        return null;
    }

    /** The decoded text of a variable; null when the format lacks it or the line has {@code -}. */
    private String textOrNull(byte[] b, int slot) {
        if (slot < 0) {
            return null;
        }
        int s = starts[slot];
        int e = ends[slot];
        return isDash(b, s, e) ? null : text.decode(b, s, e);
    }

    /** The variables with no column of their own, as a JSON object; null when there are none. */
    private String extraJson(byte[] b) {
        boolean firstSession = true;
        json.setLength(0);
        for (int slot : sessionSlots) { // the session id that became session_hint is not repeated here
            String value = textOrNull(b, slot);
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (firstSession) {
                firstSession = false;
                continue;
            }
            appendJson(slot, anonymizer == null ? value : anonymizer.pseudonym(value));
        }
        for (int slot : extraSlots) {
            String value = textOrNull(b, slot);
            if (value == null) {
                continue;
            }
            if (anonymizer != null && roles[slot] == Role.EXTRA_ADDRESSES) {
                value = anonymizer.pseudonymizeList(value);
            } else if (anonymizer != null && roles[slot] == Role.EXTRA_SECRET) {
                value = anonymizer.pseudonym(value);
            }
            appendJson(slot, value);
        }
        if (json.length() == 0) {
            return null;
        }
        return json.append('}').toString();
    }

    private void appendJson(int slot, String value) {
        json.append(json.length() == 0 ? '{' : ',').append(jsonKeys[slot]).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A client address, host name or address list as nginx logs it: no quotes, and spaces only after
     * the commas of a list. Anything else means the line was split wrongly (another format).
     */
    private static boolean isAddressLike(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c == '"' || c == ' ' && (i == s || b[i - 1] != ',')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSessionVariable(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("cookie_") && (n.contains("sess") || n.equals("cookie_sid"))
                || n.equals("http_x_session_id") || n.equals("http_x_reprise_session");
    }

    private static boolean isDash(byte[] b, int s, int e) {
        return e - s == 1 && b[s] == '-';
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    /** Up to 24 characters of the line from {@code s}, control characters shown as \xHH. */
    private String excerpt(int s, int e) {
        int end = Math.min(e, s + 24);
        String text = printable(new String(line, s, Math.max(0, end - s), StandardCharsets.UTF_8));
        return end < e ? text + "..." : text;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private int claim(Role role, String name) {
        for (int v = 0; v < varCount; v++) {
            if (roles[v] == Role.EXTRA && names[v].equals(name)) {
                roles[v] = role;
                return v;
            }
        }
        return -1;
    }
}
