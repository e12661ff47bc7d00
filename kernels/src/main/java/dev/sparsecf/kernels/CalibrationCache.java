package dev.sparsecf.kernels;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code auto}'s calibrations, one entry per machine key (see {@link AutoBlas#cacheKey}), in a small properties file
 * written atomically (a temporary file renamed over it). A file that cannot be read or parsed is reported in one
 * WARNING and replaced; the newest {@link #MAX_ENTRIES} entries are kept.
 */
final class CalibrationCache {

    static final String FORMAT = "1";
    static final int MAX_ENTRIES = 8;
    /** The rates' property names: {@code entryN.gemm.TIER} and {@code entryN.inverse.TIER}. */
    private static final String GEMM = "gemm.";
    private static final String INVERSE = "inverse.";

    /** One calibration: the machine key it belongs to, the day it was measured, and the rates. */
    record Entry(String key, LocalDate date, AutoBlas.Rates rates) {
    }

    private final Path file;
    private final Consumer<String> warn;
    private List<Entry> others = List.of(); // the entries for other keys, kept on store
    private boolean corrupt;

    CalibrationCache(Path file, Consumer<String> warn) {
        this.file = file;
        this.warn = warn;
    }

    /** The entry for {@code key}, if the file has a valid one; a corrupt file is reported and treated as empty. */
    Optional<Entry> lookup(String key) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty(); // not there yet (or not a file: store says so)
        }
        List<Entry> entries;
        try {
            entries = read();
        } catch (IOException | IllegalArgumentException e) {
            corrupt = true;
            warn.accept("sparsecf BLAS: the calibration cache " + file + " is unreadable (" + (e instanceof IllegalArgumentException ? e.getMessage() : e.toString())
                    + "); calibrating again and replacing it");
            return Optional.empty();
        }
        others = entries.stream().filter(e -> !e.key().equals(key)).toList();
        return entries.stream().filter(e -> e.key().equals(key)).findFirst();
    }

    /** Saves {@code entry} with the other keys' entries (all dropped if the file was corrupt), atomically. */
    void store(Entry entry) {
        List<Entry> all = new ArrayList<>(corrupt ? List.of() : others);
        all.add(entry);
        all.sort(Comparator.comparing(Entry::date).reversed());
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        int i = 0;
        for (Entry e : all.subList(0, Math.min(all.size(), MAX_ENTRIES))) {
            String id = "entry" + i++ + ".";
            p.setProperty(id + "key", e.key());
            p.setProperty(id + "date", e.date().toString());
            e.rates().gemm().forEach((tier, rate) -> p.setProperty(id + GEMM + tier, String.format(Locale.ROOT, "%.1f", rate)));
            e.rates().inverse().forEach((tier, rate) -> p.setProperty(id + INVERSE + tier, String.format(Locale.ROOT, "%.1f", rate)));
        }
        Path tmp = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "sparsecf: GFLOP/s of OpenBLAS, the Java kernels and oneDNN per machine (-Dsparsecf.blas=auto);"
                        + " delete to calibrate again");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            warn.accept("sparsecf BLAS: could not write the calibration cache " + file + " (" + e
                    + "); the next run calibrates again (-D" + AutoBlas.CACHE_PROPERTY + "=FILE puts it elsewhere)");
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the warning above already says the cache was not written
                }
            }
        }
    }

    /** Every entry of the file; throws {@link IllegalArgumentException} naming the first thing that is wrong. */
    private List<Entry> read() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IllegalArgumentException("format is '" + p.getProperty("format") + "', expected '" + FORMAT + "'");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; p.getProperty("entry" + i + ".key") != null; i++) {
            String id = "entry" + i + ".";
            LocalDate date;
            try {
                date = LocalDate.parse(String.valueOf(p.getProperty(id + "date")));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(id + "date is '" + p.getProperty(id + "date") + "', not a date", e);
            }
            entries.add(new Entry(p.getProperty(id + "key"), date, new AutoBlas.Rates(rates(p, id + GEMM), rates(p, id + INVERSE))));
        }
        return entries;
    }

    /** The rates under {@code prefix} by tier, sorted by tier name; none is an error. */
    private static Map<String, Double> rates(Properties p, String prefix) {
        Map<String, Double> rates = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                rates.put(name.substring(prefix.length()), rate(p, name));
            }
        }
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("no " + prefix + "* rates");
        }
        return rates;
    }

    private static double rate(Properties p, String name) {
        String v = p.getProperty(name);
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is '" + v + "', not a number", e);
        }
        if (!(d > 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(name + " is " + v + ", expected a positive GFLOP/s");
        }
        return d;
    }
}
