package dev.sparsecf.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Datasets;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ease.EaseFitter;
import dev.sparsecf.models.ease.EaseModel;
import dev.sparsecf.models.ease.LambdaSearch;
import dev.sparsecf.models.ease.Lambdas;
import dev.sparsecf.models.ease.Precision;
import dev.sparsecf.models.ease.Selection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Does EASE's float32 factorisation change any top-100 list? Fits float64 and float32 at one lambda on Liang et
 * al.'s split and compares, for every user (training users from their training rows, held-out users from their
 * fold-in rows, own items excluded), the two top-100 lists: a user counts as changed in order when any rank
 * differs and as changed in set when the 100 items differ. Lambda: {@code --lambda}, else chosen by float64
 * validation NDCG@100 over {@code --lambdas} (train's default grid) and past its edge, as {@code train} does. Not JMH: it measures rankings, not speed.
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * bench/target/sparsecf-bench.jar dev.sparsecf.bench.EaseFloat32Rankings --dataset ml-1m [--lambda 500]
 * [--json FILE]} (memory: {@code 12 n^2} bytes at the float64 peak).
 */
public final class EaseFloat32Rankings {

    private static final int K = 100;

    private EaseFloat32Rankings() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = EaseFitBenchmark.options(args, Map.of("--dataset", "ml-1m", "--data-dir",
                Datasets.defaultDataDir().toString(), "--seed", "0", "--lambda", "", "--lambdas",
                "100,200,300,500,700,1000,2000", "--blas", "openblas", "--kernels",
                "panama", "--threads", "2", "--json", ""));
        Kernels kernels = Kernels.create(opt.get("--kernels"), opt.get("--blas"), Integer.parseInt(opt.get("--threads")));
        DataSplit split = DataSplit.create(Datasets.load(opt.get("--dataset"), Path.of(opt.get("--data-dir"))),
                SplitConfig.defaults(Long.parseLong(opt.get("--seed"))));
        String fingerprint = EaseQuality.fingerprint(split);
        System.out.print(split.summary());
        System.out.println("split fingerprint: " + fingerprint);
        double lambda;
        String lambdaSource;
        if (opt.get("--lambda").isEmpty()) {
            Selection sel = LambdaSearch.fitAndSelect(split,
                    Arrays.stream(opt.get("--lambdas").split(",")).mapToDouble(Double::parseDouble).toArray(),
                    LambdaSearch.DEFAULT_EDGE_STEPS,
                    Precision.FLOAT64, kernels, System.out::println);
            sel.model().close();
            lambda = sel.lambda();
            lambdaSource = "chosen by float64 validation NDCG@100 over " + opt.get("--lambdas") + " and past its edge";
        } else {
            lambda = Double.parseDouble(opt.get("--lambda"));
            lambdaSource = "given";
        }
        Map<String, CsrMatrix> groups = new LinkedHashMap<>();
        groups.put("train", split.train().toCsr());
        groups.put("validation", split.validation().foldIn().toCsr());
        groups.put("test", split.test().foldIn().toCsr());
        try {
            int[][] f64 = topLists(groups, lambda, Precision.FLOAT64, kernels);
            int[][] f32 = topLists(groups, lambda, Precision.FLOAT32, kernels);
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode();
            root.put("date", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
            root.put("dataset", opt.get("--dataset"));
            root.put("splitFingerprint", fingerprint);
            root.put("items", split.items().size());
            root.put("lambda", lambda);
            root.put("lambdaSource", lambdaSource);
            root.put("dense", kernels.denseImplementationName());
            int g = 0;
            long users = 0;
            long orderChanged = 0;
            long setChanged = 0;
            for (String name : groups.keySet()) {
                Diff d = diff(f64[g], f32[g], groups.get(name).rows());
                root.putObject(name).put("users", d.users).put("orderChanged", d.orderChanged).put("setChanged", d.setChanged)
                        .put("ranksChanged", d.ranksChanged).put("itemsChanged", d.itemsChanged);
                users += d.users;
                orderChanged += d.orderChanged;
                setChanged += d.setChanged;
                g++;
            }
            root.putObject("all").put("users", users).put("orderChanged", orderChanged).put("setChanged", setChanged);
            System.out.printf(Locale.ROOT, "%s lambda %s: %,d users, top-%d order changed for %,d, set changed for %,d%n",
                    opt.get("--dataset"), Lambdas.format(lambda), users, K, orderChanged, setChanged);
            if (!opt.get("--json").isEmpty()) {
                Path out = Path.of(opt.get("--json"));
                Files.writeString(out, mapper.writeValueAsString(root) + "\n");
                System.out.println("wrote " + out);
            }
        } finally {
            groups.values().forEach(CsrMatrix::close);
        }
    }

    /** One fit, then every group's top-K lists (users x K ints), scored in the model's batches. */
    private static int[][] topLists(Map<String, CsrMatrix> groups, double lambda, Precision precision, Kernels kernels) {
        try (EaseModel model = EaseFitter.fit(groups.get("train"), lambda, precision, kernels, System.out::println)) {
            int[][] out = new int[groups.size()][];
            int g = 0;
            for (CsrMatrix rows : groups.values()) {
                int[] top = new int[Math.multiplyExact(rows.rows(), K)];
                for (int from = 0; from < rows.rows(); from += model.batchRows()) {
                    int to = Math.min(rows.rows(), from + model.batchRows());
                    System.arraycopy(model.topK(rows.rows(from, to), K), 0, top, from * K, (to - from) * K);
                }
                out[g++] = top;
            }
            return out;
        }
    }

    private record Diff(int users, int orderChanged, int setChanged, long ranksChanged, long itemsChanged) {
    }

    /** Users whose lists differ at any rank, users whose item sets differ, and the ranks and items that differ. */
    private static Diff diff(int[] a, int[] b, int users) {
        int order = 0;
        int set = 0;
        long ranks = 0;
        long items = 0;
        for (int u = 0; u < users; u++) {
            int[] x = Arrays.copyOfRange(a, u * K, (u + 1) * K);
            int[] y = Arrays.copyOfRange(b, u * K, (u + 1) * K);
            int differ = 0;
            for (int r = 0; r < K; r++) {
                differ += x[r] != y[r] ? 1 : 0;
            }
            Arrays.sort(x);
            Arrays.sort(y);
            int missing = 0;
            for (int r = 0; r < K; r++) {
                missing += Arrays.binarySearch(y, x[r]) < 0 ? 1 : 0;
            }
            order += differ > 0 ? 1 : 0;
            set += missing > 0 ? 1 : 0;
            ranks += differ;
            items += missing;
        }
        return new Diff(users, order, set, ranks, items);
    }
}
