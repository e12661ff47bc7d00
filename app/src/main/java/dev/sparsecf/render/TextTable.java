package dev.sparsecf.render;

import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/** Aligned plain-text tables for the terminal: columns padded to their widest cell, two spaces apart. */
public final class TextTable {

    private TextTable() {
    }

    /** {@code cells} (header first), columns that {@code leftAligned} accepts left-aligned, the rest right-aligned. */
    public static String render(List<String[]> cells, IntPredicate leftAligned) {
        int[] width = new int[cells.get(0).length];
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : cells) {
            StringBuilder l = new StringBuilder();
            for (int c = 0; c < line.length; c++) {
                String fmt = leftAligned.test(c) ? "%-" + width[c] + "s" : "%" + width[c] + "s";
                l.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, fmt, line[c]));
            }
            // a padded text column at the end would leave trailing blanks
            sb.append(l.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
