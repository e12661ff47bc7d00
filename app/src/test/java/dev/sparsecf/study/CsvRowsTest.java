package dev.sparsecf.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRowsTest {

    @TempDir
    Path dir;

    @Test
    void quotedFieldsHoldCommasAndQuotes() {
        assertArrayEquals(new String[] {"a", "b,c", "d\"e", ""}, CsvRows.fields("a,\"b,c\",\"d\"\"e\","));
        assertArrayEquals(new String[] {""}, CsvRows.fields(""));
    }

    @Test
    void quoteRoundTripsThroughFields() {
        for (String id : List.of("user 7", "Smith, J.", "say \"hi\"", ",", "\"")) {
            String line = CsvRows.quote(id) + ",3";
            assertArrayEquals(new String[] {id, "3"}, CsvRows.fields(line), line);
        }
        assertEquals("plain", CsvRows.quote("plain"));
    }

    @Test
    void rowsAreReadByColumnAndBadValuesNameFileLineAndColumn() throws IOException {
        Path f = dir.resolve("users.csv");
        Files.writeString(f, "user,clicks\n\"Smith, J.\",4\nkim,four\n");
        List<CsvRows.Row> rows = CsvRows.read(f, List.of("clicks", "user"));
        assertEquals("Smith, J.", rows.get(0).text("user"));
        assertEquals(4, rows.get(0).integer("clicks"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rows.get(1).integer("clicks"));
        assertEquals(f + " line 3: clicks 'four' is not an integer", e.getMessage());
        Files.writeString(f, "user,clicks\na,1,2\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvRows.read(f, List.of("user")));
        assertEquals(f + " line 2: 3 fields, the header has 2", e.getMessage());
    }
}
