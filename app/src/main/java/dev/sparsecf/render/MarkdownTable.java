package dev.sparsecf.render;

import java.util.Arrays;
import java.util.List;

/** GitHub Markdown pipe tables, appended line by line: a header with its alignment line, then rows. */
public final class MarkdownTable {

    private MarkdownTable() {
    }

    /**
     * The header line and the alignment line under it; {@code align} has one letter per column: {@code l} left,
     * {@code r} right, {@code c} centred.
     */
    public static void header(StringBuilder md, String align, List<String> columns) {
        if (align.length() != columns.size()) {
            throw new IllegalArgumentException(align.length() + " alignments for " + columns.size() + " columns");
        }
        row(md, columns);
        md.append('|');
        for (char a : align.toCharArray()) {
            md.append(switch (a) {
                case 'l' -> "---|";
                case 'r' -> "---:|";
                case 'c' -> ":---:|";
                default -> throw new IllegalArgumentException("alignment '" + a + "' is not l, r or c");
            });
        }
        md.append('\n');
    }

    /** {@link #header(StringBuilder, String, List)} of {@code columns}. */
    public static void header(StringBuilder md, String align, String... columns) {
        header(md, align, List.of(columns));
    }

    /** One row: each cell between pipes with a space either side; a null cell is left blank (a single space). */
    public static void row(StringBuilder md, List<String> cells) {
        md.append('|');
        for (String c : cells) {
            md.append(c == null ? " |" : " " + c + " |");
        }
        md.append('\n');
    }

    /** {@link #row(StringBuilder, List)} of {@code cells}. */
    public static void row(StringBuilder md, String... cells) {
        row(md, Arrays.asList(cells)); // asList, not List.of: cells may be null
    }
}
