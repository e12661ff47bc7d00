package dev.sparsecf.study;

import dev.sparsecf.perf.MachineInfo;
import dev.sparsecf.run.TrainingRun;

import dev.sparsecf.models.ease.ClosedForm;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A closed-form cell (EASE, EDLAE or DLAE): chooses its penalty on validation (EASE's lambda from the given grid, the
 * dropout odds of EDLAE and DLAE from {@link StudyVariant#DROPOUT_ODDS} at each L2 weight of
 * {@link StudyVariant#DLAE_L2}), evaluates on the test users, and writes its per-user file. The {@code lambda} column
 * holds the chosen strength, {@code l2} EDLAE's and DLAE's L2 weight.
 */
final class EaseCell {

    private EaseCell() {
    }

    /**
     * Runs variant {@code v} on {@code run}'s split, trying the EASE lambdas of {@code settings} and up to its edge
     * steps past their edge (EASE with {@code settings.neighbours()} K > 0: neighbourhood EASE); progress on
     * {@code err}. Null, with a line saying why, when a dense Gram matrix would not fit in memory.
     */
    static StudyCells.Cell run(TrainingRun run, StudyPlan p, StudyVariant v, long seed, StudySettings settings,
                               PrintWriter err) throws IOException {
        int neighbours = v.family() == StudyVariant.Family.EASE ? settings.neighbours() : 0;
        long items = run.split().train().numItems();
        long needed = items * items * Double.BYTES;
        long memory = MachineInfo.memoryBytes();
        if (neighbours == 0 && memory > 0 && needed > memory * 8 / 10) {
            String hint = v.family() == StudyVariant.Family.EASE ? " (--neighbors K fits neighbourhood EASE instead)" : "";
            err.printf(Locale.ROOT, "    skipped: %s on %,d items needs a %.1f GB Gram matrix, more than 80%% of this"
                    + " machine's %.1f GB%s%n", v.id(), items, needed / 1e9, memory / 1e9, hint);
            return null;
        }
        // One line per lambda tried: an EASE cell on ~25k items takes half an hour, this is its progress.
        ClosedForm form = switch (v.family()) {
            case EDLAE -> ClosedForm.EDLAE;
            case DLAE -> ClosedForm.DLAE;
            default -> ClosedForm.EASE;
        };
        Consumer<String> progress = line -> {
            err.println("    " + line);
            err.flush();
        };
        try (TrainingRun.EaseFit fit = form == ClosedForm.EASE
                ? run.ease(settings.lambdas(), settings.edgeSteps(), neighbours, progress)
                : run.dropoutForm(form, StudyVariant.DLAE_L2, StudyVariant.DROPOUT_ODDS, settings.edgeSteps(), progress)) {
            p.store.writeUsers(v.id(), seed, run.split().test(), fit.test(), null);
            return p.cell(v, seed, run.fingerprint(), fit.test()).trainSeconds(fit.seconds())
                    .lambda(fit.selection().lambda()).l2(form == ClosedForm.EASE ? null : fit.selection().l2())
                    .validationNdcg(fit.selection().validationNdcg()).build();
        }
    }
}
