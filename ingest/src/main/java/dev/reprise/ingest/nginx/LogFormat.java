package dev.reprise.ingest.nginx;

import dev.reprise.ingest.IngestException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An nginx {@code log_format} split into its parts: literal text and variables, alternating, always
 * starting and ending with a (possibly empty) literal. Immutable and thread-safe.
 *
 * <p>Accepted input: a named format ({@code combined}, {@code common}, {@code main}), a log_format
 * string such as {@code $remote_addr [$time_local] "$request" $status}, or a whole nginx.conf
 * directive ({@code log_format main '$remote_addr - ...' '"$request" ...';}) whose quoted pieces are
 * joined as nginx joins them. Variables are {@code $name} or {@code ${name}}; a name is the longest
 * run of letters, digits and underscores, so {@code $remote_user_age} is one variable.
 */
public final class LogFormat {
    /** nginx's built-in format. */
    public static final String COMBINED = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
            + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\"";
    /** The NCSA common log format (combined without referer and user agent). */
    public static final String COMMON = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent";
    /** The {@code main} format of the stock nginx.conf: combined plus the X-Forwarded-For header. */
    public static final String MAIN = COMBINED + " \"$http_x_forwarded_for\"";

    /** {@code escape=default}: nginx writes {@code "}, {@code \} and non-printable bytes as {@code \xHH}. */
    public static final String ESCAPE_DEFAULT = "default";
    /** {@code escape=json}: JSON string escapes ({@code \"}, {@code \\}, {@code \n}, {@code \u0001}). */
    public static final String ESCAPE_JSON = "json";
    /** {@code escape=none}: values written as they are. */
    public static final String ESCAPE_NONE = "none";

    private static final Map<String, String> NAMED = Map.of("combined", COMBINED, "common", COMMON, "main", MAIN);

    private final String name;
    private final String text;
    private final String escape;
    private final List<String> literals;
    private final List<String> variables;

    private LogFormat(String name, String text, String escape, List<String> literals, List<String> variables) {
        this.name = name;
        this.text = text;
        this.escape = escape;
        this.literals = List.copyOf(literals);
        this.variables = List.copyOf(variables);
    }

    /**
     * Resolves a format name, log_format string or nginx.conf {@code log_format} directive.
     *
     * @throws IngestException for an unknown name or a string that is not a valid log_format
     */
    public static LogFormat parse(String formatOrName) {
        if (formatOrName == null || formatOrName.isBlank()) {
            throw new IngestException("the log format is empty; use combined, common, main, or a log_format string "
                    + "such as '" + COMBINED + "'");
        }
        String trimmed = formatOrName.strip();
        String named = NAMED.get(trimmed.toLowerCase(Locale.ROOT));
        if (named != null) {
            return compile(trimmed.toLowerCase(Locale.ROOT), named, ESCAPE_DEFAULT);
        }
        if (trimmed.startsWith("log_format") && trimmed.length() > 10 && Character.isWhitespace(trimmed.charAt(10))) {
            String[] escape = {ESCAPE_DEFAULT};
            return compile(null, joinDirective(trimmed, escape), escape[0]);
        }
        if (trimmed.indexOf('$') < 0) {
            throw new IngestException("unknown log format '" + trimmed + "': use combined, common, main, or the "
                    + "log_format string from your nginx.conf, such as '" + MAIN + "'");
        }
        // A given log_format string is kept as is: its leading and trailing spaces are part of the lines.
        return compile(null, formatOrName, ESCAPE_DEFAULT);
    }

    /**
     * How values are escaped: {@link #ESCAPE_DEFAULT}, {@link #ESCAPE_JSON} or {@link #ESCAPE_NONE},
     * from the directive's {@code escape=} parameter (default when there is none).
     */
    public String escape() {
        return escape;
    }

    /** The format's name ({@code combined}, ...) or null for a log_format string. */
    public String name() {
        return name;
    }

    /** The log_format string, with named formats resolved. */
    public String text() {
        return text;
    }

    /** How messages refer to this format: its name, or its log_format string. */
    public String displayName() {
        return name != null ? name : text;
    }

    /** The variable names in order of appearance, without {@code $}. */
    public List<String> variables() {
        return variables;
    }

    /** The literal texts: {@code variables().size() + 1} of them, the first and last possibly empty. */
    public List<String> literals() {
        return literals;
    }

    byte[][] literalBytes() {
        byte[][] bytes = new byte[literals.size()][];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = literals.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    @Override
    public String toString() {
        return displayName();
    }

    private static LogFormat compile(String name, String text, String escape) {
        List<String> literals = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            int nameStart;
            int nameEnd;
            int next;
            if (i + 1 < text.length() && text.charAt(i + 1) == '{') {
                nameStart = i + 2;
                nameEnd = text.indexOf('}', nameStart);
                if (nameEnd < 0) {
                    throw formatError(text, "'${' at column " + (i + 1) + " has no closing '}'");
                }
                next = nameEnd + 1;
            } else {
                nameStart = i + 1;
                nameEnd = nameStart;
                while (nameEnd < text.length() && isNameChar(text.charAt(nameEnd))) {
                    nameEnd++;
                }
                next = nameEnd;
            }
            String variable = text.substring(nameStart, nameEnd);
            if (variable.isEmpty() || !variable.chars().allMatch(ch -> isNameChar((char) ch))) {
                throw formatError(text, "'$' at column " + (i + 1) + " is not followed by a variable name "
                        + "(letters, digits, '_'); found '" + excerpt(text, i) + "'");
            }
            if (!variables.isEmpty() && literal.length() == 0) {
                throw formatError(text, "$" + variables.get(variables.size() - 1) + " and $" + variable
                        + " follow each other with no text between them, so a line cannot be split between them; "
                        + "put a separator (such as a space) between them");
            }
            literals.add(literal.toString());
            literal.setLength(0);
            variables.add(variable);
            i = next;
        }
        literals.add(literal.toString());
        if (variables.isEmpty()) {
            throw formatError(text, "it has no $variables");
        }
        return new LogFormat(name, text, escape, literals, variables);
    }

    /**
     * Joins the quoted pieces of {@code log_format name [escape=...] 'piece' 'piece' ...;} (comments
     * between them skipped), and puts the {@code escape=} value into {@code escape[0]}.
     */
    private static String joinDirective(String directive, String[] escape) {
        StringBuilder joined = new StringBuilder();
        int i = "log_format".length();
        int word = 0;
        while (i < directive.length()) {
            char c = directive.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < directive.length() && directive.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == ';') {
                break;
            } else if (c == '\'' || c == '"') {
                int end = i + 1;
                while (end < directive.length() && directive.charAt(end) != c) {
                    if (directive.charAt(end) == '\\' && end + 1 < directive.length()) {
                        end++;
                        char escaped = directive.charAt(end);
                        joined.append(escaped == 't' ? '\t' : escaped == 'n' ? '\n' : escaped == 'r' ? '\r' : escaped);
                    } else {
                        joined.append(directive.charAt(end));
                    }
                    end++;
                }
                if (end >= directive.length()) {
                    throw new IngestException("log_format directive: the string starting at column " + (i + 1)
                            + " has no closing " + c + "; paste the whole directive up to its ';'");
                }
                i = end + 1;
                word++;
            } else {
                int end = i;
                while (end < directive.length() && !Character.isWhitespace(directive.charAt(end))
                        && directive.charAt(end) != ';') {
                    end++;
                }
                String token = directive.substring(i, end);
                if (token.startsWith("escape=")) {
                    String value = token.substring("escape=".length());
                    if (!List.of(ESCAPE_DEFAULT, ESCAPE_JSON, ESCAPE_NONE).contains(value)) {
                        throw new IngestException("log_format directive: escape=" + value + " is not one of "
                                + "escape=default, escape=json, escape=none");
                    }
                    escape[0] = value;
                }
                // The first bare word is the format's name; escape=... and if=... are parameters.
                if (word > 0 && !token.startsWith("escape=") && !token.startsWith("if=")) {
                    joined.append(token);
                }
                i = end;
                word++;
            }
        }
        if (joined.length() == 0) {
            throw new IngestException("log_format directive has no format string; expected "
                    + "log_format NAME '$remote_addr ...';");
        }
        return joined.toString();
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    private static String excerpt(String text, int from) {
        return text.substring(from, Math.min(text.length(), from + 12));
    }

    private static IngestException formatError(String text, String problem) {
        return new IngestException("log_format '" + text + "' is not valid: " + problem);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogFormat other && text.equals(other.text) && Objects.equals(name, other.name)
                && escape.equals(other.escape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, text, escape);
    }
}
