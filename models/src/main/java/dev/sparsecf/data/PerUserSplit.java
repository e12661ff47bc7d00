package dev.sparsecf.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * A per-user split as published with LightGCN, NGCF, KGAT and their successors: a training file and a test file
 * (and optionally a validation file) over the same users, each in any layout {@link InteractionFiles} reads, evaluated
 * by the "weak generalization" protocol ({@link DataSplit.Protocol#PER_USER}): the test users are training users, a
 * test user's training row is the model's input and, with their validation items, is excluded from the ranking; every
 * other training item is ranked. Test items that no training user has cannot be ranked and count as misses; test users
 * who are not training users are counted and left out.
 *
 * <p>Without a validation file, {@value #VALIDATION_PERCENT}% of the items (at least one) of each training user with at
 * least {@value #MIN_VALIDATION_USER_ITEMS} items are drawn by the seed for choosing lambda or the epoch; the model is
 * fitted on the rest, and a test user's input is still the whole training row.
 */
public final class PerUserSplit {

    /** The share of a training user's items drawn for validation when no validation file is given, in percent. */
    public static final int VALIDATION_PERCENT = 10;
    /** Training users with fewer items give none to the drawn validation set. */
    public static final int MIN_VALIDATION_USER_ITEMS = 5;

    /**
     * What did not fit the protocol: test (validation) users who are not training users and their pairs, which are left
     * out; test items no training user has and their pairs, which count as misses; test pairs already in training, which
     * are excluded from the ranking and so are misses too.
     */
    public record Counts(int testUsersNotInTrain, int testPairsOfThoseUsers, int testItemsNotInTrain, int testPairsOfThoseItems,
                         int testPairsInTrain, int validationUsersNotInTrain, int validationPairsOfItemsNotInTrain) {

        /** One line per finding, each ending in a newline. */
        public String format() {
            return String.format(Locale.ROOT, """
                    test users not in training: %,d (their %,d pairs are left out)
                    test items not in training: %,d (their %,d pairs cannot be ranked: counted as misses)
                    test pairs also in training: %,d (excluded from the ranking: counted as misses)
                    """, testUsersNotInTrain, testPairsOfThoseUsers, testItemsNotInTrain, testPairsOfThoseItems, testPairsInTrain)
                    + (validationUsersNotInTrain + validationPairsOfItemsNotInTrain == 0 ? ""
                    : String.format(Locale.ROOT, "validation users not in training: %,d; validation pairs of items not in training: %,d%n",
                    validationUsersNotInTrain, validationPairsOfItemsNotInTrain));
        }
    }

    /** The split, ready for the trainers, and what did not fit the protocol. */
    public record Loaded(DataSplit split, Counts counts) {
    }

    private PerUserSplit() {
    }

    /**
     * Reads {@code trainFile}, {@code testFile} and {@code validationFile} (null: draw validation items by {@code seed})
     * with {@code options}; with the layout left to detection, the others are read in the layout found in the training
     * file (a test file of two- and three-item lines would otherwise pass for {@code user item rating}).
     *
     * @throws IllegalArgumentException if {@code options} filter by counts, which would change a published split
     * @throws IOException              for a bad file, or when no test user is a training user
     */
    public static Loaded read(Path trainFile, Path testFile, Path validationFile, FileOptions options, long seed) throws IOException {
        if (options.minUserPairs() > 0 || options.minItemUsers() > 0 || options.kCore()) {
            throw new IllegalArgumentException("--min-user-clicks, --min-item-clicks and --k-core would change a published"
                    + " split; it is used as it is");
        }
        FileOptions o = options.layout() == FileOptions.Layout.AUTO ? options.withLayout(InteractionFiles.layoutOf(trainFile, options)) : options;
        Interactions train = InteractionFiles.load(trainFile, o).positives();
        Aligned test = Aligned.of(InteractionFiles.load(testFile, o).positives(), train);
        if (test.knownUsers == 0) {
            throw new IOException(testFile + ": none of its " + test.unknownUsers + " users is a user of " + trainFile
                    + "; under the per-user protocol the test users are training users (for held-out users use --split)");
        }
        Aligned validation = validationFile == null ? null : Aligned.of(InteractionFiles.load(validationFile, o).positives(), train);
        int inTrain = 0;
        for (int u = 0; u < train.numUsers(); u++) {
            for (int i : test.row(u)) {
                inTrain += train.contains(u, i) ? 1 : 0;
            }
        }
        Counts counts = new Counts(test.unknownUsers, test.unknownUserPairs, test.unseenItems, test.unseenPairs, inTrain,
                validation == null ? 0 : validation.unknownUsers, validation == null ? 0 : validation.unseenPairs);
        String files = "per-user split: train " + trainFile + ", test " + testFile + ", validation ";
        DataSplit split = validation != null
                ? assemble(files + validationFile, train, train, test, validation, u -> union(train.itemsOf(u), validation.row(u)))
                : drawValidation(files + String.format(Locale.ROOT, "%d%% of the items of each training user with >= %d items"
                        + " (seed %d)", VALIDATION_PERCENT, MIN_VALIDATION_USER_ITEMS, seed), train, test, seed);
        return new Loaded(split, counts);
    }

    /** Draws validation items from the training rows by {@code seed}; the model is fitted on the rest. */
    private static DataSplit drawValidation(String provenance, Interactions train, Aligned test, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Aligned drawn = new Aligned(train.numUsers());
        int[][] fit = new int[train.numUsers()][];
        for (int u = 0; u < train.numUsers(); u++) {
            int[] items = train.itemsOf(u);
            int n = items.length;
            int m = n < MIN_VALIDATION_USER_ITEMS ? 0 : Math.max(1, n * VALIDATION_PERCENT / 100);
            for (int t = 0; t < m; t++) { // partial Fisher-Yates: a uniform m-subset in items[0..m)
                int j = t + rng.nextInt(n - t);
                int s = items[t];
                items[t] = items[j];
                items[j] = s;
            }
            drawn.rows[u] = sorted(Arrays.copyOfRange(items, 0, m));
            fit[u] = sorted(Arrays.copyOfRange(items, m, n));
        }
        Interactions fitted = rows(train.source() + " (validation items drawn out)", IntStream.range(0, train.numUsers()).toArray(),
                train, u -> fit[u]);
        return assemble(provenance, train, fitted, test, drawn, null);
    }

    /**
     * The split: the model is fitted on {@code fitted}; validation users see their {@code fitted} rows and are judged on
     * {@code validation}; test users see their whole training rows, never get {@code excludeAtTest} (null: the training
     * rows) ranked, and are judged on {@code test}.
     */
    private static DataSplit assemble(String provenance, Interactions train, Interactions fitted, Aligned test, Aligned validation,
                                      IntFunction<int[]> excludeAtTest) {
        int[] vu = validation.users();
        Interactions validationInput = rows("validation input", vu, train, fitted::itemsOf);
        DataSplit.HeldOut v = new DataSplit.HeldOut(validationInput, rows("validation items", vu, train, validation::row),
                validationInput, validation.unseen(vu));
        int[] tu = test.users();
        Interactions input = rows("test input (training rows)", tu, train, train::itemsOf);
        Interactions exclude = excludeAtTest == null ? input : rows("excluded at test (training and validation)", tu, train, excludeAtTest);
        DataSplit.HeldOut t = new DataSplit.HeldOut(input, rows("test items", tu, train, test::row), exclude, test.unseen(tu));
        return DataSplit.of(DataSplit.Protocol.PER_USER, provenance, fitted, v, t);
    }

    /** The rows {@code row(u)} (ascending items of {@code train}) of the training users {@code users}. */
    private static Interactions rows(String source, int[] users, Interactions train, IntFunction<int[]> row) {
        int[] rowPtr = new int[users.length + 1];
        for (int t = 0; t < users.length; t++) {
            rowPtr[t + 1] = rowPtr[t] + row.apply(users[t]).length;
        }
        int[] cols = new int[rowPtr[users.length]];
        for (int t = 0; t < users.length; t++) {
            int[] r = row.apply(users[t]);
            System.arraycopy(r, 0, cols, rowPtr[t], r.length);
        }
        return Interactions.of(source, train.users().select(users), train.items(), rowPtr, cols, null);
    }

    private static int[] union(int[] a, int[] b) {
        return IntStream.concat(IntStream.of(a), IntStream.of(b)).sorted().distinct().toArray();
    }

    private static int[] sorted(int[] a) {
        Arrays.sort(a);
        return a;
    }

    /** A file's pairs in the training file's user and item indices. */
    private static final class Aligned {
        private static final int[] NONE = new int[0];

        final int[][] rows; // per training user: the items training knows, ascending; null if the file lacks the user
        final int[] unseen; // per training user: pairs of items training does not know
        int knownUsers;
        int unknownUsers;
        int unknownUserPairs;
        int unseenItems;
        int unseenPairs;

        Aligned(int users) {
            rows = new int[users][];
            unseen = new int[users];
        }

        static Aligned of(Interactions x, Interactions train) {
            Aligned a = new Aligned(train.numUsers());
            int[] itemOf = new int[x.numItems()];
            for (int i = 0; i < itemOf.length; i++) {
                itemOf[i] = train.items().index(x.items().id(i));
            }
            boolean[] unseenItem = new boolean[x.numItems()];
            for (int ux = 0; ux < x.numUsers(); ux++) {
                int u = train.users().index(x.users().id(ux));
                if (u < 0) {
                    a.unknownUsers++;
                    a.unknownUserPairs += x.count(ux);
                    continue;
                }
                a.knownUsers++;
                int[] row = new int[x.count(ux)];
                int m = 0;
                for (int p = x.rowStart(ux); p < x.rowEnd(ux); p++) {
                    int i = itemOf[x.item(p)];
                    if (i >= 0) {
                        row[m++] = i;
                    } else {
                        a.unseen[u]++;
                        a.unseenPairs++;
                        if (!unseenItem[x.item(p)]) {
                            unseenItem[x.item(p)] = true;
                            a.unseenItems++;
                        }
                    }
                }
                a.rows[u] = sorted(Arrays.copyOf(row, m));
            }
            return a;
        }

        int[] row(int u) {
            return rows[u] == null ? NONE : rows[u];
        }

        /** The training users with at least one pair in this file (ranked or not), ascending. */
        int[] users() {
            return IntStream.range(0, rows.length).filter(u -> row(u).length + unseen[u] > 0).toArray();
        }

        int[] unseen(int[] users) {
            return IntStream.of(users).map(u -> unseen[u]).toArray();
        }
    }
}
