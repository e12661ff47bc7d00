package dev.sparsecf.kernels;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The implementation legs every kernel test runs over, and the awkward column counts derived from the Panama
 * tier's lane count. Test code reads the lane count through {@link KernelProvider#vectorBitSize()} so that it
 * never touches {@code jdk.incubator.vector} itself.
 */
final class KernelImpls {

    /** Implementation ids, as accepted by {@link Kernels#create(String, int)}. */
    static final List<String> IDS = List.of("scalar", "panama");

    /**
     * Float lanes of the Panama kernels; when they cannot load, {@link DenseMatrix#ROW_ALIGN_FLOATS} (the widest
     * x86 vector) so that the shape grid stays awkward for any SIMD width. Only shapes depend on it.
     */
    static final int LANES = panamaLanes();

    /** Column counts around the lane width, primes, and the ML-20M item count. */
    static final List<Integer> AWKWARD_COLUMNS = awkwardColumns();

    /**
     * {@link #AWKWARD_COLUMNS} plus the edges of narrower vectors (15, 16, 17, 31) and the hidden width 600: the row
     * widths of the element-wise kernels, whose tails depend on nothing but the width.
     */
    static final List<Integer> ELEMENTWISE_COLUMNS = elementwiseColumns();

    private KernelImpls() {
    }

    private static int panamaLanes() {
        if (!KernelProvider.vectorModulePresent()) {
            return DenseMatrix.ROW_ALIGN_FLOATS;
        }
        try {
            return KernelProvider.forName("panama", msg -> { }).vectorBitSize() / Float.SIZE;
        } catch (IllegalStateException e) {
            return DenseMatrix.ROW_ALIGN_FLOATS;
        }
    }

    private static List<Integer> awkwardColumns() {
        TreeSet<Integer> n = new TreeSet<>(List.of(1, LANES - 1, LANES, LANES + 1, 2 * LANES + 1, 103, 1021, 20_108));
        n.removeIf(v -> v < 1);
        return List.copyOf(n);
    }

    private static List<Integer> elementwiseColumns() {
        TreeSet<Integer> n = new TreeSet<>(AWKWARD_COLUMNS);
        n.addAll(List.of(15, 16, 17, 31, 600));
        return List.copyOf(n);
    }

    /**
     * The legs of the GEMM and SPD-inverse agreement tests: {@link #IDS} plus {@code openblas} (the OpenBLAS tier
     * under the scalar kernels) where the native module is on the class path, i.e. when the native module runs
     * these tests.
     */
    static List<Named<String>> denseLegs() {
        List<Named<String>> legs = legs();
        if (openBlasTierPresent()) {
            legs.add(Named.of("openblas", "openblas"));
        }
        return legs;
    }

    private static boolean openBlasTierPresent() {
        try {
            Class.forName("dev.sparsecf.blas.OpenBlasProvider", false, KernelImpls.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Named legs for {@code @MethodSource}: the name shows up in the test report. */
    static List<Named<String>> legs() {
        List<Named<String>> legs = new ArrayList<>();
        for (String id : IDS) {
            legs.add(Named.of(id, id));
        }
        return legs;
    }

    /** Arguments (implementation, row width) for the element-wise kernel tests: every leg over {@link #ELEMENTWISE_COLUMNS}. */
    static Stream<Arguments> elementwiseCases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Named<String> impl : legs()) {
            for (int n : ELEMENTWISE_COLUMNS) {
                cases.add(Arguments.of(impl, Named.of(columnsLabel(n), n)));
            }
        }
        return cases.build();
    }

    /** A readable label for a column count, naming its relation to the lane width. */
    static String columnsLabel(int n) {
        String rel;
        if (n == LANES - 1) {
            rel = " (lanes-1)";
        } else if (n == LANES) {
            rel = " (lanes)";
        } else if (n == LANES + 1) {
            rel = " (lanes+1)";
        } else if (n == 2 * LANES + 1) {
            rel = " (2*lanes+1)";
        } else {
            rel = "";
        }
        return "n=" + n + rel;
    }

    /** Scalar kernels on the OpenBLAS tier; skipped under {@code -Dsparsecf.blas=java} or when OpenBLAS cannot load. */
    private static Kernels openBlas(int threads) {
        assumeFalse(System.getProperty(BlasProvider.BLAS_PROPERTY, "auto").trim().equalsIgnoreCase("java"),
                "OpenBLAS leg skipped: -D" + BlasProvider.BLAS_PROPERTY + "=java selects the pure-Java kernels");
        try {
            return Kernels.create("scalar", "openblas", threads);
        } catch (IllegalStateException e) {
            assumeTrue(false, "OpenBLAS leg skipped: " + e.getMessage());
            throw e;
        }
    }

    /**
     * Kernels of implementation {@code impl} with {@code threads} threads; the Panama leg is skipped, not failed,
     * on a JVM started without {@code --add-modules jdk.incubator.vector}.
     */
    static Kernels kernels(String impl, int threads) {
        if (impl.equals("openblas")) {
            return openBlas(threads);
        }
        if (impl.equals("panama")) {
            assumeTrue(KernelProvider.vectorModulePresent(),
                    "jdk.incubator.vector is not loaded; the Panama leg needs --add-modules jdk.incubator.vector");
        }
        Kernels k = Kernels.create(impl, threads);
        if (!k.implementationName().equals(impl)) {
            throw new AssertionError("asked for " + impl + " kernels, got " + k.implementationName());
        }
        return k;
    }
}
