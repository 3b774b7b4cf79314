package io.github.bert4j.bert;


/**
 * The one source of HuggingFace parameter names of a BERT model as bert4j stores them ({@code
 * BertForPreTraining}'s {@code bert.} prefix; {@link BertCheckpoint} normalises other spellings on
 * reading). Every class that reads, writes or builds a parameter (the graph modules, the eager
 * engine, the heads, ONNX export and import) takes its name from here; the kernels know no names.
 *
 * <p>A Linear layer's parameters are {@link #weight(String) prefix.weight} {@code [out,in]} and
 * {@link #bias(String) prefix.bias} {@code [out]}; a LayerNorm's are {@code prefix.weight} (γ) and
 * {@code prefix.bias} (β).
 */
public final class HfNames {
    /** Prefix of the embeddings block. */
    public static final String EMBEDDINGS = "bert.embeddings";
    /** {@code [V,H]} word embeddings (also the tied MLM decoder). */
    public static final String WORD_EMBEDDINGS = EMBEDDINGS + ".word_embeddings.weight";
    /** {@code [P,H]} position embeddings. */
    public static final String POSITION_EMBEDDINGS = EMBEDDINGS + ".position_embeddings.weight";
    /** {@code [S,H]} token type (segment) embeddings. */
    public static final String TOKEN_TYPE_EMBEDDINGS = EMBEDDINGS + ".token_type_embeddings.weight";
    /** Prefix of the embeddings' LayerNorm. */
    public static final String EMBEDDINGS_LAYER_NORM = EMBEDDINGS + ".LayerNorm";
    /** Prefix of the pooler's dense layer ({@code .weight [H,H]}, {@code .bias [H]}). */
    public static final String POOLER_DENSE = "bert.pooler.dense";

    /** Prefix of the masked-LM head ({@code BertForPreTraining.cls.predictions}). */
    public static final String MLM = "cls.predictions";
    /** {@code [V]} bias of the tied MLM decoder. */
    public static final String MLM_BIAS = MLM + ".bias";
    /** Prefix of the MLM transform's dense layer ({@code [H,H]}). */
    public static final String MLM_TRANSFORM_DENSE = MLM + ".transform.dense";
    /** Prefix of the MLM transform's LayerNorm. */
    public static final String MLM_TRANSFORM_LAYER_NORM = MLM + ".transform.LayerNorm";
    /** The tied decoder's weight as HuggingFace may store it (equal to {@link #WORD_EMBEDDINGS}; never written). */
    public static final String MLM_DECODER_WEIGHT = MLM + ".decoder.weight";
    /** The tied decoder's bias as HuggingFace may store it (equal to {@link #MLM_BIAS}; never written). */
    public static final String MLM_DECODER_BIAS = MLM + ".decoder.bias";
    /** Prefix of the next-sentence head ({@code [2,H]}, {@code [2]}). */
    public static final String NSP = "cls.seq_relationship";

    /** Prefix of a classification head ({@code BertForTokenClassification}, {@code BertForSequenceClassification}). */
    public static final String CLASSIFIER = "classifier";
    /** A classification head's weight {@code [labels,H]}. */
    public static final String CLASSIFIER_WEIGHT = CLASSIFIER + ".weight";
    /** A classification head's bias {@code [labels]}. */
    public static final String CLASSIFIER_BIAS = CLASSIFIER + ".bias";

    private HfNames() {}

    /** {@code prefix.weight}. */
    public static String weight(String prefix) {
        return prefix + ".weight";
    }

    /** {@code prefix.bias}. */
    public static String bias(String prefix) {
        return prefix + ".bias";
    }

    /** The prefix of every encoder parameter (the heads' are {@code cls.*}, {@code classifier.*}, ...). */
    public static final String ENCODER = "bert.";
    /** What the names of Transformer layers start with, before the layer index. */
    public static final String LAYERS = ENCODER + "encoder.layer.";

    /** Prefix of Transformer layer {@code i}: {@code bert.encoder.layer.i}. */
    public static String layer(int i) {
        return LAYERS + i;
    }

    /** The layer index in a parameter name {@code bert.encoder.layer.i.*}, or -1 for any other name. */
    public static int layerIndex(String name) {
        if (!name.startsWith(LAYERS)) {
            return -1;
        }
        int end = name.indexOf('.', LAYERS.length());
        return Integer.parseInt(name.substring(LAYERS.length(), end < 0 ? name.length() : end));
    }

    /** The prefixes of Transformer layer {@code i}'s sub-modules. */
    public static Layer layerNames(int i) {
        return new Layer(layer(i));
    }

    /**
     * Prefixes of one Transformer layer's sub-modules, HuggingFace's {@code BertLayer}: self-attention
     * projections, attention output dense + LayerNorm, intermediate dense, output dense + LayerNorm.
     */
    public record Layer(String prefix, String query, String key, String value, String attentionOutputDense,
            String attentionOutputLayerNorm, String intermediateDense, String outputDense, String outputLayerNorm) {
        Layer(String p) {
            this(p, p + ".attention.self.query", p + ".attention.self.key", p + ".attention.self.value",
                    p + ".attention.output.dense", p + ".attention.output.LayerNorm", p + ".intermediate.dense",
                    p + ".output.dense", p + ".output.LayerNorm");
        }
    }
}
