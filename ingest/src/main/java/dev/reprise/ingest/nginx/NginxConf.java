package dev.reprise.ingest.nginx;

import dev.reprise.ingest.IngestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the {@code log_format} directives of an nginx.conf, as nginx tokenizes it: {@code #}
 * starts a comment outside quotes, a directive ends at {@code ;} outside quotes and may span lines,
 * quoted strings may hold {@code ;}, {@code #} and {@code {}}. {@code include} is not followed:
 * point at the file that holds the directive.
 *
 * <pre>{@code
 * LogFormat format = LogFormat.parse(NginxConf.directive(Path.of("/etc/nginx/nginx.conf"), "main"));
 * }</pre>
 */
public final class NginxConf {
    private NginxConf() {
    }

    /**
     * The whole {@code log_format NAME ... ;} directive named {@code name}, for
     * {@link LogFormat#parse}. nginx's predefined {@code combined} is returned as its name when the
     * file does not redefine it.
     *
     * @throws IngestException when the file cannot be read or has no such directive (the message
     *                         lists the names it has)
     */
    public static String directive(Path conf, String name) {
        String text;
        try {
            text = Files.readString(conf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IngestException(conf + ": cannot read the nginx configuration: " + e.getMessage(), e);
        }
        Map<String, String> formats = logFormats(text);
        String found = formats.get(name);
        if (found != null) {
            return found;
        }
        if (name.equals("combined")) {
            return name;
        }
        throw new IngestException(conf + ": no log_format named '" + name + "'"
                + (formats.isEmpty() ? "; the file has no log_format directive (is it in an included file? "
                + "name that file)" : "; it defines " + String.join(", ", formats.keySet())));
    }

    /** Every {@code log_format} directive of {@code conf}'s text by name, in order, as written. */
    static Map<String, String> logFormats(String conf) {
        Map<String, String> formats = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        int directiveStart = -1;
        int i = 0;
        int n = conf.length();
        while (i < n) {
            char c = conf.charAt(i);
            if (c == '#') {
                while (i < n && conf.charAt(i) != '\n') {
                    i++;
                }
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == ';' || c == '{' || c == '}') {
                if (c == ';' && words.size() >= 2 && words.get(0).equals("log_format")) {
                    formats.putIfAbsent(words.get(1), conf.substring(directiveStart, i + 1));
                }
                words.clear();
                directiveStart = -1;
                i++;
            } else {
                if (directiveStart < 0) {
                    directiveStart = i;
                }
                int end = i;
                if (c == '\'' || c == '"') {
                    end++;
                    while (end < n && conf.charAt(end) != c) {
                        end += conf.charAt(end) == '\\' ? 2 : 1;
                    }
                    end = Math.min(n, end + 1);
                } else {
                    while (end < n && !Character.isWhitespace(conf.charAt(end)) && ";{}".indexOf(conf.charAt(end)) < 0) {
                        end++;
                    }
                }
                words.add(conf.substring(i, end));
                i = end;
            }
        }
        return formats;
    }
}
