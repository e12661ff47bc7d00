package dev.sparsecf.study;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The study's CSV files read by column name; every parse error names the file, line, column and value. */
public final class CsvRows {

    // RFC 4180 as Jackson reads it: no comments, no escape character, "" is a quote; blank lines are skipped
    private static final CsvFactory CSV = CsvFactory.builder().enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();
    // strict: quote only what needs it (a comma, quote or line feed), not every long or space-led value
    private static final ObjectWriter RECORD = new CsvMapper(CSV).writer(CsvSchema.emptySchema())
            .with(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);

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

    /** A record of a CSV text: its fields and the line it starts on (1-based). */
    private record Record(int line, String[] fields) {
    }

    /** {@code s} as one field: quoted when it holds a comma, a quote or a line feed (ids are free text), else as is. */
    public static String quote(String s) {
        try {
            String record = RECORD.writeValueAsString(new String[] {s});
            return record.substring(0, record.length() - 1); // without the record's line feed
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a String[] always serialises
        }
    }

    /** The comma-separated fields of one line; a field in double quotes may hold commas, and {@code ""} is a quote. */
    static String[] fields(String line) {
        try {
            List<Record> records = records(new StringReader(line), "the line");
            return records.isEmpty() ? new String[] {""} : records.getFirst().fields();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    /** The data lines of {@code file}, whose header must name every column of {@code required} (in any order). */
    public static List<Row> read(Path file, List<String> required) throws IOException {
        List<Record> records;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            records = records(in, file.toString());
        }
        if (records.isEmpty()) {
            return List.of();
        }
        String[] header = records.getFirst().fields();
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            columns.put(header[i].strip(), i);
        }
        for (String r : required) {
            if (!columns.containsKey(r)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s line %d: no column '%s' in the "
                        + "header '%s'", file, records.getFirst().line(), r,
                        Arrays.stream(header).map(CsvRows::quote).collect(Collectors.joining(","))));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Record r : records.subList(1, records.size())) {
            if (r.fields().length != header.length) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s line %d: %d fields, the header has %d",
                        file, r.line(), r.fields().length, header.length));
            }
            rows.add(new Row(file, r.line(), columns, r.fields()));
        }
        return rows;
    }

    /** Every record of {@code in}; a malformed text (e.g. an unclosed quote) is an error naming {@code source}. */
    private static List<Record> records(Reader in, String source) throws IOException {
        List<Record> records = new ArrayList<>();
        int line = 1;
        try (JsonParser p = CSV.createParser(in)) {
            while (p.nextToken() == JsonToken.START_ARRAY) { // without a schema, each record is an array
                line = p.currentLocation().getLineNr(); // where the record starts, until its first field says exactly
                List<String> fields = new ArrayList<>();
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    if (fields.isEmpty()) {
                        line = p.currentTokenLocation().getLineNr();
                    }
                    fields.add(p.getText());
                }
                records.add(new Record(line, fields.toArray(String[]::new)));
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s line %d column %d: %s (in the record "
                            + "from line %d)", source, at.getLineNr(), at.getColumnNr(),
                    e.getOriginalMessage().lines().findFirst().orElse(""), line), e);
        }
        return records;
    }
}
