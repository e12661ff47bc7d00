package dev.sparsecf.study;

import dev.sparsecf.run.UsageException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsecf.models.BetaPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings that make a dataset's cells comparable. They are written to {@code <dataset>/}{@value #FILE} by the
 * first run; a later run with other settings stops rather than mixing incomparable rows in one table.
 * {@code validationUsers} and {@code testUsers} are null for {@code auto}.
 */
public record StudyProtocol(String dataset, int epochs, int patience, Integer validationUsers, Integer testUsers,
                            double[] lambdas, int edgeSteps) {

    public static final String FILE = "protocol.json";
    public static final String EASE_EDGE_STEPS_KEY = "easeLambdaEdgeSteps";
    public static final String EASE_LAMBDAS_KEY = "easeLambdas";
    /**
     * Keys added to {@value #FILE} after the first studies ran, with the value an older file implies:
     * {@code easeLambdaEdgeSteps} 0, the grid only.
     */
    static final Map<String, JsonNode> ADDED_KEY_DEFAULTS = Map.of(EASE_EDGE_STEPS_KEY, IntNode.valueOf(0));
    /** Protocol keys that only EASE cells use: {@code --redo ease} may change them. */
    static final Set<String> EASE_ONLY_KEYS = Set.of(EASE_LAMBDAS_KEY, EASE_EDGE_STEPS_KEY);

    /** {@code key} of a {@value #FILE} as written, else the value an older file implies; null if neither. */
    public static JsonNode value(JsonNode protocol, String key) {
        return protocol.has(key) ? protocol.get(key) : ADDED_KEY_DEFAULTS.get(key);
    }

    /** These settings as the JSON object of {@value #FILE}. */
    ObjectNode toJson() {
        ObjectNode p = new ObjectMapper().createObjectNode();
        p.put("dataset", dataset);
        p.put("epochs", epochs);
        p.put("patience", patience);
        p.put("validationUsers", validationUsers == null ? "auto" : validationUsers.toString());
        p.put("testUsers", testUsers == null ? "auto" : testUsers.toString());
        ArrayNode l = p.putArray(EASE_LAMBDAS_KEY);
        for (double x : lambdas) {
            l.add(x);
        }
        p.put(EASE_EDGE_STEPS_KEY, edgeSteps);
        p.put("paperAnnealSteps", StudyVariant.PAPER_ANNEAL_STEPS);
        p.put("annealFraction", StudyVariant.ANNEAL_FRACTION);
        p.put("cycles", StudyVariant.CYCLES);
        p.put("cycleRamp", StudyVariant.CYCLE_RAMP);
        p.put("controllerKp", BetaPolicy.DEFAULT_KP);
        p.put("controllerKi", BetaPolicy.DEFAULT_KI);
        p.put("controllerMaxBeta", StudyVariant.CONTROLLER_MAX_BETA);
        return p;
    }

    /**
     * Compares these settings with {@code dir}'s {@value #FILE} and stops with a {@link UsageException} on a
     * difference, except in EASE-only settings when {@code redoEase} (then reported on {@code err}); returns whether
     * the file is to be (re)written.
     */
    boolean check(Path dir, boolean redoEase, PrintWriter err) throws IOException {
        ObjectNode wanted = toJson();
        Path file = dir.resolve(FILE);
        ObjectMapper mapper = new ObjectMapper();
        if (!Files.exists(file)) {
            return true;
        }
        JsonNode found = mapper.readTree(file.toFile());
        // compare as read back from text: a long written is an int read, and equals() tells them apart
        JsonNode now = mapper.readTree(mapper.writeValueAsString(wanted));
        List<String> differences = new ArrayList<>();
        boolean easeOnly = true;
        for (Iterator<String> it = wanted.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            JsonNode there = value(found, key);
            boolean legacy = !found.has(key) && there != null;
            if (!now.get(key).equals(there)) {
                differences.add(key + " " + there + (legacy ? " (recorded before the setting existed)" : "") + " there, "
                        + now.get(key) + " now");
                easeOnly &= EASE_ONLY_KEYS.contains(key);
            }
        }
        if (differences.isEmpty()) {
            return false;
        }
        if (easeOnly && redoEase) {
            err.printf(Locale.ROOT, "%s: EASE settings change (%s)%n", dataset, String.join("; ", differences));
            return true;
        }
        throw new UsageException(file + " records other settings (" + String.join("; ", differences)
                + "): rerun with the recorded settings to resume, or choose another --out"
                + (easeOnly ? ", or rerun its EASE cells with the new ones: --redo ease" : ""));
    }

    /** Writes these settings as {@code dir}'s {@value #FILE}. */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        CellStore.writeAtomically(dir.resolve(FILE), mapper.writeValueAsString(toJson()) + "\n");
    }
}
