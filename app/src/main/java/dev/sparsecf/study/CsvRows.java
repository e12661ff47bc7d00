package dev.sparsecf.study;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The study's CSV files read by column name; every parse error names the file, line, column and value. */
public final class CsvRows {

    private CsvRows() {
    }

    /** One data line of a CSV file, read by column name; parse errors name the file, line, column and value. */
    public record Row(Path file, int line, Map<String, Integer> columns, String[] fields) {

        public String text(String column) {
            return fields[columns.get(column)].strip();
        }

        public double number(String column) {
            String v = text(column);
            if (v.isEmpty()) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw error(column, v, "is not a number");
            }
        }

        public int integer(String column) {
            String v = text(column);
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw error(column, v, "is not an integer");
            }
        }

        /** An error naming this row's file and line, the column and its value, and what is wrong with it. */
        IllegalArgumentException error(String column, String value, String problem) {
            return new IllegalArgumentException(String.format(Locale.ROOT, "%s line %d: %s '%s' %s", file, line,
                    column, value, problem));
        }
    }

    /** {@code s} as one field: quoted when it holds a comma or a quote (dataset ids are free text), else as is. */
    public static String quote(String s) {
        return s.indexOf(',') < 0 && s.indexOf('"') < 0 ? s : '"' + s.replace("\"", "\"\"") + '"';
    }

    /** The comma-separated fields of one line; a field in double quotes may hold commas, and {@code ""} is a quote. */
    static String[] fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c != '"') {
                    field.append(c);
                } else if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields.toArray(String[]::new);
    }

    /** The data lines of {@code file}, whose header must name every column of {@code required} (in any order). */
    public static List<Row> read(Path file, List<String> required) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return List.of();
        }
        String[] header = fields(lines.get(0));
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            columns.put(header[i].strip(), i);
        }
        for (String r : required) {
            if (!columns.containsKey(r)) {
                throw new IllegalArgumentException(file + " line 1: no column '" + r + "' in the header '"
                        + lines.get(0) + "'");
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] fields = fields(lines.get(i));
            if (fields.length != header.length) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s line %d: %d fields, the header has %d",
                        file, i + 1, fields.length, header.length));
            }
            rows.add(new Row(file, i + 1, columns, fields));
        }
        return rows;
    }
}
