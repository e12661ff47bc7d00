package dev.sparsecf.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsecf.kernels.KernelProvider;
import dev.sparsecf.kernels.KernelThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code .meta.json} beside a JMH result file: what the JSON does not record (CPU model and ISA flags,
 * memory, vector width, git commit, environment) and how the run was asked for.
 */
public final class RunMetadata {

    private final MachineInfo machine;
    private final String profile;
    private final String include;
    private final List<String> jmhArgs;
    private final int threads;
    private final Path home;
    private final List<JmhResults.Result> results;

    public RunMetadata(MachineInfo machine, String profile, String include, List<String> jmhArgs, int threads, Path home,
                List<JmhResults.Result> results) {
        this.machine = machine;
        this.profile = profile;
        this.include = include;
        this.jmhArgs = List.copyOf(jmhArgs);
        this.threads = threads;
        this.home = home;
        this.results = results;
    }

    /** The metadata as pretty-printed JSON naming {@code resultsFile}, the saved JMH JSON beside it. */
    public byte[] toJson(String resultsFile) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("results", resultsFile);
        root.put("date", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        root.put("profile", profile);
        root.put("include", include);
        root.set("jmhArgs", strings(mapper, jmhArgs));

        ObjectNode git = root.putObject("git");
        git.put("commit", git(home, "rev-parse", "HEAD"));
        String status = git(home, "status", "--porcelain", "--untracked-files=no");
        if (status == null) {
            git.putNull("dirty");
        } else {
            git.put("dirty", !status.isEmpty());
        }

        ObjectNode cpu = root.putObject("cpu");
        cpu.put("model", machine.model());
        cpu.put("family", machine.family());
        cpu.put("modelNumber", machine.modelNumber());
        cpu.put("slug", machine.slug());
        cpu.put("logicalCpus", machine.logicalCpus());
        cpu.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        cpu.put("widestIsa", machine.widestIsa());
        cpu.set("flags", strings(mapper, machine.flags()));
        root.put("memoryBytes", MachineInfo.memoryBytes());
        ObjectNode os = root.putObject("os");
        os.put("name", System.getProperty("os.name"));
        os.put("version", System.getProperty("os.version"));
        os.put("arch", System.getProperty("os.arch"));

        ObjectNode jdk = root.putObject("jdk");
        jdk.put("version", System.getProperty("java.runtime.version"));
        jdk.put("vendor", System.getProperty("java.vendor"));
        jdk.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        Integer bits = preferredVectorBits();
        if (bits == null) {
            jdk.putNull("preferredVectorBitSize");
        } else {
            jdk.put("preferredVectorBitSize", bits);
        }
        Set<String> forkArgs = new LinkedHashSet<>();
        results.forEach(r -> forkArgs.addAll(r.jvmArgs()));
        root.set("forkJvmArgs", strings(mapper, List.copyOf(forkArgs)));

        ObjectNode kernels = root.putObject("kernels");
        kernels.put(KernelThreads.THREADS_PROPERTY, threads);
        putOpenBlasEnvironment(kernels);
        try {
            return mapper.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The environment variables that change OpenBLAS's and oneDNN's speed (kernel choice, idle-thread spinning); null
     * if unset.
     */
    public static void putOpenBlasEnvironment(ObjectNode node) {
        node.put("openblasCoretype", System.getenv("OPENBLAS_CORETYPE"));
        node.put("openblasThreadTimeout", System.getenv("OPENBLAS_THREAD_TIMEOUT"));
        node.put("ompWaitPolicy", System.getenv("OMP_WAIT_POLICY"));
    }

    private static ArrayNode strings(ObjectMapper mapper, List<String> values) {
        ArrayNode a = mapper.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    /** The Vector API's preferred float vector width in bits, or null when the Panama kernels cannot load here. */
    public static Integer preferredVectorBits() {
        try {
            return KernelProvider.forName("panama", msg -> { }).vectorBitSize();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** {@code git rev-parse --short HEAD} in {@code dir}, or "nogit" outside a repository. */
    public static String shortCommit(Path dir) {
        String c = git(dir, "rev-parse", "--short", "HEAD");
        return c == null ? "nogit" : c;
    }

    /** The trimmed output of a git command in {@code dir}, or null if git is missing or fails. */
    static String git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return output;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
