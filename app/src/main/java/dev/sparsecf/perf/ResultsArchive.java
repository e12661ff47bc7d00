package dev.sparsecf.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The results directory as {@code sparsecf bench} fills it: one subdirectory per CPU slug holding JMH JSON
 * runs, each with an optional {@code .meta.json} beside it, and optionally the CPU's measured peaks
 * ({@value MachinePeaks#FILE}). Directories copied in from another machine need nothing else.
 */
public final class ResultsArchive {

    private static final Pattern NAME_DATE = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2})");

    private ResultsArchive() {
    }

    /**
     * One saved run: {@code name} is the file name without {@code .json}, {@code meta} the side file's tree
     * (a missing node when there is none), {@code time} when it ran (the metadata's date, else the date
     * in the file name).
     */
    record Run(String name, Path file, JsonNode meta, Instant time, List<JmhResults.Result> results) {

        /** The metadata text at {@code pointer} (e.g. "/cpu/model"), or null when absent. */
        String meta(String pointer) {
            JsonNode n = meta.at(pointer);
            return n.isMissingNode() || n.isNull() ? null : n.asText();
        }
    }

    /** One CPU: its slug (directory name), runs oldest first, and its peaks (null without a machine file). */
    public record Cpu(String slug, Path dir, List<Run> runs, MachinePeaks peaks) {

        /** The newest run, whose metadata describes the machine. */
        Run newest() {
            return runs.getLast();
        }
    }

    /**
     * Every CPU directory under {@code dir} that holds at least one JMH result file named as {@code sparsecf bench}
     * names its runs ({@code DATE-COMMIT-PROFILE.json}), sorted by slug. JSON files that are not such runs (other
     * tools' output, an experiment's own JMH files) are skipped with a message to {@code warn}; broken JSON is an
     * error naming the file.
     */
    public static List<Cpu> load(Path dir, Consumer<String> warn) throws IOException {
        List<Cpu> cpus = new ArrayList<>();
        for (Path sub : sorted(dir)) {
            if (!Files.isDirectory(sub)) {
                continue;
            }
            List<Run> runs = new ArrayList<>();
            for (Path f : sorted(sub)) {
                String name = f.getFileName().toString();
                if (!Files.isRegularFile(f) || !name.endsWith(ResultFiles.RESULTS_SUFFIX)
                        || name.endsWith(ResultFiles.META_SUFFIX) || name.equals(MachinePeaks.FILE)) {
                    continue;
                }
                JsonNode root = JmhResults.readTree(f);
                if (!JmhResults.isResultArray(root) || root.isEmpty()) {
                    warn.accept("skipped " + f + ": not a JMH result file, or an empty one");
                    continue;
                }
                String base = name.substring(0, name.length() - ResultFiles.RESULTS_SUFFIX.length());
                // an experiment's own JMH output (results/ease-fit/..., results/gemm-dnnl/...) is not a CPU's run
                if (!NAME_DATE.matcher(base).find()) {
                    warn.accept("skipped " + f + ": a JMH file not named DATE-COMMIT-PROFILE.json, as sparsecf bench"
                            + " names its runs (another experiment's output)");
                    continue;
                }
                runs.add(run(f, base, JmhResults.parse(root)));
            }
            if (runs.isEmpty()) {
                continue;
            }
            runs.sort(Comparator.comparing(Run::time).thenComparing(Run::name));
            Path machine = sub.resolve(MachinePeaks.FILE);
            MachinePeaks peaks = Files.isRegularFile(machine) ? MachinePeaks.read(machine) : null;
            cpus.add(new Cpu(sub.getFileName().toString(), sub, List.copyOf(runs), peaks));
        }
        return cpus;
    }

    private static Run run(Path file, String name, List<JmhResults.Result> results) throws IOException {
        Path metaFile = file.resolveSibling(name + ResultFiles.META_SUFFIX);
        JsonNode meta = Files.isRegularFile(metaFile) ? JmhResults.readTree(metaFile) : MissingNode.getInstance();
        return new Run(name, file, meta, time(meta, name), results);
    }

    /** The metadata's date, else midnight UTC of the date the file name starts with, else the epoch. */
    private static Instant time(JsonNode meta, String name) {
        try {
            return OffsetDateTime.parse(meta.path("date").asText()).toInstant();
        } catch (DateTimeParseException e) {
            Matcher m = NAME_DATE.matcher(name);
            try {
                return m.find() ? Instant.parse(m.group(1) + "T00:00:00Z") : Instant.EPOCH;
            } catch (DateTimeParseException notADate) {
                return Instant.EPOCH;
            }
        }
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
