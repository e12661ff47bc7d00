package dev.sparsecf.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsecf.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Mult-VAE run through the real {@code ./sparsecf} launcher, its JVM killed (SIGKILL: nothing of it runs after)
 * mid-epoch after its second checkpoint, and resumed with {@code --resume}, ends with the same model file, bit for
 * bit, and the same metrics and history (but the seconds) as an uninterrupted run, with scalar kernels; while it
 * runs, a second run into its directory fails at once naming its JVM's PID.
 */
class KillAndResumeIT {

    private static final Path LAUNCHER = Path.of("..", "sparsecf").toAbsolutePath().normalize();
    private static final int EPOCHS = 4;

    @TempDir
    Path tmp;

    @Test
    void aRunKilledMidEpochAndResumedEndsBitIdenticalToAnUninterruptedOne() throws Exception {
        Path dataDir = writeMl100kFormat(tmp.resolve("data"));
        Path whole = tmp.resolve("whole");
        Path stopped = tmp.resolve("stopped");
        Launched uninterrupted = launch(args(whole));
        assertEquals(0, uninterrupted.exit(), uninterrupted.output().toString());

        Launched first = launch(args(stopped));
        try {
            first.secondEpoch().get(180, TimeUnit.SECONDS);
            ProcessHandle jvm = first.process().descendants().filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().orElse("").endsWith("/java")).findFirst().orElseThrow();
            MainTest.Outcome second = MainTest.run(args(stopped));
            assertEquals(Main.USAGE_ERROR, second.code(), second.err());
            assertTrue(second.err().contains("is in use by another run (PID " + jvm.pid() + ")"), second.err());

            assertTrue(jvm.destroyForcibly(), "SIGKILL the training JVM");
            assertNotEquals(0, first.exit(), first.output().toString());
        } finally {
            first.process().descendants().forEach(ProcessHandle::destroyForcibly);
            first.process().destroyForcibly();
        }
        assertTrue(Files.exists(stopped.resolve(TrainingRun.CHECKPOINT_FILE)), "the checkpoint of epoch 2 or later");
        assertFalse(Files.exists(stopped.resolve(TrainingRun.METRICS_FILE)), "killed before the end: " + first.output());

        Launched rerun = launch(args(stopped));
        assertEquals(Main.USAGE_ERROR, rerun.exit(), rerun.output().toString());
        assertTrue(rerun.output().toString().contains("add --resume to the same command"), rerun.output().toString());
        List<String> otherEpochs = new ArrayList<>(List.of(args(stopped)));
        otherEpochs.set(otherEpochs.indexOf(Integer.toString(EPOCHS)), Integer.toString(EPOCHS + 1));
        otherEpochs.add("--resume");
        Launched mismatch = launch(otherEpochs.toArray(String[]::new));
        assertEquals(Main.USAGE_ERROR, mismatch.exit(), mismatch.output().toString());
        assertTrue(mismatch.output().toString().contains("belongs to a run with --epochs " + EPOCHS + ", this run has " + (EPOCHS + 1)),
                mismatch.output().toString());

        List<String> resumeArgs = new ArrayList<>(List.of(args(stopped)));
        resumeArgs.add("--resume");
        Launched resumed = launch(resumeArgs.toArray(String[]::new));
        assertEquals(0, resumed.exit(), resumed.output().toString());
        assertFalse(resumed.output().toString().contains("epoch   1/"), "continued, not restarted: " + resumed.output());

        assertArrayEquals(Files.readAllBytes(whole.resolve(TrainingRun.MODEL_FILE)),
                Files.readAllBytes(stopped.resolve(TrainingRun.MODEL_FILE)), "model.sparsecf bit for bit");
        assertEquals(withoutSeconds(whole), withoutSeconds(stopped), "history.csv but the seconds column");
        JsonNode a = new ObjectMapper().readTree(whole.resolve(TrainingRun.METRICS_FILE).toFile());
        JsonNode b = new ObjectMapper().readTree(stopped.resolve(TrainingRun.METRICS_FILE).toFile());
        for (String field : List.of("test", "validation", "bestEpoch", "split", "config")) {
            assertEquals(a.get(field), b.get(field), field);
        }
        assertFalse(Files.exists(stopped.resolve(TrainingRun.CHECKPOINT_FILE)), "a finished run deletes its checkpoint");
    }

    private String[] args(Path out) {
        return new String[] {"train", "--model", "multvae", "--data", "ml-100k", "--data-dir", tmp.resolve("data").toString(),
                "--kernels", "scalar", "--blas", "java", "--epochs", Integer.toString(EPOCHS), "--validation-users", "50",
                "--test-users", "50", "--batch-size", "100", "--out", out.toString()};
    }

    private static List<String> withoutSeconds(Path out) throws IOException {
        return Files.readAllLines(out.resolve(TrainingRun.HISTORY_FILE)).stream()
                .map(line -> line.replaceFirst("^((?:[^,]*,){4})[^,]*", "$1")).toList();
    }

    /** A launcher process, its output so far, and a future done when it printed epoch 2's line. */
    private record Launched(Process process, Thread reader, StringBuilder output, CompletableFuture<Void> secondEpoch) {
        /** Waits for the launcher's exit and the last of its output; returns its status. */
        int exit() throws InterruptedException {
            int status = process.waitFor();
            reader.join(30_000);
            return status;
        }
    }

    private static Launched launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<Void> secondEpoch = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> LauncherSignalsIT.readUntilEof(p, "epoch   2/", secondEpoch, output));
        return new Launched(p, reader, output, secondEpoch);
    }

    /** 600 users rating 20 to 59 of 1,200 popularity-skewed items with 4 or 5 stars: about 2 s an epoch, scalar. */
    private static Path writeMl100kFormat(Path dataDir) throws IOException {
        Files.createDirectories(dataDir.resolve("ml-100k"));
        StringBuilder lines = new StringBuilder();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int u = 1; u <= 600; u++) {
            int count = 20 + rnd.nextInt(40);
            BitSet seen = new BitSet();
            while (seen.cardinality() < count) {
                seen.set(1 + (int) Math.min(1199, Math.abs(rnd.nextGaussian()) * 300));
            }
            for (int item = seen.nextSetBit(0); item >= 0; item = seen.nextSetBit(item + 1)) {
                lines.append(u).append('\t').append(item).append('\t').append(4 + rnd.nextInt(2)).append("\t0\n");
            }
        }
        Files.writeString(dataDir.resolve("ml-100k").resolve("u.data"), lines);
        return dataDir;
    }
}
