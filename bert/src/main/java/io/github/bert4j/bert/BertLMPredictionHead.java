package io.github.bert4j.bert;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The masked-LM head on already selected positions: {@code transform = LayerNorm(act(dense(h)))},
 * then the decoder tied to the word embeddings {@code W} ({@code [V,H]}) plus a bias: {@code
 * logits = transform · Wᵀ + b}, {@code [M,H] → [M,V]}.
 */
final class BertLMPredictionHead {
    static final String PREFIX = "cls.predictions";

    private BertLMPredictionHead() {}

    static SDVariable build(GraphContext g, SDVariable selected, SDVariable wordEmbeddings) {
        SDVariable h = g.activation(g.dense(PREFIX + ".transform.dense", selected));
        h = g.layerNorm(PREFIX + ".transform.LayerNorm", h);
        return g.sd.mmul(h, wordEmbeddings, false, true, false).add(g.param(PREFIX + ".bias")); // [M,V]
    }
}
