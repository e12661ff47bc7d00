package dev.sparsecf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loads each real dataset and checks the counts stated in its folder's README.md (skipped when the shared
 * data directory is absent; see {@link SharedData}).
 */
class RealDatasetsTest {

    /** Each file is parsed once per test JVM; ml-1m and amazon-book take about a second each. */
    private static final Map<Dataset, Interactions> RAW = new EnumMap<>(Dataset.class);

    private static synchronized Interactions raw(Dataset d) throws IOException {
        Path dir = SharedData.dirWithOrSkip(d);
        Interactions x = RAW.get(d);
        if (x == null) {
            x = d.loadRaw(dir);
            RAW.put(d, x);
        }
        return x;
    }

    /** Dataset, then users, items and pairs as stored, then users, items and pairs of its positives. */
    static Stream<Arguments> readmeCounts() {
        return Stream.of(
                // ml-1m README: 6,040 users, 3,706 movies, 1,000,209 pairs; 575,148 positives at rating >= 4
                Arguments.of(Dataset.ML_1M, 6_040, 3_706, 1_000_209, 6_038, 3_424, 575_148),
                // ml-100k README: 943 users, 1,682 items, 100,000 ratings; 55,375 ratings >= 4
                Arguments.of(Dataset.ML_100K, 943, 1_682, 100_000, 942, 1_447, 55_375),
                // ml-latest-small README: 610 users, 9,724 rated movies, 100,836 ratings; 48,580 ratings >= 4.0
                Arguments.of(Dataset.ML_LATEST_SMALL, 610, 9_724, 100_836, 609, 6_298, 48_580),
                // citeulike-a README: 5,551 users, 16,980 items, 204,986 pairs
                Arguments.of(Dataset.CITEULIKE_A, 5_551, 16_980, 204_986, 5_551, 16_980, 204_986),
                // citeulike-t README: 7,947 users, 134,860 pairs, 25,584 items with at least one user
                Arguments.of(Dataset.CITEULIKE_T, 7_947, 25_584, 134_860, 7_947, 25_584, 134_860),
                // lastfm README: 92,834 user-artist pairs, 1,892 users, 17,632 artists (every play count > 0)
                Arguments.of(Dataset.LASTFM, 1_892, 17_632, 92_834, 1_892, 17_632, 92_834),
                // amazon-book-kgat README: train 652,514 + test 193,920 = 846,434; 70,679 users, 24,915 items
                Arguments.of(Dataset.AMAZON_BOOK, 70_679, 24_915, 846_434, 70_679, 24_915, 846_434));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readmeCounts")
    void countsMatchTheDataReadme(Dataset d, int users, int items, int pairs, int posUsers, int posItems, int positives)
            throws IOException {
        Interactions raw = raw(d);
        assertEquals(users, raw.numUsers(), "users");
        assertEquals(items, raw.numItems(), "items");
        assertEquals(pairs, raw.size(), "pairs");
        assertEquals(0, raw.duplicatesMerged(), "repeated pairs");
        Interactions pos = d.positives(raw);
        assertEquals(positives, pos.size(), "positives (" + d.positiveRule() + ")");
        assertEquals(posUsers, pos.numUsers(), "users with a positive");
        assertEquals(posItems, pos.numItems(), "items with a positive");
    }

    @Test
    void ml1mRatingHistogramMatchesTheReadme() throws IOException {
        Interactions raw = raw(Dataset.ML_1M);
        // README: known ratings 1..5 -> 56,036 / 107,450 / 261,080 / 348,869 / 226,279; 495 pairs unknown
        int[] histogram = new int[6]; // [0] counts unknown (NaN) ratings
        for (int p = 0; p < raw.size(); p++) {
            float v = raw.value(p);
            histogram[Float.isNaN(v) ? 0 : (int) v]++;
        }
        assertArrayEquals(new int[] {495, 56_036, 107_450, 261_080, 348_869, 226_279}, histogram);
    }

    @Test
    void lastfmPlayCountsSumToTheReadmeTotal() throws IOException {
        Interactions raw = raw(Dataset.LASTFM);
        long total = 0;
        for (int p = 0; p < raw.size(); p++) {
            total += (long) raw.value(p); // play counts are integers below 2^24, exact in a float
        }
        assertEquals(69_183_975L, total);
    }

    @Test
    void citeulikeTItemIdsRunUpTo25974() throws IOException {
        Interactions raw = raw(Dataset.CITEULIKE_T);
        // canonical (numeric) order: the last item is the largest id; README: ids run 0..25974
        assertEquals("25974", raw.items().id(raw.numItems() - 1));
        assertEquals("0", raw.users().id(0));
        assertEquals("7946", raw.users().id(raw.numUsers() - 1));
    }

    @Test
    void ml1mSplitWithSeedZero() throws IOException {
        Interactions pos = Dataset.ML_1M.positives(raw(Dataset.ML_1M));
        DataSplit s = DataSplit.create(pos, SplitConfig.defaults(0));
        // 6,034 of 6,038 users have >= 5 positives -> 600 + 600 held out, 4,834 training users
        assertEquals(4_834, s.train().numUsers());
        assertEquals(600, s.validation().users().size());
        assertEquals(600, s.test().users().size());
        assertEquals(600, s.validation().evaluatedUsers());
        assertEquals(600, s.test().evaluatedUsers());
        // regression values of this seed (SplittableRandom's sequence is fixed by its specification)
        assertEquals(3_396, s.items().size());
        assertEquals(456_710, s.train().size());
        assertEquals(49_768, s.validation().foldIn().size());
        assertEquals(12_124, s.validation().eval().size());
        assertEquals(45_440, s.test().foldIn().size());
        assertEquals(11_064, s.test().eval().size());
    }
}
