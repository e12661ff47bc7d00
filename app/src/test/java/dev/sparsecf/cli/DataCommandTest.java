package dev.sparsecf.cli;

import static dev.sparsecf.cli.MainTest.assertOneLineError;
import static dev.sparsecf.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.cli.MainTest.Outcome;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Dataset;
import dev.sparsecf.data.DatasetStats;
import dev.sparsecf.data.Datasets;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.kernels.BlasProvider;
import dev.sparsecf.kernels.KernelProvider;
import dev.sparsecf.kernels.KernelThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sparsecf data stats|split} and the common options, on generated data and small files written here. */
class DataCommandTest {

    /** Small enough to generate in milliseconds: 137 users, about 11k clicks. */
    private static final String SYNTHETIC = "synthetic:0.001";

    @TempDir
    Path tmp;

    /** A data directory holding ml-100k/u.data with {@code lines}. */
    private Path dataDirWithMl100k(String... lines) throws IOException {
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir.resolve("ml-100k"));
        Files.writeString(dir.resolve("ml-100k").resolve("u.data"), String.join("\n", lines) + "\n");
        return dir;
    }

    /** A failure after some progress lines: the code, the error as the last stderr line, no stack trace. */
    static void assertLastLineError(int code, String expected, Outcome o) {
        assertEquals(code, o.code(), o.err());
        List<String> lines = o.err().lines().toList();
        assertTrue(lines.getLast().contains(expected), "'" + expected + "' in: " + o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace without --debug: " + o.err());
    }

    @Test
    void badCommonOptionsAreOneLineUsageErrors() {
        assertOneLineError("sparsecf data: missing command (one of stats, split, synth)", "data");
        assertOneLineError("Invalid value for option '--kernels'", "data", "stats", "--data", SYNTHETIC, "--kernels", "fast");
        assertOneLineError("Invalid value for option '--blas'", "data", "stats", "--data", SYNTHETIC, "--blas", "atlas");
        assertOneLineError("--threads must be >= 1, got 0", "data", "stats", "--data", SYNTHETIC, "--threads", "0");
        assertOneLineError("'many'", "data", "stats", "--data", SYNTHETIC, "--threads", "many");
        assertOneLineError("'x' is not a long", "data", "stats", "--data", SYNTHETIC, "--seed", "x");
        Path absent = tmp.resolve("absent");
        assertOneLineError("--data-dir " + absent + " is not a directory (it does not exist)",
                "data", "stats", "--data", SYNTHETIC, "--data-dir", absent.toString());
        assertOneLineError("Missing required option: '--data=NAME|FILE'", "data", "stats");
        assertOneLineError("Missing required option: '--out=DIR'", "data", "split", "--data", SYNTHETIC);
    }

    @Test
    void badSplitOptionsAreOneLineUsageErrors() {
        assertOneLineError("'--test-users': expected a user count >= 0 or auto, got '-3'",
                "data", "stats", "--data", SYNTHETIC, "--split", "--test-users", "-3");
        assertOneLineError("'--validation-users': expected a user count >= 0 or auto, got 'ten'",
                "data", "stats", "--data", SYNTHETIC, "--split", "--validation-users", "ten");
        assertOneLineError("--validation-users/--test-users need --split",
                "data", "stats", "--data", SYNTHETIC, "--test-users", "3");
        assertOneLineError("split takes one dataset", "data", "split", "--data", SYNTHETIC + ",ml-1m",
                "--out", tmp.resolve("out").toString());
    }

    @Test
    void unknownDatasetListsTheKnownOnesBeforeLoadingAnything() {
        // the unknown name comes second; one stderr line means the first was not even loaded
        assertOneLineError("--data: 'movielens' is neither a dataset (" + Dataset.ids() + ") nor a file",
                "data", "stats", "--data", SYNTHETIC + ",movielens");
        assertOneLineError("'nope' is neither a dataset", "data", "split", "--data", "nope", "--out", tmp.toString());
    }

    @Test
    void badDatasetParameterIsAUsageError() {
        assertLastLineError(Main.USAGE_ERROR, "--data: bad synthetic scale in 'synthetic:big'",
                run("data", "stats", "--data", "synthetic:big"));
        assertLastLineError(Main.USAGE_ERROR, "dataset 'ml-1m' takes no parameter",
                run("data", "stats", "--data", "ml-1m:2", "--data-dir", tmp.toString()));
    }

    @Test
    void tooManyHeldOutUsersIsAUsageError() {
        assertLastLineError(Main.USAGE_ERROR, "100 validation + 100 test users leave no training users",
                run("data", "stats", "--data", SYNTHETIC, "--split", "--validation-users", "100", "--test-users", "100"));
    }

    @Test
    void helpNamesEveryDataset() {
        Outcome o = run("data", "stats", "--help");
        assertEquals(0, o.code(), o.err());
        String help = o.out().replaceAll("\\s+", " ");
        for (Dataset d : Dataset.values()) {
            assertTrue(help.contains(" " + d.id()), d.id() + " in: " + o.out());
        }
    }

    @Test
    void commonOptionsBecomeTheKernelProperties() {
        DataStatsCommand given = new DataStatsCommand();
        new CommandLine(given).setCaseInsensitiveEnumValuesAllowed(true)
                .parseArgs("--data", SYNTHETIC, "--kernels", "SCALAR", "--blas", "java", "--threads", "3");
        assertEquals(Map.of(KernelProvider.IMPL_PROPERTY, "scalar", BlasProvider.BLAS_PROPERTY, "java",
                KernelThreads.THREADS_PROPERTY, "3"), given.common.systemProperties());
        assertEquals(CommonOptions.DEFAULT_SEED, given.common.seed);

        DataStatsCommand defaults = new DataStatsCommand();
        new CommandLine(defaults).parseArgs("--data", SYNTHETIC);
        assertEquals(Map.of(), defaults.common.systemProperties(), "without the options the JVM's own flags apply");
    }

    @Test
    void applySetsTheProperties() {
        DataStatsCommand cmd = new DataStatsCommand();
        new CommandLine(cmd).parseArgs("--data", SYNTHETIC, "--threads", "7");
        String before = System.getProperty(KernelThreads.THREADS_PROPERTY);
        try {
            cmd.common.apply();
            assertEquals(7, KernelThreads.configuredThreads());
        } finally {
            if (before == null) {
                System.clearProperty(KernelThreads.THREADS_PROPERTY);
            } else {
                System.setProperty(KernelThreads.THREADS_PROPERTY, before);
            }
        }
    }

    @Test
    void choicesAreTheProvidersVocabulary() {
        for (CommonOptions.KernelsChoice c : CommonOptions.KernelsChoice.values()) {
            assertDoesNotThrow(() -> KernelProvider.forName(c.id(), msg -> { }), c.id());
        }
        // auto falls back rather than fail; a forced native tier may fail to load, but never as an unknown value
        for (CommonOptions.BlasChoice c : CommonOptions.BlasChoice.values()) {
            try {
                BlasProvider.forName(c.id(), 1, KernelProvider.scalar(), msg -> { });
            } catch (IllegalStateException e) {
                assertTrue(c == CommonOptions.BlasChoice.OPENBLAS || c == CommonOptions.BlasChoice.DNNL
                        || c == CommonOptions.BlasChoice.MKL,
                        "only a forced native tier may fail to load: " + e);
            }
        }
    }

    @Test
    void statsOfAFileCountTheBinarisedPositives() throws IOException {
        // ratings >= 4 are positives: (1, 10), (1, 11), (2, 10); user 3 has none and is dropped, item 12 too
        Path dir = dataDirWithMl100k("1\t10\t5\t0", "1\t11\t4\t0", "1\t12\t3\t0", "2\t10\t4\t0", "2\t13\t2\t0", "3\t12\t1\t0");
        Outcome o = run("data", "stats", "--data", "ml-100k", "--data-dir", dir.toString());
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals("ml-100k (rating >= 4): 2 users, 2 items, 3 interactions, density 75.0000%", lines.get(0));
        // both distributions are {1, 2}: Gini = ((2*1-3)*1 + (2*2-3)*2) / (2 * 3) = 1/6
        assertEquals("  items per user: min 1, q1 1.3, median 1.5, q3 1.8, mean 1.50, max 2, Gini 0.167", lines.get(1));
        assertEquals("  users per item: min 1, q1 1.3, median 1.5, q3 1.8, mean 1.50, max 2, Gini 0.167", lines.get(2));
        assertEquals(3, lines.size(), o.out());
        assertTrue(o.err().contains("loading ml-100k from " + dir.toAbsolutePath()), o.err());
        assertTrue(o.err().matches("(?s).*loaded ml-100k \\(rating >= 4\\): 3 positives in \\d+\\.\\d\\d s\n.*"), o.err());
    }

    @Test
    void statsReportRepeatedPairsMergedAndTheRule() throws IOException {
        // (1, 10) rated 5 then 2: the highest value keeps it a positive
        Path dir = dataDirWithMl100k("1\t10\t5\t0", "1\t11\t4\t0", "1\t10\t2\t0");
        Outcome o = run("data", "stats", "--data", "ml-100k", "--data-dir", dir.toString());
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertTrue(lines.get(0).startsWith("ml-100k (rating >= 4): 1 users, 2 items, 2 interactions"), o.out());
        assertEquals("  repeated pairs merged: 1 (a repeated pair keeps its highest value)", lines.get(3));
        assertTrue(o.err().contains("loaded ml-100k (rating >= 4): 2 positives; repeated pairs merged: 1"
                + " (a repeated pair keeps its highest value) in "), o.err());
    }

    @Test
    void statsOfAnEmptyFileSayTheFileIsEmpty() throws IOException {
        Path dir = dataDirWithMl100k();
        Path file = dir.resolve("ml-100k").resolve("u.data");
        Files.writeString(file, "");
        Outcome o = run("data", "stats", "--data", "ml-100k", "--data-dir", dir.toString());
        assertLastLineError(Main.FAILURE, file + " is empty", o);
        assertFalse(o.err().contains("binarise"), o.err());
    }

    @Test
    void anEmptyFileOfADatasetWithoutRatingsIsEmptyToo() throws IOException {
        Path dir = tmp.resolve("empty-citeulike");
        Path file = Files.createDirectories(dir.resolve("citeulike-a")).resolve("users.dat");
        Files.writeString(file, "");
        assertLastLineError(Main.FAILURE, file + " is empty",
                run("data", "stats", "--data", "citeulike-a", "--data-dir", dir.toString()));
    }

    @Test
    void statsWithSplitPrintTheSplitOfTheSeedAndCounts() throws IOException {
        Interactions x = Datasets.load(SYNTHETIC, tmp);
        String stats = DatasetStats.of(x).format();
        Outcome o = run("data", "stats", "--data", SYNTHETIC, "--split", "--seed", "5",
                "--validation-users", "11", "--test-users", "auto");
        assertEquals(0, o.code(), o.err());
        DataSplit expected = DataSplit.create(x, SplitConfig.defaults(5).withHeldOutUsers(11, SplitConfig.AUTO));
        assertEquals(stats + "split: " + expected.summary(), o.out());
        assertTrue(o.out().contains("seed 5; 11 validation + " + SplitConfig.defaultHeldOutUsers(x.numUsers())
                + " test users held out"), o.out());
        assertTrue(o.err().contains("splitting " + x.source() + " (split seed 5) ..."), o.err());

        Outcome other = run("data", "stats", "--data", SYNTHETIC, "--split", "--seed", "6");
        assertEquals(0, other.code(), other.err());
        assertNotEquals(o.out(), other.out(), "the seed decides the split");
    }

    @Test
    void statsOfSeveralDatasetsInTheGivenOrder() throws IOException {
        Path dir = dataDirWithMl100k("1\t10\t5\t0");
        Outcome o = run("data", "stats", "--data", SYNTHETIC + ",ml-100k", "--data-dir", dir.toString());
        assertEquals(0, o.code(), o.err());
        String synthetic = DatasetStats.of(Datasets.load(SYNTHETIC, dir)).format();
        String ml100k = DatasetStats.of(Datasets.load("ml-100k", dir)).format();
        assertEquals(synthetic + "\n" + ml100k, o.out());
    }

    @Test
    void malformedFileIsOneLineNamingFileAndLine() throws IOException {
        Path dir = dataDirWithMl100k("1\t10\t5\t0", "1\t11\tfive\t0");
        Path file = dir.resolve("ml-100k").resolve("u.data");
        Outcome o = run("data", "stats", "--data", "ml-100k", "--data-dir", dir.toString());
        assertLastLineError(Main.FAILURE, file + ":2: value 'five' is not a number", o);
        assertEquals("", o.out());
        Outcome debug = run("data", "stats", "--data", "ml-100k", "--data-dir", dir.toString(), "--debug");
        assertEquals(Main.FAILURE, debug.code());
        assertTrue(debug.err().contains("MalformedDataException") && debug.err().contains("\tat "), debug.err());
    }

    @Test
    void missingDatasetSaysWhereItLooked() {
        Outcome o = run("data", "stats", "--data", "lastfm", "--data-dir", tmp.toString());
        assertLastLineError(Main.FAILURE, "dataset 'lastfm' not found: looked for "
                + tmp.resolve("lastfm-hetrec2011").resolve("user_artists.dat"), o);
    }

    @Test
    void splitExportsAndPrintsTheFingerprint() throws IOException, NoSuchAlgorithmException {
        Path out = tmp.resolve("new").resolve("split");
        Outcome o = run("data", "split", "--data", SYNTHETIC, "--out", out.toString(), "--seed", "3");
        assertEquals(0, o.code(), o.err());
        byte[] sums = Files.readAllBytes(out.resolve(DataSplit.CHECKSUM_FILE));
        String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sums));
        assertTrue(o.out().contains("fingerprint (SHA-256 of SHA256SUMS): " + fingerprint + "\n"), o.out());

        DataSplit expected = DataSplit.create(Datasets.load(SYNTHETIC, tmp), SplitConfig.defaults(3));
        assertTrue(o.out().startsWith(expected.summary()), o.out());
        DataSplit read = DataSplit.read(out); // verifies every checksum
        assertEquals(expected.train().size(), read.train().size());
        assertEquals(expected.test().users(), read.test().users());
        assertTrue(o.err().contains("wrote " + out + " in "), o.err());
    }

    @Test
    void splitNeverWritesIntoANonEmptyDirectoryWithoutForce() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("mine"));
        Path mine = Files.writeString(out.resolve(DataSplit.TRAIN_FILE), "my own notes\n");
        // refused before anything is loaded: the error is the only stderr line
        assertOneLineError("--out " + out + " is not empty (1 entry)", "data", "split", "--data", SYNTHETIC, "--out", out.toString());
        assertEquals("my own notes\n", Files.readString(mine));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(1, files.count(), "nothing written");
        }

        Outcome forced = run("data", "split", "--data", SYNTHETIC, "--out", out.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(forced.err().contains("--force: writing into " + out), forced.err());
        assertNotEquals("my own notes\n", Files.readString(mine), "--force replaces files of the split's names");
        assertDoesNotThrow(() -> DataSplit.read(out));
    }

    @Test
    void splitRefusesAFileAsOutput() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "keep\n");
        assertOneLineError("--out " + file + " exists and is not a directory",
                "data", "split", "--data", SYNTHETIC, "--out", file.toString(), "--force");
        assertEquals("keep\n", Files.readString(file));
    }
}
