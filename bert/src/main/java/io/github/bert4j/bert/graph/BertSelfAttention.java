package io.github.bert4j.bert.graph;

import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.HfNames;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Multi-head scaled dot-product self-attention (Vaswani et al. 2017, §3.2), all heads batched:
 *
 * <pre>
 * Q, K, V = x·Wqᵀ + bq, x·Wkᵀ + bk, x·Wvᵀ + bv           [N,H] → [B,h,T,d]
 * P = dropout(softmax(Q·Kᵀ / √d + mask))                 [B,h,T,T]
 * context = P·V                                          [B,h,T,d] → [N,H]
 * </pre>
 *
 * {@code mask} is the additive padding mask {@code [B,1,1,T]} from {@link BertEncoder}: 0 at real
 * keys, -10000 at padding (as the original BERT), broadcast over heads and queries.
 */
final class BertSelfAttention {
    private BertSelfAttention() {}

    static SDVariable build(GraphContext g, HfNames.Layer n, SDVariable x, SDVariable additiveMask) {
        int heads = g.config.numAttentionHeads();
        int d = g.config.headSize();
        if (g.fusedAttention && (g.mode != BertEncoder.Mode.TRAIN || g.config.attentionProbsDropoutProb() == 0.0)) {
            return fused(g, n, x, heads, d);
        }
        SDVariable q = splitHeads(g, g.dense(n.query(), x).mul(1.0 / Math.sqrt(d)), heads, d);
        SDVariable k = splitHeads(g, g.dense(n.key(), x), heads, d);
        SDVariable v = splitHeads(g, g.dense(n.value(), x), heads, d);
        SDVariable scores = g.sd.mmul(q, k, false, true, false).add(additiveMask); // [B,h,T,T]
        SDVariable probs = g.sd.nn.softmax(scores, 3);
        probs = g.dropout(n.prefix() + ".attention.self/dropout", probs, g.config.attentionProbsDropoutProb(),
                DropoutSite.Kind.ATTENTION_PROBS);
        SDVariable context = g.sd.mmul(probs, v); // [B,h,T,d]
        return context.permute(0, 2, 1, 3).reshape(-1, g.config.hiddenSize()); // [N,H]
    }

    /**
     * The same with SameDiff's fused {@code dot_product_attention} (scores, mask, softmax and the
     * weighted sum in one op, feature-major layout {@code [B,h,d,T]}, masked keys excluded). It has
     * no dropout, so it serves inference and dropout-free training.
     */
    private static SDVariable fused(GraphContext g, HfNames.Layer n, SDVariable x, int heads, int d) {
        SDVariable q = featureMajor(g, g.dense(n.query(), x), heads, d);
        SDVariable k = featureMajor(g, g.dense(n.key(), x), heads, d);
        SDVariable v = featureMajor(g, g.dense(n.value(), x), heads, d);
        SDVariable context = g.sd.nn.dotProductAttention(q, k, v, g.keyMask, true); // [B,h,d,T]
        return context.permute(0, 3, 1, 2).reshape(-1, g.config.hiddenSize()); // [N,H]
    }

    /** {@code [N,H] → [B,T,h,d] → [B,h,d,T]}. */
    private static SDVariable featureMajor(GraphContext g, SDVariable x, int heads, int d) {
        return g.sd.reshape(x, g.shapeBT(heads, d)).permute(0, 2, 3, 1);
    }

    /** {@code [N,H] → [B,T,h,d] → [B,h,T,d]}. */
    private static SDVariable splitHeads(GraphContext g, SDVariable x, int heads, int d) {
        return g.sd.reshape(x, g.shapeBT(heads, d)).permute(0, 2, 1, 3);
    }
}
