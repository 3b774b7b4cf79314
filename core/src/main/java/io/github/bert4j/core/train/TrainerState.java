package io.github.bert4j.core.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.bert4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer's position, saved as {@code training_state/trainer_state.json} next to the
 * optimizer state. Together with the parameters and the optimizer moments it determines the rest
 * of the run exactly: data order comes from {@code (epoch, seed)}, dropout from {@code (seed,
 * step, micro-batch)}.
 *
 * @param step optimizer steps completed
 * @param epoch the epoch to continue (0-based)
 * @param batchInEpoch micro-batches of {@code epoch} already consumed
 * @param schedule the learning-rate schedule's state ({@link LrSchedule#state()})
 * @param bestValue best value of {@code bestMetric} so far, or null
 * @param bestStep step of the best value, or -1
 * @param bestMetrics all validation metrics of the best evaluation
 * @param seed the run's seed
 * @param configHash hash of the training configuration that produced this state
 * @param tokensSeen tokens processed so far
 * @param interval the sums of the logging interval in progress (steps since the last logged
 *     {@code train_loss}), so that the first value logged after a resume equals the uninterrupted
 *     run's
 * @param runId the id of the tracked (MLflow) run, which a resumed run continues; null if unknown
 */
public record TrainerState(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("step") long step,
        @JsonProperty("epoch") int epoch,
        @JsonProperty("batch_in_epoch") long batchInEpoch,
        @JsonProperty("schedule") Map<String, Double> schedule,
        @JsonProperty("best_metric") String bestMetric,
        @JsonProperty("best_value") Double bestValue,
        @JsonProperty("best_step") long bestStep,
        @JsonProperty("best_metrics") Map<String, Double> bestMetrics,
        @JsonProperty("seed") long seed,
        @JsonProperty("config_hash") String configHash,
        @JsonProperty("tokens_seen") long tokensSeen,
        @JsonProperty("interval") Interval interval,
        @JsonProperty("run_id") String runId) {

    /** 2 added {@code interval} and {@code run_id}; version 1 files are still read (without them). */
    public static final int FORMAT_VERSION = 2;

    /**
     * The unlogged part of a logging interval ({@link IntervalStats} without its clock).
     *
     * @param metrics the model's metrics as {@code [sum, count]}
     */
    public record Interval(
            @JsonProperty("loss_sum") double lossSum,
            @JsonProperty("examples") long examples,
            @JsonProperty("tokens") long tokens,
            @JsonProperty("grad_norm_sum") double gradNormSum,
            @JsonProperty("steps") int steps,
            @JsonProperty("metrics") Map<String, List<Double>> metrics) {
        public static final Interval EMPTY = new Interval(0, 0, 0, 0, 0, Map.of());

        public Interval {
            metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public TrainerState {
        schedule = schedule == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(schedule));
        bestMetrics = bestMetrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(bestMetrics));
        interval = interval == null ? Interval.EMPTY : interval;
    }

    /** The state before the first step. */
    static TrainerState initial(TrainingConfig cfg, String configHash) {
        return new TrainerState(FORMAT_VERSION, 0, 0, 0, Map.of(), cfg.bestMetric(), null, -1, Map.of(), cfg.seed(),
                configHash, 0, Interval.EMPTY, null);
    }

    /** The best value so far, NaN if none. */
    double best() {
        return bestValue == null ? Double.NaN : bestValue;
    }

    TrainerState at(long newStep, int newEpoch, long newBatch, Map<String, Double> newSchedule, long newTokens) {
        return new TrainerState(formatVersion, newStep, newEpoch, newBatch, newSchedule, bestMetric, bestValue,
                bestStep, bestMetrics, seed, configHash, newTokens, interval, runId);
    }

    /** This state with the logging interval in progress and the tracked run's id (as saved in a checkpoint). */
    TrainerState withTracking(Interval newInterval, String newRunId) {
        return new TrainerState(formatVersion, step, epoch, batchInEpoch, schedule, bestMetric, bestValue, bestStep,
                bestMetrics, seed, configHash, tokensSeen, newInterval, newRunId);
    }

    TrainerState withBest(double value, long atStep, Map<String, Double> metrics) {
        return new TrainerState(formatVersion, step, epoch, batchInEpoch, schedule, bestMetric, value, atStep, metrics,
                seed, configHash, tokensSeen, interval, runId);
    }

    /** Writes this state as JSON, atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, JSON.writeValueAsString(this));
    }

    /**
     * Reads a state written by {@link #write}.
     *
     * @throws CheckpointException if the file is not valid JSON, misses a field or has bad values
     */
    public static TrainerState read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        TrainerState s;
        try {
            JsonNode tree = JSON.readTree(text);
            if (tree instanceof ObjectNode o && o.path("format_version").asInt() == 1) {
                o.putNull("interval"); // version 1 had neither: an empty interval, no run id
                o.putNull("run_id");
                o.put("format_version", FORMAT_VERSION);
            }
            s = tree == null || tree.isMissingNode() ? null : JSON.treeToValue(tree, TrainerState.class);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file, "malformed trainer state: " + e.getOriginalMessage(), e);
        }
        if (s == null) throw new CheckpointException(file, "empty trainer state");
        if (s.formatVersion != FORMAT_VERSION) {
            throw new CheckpointException(file, "format_version " + s.formatVersion + " is not " + FORMAT_VERSION);
        }
        if (s.step < 0 || s.epoch < 0 || s.batchInEpoch < 0) {
            throw new CheckpointException(file, "negative position: step " + s.step + ", epoch " + s.epoch
                    + ", batch_in_epoch " + s.batchInEpoch);
        }
        return s;
    }
}
