package dev.sparsecf.study;

import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.eval.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            + "split_fingerprint,exponent,validation_ndcg100,l2";
    /**
     * The columns a file written before the matched grid (the first two) or EDLAE's L2 weight (the last) existed
     * lacks: read as empty.
     */
    static final List<String> ADDED_COLUMNS = List.of("exponent", "validation_ndcg100", "l2");

    private StudyCells() {
    }

    /**
     * One finished cell; the boxed fields are null where they do not apply (e.g. KL for EASE, the click exponent
     * outside the matched per-user grid, the validation NDCG@100 of the tested weights in rows of the first protocol).
     * {@code lambda} is the penalty a closed form chose (EASE's lambda, EDLAE's and DLAE's dropout odds) and {@code l2}
     * the L2 weight EDLAE and DLAE chose beside it.
     */
    public record Cell(String dataset, String variant, String family, Double param, long seed, int epochs, int bestEpoch,
                double trainSeconds, int testUsers, double recall20, double recall20Se, double recall50, double recall50Se,
                double ndcg100, double ndcg100Se, Integer activeUnits, Double klMean, Double meanBeta, Double lambda,
                String splitFingerprint, Double exponent, Double validationNdcg, Double l2) {

        String csv() {
            return String.join(",", dataset, variant, family, num(param), Long.toString(seed), Integer.toString(epochs),
                    Integer.toString(bestEpoch), num(trainSeconds), Integer.toString(testUsers), num(recall20),
                    num(recall20Se), num(recall50), num(recall50Se), num(ndcg100), num(ndcg100Se),
                    activeUnits == null ? "" : activeUnits.toString(), num(klMean), num(meanBeta), num(lambda),
                    splitFingerprint, num(exponent), num(validationNdcg), num(l2));
        }

        public boolean sameCell(String otherVariant, long otherSeed) {
            return variant.equals(otherVariant) && seed == otherSeed;
        }

        /** A builder that names every field; the fields not set are 0 or null. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds a {@link Cell} field by field, so that each value is named where a cell is made. */
        public static final class Builder {
            private String dataset;
            private String variant;
            private String family;
            private Double param;
            private long seed;
            private int epochs;
            private int bestEpoch;
            private double trainSeconds;
            private int testUsers;
            private double recall20;
            private double recall20Se;
            private double recall50;
            private double recall50Se;
            private double ndcg100;
            private double ndcg100Se;
            private Integer activeUnits;
            private Double klMean;
            private Double meanBeta;
            private Double lambda;
            private String splitFingerprint;
            private Double exponent;
            private Double validationNdcg;
            private Double l2;

            private Builder() {
            }

            public Builder dataset(String v) {
                dataset = v;
                return this;
            }

            public Builder variant(String v) {
                variant = v;
                return this;
            }

            public Builder family(String v) {
                family = v;
                return this;
            }

            public Builder param(Double v) {
                param = v;
                return this;
            }

            public Builder seed(long v) {
                seed = v;
                return this;
            }

            public Builder epochs(int v) {
                epochs = v;
                return this;
            }

            public Builder bestEpoch(int v) {
                bestEpoch = v;
                return this;
            }

            public Builder trainSeconds(double v) {
                trainSeconds = v;
                return this;
            }

            public Builder testUsers(int v) {
                testUsers = v;
                return this;
            }

            public Builder recall20(double mean, double se) {
                recall20 = mean;
                recall20Se = se;
                return this;
            }

            public Builder recall50(double mean, double se) {
                recall50 = mean;
                recall50Se = se;
                return this;
            }

            public Builder ndcg100(double mean, double se) {
                ndcg100 = mean;
                ndcg100Se = se;
                return this;
            }

            /** The test users and the three study metrics (mean and standard error) of {@code test}. */
            public Builder test(EvaluationResult test) {
                return testUsers(test.users())
                        .recall20(test.mean(Metric.RECALL, 20), test.standardError(Metric.RECALL, 20))
                        .recall50(test.mean(Metric.RECALL, 50), test.standardError(Metric.RECALL, 50))
                        .ndcg100(test.mean(Metric.NDCG, 100), test.standardError(Metric.NDCG, 100));
            }

            public Builder activeUnits(Integer v) {
                activeUnits = v;
                return this;
            }

            public Builder klMean(Double v) {
                klMean = v;
                return this;
            }

            public Builder meanBeta(Double v) {
                meanBeta = v;
                return this;
            }

            public Builder lambda(Double v) {
                lambda = v;
                return this;
            }

            public Builder splitFingerprint(String v) {
                splitFingerprint = v;
                return this;
            }

            public Builder exponent(Double v) {
                exponent = v;
                return this;
            }

            public Builder validationNdcg(Double v) {
                validationNdcg = v;
                return this;
            }

            public Builder l2(Double v) {
                l2 = v;
                return this;
            }

            public Cell build() {
                return new Cell(dataset, variant, family, param, seed, epochs, bestEpoch, trainSeconds, testUsers, recall20,
                        recall20Se, recall50, recall50Se, ndcg100, ndcg100Se, activeUnits, klMean, meanBeta, lambda,
                        splitFingerprint, exponent, validationNdcg, l2);
            }
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
        return a == b || a.isVae() && b.isVae() || a.isClosedForm() && b.isClosedForm();
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
        List<String> required = new ArrayList<>(List.of(HEADER.split(",")));
        required.removeAll(ADDED_COLUMNS);
        for (CsvRows.Row r : CsvRows.read(file, required)) {
            String family = r.text("family");
            if (Arrays.stream(StudyVariant.Family.values()).noneMatch(f -> f.label.equals(family))) {
                throw r.error("family", family, "is not a variant family of the study");
            }
            cells.add(Cell.builder().dataset(r.text("dataset")).variant(r.text("variant")).family(family)
                    .param(optional(r, "param")).seed(r.integer("seed")).epochs(r.integer("epochs"))
                    .bestEpoch(r.integer("best_epoch")).trainSeconds(r.number("train_seconds")).testUsers(r.integer("test_users"))
                    .recall20(r.number("recall20"), r.number("recall20_se")).recall50(r.number("recall50"), r.number("recall50_se"))
                    .ndcg100(r.number("ndcg100"), r.number("ndcg100_se"))
                    .activeUnits(r.text("active_units").isEmpty() ? null : r.integer("active_units"))
                    .klMean(optional(r, "kl_mean")).meanBeta(optional(r, "mean_beta")).lambda(optional(r, "lambda"))
                    .splitFingerprint(r.text("split_fingerprint")).exponent(optional(r, "exponent"))
                    .validationNdcg(optional(r, "validation_ndcg100")).l2(optional(r, "l2")).build());
        }
        return cells;
    }

    private static Double optional(CsvRows.Row r, String column) {
        return !r.columns().containsKey(column) || r.text(column).isEmpty() ? null : r.number(column);
    }

    /** Writes {@code cells} as {@code file}, atomically replacing the old version. */
    public static void write(Path file, List<Cell> cells) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Cell c : cells) {
            sb.append(c.csv()).append('\n');
        }
        CellStore.writeAtomically(file, sb.toString());
    }
}
