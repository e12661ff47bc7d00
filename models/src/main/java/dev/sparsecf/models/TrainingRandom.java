package dev.sparsecf.models;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * {@code new SplittableRandom(seed)}'s stream, value for value, counting its draws so that a checkpoint can record
 * the count and a resumed run skip ahead to it. A SplittableRandom's state cannot be read or serialised, but it is
 * its seed plus draws times a fixed gamma, and SplittableRandom overrides only {@code nextInt()} and
 * {@code nextLong()}: {@code nextInt(bound)}, {@code nextDouble()} and {@code nextGaussian()} are RandomGenerator's
 * default methods built on those two, here as there.
 */
final class TrainingRandom implements RandomGenerator {

    /** The gamma of a generator made by {@code new SplittableRandom(seed)} (its GOLDEN_GAMMA). */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final SplittableRandom rng;
    private long draws;

    /** The stream of {@code new SplittableRandom(seed)} after {@code draws} draws of {@code nextInt()} or {@code nextLong()}. */
    TrainingRandom(long seed, long draws) {
        this.rng = new SplittableRandom(seed + draws * GOLDEN_GAMMA);
        this.draws = draws;
    }

    /** Draws since the stream's start. */
    long draws() {
        return draws;
    }

    @Override
    public int nextInt() {
        draws++;
        return rng.nextInt();
    }

    @Override
    public long nextLong() {
        draws++;
        return rng.nextLong();
    }
}
