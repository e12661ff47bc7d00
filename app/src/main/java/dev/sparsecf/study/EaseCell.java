package dev.sparsecf.study;

import dev.sparsecf.perf.MachineInfo;
import dev.sparsecf.run.TrainingRun;

import dev.sparsecf.models.ease.ClosedForm;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A closed-form cell (EASE, EDLAE or DLAE): chooses its penalty on validation (EASE's lambda from the given grid, the
 * dropout odds of EDLAE and DLAE from {@link StudyVariant#DROPOUT_ODDS}), evaluates on the test users, and writes its
 * per-user file. The {@code lambda} column holds the chosen strength.
 */
final class EaseCell {

    private EaseCell() {
    }

    /**
     * Runs variant {@code v} on {@code run}'s split, trying {@code lambdas} and up to {@code edgeSteps} past their edge;
     * progress on {@code err}. Null, with a line saying why, when the Gram matrix would not fit in memory.
     */
    static StudyCells.Cell run(TrainingRun run, StudyPlan p, StudyVariant v, long seed, double[] lambdas, int edgeSteps,
                               PrintWriter err) throws IOException {
        long items = run.split().train().numItems();
        long needed = items * items * Double.BYTES;
        long memory = MachineInfo.memoryBytes();
        if (memory > 0 && needed > memory * 8 / 10) {
            err.printf(Locale.ROOT, "    skipped: %s on %,d items needs a %.1f GB Gram matrix, more than 80%% of this machine's %.1f GB%n",
                    v.id(), items, needed / 1e9, memory / 1e9);
            return null;
        }
        // One line per lambda tried: an EASE cell on ~25k items takes half an hour, this is its progress.
        ClosedForm form = switch (v.family()) {
            case EDLAE -> ClosedForm.EDLAE;
            case DLAE -> ClosedForm.DLAE;
            default -> ClosedForm.EASE;
        };
        double[] strengths = form == ClosedForm.EASE ? lambdas : StudyVariant.DROPOUT_ODDS;
        try (TrainingRun.EaseFit fit = run.closedForm(form, strengths, edgeSteps, line -> {
            err.println("    " + line);
            err.flush();
        })) {
            p.store.writeUsers(v.id(), seed, run.split().test(), fit.test(), null);
            return p.cell(v, seed, run.fingerprint(), fit.test()).trainSeconds(fit.seconds())
                    .lambda(fit.selection().lambda()).validationNdcg(fit.selection().validationNdcg()).build();
        }
    }
}
