package io.github.bert4j.bert;

import org.nd4j.autodiff.samediff.SDVariable;

/** Second half of the feed-forward sub-layer: {@code LayerNorm(dropout(dense(h)) + input)}, {@code [N,I] → [N,H]}. */
final class BertOutput {
    private BertOutput() {}

    static SDVariable build(GraphContext g, String prefix, SDVariable h, SDVariable input) {
        SDVariable y = g.dense(prefix + ".dense", h);
        y = g.dropout(prefix + "/dropout", y, g.config.hiddenDropoutProb(), DropoutSite.Kind.HIDDEN);
        return g.layerNorm(prefix + ".LayerNorm", y.add(input));
    }
}
