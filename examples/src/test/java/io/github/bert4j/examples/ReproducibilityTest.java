package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.core.testing.LauncherJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pretraining is deterministic under its seed with the default launcher's flags (Vector API
 * kernels on, ND4J and the Java kernels on two threads): two fresh JVMs training the same tiny
 * config end with byte-identical weights, optimizer state and logged losses, and a run killed
 * ({@code SIGKILL}) part way and resumed with {@code --resume} ends byte-identical to the
 * uninterrupted one; so does a JVM held at the C1 compiler. Each run is a child JVM started as
 * {@code ./bert4j} starts one ({@link LauncherJvm}).
 */
class ReproducibilityTest {
    private static final int STEPS = 12;
    private static final Pattern STEP = Pattern.compile("\"step\"\\s*:\\s*(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void twoFreshJvmsTrainTheSameBitsAndAKilledRunResumesToThem() throws Exception {
        TinyPretrain.writeCorpus(tmp);
        Path a = runDir("a");
        Path b = runDir("b");
        Path c = runDir("c1");
        Path k = runDir("killed");
        // the two uninterrupted runs side by side: thread timing differs between them as much as it can
        Process pa = pretrain(a, false).start(a.resolve("log"));
        Process pb = pretrain(b, false).start(b.resolve("log"));
        waitOk(pa, a);
        waitOk(pb, b);
        Map<String, String> ha = hashes(a);
        assertThat(losses(a)).hasSize(STEPS);
        // soft: a failure reports every comparison that differs, not only the first
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(hashes(b)).as("second fresh JVM against the first").isEqualTo(ha);
        soft.assertThat(losses(b)).as("logged train losses").isEqualTo(losses(a));

        // a JVM held at C1, beside the run that is killed: the Vector API never reaches C2's intrinsics
        // there (its Java fallback runs lane by lane), so any kernel whose bits depend on the JIT tier
        // shows here, however the two runs above happened to be compiled
        Process pc = pretrain(c, false).flags("-XX:TieredStopAtLevel=1").start(c.resolve("log"));
        // the same run killed once its checkpoint has passed step 3, then resumed
        Process pk = pretrain(k, false).start(k.resolve("log"));
        Path state = k.resolve("out/last/training_state/trainer_state.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int killedAfter = -1;
        while (System.nanoTime() < deadline && pk.isAlive()) {
            int step = step(state);
            if (step >= 3) {
                pk.destroyForcibly(); // SIGKILL
                killedAfter = step;
                break;
            }
            Thread.sleep(10);
        }
        pk.waitFor();
        waitOk(pc, c);
        soft.assertThat(hashes(c)).as("JVM held at C1 against the default one").isEqualTo(ha);
        assertThat(killedAfter).as("the run was killed before its end (log:\n%s)", log(k)).isBetween(3, STEPS - 1);
        assertThat(step(state)).isLessThan(STEPS);
        String resumed = pretrain(k, true).run(180);
        assertThat(resumed).containsPattern("steps\\s+" + STEPS + "\\b");
        soft.assertThat(hashes(k)).as("killed after step %d and resumed, against the uninterrupted run", killedAfter).isEqualTo(ha);
        soft.assertAll();
    }

    private Path runDir(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.copy(tmp.resolve(TinyPretrain.CORPUS), dir.resolve(TinyPretrain.CORPUS));
        Files.writeString(dir.resolve("pretrain.yaml"), TinyPretrain.yaml(("{epochs: 1, max_steps: %d, batch_size: 8, lr: 1.0e-3, "
                + "warmup_steps: 2, log_every: 1, save_every: 1, eval_every: 8}").formatted(STEPS)), StandardCharsets.UTF_8);
        return dir;
    }

    private static LauncherJvm pretrain(Path dir, boolean resume) {
        String config = dir.resolve("pretrain.yaml").toString();
        LauncherJvm jvm = resume ? LauncherJvm.of(Bert4jCli.class, "pretrain", "--config", config, "--resume")
                : LauncherJvm.of(Bert4jCli.class, "pretrain", "--config", config);
        return jvm.flags("-Dbert4j.quiet=true").workDir(dir);
    }

    private static void waitOk(Process p, Path dir) throws InterruptedException {
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("pretraining in " + dir + " ran past 180 s:\n" + log(dir));
        }
        assertThat(p.exitValue()).as("exit status of the run in %s:\n%s", dir, log(dir)).isZero();
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The step of the last checkpoint, or -1 when there is none (yet) or it is being replaced. */
    private static int step(Path trainerState) {
        try {
            Matcher m = STEP.matcher(Files.readString(trainerState, StandardCharsets.UTF_8));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** sha256 of the final model's weights, the last checkpoint's weights and its optimizer state. */
    private static Map<String, String> hashes(Path dir) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String f : List.of("out/model/model.safetensors", "out/last/model.safetensors",
                "out/last/training_state/optimizer.safetensors")) {
            h.put(f, sha256(dir.resolve(f)));
        }
        return h;
    }

    /** Logged train losses as "step value" lines, without the timestamps. */
    private static List<String> losses(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("mlruns"))) {
            Path f = files.filter(p -> p.getFileName().toString().equals("train_loss") && p.getParent().endsWith("metrics"))
                    .findFirst().orElseThrow(() -> new AssertionError("no train_loss metric under " + dir));
            return Files.readAllLines(f).stream().map(l -> l.split(" ")).map(p -> p[2] + " " + p[1]).toList();
        }
    }

    private static String sha256(Path f) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
