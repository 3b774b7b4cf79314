package io.github.bert4j.bert.pretraining;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.core.config.Check;
import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.config.ConfigLoader;
import io.github.bert4j.core.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration of {@code bert4j pretrain --config pretrain.yaml}.
 *
 * <pre>{@code
 * preset: seed                 # seed (the reference project's values) | tiny; what missing keys default to
 * experiment: petitions-pretrain
 * output: runs/seed-pretrain   # model directories (last/, best/, final model)
 * mlruns: mlruns               # MLflow-layout tracking root
 * data:
 *   corpus: [../data/petitions/*.jsonl]
 *   format: jsonl:content
 *   extra_mlm: [../data/klue-raw-sentences/klue-ner-v1.1_train_sentences.tsv]
 *   extra_mlm_format: tsv:1
 *   valid_fraction: 0.1
 *   max_len: 128
 * tokenizer: {vocab_size: 12000, morphemes: nori}   # or {path: models/tok/tokenizer.json}
 * model: {hid_dim: 256, n_layers: 2, n_heads: 8, pf_dim: 512, dropout: 0.1}
 * train: {n_epochs: 10, batch_size: 64, lr: 5.0e-4, warmup_steps: 100}
 * }</pre>
 *
 * <p>Presets: the file is merged over its preset ({@link #seed()} unless {@code preset} says
 * otherwise), key by key and section by section; a key given under any alias ({@code hid_dim})
 * replaces the preset's value under the canonical name ({@code hidden_size}). The {@code model}
 * section is a HuggingFace {@link BertConfig}; its {@code vocab_size} and {@code pad_token_id} are
 * always taken from the tokenizer. {@code train} is core's {@link TrainingConfig}; its {@code
 * batch_size} is the micro-batch size and {@code grad_accumulation} micro-batches make one step.
 *
 * <p>Relative paths ({@code data.corpus}, {@code output}, {@code tokenizer.path}...) are resolved
 * against the config file's directory by {@link #load(Path)}.
 *
 * @param preset the preset this config was merged over
 * @param experiment MLflow experiment name
 * @param runName MLflow run name (null: derived from the output directory)
 * @param output output directory
 * @param mlruns MLflow tracking directory
 */
public record PretrainConfig(
        @JsonProperty("preset") String preset,
        @JsonProperty("experiment") String experiment,
        @JsonProperty("run_name") String runName,
        @JsonProperty("output") String output,
        @JsonProperty("mlruns") String mlruns,
        @JsonProperty("data") DataConfig data,
        @JsonProperty("tokenizer") TokenizerConfig tokenizer,
        @JsonProperty("model") BertConfig model,
        @JsonProperty("train") TrainingConfig train) {

    public static final List<String> PRESETS = List.of("seed", "tiny");

    public PretrainConfig {
        preset = Check.oneOf("preset", preset == null ? "seed" : preset, PRESETS);
        experiment = Check.notBlank("experiment", experiment == null ? "bert4j-pretrain" : experiment);
        output = Check.notBlank("output", output == null ? "runs/pretrain" : output);
        mlruns = Check.notBlank("mlruns", mlruns == null ? "mlruns" : mlruns);
        data = data == null ? DataConfig.defaults() : data;
        tokenizer = tokenizer == null ? TokenizerConfig.defaults() : tokenizer;
        model = model == null ? BertConfig.seed(tokenizer.vocabSize()) : model;
        train = train == null ? TrainingConfig.defaults() : train;
        Check.that(data.maxLen() <= model.maxPositionEmbeddings(), "data.max_len",
                "<= model.max_position_embeddings (" + model.maxPositionEmbeddings() + ")", data.maxLen());
    }

    /**
     * The reference project's setup: BERT with hidden 256, 2 layers, 8 heads, FFN 512, dropout 0.1,
     * max length 128; batch 64, AdamW lr 5e-4 with 100 warm-up steps then linear decay, 10 epochs;
     * 12k-token Nori WordPiece vocabulary; MLM 15% + NSP. No corpus is set.
     */
    public static PretrainConfig seed() {
        TrainingConfig train = TrainingConfig.builder().epochs(10).batchSize(64).lr(5e-4).warmupSteps(100)
                .scheduler(TrainingConfig.Scheduler.LINEAR).evalEvery(0).logEvery(10).build();
        return new PretrainConfig("seed", null, null, null, null, DataConfig.defaults(), TokenizerConfig.defaults(),
                BertConfig.seed(12000), train);
    }

    /**
     * A model and data small enough for tests and smoke runs (a minute on a laptop): BERT hidden 32,
     * 2 layers, 4 heads, FFN 37, max length 64; 2,000-token vocabulary; batch 16, lr 1e-3, 1 epoch.
     */
    public static PretrainConfig tiny() {
        TrainingConfig train = TrainingConfig.builder().epochs(1).batchSize(16).lr(1e-3).warmupSteps(5)
                .scheduler(TrainingConfig.Scheduler.LINEAR).evalEvery(0).logEvery(5).build();
        return new PretrainConfig("tiny", null, null, null, null, DataConfig.defaults().withMaxLen(64),
                TokenizerConfig.defaults().withVocabSize(2000), BertConfig.tiny(2000), train);
    }

    /** The preset called {@code name}. */
    public static PretrainConfig preset(String name) {
        return switch (Check.oneOf("preset", name, PRESETS)) {
            case "tiny" -> tiny();
            default -> seed();
        };
    }

    /** A copy with another data section. */
    public PretrainConfig withData(DataConfig d) {
        return new PretrainConfig(preset, experiment, runName, output, mlruns, d, tokenizer, model, train);
    }

    /** A copy with another train section. */
    public PretrainConfig withTrain(TrainingConfig t) {
        return new PretrainConfig(preset, experiment, runName, output, mlruns, data, tokenizer, model, t);
    }

    /** A copy with another output and tracking directory. */
    public PretrainConfig withOutput(String out, String mlrunsDir) {
        return new PretrainConfig(preset, experiment, runName, out, mlrunsDir, data, tokenizer, model, train);
    }

    /** A copy with another tokenizer section. */
    public PretrainConfig withTokenizer(TokenizerConfig t) {
        return new PretrainConfig(preset, experiment, runName, output, mlruns, data, t, model, train);
    }

    /** A copy with another model section. */
    public PretrainConfig withModel(BertConfig m) {
        return new PretrainConfig(preset, experiment, runName, output, mlruns, data, tokenizer, m, train);
    }

    /**
     * Loads a YAML or JSON config file merged over its preset and resolves relative paths against
     * the file's directory.
     *
     * @throws ConfigException naming the key path, the problem and the file
     */
    public static PretrainConfig load(Path file) {
        PretrainConfig cfg = parse(ConfigLoader.readText(file), ConfigLoader.Format.of(file), file.getFileName().toString());
        Path base = file.toAbsolutePath().getParent();
        return cfg.resolve(base);
    }

    /** Parses config text merged over its preset (paths are left as written). */
    public static PretrainConfig parse(String text, ConfigLoader.Format format, String sourceName) {
        // First pass on the text as written: unknown keys and wrong types are reported with their
        // line. Constraint violations may depend on preset values, so they wait for the second pass.
        try {
            ConfigLoader.parse(text, format, PretrainConfig.class, sourceName);
        } catch (ConfigException e) {
            if (e.kind() != ConfigException.Kind.INVALID_VALUE) {
                throw e;
            }
        }
        ObjectMapper mapper = ConfigLoader.mapper(format);
        JsonNode user;
        try {
            user = mapper.readTree(text);
        } catch (IOException e) {
            throw ConfigException.other("", e.getMessage(), e).withSource(sourceName);
        }
        String presetName = user.hasNonNull("preset") ? user.get("preset").asText() : "seed";
        PretrainConfig base;
        try {
            base = preset(presetName);
        } catch (ConfigException e) {
            throw e.withSource(sourceName);
        }
        JsonNode merged = ConfigMerge.merge(mapper, mapper.valueToTree(base), user, PretrainConfig.class);
        return ConfigLoader.convert(merged, PretrainConfig.class, sourceName);
    }

    /** A copy whose relative paths are resolved against {@code base}. */
    public PretrainConfig resolve(Path base) {
        DataConfig d = new DataConfig(resolveAll(base, data.corpus()), data.format(), data.splitter(),
                resolveAll(base, data.extraMlm()), data.extraMlmFormat(), data.validFraction(), data.splitSeed(), data.maxLen(),
                data.nspProb(), data.maskRatio(), data.maxPredictionsPerSeq(), data.shortSeqProb(),
                data.wholeWordMasking(), data.dynamicMasking(), data.regenerateInstances(), data.docsPerShard(),
                data.shardsPerGroup(), data.shardDir() == null ? null : resolve(base, data.shardDir()),
                data.padToMaxLen());
        TokenizerConfig t = new TokenizerConfig(tokenizer.path() == null ? null : resolve(base, tokenizer.path()),
                tokenizer.vocabSize(), tokenizer.minFrequency(), tokenizer.morphemes(), tokenizer.limitAlphabet());
        return new PretrainConfig(preset, experiment, runName, resolve(base, output), resolve(base, mlruns), d, t, model, train);
    }

    private static List<String> resolveAll(Path base, List<String> paths) {
        List<String> out = new ArrayList<>(paths.size());
        for (String p : paths) {
            out.add(resolve(base, p));
        }
        return out;
    }

    private static String resolve(Path base, String p) {
        if (p.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), p.substring(2)).toString();
        }
        Path path = Path.of(p);
        return path.isAbsolute() ? p : base.resolve(p).normalize().toString();
    }

    /** This config as YAML (what a run records as its parameters). */
    public String toYaml() {
        return ConfigLoader.toYaml(this);
    }

    /** Flat {@code section.key -> value} parameters for a run tracker. */
    public Map<String, Object> flatParams() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        flatten("", ConfigLoader.mapper(ConfigLoader.Format.JSON).valueToTree(this), out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
        if (node instanceof ObjectNode obj) {
            obj.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else if (!node.isNull()) {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }
}
