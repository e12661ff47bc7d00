package dev.sparsecf.cli;

import dev.sparsecf.study.StudyProtocol;
import dev.sparsecf.render.Progress;
import dev.sparsecf.study.StudyCells;
import dev.sparsecf.study.StudyVariant;

import static dev.sparsecf.cli.MainTest.assertOneLineError;
import static dev.sparsecf.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.cli.MainTest.Outcome;
import dev.sparsecf.kernels.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The beta study on a reduced grid (one small dataset, two betas and EASE, one seed, few epochs), end to end. */
class BetaStudyCommandTest {

    private static final int TEST_USERS = 10;

    @TempDir
    Path tmp;

    private Path dataDir;
    private Path out;

    @BeforeEach
    void data() throws IOException {
        dataDir = ModelCommandsTest.writeSmallMl100k(tmp.resolve("data"));
        out = tmp.resolve("study");
    }

    /**
     * Runs sharing a study folder take turns by cell: a cell another run holds (its claim on the cell's folder under
     * {@code running/}) is left to it, the rest run, and a later run takes the cell once the claim is gone.
     */
    @Test
    void aCellAnotherRunHoldsIsLeftToIt() throws IOException {
        Path held = out.resolve("ml-100k").resolve("running").resolve("const-0-seed0");
        Files.createDirectories(held);
        try (dev.sparsecf.run.RunLock other = dev.sparsecf.run.RunLock.acquire(held)) {
            Outcome dry = study("--variants", "const-0,const-0.5", "--epochs", "2", "--patience", "0", "--dry-run");
            assertTrue(dry.err().contains("ml-100k: 0 of 2 cells done, 2 to run (1 under way in another run)"), dry.err());
            Outcome o = study("--variants", "const-0,const-0.5", "--epochs", "2", "--patience", "0");
            assertEquals(0, o.code(), o.err());
            assertTrue(o.err().contains("ml-100k seed 0 const-0: under way in another run, left to it"), o.err());
            assertEquals(List.of("const-0.5"), List.copyOf(cells().keySet()), "only the free cell ran");
            assertTrue(o.err().contains("[1/1] ml-100k seed 0 const-0.5: test NDCG@100"), o.err());
        }
        Outcome later = study("--variants", "const-0,const-0.5", "--epochs", "2", "--patience", "0");
        assertEquals(0, later.code(), later.err());
        assertEquals(List.of("const-0", "const-0.5"), cells().keySet().stream().sorted().toList());
        try (var left = Files.list(out.resolve("ml-100k").resolve("running"))) {
            assertEquals(List.of(), left.toList(), "a finished cell's folder is removed, its claim's lock file too");
        }
    }

    /**
     * The sweep, then the matched grid around its choice, whose centre the run fixes in {@code matched.json}; a later
     * run with a second seed keeps that grid and plans its cells at once, before the sweep's second seed is done.
     */
    @Test
    void theMatchedGridFollowsTheSweepAndItsCentreIsKept() throws IOException {
        Outcome dry = study("--variants", "constant,matched", "--epochs", "1", "--patience", "0", "--dry-run");
        assertTrue(dry.err().contains("ml-100k: the matched per-user grid (up to 16 variants per seed) is planned once the"
                + " constant sweep is done"), dry.err());
        Outcome o = study("--variants", "constant,matched", "--epochs", "1", "--patience", "0");
        assertEquals(0, o.code(), o.err());
        Path fixed = out.resolve("ml-100k").resolve("matched.json");
        assertTrue(Files.exists(fixed), o.err());
        String line = o.err().lines().filter(l -> l.startsWith("ml-100k: validation chooses const-")).findFirst()
                .orElseThrow(() -> new AssertionError(o.err()));
        double centre = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fixed.toFile()).get("centre").asDouble();
        assertTrue(line.contains("matched grid at mean beta " + StudyVariant.number(centre) + " x {0.5, 1, 2}"), line);
        Map<String, StudyCells.Cell> cells = cells();
        for (double gamma : StudyVariant.MATCHED_EXPONENTS) {
            String id = gamma == 0 ? "const-" + StudyVariant.number(centre)
                    : "peruser-m" + StudyVariant.number(centre) + "-g" + StudyVariant.number(gamma);
            assertTrue(cells.containsKey(id), id + " ran: " + cells.keySet());
        }
        Outcome more = study(2, "--variants", "constant,matched", "--epochs", "1", "--patience", "0", "--dry-run");
        assertTrue(more.err().contains(line.substring(0, line.indexOf(" over ")) + " over 1 seeds)")
                && more.err().contains("(as matched.json fixed it)"), more.err());
        assertTrue(more.err().contains("ml-100k: " + cells.size() + " of " + 2 * cells.size() + " cells done"),
                more.err());
    }

    private Outcome study(String... extra) {
        return study(1, extra);
    }

    private Outcome study(int seeds, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("study", "beta", "--data", "ml-100k", "--data-dir", dataDir.toString(),
                "--seeds", Integer.toString(seeds), "--validation-users", "10", "--test-users", Integer.toString(TEST_USERS),
                "--lambda", "10,100", "--out", out.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private Map<String, StudyCells.Cell> cells() throws IOException {
        return StudyCells.read(out.resolve("ml-100k").resolve(StudyCells.FILE)).stream()
                .collect(Collectors.toMap(StudyCells.Cell::variant, Function.identity()));
    }

    @Test
    void reducedGridWritesRowsAndPerUserFilesAndResumes() throws IOException {
        Outcome first = study("--variants", "const-0,const-0.5,ease", "--epochs", "4", "--patience", "0");
        assertEquals(0, first.code(), first.err());
        Map<String, StudyCells.Cell> cells = cells();
        assertEquals(List.of("const-0", "const-0.5", "ease"), cells.keySet().stream().sorted().toList());
        StudyCells.Cell free = cells.get("const-0");
        StudyCells.Cell penalised = cells.get("const-0.5");
        for (StudyCells.Cell c : cells.values()) {
            assertEquals(TEST_USERS, c.testUsers(), c.toString());
            assertTrue(c.ndcg100() > 0 && c.ndcg100() <= 1 && c.recall20() <= c.recall50() + 1e-12, c.toString());
            assertEquals(0, c.seed());
        }
        assertEquals(4, free.epochs());
        assertEquals(0.0, free.meanBeta(), 0.0);
        assertEquals(0.5, penalised.meanBeta(), 1e-6);
        assertTrue(free.klMean() > penalised.klMean(), "a KL weight of 0.5 must shrink the KL: " + free + " vs " + penalised);
        assertTrue(free.activeUnits() >= 0 && free.activeUnits() <= 200, free.toString());
        // from the grid 10, 100 or up to 4 steps past its edge (the default): 10 / 10^k or 100 * 10^k
        double exponent = Math.log10(cells.get("ease").lambda());
        assertTrue(Math.abs(exponent - Math.rint(exponent)) < 1e-9 && exponent >= -3 && exponent <= 6, cells.get("ease").toString());

        Path dir = out.resolve("ml-100k");
        List<String> users = Files.readAllLines(dir.resolve("users").resolve("const-0.5__s0.csv"));
        assertEquals("user,clicks,recall20,recall50,ndcg100,kl", users.get(0));
        assertEquals(TEST_USERS + 1, users.size());
        double meanNdcg = users.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[4])).average().orElseThrow();
        assertEquals(penalised.ndcg100(), meanNdcg, 1e-6, "the row's NDCG@100 is the mean of the per-user values");
        assertEquals(200 + 1, Files.readAllLines(dir.resolve("latent").resolve("const-0__s0.csv")).size());
        assertEquals(4 + 1, Files.readAllLines(dir.resolve("history").resolve("const-0__s0.csv")).size());
        assertTrue(first.err().contains("[1/3] ml-100k seed 0 const-0: test NDCG@100 "), first.err());
        assertTrue(first.err().contains("; ETA for ml-100k: about "), first.err());
        assertTrue(first.err().contains("[3/3] ml-100k seed 0 ease: test NDCG@100 ") && first.err().contains("ETA for ml-100k: done\n"),
                "the last cell's ETA says the dataset is done: " + first.err());
        assertTrue(first.err().contains("\n    EASE lambda "), "the EASE cell reports each lambda it tries: " + first.err());

        // the report renders tables and plots from these rows
        Outcome report = run("study", "report", "--dir", out.toString());
        assertEquals(0, report.code(), report.err());
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("ml-100k") && readme.contains(String.format(java.util.Locale.ROOT, "%.4f", penalised.ndcg100())),
                "the README reports the measured NDCG@100 " + penalised.ndcg100() + ":\n" + readme);
        assertTrue(Files.size(dir.resolve("ndcg_vs_beta.svg")) > 0);

        // a restart skips finished cells
        String before = Files.readString(dir.resolve(StudyCells.FILE));
        Outcome again = study("--variants", "const-0,const-0.5,ease", "--epochs", "4", "--patience", "0");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("3 of 3 cells done, 0 to run"), again.err());
        assertEquals(before, Files.readString(dir.resolve(StudyCells.FILE)));

        // a cell whose row never got written (interrupted) runs again, and only that one
        StudyCells.write(dir.resolve(StudyCells.FILE), List.of(free, cells.get("ease")));
        Outcome resumed = study("--variants", "const-0,const-0.5,ease", "--epochs", "4", "--patience", "0");
        assertEquals(0, resumed.code(), resumed.err());
        // the missing Mult-VAE cell is estimated from the finished one of the same cost
        assertTrue(resumed.err().contains("2 of 3 cells done, 1 to run, about " + Progress.duration(free.trainSeconds())
                + "\n"), resumed.err());
        assertEquals(3, cells().size());
        assertEquals(free, cells().get("const-0"), "finished cells are kept as they were");

        // other settings on the same directory would mix incomparable rows
        Outcome other = study("--variants", "const-0", "--epochs", "5", "--patience", "0");
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("records other settings (epochs 4 there, 5 now)"), other.err());

        // a protocol written before the lambda edge search existed chose from the grid only: it resumes with 0 steps
        Path protocol = dir.resolve(StudyProtocol.FILE);
        String written = Files.readString(protocol);
        assertTrue(written.contains("\"" + StudyProtocol.EASE_EDGE_STEPS_KEY + "\" : 4"), written);
        Files.writeString(protocol, written.replaceAll("\\s*\"" + StudyProtocol.EASE_EDGE_STEPS_KEY + "\" : 4,", ""));
        Outcome legacy = study("--variants", "const-0,const-0.5,ease", "--epochs", "4", "--patience", "0");
        assertEquals(2, legacy.code(), legacy.err());
        assertTrue(legacy.err().contains("records other settings (" + StudyProtocol.EASE_EDGE_STEPS_KEY
                + " 0 (recorded before the setting existed) there, 4 now)"), legacy.err());
        assertTrue(legacy.err().contains("or rerun its EASE cells with the new ones: --redo ease"), legacy.err());
        Outcome gridOnly = study("--variants", "const-0,const-0.5,ease", "--epochs", "4", "--patience", "0",
                "--lambda-edge-steps", "0");
        assertEquals(0, gridOnly.code(), gridOnly.err());
        assertTrue(gridOnly.err().contains("3 of 3 cells done, 0 to run"), gridOnly.err());

        // --redo ease reruns the EASE cell under the new EASE settings and records them; the other rows stay
        Outcome dry = study("--variants", "const-0,const-0.5,ease", "--epochs", "4", "--patience", "0", "--redo", "ease",
                "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.err().contains("ml-100k: would discard 1 finished cell(s) to run again (--redo): ease seed 0"), dry.err());
        // the discarded cell's time estimates its rerun
        assertTrue(dry.err().contains("2 of 3 cells done, 1 to run, about "
                + Progress.duration(cells().get("ease").trainSeconds()) + "\n"), dry.err());
        assertEquals(3, cells().size(), "a dry run discards nothing");
        Outcome redo = study("--variants", "const-0,const-0.5,ease", "--epochs", "4", "--patience", "0", "--redo", "ease");
        assertEquals(0, redo.code(), redo.err());
        assertTrue(redo.err().contains("ml-100k: discarding 1 finished cell(s) to run again (--redo): ease seed 0"), redo.err());
        assertTrue(Files.readString(protocol).contains("\"" + StudyProtocol.EASE_EDGE_STEPS_KEY + "\" : 4"));
        assertEquals(3, cells().size());
        assertEquals(free, cells().get("const-0"), "cells not redone are kept as they were");
        assertTrue(Files.exists(dir.resolve("users").resolve("ease__s0.csv")));
        Outcome resumed2 = study("--variants", "const-0,const-0.5,ease", "--epochs", "4", "--patience", "0");
        assertEquals(0, resumed2.code(), resumed2.err());
        assertTrue(resumed2.err().contains("3 of 3 cells done, 0 to run"), resumed2.err());
        // a setting the Mult-VAE cells share cannot change by redoing some of them
        Outcome notScoped = study("--variants", "const-0,const-0.5,ease", "--epochs", "5", "--patience", "0", "--redo", "const-0");
        assertEquals(2, notScoped.code(), notScoped.err());
        assertTrue(notScoped.err().contains("records other settings (epochs 4 there, 5 now)"), notScoped.err());
        assertEquals(3, cells().size(), "a refused run discards nothing");
        // nor when only a later dataset's settings differ (and a cell finished under them there)
        Path other2 = out.resolve("synthetic-0.05");
        Files.createDirectories(other2);
        Files.writeString(other2.resolve(StudyProtocol.FILE), "{\"epochs\": 99}\n");
        StudyCells.write(other2.resolve(StudyCells.FILE), List.of(free));
        Outcome laterRefused = run("study", "beta", "--data", "ml-100k,synthetic:0.05", "--data-dir", dataDir.toString(),
                "--seeds", "1", "--validation-users", "10", "--test-users", Integer.toString(TEST_USERS), "--lambda", "10,100",
                "--out", out.toString(), "--variants", "const-0,const-0.5,ease", "--epochs", "4", "--patience", "0",
                "--redo", "ease");
        assertEquals(2, laterRefused.code(), laterRefused.err());
        assertTrue(laterRefused.err().contains(other2.resolve(StudyProtocol.FILE) + " records other settings"),
                laterRefused.err());
        assertEquals(3, cells().size(), "ml-100k's EASE cell is kept when the run is refused");
        assertTrue(Files.exists(dir.resolve("users").resolve("ease__s0.csv")));
    }

    @Test
    void seedsShareOneSplitAndTheClosedFormsRunOnce() throws IOException {
        // a file of pairs (user, item, rating, time; tab-separated, no header) works as a dataset does
        Path file = tmp.resolve("my-clicks.tsv");
        Files.copy(dataDir.resolve("ml-100k").resolve("u.data"), file);
        Outcome o = run("study", "beta", "--data", file.toString(), "--seeds", "2", "--validation-users", "10",
                "--test-users", Integer.toString(TEST_USERS), "--variants", "const-0.5,edlae,dlae", "--epochs", "3",
                "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        List<StudyCells.Cell> rows = StudyCells.read(out.resolve("my-clicks").resolve(StudyCells.FILE));
        assertEquals(List.of("const-0.5 0", "const-0.5 1", "edlae 0", "dlae 0"),
                rows.stream().map(c -> c.variant() + " " + c.seed()).toList(), "closed forms are deterministic: one seed");
        assertEquals(1, rows.stream().map(StudyCells.Cell::splitFingerprint).distinct().count(),
                "every cell, whatever its training seed, uses the split of --split-seed");
        assertTrue(rows.get(0).ndcg100() != rows.get(1).ndcg100() || rows.get(0).klMean().doubleValue() != rows.get(1).klMean(),
                "two training seeds train two different models: " + rows);
        for (StudyCells.Cell c : rows) {
            assertTrue(c.validationNdcg() > 0 && c.validationNdcg() <= 1, c.toString());
            if (c.family().equals("constant")) {
                assertEquals(3, c.epochs(), "200 epochs is only the default, and no early stop: " + c);
            }
        }
        // the closed forms chose an L2 weight of the grid and dropout odds from the grid {1/8, ..., 2} or reached from
        // it by halving and doubling (past an edge, or around the odds the L2 weight before chose): a power of two
        for (StudyCells.Cell c : rows.subList(2, 4)) {
            double log2 = Math.log(c.lambda()) / Math.log(2);
            assertTrue(Math.abs(log2 - Math.rint(log2)) < 1e-9, c.toString());
            assertTrue(java.util.Arrays.stream(StudyVariant.DLAE_L2).anyMatch(w -> w == c.l2()), c.toString());
        }
        String protocol = Files.readString(out.resolve("my-clicks").resolve(StudyProtocol.FILE));
        assertTrue(protocol.contains("\"" + StudyProtocol.VERSION_KEY + "\" : " + StudyProtocol.VERSION)
                && protocol.contains("\"splitSeed\" : 0") && protocol.contains("\"patience\" : 0"), protocol);
    }

    /**
     * A closed-form setting added to the protocol later (EDLAE's L2 weights; a file without it implies [0]) is
     * recorded without --redo while no closed-form row exists, since nothing would mix; once one does, it needs --redo.
     */
    @Test
    void closedFormSettingsMayChangeWhileNoClosedFormRowExists() throws IOException {
        Path protocol = out.resolve("ml-100k").resolve(StudyProtocol.FILE);
        assertEquals(0, study("--variants", "const-0", "--epochs", "2").code());
        String key = "\"" + StudyProtocol.DLAE_L2_KEY + "\"";
        String older = Files.readString(protocol).replaceAll("\\s*" + key + " : \\[[^]]*],", "");
        assertFalse(older.contains(key), older);
        Files.writeString(protocol, older);
        Outcome vaeOnly = study("--variants", "const-0", "--epochs", "2");
        assertEquals(0, vaeOnly.code(), vaeOnly.err());
        assertTrue(vaeOnly.err().contains("ml-100k: EASE settings change (" + StudyProtocol.DLAE_L2_KEY
                + " [0.0] (recorded before the setting existed) there, ["), vaeOnly.err());
        assertTrue(Files.readString(protocol).contains(key), "recorded");

        assertEquals(0, study("--variants", "const-0,dlae", "--epochs", "2").code());
        Files.writeString(protocol, older);
        Outcome refused = study("--variants", "const-0", "--epochs", "2");
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("or rerun its EASE cells with the new ones: --redo ease"), refused.err());
        Outcome redo = study("--variants", "const-0,dlae", "--epochs", "2", "--redo", "dlae");
        assertEquals(0, redo.code(), redo.err());
        assertTrue(redo.err().contains("discarding 1 finished cell(s) to run again (--redo): dlae seed 0"), redo.err());
    }

    /** A protocol under which no cell finished binds nothing: a run with other settings records its own. */
    @Test
    void settingsWithoutAFinishedCellMayChange() throws IOException {
        Path protocol = out.resolve("ml-100k").resolve(StudyProtocol.FILE);
        Files.createDirectories(protocol.getParent());
        Files.writeString(protocol, "{\"epochs\": 99, \"patience\": 7}\n");
        Outcome o = study("--variants", "const-0", "--epochs", "2", "--patience", "ml-100k=1");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("ml-100k: settings change (") && o.err().contains("epochs 99 there, 2 now")
                && o.err().contains("patience 7 there, 1 now") && o.err().contains("no cell has finished under the old ones"),
                o.err());
        String now = Files.readString(protocol);
        assertTrue(now.contains("\"epochs\" : 2") && now.contains("\"patience\" : 1"), now);
        Outcome bound = study("--variants", "const-0", "--epochs", "3");
        assertEquals(2, bound.code(), "a finished cell binds the dataset to its settings: " + bound.err());
        assertTrue(bound.err().contains("records other settings (epochs 2 there, 3 now"), bound.err());
    }

    @Test
    void perDatasetValuesOverrideThePlainOne() {
        List<String> specs = List.of("200", "amazon-book=50", "citeulike-t = 100");
        assertEquals(200, BetaStudyCommand.perDataset("--epochs", specs, "ml-1m", 1));
        assertEquals(50, BetaStudyCommand.perDataset("--epochs", specs, "amazon-book", 1));
        assertEquals(100, BetaStudyCommand.perDataset("--epochs", specs, "citeulike-t", 1));
        assertEquals(0, BetaStudyCommand.perDataset("--patience", List.of("lastfm=20", "0"), "ml-1m", 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BetaStudyCommand.perDataset("--patience", List.of("lastfm=-1"), "lastfm", 0));
        assertEquals("--patience: expected N or NAME=N with N >= 0, got 'lastfm=-1'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BetaStudyCommand.perDataset("--epochs", List.of("lastfm=20"), "ml-1m", 1));
        assertEquals("--epochs gives no value for ml-1m; add a plain N for all datasets", e.getMessage());
    }

    @Test
    void aDatasetsOwnPatienceIsRecordedInItsProtocol() throws IOException {
        Outcome o = study("--variants", "const-0.5", "--epochs", "3", "--patience", "0,ml-100k=1");
        assertEquals(0, o.code(), o.err());
        String protocol = Files.readString(out.resolve("ml-100k").resolve(StudyProtocol.FILE));
        assertTrue(protocol.contains("\"patience\" : 1,"), protocol);
        StudyCells.Cell c = cells().get("const-0.5");
        assertTrue(c.epochs() <= 3 && (c.epochs() == 3 || c.epochs() == c.bestEpoch() + 1), c.toString());
        Outcome other = study("--variants", "const-0.5", "--epochs", "3", "--patience", "0");
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("records other settings"), other.err());
    }

    @Test
    void neighboursFitTheEaseCellsAsNeighbourhoodEaseAndAreRecorded() throws IOException {
        Outcome o = study("--variants", "ease", "--neighbors", "5");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("EASE: sparse Gram") && o.err().contains(" neighbours (K = 5) in "), o.err());
        assertEquals(List.of("ease"), List.copyOf(cells().keySet()));
        String protocol = Files.readString(out.resolve("ml-100k").resolve(StudyProtocol.FILE));
        assertTrue(protocol.contains("\"" + StudyProtocol.EASE_NEIGHBOURS_KEY + "\" : 5"), protocol);
        // a dense EASE cell is not comparable with it: the run stops, and --redo ease refits it dense
        Outcome mixed = study("--variants", "ease");
        assertEquals(Main.USAGE_ERROR, mixed.code(), mixed.err());
        assertTrue(mixed.err().contains("(easeNeighbours 5 there, 0 now): rerun with the recorded settings"), mixed.err());
        Outcome dense = study("--variants", "ease", "--redo", "ease");
        assertEquals(0, dense.code(), dense.err());
        assertTrue(!dense.err().contains("EASE: sparse Gram"), dense.err());
        assertTrue(Files.readString(out.resolve("ml-100k").resolve(StudyProtocol.FILE))
                .contains("\"" + StudyProtocol.EASE_NEIGHBOURS_KEY + "\" : 0"));
    }

    @Test
    void userMistakesAreOneLineErrors() {
        assertOneLineError("--neighbors must be >= 1, got 0", "study", "beta", "--data", "ml-100k", "--variants", "ease",
                "--neighbors", "0", "--out", tmp.toString());
        assertOneLineError("--variants: unknown variant 'const-7'", "study", "beta", "--data", "ml-100k", "--variants", "const-7",
                "--out", tmp.toString());
        assertOneLineError("--seeds must be >= 1", "study", "beta", "--data", "ml-100k", "--seeds", "0", "--out", tmp.toString());
        assertOneLineError("--data: 'nope' is neither a dataset", "study", "beta", "--data", "ml-1m,nope", "--out", tmp.toString());
        assertOneLineError("--redo: ease is not among the variants this run plans; add it to --variants", "study", "beta",
                "--data", "ml-100k", "--variants", "constant", "--redo", "ease", "--out", tmp.toString());
    }

    @Test
    void aDatasetsCellsKeepTheKernelsTheFirstRunRecorded() throws IOException {
        Outcome first = study("--variants", "const-0", "--epochs", "2");
        assertEquals(0, first.code(), first.err());
        Path dir = out.resolve("ml-100k");
        Kernels kernels = Kernels.get();
        String recorded = Files.readString(dir.resolve("compute.json"));
        assertTrue(recorded.contains("\"kernels\" : \"" + kernels.implementationName() + "\"")
                && recorded.contains("\"dense\" : \"" + kernels.denseImplementationName() + "\"")
                && recorded.contains("\"threads\" : " + kernels.threads())
                && recorded.contains("\"blas\" : \"" + kernels.blas().name() + "\""), recorded);

        // a run whose kernels differ from the recorded ones (here: the record names the other sparse kernels) stops, changing nothing
        String otherKernels = kernels.implementationName().equals("scalar") ? "panama" : "scalar";
        Files.writeString(dir.resolve("compute.json"), recorded.replace("\"kernels\" : \"" + kernels.implementationName(),
                "\"kernels\" : \"" + otherKernels));
        String cells = Files.readString(dir.resolve(StudyCells.FILE));
        String journal = Files.readString(out.resolve("study.json"));
        Outcome other = study("--variants", "const-0,const-0.5", "--epochs", "2");
        assertEquals(2, other.code(), other.err());
        assertEquals(1, other.err().lines().filter(l -> l.contains("compute.json")).count(), other.err());
        assertTrue(other.err().contains("computed with kernels " + otherKernels + ", dense ")
                && other.err().contains("rerun with --kernels " + otherKernels + " --blas "), other.err());
        assertEquals(cells, Files.readString(dir.resolve(StudyCells.FILE)));
        assertEquals(journal, Files.readString(out.resolve("study.json")));

        // a directory whose cells predate the record gets it from the next run, which says so
        Files.delete(dir.resolve("compute.json"));
        Outcome later = study("--variants", "const-0,const-0.5", "--epochs", "2");
        assertEquals(0, later.code(), later.err());
        assertTrue(later.err().contains("ml-100k: recording kernels " + kernels.implementationName()) && later.err().contains(
                "the 1 cell(s) before it have theirs per run in study.json only"), later.err());
        assertEquals(recorded, Files.readString(dir.resolve("compute.json")));
    }
}
