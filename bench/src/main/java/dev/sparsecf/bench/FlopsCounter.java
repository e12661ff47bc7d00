package dev.sparsecf.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Floating-point operations of the timed operations, reported by JMH as a rate (secondary metric
 * {@code flops}, flop/s); the SpMM kernels and float32 GEMM count them; float64 work counts in {@link Flops64Counter}.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FlopsCounter {

    /** Floating-point operations in this iteration (the metric). */
    public long flops;

    /** JMH does not reset aux counters; without this every iteration would report the running total. */
    @Setup(Level.Iteration)
    public void reset() {
        flops = 0;
    }
}
