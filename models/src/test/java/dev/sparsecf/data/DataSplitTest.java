package dev.sparsecf.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSplitTest {

    private static final int USERS = 400;
    private static final int LIGHT_USERS = 10; // users with 1..4 items, below Liang's minimum of 5

    /**
     * Seeded clicks with string ids: 400 users from the synthetic generator, 10 light users with fewer than 5
     * items, and item "rare" that only user "u-0" has.
     */
    private static Interactions sample() {
        Interactions.Builder b = Interactions.builder("sample");
        try (CsrMatrix m = SyntheticClicks.generate(USERS, 150, 12, 42)) {
            for (int u = 0; u < m.rows(); u++) {
                for (int p = m.rowStart(u); p < m.rowEnd(u); p++) {
                    b.add("u-" + u, "item-" + m.col(p));
                }
            }
        }
        for (int u = 0; u < LIGHT_USERS; u++) {
            for (int i = 0; i <= u % 4; i++) {
                b.add("light-" + u, "item-" + i);
            }
        }
        b.add("u-0", "rare");
        return b.build();
    }

    /** The (user id, item id) pairs of a part, as "user item" strings. */
    private static Set<String> pairs(Interactions x) {
        Set<String> out = new HashSet<>();
        for (int u = 0; u < x.numUsers(); u++) {
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                out.add(x.users().id(u) + " " + x.items().id(x.item(p)));
            }
        }
        return out;
    }

    @Test
    void usersAreSplitIntoDisjointSetsOfTheRequestedSizes() {
        Interactions data = sample();
        DataSplit s = DataSplit.create(data, SplitConfig.defaults(7).withHeldOutUsers(40, 30));
        Set<String> train = new HashSet<>(s.train().users().ids());
        Set<String> validation = new HashSet<>(s.validation().users().ids());
        Set<String> test = new HashSet<>(s.test().users().ids());
        assertEquals(USERS - 70, train.size());
        assertEquals(40, validation.size());
        assertEquals(30, test.size());
        Set<String> all = new HashSet<>(train);
        all.addAll(validation);
        all.addAll(test);
        assertEquals(USERS, all.size(), "a user is in two sets");
        // exactly the users with >= 5 items take part: the generator's 400, none of the light users
        for (String u : data.users().ids()) {
            boolean eligible = data.count(data.users().index(u)) >= 5;
            assertEquals(eligible, all.contains(u), u);
        }
    }

    @Test
    void itemsAreTheTrainingUsersItemsAndHeldOutUsersKeepOnlyThose() {
        Interactions data = sample();
        for (long seed = 0; seed < 8; seed++) {
            DataSplit s = DataSplit.create(data, SplitConfig.defaults(seed).withHeldOutUsers(40, 40));
            Set<String> trainItems = new TreeSet<>();
            pairs(s.train()).forEach(p -> trainItems.add(p.split(" ")[1]));
            assertEquals(trainItems, new TreeSet<>(s.items().ids()), "seed " + seed);
            // "rare" belongs to u-0 only, so it is a column exactly when u-0 trains
            assertEquals(s.train().users().contains("u-0"), s.items().contains("rare"), "seed " + seed);
            for (DataSplit.HeldOut h : List.of(s.validation(), s.test())) {
                assertEquals(s.items(), h.foldIn().items());
                assertEquals(s.items(), h.eval().items());
            }
        }
    }

    @Test
    void foldInAndEvaluationItemsPartitionEachHeldOutUsersTrainingItems() {
        Interactions data = sample();
        DataSplit s = DataSplit.create(data, SplitConfig.defaults(3).withHeldOutUsers(50, 50));
        Set<String> trainItems = new HashSet<>(s.items().ids());
        for (DataSplit.HeldOut h : List.of(s.validation(), s.test())) {
            for (int u = 0; u < h.users().size(); u++) {
                String user = h.users().id(u);
                Set<String> expected = new HashSet<>();
                int row = data.users().index(user);
                for (int p = data.rowStart(row); p < data.rowEnd(row); p++) {
                    String item = data.items().id(data.item(p));
                    if (trainItems.contains(item)) {
                        expected.add(item);
                    }
                }
                Set<String> foldIn = ids(h.foldIn(), u);
                Set<String> eval = ids(h.eval(), u);
                Set<String> union = new HashSet<>(foldIn);
                union.addAll(eval);
                assertEquals(foldIn.size() + eval.size(), union.size(), user + ": fold-in and evaluation items overlap");
                assertEquals(expected, union, user + ": fold-in + evaluation is not the user's training items");
                // Liang: floor(0.2 n) evaluation items, at least 1, when n >= 5; else all items are fold-in
                int n = expected.size();
                int want = n >= 5 ? Math.max(1, (int) (0.2 * n)) : 0;
                assertEquals(want, eval.size(), user + " with " + n + " items");
            }
        }
    }

    private static Set<String> ids(Interactions x, int u) {
        Set<String> out = new HashSet<>();
        for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
            out.add(x.items().id(x.item(p)));
        }
        return out;
    }

    @Test
    void evaluationItemsAreSpreadOverTheUsersItems() {
        // each of a user's n items is evaluated with probability floor(0.2 n)/n; over 100 held-out users every
        // position of a 10-item user (2 of 10 evaluated) should be picked about 20 times, not always the first ones
        Interactions.Builder b = Interactions.builder("uniform");
        for (int u = 0; u < 300; u++) {
            for (int i = 0; i < 10; i++) {
                b.add(Integer.toString(u), Integer.toString(i));
            }
        }
        DataSplit s = DataSplit.create(b.build(), SplitConfig.defaults(11).withHeldOutUsers(50, 50));
        int[] picked = new int[10];
        for (DataSplit.HeldOut h : List.of(s.validation(), s.test())) {
            for (int p = 0; p < h.eval().size(); p++) {
                picked[Integer.parseInt(h.eval().items().id(h.eval().item(p)))]++;
            }
        }
        // 200 picks over 10 items: each count is Binomial(100, 0.2), mean 20, sd 4; 0 or 100 would mean no randomness
        for (int i = 0; i < 10; i++) {
            assertTrue(picked[i] > 4 && picked[i] < 36, "item " + i + " evaluated " + picked[i] + " times of 100");
        }
    }

    @Test
    void sameSeedGivesTheSameSplitAndOtherSeedsDiffer(@TempDir Path dir) throws IOException {
        Interactions data = sample();
        SplitConfig config = SplitConfig.defaults(5).withHeldOutUsers(40, 40);
        String a = DataSplit.create(data, config).export(dir.resolve("a"));
        String b = DataSplit.create(data, config).export(dir.resolve("b"));
        assertEquals(a, b);
        DataSplit s5 = DataSplit.create(data, config);
        DataSplit s6 = DataSplit.create(data, SplitConfig.defaults(6).withHeldOutUsers(40, 40));
        assertNotEquals(s5.test().users(), s6.test().users());
        assertNotEquals(a, s6.export(dir.resolve("c")));
        // the same users with a different seed: fold-in/evaluation choices differ too
        assertNotEquals(pairs(s5.test().eval()), pairs(s6.test().eval()));
    }

    @Test
    void splitDoesNotDependOnTheOrderOfInputLines() {
        Interactions data = sample();
        Interactions.Builder reversed = Interactions.builder("reversed");
        for (int u = data.numUsers() - 1; u >= 0; u--) {
            for (int p = data.rowEnd(u) - 1; p >= data.rowStart(u); p--) {
                reversed.add(data.users().id(u), data.items().id(data.item(p)));
            }
        }
        SplitConfig config = SplitConfig.defaults(9).withHeldOutUsers(30, 30);
        DataSplit x = DataSplit.create(data, config);
        DataSplit y = DataSplit.create(reversed.build(), config);
        assertEquals(pairs(x.train()), pairs(y.train()));
        assertEquals(pairs(x.test().eval()), pairs(y.test().eval()));
    }

    @Test
    void exportWritesReadableFilesWithVerifiableChecksums(@TempDir Path dir) throws IOException, NoSuchAlgorithmException {
        DataSplit s = DataSplit.create(sample(), SplitConfig.defaults(1).withHeldOutUsers(40, 40));
        String fingerprint = s.export(dir);
        List<String> sums = Files.readAllLines(dir.resolve(DataSplit.CHECKSUM_FILE));
        assertEquals(9, sums.size());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String line : sums) {
            String[] f = line.split("  ");
            assertEquals(f[0], HexFormat.of().formatHex(sha.digest(Files.readAllBytes(dir.resolve(f[1])))), f[1]);
        }
        assertEquals(fingerprint, HexFormat.of().formatHex(sha.digest(Files.readAllBytes(dir.resolve(DataSplit.CHECKSUM_FILE)))));
        String readme = Files.readString(dir.resolve(DataSplit.README_FILE));
        assertTrue(readme.contains(fingerprint) && readme.contains("seed 1"), readme);

        // the pair files hold original ids, one "user item" per line, and equal the in-memory parts
        assertEquals(pairs(s.train()), new HashSet<>(Files.readAllLines(dir.resolve(DataSplit.TRAIN_FILE))));
        assertEquals(pairs(s.test().eval()), new HashSet<>(Files.readAllLines(dir.resolve(DataSplit.TEST_EVAL_FILE))));
        assertEquals(s.items().ids(), Files.readAllLines(dir.resolve(DataSplit.ITEMS_FILE)));

        DataSplit back = DataSplit.read(dir);
        assertEquals(s.items(), back.items());
        assertEquals(s.train().users(), back.train().users());
        assertEquals(pairs(s.train()), pairs(back.train()));
        for (int t = 0; t < 2; t++) {
            DataSplit.HeldOut h = t == 0 ? s.validation() : s.test();
            DataSplit.HeldOut g = t == 0 ? back.validation() : back.test();
            assertEquals(h.users(), g.users());
            assertEquals(pairs(h.foldIn()), pairs(g.foldIn()));
            assertEquals(pairs(h.eval()), pairs(g.eval()));
        }
        assertTrue(back.provenance().contains(fingerprint), back.provenance());
    }

    @Test
    void readRejectsAChangedFile(@TempDir Path dir) throws IOException {
        DataSplit.create(sample(), SplitConfig.defaults(1).withHeldOutUsers(40, 40)).export(dir);
        Path eval = dir.resolve(DataSplit.TEST_EVAL_FILE);
        List<String> lines = Files.readAllLines(eval);
        Files.write(eval, lines.subList(1, lines.size()), StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> DataSplit.read(dir));
        assertTrue(e.getMessage().contains(DataSplit.TEST_EVAL_FILE), e.getMessage());
    }

    @Test
    void readNamesTheLineWithAnUnknownId(@TempDir Path dir) throws IOException {
        DataSplit.create(sample(), SplitConfig.defaults(1).withHeldOutUsers(40, 40)).export(dir);
        Files.delete(dir.resolve(DataSplit.CHECKSUM_FILE)); // hand-edited split: no checksums to compare
        Path train = dir.resolve(DataSplit.TRAIN_FILE);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(train));
        lines.set(2, "u-0 no-such-item");
        Files.write(train, lines, StandardCharsets.UTF_8);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> DataSplit.read(dir));
        assertEquals(3, e.line());
        assertEquals("u-0 no-such-item", e.text());
    }

    @Test
    void tooManyHeldOutUsersIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSplit.create(sample(), SplitConfig.defaults(0).withHeldOutUsers(200, 200)));
        assertTrue(e.getMessage().contains("400 users with >= 5 items"), e.getMessage());
    }

    @Test
    void defaultHeldOutCountsFollowTheDataSize() {
        assertEquals(10_000, SplitConfig.defaultHeldOutUsers(SyntheticClicks.ML20M_USERS)); // Liang's ML-20M setting
        assertEquals(600, SplitConfig.defaultHeldOutUsers(6_034)); // ML-1M after the >= 5 filter: 603 -> 600
        assertEquals(7_000, SplitConfig.defaultHeldOutUsers(70_679)); // 7,067 -> 7,000
        assertEquals(94, SplitConfig.defaultHeldOutUsers(943));
        assertEquals(1, SplitConfig.defaultHeldOutUsers(3));
        assertEquals(0, SplitConfig.defaultHeldOutUsers(2));
        DataSplit s = DataSplit.create(sample(), SplitConfig.defaults(0));
        assertEquals(40, s.test().users().size()); // 400 eligible users -> 40
    }

    @Test
    void heldOutUsersWithTooFewTrainingItemsGetNoEvaluationItems() {
        // items "solo-k" belong to held-out candidates only; user "h" has 6 items of which 5 are its own, so if
        // held out it keeps 1 training item, fewer than 5, and is not evaluated
        Interactions.Builder b = Interactions.builder("few");
        for (int u = 0; u < 50; u++) {
            for (int i = 0; i < 6; i++) {
                b.add("t" + u, "shared" + i);
            }
        }
        b.add("h", "shared0");
        for (int k = 0; k < 5; k++) {
            b.add("h", "solo" + k);
        }
        Interactions data = b.build();
        Map<Boolean, Integer> seen = new HashMap<>();
        for (long seed = 0; seed < 40 && seen.size() < 2; seed++) {
            DataSplit s = DataSplit.create(data, SplitConfig.defaults(seed).withHeldOutUsers(10, 10));
            for (DataSplit.HeldOut h : List.of(s.validation(), s.test())) {
                int row = h.users().index("h");
                if (row >= 0) {
                    assertEquals(1, h.foldIn().count(row));
                    assertEquals(0, h.eval().count(row));
                    assertEquals(h.users().size() - 1, h.evaluatedUsers());
                    seen.put(true, 1);
                }
            }
            if (s.train().users().contains("h")) {
                seen.put(false, 1);
                assertTrue(s.items().contains("solo0"));
            }
        }
        assertEquals(2, seen.size(), "40 seeds never put user h both in training and held out");
    }
}
