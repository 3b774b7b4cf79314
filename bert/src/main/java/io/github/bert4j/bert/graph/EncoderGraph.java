package io.github.bert4j.bert.graph;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.EncoderInputs;
import io.github.bert4j.bert.HfNames;
import io.github.bert4j.bert.eager.kernels.EmbeddingLookup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The encoder built into one {@link SameDiff} ({@link BertEncoder#build}), for a head written in
 * SameDiff: placeholders {@value #INPUTS_EMBEDS} {@code [B*T,H]} (word + position rows, looked up
 * outside the graph because SameDiff's {@code gather} backward is broken), {@code
 * token_type_onehot} {@code [B*T,S]} and {@value #ATTENTION_MASK} {@code [B,T]} (plus dropout
 * masks in {@link BertEncoder.Mode#TRAIN}); variables under their HuggingFace names, sharing the
 * encoder's arrays. {@link #feed} fills the placeholders, {@link #parameterGradients} turns the
 * gradient of {@code inputs_embeds} into those of the word and position tables (a scatter-add,
 * exact for repeated ids). See {@link BertEncoder} for a complete example.
 */
public final class EncoderGraph {
    /** Placeholder of the summed word and position embeddings. */
    public static final String INPUTS_EMBEDS = BertEmbeddings.INPUTS_EMBEDS;
    /** Placeholder of the {@code [B,T]} attention mask. */
    public static final String ATTENTION_MASK = "attention_mask";

    private final BertEncoder encoder;
    private final GraphContext g;
    private final SDVariable hidden;
    private final SDVariable sequence;
    private SDVariable pooled;

    private EncoderGraph(BertEncoder encoder, GraphContext g, SDVariable hidden, SDVariable sequence) {
        this.encoder = encoder;
        this.g = g;
        this.hidden = hidden;
        this.sequence = sequence;
    }

    /** Builds {@code encoder} into {@code sd} (once per SameDiff); {@code fusedAttention}: see {@link BertEncoder#fusedAttention}. */
    public static EncoderGraph build(BertEncoder encoder, SameDiff sd, BertEncoder.Mode mode, boolean fusedAttention) {
        BertConfig config = encoder.config();
        GraphContext g = new GraphContext(sd, config, mode, encoder.dataType(), encoder.parameters()::get);
        g.fusedAttention = fusedAttention;
        SDVariable embeds = sd.placeHolder(INPUTS_EMBEDS, g.dtype, -1, config.hiddenSize());
        SDVariable types = sd.placeHolder(BertEmbeddings.TOKEN_TYPE_ONEHOT, g.dtype, -1, config.typeVocabSize());
        SDVariable mask = sd.placeHolder(ATTENTION_MASK, g.dtype, -1, -1);
        g.setBatchAndLength(mask);
        SDVariable additive = sd.expandDims(sd.expandDims(mask.rsub(1.0).mul(BertEncoder.MASK_VALUE), 1), 1); // [B,1,1,T]
        SDVariable x = BertEmbeddings.build(g, embeds, types); // [N,H]
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            x = BertLayer.build(g, l, x, additive);
        }
        SDVariable sequence = sd.reshape(x, g.shapeBT(config.hiddenSize())).rename("bert.sequence_output"); // [B,T,H]
        return new EncoderGraph(encoder, g, x, sequence);
    }

    public SameDiff sd() {
        return g.sd;
    }

    public BertEncoder.Mode mode() {
        return g.mode;
    }

    public BertConfig config() {
        return g.config;
    }

    /** Last layer's hidden states {@code [B,T,H]}. */
    public SDVariable sequenceOutput() {
        return sequence;
    }

    /** The same hidden states flattened to {@code [B*T,H]} (row {@code b*T + t}). */
    public SDVariable hiddenStates() {
        return hidden;
    }

    /** Pooled {@code [CLS]} output {@code [B,H]} (built on first call). */
    public SDVariable pooledOutput() {
        if (pooled == null) {
            pooled = BertPooler.build(g, sequence).rename("bert.pooled_output");
        }
        return pooled;
    }

    /** The word-embedding table as a graph variable {@code [V,H]}, for a tied decoder. */
    public SDVariable wordEmbeddings() {
        return g.param(HfNames.WORD_EMBEDDINGS);
    }

    /** Names of the dropout placeholders of this graph, in the order their masks are drawn (empty in inference). */
    public List<String> dropoutPlaceholders() {
        return g.dropoutSites().stream().map(DropoutSite::name).toList();
    }

    /** What {@link #feed} looked up, kept for {@link #parameterGradients}. */
    public record Feed(int[] inputIds, int[] tokenTypeIds, int batchSize, int length) {}

    /**
     * Fills the encoder's placeholders for a batch: {@code inputs_embeds} (looked up here), {@code
     * token_type_onehot}, {@code attention_mask}, and in training mode fresh dropout masks drawn
     * from {@code Nd4j.getRandom()}.
     */
    public Feed feed(Map<String, INDArray> placeholders, EncoderInputs inputs) {
        BertConfig c = g.config;
        int b = inputs.batchSize();
        int t = inputs.length();
        if (t > c.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + t + " exceeds max_position_embeddings "
                    + c.maxPositionEmbeddings());
        }
        Map<String, INDArray> p = encoder.parameters();
        placeholders.put(INPUTS_EMBEDS, EmbeddingLookup.forward(p.get(HfNames.WORD_EMBEDDINGS),
                p.get(HfNames.POSITION_EMBEDDINGS), inputs.inputIds(), b, t));
        EmbeddingLookup.checkIds(inputs.tokenTypeIds(), c.typeVocabSize());
        placeholders.put(BertEmbeddings.TOKEN_TYPE_ONEHOT, EmbeddingLookup.oneHot(inputs.tokenTypeIds(),
                c.typeVocabSize(), g.dtype));
        INDArray mask = inputs.attentionMask() == null ? Nd4j.ones(g.dtype, b, t) : inputs.attentionMask().castTo(g.dtype);
        placeholders.put(ATTENTION_MASK, mask);
        g.fillDropout(placeholders, b, t);
        return new Feed(inputs.inputIds(), inputs.tokenTypeIds(), b, t);
    }

    /**
     * As {@link #feed(Map, EncoderInputs)} from {@code [B,T]} arrays: integer ids, segment ids
     * (null = all 0) and the attention mask (null = all 1).
     */
    public Feed feed(Map<String, INDArray> placeholders, INDArray inputIds, INDArray tokenTypeIds, INDArray attentionMask) {
        return feed(placeholders, EncoderInputs.of(inputIds, tokenTypeIds, attentionMask));
    }

    /** Convenience overload for Java arrays {@code [B][T]} (types and mask may be null). */
    public Feed feed(Map<String, INDArray> placeholders, int[][] inputIds, int[][] tokenTypeIds, int[][] attentionMask) {
        return feed(placeholders, Nd4j.createFromArray(inputIds),
                tokenTypeIds == null ? null : Nd4j.createFromArray(tokenTypeIds),
                attentionMask == null ? null : Nd4j.createFromArray(attentionMask));
    }

    /**
     * Names to pass to {@code calculateGradients} for the encoder: {@code inputs_embeds} and every
     * encoder parameter that is a variable of this graph (the pooler only once {@link
     * #pooledOutput()} was built, the word table only if {@link #wordEmbeddings()} was used).
     */
    public List<String> gradientNames() {
        List<String> names = new ArrayList<>();
        names.add(INPUTS_EMBEDS);
        for (String n : encoder.parameters().keySet()) {
            if (g.sd.hasVariable(n)) {
                names.add(n);
            }
        }
        return names;
    }

    /**
     * Encoder parameter gradients by HF name from the result of {@code calculateGradients}: the
     * word and position tables from {@code inputs_embeds}' gradient (plus the graph gradient of the
     * word table if a tied head used it), the others as computed by SameDiff, in {@link
     * BertEncoder#parameters()} order. Parameters the loss does not depend on are absent.
     */
    public Map<String, INDArray> parameterGradients(Feed feed, Map<String, INDArray> grads) {
        BertConfig c = g.config;
        INDArray gEmb = grads.get(INPUTS_EMBEDS);
        if (gEmb == null) {
            throw new IllegalArgumentException("gradients do not contain " + INPUTS_EMBEDS + "; request gradientNames()");
        }
        Map<String, INDArray> tables = new LinkedHashMap<>();
        INDArray word = EmbeddingLookup.scatterAdd(feed.inputIds(), gEmb, c.vocabSize(), g.dtype);
        INDArray tied = grads.get(HfNames.WORD_EMBEDDINGS);
        if (tied != null) {
            word.addi(tied);
        }
        tables.put(HfNames.WORD_EMBEDDINGS, word);
        tables.put(HfNames.POSITION_EMBEDDINGS, EmbeddingLookup.positionGradient(gEmb, feed.batchSize(), feed.length(),
                c.maxPositionEmbeddings()));
        LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
        for (String n : encoder.parameters().keySet()) {
            INDArray gr = tables.containsKey(n) ? tables.get(n) : grads.get(n);
            if (gr != null) {
                out.put(n, gr);
            }
        }
        return out;
    }
}
