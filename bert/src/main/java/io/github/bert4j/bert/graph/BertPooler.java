package io.github.bert4j.bert.graph;

import io.github.bert4j.bert.HfNames;
import org.nd4j.autodiff.samediff.SDVariable;

/** The pooled {@code [CLS]} vector: {@code tanh(dense(sequence[:, 0]))}, {@code [B,T,H] → [B,H]}. */
final class BertPooler {

    private BertPooler() {}

    static SDVariable build(GraphContext g, SDVariable sequence) {
        // sequence[:, 0, :]: begin/end masks ignore axes 0 and 2, shrink axis 1
        SDVariable first = g.sd.stridedSlice(sequence, new long[] {0, 0, 0}, new long[] {0, 1, 0},
                new long[] {1, 1, 1}, 0b101, 0b101, 0, 0, 0b010); // [B,H]
        return g.sd.math.tanh(g.dense(HfNames.POOLER_DENSE, first));
    }
}
