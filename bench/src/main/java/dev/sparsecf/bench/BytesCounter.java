package dev.sparsecf.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Memory traffic of the timed operations: each benchmark adds its per-operation byte count after every call,
 * and JMH reports the field as a rate (secondary metric {@code bytes}, in ops/time-unit = bytes/s).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class BytesCounter {

    /** Bytes moved in this iteration (the metric). */
    public long bytes;

    /** JMH does not reset aux counters; without this every iteration would report the running total. */
    @Setup(Level.Iteration)
    public void reset() {
        bytes = 0;
    }
}
