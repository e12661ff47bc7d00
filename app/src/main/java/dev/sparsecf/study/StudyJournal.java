package dev.sparsecf.study;

import dev.sparsecf.perf.MachineInfo;
import dev.sparsecf.perf.RunMetadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsecf.kernels.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** {@code <study>/}{@value #FILE}: one entry per run of the study (command line, machine, kernels, what it plans). */
public final class StudyJournal {

    public static final String FILE = "study.json";
    /** The lock file of {@link #append}. */
    static final String LOCK = ".study.lock";
    /** Keys of a run in {@value #FILE}: dataset folders, seeds and variant ids it plans. */
    public static final String PLANNED_DATASETS = "datasets";
    public static final String PLANNED_SEEDS = "seeds";
    public static final String PLANNED_VARIANTS = "variants";

    private StudyJournal() {
    }

    /** Appends the run {@code settings} starts with {@code kernels} to {@code <root>/}{@value #FILE}, keeping earlier runs. */
    static void append(StudySettings settings, Kernels kernels) throws IOException {
        // runs sharing the folder append in turn, each to the file as the one before left it
        SharedFileLock.locked(settings.root().resolve(LOCK), () -> {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Path file = settings.root().resolve(FILE);
            ObjectNode study = Files.exists(file) ? (ObjectNode) mapper.readTree(file.toFile()) : mapper.createObjectNode();
            ArrayNode runs = study.has("runs") ? (ArrayNode) study.get("runs") : study.putArray("runs");
            ObjectNode run = runs.addObject();
            run.put("started", Instant.now().toString());
            run.put("commandLine", settings.commandLine());
            run.put("cpu", MachineInfo.local().describe());
            run.put("kernels", kernels.implementationName());
            run.put("dense", kernels.denseImplementationName());
            run.put("threads", kernels.threads());
            RunMetadata.putOpenBlasEnvironment(run);
            run.put("commit", RunMetadata.shortCommit(settings.repository()));
            // what this run plans, so that the report can show the cells still to come as pending
            settings.datasets().forEach(d -> run.withArray(PLANNED_DATASETS).add(StudySettings.folderName(d)));
            settings.seeds().forEach(seed -> run.withArray(PLANNED_SEEDS).add(seed));
            settings.variants().forEach(v -> run.withArray(PLANNED_VARIANTS).add(v.id()));
            CellStore.writeAtomically(file, mapper.writeValueAsString(study) + "\n");
            return null;
        });
    }
}
