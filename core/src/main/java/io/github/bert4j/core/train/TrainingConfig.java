package io.github.bert4j.core.train;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.github.bert4j.core.config.Check;
import io.github.bert4j.core.config.ConfigException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code train} section shared by pretraining and fine-tuning: optimisation (AdamW),
 * schedule, batching, evaluation, logging and checkpoint cadence. JSON/YAML names are snake_case;
 * the reference project's spellings ({@code n_epochs}, ...) and common HuggingFace ones ({@code
 * learning_rate}, {@code gradient_accumulation_steps}, ...) are accepted as aliases. Missing keys
 * take the values of {@link #defaults()}.
 *
 * @param epochs passes over the training data (used when {@code maxSteps == -1})
 * @param maxSteps optimizer steps to take in total, or -1 to run {@code epochs} epochs
 * @param batchSize examples per micro-batch (the data pipeline's unit)
 * @param gradAccumulation micro-batches per optimizer step; effective batch = batchSize * this
 * @param lr peak learning rate
 * @param weightDecay decoupled weight decay (AdamW), not applied to biases and LayerNorm weights
 * @param maxGradNorm global gradient-norm clip threshold; 0 disables clipping
 * @param scheduler learning-rate schedule
 * @param warmupSteps optimizer steps of linear warm-up from 0 to {@code lr}
 * @param plateauFactor multiplier applied to the lr when the metric stops improving (PLATEAU)
 * @param plateauPatience evaluations without improvement tolerated before reducing (PLATEAU)
 * @param plateauMinLr lower bound of the lr (PLATEAU)
 * @param evalEvery evaluate every this many optimizer steps; 0 = only at epoch end
 * @param logEvery log training metrics every this many optimizer steps
 * @param saveEvery save {@code last} every this many optimizer steps; 0 = only at epoch end
 * @param bestMetric the validation metric (with its {@code valid_} prefix) that selects {@code best}
 *     and drives PLATEAU
 * @param bestMode whether a smaller or a larger {@code bestMetric} is better
 * @param seed seeds data order, dropout and everything else random in training
 * @param trainMlm pretraining: include the masked-LM loss
 * @param trainNsp pretraining: include the next-sentence loss
 * @param resume continue from {@code <output>/last} if it holds a training state
 */
public record TrainingConfig(
        @JsonProperty("epochs") int epochs,
        @JsonProperty("max_steps") long maxSteps,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("grad_accumulation") int gradAccumulation,
        @JsonProperty("lr") double lr,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("adam_beta1") double adamBeta1,
        @JsonProperty("adam_beta2") double adamBeta2,
        @JsonProperty("adam_eps") double adamEps,
        @JsonProperty("max_grad_norm") double maxGradNorm,
        @JsonProperty("scheduler") Scheduler scheduler,
        @JsonProperty("warmup_steps") long warmupSteps,
        @JsonProperty("plateau_factor") double plateauFactor,
        @JsonProperty("plateau_patience") int plateauPatience,
        @JsonProperty("plateau_min_lr") double plateauMinLr,
        @JsonProperty("eval_every") long evalEvery,
        @JsonProperty("log_every") long logEvery,
        @JsonProperty("save_every") long saveEvery,
        @JsonProperty("best_metric") String bestMetric,
        @JsonProperty("best_mode") BestMode bestMode,
        @JsonProperty("seed") long seed,
        @JsonProperty("train_mlm") boolean trainMlm,
        @JsonProperty("train_nsp") boolean trainNsp,
        @JsonProperty("resume") boolean resume) {

    /** Learning-rate schedules; see {@link LrSchedule}. */
    public enum Scheduler {
        /** Linear warm-up, then linear decay to 0 at the last step. */
        LINEAR("linear", "linear_with_warmup", "linear_warmup", "linear_schedule_with_warmup"),
        /** Linear warm-up, then constant. */
        CONSTANT("constant_with_warmup", "constant", "constant_warmup"),
        /** Linear warm-up, then multiply by {@code plateau_factor} when the metric plateaus. */
        PLATEAU("reduce_on_plateau", "plateau", "reducelronplateau", "reduce_lr_on_plateau");

        private final String[] spellings;

        Scheduler(String... spellings) {
            this.spellings = spellings;
        }

        /** The spelling written to JSON/YAML: {@code linear}, {@code constant_with_warmup}, {@code reduce_on_plateau}. */
        @JsonValue
        public String jsonName() {
            return spellings[0];
        }

        /** Parses any accepted spelling, case-insensitively ({@code "LINEAR"}, {@code "reduce_on_plateau"}). */
        @JsonCreator
        public static Scheduler parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (Scheduler s : values()) {
                if (s.name().toLowerCase(Locale.ROOT).equals(t) || Arrays.asList(s.spellings).contains(t)) return s;
            }
            throw ConfigException.invalid("scheduler", "one of linear, constant_with_warmup, reduce_on_plateau", text);
        }
    }

    /** Direction of improvement of {@code best_metric}. */
    public enum BestMode {
        MIN,
        MAX;

        @JsonValue
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static BestMode parse(String text) {
            String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
            for (BestMode m : values()) {
                if (m.name().equals(t)) return m;
            }
            throw ConfigException.invalid("best_mode", "one of min, max", text);
        }

        /** Whether {@code candidate} is strictly better than {@code incumbent} (NaN incumbent: anything finite). */
        public boolean better(double candidate, double incumbent) {
            if (Double.isNaN(incumbent)) return !Double.isNaN(candidate);
            return this == MIN ? candidate < incumbent : candidate > incumbent;
        }
    }

    public TrainingConfig {
        Check.positive("epochs", epochs);
        Check.that(maxSteps == -1 || maxSteps > 0, "max_steps", "-1 (by epochs) or > 0", maxSteps);
        Check.positive("batch_size", batchSize);
        Check.positive("grad_accumulation", gradAccumulation);
        Check.positive("lr", lr);
        Check.finite("lr", lr);
        Check.nonNegative("weight_decay", weightDecay);
        Check.that(adamBeta1 >= 0 && adamBeta1 < 1, "adam_beta1", "in [0, 1)", adamBeta1);
        Check.that(adamBeta2 >= 0 && adamBeta2 < 1, "adam_beta2", "in [0, 1)", adamBeta2);
        Check.positive("adam_eps", adamEps);
        Check.nonNegative("max_grad_norm", maxGradNorm);
        Check.notNull("scheduler", scheduler);
        Check.nonNegative("warmup_steps", warmupSteps);
        Check.that(plateauFactor > 0 && plateauFactor < 1, "plateau_factor", "in (0, 1)", plateauFactor);
        Check.nonNegative("plateau_patience", plateauPatience);
        Check.nonNegative("plateau_min_lr", plateauMinLr);
        Check.nonNegative("eval_every", evalEvery);
        Check.positive("log_every", logEvery);
        Check.nonNegative("save_every", saveEvery);
        Check.notBlank("best_metric", bestMetric);
        Check.notNull("best_mode", bestMode);
        Check.that(maxSteps == -1 || warmupSteps <= maxSteps, "warmup_steps", "<= max_steps (" + maxSteps + ")", warmupSteps);
    }

    /** The defaults: 1 epoch, batch 32, lr 1e-4, AdamW(0.9, 0.999, 1e-6, wd 0.01), clip 1.0, LINEAR. */
    public static TrainingConfig defaults() {
        return new TrainingConfig(1, -1, 32, 1, 1e-4, 0.01, 0.9, 0.999, 1e-6, 1.0, Scheduler.LINEAR, 0,
                0.5, 1, 0.0, 0, 10, 0, "valid_loss", BestMode.MIN, 42, true, true, false);
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Effective examples per optimizer step. */
    public long effectiveBatchSize() {
        return (long) batchSize * gradAccumulation;
    }

    /** Jackson entry point: absent keys (null) take their default. */
    @JsonCreator
    static TrainingConfig fromJson(
            @JsonProperty("epochs") @JsonAlias({"n_epochs", "num_epochs", "num_train_epochs"}) Integer epochs,
            @JsonProperty("max_steps") Long maxSteps,
            @JsonProperty("batch_size") @JsonAlias({"train_batch_size"}) Integer batchSize,
            @JsonProperty("grad_accumulation") @JsonAlias({"gradient_accumulation_steps", "accumulation_steps"})
                    Integer gradAccumulation,
            @JsonProperty("lr") @JsonAlias({"learning_rate"}) Double lr,
            @JsonProperty("weight_decay") Double weightDecay,
            @JsonProperty("adam_beta1") @JsonAlias({"beta1"}) Double adamBeta1,
            @JsonProperty("adam_beta2") @JsonAlias({"beta2"}) Double adamBeta2,
            @JsonProperty("adam_eps") @JsonAlias({"adam_epsilon", "eps"}) Double adamEps,
            @JsonProperty("max_grad_norm") @JsonAlias({"clip_grad_norm", "grad_clip", "clip"}) Double maxGradNorm,
            @JsonProperty("scheduler") @JsonAlias({"lr_scheduler", "lr_scheduler_type"}) Scheduler scheduler,
            @JsonProperty("warmup_steps") @JsonAlias({"warmup", "num_warmup_steps"}) Long warmupSteps,
            @JsonProperty("plateau_factor") Double plateauFactor,
            @JsonProperty("plateau_patience") Integer plateauPatience,
            @JsonProperty("plateau_min_lr") @JsonAlias({"min_lr"}) Double plateauMinLr,
            @JsonProperty("eval_every") @JsonAlias({"eval_steps"}) Long evalEvery,
            @JsonProperty("log_every") @JsonAlias({"logging_steps", "log_steps"}) Long logEvery,
            @JsonProperty("save_every") @JsonAlias({"save_steps"}) Long saveEvery,
            @JsonProperty("best_metric") @JsonAlias({"metric_for_best_model"}) String bestMetric,
            @JsonProperty("best_mode") BestMode bestMode,
            @JsonProperty("seed") Long seed,
            @JsonProperty("train_mlm") Boolean trainMlm,
            @JsonProperty("train_nsp") Boolean trainNsp,
            @JsonProperty("resume") Boolean resume) {
        TrainingConfig d = defaults();
        return new TrainingConfig(
                or(epochs, d.epochs), or(maxSteps, d.maxSteps), or(batchSize, d.batchSize),
                or(gradAccumulation, d.gradAccumulation), or(lr, d.lr), or(weightDecay, d.weightDecay),
                or(adamBeta1, d.adamBeta1), or(adamBeta2, d.adamBeta2), or(adamEps, d.adamEps),
                or(maxGradNorm, d.maxGradNorm), or(scheduler, d.scheduler), or(warmupSteps, d.warmupSteps),
                or(plateauFactor, d.plateauFactor), or(plateauPatience, d.plateauPatience),
                or(plateauMinLr, d.plateauMinLr), or(evalEvery, d.evalEvery), or(logEvery, d.logEvery),
                or(saveEvery, d.saveEvery), or(bestMetric, d.bestMetric), or(bestMode, d.bestMode),
                or(seed, d.seed), or(trainMlm, d.trainMlm), or(trainNsp, d.trainNsp), or(resume, d.resume));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** Mutable copy of a config for tests and programmatic setup; {@link #build()} validates. */
    public static final class Builder {
        private int epochs;
        private long maxSteps;
        private int batchSize;
        private int gradAccumulation;
        private double lr;
        private double weightDecay;
        private double adamBeta1;
        private double adamBeta2;
        private double adamEps;
        private double maxGradNorm;
        private Scheduler scheduler;
        private long warmupSteps;
        private double plateauFactor;
        private int plateauPatience;
        private double plateauMinLr;
        private long evalEvery;
        private long logEvery;
        private long saveEvery;
        private String bestMetric;
        private BestMode bestMode;
        private long seed;
        private boolean trainMlm;
        private boolean trainNsp;
        private boolean resume;

        private Builder(TrainingConfig c) {
            epochs = c.epochs; maxSteps = c.maxSteps; batchSize = c.batchSize; gradAccumulation = c.gradAccumulation;
            lr = c.lr; weightDecay = c.weightDecay; adamBeta1 = c.adamBeta1; adamBeta2 = c.adamBeta2;
            adamEps = c.adamEps; maxGradNorm = c.maxGradNorm; scheduler = c.scheduler; warmupSteps = c.warmupSteps;
            plateauFactor = c.plateauFactor; plateauPatience = c.plateauPatience; plateauMinLr = c.plateauMinLr;
            evalEvery = c.evalEvery; logEvery = c.logEvery; saveEvery = c.saveEvery; bestMetric = c.bestMetric;
            bestMode = c.bestMode; seed = c.seed; trainMlm = c.trainMlm; trainNsp = c.trainNsp; resume = c.resume;
        }

        public Builder epochs(int v) { epochs = v; return this; }
        public Builder maxSteps(long v) { maxSteps = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder gradAccumulation(int v) { gradAccumulation = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder adamBetas(double b1, double b2) { adamBeta1 = b1; adamBeta2 = b2; return this; }
        public Builder adamEps(double v) { adamEps = v; return this; }
        public Builder maxGradNorm(double v) { maxGradNorm = v; return this; }
        public Builder scheduler(Scheduler v) { scheduler = v; return this; }
        public Builder warmupSteps(long v) { warmupSteps = v; return this; }
        public Builder plateau(double factor, int patience, double minLr) {
            plateauFactor = factor; plateauPatience = patience; plateauMinLr = minLr; return this;
        }
        public Builder evalEvery(long v) { evalEvery = v; return this; }
        public Builder logEvery(long v) { logEvery = v; return this; }
        public Builder saveEvery(long v) { saveEvery = v; return this; }
        public Builder best(String metric, BestMode mode) { bestMetric = metric; bestMode = mode; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder trainMlm(boolean v) { trainMlm = v; return this; }
        public Builder trainNsp(boolean v) { trainNsp = v; return this; }
        public Builder resume(boolean v) { resume = v; return this; }

        public TrainingConfig build() {
            return new TrainingConfig(epochs, maxSteps, batchSize, gradAccumulation, lr, weightDecay, adamBeta1,
                    adamBeta2, adamEps, maxGradNorm, scheduler, warmupSteps, plateauFactor, plateauPatience,
                    plateauMinLr, evalEvery, logEvery, saveEvery, bestMetric, bestMode, seed, trainMlm, trainNsp,
                    resume);
        }
    }
}
