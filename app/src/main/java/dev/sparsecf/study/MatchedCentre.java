package dev.sparsecf.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsecf.run.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The centre of a dataset's matched per-user grid as the run that planned it first chose it: the sweep's constant
 * with the best mean validation NDCG@100 over that run's seeds ({@code chosen}), the beta the grid centres on (the
 * best positive one when that is 0) and the KL target, the centre's mean KL. It is kept in
 * {@code <dataset>/}{@value #FILE}, so that a later run, with more seeds say, adds seeds to the same grid instead of
 * centring a second one where its own seeds would choose; to choose again, delete the file (the old grid's cells
 * stay, each comparable with the global beta at its own mean).
 */
public record MatchedCentre(String chosen, double validationNdcg, int seeds, double centre, double klTarget) {

    public static final String FILE = "matched.json";

    /** The grid's variants: {@link StudyVariant#matchedGrid} around the centre. */
    List<StudyVariant> grid() {
        return StudyVariant.matchedGrid(centre, klTarget);
    }

    /** The log line that says how the grid was chosen. */
    String line(String dataset) {
        List<String> multiples = new ArrayList<>();
        for (double x : StudyVariant.MATCHED_MEAN_MULTIPLES) {
            multiples.add(StudyVariant.number(x));
        }
        String centreId = "const-" + StudyVariant.number(centre);
        return String.format(Locale.ROOT, "%s: validation chooses %s (mean validation NDCG@100 %.4f over %d seeds)%s;"
                        + " matched grid at mean beta %s x {%s}, KL target %.1f", dataset, chosen, validationNdcg, seeds,
                chosen.equals(centreId) ? "" : ", a beta of 0, so the grid centres on the best positive one, " + centreId,
                StudyVariant.number(centre), String.join(", ", multiples), klTarget);
    }

    /** The centre in {@code dir}'s {@value #FILE}, or null when there is none. */
    public static MatchedCentre read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        return new MatchedCentre(text(file, json, "chosen"), number(file, json, "validationNdcg"),
                (int) number(file, json, "seeds"), number(file, json, "centre"), number(file, json, "klTarget"));
    }

    /** Writes {@code dir}'s {@value #FILE}, replacing it whole. */
    void write(Path dir) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode json = mapper.createObjectNode();
        json.put("chosen", chosen);
        json.put("validationNdcg", validationNdcg);
        json.put("seeds", seeds);
        json.put("centre", centre);
        json.put("klTarget", klTarget);
        CellStore.writeAtomically(dir.resolve(FILE), mapper.writeValueAsString(json) + "\n");
    }

    private static double number(Path file, JsonNode json, String key) {
        JsonNode v = json.get(key);
        if (v == null || !v.isNumber()) {
            throw invalid(file, key, v);
        }
        return v.asDouble();
    }

    private static String text(Path file, JsonNode json, String key) {
        JsonNode v = json.get(key);
        if (v == null || !v.isTextual()) {
            throw invalid(file, key, v);
        }
        return v.asText();
    }

    private static UsageException invalid(Path file, String key, JsonNode found) {
        return new UsageException(file + ": '" + key + "' is " + (found == null ? "missing" : found + ", not valid")
                + "; restore the file, or delete it to choose the matched grid's centre again");
    }
}
