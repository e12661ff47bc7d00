package dev.sparsecf.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRowsRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void quoteQuotesOnlyCommasQuotesAndLineFeeds() {
        assertEquals("plain", CsvRows.quote("plain"));
        assertEquals("", CsvRows.quote(""));
        assertEquals("\"Smith, J.\"", CsvRows.quote("Smith, J."));
        assertEquals("\"say \"\"hi\"\"\"", CsvRows.quote("say \"hi\""));
        assertEquals("\"two\nlines\"", CsvRows.quote("two\nlines"));
        assertEquals("\"crlf\r\n\"", CsvRows.quote("crlf\r\n"));
        // no quotes for blanks, '#' or length: the files stay as the hand-written quoting left them
        assertEquals(" lead", CsvRows.quote(" lead"));
        assertEquals("#1", CsvRows.quote("#1"));
        assertEquals("a-user-id-longer-than-24-characters", CsvRows.quote("a-user-id-longer-than-24-characters"));
    }

    @Test
    void idsWithCommasQuotesAndLineBreaksRoundTripThroughAFile() throws IOException {
        List<String> ids = List.of("Smith, J.", "say \"hi\"", "two\nlines", "crlf\r\nid", ",", "\"", "plain");
        StringBuilder csv = new StringBuilder("user,clicks\n");
        for (int i = 0; i < ids.size(); i++) {
            csv.append(CsvRows.quote(ids.get(i))).append(',').append(i).append('\n');
        }
        Path f = dir.resolve("users.csv");
        Files.writeString(f, csv);
        List<CsvRows.Row> rows = CsvRows.read(f, List.of("user", "clicks"));
        assertEquals(ids.size(), rows.size());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(ids.get(i), rows.get(i).fields()[0], "row " + i);
            assertEquals(i, rows.get(i).integer("clicks"));
        }
        // a row's line is where it starts in the file: the ids with line breaks take two lines each
        assertEquals(List.of(2, 3, 4, 6, 8, 9, 10), rows.stream().map(CsvRows.Row::line).toList());
    }

    @Test
    void blankLinesAreSkippedButCounted() throws IOException {
        Path f = dir.resolve("history.csv");
        Files.writeString(f, "epoch,validation_ndcg100\r\n\r\n1,0.25\r\n   \r\n2,\r\n");
        List<CsvRows.Row> rows = CsvRows.read(f, List.of("epoch", "validation_ndcg100"));
        assertEquals(List.of(3, 5), rows.stream().map(CsvRows.Row::line).toList());
        assertEquals(0.25, rows.get(0).number("validation_ndcg100"));
        assertEquals(Double.NaN, rows.get(1).number("validation_ndcg100"));
    }

    @Test
    void aMalformedFileIsAOneLineErrorNamingFileLineAndColumn() throws IOException {
        assertEquals(dir.resolve("cells.csv") + " line 4 column 1: Missing closing quote for value (in the record "
                + "from line 2)", error("user,clicks\n\"unclosed,4\nkim,5\n", "user"));
    }

    @Test
    void aMissingColumnNamesTheHeader() throws IOException {
        assertEquals(dir.resolve("cells.csv") + " line 2: no column 'clicks' in the header 'user,\"n, clicks\"'",
                error("\nuser,\"n, clicks\"\n", "clicks"));
    }

    /** The message of reading {@code text} as a file that must have column {@code required}. */
    private String error(String text, String required) throws IOException {
        Path f = dir.resolve("cells.csv");
        Files.writeString(f, text);
        return assertThrows(IllegalArgumentException.class, () -> CsvRows.read(f, List.of(required))).getMessage();
    }
}
