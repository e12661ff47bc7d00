package dev.sparsecf.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The named public datasets, each in its own folder of the data directory ({@link Datasets#defaultDataDir()}),
 * with the rule that turns its stored values into positives (implicit feedback).
 */
public enum Dataset {

    /** MovieLens 1M; positives are ratings {@code >= 4} (Liang et al. 2018). */
    ML_1M("ml-1m", "ml-1m", 4f, "rating >= 4",
            "unzip https://files.grouplens.org/datasets/movielens/ml-1m.zip so that ml-1m/ratings.dat exists"
                    + " (or use the rebuilt ratings_known.dat + pairs_rating_unknown.dat of the project's shared data)"),
    /** MovieLens 100K ({@code u.data}); positives are ratings {@code >= 4}. */
    ML_100K("ml-100k", "ml-100k", 4f, "rating >= 4",
            "unzip https://files.grouplens.org/datasets/movielens/ml-100k.zip so that ml-100k/u.data exists"),
    /** MovieLens latest-small ({@code ratings.csv}, half stars); positives are ratings {@code >= 4}. */
    ML_LATEST_SMALL("ml-latest-small", "ml-latest-small", 4f, "rating >= 4",
            "unzip https://files.grouplens.org/datasets/movielens/ml-latest-small.zip so that ml-latest-small/ratings.csv exists"),
    /** CiteULike-a (Wang and Blei 2011) {@code users.dat}; every library entry is a positive. */
    CITEULIKE_A("citeulike-a", "citeulike-a", Float.NaN, "every pair",
            "copy users.dat of https://github.com/js05212/citeulike-a to citeulike-a/users.dat"),
    /** CiteULike-t (Wang, Chen and Li 2013) {@code users.dat}; every library entry is a positive. */
    CITEULIKE_T("citeulike-t", "citeulike-t", Float.NaN, "every pair",
            "copy citeulike-t/users.dat of https://github.com/changun/CollMetric to citeulike-t/users.dat"),
    /** Last.fm HetRec 2011 {@code user_artists.dat}; positives are artists with a play count {@code > 0}. */
    LASTFM("lastfm", "lastfm-hetrec2011", Float.MIN_VALUE, "play count > 0",
            "unzip https://files.grouplens.org/datasets/hetrec2011/hetrec2011-lastfm-2k.zip into lastfm-hetrec2011/"
                    + " (user_artists.dat)"),
    /** Amazon-Book as preprocessed by KGAT (10-core); train and test merged, every pair a positive. */
    AMAZON_BOOK("amazon-book", "amazon-book-kgat", Float.NaN, "every pair (train + test merged)",
            "copy Data/amazon-book/train.txt and test.txt of https://github.com/xiangwang1223/knowledge_graph_attention_network"
                    + " to amazon-book-kgat/"),
    /** Generated ML-20M-shaped clicks ({@link dev.sparsecf.kernels.synthetic.SyntheticClicks}); needs no files. */
    SYNTHETIC("synthetic", null, Float.NaN, "every pair", "nothing to obtain: generated");

    private final String id;
    private final String folder;
    private final float minPositive; // NaN: every stored pair is a positive
    private final String positiveRule;
    private final String howToObtain;

    Dataset(String id, String folder, float minPositive, String positiveRule, String howToObtain) {
        this.id = id;
        this.folder = folder;
        this.minPositive = minPositive;
        this.positiveRule = positiveRule;
        this.howToObtain = howToObtain;
    }

    /** The dataset's name on the command line, e.g. {@code ml-1m}. */
    public String id() {
        return id;
    }

    /** The folder under the data directory (null for synthetic data). */
    public String folder() {
        return folder;
    }

    /** Which pairs count as positives, e.g. {@code rating >= 4}. */
    public String positiveRule() {
        return positiveRule;
    }

    /** The dataset called {@code id} (case-insensitive). */
    public static Dataset byId(String id) {
        for (Dataset d : values()) {
            if (d.id.equalsIgnoreCase(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + id + "'; known: " + ids());
    }

    /** All dataset names, comma-separated. */
    public static String ids() {
        return Arrays.stream(values()).map(Dataset::id).collect(Collectors.joining(", "));
    }

    /**
     * The stored pairs with their values (ratings, play counts; NaN where unknown) from {@code dataDir/folder}.
     *
     * @throws FileNotFoundException saying where it looked and how to obtain the files
     */
    public Interactions loadRaw(Path dataDir) throws IOException {
        return switch (this) {
            case ML_1M -> {
                Path original = require(dataDir, "ratings.dat", "ratings_known.dat");
                if (original.getFileName().toString().equals("ratings.dat")) {
                    yield InteractionLoaders.movieLensDat(original);
                }
                // the rebuilt set: known ratings plus the pairs whose rating is unknown (NaN, never a positive)
                Interactions.Builder b = Interactions.builder(original.getParent().toString());
                InteractionLoaders.movieLensDat(original, b);
                InteractionLoaders.movieLensDat(require(dataDir, "pairs_rating_unknown.dat"), b);
                yield b.build();
            }
            case ML_100K -> InteractionLoaders.movieLens100k(require(dataDir, "u.data"));
            case ML_LATEST_SMALL -> InteractionLoaders.movieLensCsv(require(dataDir, "ratings.csv"));
            case CITEULIKE_A, CITEULIKE_T -> InteractionLoaders.countedUserLists(require(dataDir, "users.dat"));
            case LASTFM -> InteractionLoaders.pairs(require(dataDir, "user_artists.dat"), true);
            case AMAZON_BOOK -> {
                Path train = require(dataDir, "train.txt");
                Path test = require(dataDir, "test.txt");
                Interactions.Builder b = Interactions.builder(train.getParent().toString());
                InteractionLoaders.userLists(train, b);
                InteractionLoaders.userLists(test, b);
                yield b.build();
            }
            case SYNTHETIC -> throw new UnsupportedOperationException("synthetic data has no files; use Datasets.synthetic");
        };
    }

    /** The positives of {@link #loadRaw(Path)} by {@link #positiveRule()}, as binary interactions. */
    public Interactions loadPositives(Path dataDir) throws IOException {
        return positives(loadRaw(dataDir));
    }

    /** Applies {@link #positiveRule()} to interactions loaded by {@link #loadRaw(Path)}. */
    public Interactions positives(Interactions raw) {
        String source = id + " (" + positiveRule + ")";
        raw.requireNonEmpty();
        return Float.isNaN(minPositive) ? raw.withSource(source) : raw.positives(minPositive, source);
    }

    /** The first of {@code candidates} present in this dataset's folder, or an error listing where it looked. */
    private Path require(Path dataDir, String... candidates) throws FileNotFoundException {
        Path dir = dataDir.resolve(folder);
        for (String name : candidates) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        List<String> looked = Arrays.stream(candidates).map(c -> dir.resolve(c).toString()).toList();
        String where = Files.isDirectory(dataDir) ? "" : " (the data directory " + dataDir.toAbsolutePath() + " does not exist)";
        throw new FileNotFoundException(String.format(Locale.ROOT,
                "dataset '%s' not found: looked for %s%s. To obtain it: %s, under the data directory (set it with --data-dir"
                        + " or the %s environment variable).",
                id, String.join(" or ", looked), where, howToObtain, Datasets.DATA_DIR_ENV));
    }
}
