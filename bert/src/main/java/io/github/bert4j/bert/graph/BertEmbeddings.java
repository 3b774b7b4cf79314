package io.github.bert4j.bert.graph;

import io.github.bert4j.bert.eager.kernels.EmbeddingLookup;
import io.github.bert4j.bert.HfNames;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * BERT's embedding block: {@code LayerNorm(word + position + token_type) → dropout}. The word and
 * position lookups and their sum happen outside the graph ({@link EmbeddingLookup}): the graph
 * starts at the placeholder {@value #INPUTS_EMBEDS} {@code [N,H]}. The token-type embedding is a
 * one-hot matmul {@code [N,S] · [S,H]} ({@code S = type_vocab_size}, 2) inside the graph.
 *
 * <p>SameDiff 1.0.0-M2.1 returns a placeholder's gradient only when the op consuming it is
 * differentiated, i.e. has a trainable input too: here the first op on {@code inputs_embeds} is
 * the addition of the token-type embeddings, so it is.
 */
final class BertEmbeddings {
    /** Placeholder of the summed word and position embeddings, {@code [N,H]}. */
    static final String INPUTS_EMBEDS = "inputs_embeds";

    private BertEmbeddings() {}

    /** Placeholder of the one-hot token types, {@code [N,S]}. */
    static final String TOKEN_TYPE_ONEHOT = "token_type_onehot";

    /** {@code [N,H]} word+position placeholder and {@code [N,S]} one-hot types → {@code [N,H]} normalised embeddings. */
    static SDVariable build(GraphContext g, SDVariable inputsEmbeds, SDVariable tokenTypeOneHot) {
        SDVariable x = inputsEmbeds.add(g.sd.mmul(tokenTypeOneHot, g.param(HfNames.TOKEN_TYPE_EMBEDDINGS))); // [N,H]
        x = g.layerNorm(HfNames.EMBEDDINGS_LAYER_NORM, x);
        return g.dropout("dropout/embeddings", x, g.config.hiddenDropoutProb(), DropoutSite.Kind.HIDDEN);
    }
}
