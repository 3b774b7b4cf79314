package io.github.bert4j.bert;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.bert4j.core.config.Check;
import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.config.ConfigLoader;
import io.github.bert4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hyper-parameters of a BERT encoder. Its JSON form is HuggingFace's BERT {@code config.json}
 * (same field names and defaults), so a config travels both ways; the reference project's
 * spellings are accepted as aliases ({@code hid_dim}, {@code n_layers}, {@code n_heads}, {@code
 * pf_dim}, {@code dropout}, {@code max_len}).
 *
 * <p>Missing keys take HuggingFace's defaults ({@code BertConfig()} in {@code transformers}); a
 * missing {@code attention_probs_dropout_prob} takes the value of {@code hidden_dropout_prob} (the
 * reference's single {@code dropout}). Fields that real {@code config.json} files carry but an
 * encoder does not need ({@code transformers_version}, {@code torch_dtype}, {@code use_cache},
 * {@code position_embedding_type} = "absolute", {@code pooler_*}, ...; see {@link #KNOWN_EXTRAS})
 * are kept in {@link #extra()} and written back; any other key is rejected.
 *
 * @param vocabSize V, number of token ids
 * @param hiddenSize H
 * @param numHiddenLayers number of Transformer layers
 * @param numAttentionHeads heads per layer; must divide {@code hidden_size}
 * @param intermediateSize I, width of the feed-forward layer
 * @param hiddenAct activation of the feed-forward and MLM transform: {@code gelu} (exact erf form,
 *     as HuggingFace), {@code gelu_new} / {@code gelu_pytorch_tanh} (tanh approximation) or {@code
 *     relu}
 * @param hiddenDropoutProb dropout after embeddings and after each sub-layer
 * @param attentionProbsDropoutProb dropout on the attention probabilities
 * @param maxPositionEmbeddings longest sequence the model accepts
 * @param typeVocabSize number of segment (token type) ids
 * @param initializerRange standard deviation of the normal initialisation
 * @param layerNormEps epsilon inside the LayerNorm square root
 * @param padTokenId id of {@code [PAD]}; its word-embedding row is initialised to zero
 * @param modelType always {@code "bert"}
 * @param architectures HuggingFace class names (informative), e.g. {@code ["BertForPreTraining"]}
 * @param extra tolerated HuggingFace fields (see above), kept verbatim
 */
@JsonPropertyOrder({"architectures", "model_type", "vocab_size", "hidden_size", "num_hidden_layers",
        "num_attention_heads", "intermediate_size", "hidden_act", "hidden_dropout_prob",
        "attention_probs_dropout_prob", "max_position_embeddings", "type_vocab_size",
        "initializer_range", "layer_norm_eps", "pad_token_id"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BertConfig(
        Integer vocabSize,
        @JsonAlias("hid_dim") Integer hiddenSize,
        @JsonAlias("n_layers") Integer numHiddenLayers,
        @JsonAlias("n_heads") Integer numAttentionHeads,
        @JsonAlias("pf_dim") Integer intermediateSize,
        String hiddenAct,
        @JsonAlias("dropout") Double hiddenDropoutProb,
        Double attentionProbsDropoutProb,
        @JsonAlias("max_len") Integer maxPositionEmbeddings,
        Integer typeVocabSize,
        Double initializerRange,
        Double layerNormEps,
        Integer padTokenId,
        String modelType,
        List<String> architectures,
        @JsonAnySetter @JsonIgnore Map<String, Object> extra) {

    /** HuggingFace fields that are accepted and kept although the encoder does not use them. */
    public static final Set<String> KNOWN_EXTRAS = Set.of(
            "transformers_version", "torch_dtype", "use_cache", "classifier_dropout",
            "gradient_checkpointing", "position_embedding_type", "_name_or_path", "directionality",
            "pooler_fc_size", "pooler_num_attention_heads", "pooler_num_fc_layers",
            "pooler_size_per_head", "pooler_type", "output_past", "id2label", "label2id",
            "num_labels", "problem_type", "tokenizer_class", "bos_token_id", "eos_token_id",
            "output_attentions", "output_hidden_states", "return_dict", "is_decoder",
            "add_cross_attention", "chunk_size_feed_forward");

    /** Activations this implementation builds. */
    public static final List<String> ACTIVATIONS = HiddenAct.names();

    public BertConfig {
        vocabSize = Check.positive("vocab_size", vocabSize == null ? 30522 : vocabSize);
        hiddenSize = Check.positive("hidden_size", hiddenSize == null ? 768 : hiddenSize);
        numHiddenLayers = Check.positive("num_hidden_layers", numHiddenLayers == null ? 12 : numHiddenLayers);
        numAttentionHeads = Check.positive("num_attention_heads", numAttentionHeads == null ? 12 : numAttentionHeads);
        Check.that(hiddenSize % numAttentionHeads == 0, "hidden_size",
                "divisible by num_attention_heads (" + numAttentionHeads + ")", hiddenSize);
        intermediateSize = Check.positive("intermediate_size", intermediateSize == null ? 3072 : intermediateSize);
        hiddenAct = Check.oneOf("hidden_act", hiddenAct == null ? "gelu" : hiddenAct, ACTIVATIONS);
        hiddenDropoutProb = hiddenDropoutProb == null ? 0.1 : hiddenDropoutProb;
        Check.that(hiddenDropoutProb >= 0 && hiddenDropoutProb < 1, "hidden_dropout_prob", "in [0, 1)", hiddenDropoutProb);
        attentionProbsDropoutProb = attentionProbsDropoutProb == null ? hiddenDropoutProb : attentionProbsDropoutProb;
        Check.that(attentionProbsDropoutProb >= 0 && attentionProbsDropoutProb < 1,
                "attention_probs_dropout_prob", "in [0, 1)", attentionProbsDropoutProb);
        maxPositionEmbeddings = Check.positive("max_position_embeddings",
                maxPositionEmbeddings == null ? 512 : maxPositionEmbeddings);
        typeVocabSize = Check.positive("type_vocab_size", typeVocabSize == null ? 2 : typeVocabSize);
        initializerRange = Check.positive("initializer_range", initializerRange == null ? 0.02 : initializerRange);
        layerNormEps = Check.positive("layer_norm_eps", layerNormEps == null ? 1e-12 : layerNormEps);
        padTokenId = padTokenId == null ? 0 : padTokenId;
        Check.that(padTokenId >= 0 && padTokenId < vocabSize, "pad_token_id", "in [0, vocab_size)", padTokenId);
        modelType = Check.oneOf("model_type", modelType == null ? "bert" : modelType, List.of("bert"));
        architectures = architectures == null ? List.of("BertForPreTraining") : List.copyOf(architectures);
        extra = extra == null ? Map.of() : checkExtras(extra);
    }

    private static Map<String, Object> checkExtras(Map<String, Object> extra) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            if (!KNOWN_EXTRAS.contains(e.getKey())) {
                List<String> known = new ArrayList<>(new TreeSet<>(KNOWN_EXTRAS));
                known.addAll(List.of("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                        "intermediate_size", "hidden_act", "hidden_dropout_prob", "attention_probs_dropout_prob",
                        "max_position_embeddings", "type_vocab_size", "initializer_range", "layer_norm_eps",
                        "pad_token_id", "model_type", "architectures"));
                throw ConfigException.unknownKey(e.getKey(), known);
            }
            copy.put(e.getKey(), e.getValue());
        }
        Object pet = copy.get("position_embedding_type");
        Check.that(pet == null || "absolute".equals(pet), "position_embedding_type", "\"absolute\"", pet);
        Object dec = copy.get("is_decoder");
        Check.that(dec == null || Boolean.FALSE.equals(dec), "is_decoder", "false (an encoder)", dec);
        Object cross = copy.get("add_cross_attention");
        Check.that(cross == null || Boolean.FALSE.equals(cross), "add_cross_attention", "false", cross);
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** The tolerated extra fields, written back verbatim into {@code config.json}. */
    @JsonAnyGetter
    public Map<String, Object> extra() {
        return extra;
    }

    /** A config with HuggingFace's defaults except for the sizes given. */
    public static BertConfig of(int vocab, int hidden, int layers, int heads, int intermediate, int maxPositions) {
        return new BertConfig(vocab, hidden, layers, heads, intermediate, null, null, null, maxPositions,
                null, null, null, null, null, null, null);
    }

    /** The reference project's model: hidden 256, 2 layers, 8 heads, FFN 512, max length 128. */
    public static BertConfig seed(int vocab) {
        return of(vocab, 256, 2, 8, 512, 128);
    }

    /** BERT-base: hidden 768, 12 layers, 12 heads, FFN 3072, 512 positions. */
    public static BertConfig base(int vocab) {
        return of(vocab, 768, 12, 12, 3072, 512);
    }

    /**
     * A tiny, odd-sized model for tests (hidden 32, 2 layers, 4 heads, FFN 37, 64 positions) so that
     * a transposed matrix cannot hide (as {@code transformers}' own BERT tests).
     */
    public static BertConfig tiny(int vocab) {
        return of(vocab, 32, 2, 4, 37, 64);
    }

    /** Size of one attention head, {@code hidden_size / num_attention_heads}. */
    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    /** A copy with both dropout probabilities set to {@code p}. */
    public BertConfig withDropout(double p) {
        return new BertConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, p, p, maxPositionEmbeddings, typeVocabSize, initializerRange, layerNormEps,
                padTokenId, modelType, architectures, extra);
    }

    /** A copy with another activation ({@link #ACTIVATIONS}). */
    /** {@link #hiddenAct()} as the enum every engine switches on. */
    public HiddenAct activation() {
        return HiddenAct.of(hiddenAct);
    }

    public BertConfig withHiddenAct(String act) {
        return new BertConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                act, hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize,
                initializerRange, layerNormEps, padTokenId, modelType, architectures, extra);
    }

    /** A copy with another {@code vocab_size} (e.g. a tokenizer's). */
    public BertConfig withVocabSize(int size) {
        return new BertConfig(size, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize,
                initializerRange, layerNormEps, padTokenId, modelType, architectures, extra);
    }

    /** A copy with another {@code layer_norm_eps}. */
    public BertConfig withLayerNormEps(double eps) {
        return new BertConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize,
                initializerRange, eps, padTokenId, modelType, architectures, extra);
    }

    /** A copy naming another HuggingFace architecture (e.g. {@code BertForSequenceClassification}). */
    public BertConfig withArchitecture(String architecture) {
        return new BertConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize,
                initializerRange, layerNormEps, padTokenId, modelType, List.of(architecture), extra);
    }

    /** A copy with one tolerated extra field ({@link #KNOWN_EXTRAS}) set, e.g. {@code id2label}. */
    public BertConfig withExtra(String key, Object value) {
        Map<String, Object> e = new LinkedHashMap<>(extra);
        e.put(key, value);
        return new BertConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize,
                initializerRange, layerNormEps, padTokenId, modelType, architectures, e);
    }

    /**
     * Reads a {@code config.json}: {@code path} is the file or a model directory containing it.
     *
     * @throws ConfigException naming the key and file on any problem
     */
    public static BertConfig load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
        return ConfigLoader.load(file, BertConfig.class);
    }

    /** Parses the JSON text of a {@code config.json}. */
    public static BertConfig parse(String json) {
        return ConfigLoader.parse(json, ConfigLoader.Format.JSON, BertConfig.class, "config.json");
    }

    /** This config as HuggingFace {@code config.json} text. */
    public String toJson() {
        return ConfigLoader.toJson(this);
    }

    /**
     * Writes {@code config.json} atomically: {@code path} is a directory (created if needed) or a
     * {@code .json} file.
     */
    public void save(Path path) throws IOException {
        Path file = path.toString().endsWith(".json") ? path : path.resolve("config.json");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.writeString(file, toJson() + "\n");
    }
}
