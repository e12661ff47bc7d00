package dev.sparsecf.study.report;

import dev.sparsecf.study.CsvRows;
import dev.sparsecf.study.MatchedCentre;
import dev.sparsecf.study.StudyCells;
import dev.sparsecf.study.StudyJournal;
import dev.sparsecf.study.StudyProtocol;
import dev.sparsecf.study.StudyVariant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsecf.study.StudyCells.Cell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The raw rows of a beta study as {@code sparsecf study beta} writes them ({@code <dataset>/cells.csv}
 * {@code <dataset>/users/<variant>__s<seed>.csv} and {@code <dataset>/history/<variant>__s<seed>.csv}), loaded for
 * {@link BetaStudyReport}. Malformed rows are errors naming the file, line and value; missing files are not.
 */
public final class BetaStudyData {

    /** The families in report order; an unknown family sorts last. */
    static final List<String> FAMILIES = List.of("constant", "anneal", "anneal-paper", "cyclical", "peruser-clicks",
            "peruser-inverse", "peruser", "kltarget", "multdae", "ease", "edlae", "dlae");

    /** One test user's metrics in one cell; {@code kl} is NaN for Mult-DAE and EASE. */
    record UserRow(String user, int clicks, double recall20, double recall50, double ndcg100, double kl) {
    }

    /**
     * The training budget of a dataset's Mult-VAE/DAE cells and EASE's lambda search, from its {@code protocol.json}
     * ({@code easeLambdas} empty when the file does not say; {@code easeEdgeSteps} 0 when it predates the setting),
     * and its {@code version} ({@link StudyProtocol#VERSION_KEY}: 1 when the file predates it).
     */
    record Protocol(int epochs, int patience, List<Double> easeLambdas, int easeEdgeSteps, int version) {

        Protocol {
            easeLambdas = List.copyOf(easeLambdas);
        }

        /**
         * The smallest and largest lambda EASE's search could reach: the grid's ends, moved {@code easeEdgeSteps}
         * times by the ratio of the grid's two outermost values there; null with fewer than two distinct lambdas.
         */
        double[] easeReach() {
            double[] g = easeLambdas.stream().mapToDouble(Double::doubleValue).distinct().sorted().toArray();
            int n = g.length;
            return n < 2 ? null : new double[] {g[0] * Math.pow(g[0] / g[1], easeEdgeSteps),
                    g[n - 1] * Math.pow(g[n - 1] / g[n - 2], easeEdgeSteps)};
        }
    }

    /** A variant's identity, as every cell of it repeats it. */
    record Variant(String id, String family, double param) {
    }

    /**
     * One dataset folder: its cells (the last row of each variant and seed: a rerun replaces a cell), the per-user
     * rows of every cell whose users file exists, and the matched grid's centre as the run that planned it fixed it
     * ({@link MatchedCentre#FILE}; null when absent).
     */
    record Dataset(String name, List<Cell> cells, Map<String, List<UserRow>> users, Map<String, double[]> histories,
                   Protocol protocol, MatchedCentre matched) {

        /**
         * The validation NDCG@100 of {@code variant}'s best epoch on {@code seed} (the epoch whose weights were
         * tested), or NaN without a history file (EASE chooses its lambda on validation inside the cell).
         */
        double validationNdcg(String variant, long seed) {
            double[] h = history(variant, seed);
            return h == null ? Double.NaN : BudgetReplay.replay(h, BudgetReplay.FULL).value(h);
        }

        /** The validation NDCG@100 after each epoch of {@code variant} on {@code seed}, or null without a history file. */
        double[] history(String variant, long seed) {
            return histories.get(usersKey(variant, seed));
        }

        /** The cells of {@code variant}, by seed. */
        List<Cell> cells(String variant) {
            return cells.stream().filter(c -> c.variant().equals(variant)).toList();
        }

        /** The per-user rows of {@code variant} on {@code seed}, or null when its file is missing. */
        List<UserRow> users(String variant, long seed) {
            return users.get(usersKey(variant, seed));
        }

        /** The variants with at least one finished cell, in report order. */
        List<Variant> variants() {
            return order(cells.stream().map(c -> new Variant(c.variant(), c.family(), nanIfNull(c.param()))).distinct()
                    .toList());
        }
    }

    /**
     * A study directory: its datasets, the seeds the study runs and the variants it plans (the runs recorded in
     * {@code study.json}, plus whatever finished).
     */
    record Study(List<Dataset> datasets, List<Integer> seeds, List<Variant> planned, List<String> runSettings) {

        /** Every variant planned or finished on some dataset, in report order. */
        List<Variant> variants() {
            List<Variant> all = new ArrayList<>(planned);
            datasets.forEach(d -> all.addAll(d.variants()));
            return order(all);
        }

        /**
         * What {@code d}'s table lists, in report order: the variants planned, those finished on {@code d}, and those
         * finished on another dataset, except, under protocol 2, the matched per-user grid of another dataset (its
         * betas are multiples of that dataset's chosen constant, so it is not planned here): there only the fixed
         * grid's variants ({@link StudyVariant#grid()}) carry over.
         */
        List<Variant> variants(Dataset d) {
            boolean matchedPerDataset = d.protocol() != null && d.protocol().version() >= 2;
            Set<String> fixed = StudyVariant.grid().stream().map(StudyVariant::id).collect(Collectors.toSet());
            List<Variant> all = new ArrayList<>(planned);
            all.addAll(d.variants());
            for (Dataset other : datasets) {
                other.variants().stream().filter(v -> !matchedPerDataset || fixed.contains(v.id())).forEach(all::add);
            }
            return order(all);
        }
    }

    private BetaStudyData() {
    }

    /** {@code variants} by family, then parameter, then id; one entry per id. */
    static List<Variant> order(List<Variant> variants) {
        Map<String, Variant> byId = new TreeMap<>();
        variants.forEach(v -> byId.putIfAbsent(v.id(), v));
        return byId.values().stream().sorted(Comparator
                .comparingInt((Variant v) -> FAMILIES.contains(v.family()) ? FAMILIES.indexOf(v.family()) : FAMILIES.size())
                .thenComparing(Variant::family)
                .thenComparingDouble(v -> Double.isNaN(v.param()) ? Double.POSITIVE_INFINITY : v.param())
                .thenComparing(Variant::id)).toList();
    }

    /** The key of a users file: {@code <variant>__s<seed>}, its name without {@code .csv}. */
    static String usersKey(String variant, long seed) {
        return variant + "__s" + seed;
    }

    /**
     * Every dataset folder under {@code dir} (those the runs of {@code study.json} planned first, in their order, then
     * the others by name; a folder without {@code cells.csv} has no cells yet), the seeds those runs planned or some
     * cell finished, and the variants the runs planned.
     */
    static Study load(Path dir) throws IOException {
        Set<String> plannedDatasets = new LinkedHashSet<>();
        Set<Integer> seeds = new TreeSet<>();
        List<Variant> planned = new ArrayList<>();
        Map<String, Integer> settings = new LinkedHashMap<>();
        Path studyFile = dir.resolve(StudyJournal.FILE);
        if (Files.isRegularFile(studyFile)) {
            Map<String, StudyVariant> grid = new HashMap<>();
            StudyVariant.defaultGrid().forEach(v -> grid.put(v.id(), v));
            StudyVariant.grid().forEach(v -> grid.put(v.id(), v));
            for (JsonNode run : new ObjectMapper().readTree(studyFile.toFile()).path("runs")) {
                run.path(StudyJournal.PLANNED_DATASETS).forEach(d -> plannedDatasets.add(d.asText()));
                run.path(StudyJournal.PLANNED_SEEDS).forEach(seed -> seeds.add(seed.asInt()));
                settings.merge(runSettings(run), 1, Integer::sum);
                for (JsonNode id : run.path(StudyJournal.PLANNED_VARIANTS)) {
                    StudyVariant v = grid.get(id.asText());
                    if (v != null) {
                        planned.add(new Variant(v.id(), v.family().label, v.param() == null ? Double.NaN : v.param()));
                    }
                }
            }
        }
        List<Path> folders;
        try (Stream<Path> children = Files.list(dir)) {
            folders = children.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparingInt((Path d) -> plannedIndex(plannedDatasets, d.getFileName().toString()))
                            .thenComparing(Comparator.naturalOrder()))
                    .toList();
        }
        List<Dataset> datasets = new ArrayList<>();
        for (Path d : folders) {
            datasets.add(dataset(d));
        }
        datasets.forEach(d -> d.cells().forEach(c -> seeds.add(Math.toIntExact(c.seed()))));
        List<String> runSettings = settings.entrySet().stream()
                .map(e -> e.getValue() + (e.getValue() == 1 ? " run: " : " runs: ") + e.getKey()).toList();
        return new Study(datasets, List.copyOf(seeds), order(planned), runSettings);
    }

    /** Where and how one run of {@code study.json} trained: CPU, kernels, dense backend, threads, OpenBLAS's kernel choice. */
    private static String runSettings(JsonNode run) {
        JsonNode coretype = run.path("openblasCoretype");
        return run.path("cpu").asText("unknown CPU") + ", " + run.path("kernels").asText("?") + " kernels, "
                + run.path("dense").asText("?") + " dense, "
                + (run.path("threads").isInt() ? ReportText.count(run.path("threads").asInt(), "thread")
                : "? threads") + ", "
                + (coretype.isMissingNode() ? "OPENBLAS_CORETYPE not recorded"
                : coretype.isNull() ? "OPENBLAS_CORETYPE unset" : "OPENBLAS_CORETYPE=" + coretype.asText());
    }

    private static int plannedIndex(Set<String> planned, String name) {
        int i = 0;
        for (String p : planned) {
            if (p.equals(name)) {
                return i;
            }
            i++;
        }
        return Integer.MAX_VALUE;
    }

    private static Dataset dataset(Path dir) throws IOException {
        Path cellsFile = dir.resolve(StudyCells.FILE);
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (Cell cell : StudyCells.read(cellsFile)) {
            cells.remove(usersKey(cell.variant(), cell.seed())); // a rerun's row replaces the earlier one
            cells.put(usersKey(cell.variant(), cell.seed()), cell);
        }
        Map<String, List<UserRow>> users = new TreeMap<>();
        for (Cell c : cells.values()) {
            Path f = dir.resolve("users").resolve(usersKey(c.variant(), c.seed()) + ".csv");
            if (Files.isRegularFile(f)) {
                List<UserRow> rows = new ArrayList<>();
                for (CsvRows.Row r : CsvRows.read(f, List.of("user", "clicks", "recall20", "recall50", "ndcg100", "kl"))) {
                    rows.add(new UserRow(r.text("user"), r.integer("clicks"), r.number("recall20"),
                            r.number("recall50"), r.number("ndcg100"), r.number("kl")));
                }
                users.put(usersKey(c.variant(), c.seed()), rows);
            }
        }
        Map<String, double[]> histories = new TreeMap<>();
        for (Cell c : cells.values()) {
            Path f = dir.resolve("history").resolve(usersKey(c.variant(), c.seed()) + ".csv");
            if (Files.isRegularFile(f)) {
                histories.put(usersKey(c.variant(), c.seed()), history(f));
            }
        }
        List<Cell> sorted = new ArrayList<>(cells.values());
        sorted.sort(Comparator.comparing(Cell::variant).thenComparingLong(Cell::seed));
        return new Dataset(dir.getFileName().toString(), List.copyOf(sorted), users, histories, protocol(dir),
                MatchedCentre.read(dir));
    }

    /** The validation NDCG@100 after each epoch in history file {@code f}, whose epochs must run 1, 2, 3, ... */
    private static double[] history(Path f) throws IOException {
        List<CsvRows.Row> rows = CsvRows.read(f, List.of("epoch", "validation_ndcg100"));
        double[] ndcg = new double[rows.size()];
        for (int i = 0; i < ndcg.length; i++) {
            CsvRows.Row r = rows.get(i);
            if (r.integer("epoch") != i + 1) { // a budget replay reads the i-th row as epoch i + 1
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s line %d: epoch '%s' is not %d (the "
                        + "epochs must run 1, 2, 3, ...)", f, r.line(), r.text("epoch"), i + 1));
            }
            ndcg[i] = r.number("validation_ndcg100");
        }
        return ndcg;
    }

    /** The budget in {@code dir/protocol.json}, or null when the file is absent (no run has started there). */
    private static Protocol protocol(Path dir) throws IOException {
        Path file = dir.resolve(StudyProtocol.FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode p = new ObjectMapper().readTree(file.toFile());
        if (!p.path("epochs").canConvertToInt() || !p.path("patience").canConvertToInt()) {
            throw new IllegalArgumentException(file + ": needs integer fields 'epochs' and 'patience', got " + p);
        }
        List<Double> lambdas = new ArrayList<>();
        p.path(StudyProtocol.EASE_LAMBDAS_KEY).forEach(l -> lambdas.add(l.asDouble()));
        return new Protocol(p.path("epochs").asInt(), p.path("patience").asInt(), lambdas,
                StudyProtocol.value(p, StudyProtocol.EASE_EDGE_STEPS_KEY).asInt(),
                StudyProtocol.value(p, StudyProtocol.VERSION_KEY).asInt());
    }

    /** {@code value}, or NaN for a column a cell leaves empty (e.g. active units of EASE). */
    static double nanIfNull(Number value) {
        return value == null ? Double.NaN : value.doubleValue();
    }
}
