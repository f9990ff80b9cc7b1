package dev.reprise.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain aligned text table: numbers right-aligned, text left-aligned, one header rule. */
final class TextTable {
    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> headers, boolean... rightAligned) {
        this.headers = headers;
        this.rightAligned = rightAligned.length == headers.size() ? rightAligned : new boolean[headers.size()];
    }

    TextTable add(List<String> row) {
        rows.add(row);
        return this;
    }

    int size() {
        return rows.size();
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], cell(row, i).length());
            }
        }
        printRow(out, headers, widths);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
        }
        out.println(rule);
        for (List<String> row : rows) {
            printRow(out, row, widths);
        }
        out.flush();
    }

    private void printRow(PrintWriter out, List<String> row, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            String cell = cell(row, i);
            if (i > 0) {
                sb.append("  ");
            }
            String pad = " ".repeat(widths[i] - cell.length());
            boolean last = i == widths.length - 1;
            if (rightAligned[i]) {
                sb.append(pad).append(cell);
            } else {
                sb.append(cell).append(last ? "" : pad);
            }
        }
        out.println(sb.toString().stripTrailing());
    }

    private static String cell(List<String> row, int i) {
        if (i >= row.size() || row.get(i) == null) {
            return "";
        }
        String s = row.get(i);
        // keep the table readable when a value holds a newline or a very long string
        s = s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
