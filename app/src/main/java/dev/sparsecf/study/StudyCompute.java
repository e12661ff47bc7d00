package dev.sparsecf.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.run.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The code that computes a dataset's cells: the sparse kernels, the dense (GEMM) tier and the thread count, kept in
 * {@code <dataset>/}{@value #FILE} by the first run that trains one of its cells. The kernels and the tier change a
 * cell's results in the last digits (they sum in different orders), and so does the thread count of a native tier
 * (OpenBLAS splits its sums by it); the Java tier's results are the same for every thread count, so with it the
 * threads may change. A later run with other settings stops rather than mixing them in one table; {@code --blas auto}
 * may calibrate to another tier after an update, hence the forcing flags in the message.
 *
 * <p>What is compared is {@code kernels}, {@code dense} ({@link Kernels#denseImplementationName()}) and
 * {@code threads}; {@code tiers} (the BLAS tier's machine names) only chooses the flags. Files written before the
 * tiers were recorded have none ({@code tiers} null): their flags are read back from {@code dense}.
 */
record StudyCompute(String kernels, String dense, int threads, Tiers tiers) {

    static final String FILE = "compute.json";
    /** The prefix of {@link Kernels#denseImplementationName()} for the Java tier. */
    private static final String JAVA_TIER = "java/";

    /**
     * The BLAS tier by machine names: {@code blas} is {@link BlasProvider#name()} ({@code openblas}, {@code dnnl},
     * {@code mkl}, {@code java} or {@code auto}, the {@code --blas} values), {@code gemm} and {@code inverse} the tiers
     * running GEMM ({@link BlasProvider#gemmLibrary()}, or {@code java}) and the SPD inverse
     * ({@link BlasProvider#inverseLibrary()}: {@code openblas} or {@code mkl}; or {@code java}).
     */
    record Tiers(String blas, String gemm, String inverse) {

        static Tiers of(BlasProvider b) {
            return new Tiers(b.name(), b.gemmIsNative() ? b.gemmLibrary() : "java", b.inverseIsNative() ? b.inverseLibrary() : "java");
        }

        /** The forced {@code --blas} value that runs the same code as this, or null ({@code auto}'s own mix). */
        String forcingFlag() {
            if (!blas.equals("auto")) {
                return blas;
            }
            if (gemm.equals(inverse)) {
                return gemm; // openblas, mkl or java for both
            }
            return gemm.equals("dnnl") && inverse.equals("openblas") ? "dnnl" : null;
        }
    }

    /** What {@code kernels} computes with (resolving the dense tier, as the first product would). */
    static StudyCompute of(Kernels kernels) {
        return new StudyCompute(kernels.implementationName(), kernels.denseImplementationName(), kernels.threads(),
                Tiers.of(kernels.blas()));
    }

    /**
     * Compares with {@code dir}'s {@value #FILE}, if any, and stops with a {@link UsageException} naming the flags
     * that reproduce the recorded one when they differ; returns whether the file is to be written (it is absent).
     */
    boolean check(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return true;
        }
        StudyCompute recorded = read(file);
        boolean threadsFree = dense.startsWith(JAVA_TIER) && recorded.dense.equals(dense);
        if (!recorded.kernels.equals(kernels) || !recorded.dense.equals(dense) || !(threadsFree || recorded.threads == threads)) {
            throw new UsageException(String.format(Locale.ROOT, "%s: its cells were computed with %s, this run would use %s,"
                    + " which changes results in the last digits; rerun with %s, or choose another --out", file,
                    recorded.describe(), describe(), recorded.flags()));
        }
        return false;
    }

    /** Reads a {@value #FILE}, with or without the tiers' names. */
    static StudyCompute read(Path file) throws IOException {
        JsonNode found = new ObjectMapper().readTree(file.toFile());
        JsonNode blas = found.path("blas");
        Tiers tiers = blas.isTextual()
                ? new Tiers(blas.asText(), found.path("gemm").asText(), found.path("inverse").asText()) : null;
        return new StudyCompute(found.path("kernels").asText(), found.path("dense").asText(), found.path("threads").asInt(), tiers);
    }

    /** Writes {@code dir}'s {@value #FILE}; {@code earlierCells} finished before it existed, which {@code err} is told. */
    void write(Path dir, String dataset, int earlierCells, PrintWriter err) throws IOException {
        if (earlierCells > 0) {
            err.printf(Locale.ROOT, "%s: recording %s in %s from now on; the %d cell(s) before it have theirs per run in %s only%n",
                    dataset, describe(), FILE, earlierCells, StudyJournal.FILE);
        }
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode json = mapper.createObjectNode();
        json.put("kernels", kernels);
        json.put("dense", dense);
        json.put("threads", threads);
        json.put("blas", tiers.blas());
        json.put("gemm", tiers.gemm());
        json.put("inverse", tiers.inverse());
        Files.createDirectories(dir);
        CellStore.writeAtomically(dir.resolve(FILE), mapper.writeValueAsString(json) + "\n");
    }

    private String describe() {
        return String.format(Locale.ROOT, "kernels %s, dense %s, %d thread%s", kernels, dense, threads, threads == 1 ? "" : "s");
    }

    /** The command-line flags that select this; {@code auto}'s per-operation mix has no single flag. */
    String flags() {
        String forced = tiers != null ? tiers.forcingFlag() : legacyForcingFlag(dense);
        String blas = forced != null ? forced : "auto (the calibration that chose '" + dense + "')";
        return "--kernels " + kernels + " --blas " + blas + " --threads " + threads;
    }

    /** {@link Tiers#forcingFlag()} for a file without the tiers: read from the human-readable {@code dense}. */
    private static String legacyForcingFlag(String dense) {
        return switch (dense) {
            case "openblas" -> "openblas";
            case "gemm dnnl, inverse openblas" -> "dnnl";
            default -> dense.startsWith(JAVA_TIER) ? "java" : null;
        };
    }
}
