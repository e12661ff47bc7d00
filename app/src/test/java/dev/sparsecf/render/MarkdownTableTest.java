package dev.sparsecf.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTableTest {

    @Test
    void headerAlignsAndNullCellsStayBlank() {
        StringBuilder md = new StringBuilder();
        MarkdownTable.header(md, "lrc", "name", "n", "ok");
        MarkdownTable.row(md, "a", null, "");
        MarkdownTable.row(md, List.of("b", "1,234", "yes"));
        assertEquals("| name | n | ok |\n|---|---:|:---:|\n| a | |  |\n| b | 1,234 | yes |\n", md.toString());
    }

    @Test
    void alignmentMustMatchTheColumns() {
        StringBuilder md = new StringBuilder();
        assertEquals("2 alignments for 3 columns", assertThrows(IllegalArgumentException.class,
                () -> MarkdownTable.header(md, "lr", "a", "b", "c")).getMessage());
        assertEquals("alignment 'x' is not l, r or c", assertThrows(IllegalArgumentException.class,
                () -> MarkdownTable.header(md, "x", "a")).getMessage());
    }
}
