package dev.sparsecf.run;

import dev.sparsecf.data.DataSplit;
import dev.sparsecf.data.FileOptions;
import dev.sparsecf.data.Interactions;
import dev.sparsecf.data.PerUserSplit;
import dev.sparsecf.data.SplitConfig;
import dev.sparsecf.eval.EvaluationResult;
import dev.sparsecf.eval.Metric;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What a training run reads before it touches {@code --out}: a dataset's positives, to be split by Liang et al.'s
 * protocol, or a split ready to use ({@code --split}, {@code --train}/{@code --test}).
 *
 * @param source    where it came from (a per-user source with the reading's counts)
 * @param positives the dataset's positives, or null when {@code ready} is given
 * @param ready     the split read, or null when {@code positives} still have to be split
 */
public record RunInput(SplitSource source, Interactions positives, DataSplit ready) {

    /** Reads {@code source} with progress on {@code err}; {@code seed} draws a per-user split's validation items. */
    public static RunInput read(PrintWriter err, SplitSource source, Path dataDir, FileOptions options, long seed) throws IOException {
        return switch (source) {
            case SplitSource.Dataset d -> new RunInput(d, DataSteps.load(err, d.spec(), dataDir, options).positives(), null);
            case SplitSource.Exported e -> new RunInput(e, null, DataSteps.readSplit(err, e.dir()));
            case SplitSource.PerUser p -> {
                PerUserSplit.Loaded loaded = DataSteps.readPerUser(err, p, options, seed);
                yield new RunInput(new SplitSource.PerUser(p.train(), p.test(), p.validation(), loaded.counts()), null, loaded.split());
            }
        };
    }

    /** The split to train on: the one read, else the positives split by {@code config} (timed on {@code err}). */
    public DataSplit split(PrintWriter err, SplitConfig config) {
        return ready != null ? ready : DataSteps.split(err, positives, config);
    }

    /** The protocol of {@code split}, what it is comparable to, and the metrics it reports of {@code r}, for the console. */
    public static String format(DataSplit split, EvaluationResult r) {
        return "protocol: " + split.protocol().label() + " (comparable to " + SplitSource.comparableTo(split.protocol()) + ")\n"
                + r.format(Metric.reported(split.protocol()));
    }
}
