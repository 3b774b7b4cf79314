package io.github.bert4j.bert;

import org.nd4j.autodiff.samediff.SDVariable;

/** The attention sub-layer: {@link BertSelfAttention} then {@link BertSelfOutput}, {@code [N,H] → [N,H]}. */
final class BertAttention {
    private BertAttention() {}

    static SDVariable build(GraphContext g, String prefix, SDVariable x, SDVariable additiveMask) {
        SDVariable context = BertSelfAttention.build(g, prefix + ".self", x, additiveMask);
        return BertSelfOutput.build(g, prefix + ".output", context, x);
    }
}
