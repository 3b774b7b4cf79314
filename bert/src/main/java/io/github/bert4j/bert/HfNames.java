package io.github.bert4j.bert;

/**
 * HuggingFace parameter names of a BERT model as bert4j stores them ({@code BertForPreTraining}'s
 * {@code bert.} prefix; {@link BertCheckpoint} normalises other spellings on reading), for code
 * outside this package that reads or writes checkpoints (ONNX export and import, heads).
 */
public final class HfNames {
    /** Prefix of the embeddings block. */
    public static final String EMBEDDINGS = BertEmbeddings.PREFIX;
    /** {@code [V,H]} word embeddings (also the tied MLM decoder). */
    public static final String WORD_EMBEDDINGS = BertEmbeddings.WORD;
    /** {@code [P,H]} position embeddings. */
    public static final String POSITION_EMBEDDINGS = BertEmbeddings.POSITION;
    /** {@code [S,H]} token type (segment) embeddings. */
    public static final String TOKEN_TYPE_EMBEDDINGS = BertEmbeddings.TOKEN_TYPE;
    /** Prefix of the pooler's dense layer ({@code .weight [H,H]}, {@code .bias [H]}). */
    public static final String POOLER_DENSE = BertPooler.PREFIX;
    /** A classification head's weight {@code [labels,H]} ({@code BertFor*Classification}). */
    public static final String CLASSIFIER_WEIGHT = "classifier.weight";
    /** A classification head's bias {@code [labels]}. */
    public static final String CLASSIFIER_BIAS = "classifier.bias";

    private HfNames() {}

    /** Prefix of Transformer layer {@code i}: {@code bert.encoder.layer.i}. */
    public static String layer(int i) {
        return BertLayer.prefix(i);
    }
}
