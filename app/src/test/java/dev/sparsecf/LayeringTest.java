package dev.sparsecf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering each {@code package-info.java} states, checked on the main sources of every module: which of
 * our packages and which guarded libraries (picocli, JavaCPP, the Vector API, JMH, Spark) a package may use. The Panama
 * and OpenBLAS tiers are in no other package's list: they are loaded by name, behind the kernel interfaces.
 */
class LayeringTest {

    private static final String KERNELS = "dev.sparsecf.kernels";
    private static final String SYNTHETIC = "dev.sparsecf.kernels.synthetic";
    private static final String PANAMA = "dev.sparsecf.kernels.panama";
    private static final String BLAS = "dev.sparsecf.blas";
    private static final String DATA = "dev.sparsecf.data";
    private static final String EVAL = "dev.sparsecf.eval";
    private static final String MODELS = "dev.sparsecf.models";
    private static final String EASE = "dev.sparsecf.models.ease";
    private static final String BENCH = "dev.sparsecf.bench";
    private static final String TESTING = "dev.sparsecf.testing";
    private static final String CLI = "dev.sparsecf.cli";
    private static final String RUN = "dev.sparsecf.run";
    private static final String STUDY = "dev.sparsecf.study";
    private static final String REPORT = "dev.sparsecf.study.report";
    private static final String PERF = "dev.sparsecf.perf";
    private static final String GATE = "dev.sparsecf.perf.gate";
    private static final String RENDER = "dev.sparsecf.render";
    private static final String SPARK = "dev.sparsecf.spark";
    private static final String SPARK_CLI = "dev.sparsecf.spark.cli";

    private static final String PICOCLI = "picocli";
    private static final String JAVACPP = "org.bytedeco";
    private static final String VECTOR = "jdk.incubator.vector";
    private static final String JMH = "org.openjdk.jmh";
    private static final String SPARK_LIB = "org.apache.spark";

    /** What each package may import, of ours and of the guarded libraries; anything else is a violation. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry(KERNELS, Set.of()),
            Map.entry(PANAMA, Set.of(KERNELS, VECTOR)),
            Map.entry(SYNTHETIC, Set.of(KERNELS)),
            Map.entry(BLAS, Set.of(KERNELS, JAVACPP)),
            Map.entry(DATA, Set.of(KERNELS, SYNTHETIC)),
            Map.entry(EVAL, Set.of(KERNELS, DATA)),
            Map.entry(EASE, Set.of(KERNELS, DATA, EVAL)),
            Map.entry(MODELS, Set.of(KERNELS, DATA, EVAL, EASE)),
            Map.entry(TESTING, Set.of()),
            Map.entry(BENCH, Set.of(KERNELS, SYNTHETIC, DATA, EVAL, MODELS, EASE, TESTING, JMH)),
            Map.entry(RENDER, Set.of()),
            Map.entry(PERF, Set.of(KERNELS, RENDER, BENCH, JMH)),
            Map.entry(GATE, Set.of(KERNELS, PERF, RENDER, BENCH, JMH)),
            Map.entry(RUN, Set.of(KERNELS, SYNTHETIC, DATA, EVAL, MODELS, EASE, RENDER)),
            Map.entry(STUDY, Set.of(KERNELS, DATA, EVAL, MODELS, EASE, RUN, PERF, RENDER)),
            Map.entry(REPORT, Set.of(STUDY, RENDER)),
            Map.entry(CLI, Set.of(KERNELS, SYNTHETIC, DATA, EVAL, MODELS, EASE, BENCH, RUN, STUDY, REPORT, PERF, GATE,
                    RENDER, PICOCLI, JMH)),
            // the spark module: on models and kernels, nothing on it (Maven enforces that app cannot import it)
            Map.entry(SPARK, Set.of(KERNELS, DATA, MODELS, EASE, SPARK_LIB)),
            Map.entry(SPARK_CLI, Set.of(KERNELS, DATA, EASE, SPARK, SPARK_LIB, PICOCLI)));

    private static final List<String> GUARDED = List.of(PICOCLI, JAVACPP, VECTOR, JMH, SPARK_LIB);
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.[\\w*]+;", Pattern.MULTILINE);

    @Test
    void everyPackageUsesOnlyWhatItsPackageInfoAllows() throws IOException {
        Map<String, Set<String>> violations = new TreeMap<>();
        Set<String> seen = new TreeSet<>();
        for (Path file : mainSources()) {
            String src = Files.readString(file);
            Matcher p = PACKAGE.matcher(src);
            assertTrue(p.find(), file + " has no package line");
            String pkg = p.group(1);
            seen.add(pkg);
            Set<String> allowed = ALLOWED.get(pkg);
            if (allowed == null) {
                violations.computeIfAbsent(pkg, k -> new TreeSet<>()).add("(package not in LayeringTest: add its rule)");
                continue;
            }
            Matcher m = IMPORT.matcher(src);
            while (m.find()) {
                String used = owner(m.group(1));
                if (used != null && !used.equals(pkg) && !allowed.contains(used)) {
                    violations.computeIfAbsent(pkg, k -> new TreeSet<>()).add(used + " in " + file.getFileName());
                }
            }
        }
        assertEquals(Map.of(), violations, "imports a package-info does not allow");
        assertEquals(new TreeSet<>(ALLOWED.keySet()), seen, "a rule for a package that no longer exists");
    }

    /** The package of ours or the guarded library an import belongs to; null for anything else (the JDK, Jackson). */
    private static String owner(String qualifier) {
        for (String lib : GUARDED) {
            if (qualifier.equals(lib) || qualifier.startsWith(lib + ".")) {
                return lib;
            }
        }
        if (!qualifier.startsWith("dev.sparsecf.")) {
            return null;
        }
        // a nested type's import (dev.sparsecf.study.StudyCells.Cell) names its package up to the first type
        StringBuilder pkg = new StringBuilder();
        for (String part : qualifier.split("\\.")) {
            if (Character.isUpperCase(part.charAt(0))) {
                break;
            }
            pkg.append(pkg.isEmpty() ? "" : ".").append(part);
        }
        return pkg.toString();
    }

    private static List<Path> mainSources() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> walk = Files.walk(main)) {
                    walk.filter(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java")).forEach(files::add);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        assertTrue(files.size() > 100, "found only " + files.size() + " sources under " + root);
        return files;
    }
}
