package dev.sparsecf.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Float64 operations of the timed operations, reported by JMH as the secondary metric {@code flops64} (flop/s),
 * so that the report measures them against the float64 FMA peak, half the float32 one.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Flops64Counter {

    /** Float64 operations in this iteration (the metric). */
    public long flops64;

    /** JMH does not reset aux counters; without this every iteration would report the running total. */
    @Setup(Level.Iteration)
    public void reset() {
        flops64 = 0;
    }
}
