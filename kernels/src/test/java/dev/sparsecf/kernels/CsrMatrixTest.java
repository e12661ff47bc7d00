package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link CsrMatrix}: validation messages, the builder, row views and memory ownership. */
class CsrMatrixTest {

    /** A malformed CSR input and the fragments its error message must contain. */
    record Malformed(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values, String... mustName) {
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(Named.of("wrong rowPtr length", new Malformed(3, 4, new int[] {0, 1, 2}, new int[] {0, 1}, null,
                        "rowPtr has 3 entries", "rows + 1 = 4"))),
                Arguments.of(Named.of("rowPtr not starting at 0", new Malformed(1, 4, new int[] {1, 2}, new int[] {0, 1}, null,
                        "rowPtr[0] is 1"))),
                Arguments.of(Named.of("non-monotone rowPtr", new Malformed(3, 4, new int[] {0, 2, 1, 3}, new int[] {0, 1, 2}, null,
                        "row 1", "decreases from 2 to 1"))),
                Arguments.of(Named.of("column out of range", new Malformed(3, 4, new int[] {0, 1, 1, 3}, new int[] {0, 2, 4}, null,
                        "row 2", "column 4", "position 2", "[0, 4)"))),
                Arguments.of(Named.of("negative column", new Malformed(1, 4, new int[] {0, 1}, new int[] {-1}, null,
                        "row 0", "column -1"))),
                Arguments.of(Named.of("unsorted columns", new Malformed(2, 4, new int[] {0, 1, 3}, new int[] {0, 3, 1}, null,
                        "row 1", "column 1", "follows column 3"))),
                Arguments.of(Named.of("duplicate column", new Malformed(2, 4, new int[] {0, 2, 3}, new int[] {2, 2, 1}, null,
                        "row 0", "duplicate column 2", "position 1"))),
                Arguments.of(Named.of("NaN value", new Malformed(2, 4, new int[] {0, 1, 2}, new int[] {0, 3},
                        new float[] {1f, Float.NaN},
                        "row 1", "column 3", "value NaN"))),
                Arguments.of(Named.of("infinite value", new Malformed(1, 4, new int[] {0, 1}, new int[] {2},
                        new float[] {Float.POSITIVE_INFINITY},
                        "row 0", "value Infinity"))),
                Arguments.of(Named.of("colIdx shorter than nnz", new Malformed(1, 4, new int[] {0, 3}, new int[] {0, 1}, null,
                        "colIdx has 2 entries", "says 3"))),
                Arguments.of(Named.of("values shorter than nnz", new Malformed(1, 4, new int[] {0, 2}, new int[] {0, 1},
                        new float[] {1f},
                        "values has 1 entries", "says 2"))),
                Arguments.of(Named.of("negative shape", new Malformed(-1, 4, new int[] {0}, new int[0], null,
                        "negative CSR shape -1x4"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedInputNamingTheProblem(Malformed bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsrMatrix.of(bad.rows(), bad.cols(), bad.rowPtr(), bad.colIdx(), bad.values()));
        for (String fragment : bad.mustName()) {
            assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' should name '" + fragment + "'");
        }
    }

    @Test
    void storesValidInput() {
        try (CsrMatrix a = CsrMatrix.of(3, 5, new int[] {0, 2, 2, 5}, new int[] {1, 4, 0, 2, 3},
                new float[] {0.5f, -2f, 1f, 3f, 4f})) {
            assertAll(
                    () -> assertEquals(3, a.rows()),
                    () -> assertEquals(5, a.cols()),
                    () -> assertEquals(5, a.nnz()),
                    () -> assertFalse(a.isBinary()),
                    () -> assertEquals(0, a.rowNnz(1), "empty row"),
                    () -> assertEquals(2, a.rowStart(2)),
                    () -> assertEquals(5, a.rowEnd(2)),
                    () -> assertEquals(4, a.col(1)),
                    () -> assertEquals(-2f, a.value(1)),
                    () -> assertTrue(a.ownsMemory()));
        }
        try (CsrMatrix b = CsrMatrix.binary(2, 3, new int[] {0, 1, 1}, new int[] {2})) {
            assertTrue(b.isBinary());
            assertEquals(1f, b.value(0), "binary entries are 1");
        }
    }

    @Test
    void builderSortsRowsKeepingWeightsWithTheirColumns() {
        CsrMatrix.Builder b = CsrMatrix.builder(6).addRow(new int[] {5, 0, 3}, new float[] {5f, 0.5f, 3f}).addRow().addRow(2, 1);
        try (CsrMatrix a = b.build()) {
            assertEquals(3, a.rows());
            assertFalse(a.isBinary());
            assertArrayEquals(new int[] {0, 3, 5}, columns(a, 0));
            assertArrayEquals(new float[] {0.5f, 3f, 5f}, values(a, 0));
            assertEquals(0, a.rowNnz(1), "an empty row");
            assertArrayEquals(new int[] {1, 2}, columns(a, 2));
            assertArrayEquals(new float[] {1f, 1f}, values(a, 2), "binary rows in a weighted matrix have weight 1");
        }
    }

    @Test
    void builderGivesEarlierBinaryRowsWeightOneOnceWeightsAppear() {
        CsrMatrix.Builder b = CsrMatrix.builder(4);
        for (int i = 0; i < 40; i++) { // past the initial capacities
            b.addRow(i % 4, (i + 1) % 4);
        }
        b.addRow(new int[] {2}, new float[] {7f});
        try (CsrMatrix a = b.build()) {
            assertEquals(41, a.rows());
            assertEquals(81, a.nnz());
            assertArrayEquals(new float[] {1f, 1f}, values(a, 0));
            assertArrayEquals(new float[] {7f}, values(a, 40));
        }
    }

    @Test
    void builderOfBinaryRowsBuildsABinaryMatrix() {
        try (CsrMatrix a = CsrMatrix.builder(3).addRow(2, 0).build()) {
            assertTrue(a.isBinary());
            assertArrayEquals(new int[] {0, 2}, columns(a, 0));
        }
    }

    @Test
    void builderRejectsBadRowsNamingThemAndStaysUsable() {
        CsrMatrix.Builder b = CsrMatrix.builder(4).addRow(0);
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> b.addRow(3, 1, 3));
        assertTrue(dup.getMessage().contains("row 1") && dup.getMessage().contains("duplicate column 3"), dup.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> b.addRow(1, 4));
        assertTrue(range.getMessage().contains("row 1") && range.getMessage().contains("column 4 is out of range [0, 4)"),
                range.getMessage());
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> b.addRow(new int[] {1, 2}, new float[] {1f}));
        assertTrue(lengths.getMessage().contains("row 1: 2 columns but 1 weights"), lengths.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> CsrMatrix.builder(4).addRow(new int[] {1}, new float[] {Float.NaN}).build());
        assertTrue(nan.getMessage().contains("row 0, column 1: value NaN"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsrMatrix.builder(-1));

        assertEquals(1, b.rows(), "failed rows are not added");
        try (CsrMatrix a = b.addRow(2).build()) {
            assertEquals(2, a.rows());
            assertArrayEquals(new int[] {0}, columns(a, 0));
            assertArrayEquals(new int[] {2}, columns(a, 1));
        }
    }

    @Test
    void rowViewsShareMemoryAndKeepAbsolutePositions() {
        CsrMatrix a = CsrMatrix.of(4, 5, new int[] {0, 1, 3, 3, 5}, new int[] {0, 1, 4, 2, 3}, new float[] {1f, 2f, 3f, 4f, 5f});
        CsrMatrix view = a.rows(1, 4);
        assertAll(
                () -> assertEquals(3, view.rows()),
                () -> assertEquals(5, view.cols()),
                () -> assertEquals(4, view.nnz()),
                () -> assertEquals(1, view.rowStart(0), "positions stay absolute"),
                () -> assertArrayEquals(new int[] {1, 4}, columns(view, 0)),
                () -> assertArrayEquals(new float[] {4f, 5f}, values(view, 2)),
                () -> assertEquals(0, a.rows(2, 2).nnz(), "empty view"),
                () -> assertFalse(view.ownsMemory()));
        view.close(); // a no-op for views
        assertEquals(5, a.nnz(), "closing a view leaves the parent usable");
        a.close();
        assertThrows(IllegalStateException.class, () -> view.col(1), "a view dies with its parent");
        try (CsrMatrix two = CsrMatrix.binary(2, 2, new int[] {0, 0, 0}, new int[0])) {
            assertThrows(IndexOutOfBoundsException.class, () -> two.rows(1, 3));
        }
    }

    private static int[] columns(CsrMatrix a, int i) {
        int[] c = new int[a.rowNnz(i)];
        for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
            c[p - a.rowStart(i)] = a.col(p);
        }
        return c;
    }

    private static float[] values(CsrMatrix a, int i) {
        float[] v = new float[a.rowNnz(i)];
        for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
            v[p - a.rowStart(i)] = a.value(p);
        }
        return v;
    }
}
