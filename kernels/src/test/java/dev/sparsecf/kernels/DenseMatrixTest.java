package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link DenseMatrix}: stride padding, views without copies, wrapping and close semantics. */
class DenseMatrixTest {

    @ParameterizedTest(name = "cols={0} -> ld={1}")
    @CsvSource({"0, 16", "1, 16", "15, 16", "16, 16", "17, 32", "33, 48", "20108, 20112"})
    void padsRowsToWholeCacheLines(int cols, int ld) {
        assertEquals(ld, DenseMatrix.paddedStride(cols));
        try (DenseMatrix m = DenseMatrix.allocate(3, cols)) {
            assertEquals(ld, m.ld());
            assertEquals(0, m.segment().address() % (DenseMatrix.ROW_ALIGN_FLOATS * Float.BYTES), "64-byte aligned");
            assertEquals(3L * ld * Float.BYTES, m.segment().byteSize());
            for (long f = 0; f < 3L * ld; f++) {
                assertEquals(0f, m.segment().getAtIndex(ValueLayout.JAVA_FLOAT, f), "zeroed, padding included");
            }
        }
    }

    @Test
    void ofCopiesRowMajorValuesIntoPaddedRows() {
        float[] v = {1, 2, 3, 4, 5, 6};
        try (DenseMatrix m = DenseMatrix.of(2, 3, v)) {
            v[0] = 99; // a copy: later changes to the array are not seen
            assertAll(
                    () -> assertEquals(1f, m.get(0, 0)),
                    () -> assertEquals(4f, m.segment().getAtIndex(ValueLayout.JAVA_FLOAT, 16), "row 1 starts at ld"),
                    () -> assertEquals(0f, m.segment().getAtIndex(ValueLayout.JAVA_FLOAT, 3), "padding is zero"),
                    () -> assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, m.toArray()),
                    () -> assertEquals(m.offset(1, 2), (16L + 2) * Float.BYTES));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DenseMatrix.of(2, 3, new float[5]));
        assertTrue(e.getMessage().contains("values has 5 floats, expected rows*cols = 2*3 = 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DenseMatrix.allocate(-1, 3));
    }

    @Test
    void rowViewsWriteThroughWithoutCopying() {
        DenseMatrix parent = DenseMatrix.allocate(5, 20);
        DenseMatrix view = parent.rows(2, 4);
        assertAll(
                () -> assertEquals(2, view.rows()),
                () -> assertEquals(20, view.cols()),
                () -> assertEquals(parent.ld(), view.ld()),
                () -> assertFalse(view.ownsMemory()),
                () -> assertEquals(parent.segment().address() + parent.offset(2, 0), view.segment().address()));
        view.set(1, 19, 7f);
        assertEquals(7f, parent.get(3, 19), "a write through the view is visible in the parent");
        parent.set(2, 0, -3f);
        assertEquals(-3f, view.get(0, 0), "and the other way round");
        parent.row(4).setAtIndex(ValueLayout.JAVA_FLOAT, 5, 11f);
        assertEquals(11f, parent.get(4, 5), "row(i) is a slice, not a copy");
        assertEquals(20L * Float.BYTES, parent.row(4).byteSize());
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(2, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(0, 20), "padding is not addressable");
        assertThrows(IndexOutOfBoundsException.class, () -> parent.rows(4, 6));
        assertEquals(0, parent.rows(5, 5).rows(), "an empty view at the end");

        view.close(); // views never free
        assertEquals(7f, parent.get(3, 19));
        DenseMatrix survivor = parent.rows(0, 1);
        parent.close();
        assertThrows(IllegalStateException.class, () -> survivor.get(0, 0), "a view dies with its parent");
        assertThrows(IllegalStateException.class, parent::close, "closing twice is an error, as for an Arena");
    }

    @Test
    void wrapsCallerSegmentsWithAnyStride() {
        try (Arena arena = Arena.ofConfined()) {
            // 3 rows of 5 with ld 7; the last row needs no padding: 2 * 7 + 5 floats
            MemorySegment seg = arena.allocate(ValueLayout.JAVA_FLOAT, 2 * 7 + 5);
            DenseMatrix m = DenseMatrix.wrap(seg, 3, 5, 7);
            m.set(2, 4, 9f);
            assertEquals(9f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, 18));
            assertEquals(9f, m.rows(1, 3).get(1, 4));
            assertEquals(0, m.rows(3, 3).rows(), "an empty view at the end of a tightly wrapped segment");
            assertFalse(m.ownsMemory());
            m.close(); // the caller owns the segment
            assertEquals(9f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, 18));

            IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> DenseMatrix.wrap(seg, 3, 6, 7));
            assertTrue(small.getMessage().contains("too small for 3x6 with ld 7"), small.getMessage());
            IllegalArgumentException ld = assertThrows(IllegalArgumentException.class, () -> DenseMatrix.wrap(seg, 2, 5, 4));
            assertTrue(ld.getMessage().contains("ld 4 < cols 5"), ld.getMessage());
        }
    }

    @Test
    void arenaAllocatedMatricesBelongToTheArena() {
        DenseMatrix m;
        try (Arena arena = Arena.ofConfined()) {
            m = DenseMatrix.allocate(arena, 2, 3);
            assertFalse(m.ownsMemory());
            m.close(); // no-op: the arena owns it
            m.set(1, 2, 4f);
            assertEquals(4f, m.get(1, 2));
        }
        assertThrows(IllegalStateException.class, () -> m.get(1, 2), "freed with its arena");
    }

    @Test
    void closeFreesAnOwnedMatrix() {
        DenseMatrix m = DenseMatrix.allocate(2, 2);
        assertTrue(m.ownsMemory());
        m.close();
        assertThrows(IllegalStateException.class, () -> m.get(0, 0));
    }

    @Test
    void fillAndCopyTouchOnlyValidColumns() {
        try (DenseMatrix a = DenseMatrix.allocate(2, 3); DenseMatrix b = DenseMatrix.allocate(2, 3);
             DenseMatrix wrong = DenseMatrix.allocate(3, 2)) {
            OffHeapMatrices.poisonPadding(a);
            a.fill(-0f);
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(a.get(1, 2)), "-0.0 is kept");
            a.fill(2.5f);
            OffHeapMatrices.assertPaddingIntact(a, "fill");
            b.copyFrom(a);
            assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f}, b.toArray());
            assertEquals(0f, b.segment().getAtIndex(ValueLayout.JAVA_FLOAT, 3), "copyFrom leaves padding alone");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wrong.copyFrom(a));
            assertTrue(e.getMessage().contains("2x3 into 3x2"), e.getMessage());
        }
    }
}
