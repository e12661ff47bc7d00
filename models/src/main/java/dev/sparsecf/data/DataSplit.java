package dev.sparsecf.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A strong-generalisation split (Liang et al. 2018, "Variational Autoencoders for Collaborative Filtering"):
 * disjoint training, validation and test <em>users</em>; held-out users' items are split into fold-in items
 * (the model's input) and evaluation items (ranked against). All parts share the training item index space.
 *
 * <p>{@link #export(Path)} writes the split as plain text so other implementations can use exactly the same
 * users and items; {@link #read(Path)} loads such an export back.
 */
public final class DataSplit {

    /** Exported pair files, in the order they are written and check-summed. */
    public static final String TRAIN_FILE = "train.txt";
    public static final String VALIDATION_FOLD_IN_FILE = "validation_fold_in.txt";
    public static final String VALIDATION_EVAL_FILE = "validation_eval.txt";
    public static final String TEST_FOLD_IN_FILE = "test_fold_in.txt";
    public static final String TEST_EVAL_FILE = "test_eval.txt";
    public static final String ITEMS_FILE = "items.txt";
    public static final String TRAIN_USERS_FILE = "train_users.txt";
    public static final String VALIDATION_USERS_FILE = "validation_users.txt";
    public static final String TEST_USERS_FILE = "test_users.txt";
    /** {@code sha256sum}-compatible checksums of the files above. */
    public static final String CHECKSUM_FILE = "SHA256SUMS";
    public static final String README_FILE = "README.md";

    private static final List<String> DATA_FILES = List.of(TRAIN_FILE, VALIDATION_FOLD_IN_FILE, VALIDATION_EVAL_FILE,
            TEST_FOLD_IN_FILE, TEST_EVAL_FILE, ITEMS_FILE, TRAIN_USERS_FILE, VALIDATION_USERS_FILE, TEST_USERS_FILE);

    /** How a split is evaluated; named in every result so that no number is compared across protocols. */
    public enum Protocol {
        /** Liang et al. 2018: disjoint held-out users, each one's fold-in items in, evaluation items ranked against. */
        HELDOUT_USERS("strong-generalization-heldout-users"),
        /** LightGCN, NGCF, KGAT: the test users are training users, their training items in and excluded. */
        PER_USER("weak-generalization-per-user");

        private final String label;

        Protocol(String label) {
            this.label = label;
        }

        /** The name written to metrics.json and printed. */
        public String label() {
            return label;
        }
    }

    /**
     * The held-out users of one set: {@code foldIn}, {@code eval} and {@code exclude} have the same users (rows) and
     * items (columns). {@code foldIn} is the model's input, {@code exclude} (a superset of it) what is never ranked,
     * {@code eval} what the ranking is judged against; {@code unseen[u]} counts user u's evaluation items outside the
     * item map, which cannot be ranked and count as misses. A user is evaluated when {@link #relevant} is above 0.
     * In a Liang split ({@link #HeldOut(Interactions, Interactions)}) {@code exclude} is {@code foldIn}, the rows of
     * {@code foldIn} and {@code eval} are disjoint, and no item is unseen.
     */
    public record HeldOut(Interactions foldIn, Interactions eval, Interactions exclude, int[] unseen) {

        public HeldOut {
            if (!foldIn.users().equals(eval.users()) || !foldIn.items().equals(eval.items())
                    || !foldIn.users().equals(exclude.users()) || !foldIn.items().equals(exclude.items())) {
                throw new IllegalArgumentException("fold-in, evaluation and excluded parts must share their user and item maps");
            }
            if (unseen.length != foldIn.numUsers()) {
                throw new IllegalArgumentException("unseen counts: " + unseen.length + " for " + foldIn.numUsers() + " users");
            }
            for (int u = 0; u < foldIn.numUsers(); u++) {
                if (unseen[u] < 0) {
                    throw new IllegalArgumentException("unseen count of user " + u + " is negative: " + unseen[u]);
                }
                for (int p = foldIn.rowStart(u); exclude != foldIn && p < foldIn.rowEnd(u); p++) {
                    if (!exclude.contains(u, foldIn.item(p))) {
                        throw new IllegalArgumentException("user '" + foldIn.users().id(u) + "': fold-in item '"
                                + foldIn.items().id(foldIn.item(p)) + "' is not excluded from the ranking");
                    }
                }
            }
        }

        /** A Liang held-out set: the fold-in items are excluded, every evaluation item is in the item map. */
        public HeldOut(Interactions foldIn, Interactions eval) {
            this(foldIn, eval, foldIn, new int[foldIn.numUsers()]);
        }

        public IdMap users() {
            return foldIn.users();
        }

        /** User row {@code u}'s relevant items: its evaluation items, ranked or not (unseen). */
        public int relevant(int u) {
            return eval.count(u) + unseen[u];
        }

        /** Users with at least one relevant item (the ones a metric averages over). */
        public int evaluatedUsers() {
            int n = 0;
            for (int u = 0; u < eval.numUsers(); u++) {
                if (relevant(u) > 0) {
                    n++;
                }
            }
            return n;
        }
    }

    private final Protocol protocol;
    private final String provenance;
    private final Interactions train;
    private final HeldOut validation;
    private final HeldOut test;

    private DataSplit(Protocol protocol, String provenance, Interactions train, HeldOut validation, HeldOut test) {
        this.protocol = protocol;
        this.provenance = provenance;
        this.train = train;
        this.validation = validation;
        this.test = test;
    }

    /**
     * Splits {@code positives} (every pair a positive) by Liang et al.'s protocol: keep users with at least
     * {@code minUserItems} items; shuffle them (seeded); the last {@code testUsers} are test users, the
     * {@code validationUsers} before them validation users, the rest training users; keep only items some
     * training user has (dropping the others from held-out users); then for each held-out user with at least
     * {@code minUserItems} remaining items pick {@code max(1, floor(evalFraction * n))} evaluation items
     * uniformly at random (seeded), the others being fold-in items.
     */
    public static DataSplit create(Interactions positives, SplitConfig config) {
        int[] eligible = usersWithAtLeast(positives, config.minUserItems());
        int n = eligible.length;
        SplitDraws draws = SplitDraws.of(n, config, positives.source());
        int[] trainUsers = ranksToUsers(draws.trainUsers(), eligible);
        int[] validationUsers = ranksToUsers(draws.validationUsers(), eligible);
        int[] testUsers = ranksToUsers(draws.testUsers(), eligible);
        int nValidation = validationUsers.length;
        int nTest = testUsers.length;

        int[] itemNew = new int[positives.numItems()];
        Arrays.fill(itemNew, -1);
        for (int u : trainUsers) {
            for (int p = positives.rowStart(u); p < positives.rowEnd(u); p++) {
                itemNew[positives.item(p)] = 0;
            }
        }
        int nItems = 0;
        int[] keptItems = new int[positives.numItems()];
        for (int i = 0; i < itemNew.length; i++) {
            if (itemNew[i] == 0) {
                keptItems[nItems] = i;
                itemNew[i] = nItems++;
            }
        }
        IdMap items = positives.items().select(Arrays.copyOf(keptItems, nItems));

        Interactions train = restrict(positives, trainUsers, positives.users().select(trainUsers), itemNew, items, null, false);
        HeldOut validation = holdOut(positives, validationUsers, itemNew, items, draws);
        HeldOut test = holdOut(positives, testUsers, itemNew, items, draws);
        String provenance = String.format(Locale.ROOT,
                "%s; %d of %d users have >= %d items; seed %d; %d validation + %d test users held out;"
                        + " %.0f%% of each held-out user's training items evaluated (users with >= %d such items)",
                positives.source(), n, positives.numUsers(), config.minUserItems(), config.seed(), nValidation, nTest,
                100 * config.evalFraction(), config.minUserItems());
        return new DataSplit(Protocol.HELDOUT_USERS, provenance, train, validation, test);
    }

    /**
     * A split built elsewhere (e.g. {@link PerUserSplit}): every part has {@code train}'s items as its columns.
     *
     * @throws IllegalArgumentException if a part has other items
     */
    public static DataSplit of(Protocol protocol, String provenance, Interactions train, HeldOut validation, HeldOut test) {
        if (!validation.foldIn().items().equals(train.items()) || !test.foldIn().items().equals(train.items())) {
            throw new IllegalArgumentException("every part of a split must have the training items as its columns");
        }
        return new DataSplit(protocol, provenance, train, validation, test);
    }

    private static int[] usersWithAtLeast(Interactions x, int minItems) {
        int[] out = new int[x.numUsers()];
        int n = 0;
        for (int u = 0; u < x.numUsers(); u++) {
            if (x.count(u) >= minItems) {
                out[n++] = u;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The users at {@code ranks} of {@code eligible} (both ascending, so the result is too). */
    private static int[] ranksToUsers(int[] ranks, int[] eligible) {
        int[] users = new int[ranks.length];
        for (int t = 0; t < ranks.length; t++) {
            users[t] = eligible[ranks[t]];
        }
        return users;
    }

    /**
     * The rows of {@code users} with items mapped by {@code itemNew} (-1 drops an item); with {@code evalMask},
     * only the positions whose mask equals {@code evalPart}.
     */
    private static Interactions restrict(Interactions x, int[] users, IdMap userMap, int[] itemNew, IdMap items,
                                         boolean[] evalMask, boolean evalPart) {
        int[] rowPtr = new int[users.length + 1];
        int[] cols = new int[x.size()];
        int q = 0;
        for (int t = 0; t < users.length; t++) {
            int u = users[t];
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                int i = itemNew[x.item(p)];
                if (i >= 0 && (evalMask == null || evalMask[p] == evalPart)) {
                    cols[q++] = i;
                }
            }
            rowPtr[t + 1] = q;
        }
        return Interactions.of(x.source(), userMap, items, rowPtr, cols, null);
    }

    private static HeldOut holdOut(Interactions x, int[] users, int[] itemNew, IdMap items, SplitDraws draws) {
        boolean[] evalMask = new boolean[x.size()];
        int[] kept = new int[0];
        for (int u : users) {
            int m = 0;
            if (kept.length < x.count(u)) {
                kept = new int[x.count(u)];
            }
            for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                if (itemNew[x.item(p)] >= 0) {
                    kept[m++] = p;
                }
            }
            boolean[] eval = draws.nextEvalMask(m);
            for (int t = 0; t < m; t++) {
                evalMask[kept[t]] = eval[t];
            }
        }
        IdMap userMap = x.users().select(users);
        return new HeldOut(restrict(x, users, userMap, itemNew, items, evalMask, false),
                restrict(x, users, userMap, itemNew, items, evalMask, true));
    }

    /** How this split is evaluated. */
    public Protocol protocol() {
        return protocol;
    }

    /** What was split and how (dataset, positive rule, seed and counts). */
    public String provenance() {
        return provenance;
    }

    /** Training users' positives over the training items. */
    public Interactions train() {
        return train;
    }

    public HeldOut validation() {
        return validation;
    }

    public HeldOut test() {
        return test;
    }

    /** The training items: the column space of every part. */
    public IdMap items() {
        return train.items();
    }

    /** The provenance and a table of users, evaluated users and pairs per part. */
    public String summary() {
        StringBuilder sb = new StringBuilder(provenance).append('\n');
        sb.append(String.format(Locale.ROOT, "  items (seen in training): %,d%n", items().size()));
        sb.append(String.format(Locale.ROOT, "  train:      %,7d users, %,10d pairs%n", train.numUsers(), train.size()));
        for (Map.Entry<String, HeldOut> e : heldOutSets().entrySet()) {
            HeldOut h = e.getValue();
            sb.append(String.format(Locale.ROOT, "  %-11s %,7d users (%,d evaluated), %,10d fold-in + %,d evaluation pairs%n",
                    e.getKey() + ":", h.users().size(), h.evaluatedUsers(), h.foldIn().size(), h.eval().size()));
        }
        return sb.toString();
    }

    private Map<String, HeldOut> heldOutSets() {
        Map<String, HeldOut> m = new LinkedHashMap<>();
        m.put("validation", validation);
        m.put("test", test);
        return m;
    }

    /**
     * Writes the split to {@code dir} (created if needed) as the text files described in the README it also
     * writes, plus {@value #CHECKSUM_FILE}; returns the SHA-256 (hex) of that checksum file, a fingerprint of
     * the whole split.
     *
     * @throws IllegalStateException if an id contains whitespace (it could not be written as one token)
     */
    public String export(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> sums = new LinkedHashMap<>();
        sums.put(TRAIN_FILE, writePairs(dir.resolve(TRAIN_FILE), train));
        sums.put(VALIDATION_FOLD_IN_FILE, writePairs(dir.resolve(VALIDATION_FOLD_IN_FILE), validation.foldIn()));
        sums.put(VALIDATION_EVAL_FILE, writePairs(dir.resolve(VALIDATION_EVAL_FILE), validation.eval()));
        sums.put(TEST_FOLD_IN_FILE, writePairs(dir.resolve(TEST_FOLD_IN_FILE), test.foldIn()));
        sums.put(TEST_EVAL_FILE, writePairs(dir.resolve(TEST_EVAL_FILE), test.eval()));
        sums.put(ITEMS_FILE, writeIds(dir.resolve(ITEMS_FILE), items()));
        sums.put(TRAIN_USERS_FILE, writeIds(dir.resolve(TRAIN_USERS_FILE), train.users()));
        sums.put(VALIDATION_USERS_FILE, writeIds(dir.resolve(VALIDATION_USERS_FILE), validation.users()));
        sums.put(TEST_USERS_FILE, writeIds(dir.resolve(TEST_USERS_FILE), test.users()));
        StringBuilder checksums = new StringBuilder();
        sums.forEach((name, hex) -> checksums.append(hex).append("  ").append(name).append('\n'));
        byte[] checksumBytes = checksums.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(CHECKSUM_FILE), checksumBytes);
        String fingerprint = HexFormat.of().formatHex(sha256().digest(checksumBytes));
        Files.writeString(dir.resolve(README_FILE), readme(fingerprint), StandardCharsets.UTF_8);
        return fingerprint;
    }

    private static String writePairs(Path file, Interactions x) throws IOException {
        MessageDigest md = sha256();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            for (int u = 0; u < x.numUsers(); u++) {
                String user = token(x.users().id(u), file);
                for (int p = x.rowStart(u); p < x.rowEnd(u); p++) {
                    line.setLength(0);
                    line.append(user).append(' ').append(token(x.items().id(x.item(p)), file)).append('\n');
                    emit(w, md, line);
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String writeIds(Path file, IdMap ids) throws IOException {
        MessageDigest md = sha256();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < ids.size(); i++) {
                line.setLength(0);
                line.append(token(ids.id(i), file)).append('\n');
                emit(w, md, line);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Writes one line and feeds the same UTF-8 bytes to the digest, so the file is hashed without re-reading. */
    private static void emit(BufferedWriter w, MessageDigest md, CharSequence line) throws IOException {
        String s = line.toString();
        w.write(s);
        md.update(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String token(String id, Path file) {
        for (int k = 0; k < id.length(); k++) {
            if (Character.isWhitespace(id.charAt(k))) {
                throw new IllegalStateException("cannot export id '" + id + "' to " + file + ": it contains whitespace");
            }
        }
        return id;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    private String readme(String fingerprint) {
        return String.format(Locale.ROOT, """
                # Held-out-user split (Liang et al. 2018 protocol)

                %s

                Fingerprint (SHA-256 of `%s`): `%s`

                ## Counts
                ```
                %s```

                ## Files
                All files are UTF-8 text, one record per line, ending with `\\n`; ids are the dataset's original
                user and item ids (no whitespace inside an id).

                | file | content |
                |---|---|
                | `%s` | the training items, one id per line; the item index used by every model is the 0-based line number |
                | `%s`, `%s`, `%s` | the users of each set, one id per line (the row order of the matrices below) |
                | `%s` | training pairs, `user item` separated by one space, grouped by user in `%s` order |
                | `%s`, `%s` | validation users' fold-in items (model input) and evaluation items (ranked against) |
                | `%s`, `%s` | the same for test users |
                | `%s` | `sha256sum -c` compatible checksums of the files above |

                Every item in a pair file is in `%s`. For each held-out user, the fold-in and evaluation items are
                disjoint and together are all of the user's positives among the training items. A held-out user
                with no evaluation items (too few items) is listed in its users file but counts in no metric.

                ## Metrics
                Rank all training items except the user's fold-in items; Recall@K = hits in the top K /
                min(K, |eval items|); NDCG@K = DCG@K / ideal DCG over min(K, |eval items|) positions, with
                gain 1 / log2(rank + 1). Average over users with at least one evaluation item.
                """,
                provenance, CHECKSUM_FILE, fingerprint, summary().lines().skip(1).map(l -> l + "\n").reduce("", String::concat),
                ITEMS_FILE, TRAIN_USERS_FILE, VALIDATION_USERS_FILE, TEST_USERS_FILE, TRAIN_FILE, TRAIN_USERS_FILE,
                VALIDATION_FOLD_IN_FILE, VALIDATION_EVAL_FILE, TEST_FOLD_IN_FILE, TEST_EVAL_FILE, CHECKSUM_FILE, ITEMS_FILE);
    }

    /**
     * Reads a split written by {@link #export(Path)} (or any tool following its README), first checking every
     * file against {@value #CHECKSUM_FILE} when that file is present.
     *
     * @throws IOException naming the file whose checksum differs, or a {@link MalformedDataException} naming
     *                     the line with an unknown user or item id
     */
    public static DataSplit read(Path dir) throws IOException {
        Path sums = dir.resolve(CHECKSUM_FILE);
        String provenance = "read from " + dir;
        if (Files.isRegularFile(sums)) {
            verifyChecksums(dir, sums);
            provenance += " (checksums verified, fingerprint "
                    + HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(sums))) + ")";
        }
        IdMap items = readIds(dir.resolve(ITEMS_FILE));
        Interactions train = readPairs(dir.resolve(TRAIN_FILE), readIds(dir.resolve(TRAIN_USERS_FILE)), items);
        IdMap validationUsers = readIds(dir.resolve(VALIDATION_USERS_FILE));
        IdMap testUsers = readIds(dir.resolve(TEST_USERS_FILE));
        HeldOut validation = new HeldOut(readPairs(dir.resolve(VALIDATION_FOLD_IN_FILE), validationUsers, items),
                readPairs(dir.resolve(VALIDATION_EVAL_FILE), validationUsers, items));
        HeldOut test = new HeldOut(readPairs(dir.resolve(TEST_FOLD_IN_FILE), testUsers, items),
                readPairs(dir.resolve(TEST_EVAL_FILE), testUsers, items));
        return new DataSplit(Protocol.HELDOUT_USERS, provenance, train, validation, test);
    }

    /**
     * As {@link #read}, but every file {@link #export} writes must be there and {@value #CHECKSUM_FILE} must list each
     * one: what {@code --split DIR} takes, so that a split is never used unverified.
     *
     * @throws IOException naming the missing, unlisted or changed file
     */
    public static DataSplit readVerified(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such directory (expected a split written by 'sparsecf data split --out')");
        }
        List<String> needed = new ArrayList<>(DATA_FILES);
        needed.add(CHECKSUM_FILE);
        for (String name : needed) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new IOException(dir.resolve(name) + ": missing; a split written by 'sparsecf data split --out' has "
                        + String.join(", ", needed));
            }
        }
        Path sums = dir.resolve(CHECKSUM_FILE);
        List<String> listed = Files.readAllLines(sums, StandardCharsets.UTF_8).stream()
                .map(l -> l.split(" [ *]", 2)).filter(f -> f.length == 2).map(f -> f[1]).toList();
        for (String name : DATA_FILES) {
            if (!listed.contains(name)) {
                throw new IOException(sums + ": has no checksum for " + name + ", so the split cannot be verified");
            }
        }
        return read(dir);
    }

    private static void verifyChecksums(Path dir, Path sums) throws IOException {
        for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" [ *]", 2);
            if (f.length != 2) {
                throw new IOException(sums + ": expected '<sha256>  <file>' but found \"" + line + "\"");
            }
            if (!Files.isRegularFile(dir.resolve(f[1]))) {
                throw new IOException(dir.resolve(f[1]) + ": missing (listed in " + sums + ")");
            }
            String actual = HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(dir.resolve(f[1]))));
            if (!actual.equalsIgnoreCase(f[0])) {
                throw new IOException(dir.resolve(f[1]) + ": SHA-256 is " + actual + " but " + sums + " says " + f[0]
                        + "; the file was changed after the split was exported");
            }
        }
    }

    private static IdMap readIds(Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        try (LineReader in = LineReader.open(file)) {
            String line;
            while ((line = in.next()) != null) {
                String id = line.strip();
                if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
                    throw in.error(line, "expected one id per line");
                }
                Long first = seen.putIfAbsent(id, in.lineNumber());
                if (first != null) {
                    throw in.error(line, "id repeats line " + first);
                }
                ids.add(id);
            }
        }
        return IdMap.of(ids);
    }

    /** Pairs of a {@code user item} file, rows and columns given by existing maps (the users' order, not canonical). */
    private static Interactions readPairs(Path file, IdMap users, IdMap items) throws IOException {
        int[] rowOf = new int[1024];
        long[] keys = new long[1024]; // item << 32 | line number: sorts a row by item, repeats side by side
        int n = 0;
        try (LineReader in = LineReader.open(file)) {
            String line;
            while ((line = in.next()) != null) {
                List<String> f = InteractionLoaders.splitWhitespace(line);
                if (f.size() != 2) {
                    throw in.error(line, "expected 'user item', found " + f.size() + " field(s)");
                }
                int u = users.index(f.get(0));
                int i = items.index(f.get(1));
                if (u < 0 || i < 0) {
                    throw in.error(line, u < 0 ? "user '" + f.get(0) + "' is not in the users file of this set"
                            : "item '" + f.get(1) + "' is not in " + ITEMS_FILE);
                }
                if (n == keys.length) {
                    keys = Arrays.copyOf(keys, 2 * n);
                    rowOf = Arrays.copyOf(rowOf, 2 * n);
                }
                rowOf[n] = u;
                keys[n++] = (long) i << 32 | Math.toIntExact(in.lineNumber());
            }
        }
        int[] rowPtr = new int[users.size() + 1];
        for (int t = 0; t < n; t++) {
            rowPtr[rowOf[t] + 1]++;
        }
        for (int u = 0; u < users.size(); u++) {
            rowPtr[u + 1] += rowPtr[u];
        }
        int[] fill = Arrays.copyOf(rowPtr, users.size());
        long[] byRow = new long[n];
        for (int t = 0; t < n; t++) {
            byRow[fill[rowOf[t]]++] = keys[t];
        }
        int[] cols = new int[n];
        for (int u = 0; u < users.size(); u++) {
            Arrays.sort(byRow, rowPtr[u], rowPtr[u + 1]);
            for (int p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
                cols[p] = (int) (byRow[p] >>> 32);
                if (p > rowPtr[u] && cols[p] == cols[p - 1]) {
                    String text = users.id(u) + " " + items.id(cols[p]);
                    throw new MalformedDataException(file, (int) byRow[p], text, "pair repeats line " + (int) byRow[p - 1]);
                }
            }
        }
        return Interactions.of(file.toString(), users, items, rowPtr, cols, null);
    }
}
