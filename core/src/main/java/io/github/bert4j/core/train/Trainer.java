package io.github.bert4j.core.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.core.io.AtomicFiles;
import io.github.bert4j.core.progress.Progress;
import io.github.bert4j.core.tracking.RunTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop shared by pretraining and fine-tuning: micro-batches with gradient
 * accumulation, global-norm clipping, an {@link LrSchedule}, {@link AdamW}, periodic evaluation,
 * logging to a {@link RunTracker} and a progress bar, and crash-safe checkpoints that a later run
 * resumes bit-identically.
 *
 * <p><b>Steps.</b> The {@link BatchSource} yields micro-batches; {@code grad_accumulation}
 * consecutive ones form one optimizer step (the last group of an epoch may be smaller). Gradients
 * and loss of a step are the example-weighted means over its micro-batches. Before each
 * micro-batch ND4J's generator is seeded from {@code (seed, step, micro)}, so dropout depends only
 * on the position in the run, not on what happened before in this JVM.
 *
 * <p><b>Checkpoints.</b> {@code outputDir/last} is written every {@code save_every} steps, at each
 * epoch end and at the end of training; {@code outputDir/best} whenever the validation metric
 * {@code best_metric} improves. Each is a model directory plus {@code training_state/} (see
 * {@link Checkpoints}). With resume on ({@link #resume(boolean)} or {@code resume: true}), a run
 * whose {@code last} holds a training state restores parameters, optimizer moments, schedule and
 * data position and the logging interval in progress, skips the micro-batches of the current epoch
 * already consumed, and continues. Without resume, an existing {@code last/} or {@code best/} is
 * refused unless {@link #overwrite(boolean)} is on. Loading refuses non-finite weights or moments.
 *
 * <p><b>Divergence.</b> A non-finite loss or gradient norm stops training with a {@link
 * TrainingDivergedException} before the step is applied; checkpoints on disk stay as they were.
 *
 * @param <B> the batch type
 */
public final class Trainer<B> {
    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainingConfig cfg;
    private final TrainableModel<B> model;
    private final BatchSource<B> data;
    private final Evaluator evaluator;
    private final RunTracker tracker;
    private final Path outputDir;
    private final AdamW optimizer;
    private boolean resume;
    private boolean overwrite;
    private GradientAccumulator<B> accumulator;

    private TrainerState state;
    private LrSchedule schedule;
    private final IntervalStats interval = new IntervalStats();
    private Map<String, Double> lastTrain = Map.of();
    private Map<String, Double> bestValid = Map.of();
    private long lastEvalStep = -1;
    private long lastSaveStep = -1;
    private long tokensThisRun;

    /**
     * @param evaluator validation metrics, or null for none (then {@code best} is never written)
     * @param tracker where metrics go; {@code RunTracker.noop()} for none
     * @param outputDir holds {@code last/} and {@code best/}
     */
    public Trainer(TrainingConfig cfg, TrainableModel<B> model, BatchSource<B> data, Evaluator evaluator,
            RunTracker tracker, Path outputDir) {
        this.cfg = cfg;
        this.model = model;
        this.data = data;
        this.evaluator = evaluator;
        this.tracker = tracker != null ? tracker : RunTracker.noop();
        this.outputDir = outputDir;
        this.optimizer = AdamW.from(cfg);
        this.resume = cfg.resume();
    }

    /** Whether to continue from {@code outputDir/last} if it holds a training state. */
    public Trainer<B> resume(boolean on) {
        this.resume = on;
        return this;
    }

    /**
     * Whether a run that does not resume may delete the {@code last/} and {@code best/} of an
     * earlier run in {@code outputDir}. Off by default: {@link #fit()} then refuses to start.
     */
    public Trainer<B> overwrite(boolean on) {
        this.overwrite = on;
        return this;
    }

    /**
     * Checks what a run may do with {@code outputDir} before any work starts (the trainer checks
     * again): after repairing interrupted checkpoint writes, returns whether it resumes ({@code
     * resume} and {@code last/} holds a training state).
     *
     * @throws CheckpointException if it does not resume but an earlier run's {@code last/} or
     *     {@code best/} is there and {@code overwrite} is off
     */
    public static boolean checkOutput(Path outputDir, boolean resume, boolean overwrite) throws IOException {
        Path last = outputDir.resolve("last");
        Path best = outputDir.resolve("best");
        AtomicFiles.recoverDirectory(best);
        if (resume && Checkpoints.hasTrainingState(last)) return true;
        if (!overwrite && (Files.exists(last) || Files.exists(best))) {
            throw new CheckpointException(Files.exists(last) ? last : best, "a checkpoint of an earlier run is here;"
                    + " continue it with --resume or delete it and start over with --overwrite");
        }
        return false;
    }

    /**
     * The tracker for a run writing checkpoints to {@code outputDir}: when {@code resume} is on and
     * {@code outputDir/last} holds a training state with a run id, that MLflow run is continued
     * ({@link RunTracker#resume}, points logged after the checkpoint's step dropped); otherwise a
     * new run. Either way, runs left RUNNING by killed processes are marked KILLED.
     */
    public static RunTracker tracker(Path mlruns, String experiment, String runName, Path outputDir, boolean resume)
            throws IOException {
        Path last = outputDir.resolve("last");
        if (resume && Checkpoints.hasTrainingState(last)) {
            TrainerState s = TrainerState.read(last.resolve(Checkpoints.STATE_DIR).resolve(Checkpoints.TRAINER_STATE_FILE));
            if (s.runId() != null) return RunTracker.resume(mlruns, experiment, runName, s.runId(), s.step());
        }
        return RunTracker.create(mlruns, experiment, runName);
    }

    /**
     * Who turns a step's micro-batches into one accumulated gradient: by default this trainer, on
     * the model in this JVM ({@link #accumulate}); a distributed runner (e.g. bert4j-spark's) may
     * compute the same example-weighted sums elsewhere. Clipping, the optimizer step, schedules,
     * evaluation, tracking and checkpoints stay here.
     */
    public Trainer<B> accumulator(GradientAccumulator<B> a) {
        this.accumulator = a;
        return this;
    }

    /** The optimizer (its state is part of every checkpoint). */
    public AdamW optimizer() {
        return optimizer;
    }

    public Path lastDir() {
        return outputDir.resolve("last");
    }

    public Path bestDir() {
        return outputDir.resolve("best");
    }

    /**
     * Trains until {@code max_steps} steps or {@code epochs} epochs are done.
     *
     * @throws TrainingDivergedException on a non-finite loss or gradient
     * @throws CheckpointException or {@link io.github.bert4j.core.io.SafeTensorsException} if resuming
     *     from an unusable checkpoint
     * @throws UncheckedIOException if a checkpoint cannot be written
     */
    public TrainResult fit() {
        long start = System.nanoTime();
        try {
            Files.createDirectories(outputDir);
            start();
            logParams();
            try (Progress bar = Progress.bar("train", totalSteps(), state.step())) {
                loop(bar);
            }
            if (lastEvalStep != state.step() && state.step() > 0) evaluate();
            if (lastSaveStep != state.step()) saveLast();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Path best = state.bestStep() >= 0 && Files.isDirectory(bestDir()) ? bestDir() : null;
        return new TrainResult(state.step(), lastTrain, bestValid, best, lastDir(), seconds, tokensThisRun);
    }

    private void start() throws IOException {
        String hash = configHash(cfg);
        AtomicFiles.recoverDirectory(bestDir());
        AtomicFiles.recoverDirectory(lastDir());
        AtomicFiles.deleteTemporaries(outputDir);
        state = TrainerState.initial(cfg, hash);
        schedule = LrSchedule.from(cfg, totalSteps());
        if (checkOutput(outputDir, resume, overwrite)) {
            restore(hash);
        } else if (Files.exists(lastDir()) || Files.exists(bestDir())) {
            LOG.log(System.Logger.Level.WARNING, "overwrite: deleting the checkpoints of an earlier run in {0}", outputDir);
            AtomicFiles.deleteDirectory(lastDir());
            AtomicFiles.deleteDirectory(bestDir());
        }
        lastSaveStep = state.step();
    }

    private void restore(String hash) throws IOException {
        Path stateDir = lastDir().resolve(Checkpoints.STATE_DIR);
        TrainerState loaded = TrainerState.read(stateDir.resolve(Checkpoints.TRAINER_STATE_FILE));
        Map<String, INDArray> params = model.parameters();
        Map<String, INDArray> values = Checkpoints.readParameters(lastDir().resolve(Checkpoints.MODEL_FILE), params);
        schedule.restore(loaded.schedule());
        optimizer.load(stateDir.resolve(Checkpoints.OPTIMIZER_FILE), params);
        Checkpoints.assign(params, values); // only after everything has been read and checked
        if (!hash.equals(loaded.configHash())) {
            LOG.log(System.Logger.Level.WARNING, "resuming {0} with a different training configuration", lastDir());
        }
        if (loaded.runId() != null && !loaded.runId().equals(tracker.runId())) {
            LOG.log(System.Logger.Level.INFO, "resuming {0} (tracked as run {1}) in tracked run {2}", lastDir(),
                    loaded.runId(), tracker.runId());
        }
        interval.restore(loaded.interval());
        state = loaded;
        bestValid = loaded.bestMetrics();
        lastEvalStep = loaded.step(); // a checkpoint is written after its step's evaluation
        LOG.log(System.Logger.Level.INFO, "resumed from {0} at step {1} (epoch {2}, batch {3})", lastDir(),
                loaded.step(), loaded.epoch(), loaded.batchInEpoch());
    }

    private void loop(Progress bar) throws IOException {
        for (int epoch = state.epoch(); cfg.maxSteps() > 0 || epoch < cfg.epochs(); epoch++) {
            Iterator<B> it = data.epoch(epoch, cfg.seed());
            long batch = epoch == state.epoch() ? skip(it, state.batchInEpoch()) : 0;
            boolean epochStarted = batch > 0 || it.hasNext();
            while (it.hasNext() && !done()) {
                List<B> group = nextGroup(it);
                batch += group.size();
                step(group, epoch, batch, bar);
                // at an epoch's last step the epoch-end checkpoint (after its evaluation) replaces this one
                if (cfg.saveEvery() > 0 && state.step() % cfg.saveEvery() == 0 && it.hasNext()) saveLast();
            }
            if (!it.hasNext()) {
                state = state.at(state.step(), epoch + 1, 0, schedule.state(), state.tokensSeen());
                endOfEpoch(epoch);
            }
            if (done() || !epochStarted) break;
        }
    }

    private boolean done() {
        return cfg.maxSteps() > 0 && state.step() >= cfg.maxSteps();
    }

    private long skip(Iterator<B> it, long n) {
        long skipped = 0;
        while (skipped < n && it.hasNext()) {
            it.next();
            skipped++;
        }
        if (skipped < n) {
            throw new IllegalStateException("cannot resume: epoch has " + skipped + " batches, checkpoint consumed " + n);
        }
        return skipped;
    }

    private List<B> nextGroup(Iterator<B> it) {
        List<B> group = new ArrayList<>(cfg.gradAccumulation());
        while (group.size() < cfg.gradAccumulation() && it.hasNext()) group.add(it.next());
        return group;
    }

    /** One optimizer step on {@code group}; {@code batch} is the epoch position after it. */
    private void step(List<B> group, int epoch, long batch, Progress bar) throws IOException {
        long stepNo = state.step() + 1;
        Accumulated acc = accumulator != null ? accumulator.accumulate(model, group, state.step(), cfg.seed())
                : accumulate(group, state.step());
        double norm = GradientClipping.clipGlobalNorm(acc.gradients(), cfg.maxGradNorm());
        if (!Double.isFinite(norm)) throw divergedGradient(stepNo, acc.gradients(), norm);
        double lr = schedule.lr(state.step());
        optimizer.step(model.parameters(), acc.gradients(), lr, model::learningRateScale);
        tokensThisRun += acc.tokens();
        state = state.at(stepNo, epoch, batch, schedule.state(), state.tokensSeen() + acc.tokens());
        interval.add(acc.loss(), acc.examples(), acc.tokens(), norm, acc.metrics());
        bar.step().setExtraMessage(String.format(Locale.ROOT, "loss %.4f | lr %.2e | %.0f tok/s",
                interval.meanLoss(), lr, interval.tokensPerSecond()));
        if (stepNo % cfg.logEvery() == 0) logTraining(lr);
        if (cfg.evalEvery() > 0 && stepNo % cfg.evalEvery() == 0) evaluate();
    }

    private void endOfEpoch(int epoch) throws IOException {
        tracker.logMetric("epoch", epoch + 1, state.step());
        if (!interval.isEmpty()) logTraining(schedule.lr(Math.max(0, state.step() - 1)));
        if (lastEvalStep != state.step()) evaluate();
        saveLast();
    }

    /** Runs the micro-batches of one step and returns the example-weighted mean loss and gradients. */
    Accumulated accumulate(List<B> group, long completedSteps) {
        Map<String, INDArray> sum = new LinkedHashMap<>();
        Metrics metrics = new Metrics();
        double lossSum = 0;
        long examples = 0;
        long tokens = 0;
        for (int micro = 0; micro < group.size(); micro++) {
            Nd4j.getRandom().setSeed(microStepSeed(cfg.seed(), completedSteps, micro));
            StepOutput out = model.trainStep(group.get(micro));
            if (!Double.isFinite(out.loss())) {
                throw new TrainingDivergedException(completedSteps + 1, "loss", "loss " + out.loss()
                        + " on micro-batch " + micro);
            }
            if (out.examples() <= 0) throw new IllegalStateException("trainStep reported " + out.examples() + " examples");
            double w = group.size() == 1 ? 1 : out.examples();
            out.gradients().forEach((name, g) -> sum.merge(name, w == 1 ? g : g.muli(w), INDArray::addi));
            lossSum += out.loss() * out.examples();
            examples += out.examples();
            tokens += out.tokens();
            metrics.merge(out.metrics());
        }
        if (group.size() > 1) {
            for (INDArray g : sum.values()) g.divi(examples);
        }
        return new Accumulated(lossSum / examples, sum, metrics, tokens, examples);
    }

    /**
     * One step's accumulated result: the example-weighted mean loss and gradients over its
     * micro-batches, summed metrics, tokens and examples.
     */
    public record Accumulated(double loss, Map<String, INDArray> gradients, Metrics metrics, long tokens, long examples) {}

    private static TrainingDivergedException divergedGradient(long step, Map<String, INDArray> grads, double norm) {
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            double n = e.getValue().norm2Number().doubleValue();
            if (!Double.isFinite(n)) {
                return new TrainingDivergedException(step, "gradient of " + e.getKey(), "norm " + n);
            }
        }
        return new TrainingDivergedException(step, "gradient norm", "global norm " + norm);
    }

    private void logTraining(double lr) {
        Map<String, Double> summary = interval.summary();
        summary.put("lr", lr);
        summary.forEach((k, v) -> tracker.logMetric(k, v, state.step()));
        lastTrain = summary;
        interval.reset();
    }

    private void evaluate() throws IOException {
        lastEvalStep = state.step();
        if (evaluator == null) return;
        Map<String, Double> valid = new LinkedHashMap<>();
        evaluator.evaluate().forEach((k, v) -> valid.put(k.startsWith("valid_") ? k : "valid_" + k, v));
        valid.forEach((k, v) -> tracker.logMetric(k, v, state.step()));
        Double metric = valid.get(cfg.bestMetric());
        if (metric == null) {
            LOG.log(System.Logger.Level.WARNING, "best_metric {0} not among {1}", cfg.bestMetric(), valid.keySet());
            return;
        }
        schedule.observe(metric);
        state = state.at(state.step(), state.epoch(), state.batchInEpoch(), schedule.state(), state.tokensSeen());
        if (cfg.bestMode().better(metric, state.best())) {
            state = state.withBest(metric, state.step(), valid);
            bestValid = valid;
            Checkpoints.save(bestDir(), model, optimizer, saved());
        }
    }

    /** The state as a checkpoint stores it: with the logging interval in progress and the tracked run. */
    private TrainerState saved() {
        return state.withTracking(interval.snapshot(), tracker.runId());
    }

    private void saveLast() throws IOException {
        Checkpoints.save(lastDir(), model, optimizer, saved());
        lastSaveStep = state.step();
    }

    /** Optimizer steps of the whole run: {@code max_steps}, or epochs times steps per epoch. */
    long totalSteps() {
        if (cfg.maxSteps() > 0) return cfg.maxSteps();
        long batches = data.batchesPerEpoch();
        if (batches < 0) {
            if (cfg.scheduler() == TrainingConfig.Scheduler.LINEAR) {
                throw new IllegalStateException("the LINEAR schedule needs max_steps or a BatchSource that knows batchesPerEpoch()");
            }
            return -1;
        }
        return cfg.epochs() * ((batches + cfg.gradAccumulation() - 1) / cfg.gradAccumulation());
    }

    private void logParams() {
        Map<String, Object> params = JSON.convertValue(cfg, new TypeReference<Map<String, Object>>() {});
        tracker.logParams(Map.of("train", params));
    }

    /** A 64-bit seed for micro-batch {@code micro} of the step after {@code step} (SplitMix64 mixing). */
    public static long microStepSeed(long seed, long step, int micro) {
        return mix(mix(mix(seed) ^ step) ^ micro);
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** SHA-256 of the configuration minus {@code resume}, to notice a changed config on resume. */
    static String configHash(TrainingConfig cfg) {
        try {
            String json = JSON.writeValueAsString(cfg.toBuilder().resume(false).build());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
