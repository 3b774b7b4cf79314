package io.github.bert4j.ner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.core.config.Check;
import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.config.ConfigLoader;
import io.github.bert4j.core.train.TrainingConfig;
import io.github.bert4j.ner.data.TagSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code finetune-ner} configuration ({@code ner.yaml}). Relative paths ({@code data.train_file},
 * {@code data.valid_file}, {@code model.pretrained}, {@code model.tokenizer}, {@code tracking.mlruns})
 * are resolved against the config file's folder by {@link #load} (as in pretraining configs);
 * {@link #parse} leaves them as written (then they are relative to the working directory).
 *
 * <pre>
 * data:
 *   train_file: examples/data/klue-ner/klue-ner-v1.1_dev_4k.tsv
 *   valid_file: null          # null: split train_file by index (i % split_modulus == split_test_remainder → valid)
 *   split_modulus: 5
 *   split_test_remainder: 4
 *   valid_modulus: null       # set (with valid_remainder): of the other sentences, i % valid_modulus ==
 *   valid_remainder: null     #   valid_remainder → validation; the held-out split is then a test split
 *   extra_train_files: []     # more KLUE-format files, training only (e.g. `bert4j pseudo-label` output)
 *   labels: null              # null: KLUE's 13 labels
 *   train_limit: null         # N: train on the first N training sentences only (learning curves;
 *                             #    validation and test splits unchanged)
 * model:
 *   pretrained: examples/models/seed   # a model directory, or null for random initialisation
 *   tokenizer: null           # tokenizer.json, vocab.txt or a directory; null: the pretrained directory
 *   bert: null                # BertConfig (HuggingFace names) for random init; null: the seed preset
 *   max_len: 128              # [CLS] + tokens + [SEP]; longer sentences are cut into sliding windows
 *   stride: null              # window stride, default (max_len - 2) / 2
 *   dropout: null             # before the classifier; default hidden_dropout_prob
 *   bio_constraints: true
 *   bucket: 32                # batches are padded to a multiple of this
 *   eval_batch_size: 64
 *   seed: 42                  # head initialisation (and the encoder's when random)
 *   head_lr: null             # peak learning rate of the classifier and CRF; null: train.lr
 *   layer_lr_decay: 1.0       # layer-wise decay: layer i of L at lr·d^(L−1−i), embeddings lr·d^L
 *   calibrate_scores: true    # fit the entity-score temperature on the validation split after
 *                             #   training (NerPredictor#fitScoreTemperature; tags and F1 unchanged)
 * train:                      # core TrainingConfig; NER defaults below apply to absent keys
 *   epochs: 20
 *   batch_size: 32
 *   grad_accumulation: 4      # effective batch 128, as the reference
 *   lr: 5.0e-4
 *   best_metric: valid_entity_macro_f1
 *   best_mode: max
 * tracking:
 *   mlruns: mlruns
 *   experiment: klue-ner
 *   run_name: null
 * </pre>
 */
public record NerConfig(Data data, Model model, TrainingConfig train, Tracking tracking) {

    /** Train defaults that differ from {@link TrainingConfig#defaults()}, with every accepted spelling. */
    static final Map<String, Object> TRAIN_DEFAULTS = Map.of(
            "epochs", 20, "batch_size", 32, "grad_accumulation", 4, "lr", 5e-4,
            "best_metric", "valid_entity_macro_f1", "best_mode", "max");
    static final Map<String, List<String>> TRAIN_ALIASES = Map.of(
            "epochs", List.of("n_epochs", "num_epochs", "num_train_epochs"),
            "batch_size", List.of("train_batch_size"),
            "grad_accumulation", List.of("gradient_accumulation_steps", "accumulation_steps"),
            "lr", List.of("learning_rate"),
            "best_metric", List.of("metric_for_best_model"),
            "best_mode", List.of());

    public NerConfig {
        Check.notNull("data", data);
        model = model == null ? new Model(null, null, null, null, null, null, null, null, null, null, null, null, null) : model;
        train = train == null ? defaultTrain() : train;
        tracking = tracking == null ? new Tracking(null, null, null) : tracking;
    }

    /** The data section. */
    public record Data(String trainFile, String validFile, Integer splitModulus, Integer splitTestRemainder,
            Integer validModulus, Integer validRemainder, List<String> extraTrainFiles, List<String> labels,
            Integer trainLimit) {
        public Data {
            extraTrainFiles = extraTrainFiles == null ? List.of() : List.copyOf(extraTrainFiles);
            if (trainLimit != null) Check.that(trainLimit >= 1, "train_limit", ">= 1 (or absent for every training sentence)", trainLimit);
            Check.notBlank("train_file", trainFile);
            splitModulus = splitModulus == null ? 5 : splitModulus;
            splitTestRemainder = splitTestRemainder == null ? 4 : splitTestRemainder;
            Check.that(splitModulus >= 2, "split_modulus", ">= 2", splitModulus);
            Check.that(splitTestRemainder >= 0 && splitTestRemainder < splitModulus, "split_test_remainder",
                    "in [0, split_modulus)", splitTestRemainder);
            Check.that((validModulus == null) == (validRemainder == null), "valid_modulus",
                    "given together with valid_remainder", validModulus);
            if (validModulus != null) {
                Check.that(validFile == null, "valid_modulus", "null when valid_file is set", validModulus);
                Check.that(validModulus >= 2, "valid_modulus", ">= 2", validModulus);
                Check.that(validRemainder >= 0 && validRemainder < validModulus, "valid_remainder",
                        "in [0, valid_modulus)", validRemainder);
            }
            if (labels != null) {
                try {
                    TagSet.of(labels);
                } catch (IllegalArgumentException e) {
                    throw ConfigException.other("labels", e.getMessage(), e);
                }
            }
        }

        /**
         * Whether the validation split is carved out of the training sentences ({@code valid_modulus}
         * set): then the held-out split ({@code i % split_modulus == split_test_remainder}) is a test
         * split that no choice is made on; otherwise the held-out split is the validation split.
         */
        public boolean hasTestSplit() {
            return validModulus != null;
        }

        public TagSet tagSet() {
            return labels == null ? TagSet.klue() : TagSet.of(labels);
        }
    }

    /** The model section. */
    public record Model(String pretrained, String tokenizer, BertConfig bert, Integer maxLen, Integer stride,
            Double dropout, Boolean bioConstraints, Integer bucket, Integer evalBatchSize, Long seed,
            Double headLr, Double layerLrDecay, Boolean calibrateScores) {
        public Model {
            Check.that(pretrained != null || tokenizer != null, "tokenizer",
                    "a tokenizer path when model.pretrained is null", null);
            Check.that(pretrained == null || bert == null, "bert", "null when model.pretrained is set", "a config");
            maxLen = Check.positive("max_len", maxLen == null ? 128 : maxLen);
            Check.that(maxLen >= 3, "max_len", ">= 3", maxLen);
            stride = stride == null ? Math.max(1, (maxLen - 2) / 2) : stride;
            Check.that(stride >= 1 && stride <= maxLen - 2, "stride", "in [1, max_len - 2]", stride);
            if (dropout != null) {
                Check.that(dropout >= 0 && dropout < 1, "dropout", "in [0, 1)", dropout);
            }
            bioConstraints = bioConstraints == null || bioConstraints;
            bucket = Check.positive("bucket", bucket == null ? 32 : bucket);
            evalBatchSize = Check.positive("eval_batch_size", evalBatchSize == null ? 64 : evalBatchSize);
            seed = seed == null ? 42L : seed;
            if (headLr != null) Check.that(headLr > 0 && Double.isFinite(headLr), "head_lr", "> 0", headLr);
            layerLrDecay = layerLrDecay == null ? 1.0 : layerLrDecay;
            calibrateScores = calibrateScores == null || calibrateScores;
            Check.that(layerLrDecay > 0 && layerLrDecay <= 1, "layer_lr_decay", "in (0, 1]", layerLrDecay);
        }

        /** The tokenizer location: {@code tokenizer}, or the pretrained directory. */
        public Path tokenizerPath() {
            return Path.of(tokenizer != null ? tokenizer : pretrained);
        }
    }

    /** Where runs are tracked (MLflow file-store layout). */
    public record Tracking(String mlruns, String experiment, String runName) {
        public Tracking {
            mlruns = mlruns == null ? "mlruns" : mlruns;
            experiment = experiment == null ? "klue-ner" : experiment;
        }
    }

    /** {@link TrainingConfig#defaults()} with the NER defaults of {@link #TRAIN_DEFAULTS}. */
    public static TrainingConfig defaultTrain() {
        return TrainingConfig.builder().epochs(20).batchSize(32).gradAccumulation(4).lr(5e-4)
                .best("valid_entity_macro_f1", TrainingConfig.BestMode.MAX).build();
    }

    /** Loads a YAML or JSON file (format by extension); relative paths in it: against its folder. */
    public static NerConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ConfigException.other("", "cannot read config file " + file + ": " + e, e).withSource(file.getFileName().toString());
        }
        return parse(text, ConfigLoader.Format.of(file), file.getFileName().toString())
                .resolve(file.toAbsolutePath().getParent());
    }

    /** A copy whose relative paths are resolved against {@code base}. */
    public NerConfig resolve(Path base) {
        Data d = new Data(resolve(base, data.trainFile()), resolve(base, data.validFile()), data.splitModulus(),
                data.splitTestRemainder(), data.validModulus(), data.validRemainder(),
                data.extraTrainFiles().stream().map(f -> resolve(base, f)).toList(), data.labels(), data.trainLimit());
        Model m = new Model(resolve(base, model.pretrained()), resolve(base, model.tokenizer()), model.bert(),
                model.maxLen(), model.stride(), model.dropout(), model.bioConstraints(), model.bucket(),
                model.evalBatchSize(), model.seed(), model.headLr(), model.layerLrDecay(), model.calibrateScores());
        Tracking t = new Tracking(resolve(base, tracking.mlruns()), tracking.experiment(), tracking.runName());
        return new NerConfig(d, m, train, t);
    }

    private static String resolve(Path base, String p) {
        return p == null || Path.of(p).isAbsolute() ? p : base.resolve(p).normalize().toString();
    }

    /** Parses config text; NER defaults fill absent {@code train} keys. */
    public static NerConfig parse(String text, ConfigLoader.Format format, String sourceName) {
        JsonNode tree;
        try {
            tree = ConfigLoader.mapper(format).readTree(text);
        } catch (IOException e) {
            // let the loader produce its usual message
            return ConfigLoader.parse(text, format, NerConfig.class, sourceName);
        }
        if (tree instanceof ObjectNode root) {
            JsonNode trainNode = root.get("train");
            ObjectNode train = trainNode instanceof ObjectNode o ? o : trainNode == null || trainNode.isNull() ? root.putObject("train") : null;
            if (train != null) {
                TRAIN_DEFAULTS.forEach((key, value) -> {
                    boolean present = train.has(key) || TRAIN_ALIASES.get(key).stream().anyMatch(train::has);
                    if (!present) {
                        train.set(key, ConfigLoader.mapper(format).valueToTree(value));
                    }
                });
            }
        }
        return ConfigLoader.convert(tree, NerConfig.class, sourceName, text);
    }
}
