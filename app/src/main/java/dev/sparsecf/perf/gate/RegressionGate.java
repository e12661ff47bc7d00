package dev.sparsecf.perf.gate;

import dev.sparsecf.perf.JmhResults;
import dev.sparsecf.render.TextTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a candidate JMH run with a baseline run ({@code sparsecf bench gate --baseline A --candidate B}):
 * results are matched by benchmark and sorted params; whether higher is better comes from each result's mode
 * (and unit); a result regressed when it is worse by more than the threshold <em>and</em> the two confidence
 * intervals do not overlap, so that a difference inside the measurement noise never fails a build.
 */
public final class RegressionGate {

    private RegressionGate() {
    }

    /** The outcome of one key; only {@link #REGRESSION} and {@link #INCOMPARABLE} fail the gate. */
    public enum Verdict {
        REGRESSION("REGRESSION"),
        /** Worse by more than the threshold, but the intervals overlap: not distinguishable from noise. */
        WITHIN_NOISE("within noise"),
        OK("ok"),
        IMPROVED("improved"),
        /** Mode or unit changed between the runs: the scores do not compare. */
        INCOMPARABLE("INCOMPARABLE"),
        /** A score is NaN or infinite (JMH writes "NaN", "+INF"): nothing to compare. */
        NO_SCORE("no score"),
        ONLY_BASELINE("only in baseline"),
        ONLY_CANDIDATE("only in candidate");

        final String text;

        Verdict(String text) {
            this.text = text;
        }

        public boolean fails() {
            return this == REGRESSION || this == INCOMPARABLE;
        }
    }

    /**
     * One key's comparison: {@code worse} is how much worse the candidate is as a fraction of the baseline
     * (negative when better), in the direction of the result's mode; {@code overlap} whether the confidence
     * intervals overlap (an interval JMH could not compute counts as the score alone).
     */
    public record Comparison(String key, JmhResults.Result baseline, JmhResults.Result candidate, double worse,
                      boolean overlap, Verdict verdict) {
    }

    /** Compares every key of either run; {@code threshold} is a fraction (0.1 for 10%). */
    public static List<Comparison> compare(List<JmhResults.Result> baseline, List<JmhResults.Result> candidate,
                                    double threshold) {
        Map<String, JmhResults.Result> base = byKey(baseline, "baseline");
        Map<String, JmhResults.Result> cand = byKey(candidate, "candidate");
        List<Comparison> out = new ArrayList<>();
        for (Map.Entry<String, JmhResults.Result> e : base.entrySet()) {
            JmhResults.Result c = cand.get(e.getKey());
            out.add(c == null
                    ? new Comparison(e.getKey(), e.getValue(), null, Double.NaN, false, Verdict.ONLY_BASELINE)
                    : compare(e.getKey(), e.getValue(), c, threshold));
        }
        for (Map.Entry<String, JmhResults.Result> e : cand.entrySet()) {
            if (!base.containsKey(e.getKey())) {
                out.add(new Comparison(e.getKey(), null, e.getValue(), Double.NaN, false, Verdict.ONLY_CANDIDATE));
            }
        }
        return out;
    }

    private static Comparison compare(String key, JmhResults.Result b, JmhResults.Result c, double threshold) {
        JmhResults.Metric mb = b.primary();
        JmhResults.Metric mc = c.primary();
        if (!b.mode().equals(c.mode()) || !mb.unit().equals(mc.unit())) {
            return new Comparison(key, b, c, Double.NaN, false, Verdict.INCOMPARABLE);
        }
        if (!Double.isFinite(mb.score()) || !Double.isFinite(mc.score()) || mb.score() == 0) {
            return new Comparison(key, b, c, Double.NaN, false, Verdict.NO_SCORE);
        }
        double change = (mc.score() - mb.score()) / mb.score();
        double worse = b.higherIsBetter() ? -change : change;
        boolean overlap = low(mb) <= high(mc) && low(mc) <= high(mb);
        Verdict v;
        if (Math.abs(worse) <= threshold) {
            v = Verdict.OK;
        } else if (overlap) {
            v = worse > 0 ? Verdict.WITHIN_NOISE : Verdict.OK;
        } else {
            v = worse > 0 ? Verdict.REGRESSION : Verdict.IMPROVED;
        }
        return new Comparison(key, b, c, worse, overlap, v);
    }

    private static double low(JmhResults.Metric m) {
        return m.hasConfidence() ? m.low() : m.score();
    }

    private static double high(JmhResults.Metric m) {
        return m.hasConfidence() ? m.high() : m.score();
    }

    private static Map<String, JmhResults.Result> byKey(List<JmhResults.Result> results, String which) {
        Map<String, JmhResults.Result> map = new LinkedHashMap<>();
        for (JmhResults.Result r : results) {
            if (map.put(r.key(), r) != null) {
                throw new IllegalArgumentException("the " + which + " holds " + r.key()
                        + " twice; give one run per file");
            }
        }
        return map;
    }

    /** The comparisons as an aligned text table. */
    public static String table(List<Comparison> comparisons) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"benchmark", "params", "unit", "baseline", "candidate", "worse by", "CIs", "verdict"});
        for (Comparison c : comparisons) {
            JmhResults.Result any = c.baseline() != null ? c.baseline() : c.candidate();
            cells.add(new String[] {any.shortName(), any.params().toString(), any.primary().unit(),
                    scoreCell(c.baseline()), scoreCell(c.candidate()),
                    Double.isNaN(c.worse()) ? "-" : String.format(Locale.ROOT, "%+.1f%%", 100 * c.worse()),
                    c.baseline() == null || c.candidate() == null || Double.isNaN(c.worse()) ? "-"
                            : c.overlap() ? "overlap" : "apart",
                    c.verdict().text});
        }
        return TextTable.render(cells, c -> c < 3 || c > 5);
    }

    private static String scoreCell(JmhResults.Result r) {
        if (r == null) {
            return "-";
        }
        JmhResults.Metric m = r.primary();
        return JmhResults.format(m.score()) + (Double.isNaN(m.error()) ? "" : " ± " + JmhResults.format(m.error()));
    }
}
