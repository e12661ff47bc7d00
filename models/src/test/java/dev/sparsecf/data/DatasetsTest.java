package dev.sparsecf.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsecf.kernels.synthetic.SyntheticClicks;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path tmp;

    @Test
    void dataDirPrefersTheEnvironmentThenSharedDataThenLocalData() throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        String elsewhere = tmp.resolve("elsewhere").toString();
        assertEquals(Path.of(elsewhere), Datasets.defaultDataDir(elsewhere, repo));
        assertEquals(repo.resolve("data"), Datasets.defaultDataDir(null, repo));
        assertEquals(repo.resolve("data"), Datasets.defaultDataDir(" ", repo));
        Path shared = Files.createDirectories(tmp.resolve("shared").resolve("data"));
        assertEquals(shared, Datasets.defaultDataDir(null, repo));
    }

    @Test
    void missingDatasetSaysWhereItLookedAndHowToObtainIt() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> Datasets.load("ml-1m", tmp));
        String m = e.getMessage();
        assertTrue(m.contains(tmp.resolve("ml-1m").resolve("ratings.dat").toString()), m);
        assertTrue(m.contains("ml-1m.zip") && m.contains(Datasets.DATA_DIR_ENV), m);
        FileNotFoundException noDir = assertThrows(FileNotFoundException.class,
                () -> Dataset.LASTFM.loadRaw(tmp.resolve("absent")));
        assertTrue(noDir.getMessage().contains("lastfm-hetrec2011") && noDir.getMessage().contains("does not exist"),
                noDir.getMessage());
    }

    @Test
    void namedDatasetIsReadFromItsFolderAndBinarised() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("ml-100k"));
        Files.writeString(folder.resolve("u.data"), "1\t10\t5\t0\n1\t11\t3\t0\n2\t10\t4\t0\n3\t12\t1\t0\n");
        Interactions x = Datasets.load("ML-100K", tmp);
        // ratings >= 4: (1, 10) and (2, 10); user 3 and items 11, 12 have no positive
        assertEquals(2, x.numUsers());
        assertEquals(1, x.numItems());
        assertEquals(2, x.size());
        assertEquals("ml-100k (rating >= 4)", x.source());
    }

    @Test
    void syntheticSpecTakesAScale() throws IOException {
        Interactions x = Datasets.load("synthetic:0.002", tmp);
        assertEquals(Math.round(SyntheticClicks.ML20M_USERS * 0.002), x.numUsers());
        assertEquals(SyntheticClicks.ML20M_ITEMS, x.numItems());
        assertThrows(IllegalArgumentException.class, () -> Datasets.load("synthetic:big", tmp));
        assertThrows(IllegalArgumentException.class, () -> Datasets.load("synthetic:-1", tmp));
        assertThrows(IllegalArgumentException.class, () -> Datasets.load("ml-1m:2", tmp));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Datasets.load("netflix", tmp));
        assertTrue(unknown.getMessage().contains("ml-1m, ml-100k"), unknown.getMessage());
    }

    /**
     * Users and items scale separately: 0.002 x 136,677 users, 3 x 20,108 items, 40 clicks per user on average; the
     * Zipf(0.9) popularity puts about 46% of the expected clicks on the top 1% of items (sum of i^-0.9 to 603 over
     * the sum to 60,324), item 0 the most popular.
     */
    @Test
    void syntheticSpecScalesUsersAndItems() throws IOException {
        Interactions x = Datasets.load("synthetic:users=0.002,items=3,activity=40", tmp);
        assertEquals(Math.round(SyntheticClicks.ML20M_USERS * 0.002), x.numUsers());
        assertEquals(3 * SyntheticClicks.ML20M_ITEMS, x.numItems());
        double perUser = (double) x.size() / x.numUsers();
        assertTrue(perUser > 30 && perUser < 50, "mean clicks per user " + perUser);
        int[] counts = x.itemCounts();
        int[] sorted = counts.clone();
        java.util.Arrays.sort(sorted);
        assertEquals(sorted[sorted.length - 1], counts[0], "item 0 is the most popular");
        long top = 0;
        for (int t = 0; t < counts.length / 100; t++) {
            top += sorted[sorted.length - 1 - t];
        }
        double share = (double) top / x.size();
        assertTrue(share > 0.35 && share < 0.6, "top 1% of items hold " + share + " of the clicks");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load("synthetic:users=1,itemz=2", tmp));
        assertTrue(e.getMessage().startsWith("bad synthetic parameter 'itemz=2' in 'synthetic:users=1,itemz=2'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Datasets.load("synthetic:items=0", tmp));
        assertThrows(IllegalArgumentException.class, () -> Datasets.load("synthetic:activity=2", tmp));
    }
}
