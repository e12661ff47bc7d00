package dev.sparsecf.kernels.panama;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API constants, kept out of {@link PanamaKernelProvider} so that nothing touches
 * {@code jdk.incubator.vector} before the provider's checks have run (Lucene's pattern).
 */
final class PanamaVectorConstants {

    /** Float species of the CPU's preferred width; static final so C2 can intrinsify every vector op. */
    static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

    /** Lanes of {@link #FLOATS}. */
    static final int LANES = FLOATS.length();

    /** Double species of the CPU's preferred width (the SPD inverse and the Gram matrix work in double). */
    static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    /** Lanes of {@link #DOUBLES}. */
    static final int DOUBLE_LANES = DOUBLES.length();

    /** Floats of half the preferred width: {@link #DOUBLE_LANES} of them widen to one {@link #DOUBLES} vector. */
    static final VectorSpecies<Float> HALF_FLOATS = VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));

    private PanamaVectorConstants() {
    }
}
