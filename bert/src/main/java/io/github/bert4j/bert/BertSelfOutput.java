package io.github.bert4j.bert;

import org.nd4j.autodiff.samediff.SDVariable;

/** After attention: {@code LayerNorm(dropout(dense(context)) + input)}, {@code [N,H]}. */
final class BertSelfOutput {
    private BertSelfOutput() {}

    static SDVariable build(GraphContext g, String prefix, SDVariable context, SDVariable input) {
        SDVariable h = g.dense(prefix + ".dense", context);
        h = g.dropout(prefix + "/dropout", h, g.config.hiddenDropoutProb(), DropoutSite.Kind.HIDDEN);
        return g.layerNorm(prefix + ".LayerNorm", h.add(input));
    }
}
