package io.github.bert4j.bert;

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
    static final String PREFIX = "bert.embeddings";
    static final String WORD = PREFIX + ".word_embeddings.weight";
    static final String POSITION = PREFIX + ".position_embeddings.weight";
    static final String TOKEN_TYPE = PREFIX + ".token_type_embeddings.weight";

    private BertEmbeddings() {}

    /** Placeholder of the one-hot token types, {@code [N,S]}. */
    static final String TOKEN_TYPE_ONEHOT = "token_type_onehot";

    /** {@code [N,H]} word+position placeholder and {@code [N,S]} one-hot types → {@code [N,H]} normalised embeddings. */
    static SDVariable build(GraphContext g, SDVariable inputsEmbeds, SDVariable tokenTypeOneHot) {
        SDVariable x = inputsEmbeds.add(g.sd.mmul(tokenTypeOneHot, g.param(TOKEN_TYPE))); // [N,H]
        x = g.layerNorm(PREFIX + ".LayerNorm", x);
        return g.dropout("dropout/embeddings", x, g.config.hiddenDropoutProb(), DropoutSite.Kind.HIDDEN);
    }
}
