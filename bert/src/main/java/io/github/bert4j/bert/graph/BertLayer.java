package io.github.bert4j.bert.graph;

import io.github.bert4j.bert.HfNames;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * HuggingFace's {@code BertLayer} as a graph builder: self-attention with its output block, then
 * the feed-forward block ({@code BertIntermediate}, {@code BertOutput}), post-LN. {@code [N,H] → [N,H]}.
 */
final class BertLayer {
    private BertLayer() {}

    static SDVariable build(GraphContext g, int i, SDVariable x, SDVariable additiveMask) {
        HfNames.Layer n = HfNames.layerNames(i);
        SDVariable context = BertSelfAttention.build(g, n, x, additiveMask);
        SDVariable attention = BertSelfOutput.build(g, n.attentionOutputDense(), n.attentionOutputLayerNorm(), context, x);
        SDVariable intermediate = BertIntermediate.build(g, n.intermediateDense(), attention);
        return BertOutput.build(g, n.outputDense(), n.outputLayerNorm(), intermediate, attention);
    }
}
