package dev.sparsecf.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The finished cells of one dataset of a study: {@code cells.csv}, one row per (variant, seed). The file is
 * rewritten whole through a temporary file and an atomic rename, so an interrupted run never leaves half a row.
 */
final class StudyCells {

    static final String FILE = "cells.csv";
    static final String HEADER = "dataset,variant,family,param,seed,epochs,best_epoch,train_seconds,test_users,"
            + "recall20,recall20_se,recall50,recall50_se,ndcg100,ndcg100_se,active_units,kl_mean,mean_beta,lambda,"
            + "split_fingerprint";
    private StudyCells() {
    }

    /** One finished cell; the boxed fields are null where they do not apply (e.g. KL for EASE). */
    record Cell(String dataset, String variant, String family, Double param, long seed, int epochs, int bestEpoch,
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

        boolean sameCell(String otherVariant, long otherSeed) {
            return variant.equals(otherVariant) && seed == otherSeed;
        }
    }

    /** A number for a CSV cell: six decimals, or empty for null. */
    static String num(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.6f", value);
    }

    /** The cells in {@code file} (none when it does not exist); a malformed line is an error naming file, line, column and value. */
    static List<Cell> read(Path file) throws IOException {
        List<Cell> cells = new ArrayList<>();
        if (!Files.exists(file)) {
            return cells;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + " line 1: not the study header (" + HEADER + ")");
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            Fields f = new Fields(file, i + 1, lines.get(i).split(",", -1));
            cells.add(new Cell(f.text(0), f.text(1), f.text(2), f.optional(3), f.integer(4), (int) f.integer(5),
                    (int) f.integer(6), f.number(7), (int) f.integer(8), f.number(9), f.number(10), f.number(11),
                    f.number(12), f.number(13), f.number(14), f.text(15).isEmpty() ? null : (int) f.integer(15),
                    f.optional(16), f.optional(17), f.optional(18), f.text(19)));
        }
        return cells;
    }

    /** The fields of one data line, parsed by column; errors name the file, line, column and value. */
    private record Fields(Path file, int line, String[] values) {

        private static final String[] NAMES = HEADER.split(",");

        Fields {
            if (values.length != NAMES.length) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s line %d: %d fields, the header has %d",
                        file, line, values.length, NAMES.length));
            }
        }

        String text(int column) {
            return values[column].strip();
        }

        double number(int column) {
            try {
                return Double.parseDouble(text(column));
            } catch (NumberFormatException e) {
                throw error(column, "is not a number");
            }
        }

        Double optional(int column) {
            return text(column).isEmpty() ? null : number(column);
        }

        long integer(int column) {
            try {
                return Long.parseLong(text(column));
            } catch (NumberFormatException e) {
                throw error(column, "is not an integer");
            }
        }

        private IllegalArgumentException error(int column, String problem) {
            return new IllegalArgumentException(String.format(Locale.ROOT, "%s line %d: %s '%s' %s", file, line,
                    NAMES[column], values[column], problem));
        }
    }

    /** Writes {@code cells} as {@code file}, atomically replacing the old version. */
    static void write(Path file, List<Cell> cells) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Cell c : cells) {
            sb.append(c.csv()).append('\n');
        }
        writeAtomically(file, sb.toString());
    }

    /** Writes {@code text} to a temporary file beside {@code file}, then renames it over {@code file}. */
    static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
