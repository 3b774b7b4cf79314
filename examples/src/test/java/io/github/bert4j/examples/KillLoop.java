package io.github.bert4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.core.io.AtomicFiles;
import io.github.bert4j.core.io.SafeTensors;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.core.train.Checkpoints;
import io.github.bert4j.core.train.TrainerState;
import io.github.bert4j.ner.NerModel;
import io.github.bert4j.ner.data.KlueNerReader;
import io.github.bert4j.ner.data.KlueNerWriter;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The kill probe of issue 15: forks JVMs running a tiny {@code ./bert4j pretrain} and then a tiny
 * {@code finetune-ner} on its encoder (always with {@code --resume}), {@code kill -9}s each at a
 * random moment or the moment a checkpoint or final model directory write starts, and after every
 * kill checks that what the next start will read (after its own recovery) loads: trainer state,
 * weights (finite), optimizer state, tokenizer, the final model. A last run of each finishes the
 * job; then nothing temporary may be left anywhere in the output, and MLflow may hold no RUNNING
 * run. {@link KillLoopTest} runs it in the test suite; {@link #main} runs it against any
 * classpath, e.g. an older build, to compare:
 *
 * <pre>{@code
 * java -cp <this module's test classpath> io.github.bert4j.examples.KillLoop WORK_DIR [CHILD_CLASSPATH] [KILLS] [SEED]
 * }</pre>
 */
public final class KillLoop {

    /** Names that only an interrupted write leaves behind (the current layout and older versions'). */
    static final Pattern LEFTOVER = Pattern.compile("\\..+\\.staging|.+\\.old|\\..+\\.complete|\\.model-.*|.*\\.tmp");

    /** What a loop found. */
    record Figures(int kills, int killsDuringWrites, int unloadable, int leakedFiles, int runningRuns, int finishedRuns,
            int runs, List<String> problems) {
        Figures plus(Figures o) {
            List<String> p = new ArrayList<>(problems);
            p.addAll(o.problems);
            return new Figures(kills + o.kills, killsDuringWrites + o.killsDuringWrites, unloadable + o.unloadable,
                    leakedFiles + o.leakedFiles, runningRuns + o.runningRuns, finishedRuns + o.finishedRuns, runs + o.runs, p);
        }

        @Override
        public String toString() {
            return String.format("kills %d (%d during checkpoint/model writes), unloadable checkpoints/models %d, leaked files %d,"
                    + " MLflow runs %d (RUNNING %d, FINISHED %d)%s", kills, killsDuringWrites, unloadable, leakedFiles, runs,
                    runningRuns, finishedRuns, problems.isEmpty() ? "" : "\n  " + String.join("\n  ", problems));
        }
    }

    /** Kill moments. */
    private enum KillAt { CHECKPOINT_WRITE, MODEL_WRITE, RANDOM }

    private final Path work;
    private final String childClasspath;
    private final SplittableRandom random;

    KillLoop(Path work, String childClasspath, long seed) {
        this.work = work;
        this.childClasspath = childClasspath;
        this.random = new SplittableRandom(seed);
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        String cp = args.length > 1 && !args[1].isEmpty() ? args[1] : testClasspath();
        int kills = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 15;
        KillLoop loop = new KillLoop(work, cp, seed);
        Figures pre = loop.pretraining(kills);
        System.out.println("pretraining: " + pre);
        Figures ner = loop.finetuning(kills);
        System.out.println("finetune-ner: " + ner);
        System.out.println("total: " + pre.plus(ner));
    }

    /** The classpath of this JVM's tests (surefire's, when run by Maven). */
    static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    // ------------------------------------------------------------------ pretraining

    Path pretrainOut() {
        return work.resolve("pretrain");
    }

    Figures pretraining(int kills) throws Exception {
        Files.createDirectories(work);
        Path corpus = work.resolve("petitions40.jsonl");
        try (Stream<String> lines = Files.lines(TestData.petitions().get(0), StandardCharsets.UTF_8)) {
            Files.write(corpus, lines.limit(40).toList(), StandardCharsets.UTF_8);
        }
        Path config = work.resolve("pretrain.yaml");
        Files.writeString(config, """
                preset: tiny
                experiment: kill-loop-pretrain
                output: %s
                mlruns: %s
                data: {corpus: [%s], format: "jsonl:content", valid_fraction: 0.1, max_len: 32}
                tokenizer: {vocab_size: 1200, morphemes: none}
                model: {hid_dim: 32, n_layers: 1, n_heads: 4, pf_dim: 37, max_position_embeddings: 32}
                train: {max_steps: 24, batch_size: 8, lr: 1.0e-3, warmup_steps: 0, log_every: 1, eval_every: 6,
                        save_every: 1}
                """.formatted(pretrainOut(), work.resolve("mlruns"), corpus), StandardCharsets.UTF_8);
        List<String> args = List.of("pretrain", "--config", config.toString(), "--resume");
        Path out = pretrainOut();
        return loop(kills, args, out, out, out.resolve(".model.staging"), "kill-loop-pretrain", 24,
                () -> checkPretraining(out));
    }

    private List<String> checkPretraining(Path out) {
        List<String> problems = new ArrayList<>();
        checkCheckpoint(out, "last", problems, true);
        checkCheckpoint(out, "best", problems, true);
        Path model = out.resolve("model");
        try {
            if (readableAfterRecovery(out, "model")) {
                Path copy = recoveredCopy(out, "model");
                try (BertEncoder enc = BertEncoder.load(copy)) {
                    Tokenizer.load(copy);
                }
            }
        } catch (Exception e) {
            problems.add(model + ": " + e);
        }
        return problems;
    }

    // ------------------------------------------------------------------ NER

    Figures finetuning(int kills) throws Exception {
        Path encoder = pretrainOut().resolve("model");
        Path data = work.resolve("ner100.tsv");
        KlueNerWriter.write(data, List.of(), KlueNerReader.readAll(TestData.klueNerDev()).subList(0, 100));
        Path out = work.resolve("ner");
        Path config = work.resolve("ner.yaml");
        Files.writeString(config, """
                data: {train_file: %s}
                model: {pretrained: %s, tokenizer: %s, max_len: 32, stride: 16, bucket: 8}
                train: {epochs: 2, batch_size: 16, grad_accumulation: 1, lr: 1.0e-3, warmup_steps: 0, log_every: 1,
                        save_every: 1}
                tracking: {mlruns: %s, experiment: kill-loop-ner}
                """.formatted(data, encoder, encoder.resolve("tokenizer.json"), work.resolve("mlruns")), StandardCharsets.UTF_8);
        List<String> args = List.of("finetune-ner", "--config", config.toString(), "--output", out.toString(), "--resume");
        Path checkpoints = out.resolve("checkpoints");
        return loop(kills, args, out, checkpoints, out.resolveSibling("." + out.getFileName() + ".staging"), "kill-loop-ner",
                -1, () -> checkNer(out));
    }

    private List<String> checkNer(Path out) {
        List<String> problems = new ArrayList<>();
        Path checkpoints = out.resolve("checkpoints");
        checkCheckpoint(checkpoints, "last", problems, false);
        checkCheckpoint(checkpoints, "best", problems, false);
        try {
            if (readableAfterRecovery(out.getParent(), out.getFileName().toString())) {
                Path copy = recoveredCopy(out.getParent(), out.getFileName().toString());
                if (Files.exists(copy.resolve("config.json")) || Files.exists(copy.resolve("model.safetensors"))) {
                    try (NerModel m = NerModel.load(copy)) {
                        m.tags();
                    }
                }
            }
        } catch (Exception e) {
            problems.add(out + ": " + e);
        }
        return problems;
    }

    // ------------------------------------------------------------------ the loop

    private interface Check {
        List<String> run() throws Exception;
    }

    private Figures loop(int kills, List<String> args, Path out, Path checkpointParent, Path modelStaging, String experiment,
            long expectedSteps, Check check) throws Exception {
        int done = 0;
        int inWrites = 0;
        int unloadable = 0;
        List<String> problems = new ArrayList<>();
        for (int attempt = 0; done < kills && attempt < kills * 3; attempt++) {
            // retried until it kills: checkpoint writes and random moments alternate, the final model write comes last
            KillAt at = done == kills - 1 ? KillAt.MODEL_WRITE : done % 2 == 0 ? KillAt.CHECKPOINT_WRITE : KillAt.RANDOM;
            java.util.Set<String> before = names(out); // older versions' leaks stay: only new ones mark a write
            Process p = start(args, out, "attempt-" + attempt);
            boolean killed = switch (at) {
                case RANDOM -> killAfter(p, 500 + random.nextInt(9_000));
                case CHECKPOINT_WRITE -> killWhen(p, () -> exists(checkpointParent, n -> n.equals(".last.staging")
                        || n.equals(".best.staging")) && random.nextInt(3) > 0); // often the first, sometimes a later one
                case MODEL_WRITE -> killWhen(p, () -> Files.exists(modelStaging) || exists(out, n -> !before.contains(n)
                        && (n.startsWith(".model-") || n.endsWith(".tmp") && !n.startsWith("."))));
            };
            if (!killed) {
                continue; // it finished first: no kill to count
            }
            done++;
            if (at != KillAt.RANDOM) inWrites++;
            List<String> found = check.run();
            if (!found.isEmpty()) {
                unloadable++;
                problems.add("after kill " + done + " (" + at + "): " + found);
            }
        }
        Process last = start(args, out, "final");
        if (!last.waitFor(10, TimeUnit.MINUTES) || last.exitValue() != 0) {
            problems.add("the final --resume run failed (exit " + (last.isAlive() ? "timeout" : last.exitValue()) + "), see "
                    + work.resolve("logs"));
            last.destroyForcibly();
        }
        if (expectedSteps > 0) {
            try {
                long step = TrainerState.read(checkpointParent.resolve("last").resolve(Checkpoints.STATE_DIR)
                        .resolve(Checkpoints.TRAINER_STATE_FILE)).step();
                if (step != expectedSteps) problems.add("final step " + step + ", expected " + expectedSteps);
            } catch (Exception e) {
                problems.add("final state: " + e);
            }
        }
        List<String> after = check.run();
        if (!after.isEmpty()) {
            unloadable++;
            problems.add("after the final run: " + after);
        }
        List<Path> leaked = leftovers(out);
        leaked.forEach(f -> problems.add("leaked " + f));
        problems.addAll(permissionsOtherThanTheUmasks(out));
        int[] runs = mlflowRuns(experiment);
        return new Figures(done, inWrites, unloadable, leaked.size(), runs[1], runs[2], runs[0], problems);
    }

    private Process start(List<String> args, Path out, String name) throws IOException {
        Path logs = Files.createDirectories(work.resolve("logs"));
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-Dfile.encoding=UTF-8", "-Djava.awt.headless=true",
                "-Dbert4j.quiet=true", "-cp", childClasspath, "io.github.bert4j.examples.Bert4jCli"));
        cmd.addAll(args);
        Path log = logs.resolve(out.getFileName() + "-" + name + ".log");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** SIGKILLs {@code p} after {@code millis}; false if it ended before. */
    private static boolean killAfter(Process p, long millis) throws InterruptedException {
        if (p.waitFor(millis, TimeUnit.MILLISECONDS)) return false;
        p.destroyForcibly().waitFor();
        return true;
    }

    private interface Condition {
        boolean holds() throws IOException;
    }

    /** SIGKILLs {@code p} as soon as {@code c} holds (polled every 0.2 ms); false if it ended before. */
    private static boolean killWhen(Process p, Condition c) throws InterruptedException, IOException {
        while (p.isAlive()) {
            if (c.holds()) {
                p.destroyForcibly().waitFor();
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
        return false;
    }

    private static java.util.Set<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return java.util.Set.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    private static boolean exists(Path dir, Predicate<String> name) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> name.test(p.getFileName().toString()));
        } catch (java.nio.file.NoSuchFileException | UncheckedIOException e) {
            return false; // renamed while listed
        }
    }

    // ------------------------------------------------------------------ checks

    /** Whether {@code parent/name}, after the recovery a next start does, exists (checked on a copy). */
    private boolean readableAfterRecovery(Path parent, String name) throws IOException {
        return Files.exists(recoveredCopy(parent, name));
    }

    /** A copy of {@code parent/name} and its siblings of an interrupted write, with the recovery applied to the copy. */
    private Path recoveredCopy(Path parent, String name) throws IOException {
        Path copies = work.resolve("copies");
        AtomicFiles.deleteTree(copies);
        Files.createDirectories(copies);
        if (Files.isDirectory(parent)) {
            try (Stream<Path> s = Files.list(parent)) {
                for (Path p : s.toList()) {
                    String n = p.getFileName().toString();
                    if (n.equals(name) || n.equals(name + ".old") || n.equals("." + name + ".staging")
                            || n.equals("." + name + ".complete")) {
                        copyTree(p, copies.resolve(n));
                    }
                }
            }
        }
        AtomicFiles.recoverDirectory(copies.resolve(name));
        return copies.resolve(name);
    }

    private void checkCheckpoint(Path parent, String name, List<String> problems, boolean withTokenizer) {
        try {
            Path dir = recoveredCopy(parent, name);
            if (!Files.exists(dir)) return;
            Path state = dir.resolve(Checkpoints.STATE_DIR);
            TrainerState.read(state.resolve(Checkpoints.TRAINER_STATE_FILE));
            for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> e
                    : SafeTensors.read(dir.resolve(Checkpoints.MODEL_FILE)).entrySet()) {
                Checkpoints.requireFinite(dir.resolve(Checkpoints.MODEL_FILE), e.getKey(), e.getValue());
            }
            SafeTensors.read(state.resolve(Checkpoints.OPTIMIZER_FILE));
            if (!Files.isRegularFile(dir.resolve("config.json"))) throw new IOException("no config.json");
            if (withTokenizer) Tokenizer.load(dir);
        } catch (Exception | LinkageError e) {
            problems.add(parent.resolve(name) + ": " + e);
        }
    }

    /** Every file or directory in {@code out} (and beside it) that only an interrupted write leaves. */
    static List<Path> leftovers(Path out) throws IOException {
        List<Path> found = new ArrayList<>();
        String name = out.getFileName().toString();
        try (Stream<Path> siblings = Files.list(out.getParent())) {
            siblings.filter(p -> p.getFileName().toString().matches("\\." + Pattern.quote(name) + "\\.(staging|complete)|"
                    + Pattern.quote(name) + "\\.old")).forEach(found::add);
        }
        if (!Files.isDirectory(out)) return found;
        Files.walkFileTree(out, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(out) && LEFTOVER.matcher(dir.getFileName().toString()).matches()) {
                    found.add(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (LEFTOVER.matcher(file.getFileName().toString()).matches()) found.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    /** Files and directories in {@code out} whose permissions differ from what the umask gives a new one. */
    private List<String> permissionsOtherThanTheUmasks(Path out) throws IOException {
        if (!out.getFileSystem().supportedFileAttributeViews().contains("posix") || !Files.isDirectory(out)) return List.of();
        Path probeDir = Files.createDirectories(work.resolve("umask-probe"));
        Path probeFile = probeDir.resolve("f");
        Files.deleteIfExists(probeFile);
        Files.createFile(probeFile);
        Path probeSub = probeDir.resolve("d");
        if (!Files.exists(probeSub)) Files.createDirectory(probeSub);
        var filePerms = Files.getPosixFilePermissions(probeFile);
        var dirPerms = Files.getPosixFilePermissions(probeSub);
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.toList()) {
                var perms = Files.getPosixFilePermissions(p);
                if (!perms.equals(Files.isDirectory(p) ? dirPerms : filePerms)) {
                    found.add("permissions " + java.nio.file.attribute.PosixFilePermissions.toString(perms) + " of " + p);
                }
            }
        }
        return found;
    }

    /** {runs, RUNNING, FINISHED} of an experiment in {@code work/mlruns}. */
    private int[] mlflowRuns(String experiment) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        int[] counts = new int[3];
        Path mlruns = work.resolve("mlruns");
        if (!Files.isDirectory(mlruns)) return counts;
        try (Stream<Path> exps = Files.list(mlruns)) {
            for (Path exp : exps.filter(Files::isDirectory).toList()) {
                Path meta = exp.resolve("meta.yaml");
                if (!Files.isRegularFile(meta) || !experiment.equals(yaml.readTree(meta.toFile()).path("name").asText())) continue;
                try (Stream<Path> runs = Files.list(exp)) {
                    for (Path run : runs.filter(r -> Files.isRegularFile(r.resolve("meta.yaml"))).toList()) {
                        JsonNode m = yaml.readTree(run.resolve("meta.yaml").toFile());
                        counts[0]++;
                        if (m.path("status").asInt() == 1) counts[1]++;
                        if (m.path("status").asInt() == 3) counts[2]++;
                    }
                }
            }
        }
        return counts;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                try {
                    if (Files.isDirectory(p)) Files.createDirectories(t);
                    else Files.copy(p, t);
                } catch (java.nio.file.NoSuchFileException e) {
                    // the process is dead: nothing moves; only a file of a tree being deleted could vanish
                }
            }
        }
    }
}
