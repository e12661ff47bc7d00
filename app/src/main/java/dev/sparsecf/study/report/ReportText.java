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

    /** A paired difference as "+0.0033 ± 0.0012". */
    static String diff(Paired p) {
        return String.format(Locale.ROOT, "%+.4f ± %.4f", p.diff(), p.se());
    }

    /** A p-value to three decimals, "< 0.001" below that. */
    static String pValue(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    /** The verdict on a difference {@code diff} (A − B) with p-value {@code p}. */
    static String verdict(double p, double diff, String a, String b) {
        if (p >= ALPHA) {
            return "no significant difference";
        }
        return (diff > 0 ? a : b) + " significantly better";
    }

    /** A Markdown image of {@code plot} in the folder of {@code dataset}, relative to the README. */
    static String imageLink(String plot, String dataset) {
        // "./" keeps a dataset name with a colon (synthetic:0.02) from reading as a URL scheme
        return "![" + plot + "](./" + dataset.replace(" ", "%20") + "/" + plot + ")";
    }

    /** "1 seed", "3 seeds". */
    static String seeds(int n) {
        return n + (n == 1 ? " seed" : " seeds");
    }
}
