package dev.reprise.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.reprise.model.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code reprise sql}: any statement against the store, so analysts can read and edit the model. */
@Command(name = "sql", description = "Run any SQL statement against the store: read or edit the model.",
        footer = {"", "Examples:",
                "  reprise sql \"SELECT method, template, share, weight FROM endpoints ORDER BY share DESC LIMIT 10\"",
                "  reprise sql --format csv \"SELECT * FROM transition_paths\" > transitions.csv",
                "  reprise sql \"UPDATE transitions SET weight = weight * 2 WHERE to_endpoint = 7\""})
final class SqlCommand implements Callable<Integer> {
    enum Format { table, csv, json }

    @ParentCommand
    RepriseCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "STATEMENT", description = "One SQL statement (DuckDB dialect).")
    String statement;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "Query output: table (default), csv (with a header row) or json (an array of objects).")
    Format format;

    @Option(names = "--max-rows", defaultValue = "1000", paramLabel = "N",
            description = "Rows shown in table format (csv and json print all). Default: ${DEFAULT-VALUE}.")
    int maxRows;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = root.openStore()) {
            RowPrinter printer = printer(format, out, maxRows);
            long changed = store.execute(statement, printer);
            if (changed >= 0) {
                out.println(changed + (changed == 1 ? " row changed" : " rows changed"));
            } else {
                printer.finish();
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** Renders a value as text: timestamps ISO-8601, lists and maps as JSON. */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            return toJson(value);
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
        }
        return value.toString();
    }

    private static String toJson(Object value) {
        java.io.StringWriter sw = new java.io.StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(sw)) {
            writeJson(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    static void writeJson(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger bi) {
            g.writeNumber(bi);
        } else if (value instanceof BigDecimal bd) {
            g.writeNumber(bd);
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeNull();
            }
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                writeJson(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeJson(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof TemporalAccessor) {
            g.writeString(value.toString());
        } else {
            g.writeString(value.toString());
        }
    }

    /** A printer of query rows in {@code format}, shared with {@code model show}. */
    static RowPrinter printer(Format format, PrintWriter out, int maxRows) {
        return switch (format) {
            case table -> new TablePrinter(out, maxRows);
            case csv -> new CsvPrinter(out);
            case json -> new JsonPrinter(out);
        };
    }

    /** Prints query rows; {@link #finish()} after the last row. */
    abstract static class RowPrinter implements Store.RowSink {
        abstract void finish();
    }

    private static final class TablePrinter extends RowPrinter {
        private final PrintWriter out;
        private final int maxRows;
        private TextTable table;
        private boolean[] numeric;
        private long rows;

        TablePrinter(PrintWriter out, int maxRows) {
            this.out = out;
            this.maxRows = maxRows;
        }

        @Override
        public void columns(List<String> names, List<String> types) {
            numeric = new boolean[names.size()];
            for (int i = 0; i < numeric.length; i++) {
                String t = types.get(i);
                numeric[i] = t.matches("(?i)(U?TINYINT|U?SMALLINT|U?INTEGER|U?BIGINT|HUGEINT|FLOAT|DOUBLE|DECIMAL.*|REAL)");
            }
            table = new TextTable(names, numeric);
        }

        @Override
        public void row(List<Object> values) {
            rows++;
            if (rows <= maxRows) {
                List<String> cells = new ArrayList<>(values.size());
                for (Object v : values) {
                    cells.add(v == null ? "NULL" : text(v));
                }
                table.add(cells);
            }
        }

        @Override
        void finish() {
            table.print(out);
            if (rows > maxRows) {
                out.println("... " + Formats.count(rows - maxRows) + " more rows not shown (--max-rows, or --format csv)");
            }
            out.println("(" + Formats.count(rows) + (rows == 1 ? " row)" : " rows)"));
        }
    }

    private static final class CsvPrinter extends RowPrinter {
        private final CSVPrinter csv;

        CsvPrinter(PrintWriter out) {
            try {
                csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator('\n').get());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void columns(List<String> names, List<String> types) {
            print(new ArrayList<>(names));
        }

        @Override
        public void row(List<Object> values) {
            List<Object> cells = new ArrayList<>(values.size());
            for (Object v : values) {
                cells.add(v == null ? "" : text(v));
            }
            print(cells);
        }

        private void print(List<Object> cells) {
            try {
                csv.printRecord(cells);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void finish() {
            try {
                csv.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class JsonPrinter extends RowPrinter {
        private final JsonGenerator json;
        private List<String> names;

        JsonPrinter(PrintWriter out) {
            try {
                json = new JsonFactory().createGenerator(out);
                json.writeStartArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void columns(List<String> columnNames, List<String> types) {
            this.names = columnNames;
        }

        @Override
        public void row(List<Object> values) {
            try {
                json.writeRaw('\n');
                json.writeStartObject();
                for (int i = 0; i < names.size(); i++) {
                    json.writeFieldName(names.get(i));
                    writeJson(json, values.get(i));
                }
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void finish() {
            try {
                json.writeRaw('\n');
                json.writeEndArray();
                json.writeRaw('\n');
                json.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
