package io.github.bert4j.core.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.bert4j.core.testing.TempDirs;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MlflowRunTrackerTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    /** A clock that advances 1 ms per reading, starting at a fixed instant. */
    private static final class TickingClock extends Clock {
        final AtomicLong now;

        TickingClock(long start) {
            now = new AtomicLong(start);
        }

        @Override
        public long millis() {
            return now.getAndIncrement();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static JsonNode yaml(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    @Test
    void writesTheMlflowFileStoreLayout(@TempDir Path dir) throws IOException {
        Path mlruns = dir.resolve("mlruns");
        TickingClock clock = new TickingClock(1_700_000_000_000L);
        MlflowRunTracker run = MlflowRunTracker.start(mlruns, "pretraining", "seed-model", clock);

        // store: Default experiment 0, .trash, our experiment 1
        JsonNode def = yaml(mlruns.resolve("0/meta.yaml"));
        assertThat(def.get("name").asText()).isEqualTo("Default");
        assertThat(def.get("experiment_id").isTextual()).isTrue();
        assertThat(def.get("experiment_id").asText()).isEqualTo("0");
        assertThat(Files.isDirectory(mlruns.resolve(".trash"))).isTrue();
        assertThat(run.experimentId()).isEqualTo("1");
        JsonNode exp = yaml(mlruns.resolve("1/meta.yaml"));
        assertThat(fieldNames(exp)).containsExactly("artifact_location", "creation_time", "experiment_id",
                "last_update_time", "lifecycle_stage", "name");
        assertThat(exp.get("artifact_location").asText()).isEqualTo(mlruns.toAbsolutePath().resolve("1").toUri().toString().replaceAll("/$", ""));
        assertThat(exp.get("artifact_location").asText()).startsWith("file:///").endsWith("/mlruns/1");
        assertThat(exp.get("experiment_id").isTextual()).isTrue();
        assertThat(exp.get("lifecycle_stage").asText()).isEqualTo("active");
        assertThat(exp.get("name").asText()).isEqualTo("pretraining");
        assertThat(exp.get("creation_time").isIntegralNumber()).isTrue();

        // run: 32 hex id, directory, meta.yaml while RUNNING
        assertThat(run.runId()).matches("[0-9a-f]{32}");
        assertThat(run.runDir()).isEqualTo(mlruns.toAbsolutePath().resolve("1").resolve(run.runId()));
        JsonNode meta = yaml(run.runDir().resolve("meta.yaml"));
        assertThat(fieldNames(meta)).containsExactly("artifact_uri", "deleted_time", "end_time", "entry_point_name",
                "experiment_id", "lifecycle_stage", "run_id", "run_name", "run_uuid", "source_name", "source_type",
                "source_version", "start_time", "status", "tags", "user_id");
        assertThat(meta.get("artifact_uri").asText()).isEqualTo(run.artifactDir().toUri().toString().replaceAll("/$", ""))
                .endsWith("/" + run.runId() + "/artifacts");
        assertThat(meta.get("end_time").isNull()).isTrue();
        assertThat(meta.get("deleted_time").isNull()).isTrue();
        assertThat(meta.get("experiment_id").isTextual()).isTrue();
        assertThat(meta.get("experiment_id").asText()).isEqualTo("1");
        assertThat(meta.get("run_id").asText()).isEqualTo(run.runId());
        assertThat(meta.get("run_uuid").asText()).isEqualTo(run.runId());
        assertThat(meta.get("run_name").asText()).isEqualTo("seed-model");
        assertThat(meta.get("lifecycle_stage").asText()).isEqualTo("active");
        assertThat(meta.get("source_type").asInt()).isEqualTo(4);
        assertThat(meta.get("start_time").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(meta.get("status").isInt()).isTrue();
        assertThat(meta.get("status").asInt()).isEqualTo(1);
        assertThat(meta.get("tags").isArray()).isTrue();
        assertThat(meta.get("tags")).isEmpty();
        assertThat(meta.get("user_id").asText()).isEqualTo(System.getProperty("user.name"));

        // params: raw value, no newline; nested maps flatten; immutable like MLflow's
        run.logParam("lr", 1e-4);
        run.logParams(Map.of("train", Map.of("batch_size", 32), "name", "a b"));
        run.logParam("lr", 1e-4); // same value: fine
        assertThat(Files.readString(run.runDir().resolve("params/lr"))).isEqualTo("1.0E-4");
        assertThat(Files.readString(run.runDir().resolve("params/train.batch_size"))).isEqualTo("32");
        assertThat(Files.readString(run.runDir().resolve("params/name"))).isEqualTo("a b");
        assertThatThrownBy(() -> run.logParam("lr", 2e-4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("param lr was already logged with value '1.0E-4'");
        assertThat(run.params()).containsEntry("lr", "1.0E-4").containsEntry("train.batch_size", "32");

        // tags
        assertThat(Files.readString(run.runDir().resolve("tags/mlflow.runName"))).isEqualTo("seed-model");
        assertThat(Files.readString(run.runDir().resolve("tags/mlflow.source.type"))).isEqualTo("LOCAL");
        assertThat(Files.readString(run.runDir().resolve("tags/mlflow.user"))).isEqualTo(System.getProperty("user.name"));
        run.setTag("model", "bert-seed");
        assertThat(Files.readString(run.runDir().resolve("tags/model"))).isEqualTo("bert-seed");

        // metrics: "<timestamp_ms> <value> <step>" lines, appended
        long t0 = clock.now.get();
        for (int step = 1; step <= 60; step++) {
            run.logMetric("train_loss", 10.0 / step, step);
            if (step % 20 == 0) {
                run.logMetric("valid_loss", 12.0 / step, step);
            }
            run.logMetric("lr", step * 1e-5, step);
        }
        run.logMetric("train_mlm_acc", Double.NaN, 61);
        run.logMetric("grad/norm", 0.25, 61);
        List<String> lines = Files.readAllLines(run.runDir().resolve("metrics/train_loss"));
        assertThat(lines).hasSize(60);
        assertThat(lines.get(0)).isEqualTo(t0 + " 10.0 1");
        assertThat(lines.get(3)).isEqualTo((t0 + 6) + " 2.5 4"); // two clock readings (train_loss, lr) per step
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = lines.get(i).split(" ");
            assertThat(parts).hasSize(3);
            assertThat(Double.parseDouble(parts[1])).isEqualTo(10.0 / (i + 1));
            assertThat(Long.parseLong(parts[2])).isEqualTo(i + 1);
        }
        assertThat(Files.readAllLines(run.runDir().resolve("metrics/valid_loss"))).hasSize(3);
        assertThat(Files.readString(run.runDir().resolve("metrics/lr"))).contains(" 1.0E-5 1\n");
        assertThat(Files.readString(run.runDir().resolve("metrics/train_mlm_acc"))).endsWith(" nan 61\n");
        assertThat(Files.readString(run.runDir().resolve("metrics/grad/norm"))).endsWith(" 0.25 61\n");
        assertThat(run.metricHistory("valid_loss")).extracting(MetricPoint::step).containsExactly(20L, 40L, 60L);

        // artifacts
        Path extra = dir.resolve("config.yaml");
        Files.writeString(extra, "lr: 1e-4\n");
        run.logArtifact(extra);
        assertThat(Files.readString(run.artifactDir().resolve("config.yaml"))).isEqualTo("lr: 1e-4\n");

        long beforeClose = clock.now.get();
        run.close();
        run.close(); // idempotent

        JsonNode done = yaml(run.runDir().resolve("meta.yaml"));
        assertThat(done.get("status").asInt()).isEqualTo(3);
        assertThat(done.get("end_time").asLong()).isGreaterThanOrEqualTo(beforeClose);
        assertThat(done.get("start_time").asLong()).isEqualTo(1_700_000_000_000L);

        // metrics.csv: long format, one row per logged point, in logging order
        try (Reader r = Files.newBufferedReader(run.artifactDir().resolve("metrics.csv"))) {
            List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
            assertThat(rows).hasSize(60 + 3 + 60 + 2);
            assertThat(rows.get(0).toMap()).isEqualTo(Map.of("step", "1", "timestamp", Long.toString(t0), "key", "train_loss", "value", "10.0"));
            assertThat(rows.stream().filter(x -> x.get("key").equals("valid_loss")).map(x -> x.get("value")))
                    .containsExactly("0.6", "0.3", "0.2");
        }
        assertThat(Files.readAllLines(run.artifactDir().resolve("metrics.csv")).get(0)).isEqualTo("step,timestamp,key,value");

        // plots: one PNG per family, train+valid together
        assertThat(png(run.artifactDir().resolve("loss.png"))).isNotNull();
        assertThat(png(run.artifactDir().resolve("lr.png"))).isNotNull();
        assertThat(png(run.artifactDir().resolve("grad_norm.png"))).isNotNull();
        assertThat(run.artifactDir().resolve("mlm_acc.png")).as("only NaN points: no chart").doesNotExist();
        BufferedImage img = png(run.artifactDir().resolve("loss.png"));
        assertThat(img.getWidth()).isEqualTo(800);
        assertThat(img.getHeight()).isEqualTo(500);

        assertThat(TempDirs.tree(mlruns)).contains("0/", "0/meta.yaml", "1/", "1/meta.yaml",
                "1/" + run.runId() + "/artifacts/loss.png", "1/" + run.runId() + "/metrics/train_loss",
                "1/" + run.runId() + "/params/lr", "1/" + run.runId() + "/tags/mlflow.runName");
    }

    @Test
    void experimentsAreFoundByNameAndNumberedUpwards(@TempDir Path dir) throws IOException {
        Path mlruns = dir.resolve("mlruns");
        List<MlflowRunTracker> runs = new ArrayList<>();
        runs.add(MlflowRunTracker.start(mlruns, "a", null));
        runs.add(MlflowRunTracker.start(mlruns, "b: 한국어 #1", "r"));
        runs.add(MlflowRunTracker.start(mlruns, "a", "again"));
        runs.add(MlflowRunTracker.start(mlruns, null, "default"));
        runs.forEach(RunTracker::close);
        assertThat(runs).extracting(MlflowRunTracker::experimentId).containsExactly("1", "2", "1", "0");
        assertThat(yaml(mlruns.resolve("2/meta.yaml")).get("name").asText()).isEqualTo("b: 한국어 #1");
        assertThat(runs.get(0).runName()).matches("run-[0-9a-f]{8}");
        assertThat(runs.get(0).runId()).isNotEqualTo(runs.get(2).runId());
        assertThat(TempDirs.tree(mlruns.resolve("1")).stream().filter(p -> p.matches("[0-9a-f]{32}/"))).hasSize(2);
    }

    @Test
    void failedRunsStayFailed(@TempDir Path dir) throws IOException {
        RunTracker run = RunTracker.create(dir.resolve("mlruns"), "x", "boom");
        run.logMetric("train_loss", 1.0, 1);
        run.fail(new IllegalStateException("diverged at step 7"));
        run.close();
        JsonNode meta = yaml(run.runDir().resolve("meta.yaml"));
        assertThat(meta.get("status").asInt()).isEqualTo(4);
        assertThat(meta.get("end_time").isIntegralNumber()).isTrue();
        assertThat(Files.readString(run.runDir().resolve("tags/error"))).isEqualTo("java.lang.IllegalStateException: diverged at step 7");
        assertThat(run.artifactDir().resolve("loss.png")).isNotEmptyFile();
    }

    @Test
    void aResumedRunContinuesItsOwnRunWithoutThePointsAfterTheCheckpoint(@TempDir Path dir) throws IOException {
        Path mlruns = dir.resolve("mlruns");
        MlflowRunTracker first = MlflowRunTracker.start(mlruns, "pretraining", "seed", new TickingClock(1_700_000_000_000L));
        first.logParam("train.lr", 1e-3);
        for (int step = 1; step <= 6; step++) first.logMetric("train_loss", 1.0 / step, step);
        first.logMetric("valid/loss", 0.5, 4);
        first.close();
        long start = yaml(first.runDir().resolve("meta.yaml")).get("start_time").asLong();

        // the checkpoint was at step 4: points 5 and 6 are logged again by the resumed training
        RunTracker again = RunTracker.resume(mlruns, "pretraining", "seed", first.runId(), 4);
        assertThat(again.runId()).isEqualTo(first.runId());
        assertThat(again.runDir()).isEqualTo(first.runDir());
        JsonNode meta = yaml(again.runDir().resolve("meta.yaml"));
        assertThat(meta.get("status").asInt()).isEqualTo(1);
        assertThat(meta.get("end_time").isNull()).isTrue();
        assertThat(meta.get("start_time").asLong()).isEqualTo(start);
        assertThat(again.params()).containsEntry("train.lr", "0.001");
        again.logParam("train.lr", 1e-3); // the same value again is fine
        again.logParam("train.lr", 5e-4); // changed on resume: the param stays, a tag records the new value
        assertThat(again.params()).containsEntry("train.lr", "0.001");
        assertThat(Files.readString(again.runDir().resolve("tags/bert4j.changed_on_resume.train.lr"))).isEqualTo("5.0E-4");
        assertThat(again.metricHistory("train_loss")).extracting(MetricPoint::step).containsExactly(1L, 2L, 3L, 4L);
        assertThat(again.metricHistory("valid/loss")).extracting(MetricPoint::step).containsExactly(4L);
        again.logMetric("train_loss", 0.2, 5);
        again.close();
        assertThat(Files.readAllLines(again.runDir().resolve("metrics/train_loss"))).hasSize(5)
                .last().asString().endsWith(" 0.2 5");
        try (Reader r = Files.newBufferedReader(again.artifactDir().resolve("metrics.csv"))) {
            List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
            assertThat(rows).extracting(x -> x.get("step") + " " + x.get("key")).containsExactly("1 train_loss", "2 train_loss",
                    "3 train_loss", "4 train_loss", "4 valid/loss", "5 train_loss");
        }
        assertThat(yaml(again.runDir().resolve("meta.yaml")).get("status").asInt()).isEqualTo(3);
        try (var runs = Files.list(mlruns.resolve("1"))) {
            assertThat(runs.filter(Files::isDirectory).count()).isEqualTo(1); // no second run
        }

        // an unknown run id: a new run (with a warning)
        RunTracker fresh = RunTracker.resume(mlruns, "pretraining", "seed", "0123456789abcdef0123456789abcdef", 4);
        assertThat(fresh.runId()).isNotEqualTo("0123456789abcdef0123456789abcdef");
        fresh.close();
    }

    @Test
    void runsLeftRunningByDeadProcessesAreMarkedKilledAtTheNextStart(@TempDir Path dir) throws Exception {
        Path mlruns = dir.resolve("mlruns");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String goneStart = String.valueOf(gone.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
        Path killed = runningRun(mlruns, "killed", Long.toString(gone.pid()), goneStart);
        Path alive = runningRun(mlruns, "alive", Long.toString(ProcessHandle.current().pid()),
                String.valueOf(ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(-1L)));
        Path foreign = runningRun(mlruns, "foreign", null, null); // no bert4j tags: not ours to judge

        RunTracker next = RunTracker.create(mlruns, "exp", "next");
        next.close();
        JsonNode k = yaml(killed.resolve("meta.yaml"));
        assertThat(k.get("status").asInt()).isEqualTo(5);
        assertThat(k.get("end_time").isIntegralNumber()).isTrue();
        assertThat(k.get("run_name").asText()).isEqualTo("killed");
        assertThat(yaml(alive.resolve("meta.yaml")).get("status").asInt()).isEqualTo(1);
        assertThat(yaml(foreign.resolve("meta.yaml")).get("status").asInt()).isEqualTo(1);
    }

    /** A run as a process killed with SIGKILL leaves it: RUNNING, with the given process tags. */
    private static Path runningRun(Path mlruns, String name, String pid, String processStart) throws IOException {
        MlflowRunTracker run = MlflowRunTracker.start(mlruns, "exp", name);
        run.close();
        Path metaFile = run.runDir().resolve("meta.yaml");
        Map<String, Object> meta = new LinkedHashMap<>();
        yaml(metaFile).fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().isNull() ? null
                : e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().isArray() ? List.of() : e.getValue().asText()));
        meta.put("status", 1);
        meta.put("end_time", null);
        MlflowFileStore.writeYaml(metaFile, meta);
        Path tags = run.runDir().resolve("tags");
        if (pid == null) {
            Files.delete(tags.resolve(MlflowRunTracker.TAG_PID));
        } else {
            Files.writeString(tags.resolve(MlflowRunTracker.TAG_PID), pid);
            Files.writeString(tags.resolve(MlflowRunTracker.TAG_PROCESS_START), processStart);
        }
        return run.runDir();
    }

    @Test
    void rejectsKeysThatEscapeTheRunDirectory(@TempDir Path dir) {
        try (RunTracker run = RunTracker.create(dir.resolve("mlruns"), "x", null)) {
            for (String bad : List.of("", "../evil", "a/../../b", "/abs", "semi;colon", "a/./b")) {
                assertThatThrownBy(() -> run.logMetric(bad, 1, 1)).as(bad).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> run.logParam(bad, 1)).as(bad).isInstanceOf(IllegalArgumentException.class);
            }
            run.logMetric("valid f1-score.macro", 0.5, 1); // spaces, dashes and dots are fine, as in MLflow
        }
    }

    @Test
    void concurrentLoggingLosesNothing(@TempDir Path dir) throws Exception {
        try (RunTracker run = RunTracker.create(dir.resolve("mlruns"), "x", null)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 250; i++) {
                        run.logMetric("train_loss", id * 1000 + i, id * 1000L + i);
                    }
                });
                th.start();
                threads.add(th);
            }
            for (Thread t : threads) {
                t.join();
            }
            List<String> lines = Files.readAllLines(run.runDir().resolve("metrics/train_loss"));
            assertThat(lines).hasSize(1000).allMatch(l -> l.matches("\\d+ \\d+\\.0 \\d+"));
            TreeSet<Long> steps = new TreeSet<>();
            lines.forEach(l -> steps.add(Long.parseLong(l.split(" ")[2])));
            assertThat(steps).hasSize(1000);
            assertThat(run.metricHistory("train_loss")).hasSize(1000);
        }
    }

    @Test
    void noopAndInMemoryTrackers() {
        RunTracker noop = RunTracker.noop();
        noop.logParam("a", 1);
        noop.logParam("a", 2);
        noop.logMetric("train_loss", 1, 1);
        assertThat(noop.metricHistory("train_loss")).isEmpty();
        assertThat(noop.params()).isEmpty();
        assertThat(noop.runId()).matches("[0-9a-f]{32}");
        noop.close();

        RunTracker mem = RunTracker.inMemory();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("model", Map.of("hid_dim", 256));
        mem.logParams(p);
        mem.logMetric("train_loss", 2.0, 5);
        assertThat(mem.params()).isEqualTo(Map.of("model.hid_dim", "256"));
        assertThat(mem.metricHistory("train_loss")).extracting(MetricPoint::step, MetricPoint::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5L, 2.0));
        assertThat(Files.isDirectory(mem.artifactDir())).isTrue();
        TempDirs.deleteRecursively(mem.runDir());
    }

    @Test
    void pythonFloatFormattingParsesBackExactly() {
        for (double v : new double[] {0.1, 1e-5, 123456.789, -0.0, Double.MIN_VALUE, 1.0 / 3}) {
            assertThat(Double.parseDouble(MlflowRunTracker.pythonFloat(v))).isEqualTo(v);
        }
        assertThat(MlflowRunTracker.pythonFloat(Double.NaN)).isEqualTo("nan");
        assertThat(MlflowRunTracker.pythonFloat(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(MlflowRunTracker.pythonFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    @Test
    void yamlScalarsAreQuotedWhenYamlWouldMisreadThem() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", "0");
        m.put("b", "1e10");
        m.put("c", "yes");
        m.put("d", "null");
        m.put("e", "it's: #1");
        m.put("f", "plain-name_1.0");
        m.put("g", "");
        m.put("h", "0123abcdef");
        m.put("i", "한국어");
        Path f = Files.createTempFile("meta", ".yaml");
        try {
            MlflowFileStore.writeYaml(f, m);
            JsonNode n = yaml(f);
            m.forEach((k, v) -> {
                assertThat(n.get(k).isTextual()).as(k).isTrue();
                assertThat(n.get(k).asText()).as(k).isEqualTo(v);
            });
            assertThat(Files.readString(f)).contains("f: plain-name_1.0\n").contains("a: '0'\n");
        } finally {
            Files.delete(f);
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static BufferedImage png(Path file) throws IOException {
        assertThat(file).isNotEmptyFile();
        byte[] head = new byte[8];
        try (var in = Files.newInputStream(file)) {
            assertThat(in.read(head)).isEqualTo(8);
        }
        assertThat(head).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        return ImageIO.read(file.toFile());
    }
}
