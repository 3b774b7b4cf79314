package io.github.bert4j.bert.heads;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.EncoderPass;
import io.github.bert4j.bert.HfNames;
import io.github.bert4j.bert.HiddenAct;
import io.github.bert4j.bert.eager.kernels.EmbeddingLookup;
import io.github.bert4j.bert.eager.kernels.Kernels;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The masked-LM head of {@code BertForPreTraining} on the selected positions only: {@code
 * transform = LayerNorm(act(dense(h)))}, then the decoder tied to the word embeddings {@code W}
 * ({@code [V,H]}) plus a bias, {@code logits = transform · Wᵀ + b}, {@code [M,H] → [M,V]}; the loss
 * is the cross-entropy weighted by {@code mlm_weights / Σ mlm_weights}. Selecting the {@code M}
 * masked rows first makes the vocabulary projection cost {@code M·H·V}, not {@code B·T·H·V}.
 *
 * <p>The two {@code [M,V]} arrays (logits, probabilities: 2 × 61 MB at the seed shape) are reused
 * across training passes of the same shape; an inference pass gets fresh ones, handed to the
 * caller. Its backward pass puts the head's gradients and the tied decoder's part of the word
 * table's gradient ({@link HfNames#WORD_EMBEDDINGS}) into the caller's map, to be added to the
 * encoder's.
 */
public final class MaskedLmHead {
    private final BertConfig config;
    private final HiddenAct act;
    private final Map<String, INDArray> params;
    private INDArray[] scratch;

    /**
     * @param params the model's live parameters: the {@code cls.predictions.*} of {@link
     *     #parameterShapes} and the word embeddings
     */
    public MaskedLmHead(BertConfig config, Map<String, INDArray> params) {
        this.config = config;
        this.act = config.activation();
        this.params = params;
        for (String n : parameterShapes(config).keySet()) {
            if (params.get(n) == null) {
                throw new IllegalArgumentException("no " + n + " among the parameters");
            }
        }
    }

    /** Names and shapes of the head's own parameters (the decoder weight is the word table), in HuggingFace's order. */
    public static LinkedHashMap<String, long[]> parameterShapes(BertConfig c) {
        long h = c.hiddenSize();
        LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
        s.put(HfNames.MLM_BIAS, new long[] {c.vocabSize()});
        BertEncoder.linear(s, HfNames.MLM_TRANSFORM_DENSE, h, h);
        BertEncoder.affine(s, HfNames.MLM_TRANSFORM_LAYER_NORM, h);
        return s;
    }

    /** One forward pass over the selected rows. */
    public final class Pass {
        private final int[] rows;
        private final int[] labels;
        private final double[] weights;
        private final INDArray sel;
        private final INDArray f;
        private final INDArray act;
        private final INDArray xhat;
        private final INDArray rstd;
        private final INDArray u;
        private final INDArray scratchMH;
        private final INDArray logits;
        private final INDArray probs;
        private final double loss;
        private final long hiddenRows;
        private boolean done;

        private Pass(INDArray hidden, int[] rows, int[] labels, double[] weights, boolean train) {
            this.rows = rows;
            this.labels = labels;
            this.hiddenRows = hidden.size(0);
            DataType dt = hidden.dataType();
            int m = rows.length;
            int h = config.hiddenSize();
            sel = Nd4j.pullRows(hidden, 1, rows); // [M,H]
            f = Nd4j.create(dt, m, h);
            Kernels.linear(sel, weight(HfNames.MLM_TRANSFORM_DENSE), bias(HfNames.MLM_TRANSFORM_DENSE), f);
            act = Nd4j.create(dt, m, h);
            Kernels.activation(MaskedLmHead.this.act, f, act);
            xhat = Nd4j.create(dt, m, h);
            rstd = Nd4j.create(dt, m, 1);
            u = Nd4j.create(dt, m, h);
            scratchMH = Nd4j.create(dt, m, h);
            Kernels.layerNorm(act, weight(HfNames.MLM_TRANSFORM_LAYER_NORM), bias(HfNames.MLM_TRANSFORM_LAYER_NORM),
                    config.layerNormEps(), xhat, rstd, u, scratchMH);
            INDArray[] mv = train ? buffers(dt, m, config.vocabSize())
                    : new INDArray[] {Nd4j.create(dt, m, config.vocabSize()), Nd4j.create(dt, m, config.vocabSize())};
            logits = mv[0];
            probs = mv[1];
            Kernels.linear(u, params.get(HfNames.WORD_EMBEDDINGS), params.get(HfNames.MLM_BIAS), logits); // [M,V]
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            this.weights = new double[m];
            for (int i = 0; i < m; i++) {
                this.weights[i] = total > 0 ? weights[i] / total : 0;
            }
            loss = SoftmaxCrossEntropy.loss(logits, probs, labels, this.weights);
        }

        /** Weighted mean cross-entropy. */
        public double loss() {
            return loss;
        }

        /** Arg-max token per selected row {@code [M]}. */
        public INDArray predictions() {
            return Nd4j.argMax(logits, 1);
        }

        /** {@code [M,V]}: the caller's after an inference pass; a reused buffer after a training pass. */
        public INDArray logits() {
            return logits;
        }

        /**
         * Adds this head's part of {@code dLoss/dhidden} into {@code dHidden} {@code [B*T,H]} and puts
         * the head's gradients, and the tied decoder's part of the word table's, into {@code grads}.
         */
        public void backward(INDArray dHidden, Map<String, INDArray> grads) {
            if (done) {
                throw new IllegalStateException("backward was already called for this pass");
            }
            done = true;
            DataType dt = dHidden.dataType();
            INDArray dLogits = SoftmaxCrossEntropy.gradientInPlace(probs, labels, weights);
            INDArray word = params.get(HfNames.WORD_EMBEDDINGS);
            grads.put(HfNames.MLM_BIAS, Kernels.columnSums(dLogits));
            grads.put(HfNames.WORD_EMBEDDINGS, Kernels.weightGrad(dLogits, u)); // the tied decoder's part
            INDArray du = Nd4j.gemm(dLogits, word, false, false); // [M,H]
            var ln = Kernels.layerNormBackward(du, xhat, rstd, weight(HfNames.MLM_TRANSFORM_LAYER_NORM), du, scratchMH);
            grads.put(HfNames.weight(HfNames.MLM_TRANSFORM_LAYER_NORM), ln.weight());
            grads.put(HfNames.bias(HfNames.MLM_TRANSFORM_LAYER_NORM), ln.bias());
            Kernels.activationBackward(MaskedLmHead.this.act, f, du, act, scratchMH);
            grads.put(HfNames.weight(HfNames.MLM_TRANSFORM_DENSE), Kernels.weightGrad(du, sel));
            grads.put(HfNames.bias(HfNames.MLM_TRANSFORM_DENSE), Kernels.columnSums(du));
            INDArray dSel = Nd4j.gemm(du, weight(HfNames.MLM_TRANSFORM_DENSE), false, false); // [M,H]
            dHidden.addi(EmbeddingLookup.scatterAdd(rows, dSel, hiddenRows, dt));
        }
    }

    /**
     * The head at {@code positions} ({@code [B*P]} row-major, position {@code p} of sequence {@code
     * b} in {@code [0,T)}) of {@code pass.hidden()}, with target {@code labels} and weights ({@code
     * [B*P]}, 0 = padding of the prediction slots).
     */
    public Pass forward(EncoderPass pass, int[] positions, int maxPredictions, int[] labels, double[] weights) {
        int t = pass.inputs().length();
        int[] rows = new int[positions.length];
        for (int m = 0; m < positions.length; m++) {
            if (positions[m] < 0 || positions[m] >= t) {
                throw new IllegalArgumentException("mlm position " + positions[m] + " outside [0, " + t + ")");
            }
            rows[m] = (m / maxPredictions) * t + positions[m];
        }
        return new Pass(pass.hidden(), rows, labels, weights, pass.mode() == BertEncoder.Mode.TRAIN);
    }

    /** Two {@code [rows, vocab]} buffers of type {@code dt}, allocated once per shape. */
    private INDArray[] buffers(DataType dt, int rows, int vocab) {
        INDArray[] b = scratch;
        if (b == null || b[0].dataType() != dt || b[0].size(0) != rows || b[0].size(1) != vocab) {
            scratch = null; // let the old pair go first
            b = new INDArray[] {Nd4j.create(dt, rows, vocab), Nd4j.create(dt, rows, vocab)};
            scratch = b;
        }
        return b;
    }

    /** Lets the reused buffers go. */
    public void release() {
        scratch = null;
    }

    private INDArray weight(String prefix) {
        return params.get(HfNames.weight(prefix));
    }

    private INDArray bias(String prefix) {
        return params.get(HfNames.bias(prefix));
    }
}
