package dev.sparsecf.study.report;

import dev.sparsecf.study.StudyVariant;
import dev.sparsecf.study.report.BetaStudyData.Dataset;
import dev.sparsecf.study.report.BetaStudyData.Variant;
import dev.sparsecf.study.report.BetaStudyStats.Estimate;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How the report chooses a variant among several: on validation NDCG@100, as a practitioner would. */
final class Selection {

    /** The constant sweep of protocol 2 ({@link StudyVariant#grid()}'s constants), by id. */
    private static final Set<String> SWEEP = StudyVariant.grid().stream()
            .filter(v -> v.family() == StudyVariant.Family.CONSTANT).map(StudyVariant::id).collect(Collectors.toSet());

    private Selection() {
    }

    /**
     * Whether validation chooses the beta of {@code d} among {@code v}: a constant of the sweep under protocol 2 (the
     * matched grid's global twins are centred on that choice, so they are compared with it, not chosen among, as
     * {@code study beta} chose it), any constant under protocol 1.
     */
    static boolean choosable(Dataset d, Variant v) {
        return v.family().equals(StudyVariant.Family.CONSTANT.label)
                && (d.protocol() == null || d.protocol().version() < 2 || SWEEP.contains(v.id()));
    }

    /**
     * The summary a practitioner would pick: the highest mean validation NDCG@100 (of the epochs tested), so that
     * the pick is not biased towards the test users; by test NDCG@100 only when none has a validation value. The
     * first of equals; null when none has a value.
     */
    static Summary selected(List<Summary> summaries) {
        List<Summary> validated = summaries.stream().filter(Selection::onValidation).toList();
        return validated.isEmpty() ? best(summaries, Summary::ndcg) : best(validated, Summary::validationNdcg);
    }

    /** Whether {@link #selected} chose {@code s} by validation NDCG@100. */
    static boolean onValidation(Summary s) {
        return s.validationNdcg().n() > 0;
    }

    /** The summary with the highest mean {@code metric} (the first of equals), or null when none has a value. */
    static Summary best(List<Summary> summaries, Function<Summary, Estimate> metric) {
        Summary best = null;
        for (Summary s : summaries) {
            Estimate e = metric.apply(s);
            if (e.n() > 0 && (best == null || e.mean() > metric.apply(best).mean())) {
                best = s;
            }
        }
        return best;
    }

    /** The {@code constants} whose test NDCG@100 is at least {@code best}'s minus one SE; none without that SE. */
    static List<Summary> withinOneSe(List<Summary> constants, Summary best) {
        return best == null || Double.isNaN(best.ndcg().se()) ? List.of()
                : constants.stream().filter(s -> s.ndcg().mean() >= best.ndcg().mean() - best.ndcg().se()).toList();
    }
}
