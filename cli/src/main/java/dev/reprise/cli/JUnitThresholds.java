package dev.reprise.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A run's thresholds as JUnit XML, the format CI systems (GitLab, Jenkins, GitHub test reporters) show
 * natively: one test suite per run, one test case per threshold, a {@code <failure>} for each broken
 * one. Written with the JDK's StAX writer, which escapes every attribute and text.
 */
final class JUnitThresholds {
    private JUnitThresholds() {
    }

    static void write(Path file, RunDirectory run) {
        List<JsonObject> thresholds = run.thresholds();
        long failures = thresholds.stream().filter(t -> !t.getBoolean("ok", false)).count();
        double elapsed = run.summary().getDouble("elapsed_s", 0.0);
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "reprise");
            x.writeAttribute("tests", String.valueOf(thresholds.size()));
            x.writeAttribute("failures", String.valueOf(failures));
            x.writeCharacters("\n  ");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "reprise run " + run.runId());
            x.writeAttribute("tests", String.valueOf(thresholds.size()));
            x.writeAttribute("failures", String.valueOf(failures));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", "0");
            x.writeAttribute("time", String.format(java.util.Locale.ROOT, "%.3f", elapsed));
            if (run.summary().getString("started_at") != null) {
                x.writeAttribute("timestamp", run.summary().getString("started_at"));
            }
            for (JsonObject t : thresholds) {
                String expression = t.getString("expression", "");
                String measured = "measured " + RunReportPage.thresholdValue(t)
                        + (t.getString("note") == null ? "" : "; " + t.getString("note"));
                x.writeCharacters("\n    ");
                x.writeStartElement("testcase");
                x.writeAttribute("classname", "reprise.thresholds");
                x.writeAttribute("name", expression);
                x.writeAttribute("time", "0");
                if (!t.getBoolean("ok", false)) {
                    x.writeCharacters("\n      ");
                    x.writeStartElement("failure");
                    x.writeAttribute("message", "threshold " + expression + " broken: " + measured);
                    x.writeAttribute("type", "threshold");
                    x.writeCharacters("threshold " + expression + " broken in run " + run.runId() + " against "
                            + run.summary().getString("target", "?") + ": " + measured);
                    x.writeEndElement();
                    x.writeCharacters("\n    ");
                } else {
                    x.writeStartElement("system-out");
                    x.writeCharacters(measured);
                    x.writeEndElement();
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (IOException | XMLStreamException e) {
            throw new UserException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
