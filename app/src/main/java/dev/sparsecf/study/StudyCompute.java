package dev.sparsecf.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 */
record StudyCompute(String kernels, String dense, int threads) {

    static final String FILE = "compute.json";
    /** The prefix of {@link Kernels#denseImplementationName()} for the Java tier. */
    private static final String JAVA_TIER = "java/";

    /** What {@code kernels} computes with (resolving the dense tier, as the first product would). */
    static StudyCompute of(Kernels kernels) {
        return new StudyCompute(kernels.implementationName(), kernels.denseImplementationName(), kernels.threads());
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
        JsonNode found = new ObjectMapper().readTree(file.toFile());
        StudyCompute recorded = new StudyCompute(found.path("kernels").asText(), found.path("dense").asText(),
                found.path("threads").asInt());
        boolean threadsFree = dense.startsWith(JAVA_TIER) && recorded.dense.equals(dense);
        if (!recorded.equals(threadsFree ? new StudyCompute(kernels, dense, recorded.threads) : this)) {
            throw new UsageException(String.format(Locale.ROOT, "%s: its cells were computed with %s, this run would use %s,"
                    + " which changes results in the last digits; rerun with %s, or choose another --out", file,
                    recorded.describe(), describe(), recorded.flags()));
        }
        return false;
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
        Files.createDirectories(dir);
        CellStore.writeAtomically(dir.resolve(FILE), mapper.writeValueAsString(json) + "\n");
    }

    private String describe() {
        return String.format(Locale.ROOT, "kernels %s, dense %s, %d thread%s", kernels, dense, threads, threads == 1 ? "" : "s");
    }

    /** The command-line flags that select this; {@code auto}'s per-operation mix has no single flag. */
    String flags() {
        String blas = switch (dense) {
            case "openblas" -> "openblas";
            case "gemm dnnl, inverse openblas" -> "dnnl";
            default -> dense.startsWith(JAVA_TIER) ? "java" : "auto (the calibration that chose '" + dense + "')";
        };
        return "--kernels " + kernels + " --blas " + blas + " --threads " + threads;
    }
}
