package io.github.bert4j.bert.graph;

import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.EncoderEngine;
import io.github.bert4j.bert.EncoderInputs;
import io.github.bert4j.bert.EncoderPass;
import io.github.bert4j.bert.HfNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The encoder as a SameDiff graph ({@link EncoderGraph}) behind the {@link EncoderEngine}
 * contract: the reference the eager engine is checked against, and SameDiff's automatic
 * differentiation of the same function.
 *
 * <p>A forward pass feeds the graph (dropout masks drawn in the graph's site order) and computes
 * the hidden states and the pooled output. The training graph also holds the scalar {@code
 * Σ hidden ⊙ dHidden + Σ pooled ⊙ dPooled} with both upstream gradients as placeholders, so that
 * {@link EncoderPass#backward} is one {@code calculateGradients} call with the pass's own
 * placeholders (the same masks): SameDiff recomputes the forward pass inside it, so a training
 * step costs two forward passes here, which is the price of the graph being the reference.
 * One graph per mode is built on first use and serves every batch size and length.
 */
public final class GraphEngine implements EncoderEngine {
    private static final String UPSTREAM_HIDDEN = "upstream_hidden";
    private static final String UPSTREAM_POOLED = "upstream_pooled";
    private static final String LOSS = "upstream_loss";

    private final BertEncoder encoder;
    private EncoderGraph train;
    private EncoderGraph inference;
    private List<String> trainGradientNames;
    private long passes;

    public GraphEngine(BertEncoder encoder) {
        this.encoder = encoder;
    }

    private EncoderGraph graph(BertEncoder.Mode mode) {
        if (mode == BertEncoder.Mode.TRAIN) {
            if (train == null) {
                EncoderGraph g = encoder.build(SameDiff.create(), mode);
                SameDiff sd = g.sd();
                int h = encoder.config().hiddenSize();
                SDVariable upHidden = sd.placeHolder(UPSTREAM_HIDDEN, encoder.dataType(), -1, h);
                SDVariable upPooled = sd.placeHolder(UPSTREAM_POOLED, encoder.dataType(), -1, h);
                g.hiddenStates().mul(upHidden).sum().add(g.pooledOutput().mul(upPooled).sum()).rename(LOSS);
                sd.setLossVariables(LOSS);
                trainGradientNames = g.gradientNames();
                train = g;
            }
            return train;
        }
        if (inference == null) {
            EncoderGraph g = encoder.build(SameDiff.create(), mode);
            g.pooledOutput();
            inference = g;
        }
        return inference;
    }

    @Override
    public EncoderPass forward(EncoderInputs inputs, BertEncoder.Mode mode) {
        EncoderGraph g = graph(mode);
        Map<String, INDArray> ph = new HashMap<>();
        EncoderGraph.Feed feed = g.feed(ph, inputs);
        String hidden = g.hiddenStates().name();
        String pooled = g.pooledOutput().name();
        Map<String, INDArray> out = g.sd().output(ph, hidden, pooled);
        return new Pass(inputs, mode, g, ph, feed, out.get(hidden), out.get(pooled), ++passes);
    }

    private final class Pass implements EncoderPass {
        private final EncoderInputs inputs;
        private final BertEncoder.Mode mode;
        private final EncoderGraph g;
        private final Map<String, INDArray> placeholders;
        private final EncoderGraph.Feed feed;
        private final INDArray hidden;
        private final INDArray pooled;
        private final long number;
        private boolean done;

        Pass(EncoderInputs inputs, BertEncoder.Mode mode, EncoderGraph g, Map<String, INDArray> placeholders,
                EncoderGraph.Feed feed, INDArray hidden, INDArray pooled, long number) {
            this.inputs = inputs;
            this.mode = mode;
            this.g = g;
            this.placeholders = placeholders;
            this.feed = feed;
            this.hidden = hidden;
            this.pooled = pooled;
            this.number = number;
        }

        private void checkCurrent() {
            if (number != passes) {
                throw new IllegalStateException("a later forward pass of this engine has replaced this pass");
            }
        }

        @Override
        public EncoderInputs inputs() {
            return inputs;
        }

        @Override
        public BertEncoder.Mode mode() {
            return mode;
        }

        @Override
        public INDArray hidden() {
            checkCurrent();
            return hidden;
        }

        @Override
        public INDArray pooled() {
            checkCurrent();
            return pooled;
        }

        @Override
        public Map<String, INDArray> backward(INDArray dHidden, INDArray dPooled) {
            checkCurrent();
            if (mode != BertEncoder.Mode.TRAIN) {
                throw new IllegalStateException("backward needs a training-mode forward pass");
            }
            if (done) {
                throw new IllegalStateException("backward was already called for this pass");
            }
            done = true;
            placeholders.put(UPSTREAM_HIDDEN, dHidden != null ? dHidden : Nd4j.zerosLike(hidden));
            placeholders.put(UPSTREAM_POOLED, dPooled != null ? dPooled : Nd4j.zerosLike(pooled));
            Map<String, INDArray> grads = g.parameterGradients(feed, g.sd().calculateGradients(placeholders,
                    trainGradientNames));
            if (dPooled == null) {
                grads.remove(HfNames.weight(HfNames.POOLER_DENSE));
                grads.remove(HfNames.bias(HfNames.POOLER_DENSE));
            }
            return grads;
        }
    }

    @Override
    public long bufferBytes() {
        return 0; // SameDiff allocates per op and frees at garbage collection
    }

    @Override
    public void close() {
        train = null;
        inference = null;
        trainGradientNames = null;
    }
}
