package io.github.bert4j.bert.graph;

import org.nd4j.autodiff.samediff.SDVariable;

/** Second half of the feed-forward sub-layer: {@code LayerNorm(dropout(dense(h)) + input)}, {@code [N,I] → [N,H]}. */
final class BertOutput {
    private BertOutput() {}

    static SDVariable build(GraphContext g, String dense, String layerNorm, SDVariable h, SDVariable input) {
        SDVariable y = g.dense(dense, h);
        y = g.dropout(dense + "/dropout", y, g.config.hiddenDropoutProb(), DropoutSite.Kind.HIDDEN);
        return g.layerNorm(layerNorm, y.add(input));
    }
}
