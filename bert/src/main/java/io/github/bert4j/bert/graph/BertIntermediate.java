package io.github.bert4j.bert.graph;

import org.nd4j.autodiff.samediff.SDVariable;

/** First half of the feed-forward sub-layer: {@code act(dense(x))}, {@code [N,H] → [N,I]}. */
final class BertIntermediate {
    private BertIntermediate() {}

    static SDVariable build(GraphContext g, String dense, SDVariable x) {
        return g.activation(g.dense(dense, x));
    }
}
