package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code reprise report RUN} over a run directory written here the way a replay writes it (summary.json,
 * an .hlog from HdrHistogram's own writer), with hostile strings in every user-derived field.
 */
class ReportTest {
    static final String SCRIPT_TEMPLATE = "/promo/<script>document.title='pwned'</script>";
    static final String ERROR_CLASS = "other:<img src=x onerror=document.title='pwned'>\u2028";

    @TempDir
    Path dir;

    /** A run of 10 one-second intervals, endpoints 1 and 2, one threshold met and one broken. */
    private Path runDirectory(boolean endpointTags) throws Exception {
        Path run = dir.resolve("runs/r1");
        Files.createDirectories(run);
        long start = 1_773_446_400_000L;
        try (PrintStream stream = new PrintStream(run.resolve("latency.hlog").toFile(), "US-ASCII")) {
            HistogramLogWriter w = new HistogramLogWriter(stream);
            w.outputLogFormatVersion();
            w.outputStartTime(start);
            w.setBaseTime(start);
            w.outputLegend();
            for (int i = 0; i < 10; i++) {
                Histogram overall = new Histogram(3);
                Histogram ep1 = new Histogram(3);
                Histogram ep2 = new Histogram(3);
                for (int k = 1; k <= 100; k++) {
                    ep1.recordValue(1_000L * k);           // 1..100 ms
                    ep2.recordValue(10_000L * k + i);      // 10..1000 ms
                }
                overall.add(ep1);
                overall.add(ep2);
                w.outputIntervalHistogram(i, i + 1, overall, 1000.0);
                if (endpointTags) {
                    ep1.setTag("ep-1");
                    w.outputIntervalHistogram(i, i + 1, ep1, 1000.0);
                    ep2.setTag("ep-2");
                    w.outputIntervalHistogram(i, i + 1, ep2, 1000.0);
                }
                Histogram service = new Histogram(3);
                service.recordValue(500);
                service.setTag("service");
                w.outputIntervalHistogram(i, i + 1, service, 1000.0);
            }
        }
        JsonArray intervals = new JsonArray();
        for (int i = 0; i < 10; i++) {
            intervals.add(new JsonObject().put("from_s", (double) i).put("to_s", i + 1.0).put("sent", 200)
                    .put("completed", 200).put("errors", i == 5 ? 20 : 0).put("dropped", 0)
                    .put("target_per_s", i >= 4 && i < 6 ? 400.0 : 200.0)
                    .put("latency_ms", new JsonObject().put("p50", 30.0).put("p99", 900.0).put("max", 1000.0)));
        }
        JsonObject summary = new JsonObject()
                .put("schema_version", 1).put("run_id", "r1").put("mode", "model")
                .put("target", "http://127.0.0.1:1/<b>").put("started_at", "2026-03-14T00:00:00Z")
                .put("finished_at", "2026-03-14T00:00:10Z").put("elapsed_s", 10.0)
                .put("options", new JsonObject().put("speed", 60.0).put("seed", 1))
                .put("requests", new JsonObject().put("sent", 2000).put("completed", 2000).put("errors", 20).put("dropped", 0))
                .put("rate", new JsonObject().put("target_per_s", 220.0).put("achieved_per_s", 200.0))
                .put("latency_ms", percentiles(1, 50, 90, 99, 995, 1000))
                .put("errors_by_class", new JsonObject().put(ERROR_CLASS, 20))
                .put("statuses", new JsonObject().put("200", 1980).put("503", 20))
                .put("sent_mix_distance", 0.01)
                .put("endpoints", new JsonArray()
                        .add(endpoint(1, "GET", "/products/{id}", 0.7, 1400, 0))
                        .add(endpoint(2, "GET", SCRIPT_TEMPLATE, 0.3, 600, 20)))
                .put("thresholds", new JsonArray()
                        .add(new JsonObject().put("expression", "p(95)<2s").put("value", 950.0).put("unit", "ms").put("ok", true))
                        .add(new JsonObject().put("expression", "rate_errors<0.001").put("value", 0.01)
                                .put("unit", "fraction").put("ok", false).put("note", "<i>20 of 2000</i>")))
                .put("thresholds_ok", false)
                .put("intervals", intervals)
                .put("spikes", new JsonArray().add(new JsonObject().put("spike_id", 1).put("from_s", 4.0)
                        .put("to_s", 6.0).put("factor", 2.0)))
                .put("files", new JsonObject().put("hlog", "latency.hlog"));
        Files.writeString(run.resolve("summary.json"), summary.encodePrettily());
        return run;
    }

    private static JsonObject endpoint(int id, String method, String template, double share, long sent, long errors) {
        return new JsonObject().put("endpoint_id", id).put("method", method).put("template", template)
                .put("model_share", share).put("sent", sent).put("completed", sent).put("errors", errors)
                .put("latency_ms", percentiles(1, 20, 40, 50, 60, 100))
                .put("service_time_ms", percentiles(1, 2, 3, 4, 5, 6));
    }

    private static JsonObject percentiles(double p50, double p90, double p95, double p99, double p999, double max) {
        return new JsonObject().put("p50", p50).put("p90", p90).put("p95", p95).put("p99", p99).put("p999", p999)
                .put("max", max);
    }

    /** The JSON data block of a rendered report, parsed as a browser's JSON.parse would. */
    static JsonObject dataBlock(String html) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("report has its data block").isTrue();
        return new JsonObject(m.group(1));
    }

    @Test
    void writesOneSelfContainedPageWithEveryChartsDataAndExitCode99ForABrokenThreshold() throws Exception {
        Path run = runDirectory(true);
        Path html = dir.resolve("out/report.html");

        Cli.Result r = Cli.run("report", run.toString(), "--html", html.toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.THRESHOLDS_BROKEN);
        assertThat(r.out()).contains("report     " + html);
        String page = Files.readString(html);
        // offline: no reference to anything outside the file
        assertThat(page).doesNotContainPattern("(src|href)\\s*=\\s*[\"']?(https?:)?//");
        assertThat(page).contains("uPlot", "Latency over time", "Throughput: sent vs target", "Latency distribution",
                "Error rate over time", "Endpoints", "Run parameters", "Thresholds");
        JsonObject data = dataBlock(page);
        assertThat(data.getJsonObject("latency").getJsonArray("x")).hasSize(10);
        assertThat(data.getJsonObject("latency").getJsonArray("series").getJsonObject(2).getString("label")).isEqualTo("p99");
        JsonObject perEndpoint = data.getJsonObject("endpoint-latency");
        assertThat(perEndpoint.getString("unavailable")).isNull();
        assertThat(perEndpoint.getJsonArray("series")).hasSize(2);
        // endpoint 1 sent more, so it comes first; its p99 per interval is 99 ms (HdrHistogram's bucket)
        assertThat(perEndpoint.getJsonArray("series").getJsonObject(0).getString("label")).isEqualTo("GET /products/{id} p99");
        assertThat(perEndpoint.getJsonArray("series").getJsonObject(0).getJsonArray("values").getDouble(0))
                .isCloseTo(99.0, org.assertj.core.data.Offset.offset(0.2));
        assertThat(perEndpoint.getJsonArray("series").getJsonObject(1).getString("label")).isEqualTo("GET " + SCRIPT_TEMPLATE + " p99");
        JsonObject throughput = data.getJsonObject("throughput");
        assertThat(throughput.getJsonArray("series").getJsonObject(1).getJsonArray("values").getDouble(4)).isEqualTo(400.0);
        assertThat(throughput.getJsonArray("bands").getJsonObject(0).getDouble("from")).isEqualTo(4.0);
        assertThat(data.getJsonObject("error-rate").getJsonArray("series").getJsonObject(0).getJsonArray("values")
                .getDouble(5)).isEqualTo(0.1);
        JsonObject distribution = data.getJsonObject("distribution");
        assertThat(distribution.getBoolean("logX")).isTrue();
        JsonArray latencies = distribution.getJsonArray("series").getJsonObject(0).getJsonArray("values");
        assertThat(latencies.getDouble(latencies.size() - 1)).isCloseTo(1000.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(page).contains("<td>rate_errors&lt;0.001</td><td>0.0100</td><td class=\"fail\">FAIL</td>",
                "<td>p(95)&lt;2s</td><td>950 ms</td><td class=\"pass\">pass</td>");
    }

    @Test
    void everyUserDerivedStringIsEscapedInTheMarkupAndInTheScriptData() throws Exception {
        Path run = runDirectory(true);
        Path html = dir.resolve("report.html");

        Cli.run("report", run.toString(), "--html", html.toString());

        String page = Files.readString(html);
        assertThat(page).doesNotContain("<script>document", "<img src=x", "<b>", "<i>", "\u2028");
        assertThat(page).contains("/promo/&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;",
                "other:&lt;img src=x onerror=document.title=&#39;pwned&#39;&gt;", "&lt;i&gt;20 of 2000&lt;/i&gt;");
        // the data block holds the strings intact for the charts, escaped for the script element
        assertThat(page).contains("\\u003cscript\\u003edocument.title='pwned'\\u003c/script\\u003e");
        assertThat(dataBlock(page).getJsonObject("endpoint-latency").getJsonArray("series").getJsonObject(1)
                .getString("label")).isEqualTo("GET " + SCRIPT_TEMPLATE + " p99");
        // exactly three script elements: the data, uPlot, the charts; none came from the data
        assertThat(Pattern.compile("<script").matcher(page).results().count()).isEqualTo(3);
    }

    @Test
    void perEndpointLatencyOverTimeSaysUnavailableWithoutEndpointTagsInTheLog() throws Exception {
        Path run = runDirectory(false);

        Cli.Result r = Cli.run("report", run.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.THRESHOLDS_BROKEN);
        String page = Files.readString(run.resolve("report.html"));
        assertThat(dataBlock(page).getJsonObject("endpoint-latency").getString("unavailable"))
                .contains("no per-endpoint histograms (tags ep-\\u003cendpoint_id\\u003e)".replace("\\u003c", "<")
                        .replace("\\u003e", ">"));
        assertThat(dataBlock(page).getJsonObject("latency").getJsonArray("x")).hasSize(10);
    }

    @Test
    void junitXmlHasOneTestCasePerThresholdAndAFailureForTheBrokenOne() throws Exception {
        Path run = runDirectory(true);
        Path xml = dir.resolve("thresholds.xml");

        Cli.Result r = Cli.run("report", run.toString(), "--junit", xml.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.THRESHOLDS_BROKEN);
        assertThat(r.out()).contains("junit      " + xml + " (2 thresholds)");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(2);
        Element passed = (Element) cases.item(0);
        assertThat(passed.getAttribute("name")).isEqualTo("p(95)<2s");
        assertThat(passed.getElementsByTagName("failure").getLength()).isZero();
        Element broken = (Element) cases.item(1);
        assertThat(broken.getAttribute("name")).isEqualTo("rate_errors<0.001");
        Element failure = (Element) broken.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("threshold rate_errors<0.001 broken: measured 0.0100; <i>20 of 2000</i>");
        assertThat(Files.exists(run.resolve("report.html"))).as("--junit alone writes no HTML").isFalse();
    }

    @Test
    void csvHasOneRowPerEndpointWithTheSummaryFigures() throws Exception {
        Path run = runDirectory(true);
        Path csv = dir.resolve("endpoints.csv");

        Cli.Result r = Cli.run("report", "r1", "--csv", csv.toString());

        // "r1" is a run id: not a directory here, and runs/r1 is relative to the working directory
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("no run directory r1, no runs/r1 and no run r1 in ", "--out");

        r = Cli.run("report", run.toString(), "--csv", csv.toString());
        assertThat(r.out()).contains("csv        " + csv + " (2 endpoints)");
        List<CSVRecord> records;
        try (Reader in = Files.newBufferedReader(csv)) {
            records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
        assertThat(records).hasSize(2);
        assertThat(records.get(1).toMap()).containsEntry("endpoint_id", "2").containsEntry("template", SCRIPT_TEMPLATE)
                .containsEntry("sent", "600").containsEntry("sent_share", "0.3").containsEntry("errors", "20")
                .containsEntry("latency_p99_ms", "50.0").containsEntry("run_id", "r1");
        assertThat(records.get(0).getParser().getHeaderNames()).isEqualTo(EndpointCsv.HEADER);
    }

    @Test
    void csvCellsASpreadsheetWouldRunAsFormulasGetALeadingApostrophe() throws Exception {
        Path run = runDirectory(true);
        Path summaryFile = run.resolve("summary.json");
        JsonObject summary = new JsonObject(Files.readString(summaryFile));
        JsonArray endpoints = summary.getJsonArray("endpoints");
        List<String> hostile = List.of("=HYPERLINK(\"http://evil\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                "\t=1+1", "\r=1+1");
        for (int i = 0; i < hostile.size(); i++) {
            endpoints.add(endpoint(10 + i, i == 0 ? "=GET" : "GET", hostile.get(i), 0.0, 0, 0));
        }
        Files.writeString(summaryFile, summary.encodePrettily());
        Path csv = dir.resolve("endpoints.csv");

        Cli.Result r = Cli.run("report", run.toString(), "--csv", csv.toString());

        assertThat(r.out()).contains("(8 endpoints)");
        List<CSVRecord> records;
        try (Reader in = Files.newBufferedReader(csv)) {
            records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
        assertThat(records.get(0).get("template")).isEqualTo("/products/{id}");
        assertThat(records.get(1).get("template")).isEqualTo(SCRIPT_TEMPLATE);
        for (int i = 0; i < hostile.size(); i++) {
            assertThat(records.get(2 + i).get("template")).isEqualTo("'" + hostile.get(i));
            assertThat(records.get(2 + i).get("latency_p50_ms")).isEqualTo("1.0");
        }
        assertThat(records.get(2).get("method")).isEqualTo("'=GET");
        assertThat(records.get(3).get("method")).isEqualTo("GET");
    }

    @Test
    void theSchemaCheckFindsAnUndocumentedFieldAMissingOneAndAWrongType() throws Exception {
        JsonObject summary = new JsonObject(Files.readString(runDirectory(true).resolve("summary.json")));
        assertThat(SummarySchema.violations(summary)).isEmpty();

        summary.put("surprise", 1).remove("requests");
        summary.getJsonArray("endpoints").getJsonObject(0).put("sent", "many");

        assertThat(SummarySchema.violations(summary)).containsExactlyInAnyOrder("$.surprise: not documented in the schema",
                "$: required field requests missing", "$.endpoints[0].sent: expected integer, found String");
    }

    @Test
    void aDirectoryWithoutASummaryIsAClearError() {
        Cli.Result r = Cli.run("report", dir.toString(), "--html", dir.resolve("x.html").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains(dir + " has no summary.json", "runs/<run id>").doesNotContain("Exception");
    }

    @Test
    void opensInHeadlessChromiumWithoutNetworkAndDrawsEveryChart() throws Exception {
        HeadlessChromium.executableOrSkip();
        Path run = runDirectory(true);
        Path html = dir.resolve("report.html");
        Cli.run("report", run.toString(), "--html", html.toString());

        HeadlessChromium.Page page = HeadlessChromium.open(html, dir);

        assertThat(page.consoleMessages()).as("console messages").isEmpty();
        assertThat(page.dom()).contains("<title>Reprise run r1</title>");
        // every chart drew: uPlot's canvas exists and the page counted painted pixels on it
        Matcher charts = Pattern.compile("data-chart=\"([a-z-]+)\" data-painted-pixels=\"(\\d+)\"").matcher(page.dom());
        java.util.Map<String, Integer> painted = new java.util.TreeMap<>();
        while (charts.find()) {
            painted.put(charts.group(1), Integer.parseInt(charts.group(2)));
        }
        assertThat(painted.keySet()).containsExactlyInAnyOrder("latency", "endpoint-latency", "throughput",
                "error-rate", "distribution");
        assertThat(painted.values()).allSatisfy(n -> assertThat(n).isGreaterThan(5_000));
        assertThat(Pattern.compile("<canvas").matcher(page.dom()).results().count()).isEqualTo(5);
        // the hostile template is text in the table, never an element
        assertThat(page.dom()).contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;")
                .doesNotContain("<title>pwned</title>");
    }

    @Test
    void theBrowserCheckSeesConsoleErrorsAndHasNoNetworkEvenToLoopback() throws Exception {
        HeadlessChromium.executableOrSkip();
        // a script a page could fetch: served on 127.0.0.1, where the browser must not get through either
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicInteger fetched = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/lib.js", exchange -> {
            fetched.incrementAndGet();
            byte[] body = "document.title = 'fetched';".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Path broken = dir.resolve("broken.html");
            Files.writeString(broken, "<!DOCTYPE html><html><head><title>start</title><script src=\"http://127.0.0.1:"
                    + server.getAddress().getPort() + "/lib.js\" onerror=\"document.title = 'blocked'\"></script>"
                    + "</head><body><script>undefinedFunction();</script></body></html>");

            HeadlessChromium.Page page = HeadlessChromium.open(broken, dir);

            assertThat(page.consoleMessages()).anyMatch(m -> m.contains("undefinedFunction is not defined"));
            assertThat(page.dom()).contains("<title>blocked</title>");
            assertThat(fetched).hasValue(0);
        } finally {
            server.stop(0);
        }
    }
}
