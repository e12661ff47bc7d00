package dev.sparsecf.models.ease;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.eval.Metric;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.DoubleStream;

/**
 * EASE's lambda (EDLAE's and DLAE's dropout odds, per L2 weight) chosen on validation users: {@link #fitAndSelect}
 * fits a grid, searches past its edge while that improves, and keeps the best. An instance holds one search's
 * candidates and the model of the last one tried (the only one kept).
 */
public final class LambdaSearch implements AutoCloseable {

    /**
     * Default bound on {@link #fitAndSelect}'s steps past the grid's edge: with a 1-2-5 grid from 100, four steps
     * reach 6.25, a 16th of the smallest given value.
     */
    public static final int DEFAULT_EDGE_STEPS = 4;

    /** The cut-off of the validation metric lambda is chosen by (NDCG@100, as Steck and Liang et al. report). */
    public static final int SELECTION_K = 100;

    /** Catalogue size from which a fit prints its phases: n^3 >= 10^12 flops, seconds to minutes. */
    private static final int VERBOSE_FIT_ITEMS = 10_000;

    private final DataSplit split;
    private final ClosedForm form;
    private final Precision precision;
    private final Kernels kernels;
    private final Consumer<String> log;
    private final List<Candidate> candidates = new ArrayList<>();
    private EaseModel last;
    private Neighbourhoods neighbourhoods; // a neighbourhood search's sparse Gram and neighbours, shared by every lambda

    private LambdaSearch(DataSplit split, ClosedForm form, Precision precision, Kernels kernels, Consumer<String> log) {
        this.split = split;
        this.form = form;
        this.precision = precision;
        this.kernels = kernels;
        this.log = log;
    }

    /** {@link #fitAndSelect(DataSplit, double[], int, Precision, Kernels, Consumer)} in float64. */
    public static Selection fitAndSelect(DataSplit split, double[] lambdas, int edgeSteps, Kernels kernels,
                                         Consumer<String> log) {
        return fitAndSelect(split, lambdas, edgeSteps, Precision.FLOAT64, kernels, log);
    }

    /**
     * Fits on the training users for each lambda and keeps the one with the best validation NDCG@{@value #SELECTION_K}
     * (the first on ties), as in Liang et al.'s and Steck's protocol: the held-out validation users are never
     * trained on, their fold-in rows are scored. If the best of two or more distinct lambdas is the smallest (or the
     * largest), the search goes on past that edge, each step by the ratio of the grid's two outermost lambdas there
     * (100, 200, ... goes on to 50, 25, ...), until a step is no better or {@code edgeSteps} steps are taken; if the
     * best is still at the edge then, the log says so. At most one model is in memory while fitting; the chosen one
     * is fitted again at the end unless it was the last one tried.
     *
     * @throws IllegalArgumentException as {@link #check}, or if the validation set has no evaluated users
     */
    public static Selection fitAndSelect(DataSplit split, double[] lambdas, int edgeSteps, Precision precision,
                                         Kernels kernels, Consumer<String> log) {
        return fitAndSelect(split, ClosedForm.EASE, lambdas, edgeSteps, precision, 0, kernels, log);
    }

    /**
     * As {@link #fitAndSelect(DataSplit, double[], int, Precision, Kernels, Consumer)}; with {@code neighbours} K > 0
     * a neighbourhood-restricted EASE ({@link Neighbourhoods}, float64 solves), whose sparse Gram matrix and
     * neighbours are computed once for every lambda.
     *
     * @throws IllegalArgumentException also if {@code neighbours} is negative, or positive with float32
     */
    public static Selection fitAndSelect(DataSplit split, double[] lambdas, int edgeSteps, Precision precision,
                                         int neighbours, Kernels kernels, Consumer<String> log) {
        return fitAndSelect(split, ClosedForm.EASE, lambdas, edgeSteps, precision, neighbours, kernels, log);
    }

    /**
     * {@link #fitAndSelect(DataSplit, double[], int, Precision, Kernels, Consumer)} for the closed form {@code form}:
     * the searched {@code lambdas} are its penalty strengths: lambdas (EASE) or dropout odds (EDLAE, DLAE).
     */
    public static Selection fitAndSelect(DataSplit split, ClosedForm form, double[] lambdas, int edgeSteps,
                                         Precision precision, Kernels kernels, Consumer<String> log) {
        return fitAndSelect(split, form, lambdas, edgeSteps, precision, 0, kernels, log);
    }

    /** The search for the closed form {@code form}; {@code neighbours} K > 0 (EASE only) restricts each column to K items. */
    public static Selection fitAndSelect(DataSplit split, ClosedForm form, double[] lambdas, int edgeSteps,
                                         Precision precision, int neighbours, Kernels kernels, Consumer<String> log) {
        return search(split, form, new double[] {0}, lambdas, edgeSteps, precision, neighbours, kernels, log);
    }

    /**
     * EDLAE's and DLAE's search over their two penalties: for each L2 weight of {@code l2s} in ascending order, dropout
     * odds and past their edge as for one penalty (at the smallest weight {@code odds}; at each next one half, once and
     * twice the odds the weight before chose, since the best odds move little from one weight to the next and three
     * fits find where they went); it stops after the first L2 weight whose best validation
     * NDCG@{@value #SELECTION_K} is below the previous one's (it rises and then falls along the L2 weight, so the
     * weights past the optimum need not be fitted) and keeps the best pair.
     *
     * @throws IllegalArgumentException for EASE (whose lambda is its L2 weight), an empty {@code l2s} or one that is
     *                                  negative or not finite, and as {@link #check}
     */
    public static Selection fitAndSelect(DataSplit split, ClosedForm form, double[] l2s, double[] odds, int edgeSteps,
                                         Precision precision, Kernels kernels, Consumer<String> log) {
        if (form == ClosedForm.EASE) {
            throw new IllegalArgumentException("EASE: lambda is its L2 weight; search it alone");
        }
        checkL2(l2s);
        return search(split, form, l2s, odds, edgeSteps, precision, 0, kernels, log);
    }

    private static Selection search(DataSplit split, ClosedForm form, double[] l2s, double[] lambdas, int edgeSteps,
                                    Precision precision, int neighbours, Kernels kernels, Consumer<String> log) {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(form, "form");
        if (neighbours > 0 && form != ClosedForm.EASE) {
            throw new IllegalArgumentException(form.label + ": neighbourhoods (K = " + neighbours + ") are for EASE only");
        }
        if (neighbours < 0 || neighbours > 0 && precision != Precision.FLOAT64) {
            throw new IllegalArgumentException("EASE: the neighbourhood size K must be >= 1 and solves in float64, got K = "
                    + neighbours + " and " + precision);
        }
        Objects.requireNonNull(log, "log");
        check(lambdas, edgeSteps);
        if (split.validation().evaluatedUsers() == 0) {
            throw new IllegalArgumentException("EASE: the validation set has no users with evaluation items, so lambda"
                    + " cannot be chosen: " + split.summary());
        }
        LambdaSearch search = new LambdaSearch(split, form, precision, kernels, log);
        try (search; CsrMatrix train = split.train().toCsr()) {
            if (neighbours > 0) {
                search.neighbourhoods = Neighbourhoods.prepare(train, neighbours, kernels, log);
            }
            double[] weights = DoubleStream.of(l2s).distinct().sorted().toArray();
            double previous = Double.NEGATIVE_INFINITY;
            double[] grid = lambdas;
            for (int w = 0; w < weights.length; w++) {
                Candidate here = search.searchStrengths(train, weights[w], grid, edgeSteps);
                double best = here.validationNdcg();
                if (best < previous) {
                    log.accept(String.format(Locale.ROOT, "%s: L2 %s does worse than L2 %s; the larger L2 weights are"
                            + " not tried", form.label, Lambdas.format(weights[w]), Lambdas.format(weights[w - 1])));
                    break;
                }
                previous = best;
                grid = new double[] {here.lambda() / 2, here.lambda(), here.lambda() * 2};
            }
            Selection selection = search.select(train);
            selection.edge().ifPresent(edge -> log.accept(String.format(Locale.ROOT, "%s: warning: the chosen %s"
                            + " %s is the %s tried, so the validation optimum may lie beyond it; allow more edge steps or"
                            + " widen the grid", form.label, form.strength, Lambdas.format(selection.lambda()), edge)));
            if (weights.length > 1 && selection.l2() == weights[weights.length - 1]) {
                log.accept(String.format(Locale.ROOT, "%s: warning: the chosen L2 %s is the largest given, so the"
                        + " validation optimum may lie beyond it; widen the L2 grid", form.label,
                        Lambdas.format(selection.l2())));
            }
            return selection;
        }
    }

    /**
     * Tries {@code lambdas} at the L2 weight {@code l2}, then past their edge, each step by the ratio of the grid's two
     * outermost lambdas there, until a step is no better or {@code edgeSteps} are taken; returns the best candidate at
     * {@code l2}.
     */
    private Candidate searchStrengths(CsrMatrix train, double l2, double[] lambdas, int edgeSteps) {
        int from = candidates.size();
        for (double lambda : lambdas) {
            tryLambda(train, l2, lambda);
        }
        double[] grid = DoubleStream.of(lambdas).distinct().sorted().toArray();
        int n = grid.length;
        for (int step = 0; step < edgeSteps && n >= 2; step++) {
            List<Candidate> here = candidates.subList(from, candidates.size());
            double chosen = bestOf(here).lambda();
            Optional<Edge> edge = Edge.of(chosen, here);
            if (edge.isEmpty()) {
                break;
            }
            double next = edge.get() == Edge.SMALLEST ? chosen * grid[0] / grid[1] : chosen * grid[n - 1] / grid[n - 2];
            log.accept(String.format(Locale.ROOT, "%s: the best %s %s is the %s tried; trying %s", label(l2),
                    form.strength, Lambdas.format(chosen), edge.get(), Lambdas.format(next)));
            tryLambda(train, l2, next);
        }
        return bestOf(candidates.subList(from, candidates.size()));
    }

    /** The first of {@code tried} with the highest validation NDCG. */
    private static Candidate bestOf(List<Candidate> tried) {
        Candidate best = tried.getFirst();
        for (Candidate c : tried) {
            if (c.validationNdcg() > best.validationNdcg()) {
                best = c;
            }
        }
        return best;
    }

    /** The model's name in a log line, with the L2 weight where the form has one. */
    private String label(double l2) {
        return form == ClosedForm.EASE ? form.label : form.label + " L2 " + Lambdas.format(l2);
    }

    /** Checks the L2 weights of a two-penalty search: at least one, each finite and >= 0. */
    private static void checkL2(double[] l2s) {
        Objects.requireNonNull(l2s, "l2s");
        if (l2s.length == 0) {
            throw new IllegalArgumentException("EDLAE/DLAE: no L2 weight to choose from");
        }
        for (double l2 : l2s) {
            if (!(l2 >= 0) || Double.isInfinite(l2)) {
                throw new IllegalArgumentException("EDLAE/DLAE: every L2 weight must be a finite number >= 0, got " + l2);
            }
        }
    }

    /**
     * Checks {@link #fitAndSelect}'s grid and edge steps, so that a caller can reject them before hours of other
     * work (and {@code fitAndSelect} before fitting any lambda: a fit would only find a bad one in turn).
     *
     * @throws IllegalArgumentException if {@code lambdas} is empty or holds a lambda that is not positive and
     *                                  finite, or {@code edgeSteps} is negative
     */
    public static void check(double[] lambdas, int edgeSteps) {
        Objects.requireNonNull(lambdas, "lambdas");
        if (lambdas.length == 0) {
            throw new IllegalArgumentException("EASE: no lambda to choose from");
        }
        for (double lambda : lambdas) {
            if (!(lambda > 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("EASE: every lambda must be a positive finite number, got " + lambda);
            }
        }
        if (edgeSteps < 0) {
            throw new IllegalArgumentException("EASE: the steps past the grid's edge must be >= 0, got " + edgeSteps);
        }
    }

    private void tryLambda(CsrMatrix train, double l2, double lambda) {
        freeLast();
        last = fit(train, l2, lambda);
        double ndcg = last.evaluate(split.validation(), SELECTION_K).mean(Metric.NDCG, SELECTION_K);
        boolean bestSoFar = candidates.isEmpty() || ndcg > best().validationNdcg();
        candidates.add(new Candidate(lambda, ndcg, l2));
        log.accept(String.format(Locale.ROOT, "%s %s %s: validation NDCG@%d = %.4f (fit %.1f s)%s", label(l2),
                form.strength, Lambdas.format(lambda),
                SELECTION_K, ndcg, last.report().orElseThrow().totalNanos() / 1e9,
                bestSoFar ? " (best so far)" : ""));
    }

    /**
     * Where a fit's own lines go: quick fits stay quiet (one line per lambda), a fit over {@link #VERBOSE_FIT_ITEMS}
     * items or more shows its phases and progress, so that a long fit can be told from a hang.
     */
    private Consumer<String> fitLog(CsrMatrix train) {
        return train.cols() >= VERBOSE_FIT_ITEMS ? log : msg -> { };
    }

    /** The first candidate with the best validation NDCG of all tried. */
    private Candidate best() {
        return bestOf(candidates);
    }

    /** The selection; its model is the last one fitted if that is the best, else the best fitted again. */
    private Selection select(CsrMatrix train) {
        EaseModel model;
        Candidate chosen = best();
        if (chosen == candidates.getLast()) { // the very candidate fitted last, not an equal one
            model = last;
            last = null;
        } else {
            freeLast();
            log.accept(label(chosen.l2()) + ": refitting the chosen " + form.strength + " "
                    + Lambdas.format(chosen.lambda()));
            model = fit(train, chosen.l2(), chosen.lambda());
        }
        return new Selection(model, chosen.lambda(), chosen.validationNdcg(), candidates, chosen.l2());
    }

    private EaseModel fit(CsrMatrix train, double l2, double lambda) {
        return neighbourhoods != null ? neighbourhoods.fit(lambda, fitLog(train))
                : EaseFitter.fit(train, form, lambda, l2, precision, kernels, fitLog(train));
    }

    /** Frees the last model tried unless the selection took it, and the neighbourhoods. */
    @Override
    public void close() {
        freeLast();
        if (neighbourhoods != null) {
            neighbourhoods.close();
            neighbourhoods = null;
        }
    }

    /** Frees the model of the previous lambda before the next fit allocates its own. */
    private void freeLast() {
        if (last != null) {
            last.close();
            last = null;
        }
    }
}
