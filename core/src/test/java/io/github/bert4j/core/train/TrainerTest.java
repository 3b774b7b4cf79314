package io.github.bert4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.core.io.SafeTensors;
import io.github.bert4j.core.io.SafeTensorsException;
import io.github.bert4j.core.tracking.MetricPoint;
import io.github.bert4j.core.tracking.RunTracker;
import io.github.bert4j.core.train.TrainingConfig.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TrainerTest {
    @TempDir
    Path dir;

    private static final TinyMlp.Batch DATA = TinyMlp.dataset(24, 11);   // 6 micro-batches of 4
    private static final TinyMlp.Batch VALID = TinyMlp.dataset(30, 12);

    private static TrainingConfig config(Scheduler scheduler) {
        // 6 micro-batches per epoch, 2 per step -> 3 steps per epoch, 9 in all
        return TrainingConfig.builder().epochs(3).batchSize(4).gradAccumulation(2).lr(0.05).warmupSteps(2)
                .scheduler(scheduler).plateau(0.5, 0, 0.0).maxGradNorm(0.5).weightDecay(0.01)
                .evalEvery(2).saveEvery(2).logEvery(2).seed(5).build();
    }

    private static Trainer<TinyMlp.Batch> trainer(TrainingConfig cfg, TinyMlp model, BatchSource<TinyMlp.Batch> src,
            RunTracker tracker, Path out) {
        return new Trainer<>(cfg, model, src, () -> model.evaluate(VALID), tracker, out);
    }

    /** Bit patterns of every parameter. */
    private static Map<String, long[]> bits(Map<String, INDArray> params) {
        Map<String, long[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, Arrays.stream(v.dup().data().asDouble()).mapToLong(Double::doubleToRawLongBits).toArray()));
        return out;
    }

    private static void assertBitIdentical(Map<String, INDArray> a, Map<String, INDArray> b) {
        Map<String, long[]> x = bits(a);
        Map<String, long[]> y = bits(b);
        assertThat(y.keySet()).isEqualTo(x.keySet());
        x.forEach((k, v) -> assertThat(y.get(k)).as(k).isEqualTo(v));
    }

    /** A source that throws after {@code limit} micro-batches, like a killed process. */
    private static BatchSource<TinyMlp.Batch> crashingAfter(BatchSource<TinyMlp.Batch> src, int limit) {
        AtomicInteger served = new AtomicInteger();
        return new BatchSource<>() {
            @Override
            public Iterator<TinyMlp.Batch> epoch(int epoch, long seed) {
                Iterator<TinyMlp.Batch> it = src.epoch(epoch, seed);
                return new Iterator<>() {
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    public TinyMlp.Batch next() {
                        if (served.incrementAndGet() > limit) throw new IllegalStateException("simulated crash");
                        return it.next();
                    }
                };
            }

            @Override
            public long batchesPerEpoch() {
                return src.batchesPerEpoch();
            }
        };
    }

    @ParameterizedTest
    @EnumSource(names = {"LINEAR", "PLATEAU"}) // CONSTANT is stateless like LINEAR
    void resumedRunIsBitIdenticalToUninterruptedRun(Scheduler scheduler) throws IOException {
        TrainingConfig cfg = config(scheduler);
        if (scheduler == Scheduler.PLATEAU) {
            // "larger is better" on a falling loss: the lr is halved at every evaluation, so the
            // schedule's state before the crash matters after it
            cfg = cfg.toBuilder().best("valid_loss", TrainingConfig.BestMode.MAX).build();
        }
        BatchSource<TinyMlp.Batch> src = TinyMlp.source(DATA, 4);
        TinyMlp full = new TinyMlp(1, 0.3);
        TrainResult expected = trainer(cfg, full, src, RunTracker.noop(), dir.resolve("full")).fit();
        assertThat(expected.steps()).isEqualTo(9);

        Path out = dir.resolve("crashed");
        // crash inside step 5 (fetching micro-batch 10 of 18); last checkpoint: step 4 (save_every 2)
        TrainingConfig c = cfg;
        assertThatThrownBy(() -> trainer(c, new TinyMlp(1, 0.3), crashingAfter(src, 9), RunTracker.noop(), out).fit())
                .hasMessage("simulated crash");
        TrainerState saved = TrainerState.read(out.resolve("last/training_state/trainer_state.json"));
        assertThat(saved.step()).isEqualTo(4);
        assertThat(saved.epoch()).isEqualTo(1);
        assertThat(saved.batchInEpoch()).isEqualTo(2);

        TinyMlp resumed = new TinyMlp(99, 0.3); // different init: everything must come from the checkpoint
        TrainResult r = trainer(cfg, resumed, src, RunTracker.noop(), out).resume(true).fit();

        assertThat(r.steps()).isEqualTo(9);
        assertBitIdentical(resumed.parameters(), full.parameters());
        assertThat(r.bestValid()).isEqualTo(expected.bestValid());
    }

    @Test
    void resumeAtEpochBoundaryAndAfterCompletion() throws IOException {
        TrainingConfig cfg = config(Scheduler.LINEAR).toBuilder().saveEvery(0).build();
        BatchSource<TinyMlp.Batch> src = TinyMlp.source(DATA, 4);
        TinyMlp full = new TinyMlp(1, 0.3);
        trainer(cfg, full, src, RunTracker.noop(), dir.resolve("full")).fit();

        Path out = dir.resolve("crashed");
        // crash in epoch 2; last checkpoint: end of epoch 1 (step 6, epoch 2, batch 0)
        assertThatThrownBy(() -> trainer(cfg, new TinyMlp(1, 0.3), crashingAfter(src, 13), RunTracker.noop(), out).fit())
                .hasMessage("simulated crash");
        assertThat(TrainerState.read(out.resolve("last/training_state/trainer_state.json")))
                .extracting(TrainerState::step, TrainerState::epoch, TrainerState::batchInEpoch)
                .containsExactly(6L, 2, 0L);
        TinyMlp resumed = new TinyMlp(7, 0.3);
        trainer(cfg, resumed, src, RunTracker.noop(), out).resume(true).fit();
        assertBitIdentical(resumed.parameters(), full.parameters());

        TinyMlp again = new TinyMlp(8, 0.3); // resuming a finished run only restores it
        TrainResult r = trainer(cfg, again, src, RunTracker.noop(), out).resume(true).fit();
        assertThat(r.steps()).isEqualTo(9);
        assertBitIdentical(again.parameters(), full.parameters());
    }

    @Test
    void checkpointRoundTripIsBitExact() throws IOException {
        TrainingConfig cfg = config(Scheduler.LINEAR);
        TinyMlp model = new TinyMlp(1, 0.3);
        Trainer<TinyMlp.Batch> t = trainer(cfg, model, TinyMlp.source(DATA, 4), RunTracker.noop(), dir);
        TrainResult r = t.fit();

        Path last = r.lastDir();
        assertThat(last).isEqualTo(dir.resolve("last"));
        assertThat(Files.exists(last.resolve("config.json"))).isTrue();
        assertBitIdentical(SafeTensors.read(last.resolve("model.safetensors")), model.parameters());
        AdamW loaded = AdamW.from(cfg);
        loaded.load(last.resolve("training_state/optimizer.safetensors"), model.parameters());
        assertThat(loaded.steps()).isEqualTo(9);
        for (String name : model.parameters().keySet()) {
            assertThat(loaded.firstMoment(name)).isEqualTo(t.optimizer().firstMoment(name));
            assertThat(loaded.secondMoment(name)).isEqualTo(t.optimizer().secondMoment(name));
        }
        TrainerState s = TrainerState.read(last.resolve("training_state/trainer_state.json"));
        assertThat(s.step()).isEqualTo(9);
        assertThat(s.epoch()).isEqualTo(3);
        assertThat(s.batchInEpoch()).isZero();
        assertThat(s.seed()).isEqualTo(5);
        assertThat(s.bestValue()).isEqualTo(r.bestValid().get("valid_loss"));
        assertThat(s.bestMetrics()).isEqualTo(r.bestValid()).containsKeys("valid_loss", "valid_accuracy");
        assertThat(r.bestDir()).isEqualTo(dir.resolve("best"));
        TrainerState best = TrainerState.read(dir.resolve("best/training_state/trainer_state.json"));
        assertThat(best.step()).isEqualTo(s.bestStep());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("last", "best");
        }
    }

    @Test
    void corruptedCheckpointsGiveClearErrorsAndLeaveTheModelUntouched() throws IOException {
        TrainingConfig cfg = config(Scheduler.LINEAR).toBuilder().epochs(1).build();
        trainer(cfg, new TinyMlp(1, 0.3), TinyMlp.source(DATA, 4), RunTracker.noop(), dir).fit();
        Path model = dir.resolve("last/model.safetensors");
        Path state = dir.resolve("last/training_state/trainer_state.json");
        byte[] modelBytes = Files.readAllBytes(model);
        String stateText = Files.readString(state);

        Files.write(model, Arrays.copyOf(modelBytes, modelBytes.length - 10));
        TinyMlp fresh = new TinyMlp(3, 0.3);
        Map<String, INDArray> before = new LinkedHashMap<>();
        fresh.parameters().forEach((k, v) -> before.put(k, v.dup()));
        assertThatThrownBy(() -> trainer(cfg, fresh, TinyMlp.source(DATA, 4), RunTracker.noop(), dir).resume(true).fit())
                .isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining(model.toString())
                .hasMessageContaining("truncated");
        assertBitIdentical(fresh.parameters(), before);

        Files.write(model, modelBytes);
        Files.writeString(state, stateText.substring(0, stateText.length() / 2));
        assertThatThrownBy(() -> trainer(cfg, fresh, TinyMlp.source(DATA, 4), RunTracker.noop(), dir).resume(true).fit())
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(state.toString())
                .hasMessageContaining("malformed trainer state");
        Files.writeString(state, stateText.replaceAll("\"batch_in_epoch\" : \\d+,", ""));
        assertThatThrownBy(() -> trainer(cfg, fresh, TinyMlp.source(DATA, 4), RunTracker.noop(), dir).resume(true).fit())
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("batch_in_epoch");
        assertBitIdentical(fresh.parameters(), before);
    }

    @Test
    void anEarlierRunsCheckpointsAreRefusedWithoutResumeAndReplacedWithOverwrite() throws IOException {
        TrainingConfig cfg = config(Scheduler.LINEAR).toBuilder().epochs(1).build();
        trainer(cfg, new TinyMlp(1, 0.3), TinyMlp.source(DATA, 4), RunTracker.noop(), dir).fit();
        Map<String, byte[]> before = readTree(dir.resolve("last"));
        assertThatThrownBy(() -> trainer(cfg, new TinyMlp(2, 0.3), TinyMlp.source(DATA, 4), RunTracker.noop(), dir).fit())
                .isInstanceOf(CheckpointException.class)
                .hasMessage(dir.resolve("last") + ": a checkpoint of an earlier run is here; continue it with --resume"
                        + " or delete it and start over with --overwrite");
        Map<String, byte[]> after = readTree(dir.resolve("last"));
        after.forEach((k, v) -> assertThat(v).as(k).isEqualTo(before.get(k)));
        assertThatThrownBy(() -> Trainer.checkOutput(dir, false, false)).isInstanceOf(CheckpointException.class);

        TinyMlp other = new TinyMlp(2, 0.3);
        TrainResult r = trainer(cfg.toBuilder().maxSteps(2).build(), other, TinyMlp.source(DATA, 4), RunTracker.noop(), dir)
                .overwrite(true).fit();
        assertThat(r.steps()).isEqualTo(2);
        assertThat(TrainerState.read(dir.resolve("last/training_state/trainer_state.json")).step()).isEqualTo(2);
    }

    @Test
    void nonFiniteWeightsInACheckpointAreRefusedWhenResuming() throws IOException {
        TrainingConfig cfg = config(Scheduler.LINEAR).toBuilder().epochs(1).build();
        TinyMlp model = new TinyMlp(1, 0.3);
        trainer(cfg, model, TinyMlp.source(DATA, 4), RunTracker.noop(), dir).fit();
        Path weights = dir.resolve("last/model.safetensors");
        Map<String, INDArray> tensors = SafeTensors.read(weights);
        tensors.get("dense.weight").putScalar(3, Double.NaN);
        SafeTensors.write(weights, tensors, Map.of());
        TinyMlp fresh = new TinyMlp(3, 0.3);
        assertThatThrownBy(() -> trainer(cfg, fresh, TinyMlp.source(DATA, 4), RunTracker.noop(), dir).resume(true).fit())
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(weights + ": parameter dense.weight holds 1 non-finite value(s) (first: NaN at flat index 3");

        tensors.get("dense.weight").putScalar(3, 0.5);
        SafeTensors.write(weights, tensors, Map.of());
        Path moments = dir.resolve("last/training_state/optimizer.safetensors");
        Map<String, INDArray> m = SafeTensors.read(moments);
        String key = m.keySet().stream().filter(k -> k.endsWith("out.bias")).findFirst().orElseThrow();
        m.get(key).putScalar(0, Double.POSITIVE_INFINITY);
        SafeTensors.write(moments, m, SafeTensors.readHeader(moments).metadata());
        assertThatThrownBy(() -> trainer(cfg, fresh, TinyMlp.source(DATA, 4), RunTracker.noop(), dir).resume(true).fit())
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(moments + ": optimizer state ")
                .hasMessageContaining("holds 1 non-finite value(s) (first: Infinity");
    }

    @Test
    void loggedLossesAfterResumeEqualTheUninterruptedRunsAndTheRunIdIsSaved() throws IOException {
        // log_every 3 and save_every 2: the checkpoint at step 4 falls inside the logging interval 4..6
        TrainingConfig cfg = config(Scheduler.LINEAR).toBuilder().logEvery(3).build();
        BatchSource<TinyMlp.Batch> src = TinyMlp.source(DATA, 4);
        RunTracker full = RunTracker.inMemory();
        trainer(cfg, new TinyMlp(1, 0.3), src, full, dir.resolve("full")).fit();

        Path out = dir.resolve("crashed");
        RunTracker first = RunTracker.inMemory();
        assertThatThrownBy(() -> trainer(cfg, new TinyMlp(1, 0.3), crashingAfter(src, 9), first, out).fit())
                .hasMessage("simulated crash");
        TrainerState saved = TrainerState.read(out.resolve("last/training_state/trainer_state.json"));
        assertThat(saved.step()).isEqualTo(4);
        assertThat(saved.interval().steps()).isEqualTo(1);
        assertThat(saved.runId()).isEqualTo(first.runId());
        RunTracker second = RunTracker.inMemory();
        trainer(cfg, new TinyMlp(9, 0.3), src, second, out).resume(true).fit();

        for (String key : List.of("train_loss", "grad_norm", "train_accuracy")) {
            List<MetricPoint> expected = full.metricHistory(key).stream().filter(p -> p.step() > 4).toList();
            List<MetricPoint> got = second.metricHistory(key);
            assertThat(got).extracting(MetricPoint::step).as(key).isEqualTo(expected.stream().map(MetricPoint::step).toList());
            for (int i = 0; i < got.size(); i++) {
                assertThat(Double.doubleToRawLongBits(got.get(i).value())).as(key + " at step " + got.get(i).step())
                        .isEqualTo(Double.doubleToRawLongBits(expected.get(i).value()));
            }
        }
    }

    @Test
    void nanLossStopsWithClearErrorAndKeepsLastCheckpoint() throws IOException {
        TrainingConfig cfg = config(Scheduler.LINEAR).toBuilder().gradAccumulation(1).saveEvery(4).evalEvery(0).build();
        // 6 steps per epoch: checkpoints at steps 4 (save_every) and 6 (epoch end); NaN at step 7
        TinyMlp inner = new TinyMlp(1, 0.3);
        AtomicInteger calls = new AtomicInteger();
        Map<String, byte[]> snapshot = new LinkedHashMap<>();
        TrainableModel<TinyMlp.Batch> poisoned = new TrainableModel<>() {
            public Map<String, INDArray> parameters() {
                return inner.parameters();
            }

            public StepOutput trainStep(TinyMlp.Batch b) {
                StepOutput out = inner.trainStep(b);
                if (calls.incrementAndGet() < 7) return out;
                snapshot.putAll(readTree(dir.resolve("last")));
                return new StepOutput(Double.NaN, out.gradients(), out.metrics(), out.tokens(), out.examples());
            }

            public void save(Path d) throws IOException {
                inner.save(d);
            }
        };
        assertThatThrownBy(() -> new Trainer<>(cfg, poisoned, TinyMlp.source(DATA, 4), null, RunTracker.noop(), dir).fit())
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("step 7")
                .hasMessageContaining("loss")
                .satisfies(e -> assertThat(((TrainingDivergedException) e).step()).isEqualTo(7));
        assertThat(TrainerState.read(dir.resolve("last/training_state/trainer_state.json")).step()).isEqualTo(6);
        Map<String, byte[]> after = readTree(dir.resolve("last"));
        assertThat(after.keySet()).isEqualTo(snapshot.keySet());
        after.forEach((k, v) -> assertThat(v).as(k).isEqualTo(snapshot.get(k)));
    }

    @Test
    void nonFiniteGradientNamesTheParameter() {
        TrainingConfig cfg = config(Scheduler.LINEAR).toBuilder().gradAccumulation(1).build();
        TinyMlp inner = new TinyMlp(1, 0.3);
        TrainableModel<TinyMlp.Batch> poisoned = new TrainableModel<>() {
            public Map<String, INDArray> parameters() {
                return inner.parameters();
            }

            public StepOutput trainStep(TinyMlp.Batch b) {
                StepOutput out = inner.trainStep(b);
                out.gradients().get("out.bias").putScalar(1, Double.POSITIVE_INFINITY);
                return out;
            }

            public void save(Path d) throws IOException {
                inner.save(d);
            }
        };
        Map<String, INDArray> before = new LinkedHashMap<>();
        inner.parameters().forEach((k, v) -> before.put(k, v.dup()));
        assertThatThrownBy(() -> new Trainer<>(cfg, poisoned, TinyMlp.source(DATA, 4), null, RunTracker.noop(), dir).fit())
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("step 1: gradient of out.bias is not finite (norm Infinity)");
        assertBitIdentical(inner.parameters(), before);
        assertThat(Files.exists(dir.resolve("last"))).isFalse();
    }

    private static Map<String, byte[]> readTree(Path root) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (var s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void twoMicroBatchesOfFourEqualOneBatchOfEight() {
        TrainingConfig base = TrainingConfig.builder().epochs(1).maxSteps(3).lr(0.01).scheduler(Scheduler.CONSTANT)
                .maxGradNorm(0).seed(3).build();
        TinyMlp one = new TinyMlp(1, 0.0);
        TinyMlp two = new TinyMlp(1, 0.0);
        BatchSource<TinyMlp.Batch> eights = TinyMlp.source(DATA, 8);
        BatchSource<TinyMlp.Batch> fours = halves(eights);

        Trainer<TinyMlp.Batch> t1 = new Trainer<>(base.toBuilder().batchSize(8).build(), one, eights, null, null, dir.resolve("a"));
        Trainer<TinyMlp.Batch> t2 = new Trainer<>(base.toBuilder().batchSize(4).gradAccumulation(2).build(), two, fours, null, null, dir.resolve("b"));
        Iterator<TinyMlp.Batch> e8 = eights.epoch(0, 3);
        Iterator<TinyMlp.Batch> e4 = fours.epoch(0, 3);
        Map<String, INDArray> g1 = t1.accumulate(List.of(e8.next()), 0).gradients();
        Map<String, INDArray> g2 = t2.accumulate(List.of(e4.next(), e4.next()), 0).gradients();
        g1.forEach((k, v) -> assertThat(maxAbsDiff(v, g2.get(k))).as(k).isLessThan(1e-12));

        t1.fit();
        t2.fit();
        one.parameters().forEach((k, v) -> assertThat(maxAbsDiff(v, two.parameters().get(k))).as(k).isLessThan(1e-6));
        assertThat(maxAbsDiff(one.parameters().get("dense.weight"), new TinyMlp(1, 0).parameters().get("dense.weight")))
                .isGreaterThan(1e-3); // and training did move the weights
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    /** Splits every batch of {@code src} into its first and second half. */
    private static BatchSource<TinyMlp.Batch> halves(BatchSource<TinyMlp.Batch> src) {
        return (epoch, seed) -> {
            List<TinyMlp.Batch> out = new java.util.ArrayList<>();
            src.epoch(epoch, seed).forEachRemaining(b -> {
                int h = b.size() / 2;
                int[] first = java.util.stream.IntStream.range(0, h).toArray();
                int[] second = java.util.stream.IntStream.range(h, b.size()).toArray();
                out.add(new TinyMlp.Batch(b.x().getRows(first), b.y().getRows(first)));
                out.add(new TinyMlp.Batch(b.x().getRows(second), b.y().getRows(second)));
            });
            return out.iterator();
        };
    }

    @Test
    void lossDecreasesAndMetricsAreLogged() {
        TrainingConfig cfg = TrainingConfig.builder().epochs(5).batchSize(6).lr(0.05).warmupSteps(2).logEvery(4)
                .evalEvery(0).seed(1).build();
        TinyMlp model = new TinyMlp(1, 0.1);
        double initial = model.evaluate(VALID).get("loss");
        RunTracker tracker = RunTracker.inMemory();
        TrainResult r = trainer(cfg, model, TinyMlp.source(DATA, 6), tracker, dir).fit();

        assertThat(r.steps()).isEqualTo(20);
        double fin = model.evaluate(VALID).get("loss");
        assertThat(fin).isLessThan(initial * 0.5);
        assertThat(model.evaluate(VALID).get("accuracy")).isGreaterThan(0.8);
        assertThat(r.tokens()).isEqualTo(5L * 24 * TinyMlp.IN);

        List<MetricPoint> train = tracker.metricHistory("train_loss");
        assertThat(train).extracting(MetricPoint::step).containsExactly(4L, 8L, 12L, 16L, 20L);
        assertThat(train.get(train.size() - 1).value()).isLessThan(train.get(0).value());
        for (String k : List.of("lr", "grad_norm", "tokens_per_s", "train_accuracy")) {
            assertThat(tracker.metricHistory(k)).as(k).hasSize(5);
        }
        assertThat(tracker.metricHistory("valid_loss")).extracting(MetricPoint::step).containsExactly(4L, 8L, 12L, 16L, 20L);
        assertThat(tracker.metricHistory("valid_loss").get(4).value()).isEqualTo(fin);
        assertThat(tracker.metricHistory("valid_accuracy")).hasSize(5);
        // step 4 uses lr(3) = peak * (20 - 3) / (20 - 2)
        assertThat(tracker.metricHistory("lr").get(0).value()).isEqualTo(0.05 * 17 / 18, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(tracker.params()).containsEntry("train.lr", "0.05").containsEntry("train.seed", "1");
        assertThat(r.lastTrain()).containsKeys("train_loss", "lr", "tokens_per_s", "grad_norm", "train_accuracy");
    }

    @Test
    void microStepSeedsDiffer() {
        assertThat(Trainer.microStepSeed(1, 0, 0)).isNotEqualTo(Trainer.microStepSeed(1, 0, 1))
                .isNotEqualTo(Trainer.microStepSeed(1, 1, 0)).isNotEqualTo(Trainer.microStepSeed(2, 0, 0));
        assertThat(Trainer.microStepSeed(1, 5, 2)).isEqualTo(Trainer.microStepSeed(1, 5, 2));
        Nd4j.getRandom().setSeed(Trainer.microStepSeed(1, 5, 2));
        double a = Nd4j.rand(1).getDouble(0);
        Nd4j.getRandom().setSeed(Trainer.microStepSeed(1, 5, 2));
        assertThat(Nd4j.rand(1).getDouble(0)).isEqualTo(a);
    }
}
