package dev.sparsecf.study.report;

import dev.sparsecf.study.StudyVariant;
import dev.sparsecf.study.report.BetaStudyStats.Estimate;
import dev.sparsecf.study.report.BetaStudyStats.Paired;
import java.util.Locale;

/** The words and number formats every part of the beta-study report shares. */
final class ReportText {

    /** The significance level behind the words "significant" and "no significant difference". */
    static final double ALPHA = 0.05;
    static final String PENDING = "pending";
    static final String NOT_ENOUGH = "not enough data";
    static final String NOT_APPLICABLE = "n/a";
    static final String NOT_RUN = "not run";
    /** What a comparison on one seed says instead of a seed-level p. */
    static final String NO_SEED_TEST = "1 seed: no seed-level test";
    /** The label of a p-value outside every Holm family. */
    static final String EXPLORATORY = "exploratory (uncorrected)";

    private ReportText() {
    }

    /** A grid value without trailing zeros: 0, 0.01, 0.2, 1; empty for NaN. */
    static String param(double v) {
        return Double.isNaN(v) ? "" : StudyVariant.number(v);
    }

    /** {@code v} with thousands separators and {@code decimals} decimals; empty for NaN. */
    static String num(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** "mean ± se" (* marks a one-seed estimate whose SE is across users); "pending" for no seed. */
    static String estimate(Estimate e, int decimals) {
        if (e.n() == 0) {
            return PENDING;
        }
        String m = num(e.mean(), decimals);
        return Double.isNaN(e.se()) ? m : m + " ± " + num(e.se(), decimals) + (e.n() == 1 ? "*" : "");
    }

    /** A latent-space estimate of {@code s}; "n/a" for Mult-DAE and EASE, which have no variational posterior. */
    static String latent(Summary s, Estimate e, int decimals) {
        return StudyVariant.Family.byLabel(s.variant().family()).isVae() ? estimate(e, decimals) : NOT_APPLICABLE;
    }

    /** A paired difference with its SE across seeds, "+0.0033 ± 0.0012"; just "+0.0033" with one seed. */
    static String diff(Paired p) {
        String d = String.format(Locale.ROOT, "%+.4f", p.diff());
        return p.seedTested() ? d + String.format(Locale.ROOT, " ± %.4f", p.seedSe()) : d;
    }

    /** The seed-level p with its degrees of freedom, "0.070 (df 2)", or {@link #NO_SEED_TEST}. */
    static String seedP(Paired p) {
        return p.seedTested() ? pValue(p.seedP()) + " (df " + (p.seeds() - 1) + ")" : NO_SEED_TEST;
    }

    /** The per-user (secondary) test in words: "per user ± 0.0011, p 0.001". */
    static String perUser(Paired p) {
        return String.format(Locale.ROOT, "per user ± %.4f, p %s", p.userSe(), pValue(p.userP()));
    }

    /** A p-value to three decimals, "< 0.001" below that. */
    static String pValue(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    /**
     * The verdict of the seed-level test of {@code paired} at {@code p} (its seed-level p, Holm-adjusted or not),
     * or {@link #NO_SEED_TEST} with one seed: a per-user p alone never makes a difference significant.
     */
    static String verdict(Paired paired, double p, String a, String b) {
        if (!paired.seedTested()) {
            return NO_SEED_TEST;
        }
        if (p >= ALPHA) {
            return "no significant difference";
        }
        return (paired.diff() > 0 ? a : b) + " significantly better";
    }

    /** A Markdown image of {@code plot} in the folder of {@code dataset}, relative to the README. */
    static String imageLink(String plot, String dataset) {
        // "./" keeps a dataset name with a colon (synthetic:0.02) from reading as a URL scheme
        return "![" + plot + "](./" + dataset.replace(" ", "%20") + "/" + plot + ")";
    }

    /** "1 seed", "3 seeds". */
    static String seeds(int n) {
        return count(n, "seed");
    }

    /** {@code n} and {@code noun}, plural unless {@code n} is 1: "1 cell", "3 cells". */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
