package dev.sparsecf.study;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The finished cells of one dataset of a study: {@code cells.csv}, one row per (variant, seed). The file is
 * rewritten whole through a temporary file and an atomic rename, so an interrupted run never leaves half a row.
 */
public final class StudyCells {

    public static final String FILE = "cells.csv";
    public static final String HEADER = "dataset,variant,family,param,seed,epochs,best_epoch,train_seconds,test_users,"
            + "recall20,recall20_se,recall50,recall50_se,ndcg100,ndcg100_se,active_units,kl_mean,mean_beta,lambda,"
            + "split_fingerprint";
    private StudyCells() {
    }

    /** One finished cell; the boxed fields are null where they do not apply (e.g. KL for EASE). */
    public record Cell(String dataset, String variant, String family, Double param, long seed, int epochs, int bestEpoch,
                double trainSeconds, int testUsers, double recall20, double recall20Se, double recall50, double recall50Se,
                double ndcg100, double ndcg100Se, Integer activeUnits, Double klMean, Double meanBeta, Double lambda,
                String splitFingerprint) {

        String csv() {
            return String.join(",", dataset, variant, family, num(param), Long.toString(seed), Integer.toString(epochs),
                    Integer.toString(bestEpoch), num(trainSeconds), Integer.toString(testUsers), num(recall20),
                    num(recall20Se), num(recall50), num(recall50Se), num(ndcg100), num(ndcg100Se),
                    activeUnits == null ? "" : activeUnits.toString(), num(klMean), num(meanBeta), num(lambda),
                    splitFingerprint);
        }

        public boolean sameCell(String otherVariant, long otherSeed) {
            return variant.equals(otherVariant) && seed == otherSeed;
        }
    }

    /**
     * Seconds a cell of {@code family} is expected to take: the mean training time of the finished {@code cells} of
     * the same cost (every Mult-VAE variant costs the same; Mult-DAE and EASE each their own), or NaN when none is.
     */
    public static double expectedSeconds(List<Cell> cells, StudyVariant.Family family) {
        return cells.stream().filter(c -> sameCost(StudyVariant.Family.byLabel(c.family()), family))
                .mapToDouble(Cell::trainSeconds).average().orElse(Double.NaN);
    }

    private static boolean sameCost(StudyVariant.Family a, StudyVariant.Family b) {
        return a == b || a.isVae() && b.isVae();
    }

    /** A number for a CSV cell: six decimals, or empty for null. */
    public static String num(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.6f", value);
    }

    /** The cells in {@code file} (none when it does not exist); a malformed line is an error naming file, line, column and value. */
    public static List<Cell> read(Path file) throws IOException {
        List<Cell> cells = new ArrayList<>();
        if (!Files.exists(file)) {
            return cells;
        }
        for (CsvRows.Row r : CsvRows.read(file, List.of(HEADER.split(",")))) {
            String family = r.text("family");
            if (Arrays.stream(StudyVariant.Family.values()).noneMatch(f -> f.label.equals(family))) {
                throw r.error("family", family, "is not a variant family of the study");
            }
            cells.add(new Cell(r.text("dataset"), r.text("variant"), family, optional(r, "param"), r.integer("seed"),
                    r.integer("epochs"), r.integer("best_epoch"), r.number("train_seconds"), r.integer("test_users"),
                    r.number("recall20"), r.number("recall20_se"), r.number("recall50"), r.number("recall50_se"),
                    r.number("ndcg100"), r.number("ndcg100_se"), r.text("active_units").isEmpty() ? null : r.integer("active_units"),
                    optional(r, "kl_mean"), optional(r, "mean_beta"), optional(r, "lambda"), r.text("split_fingerprint")));
        }
        return cells;
    }

    private static Double optional(CsvRows.Row r, String column) {
        return r.text(column).isEmpty() ? null : r.number(column);
    }

    /** Writes {@code cells} as {@code file}, atomically replacing the old version. */
    public static void write(Path file, List<Cell> cells) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Cell c : cells) {
            sb.append(c.csv()).append('\n');
        }
        writeAtomically(file, sb.toString());
    }

    /** Writes {@code text} to a temporary file beside {@code file}, then renames it over {@code file}. */
    public static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
