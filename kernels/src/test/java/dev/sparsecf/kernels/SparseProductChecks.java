package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsecf.testing.ErrorBounds;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What the sparse product tests ({@link SpmmTest}, {@link SpmmTransposeTest}, {@link CsrProductTest}) share: their
 * grid of legs, column counts and binary or weighted A, and the check of a product against the double reference
 * within the summation bound of its terms.
 */
final class SparseProductChecks {

    private SparseProductChecks() {
    }

    /** Arguments (implementation, column count, weighted A) for every leg, every count of {@code columns}, binary and weighted A. */
    static Stream<Arguments> cases(List<Integer> columns) {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : KernelImpls.legs()) {
            for (int n : columns) {
                for (boolean weighted : new boolean[] {false, true}) {
                    cases.add(Arguments.of(impl, Named.of(KernelImpls.columnsLabel(n), n),
                            Named.of(weighted ? "weighted A" : "binary A", weighted)));
                }
            }
        }
        return cases.build();
    }

    /**
     * Fails unless every element of the row-major {@code got} ({@code rows x n}, named {@code matrix}) is within
     * {@link ErrorBounds#linear} of {@code expected}, for the {@code terms} summed into its row ({@code termsName},
     * e.g. the row's non-zeros) and the sum of the terms' magnitudes {@code magnitude}; {@code what} opens the message.
     */
    static void assertWithinLinearBound(String what, String matrix, float[] got, double[] expected, double[] magnitude,
                                        int rows, int n, IntUnaryOperator terms, String termsName) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                int e = i * n + j;
                double bound = ErrorBounds.linear(terms.applyAsInt(i), magnitude[e]);
                double error = Math.abs(got[e] - expected[e]);
                if (!(error <= bound)) {
                    fail(what + ", n=" + n + ": " + matrix + "[" + i + "][" + j + "] = " + got[e] + ", reference " + expected[e]
                            + ", |error| " + error + " > bound " + bound + " (" + termsName + " " + terms.applyAsInt(i) + ")");
                }
            }
        }
    }
}
