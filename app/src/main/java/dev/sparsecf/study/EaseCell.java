package dev.sparsecf.study;

import dev.sparsecf.perf.MachineInfo;
import dev.sparsecf.run.TrainingRun;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/** An EASE cell: chooses lambda on validation, evaluates on the test users, and writes its per-user file. */
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
            err.printf(Locale.ROOT, "    skipped: EASE on %,d items needs a %.1f GB Gram matrix, more than 80%% of this machine's %.1f GB%n",
                    items, needed / 1e9, memory / 1e9);
            return null;
        }
        // One line per lambda tried: an EASE cell on ~25k items takes half an hour, this is its progress.
        try (TrainingRun.EaseFit fit = run.ease(lambdas, edgeSteps, line -> {
            err.println("    " + line);
            err.flush();
        })) {
            p.store.writeUsers(v.id(), seed, run.split().test(), fit.test(), null);
            return p.cell(v, seed, run.fingerprint(), fit.test()).trainSeconds(fit.seconds())
                    .lambda(fit.selection().lambda()).validationNdcg(fit.selection().validationNdcg()).build();
        }
    }
}
