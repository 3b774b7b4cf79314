package io.github.bert4j.bert.classification;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.core.config.Check;
import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.config.ConfigLoader;
import io.github.bert4j.core.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code finetune-classifier} configuration. Relative paths ({@code data.files}, {@code
 * model.pretrained}, {@code model.tokenizer}, {@code tracking.mlruns}, {@code output}) are resolved
 * against the config file's folder by {@link #load}; {@link #parse} leaves them as written.
 * Unknown keys are errors that list the known ones (core {@link ConfigLoader}).
 *
 * <pre>
 * data:
 *   files: [../data/petitions/*.jsonl]  # files, folders or globs in the file name (matches sorted)
 *   format: null              # jsonl | tsv (text&lt;TAB&gt;label); null: by extension
 *   text_fields: [content]    # JSONL: joined by a newline in this order (text_field: x also works)
 *   label_field: category
 *   split_modulus: 10         # document i (file order): i % 10 == valid_remainder -> valid,
 *   valid_remainder: 3        #   == test_remainder -> test, else train (80/10/10)
 *   test_remainder: 7         # null (default) when test_holdout_fraction is set
 *   test_holdout_fraction: null  # set: test = the documents `bert4j pretrain` held out with this
 *   test_holdout_seed: 42        #   valid_fraction and split_seed; valid: i % modulus == valid_remainder of the rest
 *   empty_text: skip          # skip (counted) | error
 *   unknown_labels: drop      # a valid/test label never seen in train: drop (counted) | error
 * model:
 *   pretrained: ../models/petitions-klue-28ep   # an encoder directory, or null for a fresh one
 *   tokenizer: null           # tokenizer.json or a directory; null: the pretrained directory
 *   bert: null                # BertConfig (HuggingFace names) for a fresh encoder; null: the seed preset
 *   max_len: 128              # [CLS] + the first max_len - 2 tokens + [SEP]
 *   dropout: null             # on the pooled output; null: the encoder's hidden_dropout_prob
 *   head_lr_scale: 1.0        # the classifier's lr as a multiple of train.lr
 *   eval_batch_size: 64
 *   seed: 42                  # head initialisation (and a fresh encoder's)
 * train:                      # core TrainingConfig; the defaults below apply to absent keys
 *   epochs: 4
 *   batch_size: 32
 *   grad_accumulation: 1
 *   lr: 1.0e-4
 *   eval_every: 0             # evaluate at each epoch end
 *   best_metric: valid_macro_f1
 *   best_mode: max            # ties keep the earlier checkpoint
 * tracking:
 *   mlruns: mlruns
 *   experiment: classification
 *   run_name: null
 * output: null                # the model directory; null: the command's --output or runs/&lt;config name&gt;
 * </pre>
 */
public record ClassificationConfig(Data data, Model model, TrainingConfig train, Tracking tracking, String output) {

    /** Train defaults that differ from {@link TrainingConfig#defaults()}, with every accepted spelling. */
    static final Map<String, Object> TRAIN_DEFAULTS = Map.of(
            "epochs", 4, "batch_size", 32, "grad_accumulation", 1, "lr", 1e-4,
            "best_metric", "valid_macro_f1", "best_mode", "max");
    static final Map<String, List<String>> TRAIN_ALIASES = Map.of(
            "epochs", List.of("n_epochs", "num_epochs", "num_train_epochs"),
            "batch_size", List.of("train_batch_size"),
            "grad_accumulation", List.of("gradient_accumulation_steps", "accumulation_steps"),
            "lr", List.of("learning_rate"),
            "best_metric", List.of("metric_for_best_model"),
            "best_mode", List.of());

    public ClassificationConfig {
        Check.notNull("data", data);
        model = model == null ? new Model(null, null, null, null, null, null, null, null) : model;
        train = train == null ? defaultTrain() : train;
        tracking = tracking == null ? new Tracking(null, null, null) : tracking;
    }

    /** The data section. */
    public record Data(List<String> files, LabelledTextReader.Format format,
            @JsonAlias("text_field") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> textFields,
            String labelField, Integer splitModulus, Integer validRemainder, Integer testRemainder,
            Double testHoldoutFraction, Long testHoldoutSeed, LabelledTextReader.EmptyText emptyText,
            ClassificationSplit.UnknownLabels unknownLabels) {
        public Data {
            Check.that(files != null && !files.isEmpty(), "files", "a list of one or more files or globs", files);
            files = List.copyOf(files);
            for (int i = 0; i < files.size(); i++) Check.notBlank("files[" + i + "]", files.get(i));
            textFields = textFields == null ? List.of("content") : List.copyOf(textFields);
            Check.that(!textFields.isEmpty(), "text_fields", "one or more field names", textFields);
            for (int i = 0; i < textFields.size(); i++) Check.notBlank("text_fields[" + i + "]", textFields.get(i));
            labelField = labelField == null ? "category" : Check.notBlank("label_field", labelField);
            splitModulus = splitModulus == null ? 10 : splitModulus;
            validRemainder = validRemainder == null ? 3 : validRemainder;
            testHoldoutSeed = testHoldoutSeed == null ? 42L : testHoldoutSeed;
            Check.that(splitModulus >= 2, "split_modulus", ">= 2", splitModulus);
            Check.that(validRemainder >= 0 && validRemainder < splitModulus, "valid_remainder", "in [0, split_modulus)",
                    validRemainder);
            if (testHoldoutFraction != null) {
                Check.that(testHoldoutFraction > 0 && testHoldoutFraction < 1, "test_holdout_fraction", "in (0, 1)",
                        testHoldoutFraction);
                Check.that(testRemainder == null, "test_remainder", "null when test_holdout_fraction is set", testRemainder);
            } else {
                testRemainder = testRemainder == null ? 7 : testRemainder;
                Check.that(testRemainder >= 0 && testRemainder < splitModulus && !testRemainder.equals(validRemainder),
                        "test_remainder", "in [0, split_modulus) and not valid_remainder (" + validRemainder + ")",
                        testRemainder);
            }
            emptyText = emptyText == null ? LabelledTextReader.EmptyText.SKIP : emptyText;
            unknownLabels = unknownLabels == null ? ClassificationSplit.UnknownLabels.DROP : unknownLabels;
        }

        /** The split rule of this section. */
        public ClassificationSplit.Scheme scheme() {
            return testHoldoutFraction != null
                    ? ClassificationSplit.Scheme.pretrainingHoldout(testHoldoutFraction, testHoldoutSeed, splitModulus,
                            validRemainder)
                    : ClassificationSplit.Scheme.byIndex(splitModulus, validRemainder, testRemainder);
        }

        /** The reader of this section. */
        public LabelledTextReader reader() {
            return new LabelledTextReader(format, textFields, labelField, emptyText);
        }
    }

    /** The model section. */
    public record Model(String pretrained, String tokenizer, BertConfig bert, Integer maxLen, Double dropout,
            Double headLrScale, Integer evalBatchSize, Long seed) {
        public Model {
            Check.that(pretrained != null || tokenizer != null, "tokenizer",
                    "a tokenizer path when model.pretrained is null", null);
            Check.that(pretrained == null || bert == null, "bert", "null when model.pretrained is set", "a config");
            maxLen = maxLen == null ? 128 : maxLen;
            Check.that(maxLen >= 3, "max_len", ">= 3", maxLen);
            if (dropout != null) {
                Check.that(dropout >= 0 && dropout < 1, "dropout", "in [0, 1)", dropout);
            }
            headLrScale = headLrScale == null ? 1.0 : headLrScale;
            Check.that(headLrScale >= 0 && Double.isFinite(headLrScale), "head_lr_scale", "finite and >= 0", headLrScale);
            evalBatchSize = Check.positive("eval_batch_size", evalBatchSize == null ? 64 : evalBatchSize);
            seed = seed == null ? 42L : seed;
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
            experiment = experiment == null ? "classification" : experiment;
        }
    }

    /** {@link TrainingConfig#defaults()} with the defaults of {@link #TRAIN_DEFAULTS}. */
    public static TrainingConfig defaultTrain() {
        return TrainingConfig.builder().epochs(4).batchSize(32).gradAccumulation(1).lr(1e-4)
                .best("valid_macro_f1", TrainingConfig.BestMode.MAX).build();
    }

    /** Loads a YAML or JSON file (format by extension); relative paths in it: against its folder. */
    public static ClassificationConfig load(Path file) {
        return parse(ConfigLoader.readText(file), ConfigLoader.Format.of(file), file.getFileName().toString())
                .resolve(file.toAbsolutePath().getParent());
    }

    /** A copy whose relative paths are resolved against {@code base}. */
    public ClassificationConfig resolve(Path base) {
        Data d = new Data(data.files().stream().map(f -> resolve(base, f)).toList(), data.format(), data.textFields(),
                data.labelField(), data.splitModulus(), data.validRemainder(), data.testRemainder(),
                data.testHoldoutFraction(), data.testHoldoutSeed(), data.emptyText(), data.unknownLabels());
        Model m = new Model(resolve(base, model.pretrained()), resolve(base, model.tokenizer()), model.bert(),
                model.maxLen(), model.dropout(), model.headLrScale(), model.evalBatchSize(), model.seed());
        Tracking t = new Tracking(resolve(base, tracking.mlruns()), tracking.experiment(), tracking.runName());
        return new ClassificationConfig(d, m, train, t, resolve(base, output));
    }

    private static String resolve(Path base, String p) {
        return p == null || Path.of(p).isAbsolute() ? p : base.resolve(p).normalize().toString();
    }

    /** Parses config text; the classification defaults fill absent {@code train} keys. */
    public static ClassificationConfig parse(String text, ConfigLoader.Format format, String sourceName) {
        JsonNode tree;
        try {
            tree = ConfigLoader.mapper(format).readTree(text);
        } catch (IOException e) {
            // let the loader produce its usual message
            return ConfigLoader.parse(text, format, ClassificationConfig.class, sourceName);
        }
        if (tree instanceof ObjectNode root) {
            JsonNode trainNode = root.get("train");
            ObjectNode train = trainNode instanceof ObjectNode o ? o
                    : trainNode == null || trainNode.isNull() ? root.putObject("train") : null;
            if (train != null) {
                TRAIN_DEFAULTS.forEach((key, value) -> {
                    boolean present = train.has(key) || TRAIN_ALIASES.get(key).stream().anyMatch(train::has);
                    if (!present) {
                        train.set(key, ConfigLoader.mapper(format).valueToTree(value));
                    }
                });
            }
        } else if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw ConfigException.other("", "empty config, expected a mapping of keys to values", null).withSource(sourceName);
        }
        return ConfigLoader.convert(tree, ClassificationConfig.class, sourceName, text);
    }
}
