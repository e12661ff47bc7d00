package dev.sparsecf.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The bf16 rounding on the float bits, one element at a time: the oracle. */
final class ScalarBf16 implements Bf16Kernel {

    @Override
    public void round(DenseMatrix src, Bf16Matrix dst, int rowFrom, int rowTo) {
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        int n = src.cols();
        for (int i = rowFrom; i < rowTo; i++) {
            for (int j = 0; j < n; j++) {
                d.set(ValueLayout.JAVA_SHORT, dst.offset(i, j), round(s.get(ValueLayout.JAVA_FLOAT, src.offset(i, j))));
            }
        }
    }

    /** {@code x} rounded to bf16, as the upper 16 bits of a float. */
    static short round(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (Float.isNaN(x)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        // adding 0x7FFF rounds up exactly when the dropped half is above 0x8000, or equal with an odd kept bit
        // (ties to even); a carry into the exponent is the correct next binade, or infinity past the largest value
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
}
