package io.github.bert4j.bert.graph;

import org.nd4j.autodiff.samediff.SDVariable;

/** After attention: {@code LayerNorm(dropout(dense(context)) + input)}, {@code [N,H]}. */
final class BertSelfOutput {
    private BertSelfOutput() {}

    static SDVariable build(GraphContext g, String dense, String layerNorm, SDVariable context, SDVariable input) {
        SDVariable h = g.dense(dense, context);
        h = g.dropout(dense + "/dropout", h, g.config.hiddenDropoutProb(), DropoutSite.Kind.HIDDEN);
        return g.layerNorm(layerNorm, h.add(input));
    }
}
