package dev.sparsecf.study.report;

import dev.sparsecf.study.report.BetaStudyData.Dataset;
import dev.sparsecf.study.report.BetaStudyData.Study;
import dev.sparsecf.study.report.StudyComparison.DatasetComparison;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report of a beta study ({@code sparsecf study report}): from the raw rows alone, per dataset SVG plots in
 * {@code DIR/<dataset>/} and tables and findings in {@code DIR/README.md}. Missing cells are "pending" and
 * comparisons without data say so; the output depends on nothing but the rows (no dates), so the same rows give
 * byte-identical files. This class writes the files; {@link Readme} and {@link StudyPlots} render them.
 */
public final class BetaStudyReport {

    static final String README = "README.md";
    /** Hand-written prose appended verbatim under "Discussion" when present. */
    static final String DISCUSSION = "discussion.md";
    static final String NDCG_PLOT = "ndcg_vs_beta.svg";
    static final String QUINTILE_PLOT = "quintiles.svg";
    static final String ACTIVE_UNITS_PLOT = "latent_active_units.svg";
    static final String KL_PLOT = "latent_kl.svg";
    static final String KL_CLICKS_PLOT = "kl_vs_clicks.svg";
    static final String CURVES_PLOT = "validation_curves.svg";
    static final String MATCHED_PLOT = "matched_grid.svg";

    private BetaStudyReport() {
    }

    /**
     * Renders the report of study directory {@code dir}, with a comparison against study directory {@code baseline}
     * when it is not null; returns every file written (README first).
     */
    public static List<Path> write(Path dir, Path baseline) throws IOException {
        Study study = BetaStudyData.load(dir);
        Study base = baseline == null ? null : BetaStudyData.load(baseline);
        // the README links the baseline relative to itself, so the link survives a move of both
        String baseLink = baseline == null ? null : dir.toAbsolutePath().normalize()
                .relativize(baseline.toAbsolutePath().normalize()).toString().replace('\\', '/');
        List<Path> written = new ArrayList<>();
        List<Analysis> analyses = new ArrayList<>();
        List<DatasetComparison> comparisons = new ArrayList<>();
        Map<String, String> comparisonPlots = new TreeMap<>();
        for (Dataset d : study.datasets()) {
            Analysis a = Analysis.of(d, study);
            analyses.add(a);
            Map<String, String> plots = new LinkedHashMap<>(StudyPlots.of(a));
            Dataset other = base == null ? null : base.datasets().stream()
                    .filter(b -> b.name().equals(d.name()) && !b.cells().isEmpty()).findFirst().orElse(null);
            DatasetComparison c = other == null || d.cells().isEmpty() ? null : StudyComparison.compare(d, other);
            if (c != null) {
                comparisons.add(c);
            }
            String versus = c == null ? null : StudyComparison.plot(c, dir.toAbsolutePath().normalize().getFileName()
                    .toString(), baseLink);
            comparisonPlots.put(d.name(), versus);
            plots.put(StudyComparison.PLOT, versus);
            for (Map.Entry<String, String> plot : plots.entrySet()) {
                Path file = dir.resolve(d.name()).resolve(plot.getKey());
                if (plot.getValue() == null) {
                    Files.deleteIfExists(file); // a stale plot would not match the rows any more
                } else {
                    Files.writeString(file, plot.getValue(), StandardCharsets.UTF_8);
                    written.add(file);
                }
            }
        }
        Path discussion = dir.resolve(DISCUSSION);
        String prose = Files.isRegularFile(discussion) ? Files.readString(discussion, StandardCharsets.UTF_8) : null;
        StringBuilder comparison = new StringBuilder();
        if (base != null) {
            StudyComparison.markdown(comparison, baseLink, comparisons, comparisonPlots);
        }
        Path readme = dir.resolve(README);
        Files.writeString(readme, Readme.markdown(study, analyses, comparison.toString(), prose), StandardCharsets.UTF_8);
        written.addFirst(readme);
        return written;
    }
}
