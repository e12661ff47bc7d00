package dev.sparsecf.perf;

import dev.sparsecf.bench.CholeskyInverseBenchmark;
import dev.sparsecf.bench.CsrProductBenchmark;
import dev.sparsecf.bench.GemmBenchmark;
import dev.sparsecf.bench.GramBenchmark;
import dev.sparsecf.bench.SpdSolveBenchmark;
import dev.sparsecf.bench.TrainStepBenchmark;
import dev.sparsecf.bench.TrialBenchmark;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;

/** How long and how often to measure, and which params of the dense benchmarks (see {@link BenchProfile#plan}). */
public enum BenchProfile {
    /**
     * One fork, 5 x 2 s warmup and 3 x 1 s measurement: the 16 sparse-kernel trials plus GEMM (Panama,
     * OpenBLAS and oneDNN at the Mult-VAE output layer) and the SPD inverse at n = 2000, in about 5-6 minutes on 2 cores.
     * The warmup cannot be shorter: until C2 has compiled a kernel the Vector API runs as its slow Java
     * fallback (see {@link TrialBenchmark}), so a short warmup measures the fallback, not the kernel.
     */
    QUICK(List.of(
            new Narrowing(GemmBenchmark.class, Map.of("impl", List.of("panama", "openblas", "dnnl"),
                    "shape", List.of("ml20m-vae-out")), false),
            new Narrowing(CholeskyInverseBenchmark.class, Map.of("n", List.of("2000")), false)),
            List.of(GramBenchmark.class, TrainStepBenchmark.class, SpdSolveBenchmark.class, CsrProductBenchmark.class)),
    /**
     * The benchmarks' own settings (2 forks, 8 x 2 s warmup, 5 x 1 s measurement) and grids, except that the
     * naive GEMM runs on square-512 only and the n = 8000 inverse in one short fork: about 35 minutes.
     */
    FULL(List.of(
            new Narrowing(GemmBenchmark.class, Map.of("impl", List.of("panama", "openblas", "dnnl"),
                    "shape", List.of("ml20m-vae-out", "ml20m-vae-dw", "ml20m-vae-dh", "square-2048")), false),
            new Narrowing(GemmBenchmark.class, Map.of("impl", List.of("scalar", "panama", "openblas"),
                    "shape", List.of("square-512")), false),
            new Narrowing(CholeskyInverseBenchmark.class, Map.of("n", List.of("2000")), false),
            new Narrowing(CholeskyInverseBenchmark.class, Map.of("n", List.of("8000")), true)),
            List.of());

    /**
     * A profile's treatment of one benchmark class whose full grid is too slow for it: run it with {@code params}
     * narrowed (the user's own {@code -p} wins), and with {@code longCalls} in one fork of few iterations, since one
     * call then takes seconds and fills an iteration by itself.
     */
    public record Narrowing(Class<?> benchmark, Map<String, List<String>> params, boolean longCalls) {
    }

    /** One JMH invocation of a profile: the benchmarks by exact name, params to set, and whether calls take seconds. */
    public record Run(List<String> benchmarks, Map<String, List<String>> params, boolean longCalls) {
    }

    /** Classes run with narrowed params, in this order after all the others. */
    final List<Narrowing> narrowings;
    /** Classes this profile leaves out. */
    final List<Class<?>> skipped;

    BenchProfile(List<Narrowing> narrowings, List<Class<?>> skipped) {
        this.narrowings = narrowings;
        this.skipped = skipped;
    }

    /** Sets this profile's run lengths on {@code b}, except those the user gave as JMH options. */
    public void apply(ChainedOptionsBuilder b, Options user, boolean longCalls) {
        if (this == QUICK || longCalls) {
            if (!user.getForkCount().hasValue()) {
                b.forks(1);
            }
            if (!user.getWarmupIterations().hasValue()) {
                b.warmupIterations(longCalls ? 2 : 5);
            }
            if (!user.getMeasurementIterations().hasValue()) {
                b.measurementIterations(3);
            }
        }
        if (this == QUICK) {
            if (!user.getWarmupTime().hasValue()) {
                b.warmupTime(TimeValue.seconds(2));
            }
            if (!user.getMeasurementTime().hasValue()) {
                b.measurementTime(TimeValue.seconds(1));
            }
        }
    }

    /**
     * The JMH runs for the benchmarks named {@code all} that {@code include} finds (all when null): every
     * benchmark of a class neither narrowed nor skipped in one run at its own params, then one run per
     * narrowing. Empty runs are left out.
     */
    public List<Run> plan(List<String> all, Pattern include) {
        List<String> matched = all.stream().filter(b -> include == null || include.matcher(b).find()).toList();
        Set<String> special = new HashSet<>();
        narrowings.forEach(n -> special.add(n.benchmark().getName()));
        skipped.forEach(c -> special.add(c.getName()));
        List<Run> runs = new ArrayList<>();
        List<String> rest = matched.stream().filter(b -> !special.contains(className(b))).toList();
        if (!rest.isEmpty()) {
            runs.add(new Run(rest, Map.of(), false));
        }
        for (Narrowing n : narrowings) {
            List<String> own = matched.stream().filter(b -> className(b).equals(n.benchmark().getName())).toList();
            if (!own.isEmpty()) {
                runs.add(new Run(own, n.params(), n.longCalls()));
            }
        }
        return runs;
    }

    private static String className(String benchmark) {
        return benchmark.substring(0, benchmark.lastIndexOf('.'));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
