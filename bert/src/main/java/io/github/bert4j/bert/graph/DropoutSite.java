package io.github.bert4j.bert.graph;

import io.github.bert4j.bert.BertConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One dropout in a training graph: a placeholder mask multiplied into an activation. The mask is
 * drawn from ND4J's global generator ({@code Nd4j.getRandom()}, which the trainer seeds per
 * micro-step) as Bernoulli(1 - p) scaled by {@code 1/(1 - p)} (inverted dropout, as PyTorch).
 *
 * @param name placeholder name
 * @param kind shape of the mask
 * @param p drop probability, in (0, 1)
 */
record DropoutSite(String name, Kind kind, double p) {

    /** Mask shapes. */
    enum Kind {
        /** {@code [B*T, H]}: embeddings and sub-layer outputs. */
        HIDDEN,
        /** {@code [B, heads, T, T]}: attention probabilities. */
        ATTENTION_PROBS
    }

    INDArray fill(DataType dtype, BertConfig config, int b, int t) {
        INDArray mask = kind == Kind.HIDDEN
                ? Nd4j.createUninitialized(dtype, (long) b * t, config.hiddenSize())
                : Nd4j.createUninitialized(dtype, b, config.numAttentionHeads(), t, t);
        double keep = 1.0 - p;
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, keep));
        return mask.muli(1.0 / keep);
    }
}
