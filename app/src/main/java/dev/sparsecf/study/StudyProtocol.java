package dev.sparsecf.study;

import dev.sparsecf.run.UsageException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
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
 * {@code validationUsers} and {@code testUsers} are null for {@code auto}; every cell uses the one split of
 * {@code splitSeed} (the training seed only initialises and shuffles), so seeds measure training noise alone.
 */
public record StudyProtocol(String dataset, int epochs, int patience, Integer validationUsers, Integer testUsers,
                            double[] lambdas, int edgeSteps, int neighbours, long splitSeed) {

    public static final String FILE = "protocol.json";
    /**
     * The protocol this code runs: 2 is one split per dataset (its own seed), 200 epochs keeping the best without
     * early stop by default, the matched per-user grid, and EDLAE/DLAE. Version 1 (no key) split by the training seed.
     */
    public static final int VERSION = 2;
    public static final String VERSION_KEY = "protocolVersion";
    public static final String EASE_EDGE_STEPS_KEY = "easeLambdaEdgeSteps";
    public static final String EASE_LAMBDAS_KEY = "easeLambdas";
    /** EDLAE's and DLAE's L2 weights; a file written before they had one implies [0], dropout alone. */
    public static final String DLAE_L2_KEY = "dlaeL2";
    /** K of neighbourhood EASE ({@code --neighbors}); 0: dense EASE. */
    public static final String EASE_NEIGHBOURS_KEY = "easeNeighbours";
    /**
     * Keys added to {@value #FILE} after the first studies ran, with the value an older file implies:
     * {@code easeLambdaEdgeSteps} 0, the grid only; {@code easeNeighbours} 0, dense EASE; {@code dlaeL2} [0], EDLAE
     * and DLAE with the dropout penalty alone.
     */
    static final Map<String, JsonNode> ADDED_KEY_DEFAULTS = Map.of(EASE_EDGE_STEPS_KEY, IntNode.valueOf(0),
            EASE_NEIGHBOURS_KEY, IntNode.valueOf(0), DLAE_L2_KEY, new ObjectMapper().createArrayNode().add(0.0),
            VERSION_KEY, IntNode.valueOf(1), "splitSeed", TextNode.valueOf("the training seed"));
    public static final String DROPOUT_ODDS_KEY = "dlaeDropoutOdds";
    /** Protocol keys that only the closed-form cells use: {@code --redo ease} (edlae, dlae) may change them. */
    static final Set<String> EASE_ONLY_KEYS = Set.of(EASE_LAMBDAS_KEY, EASE_EDGE_STEPS_KEY, EASE_NEIGHBOURS_KEY,
            DROPOUT_ODDS_KEY, DLAE_L2_KEY);

    /** {@code key} of a {@value #FILE} as written, else the value an older file implies; null if neither. */
    public static JsonNode value(JsonNode protocol, String key) {
        return protocol.has(key) ? protocol.get(key) : ADDED_KEY_DEFAULTS.get(key);
    }

    /** These settings as the JSON object of {@value #FILE}. */
    ObjectNode toJson() {
        ObjectNode p = new ObjectMapper().createObjectNode();
        p.put(VERSION_KEY, VERSION);
        p.put("dataset", dataset);
        p.put("splitSeed", splitSeed);
        p.put("epochs", epochs);
        p.put("patience", patience);
        p.put("validationUsers", validationUsers == null ? "auto" : validationUsers.toString());
        p.put("testUsers", testUsers == null ? "auto" : testUsers.toString());
        ArrayNode l = p.putArray(EASE_LAMBDAS_KEY);
        for (double x : lambdas) {
            l.add(x);
        }
        p.put(EASE_EDGE_STEPS_KEY, edgeSteps);
        p.put(EASE_NEIGHBOURS_KEY, neighbours);
        ArrayNode odds = p.putArray(DROPOUT_ODDS_KEY);
        for (double q : StudyVariant.DROPOUT_ODDS) {
            odds.add(q);
        }
        ArrayNode l2 = p.putArray(DLAE_L2_KEY);
        for (double w : StudyVariant.DLAE_L2) {
            l2.add(w);
        }
        p.put("paperAnnealSteps", StudyVariant.PAPER_ANNEAL_STEPS);
        p.put("annealFraction", StudyVariant.ANNEAL_FRACTION);
        p.put("cycles", StudyVariant.CYCLES);
        p.put("cycleRamp", StudyVariant.CYCLE_RAMP);
        p.put("controllerKp", BetaPolicy.DEFAULT_KP);
        p.put("controllerKi", BetaPolicy.DEFAULT_KI);
        p.put("controllerMaxBeta", StudyVariant.CONTROLLER_MAX_BETA);
        ArrayNode gammas = p.putArray("matchedExponents");
        for (double g : StudyVariant.MATCHED_EXPONENTS) {
            gammas.add(g);
        }
        ArrayNode multiples = p.putArray("matchedMeanMultiples");
        for (double x : StudyVariant.MATCHED_MEAN_MULTIPLES) {
            multiples.add(x);
        }
        return p;
    }

    /**
     * Compares these settings with {@code dir}'s {@value #FILE} and stops with a {@link UsageException} on a
     * difference that would mix incomparable rows: none when no cell of {@code finished} exists yet, and none in
     * EASE-only settings when {@code redoEase} or no closed-form cell has finished (a change that goes ahead is
     * reported on {@code err}); returns whether the file is to be (re)written.
     */
    boolean check(Path dir, List<StudyCells.Cell> finished, boolean redoEase, PrintWriter err) throws IOException {
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
        if (finished.isEmpty()) {
            err.printf(Locale.ROOT, "%s: settings change (%s); no cell has finished under the old ones%n", dataset,
                    String.join("; ", differences));
            return true;
        }
        boolean closedFormRows = finished.stream()
                .anyMatch(c -> StudyVariant.Family.byLabel(c.family()).isClosedForm());
        if (easeOnly && (redoEase || !closedFormRows)) {
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
