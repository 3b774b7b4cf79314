package io.github.bert4j.bert;

import org.nd4j.autodiff.samediff.SDVariable;

/** One post-LN Transformer layer: attention sub-layer, then feed-forward sub-layer, {@code [N,H] → [N,H]}. */
final class BertLayer {
    private BertLayer() {}

    static String prefix(int i) {
        return "bert.encoder.layer." + i;
    }

    static SDVariable build(GraphContext g, int i, SDVariable x, SDVariable additiveMask) {
        String p = prefix(i);
        SDVariable attention = BertAttention.build(g, p + ".attention", x, additiveMask);
        SDVariable intermediate = BertIntermediate.build(g, p + ".intermediate", attention);
        return BertOutput.build(g, p + ".output", intermediate, attention);
    }
}
