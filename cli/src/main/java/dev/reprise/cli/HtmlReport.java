package dev.reprise.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One self-contained HTML page: sections of text, tables and charts, the chart data as JSON inside the
 * page and uPlot (from its WebJar on the classpath) inlined, so the file opens offline and from any
 * directory. Nothing is fetched at view time.
 *
 * <p>Every string given to this class is user-derived as far as it knows (paths, user agents, error
 * messages, templates): text is HTML-escaped, and the JSON data block is escaped so that it cannot end
 * its {@code <script>} element or break the script ({@code <}, {@code >}, {@code &}, U+2028, U+2029 as
 * {@code \\uXXXX}).
 *
 * <pre>{@code
 * HtmlReport page = new HtmlReport("run 20260314-093000-a1b2");
 * page.table("Thresholds", List.of("threshold", "measured", "result"), rows);
 * page.chart("Latency over time", "latency", "From the intended send time.");
 * page.data("latency", json);   // drawn by the page's script into the chart of the same id
 * Files.writeString(file, page.render());
 * }</pre>
 *
 * Not thread-safe; build one page on one thread.
 */
final class HtmlReport {
    /** Where the uPlot WebJar keeps its files; the version comes from the WebJar's pom.properties. */
    private static final String UPLOT_POM = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final String UPLOT_DIST = "/META-INF/resources/webjars/uplot/%s/dist/";
    private static final String CHARTS_SCRIPT = "/dev/reprise/cli/report/charts.js";
    private static final String STYLE_SHEET = "/dev/reprise/cli/report/report.css";

    private final String title;
    private final List<String> body = new ArrayList<>();
    private final JsonObject data = new JsonObject();

    HtmlReport(String title) {
        this.title = title;
    }

    /** A section with a title, an optional note (null for none) and a table; cells "pass"/"FAIL" are coloured. */
    HtmlReport table(String sectionTitle, String note, List<String> headers, List<List<String>> rows) {
        StringBuilder s = new StringBuilder();
        s.append("<section>\n<h2>").append(escape(sectionTitle)).append("</h2>\n");
        note(s, note);
        if (rows.isEmpty()) {
            s.append("<p class=\"empty\">none</p>\n");
        } else {
            s.append("<table>\n<thead><tr>");
            for (String h : headers) {
                s.append("<th>").append(escape(h)).append("</th>");
            }
            s.append("</tr></thead>\n<tbody>\n");
            for (List<String> row : rows) {
                s.append("<tr>");
                for (String cell : row) {
                    String css = "pass".equals(cell) ? " class=\"pass\"" : "FAIL".equals(cell) ? " class=\"fail\"" : "";
                    s.append("<td").append(css).append('>').append(escape(cell)).append("</td>");
                }
                s.append("</tr>\n");
            }
            s.append("</tbody>\n</table>\n");
        }
        body.add(s.append("</section>\n").toString());
        return this;
    }

    /** A section with a title and a table (the common case of {@link #table(String, String, List, List)}). */
    HtmlReport table(String sectionTitle, List<String> headers, List<List<String>> rows) {
        return table(sectionTitle, null, headers, rows);
    }

    /** A section with a title and plain text paragraphs. */
    HtmlReport text(String sectionTitle, List<String> paragraphs) {
        StringBuilder s = new StringBuilder("<section>\n<h2>").append(escape(sectionTitle)).append("</h2>\n");
        for (String p : paragraphs) {
            s.append("<p>").append(escape(p)).append("</p>\n");
        }
        body.add(s.append("</section>\n").toString());
        return this;
    }

    /**
     * A section holding a chart that the page's script draws from {@code data(id, ...)}; when the data
     * is missing the chart says so instead of drawing anything.
     */
    HtmlReport chart(String sectionTitle, String id, String note) {
        StringBuilder s = new StringBuilder("<section>\n<h2>").append(escape(sectionTitle)).append("</h2>\n");
        note(s, note);
        s.append("<div class=\"chart\" id=\"chart-").append(escape(id)).append("\" data-chart=\"").append(escape(id))
                .append("\"></div>\n");
        body.add(s.append("</section>\n").toString());
        return this;
    }

    /** The data of chart {@code id} (a JSON object; see charts.js for each chart's fields). */
    HtmlReport data(String id, JsonObject chartData) {
        data.put(id, chartData);
        return this;
    }

    /** The whole page. */
    String render() {
        String version = uplotVersion();
        String dist = String.format(UPLOT_DIST, version);
        StringBuilder s = new StringBuilder(256 * 1024);
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<style>\n").append(resource(dist + "uPlot.min.css")).append('\n')
                .append(resource(STYLE_SHEET)).append("</style>\n</head>\n<body>\n")
                .append("<header><h1>").append(escape(title)).append("</h1></header>\n<main>\n");
        body.forEach(s::append);
        s.append("</main>\n<footer>Reprise report, charts by uPlot ").append(escape(version))
                .append(" (inlined)</footer>\n")
                .append("<script type=\"application/json\" id=\"report-data\">").append(scriptSafeJson(data.encode()))
                .append("</script>\n")
                .append("<script>\n").append(scriptSafe(resource(dist + "uPlot.iife.min.js"))).append("\n</script>\n")
                .append("<script>\n").append(resource(CHARTS_SCRIPT)).append("\n</script>\n")
                .append("</body>\n</html>\n");
        return s.toString();
    }

    private static void note(StringBuilder s, String note) {
        if (note != null && !note.isEmpty()) {
            s.append("<p class=\"note\">").append(escape(note)).append("</p>\n");
        }
    }

    /** Text for HTML element content and quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                // harmless in markup, but kept out of the file so no line separator can reach a script
                case '\u2028' -> out.append("&#x2028;");
                case '\u2029' -> out.append("&#x2029;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * JSON that can sit inside a {@code <script>} element: these characters only occur inside JSON
     * strings, where {@code \\uXXXX} means the same character, so the data is unchanged for JSON.parse
     * while {@code </script>}, {@code <!--} and line separators can no longer appear in the page.
     */
    static String scriptSafeJson(String json) {
        StringBuilder out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A bundled script inlined: it must not contain a closing script tag (a packaging bug if it does). */
    private static String scriptSafe(String script) {
        if (script.toLowerCase(java.util.Locale.ROOT).contains("</script")) {
            throw new IllegalStateException("bundled script contains </script> and cannot be inlined");
        }
        return script;
    }

    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = HtmlReport.class.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot WebJar is missing from the build: " + UPLOT_POM);
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("report resource missing from the build: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
