package dev.sparsecf.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.Datasets;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ease.Candidate;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * EASE's ranking quality on a real dataset, for the record: Liang et al.'s split ({@code SplitConfig.defaults(seed)})
 * with its fingerprint ({@link DataSplit#export} into a temporary directory), lambda chosen by validation
 * NDCG@100 ({@link LambdaSearch#fitAndSelect}) in float64 and, on OpenBLAS, float32, the test metrics of each choice, and
 * how far the float32 rankings stray from the float64 ones at the float64 lambda (top-100 overlap on the test users).
 * Not JMH: it measures accuracy, not speed.
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * bench/target/sparsecf-bench.jar dev.sparsecf.bench.EaseQuality --dataset ml-1m [--data-dir DIR] [--seed 0]
 * [--lambdas 100,200,300,500,700,1000,2000] [--blas openblas] [--threads 2] [--json FILE]}.
 */
public final class EaseQuality {

    /** Cut-off of the ranking overlap between the two precisions. */
    private static final int OVERLAP_K = 100;

    private EaseQuality() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = EaseFitBenchmark.options(args, Map.of("--dataset", "ml-1m", "--data-dir",
                Datasets.defaultDataDir().toString(), "--seed", "0", "--lambdas", "100,200,300,500,700,1000,2000",
                "--blas", "openblas", "--kernels", "panama", "--threads", "2", "--json", ""));
        long seed = Long.parseLong(opt.get("--seed"));
        double[] lambdas = Arrays.stream(opt.get("--lambdas").split(",")).mapToDouble(Double::parseDouble).toArray();
        int threads = Integer.parseInt(opt.get("--threads"));
        Kernels kernels = Kernels.create(opt.get("--kernels"), opt.get("--blas"), threads);
        System.out.println("dense algebra: " + kernels.denseImplementationName());

        DataSplit split = DataSplit.create(Datasets.load(opt.get("--dataset"), Path.of(opt.get("--data-dir"))),
                SplitConfig.defaults(seed));
        System.out.print(split.summary());
        String fingerprint = fingerprint(split);
        System.out.println("split fingerprint (DataSplit.export): " + fingerprint);

        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("date", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        root.put("dataset", opt.get("--dataset"));
        ObjectNode splitNode = root.putObject("split");
        splitNode.put("config", "SplitConfig.defaults(" + seed + ")");
        splitNode.put("provenance", split.provenance());
        splitNode.put("fingerprint", fingerprint);
        splitNode.put("items", split.items().size());
        splitNode.put("trainUsers", split.train().numUsers());
        splitNode.put("validationUsers", split.validation().evaluatedUsers());
        splitNode.put("testUsers", split.test().evaluatedUsers());
        root.put("dense", kernels.denseImplementationName());
        root.put("selection", "lambda with the best validation NDCG@" + LambdaSearch.SELECTION_K + " among "
                + Arrays.toString(lambdas));

        List<Precision> precisions = kernels.hasFloatInverse()
                ? List.of(Precision.FLOAT64, Precision.FLOAT32) : List.of(Precision.FLOAT64);
        ObjectNode byPrecision = root.putObject("precisions");
        double float64Lambda = Double.NaN;
        for (Precision precision : precisions) {
            // the grid only (no steps past its edge), so that both precisions choose among the same lambdas
            Selection sel = LambdaSearch.fitAndSelect(split, lambdas, 0, precision, kernels, System.out::println);
            try (EaseModel model = sel.model()) {
                EvaluationResult test = model.evaluate(split.test());
                System.out.printf(Locale.ROOT, "%s: lambda %s (validation NDCG@%d %.4f); test:%n%s", precision,
                        Lambdas.format(sel.lambda()), LambdaSearch.SELECTION_K, sel.validationNdcg(), test.format());
                ObjectNode p = byPrecision.putObject(precision.name().toLowerCase(Locale.ROOT));
                p.put("lambda", sel.lambda());
                p.put("validationNdcg@" + LambdaSearch.SELECTION_K, sel.validationNdcg());
                ArrayNode candidates = p.putArray("candidates");
                for (Candidate c : sel.candidates()) {
                    candidates.addObject().put("lambda", c.lambda()).put("validationNdcg@" + LambdaSearch.SELECTION_K,
                            c.validationNdcg());
                }
                p.set("test", metrics(mapper, test));
                p.put("fitSeconds", model.report().orElseThrow().totalNanos() / 1e9);
            }
            if (precision == Precision.FLOAT64) {
                float64Lambda = sel.lambda();
            }
        }
        if (precisions.size() == 2) {
            double overlap = topOverlap(split, float64Lambda, kernels);
            System.out.printf(Locale.ROOT, "float32 vs float64 at lambda %s: mean top-%d overlap on the test users %.5f%n",
                    Lambdas.format(float64Lambda), OVERLAP_K, overlap);
            ObjectNode o = root.putObject("float32VsFloat64");
            o.put("lambda", float64Lambda);
            o.put("meanTop" + OVERLAP_K + "Overlap", overlap);
        }
        if (!opt.get("--json").isEmpty()) {
            Path out = Path.of(opt.get("--json"));
            Files.writeString(out, mapper.writeValueAsString(root) + "\n");
            System.out.println("wrote " + out);
        }
    }

    /** The split's fingerprint as {@link DataSplit#export} computes it, exported into a temporary directory. */
    static String fingerprint(DataSplit split) throws IOException {
        Path exportDir = Files.createTempDirectory("sparsecf-split-");
        try {
            return split.export(exportDir);
        } finally {
            try (Stream<Path> files = Files.walk(exportDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Mean and standard error of Recall and NDCG at every cut-off. */
    private static ObjectNode metrics(ObjectMapper mapper, EvaluationResult r) {
        ObjectNode m = mapper.createObjectNode();
        m.put("users", r.users());
        for (Metric metric : Metric.values()) {
            for (int k : r.ks()) {
                m.putObject(metric.at(k)).put("mean", r.mean(metric, k)).put("standardError", r.standardError(metric, k));
            }
        }
        return m;
    }

    /** The share of each test user's top-100 items (fold-in excluded) that float32 and float64 fits have in common. */
    private static double topOverlap(DataSplit split, double lambda, Kernels kernels) {
        try (CsrMatrix x = split.train().toCsr(); CsrMatrix foldIn = split.test().foldIn().toCsr();
             EaseModel f64 = EaseFitter.fit(x, lambda, Precision.FLOAT64, kernels, msg -> { });
             EaseModel f32 = EaseFitter.fit(x, lambda, Precision.FLOAT32, kernels, msg -> { })) {
            int[] a = f64.topK(foldIn, OVERLAP_K);
            int[] b = f32.topK(foldIn, OVERLAP_K);
            double sum = 0;
            for (int u = 0; u < foldIn.rows(); u++) {
                Set<Integer> top = new HashSet<>();
                for (int r = 0; r < OVERLAP_K; r++) {
                    top.add(a[u * OVERLAP_K + r]);
                }
                int common = 0;
                for (int r = 0; r < OVERLAP_K; r++) {
                    common += top.contains(b[u * OVERLAP_K + r]) ? 1 : 0;
                }
                sum += (double) common / OVERLAP_K;
            }
            return sum / foldIn.rows();
        }
    }
}
